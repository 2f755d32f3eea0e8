// The fixes of E0272 (an impl's method against its trait's declaration) and of
// the built-in trait diagnostics (E0127, E0124, E0217): each must be code that
// compiles where the programmer writes it. tests/errors pins codes and
// positions; this pins the texts (order_fix_forms.co runs the Ord ones).

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";
import type { Diagnostic } from "../../src/diagnostics.js";

function diags(src: string, more: [string, string][] = []): Diagnostic[] {
  return frontEnd({ entry: "t.co", files: new Map([["t.co", src], ...more]), emit: false }).diagnostics;
}

function all(src: string, code: string, more: [string, string][] = []): Diagnostic[] {
  const ds = diags(src, more);
  const hits = ds.filter((d) => d.code === code);
  assert.ok(hits.length > 0, `no ${code} in:\n${ds.map((d) => `${d.code} ${d.message} [${d.fix}]`).join("\n")}`);
  return hits;
}

const one = (src: string, code: string, more: [string, string][] = []) => {
  const hits = all(src, code, more);
  assert.is(hits.length, 1, hits.map((d) => d.message).join("\n"));
  return hits[0];
};

test("E0272: the fix is the trait's signature; the notes show both signatures", () => {
  const d = one(`trait Area { fn area(self): float }\nstruct Sq {}\nimpl Area for Sq { fn area(self): string { return "big" } }\nfn main() {}\n`, "E0272");
  assert.is(d.fix, "write `fn area(self): float`");
  assert.ok(d.message.includes("`Area`") && d.message.includes("returns `float`") && d.message.includes("returns `string`"), d.message);
  assert.is(d.notes[0].message, "trait `Area` declares `fn area(self): float`");
  assert.is(d.notes[0].span?.line, 1);
  assert.is(d.notes[1].message, "this implementation has `fn area(self): string`");
  assert.equal([d.span.line, d.span.col], [3, 35]);
});

test("E0272: the fix keeps the impl's parameter names, and swapped ones get the trait's order", () => {
  const src = `trait Greet { fn greet(self, name: string): string }\ntrait Pair { fn pair(self, a: int, b: string) }\nstruct P {}\n` +
    `impl Greet for P { fn greet(self, n: int, extra: bool): string { return "" } }\nimpl Pair for P { fn pair(self, b: string, a: int) { } }\nfn main() {}\n`;
  const [greet, pair] = all(src, "E0272");
  assert.is(greet.fix, "write `fn greet(self, n: string): string`");
  assert.is(pair.fix, "write `fn pair(self, a: int, b: string)`");
});

test("E0272: the receiver must be the trait's, both ways", () => {
  const src = `trait Bump { fn bump(mut self) }\ntrait Peek { fn peek(self): int }\nstruct C { n: int }\n` +
    `impl Bump for C { fn bump(self) { } }\nimpl Peek for C { fn peek(mut self): int { return 1 } }\nfn main() {}\n`;
  const [bump, peek] = all(src, "E0272");
  assert.is(bump.fix, "write `fn bump(mut self)`");
  assert.ok(bump.message.includes("takes `mut self`, this one takes `self`"), bump.message);
  assert.is(peek.fix, "write `fn peek(self): int`");
});

test("E0272: only types matter; parameter names may differ", () => {
  assert.is(diags(`trait G { fn g(self, name: string): int }\nstruct P {}\nimpl G for P { fn g(self, who: string): int { return 1 } }\nfn main() {}\n`).length, 0);
});

test("E0272: a trait from another module is spelled as this module names its types", () => {
  const lib = `pub struct Pt { pub x: int }\npub trait Move { fn shift(self, p: Pt): Pt? }\n`;
  const d = one(`import ./lib as m\nstruct Car { at: int }\nimpl m.Move for Car { fn shift(self, to: m.Pt): m.Pt { return to } }\nfn main() {}\n`, "E0272", [["lib.co", lib]]);
  assert.is(d.fix, "write `fn shift(self, to: m.Pt): m.Pt?`");
});

test("E0127 for Ord on a struct: no `impl Ord` (that is E0124); a field key instead", () => {
  const src = `struct P { x: int }\nfn biggest<T: Ord>(v: Vec<T>): T? { return v.max() }\nfn main() {\n  let b = biggest([P { x: 2 }])\n}\n`;
  const d = one(src, "E0127");
  assert.not.ok(d.fix?.includes("impl Ord"), d.fix);
  assert.ok(d.fix?.includes("`.map(|p| p.x)`") && d.fix?.includes("`maxBy(|p| p.x)`"), d.fix);
  const param = one(`fn biggest<T: Ord>(v: Vec<T>): T? { return v.max() }\nfn g<T>(x: T): T? { return biggest([x]) }\nfn main() {}\n`, "E0127");
  assert.is(param.fix, "bound the type parameter: `<T: Ord>`");
});

test("E0124 for Ord says structs have no order, and how to order them", () => {
  const d = one(`struct P { x: int }\nimpl Ord for P { }\nfn main() {}\n`, "E0124");
  assert.not.ok(d.message.includes("derived"), d.message);
  assert.is(d.fix, "order `P` values by a field: compare `a.x < b.x`, sort with `sortBy(|a, b| a.x - b.x)`, pick with `maxBy(|p| p.x)`");
  const show = one(`struct P { x: int }\nimpl Show for P { }\nfn main() {}\n`, "E0124");
  assert.ok(show.fix?.includes("`impl P { fn toString(self): string { ... } }`"), show.fix);
});

test("E0217 on sort, max and `<` of structs: a comparator, a key or a comparison on a field", () => {
  const src = `struct P { x: int }\nstruct N { name: string }\nfn main() {\n  var v = [P { x: 2 }]\n  v.sort()\n  let m = [N { name: "a" }].max()\n}\n`;
  const [sort, max] = all(src, "E0217");
  assert.ok(sort.fix?.endsWith("`sortBy(|a, b| a.x - b.x)`"), sort.fix);
  assert.ok(max.fix?.endsWith("`maxBy(|n| n.name)`"), max.fix);
  const lt = one(`struct P { x: int }\nfn main() {\n  let a = P { x: 1 }\n  println(a < a)\n}\n`, "E0217");
  assert.is(lt.fix, "only numbers and strings have an order; compare a field that has one, e.g. `a.x < b.x`");
});

test("E0127 for Eq and Hash names the part that lacks it, not an impl", () => {
  const d = one(`struct H { f: float }\nfn key<T: Hash>(a: T): int { return 1 }\nfn main() {\n  let k = key(H { f: 1.0 })\n}\n`, "E0127");
  assert.ok(d.message.includes("field `f` (`float`)"), d.message);
  assert.not.ok(d.fix?.includes("impl "), d.fix);
});

test.run();
