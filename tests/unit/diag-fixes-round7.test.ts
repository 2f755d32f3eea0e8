// Tester round 7: diagnostics whose fix was wrong or missing, and a trait method that silently replaced a
// built-in one. Each fix is applied and the result must compile. tests/errors pins codes and positions.

import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Diagnostic } from "../../src/diagnostics.js";
import { diags, show, one, compiles } from "../diag-check.js";

// Receiver types and a value of each, with built-in methods of each (a sample of every kind's table).
const BUILTINS: [string, string, string[]][] = [
  ["string", `"abc"`, ["len", "trim", "split", "contains", "padStart", "parseInt", "clone"]],
  ["Vec<int>", "[1]", ["push", "len", "map", "sum", "sorted", "first", "clone"]],
  ["Map<string, int>", `{ "a": 1 }`, ["get", "set", "keys", "len"]],
  ["Set<int>", "Set<int>()", ["insert", "has", "values"]],
  ["int?", "5", ["unwrap", "unwrapOr", "map", "isSome"]],
  ["int", "5", ["toString", "checkedAdd", "wrappingMul"]],
  ["i32", "5", ["toString", "saturatingAdd"]],
  ["float", "1.5", ["toString", "toFixed"]],
  ["StringBuilder", "StringBuilder()", ["append", "toString", "len"]],
  ["Result<int, string>", "Ok(1)", ["isOk", "unwrap", "mapErr"]],
];

test("a trait method named like a built-in method is E0102 naming the built-in, for every built-in type; the rename compiles (round 7)", () => {
  for (const [type, value, names] of BUILTINS) {
    for (const name of names) {
      const prog = (n: string) => `trait Mine { fn ${n}(self): int }\nimpl Mine for ${type} { fn ${n}(self): int { return 7 } }\nfn via<T: Mine>(x: T): int { return x.${n}() }\nfn main() {\n  let x: ${type} = ${value}\n  println(via(x))\n}\n`;
      const d = one(prog(name), "E0102");
      assert.is(diags(prog(name)).length, 1, show(prog(name)));
      assert.ok(d.message.includes(`already has a built-in method \`${name}\``), d.message);
      assert.is(d.span.line, 2);
      const renamed = /e\.g\. `(\w+)`/.exec(d.fix ?? "")?.[1];
      assert.is(renamed, `${name}Mine`, d.fix);
      compiles(prog(renamed!));
    }
  }
});

test("a generic impl for Vec<T> or Map<K, V> is covered too; other names stay allowed (round 7)", () => {
  one(`trait P { fn push(self, x: int) }\nimpl<T> P for Vec<T> { fn push(self, x: int) { } }\nfn main() {}\n`, "E0102");
  compiles(`trait Size { fn size(self): int }\nimpl Size for string { fn size(self): int { return self.len() } }\nimpl<T> Size for Vec<T> { fn size(self): int { return self.len() } }\nfn main() { println("ab".size() + [1].size()) }\n`);
});

/** The first code in a fix: the text between its first pair of backticks. */
function code(d: Diagnostic): string {
  const m = /`([^`]+)`/.exec(d.fix ?? "");
  assert.ok(m, `no code in the fix of ${d.code}: ${d.fix}`);
  return m![1];
}

/** Replaces `from` (which must occur) with the fix's code, or `to` made from it. */
function apply(src: string, from: string | RegExp, to: string): string {
  const out = src.replace(from, to);
  assert.ok(out !== src, `${from} is not in:\n${src}`);
  return out;
}

test("Allman braces (E0058): each fix puts the `{` on its header's line; applied one after another, the program compiles (round 7)", () => {
  let src = `fn main()\n{\n  let x = 3\n  if x > 1\n  {\n    println("big")\n  }\n  for i in 0..2\n  {\n    println(i)\n  }\n}\n`;
  const heads = ["fn main() {", "if x > 1 {", "for i in 0..2 {"];
  for (const head of heads) {
    const d = one(src, "E0058");
    assert.is(code(d), head);
    src = apply(src, new RegExp(`${head.slice(0, -2).replace(/[()]/g, "\\$&")}\\s*\\n\\s*\\{`), head);
  }
  compiles(src);
});

test("a block as a value (E0059, was E0011 'rename let'): the closure-call fix compiles (round 7)", () => {
  const src = `fn main() {\n  let x = 1\n  let y = {\n    let x = 2\n    x + 1\n  }\n  println("{x} {y}")\n}\n`;
  const d = one(src, "E0059");
  assert.is(code(d), "(|| { let x = 2; return x + 1 })()");
  compiles(apply(src, /\{\n    let x = 2\n    x \+ 1\n  \}/, code(d)));
});

test("Rust's turbofish and `Vec<int>::new()` (E0044): the fixes compile (round 7)", () => {
  const fn = `fn id<T>(x: T): T { return x }\nfn main() {\n  println(id::<int>(1))\n}\n`;
  assert.is(code(one(fn, "E0044")), "id<int>(...)");
  compiles(apply(fn, "id::<int>(", "id<int>("));
  const parse = `fn main() {\n  let n = "12".parse::<i32>()\n  println(n)\n}\n`;
  assert.is(code(one(parse, "E0044")), ".parseInt()");
  compiles(apply(parse, ".parse::<i32>()", ".parseInt()"));
  const sum = `fn main() {\n  let v = [1, 2, 3]\n  println(v.sum::<int>())\n}\n`;
  assert.is(code(one(sum, "E0044")), ".sum()");
  compiles(apply(sum, ".sum::<int>()", ".sum()"));
  const vec = `fn main() {\n  let v = Vec<int>::new()\n  let m = HashMap<string, int>::new()\n  println("{v} {m}")\n}\n`;
  assert.is(code(one(vec, "E0044")), "Vec<int>()");
  const m = one(apply(vec, "Vec<int>::new()", "Vec<int>()"), "E0044");
  assert.is(code(m), "Map<string, int>()");
  compiles(apply(apply(vec, "Vec<int>::new()", "Vec<int>()"), "HashMap<string, int>::new()", code(m)));
});

test("`impl Show` and `dyn Area` types (E0062, was E0011 'rename it, impl_'): the generic function compiles (round 7)", () => {
  const impl = `fn f(x: impl Show): string { return "{x}" }\nfn main() { println(f(1)) }\n`;
  const d = one(impl, "E0062");
  assert.is(code(d), "fn f<T: Show>(x: T)");
  compiles(apply(impl, "fn f(x: impl Show)", code(d)));
  const dyn = `trait Area { fn area(self): float }\nfn total(xs: Vec<Box<dyn Area>>): float { return 0.0 }\nfn main() { println(1) }\n`;
  const e = one(dyn, "E0062");
  assert.is(code(e), "fn total<T: Area>(xs: Vec<T>)");
  compiles(apply(dyn, "fn total(xs: Vec<Box<dyn Area>>)", code(e)));
});

test("`function id<T>` and `async function` (E0033): the fix keeps the type parameters and types, and compiles (round 7)", () => {
  const g = `function id<T>(x: T): T { return x }\nfn main() { println(id(1)) }\n`;
  assert.is(code(one(g, "E0033")), "fn id<T>(x: T): T");
  compiles(apply(g, "function id<T>(x: T): T", "fn id<T>(x: T): T"));
  const a = `async function load(): Promise<int> { return 1 }\nasync fn main() { println(await load()) }\n`;
  assert.is(code(one(a, "E0033")), "async fn load(): int");
  compiles(apply(a, "async function load(): Promise<int>", "async fn load(): int"));
  assert.ok(one(`function add(a, b) { return a + b }\nfn main() {}\n`, "E0033").fix?.includes("`fn add(a: int, b: int)`"));
});

test("Rust's `loop`, labels, and a no-parameter closure that assigns (E0045, E0060, E0056): fixes compile (round 7)", () => {
  const loop = `fn main() {\n  var i = 0\n  loop {\n    i += 1\n    if i > 3 { break }\n  }\n  println(i)\n}\n`;
  assert.is(code(one(loop, "E0045")), "while true {");
  compiles(apply(loop, "loop {", "while true {"));
  assert.ok(one(`fn main() {\n  'outer: for i in 0..3 {\n  }\n}\n`, "E0060").fix?.includes("var done = false"));
  const inc = `fn main() {\n  var count = 0\n  let inc = || count += 1\n  inc()\n  println(count)\n}\n`;
  const d = one(inc, "E0056");
  const [def, call] = [...(d.fix ?? "").matchAll(/`([^`]+)`/g)].map((x) => x[1]);
  assert.is(def, "let inc = |count: int| count + 1");
  assert.is(call, "count = inc(count)");
  compiles(apply(apply(inc, "let inc = || count += 1", def), "  inc()", `  ${call}`));
});

test("references (E0061): `&self`, `&mut self`, `&str` become `self`, `mut self`, `string`, and compile (round 7)", () => {
  const self = `struct P { x: int }\nimpl P {\n  fn get(&self): int { return self.x }\n  fn bump(&mut self) { self.x += 1 }\n}\nfn greet(name: &str): string { return "hi {name}" }\nfn main() {\n  var p = P { x: 1 }\n  p.bump()\n  println("{p.get()} {greet("a")}")\n}\n`;
  let src = self;
  for (const [from, to] of [["&self", "self"], ["&mut self", "mut self"], ["&str", "string"]]) {
    const first = diags(src)[0];
    assert.is(first.code, "E0061");
    assert.is(code(first), to);
    src = apply(src, from, to);
  }
  compiles(src);
});

test("Go and Rust habits (E0063, E0033, E0065, E0064, E0040): generics, where, slice literals, spread, defer, `v, err :=` (round 7)", () => {
  const gen = `fn first[T any](xs: Vec<T>): T { return xs[0] }\nfn main() { println(first([1])) }\n`;
  assert.is(code(one(gen, "E0063")), "first<T>");
  compiles(apply(gen, "first[T any]", "first<T>"));
  const where = `fn show<T>(x: T): string where T: Show { return "{x}" }\nfn main() { println(show(1)) }\n`;
  assert.is(code(one(where, "E0033")), "fn show<T: Show>(x: T): string");
  compiles(apply(where, "fn show<T>(x: T): string where T: Show", "fn show<T: Show>(x: T): string"));
  const slice = `fn main() {\n  let xs = []int{1, 2, 3}\n  println(xs)\n}\n`;
  assert.is(code(one(slice, "E0065")), "[1, 2, 3]");
  compiles(apply(slice, "[]int{1, 2, 3}", "[1, 2, 3]"));
  const spread = `fn main() {\n  let a = [1, 2]\n  let b = [...a, 3]\n  println(b)\n}\n`;
  const s = one(spread, "E0065");
  const [copy, push] = [...(s.fix ?? "").matchAll(/`([^`]+)`/g)].map((x) => x[1]);
  compiles(apply(spread, "let b = [...a, 3]", `${copy}\n  ${push}`));
  const defer = `fn main() {\n  defer println("bye")\n  println("hi")\n}\n`;
  assert.is(code(one(defer, "E0064")), 'println("bye")');
  const pair = `fn f(x: int): Result<int, string> { return Ok(x) }\nfn main() {\n  let v, err := f(1)\n  println(v)\n}\n`;
  const d = one(pair, "E0040");
  assert.ok(d.fix?.includes("`match f(1) { Ok(v) => ..., Err(err) => ... }`"), d.fix);
});

test("E0200 between number types: the `as` fix converts the expression itself, and compiles (round 7; it said `(...) as i32`)", () => {
  const src = (a: string, b: string) => `fn main() {\n  let v: Vec<int> = [1]\n  let x: i32 = ${a}\n  let y: f64 = ${b}\n  println("{x} {y}")\n}\n`;
  const ds = diags(src("v[0]", "v[0] + 1")).filter((d) => d.code === "E0200");
  assert.is(ds.length, 2);
  assert.is(code(ds[0]).replace(/^convert it: /, ""), "v[0] as i32");
  assert.is(code(ds[1]), "(v[0] + 1) as float");
  compiles(src(code(ds[0]), code(ds[1])));
});

test("E0103 over a `let`: the fix makes the first binding `var` as well as assigning; applied, it compiles (round 7)", () => {
  const d = one(`fn main() {\n  let a = 1\n  let a = 2\n  println(a)\n}\n`, "E0103");
  assert.ok(d.fix?.includes("`var a`") && d.fix.includes("`a = ...`"), d.fix);
  compiles(`fn main() {\n  var a = 1\n  a = 2\n  println(a)\n}\n`);
  assert.ok(one(`fn main() {\n  var b = 1\n  let b = 2\n  println(b)\n}\n`, "E0103").fix?.includes("assign to the existing one with `b = ...`"));
});

test("E0216 names the variant that holds what has no `==` (not the one that holds the enum itself) (round 7)", () => {
  // Maps and sets compare since stop 27 (tester round 8); function values never do.
  const en = one(`enum J { Num(int), Arr(Vec<J>), Obj(Map<string, fn(): int>) }\nfn main() {\n  println(Arr([Num(1)]) == Arr([Num(1)]))\n}\n`, "E0216");
  assert.ok(en.message.includes("`Obj`") && !en.message.includes("`Arr`"), en.message);
  assert.ok(en.fix?.includes("`match`"), en.fix);
  const st = one(`struct N { kids: Vec<N>, hooks: Map<string, fn()> }\nfn main() {\n  let n = N { kids: [], hooks: {} }\n  println(n == n)\n}\n`, "E0216");
  assert.ok(st.message.includes("`hooks`"), st.message);
  compiles(`enum J { Num(int), Arr(Vec<J>), Obj(Map<string, J>) }\nfn main() {\n  println(Arr([Num(1)]) == Arr([Num(1)]))\n}\n`);
  compiles(`fn main() {\n  let a = Set<int>()\n  let b = Set<int>()\n  println(a == b)\n}\n`);
});



test("Python's f\"...\" and C#'s $\"...\" (E0066): the fix drops the prefix, and compiles (round 7)", () => {
  for (const prefix of ["f", "F", "$"]) {
    const src = `fn main() {\n  let name = "x"\n  let f = 2\n  println(${prefix}"hi {name} \\"q\\" {f}")\n}\n`;
    const d = one(src, "E0066");
    assert.is(diags(src).length, 1, show(src));
    assert.is(d.span.line, 4);
    assert.is(d.span.col, 11);
    compiles(apply(src, `${prefix}"hi {name} \\"q\\" {f}"`, code(d)));
  }
  // `f` as a variable before a string stays what it was (a missing operator), not E0066.
  assert.ok(!diags(`fn main() {\n  let f = 2\n  println("{f}" + "x")\n}\n`).some((x) => x.code === "E0066"));
});

test("`case 1:` and `default:` in a match (E0067): the fix is the arm, and compiles (round 7)", () => {
  const lines = ['    case 1: println("one")', '    case 2, 3: println("few");', '    default: println("many")'];
  let src = `fn main() {\n  let x = 2\n  match x {\n${lines.join("\n")}\n  }\n}\n`;
  for (const [i, line] of lines.entries()) {
    const d = diags(src)[0];
    assert.is(d?.code, "E0067", show(src));
    assert.is(d.span.line, 4 + i);
    assert.is(d.span.col, 5);
    src = apply(src, line, `    ${code(d)}`);
  }
  compiles(src);
  // A binding named `case` stays a binding.
  compiles(`fn main() {\n  let x = 2\n  match x {\n    case => println(case),\n  }\n}\n`);
  // Outside a match, `case` is no arm.
  assert.ok(!diags(`fn main() {\n  case 1: println("x")\n}\n`).some((x) => x.code === "E0067"));
});

test.run();
