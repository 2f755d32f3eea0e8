// Which locals an awaiting loop carries (src/memory/carry.ts, docs/memory.md "Loop-carried locals"): the names, for
// small programs. A local carried wrongly could lose a change another holder of its collection would see; one left
// out keeps what the loop stores in it until the task ends (the golden programs tests/programs/loop_carried_*.co
// measure that).

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";

const HEAD = `import std/time
async fn next(i: int): string { await time.sleep(0); return "s{i}" }
fn fill(v: Vec<string>) { v.push("x") }
`;

/** The carried locals' names, per loop (by the loop's line in the body, its first line 1). */
function carried(body: string): string[] {
  const fe = frontEnd({ entry: "t.co", files: new Map([["t.co", HEAD + body]]), emit: false });
  assert.equal(fe.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  return [...fe.memory!.carries].map(([s, vs]) => `${s.span.line - 3}: ${vs.map((v) => v.name).join(" ")}`).sort();
}

test("the three shapes of issue 9 item 4", () => {
  assert.equal(carried(`
async fn main() {
  var batch: Vec<string> = []
  var last = ""
  var seen: Map<string, int> = {}
  var n = 0
  while n < 10 {
    last = await next(n)
    batch.push(last)
    seen[last] = (seen.get(last) ?? 0) + 1
    if batch.len() > 3 { batch.clear() }
    n += 1
  }
  println("{batch.len()} {last} {seen.len()}")
}
`), ["7: batch last seen"]);
});

test("only read or only numbers: not carried; a collection passed to a function: carried", () => {
  assert.equal(carried(`
async fn main() {
  let name = "a"
  var n = 0
  var batch: Vec<string> = []
  for i in 0..3 {
    let s = await next(i) + name
    n += s.len()
    fill(batch)
  }
  println("{n} {batch.len()}")
}
`), ["6: batch"]);
});

test("a collection another holder may share: named before the loop, not a literal, captured, iterated", () => {
  assert.equal(carried(`
fn make(): Vec<string> { return [] }
async fn main() {
  var a: Vec<string> = []
  let view = a
  var b = make()
  var c: Vec<string> = []
  let f = || c.len()
  var d: Vec<string> = ["x"]
  var e = "e"
  let g = e
  for x in d {
    let s = await next(1)
    a.push(s)
    b.push(s)
    c.push(s)
    d.push(s)
    e = s + x
  }
  println("{view.len()} {b.len()} {f()} {d.len()} {e} {g}")
}
`), ["12: e"]);
});

test("a struct changed by field, a nested loop's stores, a loop in another block", () => {
  assert.equal(carried(`
struct S { name: string, tags: Vec<string> }
async fn main() {
  var s = S { name: "", tags: [] }
  var last = ""
  while s.tags.len() < 3 {
    s.name = await next(1)
    s.tags.push(s.name)
    for i in 0..2 { last = await next(i) }
  }
  if true {
    while last.len() < 10 { last = last + await next(2) }
  }
  println("{s.name} {last}")
}
`), ["6: s last"]);
});

test.run();
