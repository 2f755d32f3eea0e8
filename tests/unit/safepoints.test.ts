// Which loops are safe points (src/memory/safepoint-callers.ts, docs/memory.md "Safe points"): the lines of the loops
// the region analysis marks, for small programs around sync helpers. A loop marked wrongly frees a value a borrow
// still reads (the escape programs tests/memory/escape/safepoint_*.co show it under ASan); one left out only frees
// at the turn's end.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";

const HEAD = `var names: Vec<string> = ["a"]
var last: Map<string, string> = {}
`;

/** The source lines (after HEAD) of the loops marked as safe points. */
function safeLines(body: string): number[] {
  const fe = frontEnd({ entry: "t.co", files: new Map([["t.co", HEAD + body]]), emit: false });
  assert.equal(fe.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  return [...fe.memory!.safepoints].map((s) => s.span.line - 2).sort((a, b) => a - b);
}

test("a helper called from main where nothing is borrowed", () => {
  assert.equal(safeLines(`
fn ingest(lines: Vec<string>) {
  for l in lines { last[l.split(",")[0]] = l }
}
fn main() { ingest(["a,b"]) }
`), [3]);
});

test("a caller holding a borrow across the call, in scope or in a temporary", () => {
  assert.equal(safeLines(`
fn churn(n: int): string {
  for i in 0..n { names[0] = "x{i}" }
  return "done"
}
fn main() {
  let keep = names[0]
  churn(3)
  println(keep)
}
`), []);
  assert.equal(safeLines(`
fn churn(n: int): string {
  for i in 0..n { names[0] = "x{i}" }
  return "done"
}
fn main() { println(names[0] + churn(3)) }
`), []);
});

test("a borrow that went out of scope before the call does not count", () => {
  assert.equal(safeLines(`
fn churn(n: int) { for i in 0..n { names[0] = "x{i}" } }
fn main() {
  if names.len() > 0 { let k = names[0]; println(k) }
  churn(3)
}
`), [2]);
});

test("a borrowed argument, and a helper called while a parameter holds one", () => {
  assert.equal(safeLines(`
fn churn(s: string, n: int) {
  for i in 0..n { names[0] = "x{i}" }
  println(s)
}
fn main() { churn(names[0], 3) }
`), []);
  assert.equal(safeLines(`
fn churn(n: int) { for i in 0..n { names[0] = "x{i}" } }
fn hold(s: string) { churn(3); println(s) }
fn main() { hold(names[0]) }
`), []);
});

test("a fresh argument passed on down a chain; a borrowed one at a single call spoils it", () => {
  const src = (arg: string) => `
fn inner(s: string, n: int) { for i in 0..n { last[s] = "x{i}" } }
fn middle(s: string) { inner(s, 3) }
fn main() {
  middle(${arg})
  middle("fresh")
}
`;
  assert.equal(safeLines(src(`"k" + "1"`)), [2]);
  assert.equal(safeLines(src(`names[0]`)), []);
});

test("called in a for loop over a global collection", () => {
  assert.equal(safeLines(`
fn churn(n: int) { for i in 0..n { names[0] = "x{i}" } }
fn main() {
  for n in names { churn(3) }
  for i in 0..3 { churn(3) }
}
`), [5]);
});

test("mutual recursion and chains qualify", () => {
  assert.equal(safeLines(`
fn ping(n: int) {
  for i in 0..3 { names[0] = "p{i}" }
  if n > 0 { pong(n - 1) }
}
fn pong(n: int) {
  for i in 0..3 { names[0] = "q{i}" }
  if n > 0 { ping(n - 1) }
}
fn a() { b() }
fn b() { for i in 0..3 { names[0] = "b{i}" } }
fn main() {
  ping(4)
  a()
}
`), [3, 7, 11]);
});

test("function values, closures, tests, global initialisers: callers not known", () => {
  assert.equal(safeLines(`
fn churn(n: int) { for i in 0..n { names[0] = "x{i}" } }
fn apply(f: fn(int)) { f(3) }
fn main() { apply(churn); churn(3) }
`), []);
  assert.equal(safeLines(`
fn churn(n: int) { for i in 0..n { names[0] = "x{i}" } }
fn main() { let run = || churn(3); run(); churn(3) }
`), []);
  assert.equal(safeLines(`
fn churn(n: int): int { for i in 0..n { names[0] = "x{i}" }; return n }
var seed = churn(2)
fn main() { churn(3) }
`), []);
  assert.equal(safeLines(`
fn churn(n: int) { for i in 0..n { names[0] = "x{i}" } }
fn main() { churn(3) }
test "churns" { churn(3) }
`), []);
});

test("methods: a fresh receiver qualifies, a borrowed one and trait impls do not", () => {
  assert.equal(safeLines(`
struct S { name: string }
var stores: Vec<S> = []
impl S {
  fn churn(self) { for i in 0..3 { names[0] = "{self.name}{i}" } }
}
fn main() { let s = S { name: "s" }; s.churn() }
`), [5]);
  assert.equal(safeLines(`
struct S { name: string }
var stores: Vec<S> = [S { name: "s" }]
impl S {
  fn churn(self) { for i in 0..3 { names[0] = "{self.name}{i}" } }
}
fn main() { stores[0].churn() }
`), []);
  assert.equal(safeLines(`
trait Churn { fn churn(self) }
struct S { n: int }
impl Churn for S {
  fn churn(self) { for i in 0..3 { names[0] = "x{i}" } }
}
fn main() {
  let s = S { n: 1 }
  s.churn()
}
`), []);
});

test("a generic helper", () => {
  assert.equal(safeLines(`
fn each<T: Show>(items: Vec<T>) { for x in items { last["k"] = "{x}" } }
fn main() { each([1, 2]); each(["a", "b"]) }
`), [2]);
});

test("a local given a borrow inside the loop (none on entry), also after a nested loop", () => {
  assert.equal(safeLines(`
fn main() {
  var keep = "initial"
  for i in 0..3 {
    if i == 0 { keep = names[0] }
    names[0] = "x{i}"
  }
  var kept = "initial"
  for r in 0..2 {
    for i in 0..3 { names[0] = "y{i}" }
    kept = names[0]
  }
  println(keep + kept)
}
`), []);
});

test("a loop calling only quiet functions gets no check; one that may change a global through a callee does", () => {
  assert.equal(safeLines(`
fn a(i: int, j: int): float { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) as float }
fn count(n: int): Map<string, int> {
  var m: Map<string, int> = {}
  for i in 0..n { m["k{i % 3}"] = i }
  return m
}
fn add(v: Vec<string>, s: string) { v.push(s) }
fn set(k: string) { last[k] = k }
fn main() {
  var sum = 0.0
  for i in 0..3 { for j in 0..3 { sum += a(i, j) } }
  for i in 0..3 { println(count(i).len()) }
  for i in 0..3 { add(names, "x") }
  for i in 0..3 { set("k") }
  println(sum)
}
`), [14, 15]);
});

test("main called by the program is checked as a helper", () => {
  assert.equal(safeLines(`
var depth = 0
fn main() {
  for i in 0..3 { names[0] = "x{i}" }
  if depth == 0 { depth = 1; let keep = names[0]; main(); println(keep) }
}
`), []);
});

test.run();
