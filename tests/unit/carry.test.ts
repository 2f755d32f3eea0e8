// Which locals an awaiting loop carries (src/memory/carry.ts, docs/memory.md "Loop-carried locals"): the names, for
// small programs. A local carried wrongly could lose a change another holder of its collection would see; one left
// out keeps what the loop stores in it until the task ends (the golden programs tests/programs/loop_carried_*.co
// measure that).

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";
import { walkNested } from "../../src/syntax/nested.js";

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
fn make(v: Vec<string>): Vec<string> { return v }
async fn main() {
  var a: Vec<string> = []
  let view = a
  var b = make(view)
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

test("a struct changed by field; a nested loop and a loop in an `if` carry a local declared outside their block", () => {
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
`), ["12: last", "6: s last", "9: last"]);
});

test("shape 1: declared outside the loop's block — an `if`, an outer loop, a `region` block; a collection named around the inner loop is not", () => {
  assert.equal(carried(`
async fn main() {
  var last = ""
  var batch: Vec<string> = []
  var kept: Vec<string> = []
  var n = 0
  if n == 0 {
    while n < 3 { last = await next(n); n += 1 }
  }
  region {
    while n < 6 { batch.push(await next(n)); n += 1 }
  }
  while n < 20 {
    let view = kept
    while n % 5 != 0 { kept.push(await next(n)); batch.push("b"); n += 1 }
    n += 1
    println(view.len())
  }
  println("{last} {batch.len()} {kept.len()}")
}
`), ["11: batch", "13: batch kept", "15: batch", "8: last"]);
});

test("shape 2: a collection used before the loop only in ways that share nothing, or made by a function returning a new one", () => {
  assert.equal(carried(`
fn makeBatch(): Vec<string> { var b: Vec<string> = []; b.push("first"); return b }
fn keep(v: Vec<string>): Vec<string> { return v }
fn count(v: Vec<string>): int { return v.len() }
struct Box { items: Vec<string> }
async fn run(other: Map<string, string>) {
  var a: Vec<string> = []
  a.push("header")
  let n0 = a.len() + count(a)
  let first = a[0]
  var b = makeBatch()
  var c = other.clone()
  var d = "x,y".split(",")
  var e: Vec<string> = []
  let e2 = keep(e)
  var f: Vec<string> = []
  let bx = Box { items: f }
  for i in 0..3 {
    let s = await next(i)
    a.push(s)
    b.push(s)
    c[s] = s
    d.push(s)
    e.push(s)
    f.push(s)
  }
  println("{n0} {first} {a.len()} {b.len()} {c.len()} {d.len()} {e2.len()} {bx.items.len()}")
}
async fn main() { await run({}) }
`), ["18: a b c d"]);
});

test("shape 3: a mut self method on a collection-holding struct — carried unless it can make two places share a collection", () => {
  // mem16: rotate stores a part of self into self, which the borrow walk copies at the store (rule 3): no sharing.
  // stash hands two of self's collections to a function that pushes one into the other: they would share.
  assert.equal(carried(`
struct Batch { name: string, lines: Vec<string>, old: Vec<string>, all: Vec<Vec<string>> }
impl Batch {
  fn add(mut self, l: string) { self.lines.push(l); self.name = "n{self.lines.len()}"; if self.lines.len() > 9 { self.lines.clear() } }
  fn rotate(mut self) { self.old = self.lines; self.lines = [] }
  fn viaHelper(mut self, l: string) { addTo(self.lines, l) }
  fn stash(mut self) { keep(self.all, self.lines) }
}
fn addTo(v: Vec<string>, l: string) { v.push(l) }
fn keep(all: Vec<Vec<string>>, v: Vec<string>) { all.push(v) }
async fn main() {
  var a = Batch { name: "", lines: [], old: [], all: [] }
  var b = Batch { name: "", lines: [], old: [], all: [] }
  var c = Batch { name: "", lines: [], old: [], all: [] }
  var d = Batch { name: "", lines: [], old: [], all: [] }
  for i in 0..3 {
    a.add(await next(i))
    b.add(await next(i))
    b.rotate()
    c.viaHelper(await next(i))
    d.add(await next(i))
    d.stash()
  }
  println("{a.name} {b.old.len()} {c.lines.len()} {d.all.len()}")
}
`), ["16: a b c"]);
});

test("a mut self method called before the loop: carried only when it shares nothing", () => {
  assert.equal(carried(`
struct Batch { lines: Vec<string>, old: Vec<string>, all: Vec<Vec<string>> }
impl Batch {
  fn add(mut self, l: string) { self.lines.push(l) }
  fn rotate(mut self) { self.old = self.lines }
  fn stash(mut self) { keep(self.all, self.lines) }
}
fn keep(all: Vec<Vec<string>>, v: Vec<string>) { all.push(v) }
async fn main() {
  var a = Batch { lines: [], old: [], all: [] }
  a.add("x")
  var b = Batch { lines: [], old: [], all: [] }
  b.rotate()
  var c = Batch { lines: [], old: [], all: [] }
  c.stash()
  for i in 0..3 { a.add(await next(i)); b.add(await next(i)); c.add(await next(i)) }
  println("{a.lines.len()} {b.old.len()} {c.all.len()}")
}
`), ["16: a b"]);
});

test("mem15: a parameter every caller hands over — fresh, spawned, a local not named after the call, passed on", () => {
  assert.equal(carried(`
async fn consume(q: Vec<string>) { var pending = q; while pending.len() < 5 { pending.push(await next(1)) } }
async fn direct(q: Vec<string>) { while q.len() < 5 { q.push(await next(1)) } }
async fn relay(q: Vec<string>) { await direct(q) }
async fn main() {
  var jobs: Vec<string> = []
  jobs.push("a")
  let n = jobs.len()
  await consume(jobs)
  await relay(["x"])
  spawn direct(Vec())
  println(n)
}
`), ["2: pending", "3: q"]);
});

test("mem15: a function returning its parameter, every caller handing one over, gives a fresh collection", () => {
  assert.equal(carried(`
fn withHeader(v: Vec<string>): Vec<string> { v.push("h"); return v }
fn keepFirst(v: Vec<string>, all: Vec<Vec<string>>): Vec<string> { all.push(v); return v }
async fn main() {
  var a = withHeader([])
  var all: Vec<Vec<string>> = []
  var b = keepFirst(Vec(), all)
  while a.len() < 5 { a.push(await next(1)); b.push("x") }
  println("{all.len()} {b.len()}")
}
`), ["8: a"]);
});

test("mem15: not handed over — read after the call, passed in a loop, used as a value, named twice, a method's receiver path", () => {
  assert.equal(carried(`
async fn a(q: Vec<string>) { while q.len() < 5 { q.push(await next(1)) } }
async fn b(q: Vec<string>) { while q.len() < 5 { q.push(await next(1)) } }
async fn c(q: Vec<string>) { while q.len() < 5 { q.push(await next(1)) } }
async fn d(q: Vec<string>) { var p = q; while p.len() < 5 { p.push(await next(1)) }; println(q.len()) }
async fn e(q: Vec<string>) { while q.len() < 5 { q.push(await next(1)) } }
struct Box { items: Vec<string> }
async fn main() {
  var x: Vec<string> = []
  await a(x)
  println(x.len())
  var y: Vec<string> = []
  for i in 0..2 { await b(y) }
  let f = c
  await f([])
  await d([])
  let bx = Box { items: [] }
  await e(bx.items)
}
`), ["13: y"]); // main's own loop carries y (passed to b); b's q is not (passed again by the next iteration)
});

test("mem15: an inner loop carries what its outer awaiting iteration reads after it, or iterates before it", () => {
  assert.equal(carried(`
fn keep(all: Vec<Vec<string>>, v: Vec<string>) { all.push(v) }
async fn main() {
  var batch: Vec<string> = []
  var m: Map<string, int> = {}
  var kept: Vec<string> = []
  var n = 0
  while n < 20 {
    for s in batch { n += s.len() }
    for k in m.keys() { n += k.len() }
    let view = kept
    while n % 5 != 0 { batch.push(await next(n)); m["k"] = n; kept.push("k"); n += 1 }
    let last = batch
    var all: Vec<Vec<string>> = []
    keep(all, last)
    println(view.len())
  }
  for i in 0..2 {
    while n % 7 != 0 { batch.push(await next(n)); n += 1 }
    let again = batch
    println(again.len())
  }
}
`), ["12: batch m", "8: batch m kept"]); // not the loop in the sync \`for\`: its next pass reads \`again\` first
});

test("mem15: captured — by a closure made inside the loop, or holding no collection; not a collection captured before it", () => {
  assert.equal(carried(`
async fn main() {
  var last = ""
  let label = || last.len()
  var seen: Vec<string> = []
  var kept: Vec<string> = []
  let count = || kept.len()
  var n = 0
  while n < 5 {
    let s = await next(n)
    let k = seen.filter(|x| x != last).len()
    last = s
    seen.push(s)
    kept.push(s)
    n += k - k + 1
  }
  println("{label()} {count()}")
}
`), ["9: last seen"]);
});

/** For each `while` of the body (by line): whether its condition was moved into its body (syntax/loops.ts). */
function movedConditions(body: string): string[] {
  const fe = frontEnd({ entry: "t.co", files: new Map([["t.co", HEAD + body]]), emit: false });
  assert.equal(fe.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  const out: string[] = [];
  for (const f of fe.typed!.fns) {
    if (f.module !== fe.typed!.entry || !f.decl.body) continue;
    walkNested(f.decl.body, { stmt: (s) => { if (s.kind === "While") out.push(`${s.span.line - 3}: ${s.cond.kind === "BoolLit" && s.cond.value ? "moved" : "kept"}`); } });
  }
  return out.sort();
}

test("shape 4: an awaiting loop's condition that may allocate runs in the iteration's region", () => {
  assert.equal(movedConditions(`
fn key(i: int): string { return "k{i}" }
async fn main() {
  var i = 0
  while "item-{i}".len() > 0 && i < 3 { let s = await next(i); i += 1 }
  while key(i) != "k6" { let s = await next(i); i += 1 }
  while i < 9 { let s = await next(i); i += 1 }
  while (await next(i)).len() < 3 { i += 1 }
  while key(i) != "k20" { i += 1 }
}
`), ["5: moved", "6: moved", "7: kept", "8: moved", "9: kept"]);
});


/** The locals whose vec's contents an awaiting loop moves into its carry region (mem16), per loop line. */
function moved(body: string): string[] {
  const fe = frontEnd({ entry: "t.co", files: new Map([["t.co", HEAD + body]]), emit: false });
  assert.equal(fe.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  return [...fe.memory!.moves].map(([s, vs]) => `${s.span.line - 3}: ${vs.map((v) => v.name).join(" ")}`).sort();
}

test("mem16: a vec another holder shares keeps its header and moves its contents — (mem18: a map too) not a vec of vecs, (mem17: one returned from inside or replaced by a fresh vec in the loop moves too)", () => {
  const src = `
async fn consume(q: Vec<string>) { var pending = q; while pending.len() < 5 { pending.push(await next(1)) } }
async fn main() {
  var jobs: Vec<string> = []
  await consume(jobs)
  println(jobs.len())
  var batch: Vec<string> = []
  let view = batch
  var m: Map<string, int> = {}
  let mv = m
  var nested: Vec<Vec<string>> = []
  let nv = nested
  var swapped: Vec<string> = []
  let sv = swapped
  for i in 0..3 {
    batch.push(await next(i))
    m[await next(i)] = i
    nested.push([await next(i)])
    swapped.push(await next(i))
    if swapped.len() > 2 { swapped = [] }
  }
  println("{view.len()} {mv.len()} {nv.len()} {sv.len()}")
  let e = await early(view)
  let l = await late(view)
  println("{e.len()} {l} {view.len()}")
}
async fn early(q: Vec<string>): Vec<string> {
  var p = q
  while true { p.push(await next(1)); if p.len() > 3 { return p } }
}
async fn late(q: Vec<string>): string {
  var p = q
  while true { p.push(await next(1)); if p.len() > 3 { return p[0] } }
}
`;
  assert.equal(moved(src), ["15: batch m swapped", "29: p", "2: pending", "33: p"]);
  // The shapes that move are not carried (their header stays), and those left out are neither.
  assert.equal(carried(src), []);
});
test("mem17: a struct or tuple whose vecs another holder shares moves them — not one whose header slot is assigned by a method or not fresh (mem18: a slot given a fresh vec by the loop, `asg.lines = [..]`, and a map moves)", () => {
  const src = `
struct State { lines: Vec<string>, last: string, n: int }
struct Pair { a: State, tags: (Vec<string>, string) }
struct Seen { names: Map<string, int>, last: string }
impl State {
  fn add(mut self, s: string) { self.lines.push(s); self.last = s; self.n += 1 }
  fn bump(mut self, s: string) { self.add(s) }
  fn reset(mut self) { self.lines = [] }
  fn again(mut self) { self.reset() }
}
async fn main() {
  var b: Vec<string> = []
  var st = State { lines: b, last: "", n: 0 }
  var pr = Pair { a: st, tags: (b, "") }
  var t = (b, 0)
  var re = State { lines: b, last: "", n: 0 }
  var ag = State { lines: b, last: "", n: 0 }
  var asg = State { lines: b, last: "", n: 0 }
  var m: Map<string, int> = {}
  var sn = Seen { names: m, last: "" }
  var rp: Vec<string> = b
  var ro: Vec<string> = b
  var i = 0
  while i < 3 {
    st.bump(await next(i))
    pr.a.lines.push(await next(i))
    pr.tags.1 = await next(i)
    t.0.push(await next(i))
    re.reset()
    ag.again()
    asg.lines = [await next(i)]
    sn.names[await next(i)] = i
    sn.last = await next(i)
    rp = [await next(i)]
    ro = b
    ro.push(await next(i))
    i += 1
  }
  println("{b.len()} {st.n} {pr.tags.1} {t.1} {re.n} {ag.n} {asg.n} {m.len()} {sn.last}")
}
`;
  assert.equal(moved(src), ["24: st pr t asg sn rp"]);
  assert.equal(carried(src), []);
});

test("mem17: a vec (or a struct's) captured by a closure made before the loop moves under its header; a map too (mem18)", () => {
  const src = `
struct W { lines: Vec<string>, last: string }
async fn main() {
  var kept: Vec<string> = []
  let count = || kept.len()
  var w = W { lines: [], last: "" }
  let first = || w.lines.len()
  var m: Map<string, int> = {}
  let size = || m.len()
  var n = 0
  while n < 5 {
    let s = await next(n)
    kept.push(s)
    w.lines.push(s)
    w.last = s
    m[s] = n
    n += 1
  }
  println("{count()} {first()} {size()}")
}
`;
  assert.equal(moved(src), ["11: kept w m"]);
  assert.equal(carried(src), []);
});


test("mem18: a map or set another holder shares moves under its header — not one of collections, one iterated by the loop, one replaced in it", () => {
  const src = `
struct Tally { counts: Map<string, int>, seen: Set<string>, last: string }
async fn consume(seen: Set<string>) { var i = 0; while i < 5 { seen.insert(await next(i)); i += 1 } }
async fn main() {
  var s: Set<string> = Set()
  await consume(s)
  var m: Map<string, string> = Map()
  let mv = m
  var deep: Map<string, Vec<string>> = Map()
  let dv = deep
  var it: Map<string, string> = Map()
  let iv = it
  var re: Map<string, string> = Map()
  let rv = re
  var ta = Tally { counts: Map(), seen: s, last: "" }
  let tv = ta
  var i = 0
  while i < 3 {
    m[await next(i)] = "x"
    deep[await next(i)] = [await next(i)]
    re[await next(i)] = "y"
    if re.len() > 2 { re = Map() }
    ta.counts[await next(i)] = i
    ta.seen.insert(await next(i))
    ta.last = await next(i)
    i += 1
  }
  for (k, v) in it { it[k] = await next(v.len()) }
  println("{s.len()} {mv.len()} {dv.len()} {iv.len()} {rv.len()} {tv.last}")
}
`;
  assert.equal(moved(src), ["18: m ta", "3: seen"]);
  assert.equal(carried(src), []);
});

test("mem18: a struct's or tuple's vec slot given a fresh vec in the loop moves; one given a shared vec does not", () => {
  const src = `
struct State { lines: Vec<string>, last: string }
async fn main() {
  var b: Vec<string> = []
  var fresh = State { lines: b, last: "" }
  var shared = State { lines: b, last: "" }
  var t = (b, 0)
  var i = 0
  while i < 3 {
    fresh.lines.push(await next(i))
    if fresh.lines.len() > 2 { fresh.lines = [] }
    shared.lines.push(await next(i))
    if shared.lines.len() > 2 { shared.lines = b }
    t.0.push(await next(i))
    if t.0.len() > 2 { t.0 = t.0.slice(1, 2) }
    i += 1
  }
  println("{b.len()} {fresh.lines.len()} {shared.lines.len()} {t.0.len()}")
}
`;
  assert.equal(moved(src), ["9: fresh t"]);
  assert.equal(carried(src), []);
});
test.run();
