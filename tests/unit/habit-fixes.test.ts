// The fixes of the habit diagnostics (E0039–E0045, and the E0033/E0100/E0101
// spellings of other languages): each repeats the programmer's own names.
// tests/errors pins their codes and positions; this pins the fix text.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";
import type { Diagnostic } from "../../src/diagnostics.js";

function first(src: string): Diagnostic {
  const ds = frontEnd({ entry: "t.co", files: new Map([["t.co", src]]), emit: false }).diagnostics;
  assert.ok(ds.length > 0, "no diagnostic");
  return ds[0];
}

const inMain = (body: string) => `fn main() {\n${body}\n}\n`;

function fixOf(src: string, code: string): string {
  const d = first(src);
  assert.is(d.code, code, `${d.code} ${d.message} [${d.fix}]`);
  return d.fix ?? "";
}

test("E0039: the ternary becomes an if expression with the same operands", () => {
  assert.is(fixOf(inMain(`  let n = 2\n  let s = n > 1 ? "many" : "one"`), "E0039"), 'write `if n > 1 { "many" } else { "one" }`: `if` is an expression');
  assert.ok(fixOf(inMain(`  let n = 2\n  println(f(n == 1 ? a : b, 3))`), "E0039").includes("`if n == 1 { a } else { b }`"));
  assert.ok(fixOf(`fn f(c: bool): int {\n  return c ? 1 : 2\n}\n`, "E0039").includes("`if c { 1 } else { 2 }`"));
});

test("E0040: `:=` becomes let, a pair a tuple binding", () => {
  assert.is(fixOf(inMain("  total := a + 1"), "E0040"), "write `let total = a + 1`, or `var total = a + 1` if it is assigned again");
  assert.ok(fixOf(inMain("  q, r := divmod(7, 2)"), "E0040").includes("`let (q, r) = divmod(7, 2)`"));
});

test("E0041: a counting C or Go loop becomes a range; others a while loop", () => {
  assert.ok(fixOf(inMain("  for (let i = 0; i < items.len(); i++) {\n  }"), "E0041").startsWith("write `for i in 0..items.len() {`"));
  assert.ok(fixOf(inMain("  for j := 1; j <= n; j += 1 {\n  }"), "E0041").startsWith("write `for j in 1..=n {`"));
  assert.ok(fixOf(inMain("  for (var k = 10; k > 0; k--) {\n  }"), "E0041").includes("`while k > 0 { ...; k -= 1 }`"));
});

test("E0042: exceptions point to Result, with the caught name and the thrown value", () => {
  assert.ok(fixOf(inMain("  try {\n    f()\n  } catch (problem) {\n  }"), "E0042").includes("Err(problem) =>"));
  assert.ok(fixOf(inMain('  throw new Error("bad input")'), "E0042").includes('`return Err("bad input")`'));
  assert.ok(fixOf(inMain("  raise ValueError(msg)"), "E0042").includes("`return Err(msg)`"));
});

test("E0043, E0044: arrow functions and `::` paths", () => {
  assert.is(fixOf(inMain("  let v = xs.filter((u, i) => u.age > 18)"), "E0043"), "write `|u, i| u.age > 18`");
  assert.is(fixOf(inMain("  let v = xs.map(s => { return s })"), "E0043"), "write `|s| { ... }`");
  assert.is(fixOf(inMain("  let m: Map<string, int> = HashMap::new()"), "E0044"), "write `Map()` or `{}`");
  assert.is(fixOf(inMain("  let s = Shape::Circle(1.0)"), "E0044"), "write `Shape.Circle`");
});

test("E0045: Go and JavaScript loop forms", () => {
  assert.is(fixOf(inMain("  for (const user of users) {\n  }"), "E0045"), "write `for user in users {`");
  assert.is(fixOf(inMain("  for i, u := range users {\n  }"), "E0045"), "write `for (i, u) in users.enumerate() {` over a Vec, or `for (i, u) in users {` over a Map");
  assert.is(fixOf(inMain("  for {\n    break\n  }"), "E0045"), "write `while true {`");
  assert.is(fixOf(inMain("  for n.len() > 0 {\n  }"), "E0045"), "write `while n.len() > 0 {`");
});

test("E0041, E0045: a loop whose body is on the same line", () => {
  assert.ok(fixOf(inMain("  for (let i = 0; i < 3; i++) { println(i) }"), "E0041").startsWith("write `for i in 0..3 {`"));
  assert.ok(fixOf(inMain("  for i := 0; i < 3; i++ { println(i) }"), "E0041").startsWith("write `for i in 0..3 {`"));
  assert.is(fixOf(inMain("  for { break }"), "E0045"), "write `while true {`");
  assert.is(fixOf(inMain("  for x of xs { println(x) }"), "E0045"), "write `for x in xs {`");
  assert.is(fixOf(inMain("  for (const x of xs) { println(x) }"), "E0045"), "write `for x in xs {`");
  assert.is(fixOf(inMain("  for _, x := range xs { println(x) }"), "E0045"), "write `for x in xs {`");
  assert.is(fixOf(inMain("  for n > 0 { n -= 1 }"), "E0045"), "write `while n > 0 {`");
});

test("pattern names: other languages' none/true, unknown upper-case names, constants", () => {
  assert.is(fixOf(inMain("  match false { True => 1, _ => 2 }"), "E0100"), "write the pattern `true`");
  assert.is(fixOf(inMain("  let o: int? = 5\n  match o { None => 1, Some(v) => v }"), "E0100"), "write the pattern `none`");
  assert.ok(fixOf(inMain("  let None = 1"), "E0100").includes("give it a lower-case name"));
  assert.is(fixOf(`enum C { Red, Green }\n${inMain("  match C.Red { Red => 1, Gren => 2 }")}`, "E0129"),
    "did you mean `Green`? To bind the value to a new name, write it in lower case: `gren`");
  assert.is(fixOf(inMain("  match 3 { 1 => 1, Other => 2 }"), "E0231"), "to bind the value to a new name, write it in lower case: `other`");
  assert.is(fixOf(`const LIMIT = 10\n${inMain('  match 3 { LIMIT => "at", _ => "other" }')}`, "E0246"), "compare in a guard: `x if x == LIMIT =>`");
  assert.is(fixOf(`enum S { Circle(float), Empty }\n${inMain("  match S.Empty { Circle => 1, _ => 2 }")}`, "E0232"), "write `Circle(_)`");
});

test("E0047–E0049, E0033, E0101, E0045: TypeScript and Rust type, parameter and literal spellings", () => {
  assert.is(fixOf("fn f(x?: int) {}\nfn main() {}\n", "E0048"), "write `x: int?`: a value that may be absent has an optional type, and the caller passes `none` for it");
  assert.is(fixOf("fn f(x: string | null) {}\nfn main() {}\n", "E0047"), "write `string?`: an optional type, whose absent value is `none`");
  assert.ok(fixOf("fn f(x: string | int) {}\nfn main() {}\n", "E0047").includes("`enum Value { String(string), Int(int) }`"));
  assert.is(fixOf("fn f(xs: int[]) {}\nfn main() {}\n", "E0101"), "write `Vec<int>`; `[1, 2]` is a Vec literal");
  assert.ok(fixOf(inMain("  let g: string[][] = []"), "E0101").startsWith("write `Vec<Vec<string>>`"));
  assert.is(fixOf("fn f<T extends Show>(x: T) {}\nfn main() {}\n", "E0033"), "write `<T: Show>` (several bounds are joined with `+`)");
  // tester round 11: `type X = ...` is an alias, which Colang does not have (the fix used to suggest a struct)
  assert.is(fixOf("type Handler = async fn(int): string\nfn main() {}\n", "E0033"), "remove the declaration and write the type itself where `Handler` is used, e.g. `fn f(x: async fn(int): string)`");
  assert.ok(first("type Id = int;\nfn main() {}\n").message.includes("Colang has no type aliases"));
  assert.ok(fixOf("type Point struct {\n  x int\n}\nfn main() {}\n", "E0033").startsWith("write `struct Point { field: type }`"));
  assert.is(fixOf(inMain("  let v: Vec<int> = vec![1, 2, 3]"), "E0049"), "write `[1, 2, 3]`: a Vec literal");
  assert.ok(fixOf(inMain("  let v = vec![1]"), "E0100").includes("`[1, 2, 3]`"));
  assert.is(fixOf(inMain("  for i, item in items {\n  }"), "E0045"), "write `for (i, item) in items.enumerate() {` over a Vec, or `for (i, item) in items {` over a Map");
});

test("E0046: `typeof` and `instanceof` point to an enum and match", () => {
  assert.ok(fixOf(inMain("  let x = 1\n  println(typeof x)"), "E0046").includes("declare an `enum`"));
  assert.ok(fixOf(inMain("  let x = 1\n  if x instanceof Number {\n  }"), "E0046").includes("`match`"));
});

test("E0100 and E0101: other languages' names of Colang's functions and types", () => {
  assert.is(fixOf(inMain("  let xs = [1]\n  println(len(xs))"), "E0100"), "write `x.len()` (strings, Vec, Map and Set)");
  assert.ok(fixOf(`struct B { n: int }\nimpl B {\n  fn get(self): int { return this.n }\n}\nfn main() {}\n`, "E0100").startsWith("write `self`"));
  assert.is(fixOf(`fn f(x: number) {}\nfn main() {}\n`, "E0101"), "write `int`; `float` for a fractional number");
  assert.ok(fixOf(`fn f(x: Option<int>) {}\nfn main() {}\n`, "E0101").startsWith("write `T?`"));
});

test("E0233: `x?.field` outside an optional-returning function is explained as optional chaining", () => {
  const d = first(`struct U { name: string }\nfn main() {\n  let m: Map<int, U> = {}\n  let u = m.get(1)\n  println(u?.name ?? "-")\n}\n`);
  assert.is(d.code, "E0233");
  assert.ok(d.message.includes("not optional chaining"), d.message);
  assert.is(d.fix, "write `u.map(|v| v.name) ?? default`, or `if let v = u { ... }`");
});

test("E0107: other languages' method names suggest Colang's; `Math` and `new Map()`", () => {
  assert.is(fixOf(inMain('  println("abc".substring(1, 2))'), "E0107"), "did you mean `slice`?");
  assert.is(fixOf(inMain('  println("abc".toUpperCase())'), "E0107"), "did you mean `toUpper`?");
  assert.is(fixOf(inMain("  println([1].includes(1))"), "E0107"), "did you mean `contains`?");
  assert.is(fixOf(inMain("  var s = Set<int>()\n  s.add(1)"), "E0107"), "did you mean `insert`?");
  assert.is(fixOf(inMain("  var m: Map<string, int> = {}\n  m.put(\"a\", 1)"), "E0107"), "did you mean `set`?");
  assert.ok(fixOf(inMain("  println(Math.max(1, 2))"), "E0100").startsWith("write `math.max(a, b)`"));
  // tester round 11: the JavaScript spellings of json.encode and Map.keys
  assert.ok(fixOf(inMain("  let m: Map<string, int> = {}\n  println(JSON.stringify(m))"), "E0100").startsWith("write `json.encode(v)` for `JSON.stringify(v)`"));
  assert.ok(fixOf(inMain("  let m: Map<string, int> = {}\n  println(Object.keys(m))"), "E0100").startsWith("write `m.keys()` for `Object.keys(m)`"));
  assert.ok(fixOf(inMain("  let m = new Map()"), "E0033").startsWith("write `{}` or `Map()`"));
});

test("a ternary-looking `?` that is Colang's error propagation is not E0039", () => {
  const ds = frontEnd({ entry: "t.co", files: new Map([["t.co", `fn f(): Result<int, string> { return Ok(1) }\nfn g(): Result<int, string> {\n  let x = f()?\n  return Ok(x)\n}\nfn main() {}\n`]]), emit: false }).diagnostics;
  assert.is(ds.length, 0, ds.map((d) => d.code).join(","));
});

test.run();
