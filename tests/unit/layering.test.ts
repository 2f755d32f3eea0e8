// Keeps the pipeline one-directional: a stage may import only itself, earlier
// stages and the shared files. The table below is the architecture
// (ARCHITECTURE.md); a new top-level file under src/ must be placed in it.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

// dist/tests/unit/layering.test.js -> repo root
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SRC = join(ROOT, "src");

const STAGES = ["syntax", "check", "memory", "lower", "emit", "toolchain"] as const;
const SHARED = new Set(["diagnostics.ts", "messages.ts"]);
// The top: the driver and CLI see every stage; dump.ts (`coc dump` printers
// of the AST and typed tree) and bigstack.ts (the CLI's rerun with a bigger
// stack) are CLI-side tooling like them.
const TOP = new Set(["driver.ts", "cli.ts", "dump.ts", "bigstack.ts"]);

type Layer =
  | { kind: "stage"; rank: number; name: string }
  | { kind: "shared" }
  | { kind: "top"; name: string }
  | { kind: "unknown" };

function layerOf(rel: string): Layer {
  const parts = rel.split("/");
  if (parts.length === 1) {
    if (SHARED.has(rel)) return { kind: "shared" };
    if (TOP.has(rel)) return { kind: "top", name: rel };
    return { kind: "unknown" };
  }
  const rank = (STAGES as readonly string[]).indexOf(parts[0]);
  return rank >= 0 ? { kind: "stage", rank, name: parts[0] } : { kind: "unknown" };
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : f.endsWith(".ts") && !f.endsWith(".d.ts") ? [p] : [];
  });
}

// Static imports/re-exports (including `import type`), side-effect imports and import().
const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

function stripComments(src: string): string {
  // Good enough for import scanning: drop block and line comments outside strings.
  return src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

export function importsOf(src: string): { spec: string; line: number }[] {
  const clean = stripComments(src);
  const out: { spec: string; line: number }[] = [];
  for (const m of clean.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const line = clean.slice(0, m.index).split("\n").length + (m[0].match(/^\s*/)?.[0].split("\n").length ?? 1) - 1;
    out.push({ spec, line });
  }
  return out;
}

/** Resolve a relative import written with a .js suffix (NodeNext) to the .ts file under src/. */
function resolveSpec(fromFile: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null; // packages and node: builtins are not stages
  const abs = resolve(dirname(fromFile), spec).replace(/\.js$/, ".ts");
  const rel = relative(SRC, abs);
  if (rel.startsWith("..")) return null; // e.g. the generated grammar under dist/
  return rel.split(sep).join("/");
}

function describe(l: Layer): string {
  switch (l.kind) {
    case "stage": return `stage ${l.rank + 1} (${l.name})`;
    case "shared": return "shared";
    case "top": return l.name;
    case "unknown": return "no layer";
  }
}

/** Why `from` may not import `to`, or null when it may. */
function violation(fromRel: string, toRel: string): string | null {
  const from = layerOf(fromRel), to = layerOf(toRel);
  if (toRel === "cli.ts") return "cli.ts is the entry point and is imported by nobody";
  if (from.kind === "top") return null; // driver.ts and cli.ts see every stage
  if (to.kind === "top") return `${toRel} may be imported only by ${[...TOP].join(", ")}`;
  if (from.kind === "shared") {
    return to.kind === "shared" || toRel === "syntax/ast.ts" ? null
      : "diagnostics.ts and messages.ts may import only each other and syntax/ast.ts";
  }
  if (to.kind === "shared") return null;
  if (from.kind === "stage" && to.kind === "stage") {
    return to.rank <= from.rank ? null
      : `${describe(from)} must not import ${describe(to)}: order is ${STAGES.join(" → ")}`;
  }
  return null; // unknown layers are reported separately
}

test("every file under src/ belongs to a layer", () => {
  const stray = walk(SRC).map((f) => relative(SRC, f).split(sep).join("/")).filter((r) => layerOf(r).kind === "unknown");
  assert.equal(stray, [], `not in any layer (add to tests/unit/layering.test.ts or move into a stage folder): ${stray.join(", ")}`);
});

test("no stage imports a later stage", () => {
  const broken: string[] = [];
  for (const file of walk(SRC)) {
    const fromRel = relative(SRC, file).split(sep).join("/");
    for (const { spec, line } of importsOf(readFileSync(file, "utf8"))) {
      const toRel = resolveSpec(file, spec);
      if (toRel === null) continue;
      const why = violation(fromRel, toRel);
      if (why) broken.push(`src/${fromRel}:${line} imports "${spec}" (src/${toRel}): ${why}`);
    }
  }
  if (broken.length) console.error("\nlayering violations:\n  " + broken.join("\n  "));
  assert.equal(broken, [], broken.join("\n"));
});

test("the import scanner sees every import form", () => {
  const src = [
    'import { a } from "./a.js";',
    'import type { B } from "../syntax/ast.js";',
    'export { c } from "./c.js";',
    'export * from "./d.js";',
    'import "./e.js";',
    'const f = await import("./f.js");',
    '// import { no } from "./commented.js";',
    '/* import { no2 } from "./commented2.js"; */',
    'import {',
    '  g,',
    '  h,',
    '} from "./gh.js";',
  ].join("\n");
  assert.equal(importsOf(src).map((i) => i.spec), ["./a.js", "../syntax/ast.js", "./c.js", "./d.js", "./e.js", "./f.js", "./gh.js"]);
});

test("the rules", () => {
  assert.is(violation("check/checker.ts", "syntax/ast.ts"), null);
  assert.is(violation("emit/c.ts", "lower/ir.ts"), null);
  assert.ok(violation("syntax/parse.ts", "check/types.ts"));
  assert.ok(violation("lower/async.ts", "toolchain/cc.ts"));
  assert.is(violation("toolchain/cc.ts", "messages.ts"), null);
  assert.ok(violation("diagnostics.ts", "check/types.ts"));
  assert.is(violation("messages.ts", "diagnostics.ts"), null);
  assert.is(violation("driver.ts", "toolchain/cache.ts"), null);
  assert.ok(violation("check/checker.ts", "driver.ts"));
  assert.ok(violation("driver.ts", "cli.ts"));
  assert.is(violation("cli.ts", "driver.ts"), null);
});

test.run();
