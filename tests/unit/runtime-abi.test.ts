// The runtime-ABI table (src/emit/runtime-abi.ts) against the runtime's
// headers: every entry must compile with exactly its C type, every runtime
// symbol the emitter writes must be in the table, and every `extern fn` of
// std/ must have its C symbol declared.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME_ABI, GENERATED_PREFIXES, type AbiEntry } from "../../src/emit/runtime-abi.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const INCLUDE = join(ROOT, "cruntime/include");

/** A declaration that only compiles when the header declares `e` with exactly this type. */
function probe(e: AbiEntry, i: number): string {
  switch (e.kind) {
    case "fn": {
      const params = e.params.length === 1 && e.params[0] === "void" ? "void" : e.params.join(", ");
      return `${e.ret} (*p${i})(${params}) = ${e.name};`;
    }
    case "var": return `${e.type} *p${i} = &${e.name};`;
    case "type": return `${e.name} *p${i} = 0;`; // may be opaque (co_task)
    case "macro": return `#ifndef ${e.name}\n#error "${e.name} is not defined"\n#endif`;
  }
}

test("every table entry is declared by the headers with exactly its C type", async () => {
  const dir = mkdtempSync(join(tmpdir(), "coc-abi-"));
  try {
    const src = ['#include "colang.h"', "#include <math.h>", ...RUNTIME_ABI.map((e, i) => probe(e, i).replace(/^(?!#)/, "static "))].join("\n");
    const file = join(dir, "abi.c");
    writeFileSync(file, src + "\nint main(void) { return 0; }\n");
    // -Wno-unused-variable: the probes are never read; a type mismatch is an error of its own (-Werror).
    const r = await execa("gcc", ["-std=c11", "-fsyntax-only", "-Wall", "-Werror", "-Wno-unused-variable", `-I${INCLUDE}`, file], { reject: false });
    assert.is(r.exitCode, 0, `the headers disagree with src/emit/runtime-abi.ts:\n${r.stderr.split("\n").slice(0, 30).join("\n")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the emitter and the lowering write no runtime symbol that is missing from the table", () => {
  const known = new Set(RUNTIME_ABI.map((e) => e.name));
  const missing = new Set<string>();
  const dirs = ["src/emit", "src/lower", "src/lower/derive"].map((d) => join(ROOT, d));
  for (const f of dirs.flatMap((d) => readdirSync(d).filter((x) => x.endsWith(".ts") && x !== "runtime-abi.ts").map((x) => join(d, x)))) {
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(/\b(co_[a-z0-9_]+|CO_[A-Z0-9_]+)(\$\{)?/g)) {
      const name = m[1];
      if (GENERATED_PREFIXES.some((p) => name.startsWith(p))) continue;
      // A name built from a template (`co_add_${n}`) is a family: some entry must start with it.
      if (m[2] ? ![...known].some((k) => k.startsWith(name)) : !known.has(name)) missing.add(`${f.slice(ROOT.length + 1)}: ${name}${m[2] ? "…" : ""}`);
    }
  }
  assert.equal([...missing], [], "add these to src/emit/runtime-abi.ts (or they do not exist in the runtime)");
});

test("every extern fn of std/ has its C symbol declared in the headers", () => {
  const headers = readdirSync(INCLUDE).map((h) => readFileSync(join(INCLUDE, h), "utf8")).join("\n");
  const stdDir = join(ROOT, "std");
  const missing: string[] = [];
  for (const f of readdirSync(stdDir).filter((x) => x.endsWith(".co"))) {
    const mod = f.replace(/\.co$/, "");
    const text = readFileSync(join(stdDir, f), "utf8");
    for (const m of text.matchAll(/(async\s+)?extern\s+fn\s+(\w+)(<)?/g)) {
      if (m[3]) continue; // a generic extern is a compiler intrinsic (json.encode, json.decode), not a C symbol
      const base = `co_std_${mod}_${m[2].replace(/^_+/, "")}`;
      const names = m[1] ? [`${base}_new`, `${base}_poll`, `${base}_fut`] : [base];
      for (const n of names) if (!new RegExp(`\\b${n}\\b`).test(headers)) missing.push(`${f}: ${n}`);
    }
  }
  assert.equal(missing, []);
});

test.run();
