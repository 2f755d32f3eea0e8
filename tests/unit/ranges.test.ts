// Range analysis of for loops (src/emit/ranges.ts): which checks inside a loop
// body are proven unable to fail, and under which guards. Each test checks a
// small program and plans its first range loop in `f`.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";
import type { Expr, Stmt } from "../../src/syntax/ast.js";
import type { TypedProgram } from "../../src/check/types.js";
import { guardsC, intRange, planLoop, type Atom, type LoopPlan, type RangeInput } from "../../src/lower/ranges.js";

function typed(src: string): TypedProgram {
  const r = frontEnd({ entry: "t.co", files: new Map([["t.co", src + "\nfn main() {}\n"]]), emit: false });
  if (r.diagnostics.length || !r.typed) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`).join("\n"));
  return r.typed;
}

function input(p: TypedProgram): RangeInput {
  return { typeOf: (e) => p.exprTypes.get(e), refs: p.refs, calls: p.calls, patLocals: p.patLocals, stmtLocals: p.stmtLocals };
}

/** The plan of the first `for` statement of fn f, with its guards as C (atoms by name) and the proven nodes as source text. */
function plan(src: string): { plan: LoopPlan | null; guards: string; proven: string[] } {
  const p = typed(src);
  const f = p.fns.find((x) => x.name === "f")!;
  const loop = f.decl.body!.stmts.find((s) => s.kind === "For") as Extract<Stmt, { kind: "For" }>;
  const pl = planLoop(loop, input(p));
  const name = (a: Atom) => a.kind === "var" ? a.v.name : a.kind === "len" ? `len(${a.v.name})` : a.kind === "lit" ? String(a.n) : a.kind;
  const text = (e: Expr) => src.slice(e.span.start, e.span.end);
  return {
    plan: pl,
    guards: pl ? guardsC(pl.guards, name).replace(/INT64_C\((-?\d+)\)/g, "$1").replace(/len\((\w+)\)->len/g, "len($1)") : "",
    proven: pl ? [...pl.unchecked].map(text).sort() : [],
  };
}

test("int ranges of the integer types", () => {
  assert.equal(intRange("i8"), [-128n, 127n]);
  assert.equal(intRange("u16"), [0n, 65535n]);
  assert.equal(intRange("i64"), [-(1n << 63n), (1n << 63n) - 1n]);
});

test("v[i] over 0..v.len() needs no guard when v is not resized", () => {
  const r = plan(`fn f(v: Vec<int>): int {
  var s = 0
  for i in 0..v.len() { s += v[i] }
  return s
}`);
  assert.ok(r.plan);
  assert.equal(r.plan!.guards.length, 0);
  assert.equal(r.proven, ["v[i]"]);
});

test("v[i + 1] over 0..v.len() is not proven (it fails at the last iteration)", () => {
  const r = plan(`fn f(v: Vec<int>): int {
  var s = 0
  for i in 0..v.len() { s += v[i + 1] }
  return s
}`);
  assert.ok(!r.proven.includes("v[i + 1]"));
});

test("v[i + 1] over 0..n: one length guard before the loop", () => {
  const r = plan(`fn f(v: Vec<int>, n: int): int {
  var s = 0
  for i in 0..n { s += v[i + 1] }
  return s
}`);
  assert.equal(r.proven, ["i + 1", "v[i + 1]"]);
  assert.match(r.guards, "n <= len(v) - 1");
});

test("a vec resized in the body (directly or in a callee) keeps its bounds checks", () => {
  const direct = plan(`fn f(v: Vec<int>) {
  for i in 0..v.len() { v[i] = 1; v.pop() }
}`);
  assert.equal(direct.proven, []);
  const callee = plan(`fn g(w: Vec<int>) { w.push(1) }
fn f(v: Vec<int>) {
  for i in 0..v.len() { v[i] = 1; g(v) }
}`);
  assert.equal(callee.proven, []);
});

test("i * n + j in nested loops: range guards on the invariant n", () => {
  const r = plan(`fn f(v: Vec<int>, n: int): int {
  var s = 0
  for i in 0..n {
    for j in 0..n { s += v[j] * (i * n + j) }
  }
  return s
}`);
  assert.ok(r.proven.includes("i * n"));
  assert.ok(r.proven.includes("i * n + j"));
  assert.ok(r.proven.includes("v[j]"));
  assert.ok(!r.proven.includes("v[j] * (i * n + j)"));
  assert.match(r.guards, /n >= -\d+ && n <= \d+/);
  assert.match(r.guards, "n <= len(v)");
});

test("literal bounds prove arithmetic without guards; overflow near the type's limit is not proven", () => {
  const r = plan(`fn f() {
  for i in 0..100 { println(i * i + 1) }
}`);
  assert.equal(r.plan!.guards.length, 0);
  assert.equal(r.proven, ["i * i", "i * i + 1"]);
  const small = plan(`fn f() {
  for i in 0..200 {
    let x = i as u8
    println(x + 100)
  }
}`);
  assert.equal(small.proven, []);
});

test("division: a divisor range containing zero is not proven", () => {
  assert.equal(plan(`fn f() {
  for i in -2..3 { println(100 / i) }
}`).proven, []);
  assert.equal(plan(`fn f() {
  for i in 1..3 { println(100 / i - i % 2) }
}`).proven, ["100 / i", "100 / i - i % 2", "i % 2"]);
});

test("a const global is 0 or its value (a global initialiser may read it before it is set)", () => {
  const r = plan(`const M = 7
fn f() {
  for i in 0..10 { println(i % M + (i + M)) }
}`);
  assert.ok(!r.proven.includes("i % M"));
  assert.ok(r.proven.includes("i + M"));
});

test("a variable assigned in the body has no range", () => {
  const r = plan(`fn f(n: int) {
  var k = 1
  for i in 0..n { k = k * 2; println(k + i) }
}`);
  assert.ok(!r.proven.includes("k + i"));
  assert.ok(!r.proven.includes("k * 2"));
});

test("a call goes to the unchecked copy when its arguments' ranges prove the callee", () => {
  const r = plan(`fn tri(i: int, j: int): int { return (i + j) * (i + j + 1) / 2 + i + 1 }
fn f(n: int): int {
  var s = 0
  for i in 0..n {
    for j in 0..n { s += tri(i, j) }
  }
  return s
}`);
  assert.ok(r.proven.includes("tri(i, j)"));
  // (i + j)^2 must fit int64: the bound chosen is at most 2^30.
  assert.ok(r.plan!.bound <= 1n << 30n);
});

test("loops with closures or awaits are not duplicated when they need guards", () => {
  const r = plan(`fn f(v: Vec<int>, n: int) {
  for i in 0..n {
    let g = |x: int| x + 1
    println(g(v[i]))
  }
}`);
  assert.equal(r.plan, null);
});

test.run();
