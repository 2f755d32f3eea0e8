// Tester round 13: diagnostics a new user met. Each fix is applied and the result must compile (and, where a copy
// would have lost a change, the fix must be the global path); tests/errors pins codes and positions.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { one, compiles, code, apply } from "../diag-check.js";

test("E0303 on a `for` variable over a global: the fix is the global path over keys or indices, never a clone", () => {
  const map = `var subs: Map<string, Set<int>> = {}\nfn main() {\n  for (_, s) in subs { s.delete(1) }\n}\n`;
  const d = one(map, "E0303");
  assert.not.ok(d.fix?.includes("clone"), d.fix);
  assert.is(code(d, 0), "for k in subs.keys() { subs[k].delete(1) }");
  compiles(apply(map, "for (_, s) in subs { s.delete(1) }", code(d, 0)));
  const vec = `var v: Vec<Vec<int>> = [[1]]\nfn main() {\n  for x in v { x.push(1) }\n}\n`;
  const e = one(vec, "E0303");
  assert.not.ok(e.fix?.includes("clone"), e.fix);
  assert.is(code(e, 0), "for i in 0..v.len() { v[i].push(1) }");
  compiles(apply(vec, "for x in v { x.push(1) }", code(e, 0)));
  // A `let` alias keeps the copy as a second choice, saying the global does not change.
  const q = one(`var queue: Vec<Vec<int>> = []\nfn main() {\n  let q = queue\n  q.push([1])\n}\n`, "E0303");
  assert.ok(q.fix?.includes("`queue` itself then stays unchanged"), q.fix);
});

test("a type parameter fixed only through another's bound is inferred from the impl; several impls: E0131", () => {
  const pre = `trait Store<T> {\n  fn all(self): Vec<T>\n}\nstruct Mem<T> { items: Vec<T> }\nimpl<T> Store<T> for Mem<T> {\n  fn all(self): Vec<T> { return self.items }\n}\n` +
    `fn count<T, S: Store<T>>(s: S): int { return s.all().len() }\nfn first<T, S: Store<T>>(s: S): T { return s.all()[0] }\n`;
  compiles(`${pre}fn main() {\n  let m = Mem<string> { items: ["a"] }\n  println(count(m))\n  let s: string = first(m)\n  println(s)\n}\n`);
  const two = `${pre}struct Two { n: int }\nimpl Store<int> for Two { fn all(self): Vec<int> { return [self.n] } }\nimpl Store<string> for Two { fn all(self): Vec<string> { return [""] } }\nfn main() {\n  println(count(Two { n: 1 }))\n}\n`;
  const d = one(two, "E0131");
  assert.is(code(d, 3), "count<int, Two>(...)");
  compiles(apply(two, "count(Two", `${code(d, 3).replace("(...)", "")}(Two`));
  const bare = one(`${pre}struct B { n: int }\nfn main() {\n  println(count(B { n: 1 }))\n}\n`, "E0127");
  assert.ok(bare.message.includes("`Store<T>`"), bare.message);
});

test("E0200 for a Result or optional where the value is expected: `?`, unwrap, match — with the real expression", () => {
  const src = `fn parse(s: string): Result<string, string> { return Ok(s) }\nfn g(): Result<int, string> {\n  let s: string = parse("a")\n  return Ok(s.len())\n}\nfn main() {\n  let t: string = parse("b")\n  println(t)\n}\n`;
  const inG = one(src.replace('let t: string = parse("b")', 'let t: string = parse("b").unwrap()'), "E0200");
  const inMain = one(src.replace('let s: string = parse("a")', 'let s: string = parse("a")?'), "E0200");
  const ds = [inG, inMain];
  assert.is(code(inG, 1), 'parse("a")?');
  assert.is(code(inMain, 0), 'parse("b").unwrap()');
  compiles(src.replace('let s: string = parse("a")', `let s: string = ${code(inG, 1)}`).replace('let t: string = parse("b")', `let t: string = ${code(inMain, 0)}`));
  for (const d of ds) assert.not.ok(d.fix?.includes("interpolate"), d.fix);
  const opt = one(`fn find(s: string): int? { return s.len() }\nfn main() {\n  let n: int = find("x")\n  println(n)\n}\n`, "E0200");
  assert.is(code(opt, 0), 'find("x")!');
  const show = one(`fn main() {\n  let n = 3\n  let s: string = n + 1\n  println(s)\n}\n`, "E0200");
  assert.is(code(show, 0), '"{n + 1}"');
});

test("smaller fixes: `p.0` for a tuple, `.repeat(n)`, float division of the operands, E0126's signatures", () => {
  const tup = `fn pair(): (int, string) { return (1, "a") }\nfn main() {\n  let p = pair()\n  println(p[1])\n}\n`;
  compiles(apply(tup, "p[1]", code(one(tup, "E0236"), 0)));
  const rep = `fn main() {\n  let n = 2\n  println("ab" * n)\n}\n`;
  compiles(apply(rep, '"ab" * n', code(one(rep, "E0204"), 0)));
  const div = `fn main() {\n  let n = 5\n  let f: float = n / 2\n  println(f)\n}\n`;
  const d = one(div, "E0200");
  assert.is(code(d, 0), "n as float / 2.0");
  compiles(apply(div, "n / 2", code(d, 0)));
  const tr = `trait Store<T> {\n  fn get(self, id: int): T?\n  fn put(mut self, v: T)\n}\nstruct M { m: Map<int, string> }\nimpl Store<string> for M {\n  fn get(self, id: int): string? { return self.m.get(id) }\n}\nfn main() { }\n`;
  const m = one(tr, "E0126");
  assert.is(code(m, 0), "fn put(mut self, v: string) { ... }");
  compiles(apply(tr, "return self.m.get(id) }\n", `return self.m.get(id) }\n  ${code(m, 0).replace("{ ... }", "{ self.m[1] = v }")}\n`));
});

test("E0150's enum lists a type with two impls of a generic trait once", () => {
  const d = one(`trait Store<T> {\n  fn all(self): Vec<T>\n}\nstruct Two { n: int }\nimpl Store<int> for Two { fn all(self): Vec<int> { return [self.n] } }\nimpl Store<string> for Two { fn all(self): Vec<string> { return [""] } }\nfn need(s: Store<string>) {}\nfn main() { }\n`, "E0150");
  assert.ok(d.fix?.includes("enum AnyStore { Two(Two) }"), d.fix);
});

test.run();
