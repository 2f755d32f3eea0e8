// Stop 28: diagnostics whose fix did not compile or pointed the wrong way (tester round 10). Each fix is applied
// and the result must compile; tests/errors pins codes and positions.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { show, one, compiles, code, apply } from "../diag-check.js";

test("`println(1, 2)` (E0201): println takes 0 or 1 arguments", () => {
  const d = one(`fn main() {\n  println(1, 2)\n}\n`, "E0201");
  assert.ok(d.message.includes("takes 0 or 1 arguments"), d.message);
  assert.ok(one(`fn main() {\n  print()\n}\n`, "E0201").message.includes("takes 1 argument "));
});

test("`new Set()` (E0033): the example declares a Set, and compiles", () => {
  for (const [w, v] of [["Set", "s"], ["Vec", "v"], ["Map", "m"]]) {
    const src = `fn main() {\n  let x = new ${w}()\n}\n`;
    const d = one(src, "E0033");
    const decl = code(d, d.fix!.includes("` or `") ? 2 : 1);
    assert.ok(decl.startsWith(`var ${v}: ${w}<`), d.fix);
    compiles(`fn main() {\n  ${decl}\n  println(${v}.len())\n}\n`);
  }
});

test("a closure's lost value (E0243): the fix is the programmer's closure with an expression body, and compiles", () => {
  const src = `fn main() {\n  let f = |a: int, b: int| { a * b }\n  println(f(2, 3))\n}\n`;
  const d = one(src, "E0243");
  assert.is(code(d), "|a: int, b: int| a * b");
  compiles(apply(src, "|a: int, b: int| { a * b }", code(d)));
  compiles(apply(src, "a * b }", `${code(d, 1)} }`));
  const two = `fn main() {\n  let f = |a: int| { let b = a + 1\n    b * 2 }\n  println(f(1))\n}\n`;
  const d2 = one(two, "E0243");
  assert.is(code(d2), "return b * 2");
  compiles(apply(two, "b * 2 }", `${code(d2)} }`));
});

test("a union type (E0047): the enum uses Colang's type names (number -> float, boolean -> bool), and compiles", () => {
  const src = `fn f(x: string | number) {}\nfn main() {}\n`;
  const d = one(src, "E0047");
  assert.is(code(d), "enum Value { String(string), Float(float) }");
  compiles(`${code(d)}\nfn f(x: Value) {}\nfn main() {\n  f(Value.Float(1.5))\n  f(String("a"))\n}\n`);
  const b = `fn f(x: boolean | number | undefined) {}\nfn main() {}\n`;
  compiles(`${code(one(b, "E0047"))}\nfn f(x: Value?) {}\nfn main() {\n  f(none)\n  f(Value.Bool(true))\n}\n`);
  const o = `fn f(x: number | null) {}\nfn main() {}\n`;
  const d3 = one(o, "E0047");
  assert.is(code(d3), "float?");
  compiles(apply(o, "number | null", code(d3)));
});

test("`race(...)` not awaited (E0408) whose racers agree: the fix awaits it, and compiles; `all(...)` too (E0405)", () => {
  const src = `async fn f(): int {\n  return 1\n}\nasync fn g(): string {\n  return ""\n}\nasync fn main() {\n  let x = race(f(), f())\n  println(x)\n}\n`;
  const d = one(src, "E0408");
  assert.is(code(d), "await race(f(), f())");
  compiles(apply(src, "race(f(), f())", code(d)));
  const all = src.replace("race(f(), f())", "all(f(), g())").replace("println(x)", "println(x.0)");
  compiles(apply(all, "all(f(), g())", code(one(all, "E0405"))));
  // racers that disagree keep the fix about the result type
  assert.ok(one(src.replace("race(f(), f())", "race(f(), g())"), "E0408").fix?.includes("same result type"));
});

test("`?.` (E0233): the fix repeats the call's own arguments, and compiles with a default", () => {
  const src = `import std/json\nfn main() {\n  let v = json.Value.Array([json.Value.Number(1.0)])\n  println(v.at(0)?.asInt())\n}\n`;
  const d = one(src, "E0233");
  assert.is(code(d), "v.at(0).map(|v| v.asInt()) ?? default");
  compiles(apply(src, "v.at(0)?.asInt()", code(d).replace("default", "0")));
  const args = `fn main() {\n  let xs: Vec<string> = ["a,b"]\n  println(xs.first()?.split(",").len())\n}\n`;
  assert.is(code(one(args, "E0233")), `xs.first().map(|v| v.split(",")) ?? default`);
});

test("a `var x: T` read unassigned (E0241): says T is a type parameter, and the fix (a parameter) compiles", () => {
  const src = `fn f<T>(): T {\n  var x: T\n  return x\n}\nfn main() {\n  println(f<int>())\n}\n`;
  const d = one(src, "E0241");
  assert.ok(d.message.includes("`T` is a type parameter"), d.message);
  assert.not.ok(d.message.includes("holds a function"), d.message);
  const fixed = apply(apply(src, "f<T>()", `f<T>(${code(d)})`), "var x: T", code(d, 1)).replace("f<int>()", "f<int>(3)");
  compiles(fixed);
});

test("a field read in a trait's default body (E0235, not E0207): the fix's method, declared and called, compiles", () => {
  const src = `trait G {\n  fn name(self): string\n  fn hi(self): string {\n    return self.w\n  }\n}\nfn main() {}\n`;
  const d = one(src, "E0235");
  assert.ok(d.fix?.includes("`name`, `hi`"), d.fix);
  const decl = code(d, 1).replace("...", "string");
  compiles(apply(apply(src, "fn name(self): string", `fn name(self): string\n  ${decl}`), "self.w", code(d, 2)));
});

test("`loop { break }` on one line (E0045, not E0011): the fix compiles", () => {
  for (const body of ["break", "println(1); break", "continue"]) {
    const src = `fn main() {\n  var i = 0\n  loop { i += 1; if i > 2 { break }; ${body} }\n}\n`;
    const d = one(src, "E0045");
    assert.is(d.span.col, 3);
    if (body !== "continue") compiles(apply(src, "loop {", code(d)));
  }
  const one_ = `fn main() {\n  loop { break }\n}\n`;
  compiles(apply(one_, "loop {", code(one(one_, "E0045"))));
});

test("an async fn with a result passed as a sync one (E0200): the fix changes the type to async, and compiles", () => {
  const src = `async fn f(x: int): int {\n  return x + 1\n}\nfn takes(g: fn(int): int) {}\nasync fn main() {\n  takes(f)\n}\n`;
  const d = one(src, "E0200");
  assert.not.ok(d.fix?.includes("spawn"), d.fix);
  assert.is(code(d), "async fn(int): int");
  compiles(apply(src, "fn(int): int)", `${code(d)})`));
  // a `takes` that calls it: await it, and become async
  const calls = `async fn f(x: int): int {\n  return x + 1\n}\nfn takes(g: fn(int): int): int {\n  return g(1)\n}\nasync fn main() {\n  println(takes(f))\n}\n`;
  const d2 = one(calls, "E0200");
  const fixed = apply(apply(apply(apply(calls, "fn(int): int)", `${code(d2)})`), "fn takes", "async fn takes"), "g(1)", code(d2, 1).replace("...", "1")), "takes(f)", "await takes(f)");
  compiles(fixed);
  // a unit result keeps the spawning closure, which compiles
  const unit = `async fn f(x: int) {\n  println(x)\n}\nfn takes(g: fn(int)) {\n  g(1)\n}\nasync fn main() {\n  takes(f)\n}\n`;
  const d3 = one(unit, "E0200");
  compiles(apply(unit, "takes(f)", `takes(${code(d3).replace("f(...)", "f(x0)")})`));
});

test.run();
