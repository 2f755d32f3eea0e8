// The checker keeps no state between checks (issue 8 item 4): checking the
// same program twice in one process, with other programs checked in between,
// gives the same diagnostics (with their fixes) and the same types. Each
// program is loaded once and that one syntax tree is checked every time, so
// state keyed by the tree (the notes habits.ts keeps for later fixes) would
// show here as well as counters (the fresh type variables of helpers.ts).

import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readFromDisk, STD_DIR } from "../../src/driver.js";
import { loadProgram } from "../../src/syntax/modules.js";
import type { LoadedProgram } from "../../src/syntax/modules.js";
import { check } from "../../src/check/checker.js";
import { showType, type Type, type TypedProgram } from "../../src/check/types.js";
import type { Diagnostic } from "../../src/diagnostics.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const ERRORS = join(ROOT, "tests/errors");

const load = (entry: string, files?: Map<string, string>): LoadedProgram =>
  loadProgram(entry, files ? (f) => ({ path: f, text: files.get(f) ?? null }) : (f) => readFromDisk(f), STD_DIR).value;

const fmt = (ds: Diagnostic[]): string =>
  ds.map((d) => `${d.severity} ${d.code} ${d.span.file}:${d.span.line}:${d.span.col} ${d.message}${d.fix ? ` [fix: ${d.fix}]` : ""}`).join("\n");

/** Every type parameter's id in t, which showType leaves out (a fresh variable's id would differ between checks). */
function ids(t: Type, out: number[], seen = new Set<object>()): number[] {
  if (seen.has(t)) return out;
  seen.add(t);
  if (t.k === "param") out.push(t.p.id);
  for (const v of Object.values(t)) {
    if (Array.isArray(v)) for (const x of v) { if (x && typeof x === "object" && "k" in x) ids(x as Type, out, seen); }
    else if (v && typeof v === "object" && "k" in v) ids(v as Type, out, seen);
  }
  return out;
}

/** What one check gave: its diagnostics, and each expression's type (with parameter ids) in tree order. */
function outcome(p: LoadedProgram): string {
  const r = check(p, { requireMain: true });
  const typed: TypedProgram = r.value;
  const types = [...typed.exprTypes.values()].map((t) => `${showType(t)}${ids(t, []).map((i) => ` #${i}`).join("")}`);
  return `${fmt(r.diagnostics)}\n--\n${types.join("\n")}`;
}

test("a program checked twice, with another checked between, gives the same result", () => {
  const src = `fn main() {
  let o: int? = 3
  let m = o.map(|x| x + 1)
  let v = [1, 2, 3]
  let s = v.fold(0, |a, x| a + x)
  let r = o.okOr("none")
  let w = v.map(|x| x * 2)
  println("\${m.unwrapOr(0)} \${s} \${r.isOk()} \${w.len()}")
}
`;
  const other = `fn main() {
  let v = ["a"]
  v.forEach(|u| println(u))
  let o: string? = none
  println(o.map(|x| x.len()).unwrapOr(0))
}
`;
  const a = load("a.co", new Map([["a.co", src]]));
  const b = load("b.co", new Map([["b.co", other]]));
  const first = outcome(a);
  const otherFirst = outcome(b);
  assert.is(outcome(a), first);
  assert.is(outcome(b), otherFirst);
  assert.ok(otherFirst.includes("E0"), "the other program has a diagnostic whose fix habits.ts gives");
});

test("every error program checked twice in one process gives the same diagnostics and types", () => {
  const files = readdirSync(ERRORS).filter((f) => f.endsWith(".co")).sort();
  assert.ok(files.length > 300, `error programs found: ${files.length}`);
  const programs = files.map((f) => load(join(ERRORS, f)));
  const first = programs.map(outcome);
  // The second round in the reverse order, so each program follows different ones than the first time.
  for (let i = programs.length - 1; i >= 0; i--) assert.is(outcome(programs[i]), first[i], files[i]);
});

test.run();
