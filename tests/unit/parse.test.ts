// Parser unit tests: AST shapes for the whole surface of LANGUAGE.md,
// precedence and newline rules, spans, every syntax diagnostic code, and
// pathological inputs (deep nesting, huge lines) that must end quickly.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseModule } from "../../src/syntax/parse.js";
import type { Decl, Expr, FnDecl, Module, Pattern, Stmt, TypeExpr, Block } from "../../src/syntax/ast.js";
import type { Diagnostic } from "../../src/diagnostics.js";

// ---------------------------------------------------------------- helpers

function ok(src: string): Module {
  const r = parseModule("t.co", src);
  if (r.diagnostics.length > 0 || r.value === null) {
    throw new Error("unexpected diagnostics:\n" + r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`).join("\n") + "\n--- source:\n" + src);
  }
  return r.value;
}

function errs(src: string): Diagnostic[] {
  const r = parseModule("t.co", src);
  assert.ok(r.diagnostics.length > 0, "expected diagnostics for:\n" + src);
  return r.diagnostics;
}

function one(src: string, code: string, line: number, col: number): Diagnostic {
  const ds = errs(src);
  const d = ds[0];
  assert.is(`${d.code} ${d.span.line}:${d.span.col}`, `${code} ${line}:${col}`, `diagnostics: ${ds.map((x) => `${x.code} ${x.span.line}:${x.span.col} ${x.message}`).join("; ")}`);
  return d;
}

function body(src: string): Stmt[] {
  const m = ok(`fn main() {\n${src}\n}`);
  return (m.decls[0] as FnDecl).body!.stmts;
}

function expr(src: string): Expr {
  const s = body(`let __x = ${src}`)[0];
  if (s.kind !== "Let" || s.value === null) throw new Error("not a let");
  return s.value;
}

/** Compact rendering of expressions, types and patterns for precedence checks. */
function sx(n: Expr | TypeExpr | Pattern | Block | null): string {
  if (n === null) return "_";
  switch (n.kind) {
    case "Ident": return n.name;
    case "IntLit": return String(n.value);
    case "FloatLit": return n.text;
    case "BoolLit": return String(n.value);
    case "NoneLit": return "none";
    case "StrLit": return '"' + n.parts.map((p) => (p.kind === "text" ? p.value : "{" + sx(p.expr) + "}")).join("") + '"';
    case "Binary": return `(${n.op} ${sx(n.left)} ${sx(n.right)})`;
    case "Unary": return `(${n.op} ${sx(n.operand)})`;
    case "Call": return `(call ${sx(n.callee)}${n.typeArgs.length ? " <" + n.typeArgs.map(sx).join(" ") + ">" : ""}${n.args.map((a) => " " + sx(a)).join("")})`;
    case "Field": return `(. ${sx(n.target)} ${n.name})`;
    case "TupleIndex": return `(.${n.index} ${sx(n.target)})`;
    case "Index": return `(idx ${sx(n.target)} ${sx(n.index)})`;
    case "Unwrap": return `(! ${sx(n.operand)})`;
    case "Try": return `(? ${sx(n.operand)})`;
    case "Cast": return `(as ${sx(n.operand)} ${sx(n.type)})`;
    case "Await": return `(await ${sx(n.operand)})`;
    case "Spawn": return `(spawn ${sx(n.call)})`;
    case "Range": return `(${n.inclusive ? "..=" : ".."} ${sx(n.lo)} ${sx(n.hi)})`;
    case "TupleLit": return `(tuple${n.elems.map((e) => " " + sx(e)).join("")})`;
    case "VecLit": return `[${n.elems.map(sx).join(" ")}]`;
    case "MapLit": return `{${n.entries.map((e) => sx(e.key) + ": " + sx(e.value)).join(", ")}}`;
    case "StructLit": return `(struct ${n.path.join(".")}${n.typeArgs.length ? "<" + n.typeArgs.map(sx).join(",") + ">" : ""}${n.fields.map((f) => " " + f.name + "=" + sx(f.value)).join("")})`;
    case "If": return `(if ${sx(n.cond)} ${sx(n.then)}${n.else_ ? " " + sx(n.else_) : ""})`;
    case "IfLet": return `(iflet ${sx(n.pattern)} ${sx(n.value)} ${sx(n.then)}${n.else_ ? " " + sx(n.else_) : ""})`;
    case "Match": return `(match ${sx(n.subject)}${n.arms.map((a) => ` [${sx(a.pattern)}${a.guard ? " if " + sx(a.guard) : ""} => ${sx(a.body)}]`).join("")})`;
    case "BlockExpr": return sx(n.block);
    case "Closure": return `(closure${n.short ? "|" : ""} ${n.params.map((p) => p.name + (p.type ? ":" + sx(p.type) : "")).join(",")}${n.ret ? " : " + sx(n.ret) : ""} ${sx(n.body)})`;
    case "RegionExpr": return `(region ${sx(n.block)})`;
    case "Block": return `{${n.stmts.length}}`;
    case "TName": return n.path.join(".") + (n.args.length ? "<" + n.args.map(sx).join(",") + ">" : "");
    case "TOptional": return sx(n.inner) + "?";
    case "TTuple": return "(" + n.elems.map(sx).join(",") + ")";
    case "TFn": return "fn(" + n.params.map(sx).join(",") + ")" + (n.ret ? ":" + sx(n.ret) : "");
    case "PWild": return "_";
    case "PBind": return n.name;
    case "PNone": return "none";
    case "PLit": return "lit " + sx(n.value);
    case "PRange": return `${sx(n.lo)}${n.inclusive ? "..=" : ".."}${sx(n.hi)}`;
    case "PTuple": return "(" + n.elems.map(sx).join(",") + ")";
    case "PVariant":
      return n.path.join(".") + (n.named ? "{" + n.named.map((f) => f.name + ":" + sx(f.pat)).join(",") + "}" : "(" + n.args.map(sx).join(",") + ")");
    case "POr": return "(| " + n.alts.map(sx).join(" ") + ")";
  }
}

const E = (src: string) => sx(expr(src));

function timed<T>(f: () => T, ms: number, what: string): T {
  const t0 = performance.now();
  const r = f();
  const dt = performance.now() - t0;
  assert.ok(dt < ms, `${what} took ${dt.toFixed(0)} ms`);
  return r;
}

// ---------------------------------------------------------------- declarations

test("empty file and comments only", () => {
  assert.is(ok("").decls.length, 0);
  assert.is(ok("// just a comment\n/* and a block */\n").decls.length, 0);
  assert.is(ok("\uFEFFfn main() {}").decls.length, 1);
});

test("imports", () => {
  const m = ok("import std/http\nimport ./store\nimport ./lib/util\nimport ../x/y as z");
  const im = m.decls.map((d) => (d.kind === "Import" ? [d.std, d.path, d.alias] : null));
  assert.equal(im, [[true, "http", "http"], [false, "./store", "store"], [false, "./lib/util", "util"], [false, "../x/y", "z"]]);
});

test("globals", () => {
  const m = ok("const MAX_USERS = 10_000\npub var users: Map<int, User> = {}\nlet g = 1");
  const [a, b, c] = m.decls;
  assert.ok(a.kind === "Global" && a.form === "const" && a.name === "MAX_USERS" && a.value.kind === "IntLit" && a.value.value === 10000n);
  assert.ok(b.kind === "Global" && b.form === "var" && b.pub && b.type !== null && sx(b.type) === "Map<int,User>" && b.value.kind === "MapLit");
  assert.ok(c.kind === "Global" && c.form === "let" && !c.pub);
});

test("functions: generics, async, extern, pub, return types", () => {
  const m = ok(`
pub fn printAll<T: Show + Eq, U>(items: Vec<T>, n: int): string { return "" }
async fn main() { }
extern fn co_now(a: int): int
fn unit() {}
`);
  const f = m.decls[0] as FnDecl;
  assert.is(f.name, "printAll");
  assert.ok(f.pub && !f.async && !f.extern);
  assert.equal(f.typeParams.map((t) => [t.name, t.bounds.map(sx)]), [["T", ["Show", "Eq"]], ["U", []]]);
  assert.equal(f.params.map((p) => [p.name, sx(p.type)]), [["items", "Vec<T>"], ["n", "int"]]);
  assert.is(sx(f.ret), "string");
  assert.is(f.nameSpan.col, 8);
  const g = m.decls[1] as FnDecl;
  assert.ok(g.async && g.ret === null && g.body !== null);
  const h = m.decls[2] as FnDecl;
  assert.ok(h.extern && h.body === null && sx(h.ret) === "int");
});

test("async closures and async fn types", () => {
  const a = expr("async |n| n + 1");
  assert.ok(a.kind === "Closure" && a.async && a.short && a.params.length === 1);
  const b = expr("async fn(n: string): string { return n }");
  assert.ok(b.kind === "Closure" && b.async && !b.short && b.ret !== null);
  const c = expr("|n| n");
  assert.ok(c.kind === "Closure" && !c.async);
  const s = body("let f: Map<string, async fn(int): int> = {}")[0];
  assert.ok(s.kind === "Let" && s.type?.kind === "TName");
  const inner = (s as { type: { args: TypeExpr[] } }).type.args[1];
  assert.ok(inner.kind === "TFn" && inner.async && inner.params.length === 1);
  // `async` still cannot start any other expression.
  assert.ok(errs("fn main() {\n  let x = async 1\n}\n").length > 0);
});

test("structs: commas and/or newlines, generics, pub fields", () => {
  const m = ok(`
pub struct User { id: int, name: string, tags: Vec<string> }
struct Pair<A, B> {
  a: A
  pub b: B,
}
struct Empty {}
`);
  const [u, p, e] = m.decls;
  assert.ok(u.kind === "Struct" && u.pub && u.fields.map((f) => f.name).join() === "id,name,tags");
  assert.ok(p.kind === "Struct" && p.typeParams.map((t) => t.name).join() === "A,B" && p.fields.length === 2 && p.fields[1].pub);
  assert.ok(e.kind === "Struct" && e.fields.length === 0);
});

test("enums: unit, positional, named variants", () => {
  const m = ok("enum Shape { Circle(radius: float), Rect(w: float, h: float), Empty }\nenum Tree {\n  Leaf\n  Node(Tree, Tree)\n}\nenum Opt<T> { Some(T), Nothing }");
  const s = m.decls[0];
  assert.ok(s.kind === "Enum");
  if (s.kind !== "Enum") return;
  assert.equal(s.variants.map((v) => [v.name, v.fields.map((f) => [f.name, sx(f.type)])]), [
    ["Circle", [["radius", "float"]]], ["Rect", [["w", "float"], ["h", "float"]]], ["Empty", []],
  ]);
  const t = m.decls[1];
  assert.ok(t.kind === "Enum" && t.variants[1].fields.length === 2 && t.variants[1].fields[0].name === null);
  const o = m.decls[2];
  assert.ok(o.kind === "Enum" && o.typeParams.length === 1);
});

test("impl, impl for, generic impl, self and mut self, traits, tests", () => {
  const m = ok(`
impl User {
  fn display(self): string { return "{self.name}#{self.id}" }
  fn rename(mut self, to: string) { self.name = to }
  fn make(): User { return User { id: 1 } }
}
trait Show { fn show(self): string
  fn twice(self): string { return self.show() + self.show() } }
impl Show for User { fn show(self): string { return self.display() } }
impl<T> Pair<T, T> { pub fn first(self): T { return self.a } }
test "users render" { assert(User { id: 1, name: "a", tags: [] }.display() == "a#1") }
`);
  const [i1, tr, i2, i3, t] = m.decls;
  assert.ok(i1.kind === "Impl" && i1.trait === null && sx(i1.target) === "User");
  if (i1.kind !== "Impl") return;
  assert.equal(i1.methods.map((f) => [f.name, f.selfParam ? f.selfParam.mut : null]), [["display", false], ["rename", true], ["make", null]]);
  assert.equal(i1.methods[1].params.map((p) => p.name), ["to"]);
  assert.ok(tr.kind === "Trait" && tr.methods[0].body === null && tr.methods[1].body !== null);
  assert.ok(i2.kind === "Impl" && i2.trait !== null && sx(i2.trait) === "Show" && sx(i2.target) === "User");
  assert.ok(i3.kind === "Impl" && i3.typeParams[0].name === "T" && sx(i3.target) === "Pair<T,T>" && i3.methods[0].pub);
  assert.ok(t.kind === "Test" && t.name === "users render" && t.body.stmts.length === 1);
});

// ---------------------------------------------------------------- statements

test("let/var with patterns and types, var without value", () => {
  const s = body("let (a, b) = f()\nvar x: int\nvar y: int? = none\nlet z = 1");
  assert.ok(s[0].kind === "Let" && !s[0].mutable && sx(s[0].pattern) === "(a,b)");
  assert.ok(s[1].kind === "Let" && s[1].mutable && s[1].value === null && sx(s[1].type) === "int");
  assert.ok(s[2].kind === "Let" && sx(s[2].type) === "int?" && s[2].value?.kind === "NoneLit");
  assert.is(s.length, 4);
});

test("assignments to places, compound operators", () => {
  const s = body("x = 1\nx += 1\nx -= 1; x *= 2; x /= 2; x %= 2\nx &= 1\nx |= 1\nx ^= 1\nx <<= 1\nx >>= 1\nv[i] = x\nm[k].field = y\nt.0 = 1\nself.name = to");
  const ops = s.map((st) => (st.kind === "Assign" ? st.op : st.kind));
  assert.equal(ops, ["=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "=", "=", "=", "="]);
  const t = s[12];
  assert.ok(t.kind === "Assign" && sx(t.target) === "(. (idx m k) field)");
  const u = s[13];
  assert.ok(u.kind === "Assign" && sx(u.target) === "(.0 t)");
});

test("while, for over ranges/collections/tuples, break, continue, return", () => {
  const s = body("while i < n { i += 1 }\nfor i in 0..n { break }\nfor i in 0..=n { continue }\nfor x in v { }\nfor (k, v) in m { }\nfor (i, x) in vec.enumerate() { }\nreturn\nreturn 1");
  assert.ok(s[0].kind === "While" && sx(s[0].cond) === "(< i n)");
  assert.ok(s[1].kind === "For" && sx(s[1].iter) === "(.. 0 n)" && s[1].body.stmts[0].kind === "Break");
  assert.ok(s[2].kind === "For" && sx(s[2].iter) === "(..= 0 n)" && s[2].body.stmts[0].kind === "Continue");
  assert.ok(s[3].kind === "For" && sx(s[3].pattern) === "x" && sx(s[3].iter) === "v");
  assert.ok(s[4].kind === "For" && sx(s[4].pattern) === "(k,v)");
  assert.ok(s[5].kind === "For" && sx(s[5].iter) === "(call (. vec enumerate))");
  assert.ok(s[6].kind === "Return" && s[6].value === null);
  assert.ok(s[7].kind === "Return" && s[7].value?.kind === "IntLit");
});

test("return then newline has no value", () => {
  const s = body("return\nfoo()");
  assert.is(s.length, 2);
  assert.ok(s[0].kind === "Return" && s[0].value === null);
});

test("const in functions, nested blocks, expression statements, semicolons", () => {
  const s = body("const K: int = 3\n{ let a = 1; { a } }\n;;\nfoo(); bar()");
  assert.ok(s[0].kind === "ConstStmt" && s[0].name === "K" && sx(s[0].type) === "int");
  assert.ok(s[1].kind === "BlockStmt" && s[1].block.stmts.length === 2 && s[1].block.stmts[1].kind === "BlockStmt");
  assert.is(s.length, 4);
});

test("newline rules", () => {
  assert.is(body("let a = 1\nlet b = 2").length, 2);
  const cont = body("let a = x +\n  y");
  assert.ok(cont.length === 1 && cont[0].kind === "Let" && sx(cont[0].value) === "(+ x y)");
  // a line starting with `+` does not continue the one before, and there is no unary `+`: E0068 (stop 28)
  assert.ok(errs("fn main() {\na\n+ b\n}\n").some((d) => d.code === "E0068"));
  const two2 = body("a\n- b");
  assert.ok(two2.length === 2 && two2[1].kind === "ExprStmt" && sx(two2[1].expr) === "(- b)");
  const chain = body("foo\n  .bar()\n  .baz");
  assert.ok(chain.length === 1 && chain[0].kind === "ExprStmt" && sx(chain[0].expr) === "(. (call (. foo bar)) baz)");
  const els = body("if a {\n  1\n}\nelse {\n  2\n}");
  assert.ok(els.length === 1 && els[0].kind === "ExprStmt" && els[0].expr.kind === "If" && els[0].expr.else_ !== null);
  const call = body("f\n(x)");
  assert.is(call.length, 2);
  const args = body("f(\n  a,\n  b,\n)");
  assert.ok(args.length === 1 && args[0].kind === "ExprStmt" && sx(args[0].expr) === "(call f a b)");
});

// ---------------------------------------------------------------- expressions

test("literals", () => {
  assert.is((expr("42") as { value: bigint }).value, 42n);
  assert.is((expr("1_000_000") as { value: bigint }).value, 1000000n);
  assert.is((expr("0xff") as { value: bigint }).value, 255n);
  assert.is((expr("0b1010") as { value: bigint }).value, 10n);
  assert.is((expr("18446744073709551615") as { value: bigint }).value, 18446744073709551615n);
  const f = expr("3.14");
  assert.ok(f.kind === "FloatLit" && f.value === 3.14 && f.text === "3.14");
  assert.is((expr("1e-9") as { value: number }).value, 1e-9);
  assert.is((expr("2.5e10") as { value: number }).value, 2.5e10);
  assert.is(expr("true").kind, "BoolLit");
  assert.is(expr("none").kind, "NoneLit");
});

test("strings: escapes, interpolation, nested strings, raw", () => {
  const s = expr(String.raw`"tab\t quote\" brace\{ \} nl\n cr\r nul\0 bs\\ \u{48}\u{1F600}"`);
  assert.ok(s.kind === "StrLit" && !s.raw && s.parts.length === 1);
  if (s.kind === "StrLit" && s.parts[0].kind === "text") assert.is(s.parts[0].value, "tab\t quote\" brace{ } nl\n cr\r nul\0 bs\\ H\u{1F600}");
  const i = expr(`"hi {name}, {a + b}!"`);
  assert.ok(i.kind === "StrLit");
  if (i.kind !== "StrLit") return;
  assert.equal(i.parts.map((p) => p.kind), ["text", "interp", "text", "interp", "text"]);
  assert.is(sx(i), `"hi {name}, {(+ a b)}!"`);
  const n = expr(`"a {m["k"]} b {f("x {y}")}"`);
  assert.is(sx(n), `"a {(idx m "k")} b {(call f "x {y}")}"`);
  const r = expr(`"""\nraw {x} \\n "quoted"\nline2"""`);
  assert.ok(r.kind === "StrLit" && r.raw && r.parts.length === 1);
  if (r.kind === "StrLit" && r.parts[0].kind === "text") assert.is(r.parts[0].value, `raw {x} \\n "quoted"\nline2`);
  const e = expr(`""`);
  assert.ok(e.kind === "StrLit" && e.parts.length === 0);
});

test("precedence", () => {
  assert.is(E("a + b * c"), "(+ a (* b c))");
  assert.is(E("a * b + c"), "(+ (* a b) c)");
  assert.is(E("a - b - c"), "(- (- a b) c)");
  assert.is(E("a ?? b or c"), "(?? a (or b c))");
  assert.is(E("a ?? b ?? c"), "(?? a (?? b c))");
  assert.is(E("a or b and c"), "(or a (and b c))");
  assert.is(E("a || b && c"), "(or a (and b c))");
  assert.is(E("-x.y"), "(- (. x y))");
  assert.is(E("x as float * 2"), "(* (as x float) 2)");
  assert.is(E("a + b as float"), "(+ a (as b float))");
  assert.is(E("a == b and c != d"), "(and (== a b) (!= c d))");
  assert.is(E("a | b ^ c & d"), "(| a (^ b (& c d)))");
  assert.is(E("a << 1 + 2"), "(<< a (+ 1 2))");
  assert.is(E("not a and !b"), "(and (not a) (not b))");
  assert.is(E("~x"), "(~ x)");
  assert.is(E("- - x"), "(- (- x))");
  assert.is(E("a % b / c"), "(/ (% a b) c)");
  assert.is(E("x! + y?"), "(+ (! x) (? y))");
  assert.is(E("x? ?? y"), "(?? (? x) y)");
  assert.is(E("await f(x)"), "(await (call f x))");
  assert.is(E("await f(x)?"), "(? (await (call f x)))");
  assert.is(E("spawn f(x)"), "(spawn (call f x))");
});

test("comparisons are non-associative", () => {
  const d = one("fn f() { a < b < c }", "E0002", 1, 16);
  assert.match(d.message, /cannot be chained/);
});

test("postfix: calls, generic calls, fields, tuple index, index, unwrap, try", () => {
  assert.is(E("f(x, y,)"), "(call f x y)");
  assert.is(E("f<int>(x)"), "(call f <int> x)");
  assert.is(E("json.decode<Vec<Map<string, int>>>(s)"), "(call (. json decode) <Vec<Map<string,int>>> s)");
  assert.is(E("a < b"), "(< a b)");
  one("fn f() { let x = a<b>c }", "E0002", 1, 21); // not a generic call: chained comparison
  assert.is(E("t.0.1"), "(.1 (.0 t))");
  assert.is(E("v[i][j]"), "(idx (idx v i) j)");
  assert.is(E("x!.y"), "(. (! x) y)");
  assert.is(E("x != y"), "(!= x y)");
  assert.is(E("f()?.g"), "(. (? (call f)) g)");
});

test("tuples, unit, vectors, maps", () => {
  assert.is(E("(a, b)"), "(tuple a b)");
  assert.is(E("()"), "(tuple)");
  assert.is(E("(a)"), "a");
  assert.is(E("(a,)"), "(tuple a)");
  assert.is(E("[1, 2,]"), "[1 2]");
  assert.is(E("[]"), "[]");
  assert.is(E(`{"a": 1, "b": 2,}`), `{"a": 1, "b": 2}`);
  assert.is(E("{ port: 8080 }"), "{port: 8080}");
  assert.is(E("{}"), "{}");
});

test("struct literals", () => {
  assert.is(E("User { id: 1, name }"), "(struct User id=1 name=name)");
  assert.is(E("store.User { id: 1 }"), "(struct store.User id=1)");
  assert.is(E("Pair<int, string> { a: 1, b: \"\" }"), `(struct Pair<int,string> a=1 b="")`);
  assert.is(E("User {\n  id: 1\n  name: n,\n}"), "(struct User id=1 name=n)");
  assert.is(E("User {}.display()"), "(call (. (struct User) display))");
});

test("struct literal restriction in conditions", () => {
  const s = body("if x == Foo { bar() }\nwhile ok { }\nfor p in points { }\nmatch x { _ => 1 }\nif (x == Foo { a: 1 }) { }\nif f(Foo { a: 1 }) { }");
  assert.ok(s[0].kind === "ExprStmt" && sx(s[0].expr) === "(if (== x Foo) {1})");
  assert.ok(s[1].kind === "While" && sx(s[1].cond) === "ok");
  assert.ok(s[2].kind === "For" && sx(s[2].iter) === "points");
  assert.ok(s[3].kind === "ExprStmt" && sx(s[3].expr) === "(match x [_ => 1])");
  assert.ok(s[4].kind === "ExprStmt" && sx(s[4].expr) === "(if (== x (struct Foo a=1)) {0})");
  assert.ok(s[5].kind === "ExprStmt" && sx(s[5].expr) === "(if (call f (struct Foo a=1)) {0})");
  // inside the body struct literals are allowed again
  const t = body("if c { let u = User { id: 1 } }");
  const i = t[0];
  assert.ok(i.kind === "ExprStmt" && i.expr.kind === "If" && i.expr.then.stmts[0].kind === "Let");
});

test("if / else if / else, if let, if as expression", () => {
  assert.is(E("if c { 1 } else { 2 }"), "(if c {1} {1})");
  const e = expr("if a { } else if b { } else if let x = y { } else { }");
  assert.ok(e.kind === "If" && e.else_ !== null && e.else_.kind === "If");
  if (e.kind === "If" && e.else_?.kind === "If") {
    const inner = e.else_.else_;
    assert.ok(inner !== null && inner.kind === "IfLet" && inner.else_?.kind === "Block");
  }
  assert.is(E("if let u = users.get(id) { u } else { d }"), "(iflet u (call (. users get) id) {1} {1})");
});

test("match: arms with guards, blocks, separators, patterns", () => {
  const e = expr(`match s {
    Circle(r) => r * 2.0,
    Rect(w, h) if w == h => { w }
    Shape.Empty => 0
    Rect { w, h: hh } => w,
    1..5 => 1, 1..=9 => 2
    -3 => 3
    "x" => 4
    true => 5
    none => 6
    (a, _) => 7
    Ok(x) => x
    Err(e) => { "a": 1 }
    Empty => 8
    _ => {}
  }`);
  assert.ok(e.kind === "Match");
  if (e.kind !== "Match") return;
  assert.equal(e.arms.map((a) => sx(a.pattern)), [
    "Circle(r)", "Rect(w,h)", "Shape.Empty()", "Rect{w:w,h:hh}", "1..5", "1..=9", "lit (- 3)", `lit "x"`, "lit true", "none",
    "(a,_)", "Ok(x)", "Err(e)", "Empty", "_",
  ]);
  assert.is(sx(e.arms[1].guard), "(== w h)");
  assert.is(e.arms[1].body.kind, "Block");
  assert.is(e.arms[12].body.kind, "MapLit");
  assert.is(e.arms[14].body.kind, "Block");
});

test("or-patterns, assignment arms, type arguments before a dot, keywords after a dot", () => {
  const e = expr(`match s {
    Red | Color.Green => 1
    1 | 2..=4
      | 9 => 2
    Some(A(x) | B(x)) => n += 1
    (1 | 2, y) => total = y,
    _ => v[0] *= 2
  }`);
  assert.ok(e.kind === "Match");
  if (e.kind !== "Match") return;
  assert.equal(e.arms.map((a) => sx(a.pattern)), ["(| Red Color.Green())", "(| lit 1 2..=4 lit 9)", "Some((| A(x) B(x)))", "((| lit 1 lit 2),y)", "_"]);
  assert.equal(e.arms.map((a) => (a.body.kind === "Block" ? a.body.stmts.map((x) => x.kind).join() : a.body.kind)), ["IntLit", "IntLit", "Assign", "Assign", "Assign"]);
  assert.is(E("Stack<int>.new()"), "(call (. Stack new))");
  const c = expr("Stack<int>.new()");
  assert.ok(c.kind === "Call" && c.callee.kind === "Field" && c.callee.target.kind === "Ident" && c.callee.target.typeArgs?.length === 1);
  assert.is(E("a < b"), "(< a b)");
  assert.is(E("z.region.match(x.in)"), "(call (. (. z region) match) (. x in))");
  ok("struct Zone { region: string, pub fn: int, pub: bool }\nimpl Zone { fn match(self): int { return Zone { region: \"x\", fn: 1, pub: true }.fn } }");
});

test("closures", () => {
  assert.is(E("fn(x: int): int { return x + k }"), "(closure x:int : int {1})");
  assert.is(E("|x| x + k"), "(closure| x (+ x k))");
  assert.is(E("|x: int, y| { x }"), "(closure| x:int,y {1})");
  assert.is(E("|| 0"), "(closure|  0)");
  assert.is(E("fn() { }"), "(closure  {0})");
  assert.is(E("v.sortBy(|a, b| a - b)"), "(call (. v sortBy) (closure| a,b (- a b)))");
});

test("region, spawn, await all", () => {
  assert.is(E("region { let a = 1\n a }"), "(region {2})");
  assert.is(E("await all(f(a), g(b))"), "(await (call all (call f a) (call g b)))");
});

test("types", () => {
  const t = (s: string) => {
    const st = body(`let x: ${s} = y`)[0];
    return st.kind === "Let" ? sx(st.type) : "?";
  };
  assert.is(t("int"), "int");
  assert.is(t("Vec<T>"), "Vec<T>");
  assert.is(t("Map<K, V>"), "Map<K,V>");
  assert.is(t("Vec<Vec<int>>"), "Vec<Vec<int>>");
  assert.is(t("Map<string, Vec<Vec<int>>>"), "Map<string,Vec<Vec<int>>>");
  assert.is(t("T?"), "T?");
  assert.is(t("(A, B)"), "(A,B)");
  assert.is(t("()"), "()");
  assert.is(t("fn(A, B): R"), "fn(A,B):R");
  assert.is(t("fn()"), "fn()");
  assert.is(t("http.Request"), "http.Request");
  assert.is(t("Result<int, json.Error>?"), "Result<int,json.Error>?");
});

test("spans: 1-based line/col, offsets", () => {
  const m = ok("fn main() {\n  let x = a + b\n}");
  const f = m.decls[0] as FnDecl;
  assert.equal([f.span.line, f.span.col, f.span.start, f.span.file], [1, 1, 0, "t.co"]);
  const s = f.body!.stmts[0];
  assert.equal([s.span.line, s.span.col], [2, 3]);
  if (s.kind === "Let" && s.value) {
    assert.equal([s.value.span.line, s.value.span.col, s.value.span.end - s.value.span.start], [2, 11, 5]);
    if (s.value.kind === "Binary") assert.equal([s.value.right.span.line, s.value.right.span.col], [2, 15]);
  }
  assert.is(f.nameSpan.col, 4);
});

// ---------------------------------------------------------------- diagnostics

test("E0002: expected an expression / `)` after the arguments / a type", () => {
  assert.match(one("fn f() { let x = }", "E0002", 1, 18).message, /expected an expression, found `\}`/);
  assert.match(one("fn f() { g(a b) }", "E0002", 1, 14).message, /`\)` after the arguments/);
  assert.match(one("fn f() { let x: = 1 }", "E0002", 1, 17).message, /expected a type/);
  assert.match(one("x = 1", "E0002", 1, 1).message, /expected a declaration/);
  assert.match(one("fn f() ", "E0002", 1, 8).message, /unexpected end of file/);
  assert.match(one("fn f() { 1 = 2 }", "E0002", 1, 10).message, /assignment target/);
  assert.match(one("fn f() { let x = 1 2 }", "E0002", 1, 20).message, /newline or `;`/);
  assert.match(one("fn f() { let x }", "E0002", 1, 16).message, /expected `:` or `=`, found `\}`/);
  assert.match(one("fn f() { if a { } else b }", "E0002", 1, 24).message, /`if` or `\{`/);
  assert.match(one("fn f() { g(1, 2 }", "E0003", 1, 17).message, /`\)` to close the parenthesis opened at 1:11/);
  // a bare struct literal in an `if` condition is not one
  one("fn f() { if x == Foo { a: 1 } { } }", "E0002", 1, 25);
});

test("E0003: unclosed delimiters name the opener", () => {
  const d = one("fn main() {\n  let x = 1\n", "E0003", 3, 1);
  assert.match(d.message, /expected `\}` to close the block opened at 1:11/);
  assert.is(d.fix, "add `}`");
  assert.match(one("fn main() {\n  foo(1, 2\n}", "E0003", 3, 1).message, /`\)` to close the parenthesis opened at 2:6/);
  assert.match(one("fn main() { let v = [1, 2 }", "E0003", 1, 27).message, /`\]` to close the bracket opened at 1:21/);
  assert.match(one(`fn f() {\n  let s = "a {b"\n}`, "E0003", 2, 16).message, /string interpolation opened at 2:14/);
});

test("E0003 at a following declaration, then recovery reports later errors", () => {
  const ds = errs("fn a() {\n  let x = 1\n\nfn b() {\n}\n\nfn c() { let = }\n");
  assert.equal(ds.map((d) => `${d.code} ${d.span.line}:${d.span.col}`), ["E0003 4:1", "E0002 7:14"]);
  assert.match(ds[0].message, /opened at 1:8/);
});

test("E0004 / E0005: unterminated string and comment point at their start", () => {
  one(`fn f() {\n  let s = "abc\n}`, "E0004", 2, 11);
  one(`fn f() { let s = "abc`, "E0004", 1, 18);
  one(`fn f() { let s = """abc\n\n`, "E0004", 1, 18);
  one(`fn f() { /* abc\n\n`, "E0005", 1, 10);
  one(`fn f() { let s = "a\\`, "E0004", 1, 18);
});

test("E0006: bad number literals", () => {
  assert.match(one("fn f() { let x = 18446744073709551616 }", "E0006", 1, 18).message, /too large/);
  one("fn f() { let x = 0x }", "E0006", 1, 18);
  one("fn f() { let x = 0b102 }", "E0006", 1, 18);
  one("fn f() { let x = 10px }", "E0006", 1, 18);
});

test("E0007: unknown escapes", () => {
  const d = one(`fn f() { let s = "a\\qb" }`, "E0007", 1, 20);
  assert.match(d.message, /`\\q`/);
  one(`fn f() { let s = "\\u{110000}" }`, "E0007", 1, 19);
  one(`fn f() { let s = "\\u{}" }`, "E0007", 1, 19);
});

test("E0008: nesting too deep", () => {
  one("fn f() { let x = " + "(".repeat(300) + "1" + ")".repeat(300) + " }", "E0008", 1, 18 + 255);
  one("fn f() " + "{".repeat(300) + "}".repeat(300), "E0008", 1, 8 + 256);
});

test("E0010: NUL bytes", () => {
  one("fn f() {\n  \0\n}", "E0010", 2, 3);
});

test("E0011: keywords as names", () => {
  const d = one("fn f() { let fn = 1 }", "E0011", 1, 14);
  assert.match(d.message, /`fn` is a keyword/);
  assert.ok(d.fix);
  one("fn f() { let s = S { match } }", "E0011", 1, 22); // a shorthand field is a variable: no keyword
  one("fn while() {}", "E0011", 1, 4);
  one("fn f(in: int) {}", "E0011", 1, 6);
});

test("diagnostics are never peggy's raw text", () => {
  const bad = ["fn", "fn f(", "struct", "enum E {", "impl", "}", ")", "fn f() { match }", "fn f() { x.}", "let", "import", "test", "fn f() { |x }", "fn f() { a ?? }", "fn f() { \uFFFD }"];
  for (const src of bad) {
    for (const d of errs(src)) {
      assert.not.match(d.message, /but .* found/, src);
      assert.ok(/^E00\d\d$/.test(d.code), src);
      assert.ok(d.span.line >= 1 && d.span.col >= 1, src);
    }
  }
});

// ---------------------------------------------------------------- robustness

test("pathological inputs end quickly in a module or a diagnostic", () => {
  const cases: [string, string][] = [
    ["10,000-deep parens", "fn main() { let x = " + "(".repeat(10000) + "1" + ")".repeat(10000) + " }"],
    ["10,000-deep blocks", "fn main() " + "{".repeat(10000) + "}".repeat(10000)],
    ["10,000 nested ifs", "fn main() { " + "if a { ".repeat(10000) + "}".repeat(10000) + " }"],
    ["10,000 ifs in conditions", "fn main() { " + "if ".repeat(10000) + "a" + " {}".repeat(10000) + " }"],
    ["10,000 else ifs", "fn main() { if a {} " + "else if b {} ".repeat(10000) + "}"],
    ["10,000 unary minus", "fn main() { let x = " + "- ".repeat(10000) + "x }"],
    ["10,000 not", "fn main() { let x = " + "not ".repeat(10000) + "x }"],
    ["10,000 closures", "fn main() { let x = " + "|x| ".repeat(10000) + "x }"],
    ["10,000 fn types", "fn main() { let x: " + "fn(): ".repeat(10000) + "int = 1 }"],
    ["10,000 Vec<", "fn main() { let x: " + "Vec<".repeat(10000) + "int" + ">".repeat(10000) + " = 1 }"],
    ["10,000 interpolations", "fn main() { let x = " + '"{'.repeat(10000) + "1" + '}"'.repeat(10000) + " }"],
    ["unclosed 10,000 parens", "fn main() { let x = " + "(".repeat(10000)],
    ["1 MB line of additions", "fn main() { let x = " + "1 + ".repeat(250000) + "1 }"],
    ["1 MB line ending badly", "fn main() { let x = " + "a + ".repeat(250000) + " }"],
    ["1 MB string", 'fn main() { let x = "' + "a".repeat(1_000_000) + '" }'],
    ["1 MB of x", "x".repeat(1_000_000)],
    ["NUL bytes", "fn main() {\0\0}"],
    ["unterminated string at EOF", 'fn main() { let x = "abc'],
    ["unterminated comment at EOF", "fn main() { /* abc"],
    ["empty", ""],
  ];
  // Not a speed test: a guard against catastrophic backtracking (which would not end), with a bound far above the
  // time these take, so a loaded machine cannot fail it (10 s failed once at load 30).
  for (const [what, src] of cases) {
    const r = timed(() => parseModule("p.co", src), 60000, what);
    assert.ok(r.value !== null || r.diagnostics.length > 0, what);
  }
});

// Not a speed test (speed is measured by `make bench-compile`): a guard against
// catastrophic backtracking, with a bound far above the ~100 ms this takes, so a
// loaded machine cannot fail it.
test("a 5,000-line program parses without catastrophic backtracking", () => {
  const fnSrc = (i: number) => `fn f${i}(a: int, b: string): int {
  let x = a + ${i} * 2
  var v: Vec<int> = []
  for i in 0..x { v.push(i) }
  if x > 10 { println("big {x}") } else if x < 0 { return 0 } else { x += 1 }
  let m = match a { 0 => 1, 1..5 => 2, _ => { 3 } }
  let u = User { id: a, name: b }
  return v.len() + m
}
`;
  let src = "";
  for (let i = 0; src.split("\n").length < 5000; i++) src += fnSrc(i);
  parseModule("warm.co", fnSrc(0));
  const r = timed(() => parseModule("big.co", src), 10000, "5,000 lines");
  assert.is(r.diagnostics.length, 0);
});

test("mutated programs never throw", () => {
  const base = `import std/http
struct User { id: int, name: string }
enum Shape { Circle(radius: float), Empty }
impl User { fn show(self): string { return "{self.name}#{self.id}" } }
fn main() {
  let u = User { id: 1, name: "a" }
  for (i, x) in [1, 2].enumerate() { if x > 1 and not done { break } }
  let s = match sh { Circle(r) => r * 2.0, _ => 0.0 }
  let f = |x: int| x + 1
  m["k"] = v ?? 0
}
`;
  let seed = 12345;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const alphabet = "(){}[]<>\"'/*\\!?.,:;=+-|&^~ \n\t0aZ_{}";
  for (let i = 0; i < 1500; i++) {
    let s = base;
    const k = 1 + rnd(4);
    for (let j = 0; j < k; j++) {
      const p = rnd(s.length);
      switch (rnd(4)) {
        case 0: s = s.slice(0, p) + s.slice(p + 1 + rnd(5)); break;
        case 1: s = s.slice(0, p) + alphabet[rnd(alphabet.length)] + s.slice(p); break;
        case 2: s = s.slice(0, p); break;
        default: s = s.slice(0, p) + s.slice(rnd(s.length)); break;
      }
    }
    const r = parseModule("fuzz.co", s);
    assert.ok(r.value !== null || r.diagnostics.length > 0);
  }
});

test.run();
