// The fixes of diagnostics that new users met first: each fix must name the
// right type, module or call (a wrong fix is worse than none). The error
// programs in tests/errors pin codes and positions; this pins the fix text.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";
import type { Diagnostic } from "../../src/diagnostics.js";

function diags(src: string): Diagnostic[] {
  return frontEnd({ entry: "t.co", files: new Map([["t.co", src]]), emit: false }).diagnostics;
}

function one(src: string, code: string): Diagnostic {
  const ds = diags(src).filter((d) => d.code === code);
  assert.is(ds.length, 1, `one ${code} in:\n${diags(src).map((d) => `${d.code} ${d.message} [${d.fix}]`).join("\n")}`);
  return ds[0];
}

test("E0402: the fix repeats the call as written, module prefix included", () => {
  const d = one(`import std/time\nasync fn main() {\n  time.sleep(10)\n}\n`, "E0402");
  assert.ok(d.fix?.includes("`await time.sleep(10)`"), d.fix);
});

test("forEach on a collection: E0107 gives the `for` loop, E0238 the element type", () => {
  const src = `struct U { name: string }\nfn main() {\n  let users = [U { name: "a" }]\n  users.forEach(|u| println(u.name))\n}\n`;
  assert.is(one(src, "E0107").fix, "write `for u in users { println(u.name) }`");
  assert.is(one(src, "E0238").fix, "write it: `|u: U| ...`");
  const other = one(`fn main() {\n  let v = ["a"]\n  v.select(|s| s.len())\n}\n`, "E0238");
  assert.is(other.fix, "write it: `|s: string| ...`");
  const free = one(`fn main() {\n  let f = |x| x\n}\n`, "E0238");
  assert.ok(!free.fix?.includes("int"), free.fix);
});

test("E0233: `?` on an optional in a Result function gives `.okOr(err)?`", () => {
  const d = one(`fn f(m: Map<string, int>): Result<int, string> {\n  let v = m.get("a")?\n  return Ok(v)\n}\nfn main() {}\n`, "E0233");
  assert.ok(d.fix?.includes('`m.get("a").okOr(err)?`'), d.fix);
  assert.ok(!d.message.includes("does not"), d.message);
});

test("E0100: a std module without its import gives `import std/NAME`", () => {
  const d = one(`async fn home(): int { return 1 }\nasync fn main() {\n  await time.sleep(10)\n}\n`, "E0100");
  assert.is(d.fix, "add `import std/time` at the top of the file");
});


test("E0230: the missing cases of a recursive enum stop at the recursion (the search never ended)", () => {
  const list = one(`enum List { Nil, Cons(int, List) }\nfn f(r: Result<List, string>): int {\n  return match r {\n    Err(e) => 1,\n  }\n}\nfn main() {}\n`, "E0230");
  assert.ok(list.message.includes("Ok(Nil)") && list.message.includes("Ok(Cons(_, _))"), list.message);
  const tree = one(`enum Tree { Leaf, Node(Tree, int, Tree) }\nfn g(t: Tree?): int {\n  return match t {\n    none => 0,\n  }\n}\nfn main() {}\n`, "E0230");
  assert.ok(tree.message.includes("Node(_, _, _)"), tree.message);
});

test("E0201 on JavaScript's reduce(f, init) gives fold(init, f), and no E0238 follows", () => {
  const src = `fn main() {\n  let s = [1, 2, 3].reduce(|a, b| a + b, 0)\n  println(s)\n}\n`;
  assert.is(one(src, "E0201").fix, "with a starting value, use `fold`, which takes it first: `fold(0, |a, b| a + b)`");
  assert.is(diags(src).filter((d) => d.code === "E0238").length, 0);
  assert.ok(one(`fn main() {\n  let c = "abc".charAt(0)\n}\n`, "E0107").fix?.includes("`slice`"));
});


test("std functions are named as the program imports them, never by std's internal aliases", () => {
  // std/http imports std/json as `jsonc`; importing std/http first made that the module's name.
  const hook = `struct Hook { f: fn(int): int }\n`;
  for (const [imports, q] of [["import std/http\nimport std/json\n", "json"], ["import std/http\nimport std/json as j\n", "j"], ["import std/json\nimport std/http\n", "json"]]) {
    const infer = one(`${imports}fn main() {\n  let t = ${q}.decode("1")\n}\n`, "E0131");
    assert.is(infer.message, `cannot infer type parameter \`T\` of \`${q}.decode\``);
    assert.ok(infer.fix?.includes(`\`${q}.decode<int>(...)\``), infer.fix);
    const enc = one(`${imports}${hook}fn main() {\n  let s = ${q}.encode(Hook { f: |x| x })\n}\n`, "E0132");
    assert.ok(enc.message.includes(`which \`${q}.encode\` requires`), enc.message);
  }
  const all = diags(`import std/http\nimport std/json\n${hook}struct P { x: int }\nfn main() {\n  let a = json.decode("1")\n  let b = json.encode(Hook { f: |x| x })\n  let c = json.nope(1)\n}\n`);
  for (const d of all) assert.ok(!`${d.message} ${d.fix ?? ""}`.includes("jsonc"), `${d.code} ${d.message} [${d.fix}]`);
});

test("E0121: a method used as a value gets the closure that calls it (methods are not values yet)", () => {
  const src = `import std/http\nstruct Svc { n: int }\nimpl Svc {\n  async fn handle(self, req: http.Request): http.Response { return http.text("x") }\n  fn double(self, x: int): int { return x * 2 }\n  fn area(self): int { return self.n }\n}\n`;
  const handle = one(`${src}fn main() {\n  let svc = Svc { n: 1 }\n  let r = http.Router()\n  r.get("/", svc.handle)\n}\n`, "E0121");
  assert.is(handle.fix, "wrap the call in a closure: `async |req| await svc.handle(req)`");
  assert.ok(handle.message.includes("methods are not values yet"), handle.message);
  const sync = one(`${src}fn main() {\n  let svc = Svc { n: 1 }\n  let f: fn(int): int = svc.double\n}\n`, "E0121");
  assert.is(sync.fix, "wrap the call in a closure: `|x| svc.double(x)`");
  const none = one(`${src}fn main() {\n  let svc = Svc { n: 1 }\n  println(svc.area)\n}\n`, "E0121");
  assert.is(none.fix, "call it: `svc.area()`; to pass it as a function, wrap the call in a closure: `|| svc.area()`");
});

test("E0203: a trailing match or if whose branches end in the value gets `return` before it", () => {
  const fnSrc = `fn status(code: int): string {\n  match code {\n    200 => "ok",\n    _ => "other",\n  }\n}\nfn main() { println(status(1)) }\n`;
  assert.is(one(fnSrc, "E0203").fix, "write `return` before the `match`: each branch already ends in the value");
  const ifSrc = `fn sign(n: int): int {\n  if n < 0 { -1 } else { 1 }\n}\nfn main() { println(sign(1)) }\n`;
  assert.is(one(ifSrc, "E0203").fix, "write `return` before the `if`: each branch already ends in the value");
  const closure = `fn apply(f: fn(int): string): string { return f(1) }\nfn main() {\n  println(apply(|n| {\n    match n {\n      1 => "one",\n      _ => "many",\n    }\n  }))\n}\n`;
  const d = diags(closure).find((x) => x.code === "E0203" || x.code === "E0243");
  assert.ok(d, diags(closure).map((x) => x.code).join(","));
});

test("E0114: a method without `self` that uses it: one error, with the fix, and no E0117 at its calls", () => {
  const src = `struct R { w: int }\nimpl R {\n  fn area(): int { return self.w * self.w }\n}\nfn main() { println(R { w: 2 }.area()) }\n`;
  assert.is(one(src, "E0114").fix, "add `self` as its first parameter: `fn area(self)`");
  assert.is(diags(src).length, 1);
});

test("E0216 names the part of a struct that has no `==`", () => {
  const d = one(`struct A { m: Map<string, fn(): int>, n: int }\nfn main() {\n  let a = A { m: {}, n: 1 }\n  println(a == a)\n}\n`, "E0216");
  assert.ok(d.message.includes("its field `m` (`Map<string, fn(): int>`) cannot be"), d.message);
});

test("E0403 on `await f().m()`: the fix puts the awaited call in parentheses", () => {
  const d = one(`import std/fs\nasync fn main() {\n  println(await fs.readFile("x").isOk())\n}\n`, "E0403");
  assert.is(d.fix, "write `(await fs.readFile(\"x\")).isOk()`");
  assert.is(diags(`import std/fs\nasync fn main() {\n  println(await fs.readFile("x").isOk())\n}\n`).length, 1);
});

test("E0001 for a std intrinsic as a value: the closure names it as written", () => {
  assert.ok(one(`import std/json\nfn main() { let enc = json.encode }\n`, "E0001").message.includes("`|v| json.encode(v)`"));
});


test("stop 21, from a new user's report: E0216, E0234, E0207, E0230, E0106 and E0301 fixes", () => {
  const eq = one(`struct S { hooks: Vec<fn()> }\nfn main() {\n  let a = S { hooks: [] }\n  println(a == a)\n}\n`, "E0216");
  assert.ok(eq.message.endsWith("cannot be compared"), eq.message);
  assert.ok(!eq.fix?.includes("a.id"), eq.fix);
  const tryErr = one(`import std/fs\nasync fn load(p: string): Result<int, string> {\n  let text = await fs.readFile(p)?\n  return Ok(text.len())\n}\nfn main() {}\n`, "E0234");
  assert.ok(tryErr.message.includes("`fs.Error`"), tryErr.message);
  assert.ok(tryErr.fix?.includes('`(await fs.readFile(p)).mapErr(|e| "{e}")?`'), tryErr.fix);
  const opt = one(`struct User { name: string }\nvar users: Map<int, User> = {}\nfn main() {\n  let n = users.get(1).name\n}\n`, "E0207");
  assert.ok(opt.fix?.includes("`users.get(1)!.name`") && opt.fix?.includes("`if let v = users.get(1)"), opt.fix);
  const wild = one(`fn main() {\n  let s = "x"\n  let r = match s { "a" => 1 }\n}\n`, "E0230");
  assert.is(wild.fix, "add a `_ =>` arm for the values no arm names");
  const field = one(`struct P { x: int, y: int }\nfn main() {\n  let p = P { x: 1, y: 2 }\n  println(p.colour)\n}\n`, "E0106");
  assert.is(field.fix, "its fields are `x`, `y`");
  const loop = one(`import std/time\nvar names: Map<int, string> = {}\nasync fn main() {\n  var cur = "start"\n  for i in 0..3 {\n    println(cur)\n    cur = names[1]\n    await time.sleep(1)\n  }\n}\n`, "E0301");
  assert.ok(loop.fix?.includes("`names[1].clone()`"), loop.fix);
});

test("E0303: a global collection passed to a parameter that gets a copy and is changed", () => {
  const d = one(`import std/time\nvar tags: Vec<string> = []\nasync fn addLater(v: Vec<string>) { await time.sleep(1); v.push("late") }\nasync fn main() {\n  await addLater(tags)\n}\n`, "E0303");
  assert.ok(d.message.includes("`addLater` changes its parameter `v`") && d.fix?.includes("`.clone()`"), `${d.message} / ${d.fix}`);
  // A sync helper that changes the global in place and does not keep it is fine.
  const ok = diags(`var tags: Vec<string> = []\nfn addNow(v: Vec<string>) { v.push("now") }\nfn main() {\n  addNow(tags)\n}\n`);
  assert.is(ok.filter((x) => x.severity === "error").length, 0);
});

test("E0200 on `x ?? d == y`: the fix names the precedence of `??`", () => {
  const d = one(`struct User { name: string }\nvar users: Map<int, User> = {}\nfn main() {\n  assert(users.get(1).map(|u| u.name) ?? "" == "a!")\n}\n`, "E0200");
  assert.ok(d.fix?.includes("`(x ?? d) == y`"), d.fix);
  assert.is(diags(`struct User { name: string }\nvar users: Map<int, User> = {}\nfn main() {\n  assert((users.get(1).map(|u| u.name) ?? "") == "a!")\n}\n`).filter((x) => x.severity === "error").length, 0);
});

test("E0200 on a comparator's body: compare, do not cast (`as int` truncates a float difference)", () => {
  const src = `struct P { name: string, price: float }\nfn main() {\n  var ps = [P { name: "a", price: 1.5 }]\n  ps.sortBy(|a, b| a.price - b.price)\n  ps.sortBy(|a, b| a.name < b.name)\n  ps.sortBy(|a, b| a.name > b.name)\n}\n`;
  const ds = diags(src).filter((d) => d.code === "E0200");
  assert.is(ds.length, 3);
  assert.ok(ds[0].fix?.includes("`if a.price < b.price { -1 } else if a.price > b.price { 1 } else { 0 }`") && !ds[0].fix.includes("(...) as int"), ds[0].fix);
  assert.ok(ds[1].fix?.includes("`if a.name < b.name { -1 } else if a.name > b.name { 1 } else { 0 }`"), ds[1].fix);
  assert.ok(ds[2].fix?.includes("`if b.name < a.name { -1 }"), ds[2].fix);
  // An int closure that is not a comparator keeps the cast.
  assert.ok(one(`fn main() {\n  let v = [1.5].map(|x| x * 2.0)\n  let f: fn(float): int = |x| x * 2.0\n}\n`, "E0200").fix?.includes("as int"));
});

test("E0202 on a pattern's binding gives no `var`: the global path, or a copy; a map loop's value gives map[key]", () => {
  const g = `struct U { name: string }\nvar users: Map<int, U> = {}\nfn main() {\n  if let u = users.get(1) {\n    u.name = "b"\n  }\n}\n`;
  const d = one(g, "E0202");
  assert.ok(!d.fix?.includes("var u") && d.fix?.includes("`users[1].name = \"b\"`"), d.fix);
  assert.ok(d.message.includes("bound by a pattern"), d.message);
  const arm = one(`enum S { Active, Banned(reason: string) }\nstruct U { s: S }\nfn main() {\n  var u = U { s: Active }\n  match u.s {\n    Banned(r) => r = "x",\n    Active => {},\n  }\n}\n`, "E0202");
  assert.ok(!arm.fix?.includes("var r ") && !arm.fix?.includes("declare it") && arm.fix?.includes("`u.s = ...`"), arm.fix);
  const loop = one(`struct T { id: int, done: bool }\nvar todos: Map<int, T> = {}\nfn main() {\n  for (id, t) in todos {\n    t.done = true\n  }\n}\n`, "E0202");
  assert.ok(loop.fix?.includes("`todos[id].done = true`"), loop.fix);
  assert.is(one(`fn main() {\n  let x = 5\n  x = 6\n}\n`, "E0202").fix, "declare it with `var x` to make it reassignable");
});

test("await in a closure a collection's method calls: E0401 and E0200 give a `for` loop, not an async closure", () => {
  const pre = `import std/time\nasync fn tick(): int { await time.sleep(1); return 1 }\nasync fn main() {\n  let v = [1, 2, 3]\n`;
  const d = one(`${pre}  let d = v.map(|x| await tick() + x)\n}\n`, "E0401");
  assert.ok(d.fix?.includes("`for x in v { out.push(await tick() + x) }`") && !d.fix.includes("async |"), d.fix);
  const m = one(`${pre}  let d = v.map(async |x| await tick() + x)\n}\n`, "E0200");
  assert.ok(m.fix?.includes("`for x in v {"), m.fix);
  // A closure no collection calls keeps the async closure fix.
  assert.ok(one(`${pre}  let f = |x: int| await tick() + x\n}\n`, "E0401").fix?.includes("async |"));
});

test("http: a Router where a handler is expected gives r.handler(); a sync closure keeps the user's parameter names", () => {
  const pre = `import std/http\n`;
  assert.is(one(`${pre}fn main() {\n  var r = http.Router()\n  http.serve(8080, r)\n}\n`, "E0200").fix, "pass the router's handler: `r.handler()`");
  const c = one(`${pre}fn main() {\n  var r = http.Router()\n  r.get("/a", |req| http.text("hi"))\n  http.serve(8080, r.handler())\n}\n`, "E0200");
  assert.ok(c.fix?.includes("`async |req| ...`") && !c.fix.includes("x0"), c.fix);
  const f = one(`${pre}fn h(req: http.Request): http.Response { return http.text("hi") }\nfn main() { http.serve(8080, h) }\n`, "E0200");
  assert.ok(f.fix?.includes("`async fn h`"), f.fix);
});

test("E0100 inside a route pattern's interpolation: a note that `{...}` interpolates, and the `:id` pattern", () => {
  const d = one(`import std/http\nfn main() {\n  let r = http.Router()\n  r.get("/users/{id}", async |req| http.text("x"))\n  http.serve(8080, r.handler())\n}\n`, "E0100");
  assert.ok(d.notes.some((n) => n.message.includes("`:name`")), JSON.stringify(d.notes));
  assert.is(d.fix, "write the parameter with `:`: `\"/users/:id\"`, and read it with `req.param(\"id\")`");
  assert.is(one(`fn main() {\n  println("/users/{id}")\n}\n`, "E0100").notes.length, 0);
});

test("E0107 req.json<T>() gives json.decode<T>(req.body); E0207 on a Result's field gives `?` or a match", () => {
  const j = one(`import std/http\nstruct N { title: string }\nasync fn c(req: http.Request): http.Response {\n  let t = req.json<N>()\n  return http.text("x")\n}\nfn main() { http.serve(8080, c) }\n`, "E0107");
  assert.ok(j.fix?.includes("`json.decode<N>(req.body)` (with `import std/json`)"), j.fix);
  const r = one(`import std/http\nasync fn main() {\n  println((await http.get("u")).body)\n}\n`, "E0207");
  assert.ok(r.fix?.includes("`(await http.get(\"u\"))?.body`") && r.fix.includes("if let Ok(v) ="), r.fix);
});

test("on an unbounded type parameter: E0216 gives `T: Eq`, E0217 `T: Ord`, E0235 names the traits that declare the method", () => {
  assert.is(one(`fn c<T>(a: T, b: T): bool { return a == b }\nfn main() {}\n`, "E0216").fix, "add a bound: `T: Eq`");
  assert.is(one(`fn c<T>(a: T, b: T): bool { return a < b }\nfn main() {}\n`, "E0217").fix, "add a bound: `T: Ord`");
  const src = `trait Area { fn area(self): float }\nfn total<T>(xs: Vec<T>): float {\n  var t = 0.0\n  for x in xs { t += x.area() }\n  return t\n}\nfn main() {}\n`;
  assert.is(one(src, "E0235").fix, "add a bound that provides it: `T: Area`");
  assert.ok(!one(`fn f<T>(x: T): int { return x.size() }\nfn main() {}\n`, "E0235").fix?.includes("SomeTrait"));
});

test("E0131: the suggested type arguments keep the ones the arguments fixed, and write `int` for the unknown ones", () => {
  const d = one(`fn main() {\n  let g = |i: int| Err("fail {i}")\n}\n`, "E0131");
  assert.ok(d.fix?.includes("`Result<int, string>.Err(...)`") && !d.fix.includes("Result<int, int>"), d.fix);
  assert.ok(one(`fn mk<A, B>(a: A): Vec<B> { return [] }\nfn main() {\n  let x = mk("s")\n}\n`, "E0131").fix?.includes("`mk<string, int>(...)`"));
});

test("parse slips: `if x = 6`, single quotes, `while let`, `int??`, a global without a value", () => {
  assert.is(one(`fn main() {\n  var x = 5\n  if x = 6 { println("six") }\n}\n`, "E0050").fix, "write `if x == 6 {`");
  assert.is(one(`fn main() {\n  let c = 'a'\n}\n`, "E0051").fix, 'write `"a"`');
  assert.ok(one(`fn main() {\n  var v = [1]\n  while let x = v.pop() {\n    println(x)\n  }\n}\n`, "E0052").fix?.includes("`while true { if let x = v.pop() { ... } else { break } }`"));
  assert.is(one(`fn f(x: int??) {}\nfn main() {}\n`, "E0053").fix, "write `int?`");
  assert.is(one(`var n: int\nfn main() {}\n`, "E0054").fix, "write `var n: int = 0`");
});

test("E0401 in a closure passed where a sync function type is expected: the fix makes that type async", () => {
  const src = `async fn g(n: int): int { return n }\nfn apply(f: fn(int): int): int { return f(1) }\nasync fn main() {\n  println("{apply(|x| await g(x))}")\n}\n`;
  const d = one(src, "E0401");
  assert.ok(d.fix?.includes("`async fn(int): int`"), d.fix);
  const local = one(`async fn main() {\n  let f = || {\n    await main()\n  }\n}\n`, "E0401");
  assert.ok(local.fix?.startsWith("make it an async closure"), local.fix);
});

test("branches that decide each other's type: no E0131 for `if c { Err(..) } else { Ok(..) }`", () => {
  const ok = `fn f(c: bool): Result<int, string> {\n  let r = if c { Err("x") } else { Ok(1) }\n  return r\n}\nfn main() {}\n`;
  assert.equal(diags(ok).filter((d) => d.severity === "error").map((d) => d.code), []);
  const m = `fn f(c: bool): Result<int, string> {\n  let r = match c { true => Err("x"), false => Ok(1) }\n  return r\n}\nfn main() {}\n`;
  assert.equal(diags(m).filter((d) => d.severity === "error").map((d) => d.code), []);
  // Nothing decides `T`: still E0131, at each branch.
  const open = `fn main() {\n  let r = if true { Err("x") } else { Err("y") }\n}\n`;
  assert.equal(diags(open).filter((d) => d.severity === "error").map((d) => d.code), ["E0131", "E0131"]);
  // A branch with another error keeps every diagnostic as it was.
  const other = `fn main() {\n  let r = if true { Err(nope) } else { Ok(1) }\n}\n`;
  assert.ok(diags(other).some((d) => d.code === "E0100"));
});

test("a TypeScript object literal: one E0133 whose fix is a struct or a json.Value (round 4)", () => {
  const src = `import std/http\nfn h(): http.Response {\n  return http.json(400, { error: "bad input", code: 42 })\n}\nfn main() {}\n`;
  assert.is(diags(src).length, 1, diags(src).map((d) => d.code).join(" "));
  const d = one(src, "E0133");
  assert.ok(d.message.includes("quoted strings"), d.message);
  assert.ok(d.fix?.includes("`struct Body { error: string, code: int }`") && d.fix.includes('`Body { error: "bad input", code: 42 }`'), d.fix);
  assert.ok(d.fix?.includes('`json.Value.Object({ "error": json.Value.String("bad input"), "code": json.Value.Number(42.0) })` (with `import std/json`)'), d.fix);
  const mixed = diags(`import std/json as j\nfn main() {\n  let n = 2\n  let m = { "id": n, "name": "x", "ok": true }\n}\n`);
  assert.is(mixed.length, 1, mixed.map((x) => x.code).join(" "));
  assert.is(mixed[0].code, "E0200");
  assert.ok(mixed[0].fix?.includes("`struct Body { id: int, name: string, ok: bool }`"), mixed[0].fix);
  assert.ok(mixed[0].fix?.includes('"id": j.Value.Number(n as float)') && !mixed[0].fix.includes("import std/json"), mixed[0].fix);
  // One value type: quoting the keys is the first fix. A key that names a local is a map key as before.
  assert.ok(one(`fn main() {\n  let m = { a: 1, b: 2 }\n}\n`, "E0133").fix?.startsWith('quote the keys: `{ "a": 1, "b": 2 }`'));
  assert.is(diags(`fn main() {\n  let k = "a"\n  let m = { k: 1 }\n  println(m[k])\n}\n`).length, 0);
  const typed = one(`fn main() {\n  let m: Map<string, int> = { a: 1, b: 2 }\n}\n`, "E0133");
  assert.is(typed.fix, 'quote the keys: `{ "a": 1, "b": 2 }`');
  assert.ok(typed.message.includes("a `Map<string, int>` is expected here"), typed.message);
});

test("the fixes of E0133/E0200 on an object literal compile when applied", () => {
  const src = `import std/http\nimport std/json\nstruct Body { error: string, code: int }\nfn h(): http.Response {\n  return http.json(400, Body { error: "bad input", code: 42 })\n}\nfn g(): http.Response {\n  return http.json(400, json.Value.Object({ "error": json.Value.String("bad input"), "code": json.Value.Number(42.0) }))\n}\nfn main() {}\n`;
  assert.is(diags(src).length, 0, diags(src).map((d) => `${d.code} ${d.message}`).join("\n"));
});

test("E0037, not E0004, on a closed string with `{{` (round 4)", () => {
  for (const [line, fix] of [['println("{{")', '`"\\{"`'], ['println("%d %s {{".len())', '`"%d %s \\{"`']]) {
    const d = one(`fn main() {\n  ${line}\n}\n`, "E0037");
    assert.ok(d.fix?.endsWith(fix), d.fix);
  }
});

test("columns count code points, in the grammar's spans and in lineCol (round 4)", () => {
  for (const [pre, col] of [["😀😀", 33], ["é€", 33], ["a😀b€", 35]] as const) {
    const d = one(`fn main() {\n  let s = "${pre}"; let x: string = 1\n}\n`, "E0200");
    assert.is(d.span.col, col, pre);
  }
  // A parse error found by the pre-pass (spanAt/lineCol), after an emoji on its line.
  assert.is(one(`fn main() {\n  let s = "😀"; let t = "{}"\n}\n`, "E0037").span.col, 25);
});

test("`Self` outside a trait or an impl is E0101 saying where it names a type, never a `Set` guess (round 4; a type in traits and impls since stop 27)", () => {
  assert.is(diags(`trait Zero { fn zero(): Self }\nfn main() {}\n`).length, 0);
  const d = one(`fn f(x: Self): int {\n  return 1\n}\nfn main() {}\n`, "E0101");
  assert.ok(d.message.includes("`Self`") && !d.fix?.includes("`Set`") && d.fix!.includes("impl"), `${d.message} ${d.fix}`);
});

test("constants in patterns: E0246 with a guard that compiles (round 4)", () => {
  const m = (arm: string) => `const LIMIT: int = 10\nfn f(x: int): int {\n  return match x {\n    ${arm} => 1,\n    _ => 0,\n  }\n}\nfn main() {}\n`;
  assert.is(one(m("i64.MIN"), "E0246").fix, "compare in a guard: `x if x == i64.MIN =>`");
  assert.is(one(m("0..=LIMIT"), "E0246").fix, "compare in a guard: `x if x >= 0 and x <= LIMIT =>`");
  assert.is(one(m("0..=i64.MAX"), "E0246").fix, "compare in a guard: `x if x >= 0 =>`");
  assert.is(one(m("i64.MIN..=-1"), "E0246").fix, "compare in a guard: `x if x <= -1 =>`");
  assert.is(one(m("1..LIMIT"), "E0246").fix, "compare in a guard: `x if x >= 1 and x < LIMIT =>`");
  for (const g of ["x if x == i64.MIN", "x if x >= 0 and x <= LIMIT", "x if x <= -1", "x if x >= 1 and x < LIMIT"]) assert.is(diags(m(g)).length, 0, g);
  assert.is(diags(m("0..=10")).length, 0);
});

test("an import of a file whose name is not a name: rename it (round 4)", () => {
  assert.is(one(`import ./my-lib as ml\nfn main() {}\n`, "E0002").fix, "rename the file to `my_lib.co` and write `import ./my_lib as ml`");
  assert.is(one(`import ./util.co\nfn main() {}\n`, "E0002").fix, "leave out the `.co`: `import ./util`");
});

test("smaller fixes of round 4 use the user's own operands", () => {
  const f = (body: string, code: string, pre = "") => one(`${pre}fn main() {\n${body}\n}\n`, code).fix;
  assert.is(f(`  prinltn("hi")`, "E0100"), "did you mean `println`?");
  assert.is(one(`fn div(a: int, b: int): Result<int, string> {\n  return a / b\n}\nfn main() {}\n`, "E0200").fix, "wrap it in `Ok`: `Ok(a / b)`");
  assert.ok(f(`  let v = [1]\n  let a = v.get(0)`, "E0107")?.startsWith("index it: `v[0]`") && f(`  let v = [1]\n  let a = v.get(0)`, "E0107")?.includes("`v.first()`"));
  assert.ok(f(`  let t = fs.readFile("x")\n  println(t.len())`, "E0107", "import std/fs\n")?.includes("`t?.len(...)`"));
  assert.is(f(`  let n = 1\n  let s: string = "count: " + n`, "E0204"), 'interpolate instead: `"count: {n}"`');
  assert.is(f(`  let n = 1\n  let f = 2.0\n  let g = n * f`, "E0224"), "convert the left side explicitly: `n as float * f`");
  assert.is(f(`  let n = 1\n  let f = 2.0\n  let g = f * (n + 1)`, "E0224"), "convert the right side explicitly: `f * (n + 1) as float`");
  assert.is(f(`  let o = 0o17`, "E0006"), "write it in decimal, `15`, or hexadecimal, `0x0f`");
  // The expected type no longer decides a type argument the arguments contradict: one E0200, at the call.
  const src = `fn first<T>(v: Vec<T>): T { return v[0] }\nfn main() {\n  let x: string = first([1, 2])\n}\n`;
  assert.is(one(src, "E0200").fix, 'interpolate it: `"{first([1, 2])}"`');
  assert.is(one(src, "E0200").span.col, 19);
  // ... while it still types the literals that agree with it.
  assert.is(diags(`fn first<T>(v: Vec<T>): T { return v[0] }\nfn main() {\n  let x: u8 = first([1, 2])\n  let v: Vec<u8> = [first([3])]\n}\n`).length, 0);
});

test("E0303 through every borrow of global state: the global-path fix (tester round 4)", () => {
  const pre = `struct User { name: string, tags: Vec<string> }\nvar users: Map<int, User> = {}\nvar lists: Vec<Vec<int>> = [[1]]\nvar byName: Map<string, Vec<int>> = {}\nfn addTag(u: User, t: string) { u.tags.push(t) }\nfn addTwice(u: User, t: string) { addTag(u, t) }\nfn count(u: User): int { return u.tags.len() }\nfn addAllIn(ls: Vec<Vec<string>>) { ls[0].push("x") }\n`;
  const fix = (body: string) => one(`${pre}fn main() {\n${body}\n}\n`, "E0303").fix ?? "";
  const cases: [string, string][] = [
    [`  let (u, _) = (users[1], 0)\n  u.tags.push("t")`, '`users[1].tags.push("t")`'],
    [`  if let x = users.get(1) { x.tags.push("t") }`, '`users[1].tags.push("t")`'],
    [`  match users.get(1) { Some(y) => y.tags.push("t"), none => {} }`, '`users[1].tags.push("t")`'],
    [`  for (k, v) in byName { v.push(1) }`, "`byName[k].push(1)`"],
    [`  let ts = [users[1].tags]\n  ts[0].push("t")`, '`users[1].tags.push("t")`'],
    [`  let h = (users[1].tags, 0)\n  h.0.push("t")`, '`users[1].tags.push("t")`'],
    [`  let w = users[1]\n  addTag(w, "t")`, '`addTag(users[1], "t")`'],
    [`  let w = users[1]\n  addTwice(w, "t")`, '`addTwice(users[1], "t")`'],
    [`  let b = lists.last()!\n  b.push(2)`, "`lists[lists.len() - 1].push(2)`"],
    [`  let b = lists.first()!\n  b.push(2)`, "`lists[0].push(2)`"],
    [`  for l in lists { l.push(5) }`, "`for i in 0..lists.len() { lists[i].push(5) }`"],
    // the index does not hide a name the loop uses
    [`  let i = 3\n  for l in lists { l.push(i) }`, "`for j in 0..lists.len() { lists[j].push(i) }`"],
    // a literal holding a borrow passed where the callee changes inside it: a copy in the literal
    [`  addAllIn([users[1].tags])`, "put `users[1].tags.clone()` in `[users[1].tags]`"],
    [`  for (j, l) in lists.enumerate() { l.push(5) }`, "`lists[j].push(5)`"],
    [`  let d = byName.get("k") ?? []\n  d.push(3)`, '`if byName.has("k") { byName["k"].push(3) }`'],
  ];
  for (const [body, want] of cases) { const f = fix(body); assert.ok(f.includes(want), `${body}\n=> ${f}`); }
  // No path: only the copy, with `.clone()` where the value was read (parenthesised after `??`).
  const find = fix(`  let f = lists.find(|v| v.len() > 0)!\n  f.push(1)`);
  assert.is(find, "change a copy: `let f = lists.find(|v| v.len() > 0)!.clone()` (`lists` itself then stays unchanged)");
  assert.is(fix(`  var vs = users.values()\n  vs[0].tags.push("x")`), "change a copy: `var vs = users.values().clone()` (`users` itself then stays unchanged)");
  assert.ok(fix(`  let d = byName.get("k") ?? []\n  d.push(3)`).includes('`let d = (byName.get("k") ?? []).clone()`'));
  assert.ok(!fix(`  let b = lists.last()!\n  b.push(2)`).includes("`lists.push(2)`"));
  // A global path passed, a parameter only read, a fresh container changed: no error.
  const ok = diags(`${pre}fn main() {\n  addTag(users[1], "t")\n  let w = users[1]\n  println(count(w))\n  var ts = [users[1].tags]\n  ts.push([])\n}\n`);
  assert.is(ok.filter((x) => x.severity === "error").length, 0, ok.map((x) => x.message).join("\n"));
});

test("E0301 on a borrow without a path names the global, not `users.name`", () => {
  const d = one(`import std/time\nstruct User { name: string }\nvar users: Map<int, User> = {}\nasync fn main() {\n  let names = users.values().map(|u| u.name)\n  await time.sleep(1)\n  println(names)\n}\n`, "E0301");
  const labels = (d.labels ?? []).map((l) => l.message).join(" / ");
  assert.ok(labels.includes("may change `users`") && !labels.includes("users.name"), labels);
  const job = one(`import std/time\nvar queue: Vec<Vec<int>> = []\nasync fn main() {\n  let job = queue.pop() ?? []\n  await time.sleep(1)\n  println(job)\n}\n`, "E0301");
  assert.ok(job.fix?.includes("`let job = (queue.pop() ?? []).clone()`"), job.fix);
});

test("`await all(xs.map(|x| f(x)))` with async f: one E0405 whose fix spawns the call, and the fix compiles (round 5)", () => {
  const pre = `import std/time\nasync fn double(x: int): int { await time.sleep(1); return x * 2 }\nasync fn main() {\n`;
  const src = `${pre}  let v = await all([1, 2, 3].map(|x| double(x)))\n  println(v)\n}\n`;
  const d = one(src, "E0405");
  assert.is(diags(src).length, 1, diags(src).map((x) => x.code).join(" "));
  const fixed = /`([^`]*spawn[^`]*)`/.exec(d.fix ?? "")![1];
  assert.is(fixed, "[1, 2, 3].map(|x| spawn double(x))");
  assert.is(diags(`${pre}  let v = await all(${fixed})\n  println(v)\n}\n`).length, 0);
  const block = one(`${pre}  let v = await all([1].map(|x| { return double(x) }))\n  println(v)\n}\n`, "E0405");
  assert.ok(block.fix?.includes("`[1].map(|x| { return spawn double(x) })`"), block.fix);
});

test("two methods of one name on a type (two traits, or inherent and trait): one E0102 stating the rule, no E0126; the rename compiles (round 5)", () => {
  const two = (b: string) => `trait A { fn name(self): string }\ntrait B { fn ${b}(self): string }\nstruct S {}\nimpl A for S { fn name(self): string { return "A" } }\nimpl B for S { fn ${b}(self): string { return "B" } }\nfn viaB<T: B>(x: T): string { return x.${b}() }\nfn main() { println("{viaB(S {})} {S {}.name()}") }\n`;
  const d = one(two("name"), "E0102");
  assert.is(diags(two("name")).length, 1, diags(two("name")).map((x) => x.code).join(" "));
  assert.ok(d.message.includes("even from different traits"), d.message);
  const renamed = /e\.g\. `(\w+)`/.exec(d.fix ?? "")![1];
  assert.is(renamed, "nameB");
  assert.is(diags(two(renamed)).length, 0);
  const inh = (t: string) => `trait Named { fn ${t}(self): string }\nstruct S { n: string }\nimpl S { fn name(self): string { return self.n } }\nimpl Named for S { fn ${t}(self): string { return "t" } }\nfn show<T: Named>(x: T): string { return x.${t}() }\nfn main() { println(show(S { n: "a" })) }\n`;
  const e = one(inh("name"), "E0102");
  assert.is(diags(inh("name")).length, 1);
  assert.is(diags(inh(/e\.g\. `(\w+)`/.exec(e.fix ?? "")![1])).length, 0);
});

test("E0403 on `await f().field`: await takes the whole chain; the parenthesised fix (and its Result form) compiles (round 5)", () => {
  const pre = `import std/time\nstruct User { name: string }\nasync fn fetch(id: int): User { await time.sleep(1); return User { name: "u" } }\nasync fn tryFetch(id: int): Result<User, string> { return Ok(User { name: "u" }) }\n`;
  const prog = (fn: string, line: string) => `${pre}async fn ${fn} {\n  let n = ${line}\n  println(n)\n${fn.includes("Result") ? "  return Ok(1)\n" : ""}}\n${fn.startsWith("main") ? "" : "async fn main() {}\n"}`;
  const d = one(prog("main()", "await fetch(1).name"), "E0403");
  assert.is(diags(prog("main()", "await fetch(1).name")).length, 1);
  assert.is(d.fix, "write `(await fetch(1)).name`");
  assert.is(diags(prog("main()", "(await fetch(1)).name")).length, 0);
  const r = one(prog("g(): Result<int, string>", "await tryFetch(1).name"), "E0403");
  assert.is(diags(prog("g(): Result<int, string>", "await tryFetch(1).name")).length, 1);
  const forms = [...(r.fix ?? "").matchAll(/`([^`]*await[^`]*)`/g)].map((x) => x[1]);
  assert.ok(forms.includes("(await tryFetch(1))?.name"), r.fix);
  assert.is(diags(prog("g(): Result<int, string>", "(await tryFetch(1))?.name")).length, 0);
  assert.is(diags(prog("main()", "match await tryFetch(1) { Ok(v) => v.name, Err(e) => e }")).length, 0);
});

test("E0115 on `async fn main(): int` keeps `async`; the fix compiles (round 5)", () => {
  const d = one(`import std/os\nasync fn main(): int {\n  return 3\n}\n`, "E0115");
  const decl = /`(async fn main\(\)) \{ \.\.\. \}`/.exec(d.fix ?? "");
  assert.ok(decl && d.fix?.includes("`os.exit(code)`"), d.fix);
  assert.is(diags(`import std/os\n${decl![1]} {\n  os.exit(3)\n}\n`).length, 0);
  assert.ok(one(`fn main(args: string) {}\n`, "E0115").fix?.startsWith("declare it as `fn main() { ... }`; the command-line arguments are `os.args()`"));
});

test("E0055 on `spawn { ... }`: the fix's async closure form compiles (round 5)", () => {
  const body = `    await time.sleep(1)\n    println("x")\n`;
  const d = one(`import std/time\nasync fn main() {\n  spawn {\n${body}  }\n}\n`, "E0055");
  const form = /`(spawn \(async fn\(\) \{) \.\.\. (\}\)\(\))`/.exec(d.fix ?? "");
  assert.ok(form, d.fix);
  assert.is(diags(`import std/time\nasync fn main() {\n  ${form![1]}\n${body}  ${form![2]}\n}\n`).length, 0);
});

test("E0150 on a trait as a parameter's type: the fix makes the function generic, and compiles (round 5)", () => {
  const pre = `trait Repo { fn find(self, id: int): string? }\nstruct Db {}\nimpl Repo for Db { fn find(self, id: int): string? { return "d" } }\n`;
  const prog = (head: string) => `${pre}${head} { return r.find(id) ?? "-" }\nfn main() { println(lookup(Db {}, 1)) }\n`;
  const d = one(prog("fn lookup(r: Repo, id: int): string"), "E0150");
  assert.is(d.fix, "write `fn lookup<T: Repo>(r: T, id: int): string` (each call then uses the type it passes)");
  assert.is(diags(prog("fn lookup<T: Repo>(r: T, id: int): string")).length, 0);
  assert.ok(one(`${pre}fn all(rs: Vec<Repo>) {}\nfn main() {}\n`, "E0150").fix?.includes("`fn f<T: Repo>(v: Vec<T>)`"));
});

test("E0102 on two imports of one name: the fix renames the second with `as`, and compiles (round 5)", () => {
  const run = (main: string) => frontEnd({ entry: "t.co", files: new Map([["t.co", main], ["lib/util.co", "pub fn a(): int { return 1 }\n"], ["other/util.co", "pub fn b(): int { return 2 }\n"]]), emit: false }).diagnostics;
  const ds = run(`import ./lib/util\nimport ./other/util\nfn main() { println(util.a()) }\n`);
  assert.is(ds.length, 1);
  const renamed = /`(import [^`]+ as (\w+))`/.exec(ds[0].fix ?? "");
  assert.is(renamed?.[1], "import ./other/util as util2", ds[0].fix);
  assert.is(run(`import ./lib/util\n${renamed![1]}\nfn main() { println(util.a() + ${renamed![2]}.b()) }\n`).length, 0);
  assert.is(run(`import ./lib/util\nimport ./lib/util\nfn main() {}\n`)[0].fix, "remove this import: the module is already imported");
});

test("E0119 outside a generic function names concrete types; E0101 on `impl Cache<K, V>` declares them after impl; both fixes compile (round 5)", () => {
  const pre = `struct Cache<K: Hash, V> { m: Map<K, V> }\n`;
  const d = one(`${pre}fn make(): Cache { return Cache { m: {} } }\nfn main() {}\n`, "E0119");
  assert.is(diags(`${pre}fn make(): Cache { return Cache { m: {} } }\nfn main() {}\n`).length, 1);
  const concrete = /e\.g\. `([^`]+)`/.exec(d.fix ?? "")![1];
  assert.is(concrete, "Cache<string, int>");
  assert.is(diags(`${pre}fn make(): ${concrete} { return Cache { m: {} } }\nfn main() {}\n`).length, 0);
  const generic = /`(fn f<[^`]+)`/.exec(d.fix ?? "")![1].replace("(...)", "()");
  assert.is(diags(`${pre}${generic} { return Cache { m: {} } }\nfn main() {}\n`).length, 0, generic);
  const body = ` {\n  fn get(self, k: K): V? { return self.m.get(k) }\n}\nfn main() {}\n`;
  const e = one(`${pre}impl Cache<K, V>${body}`, "E0101");
  assert.is(diags(`${pre}impl Cache<K, V>${body}`).length, 1);
  const head = /`(impl<[^`]+)`/.exec(e.fix ?? "")![1];
  assert.is(head, "impl<K: Hash, V> Cache<K, V>");
  assert.is(diags(`${pre}${head}${body}`).length, 0);
});

test("E0107 on `m.entries()`: iterate the map as it is; the fix compiles (round 5)", () => {
  const prog = (loop: string) => `fn main() {\n  let m: Map<string, int> = { "a": 1 }\n  ${loop} { println(k) }\n}\n`;
  const d = one(prog("for (k, v) in m.entries()"), "E0107");
  const loop = /`(for \(k, v\) in m) \{ \.\.\. \}`/.exec(d.fix ?? "");
  assert.ok(loop, d.fix);
  assert.is(diags(prog(loop![1])).length, 0);
});

test("E0131 on a struct literal: the fix writes types that compile, not the struct's parameter names (round 5)", () => {
  const decl = `struct Page<T> { items: Vec<T>, total: int }\nstruct Keyed<K: Hash, V> { m: Map<K, V> }\n`;
  for (const [lit, name] of [["Page { items: [], total: 0 }", "Page"], ["Keyed { m: {} }", "Keyed"]]) {
    const prog = (e: string) => `${decl}fn main() {\n  let p = ${e}\n  println("{p}")\n}\n`.replace('println("{p}")', "let q = p");
    const d = one(prog(lit), "E0131");
    const form = new RegExp("`(" + name + "<[^`]*>) \\{ \\.\\.\\. \\}`").exec(d.fix ?? "");
    assert.ok(form && !/[TKV][,>]/.test(form[1]), d.fix);
    assert.is(diags(prog(lit.replace(name, form![1]))).length, 0, form![1]);
  }
});

test("after an impl header with undeclared type parameters, its methods exist: one E0101, no E0107 at the calls (round 5)", () => {
  const src = `struct Cache<K: Hash, V> { m: Map<K, V> }\nimpl Cache<K, V> {\n  fn get(self, k: K): V? { return self.m.get(k) }\n  fn put(mut self, k: K, v: V) { self.m.set(k, v) }\n}\nfn main() {\n  var c = Cache<string, int> { m: {} }\n  c.put("a", 1)\n  println("{c.get("a") ?? 0}")\n}\n`;
  assert.equal(diags(src).map((d) => d.code), ["E0101"]);
});

test("E0150 on a closure parameter typed by a trait: the fix gives an implementing type, and it compiles (round 5)", () => {
  const prog = (p: string) => `trait Repo { fn find(self, id: int): string? }\nstruct Mem { n: int }\nimpl Repo for Mem { fn find(self, id: int): string? { return none } }\nfn main() {\n  let f = |${p}| r.find(1)\n  println(f(Mem { n: 1 }) ?? "-")\n}\n`;
  const d = one(prog("r: Repo"), "E0150");
  assert.ok(d.message.includes("closure") && !d.fix?.includes("Vec<T>"), d.fix);
  const fixed = /`\|(r: \w+)\| \.\.\.`/.exec(d.fix ?? "");
  assert.ok(fixed, d.fix);
  assert.is(diags(prog(fixed![1])).length, 0);
});

test("E0200 for `T?` where T is itself optional: the message says it nests two, the fix flattens and compiles (round 5)", () => {
  const prog = (e: string) => `fn first<T>(v: Vec<T>): T? {\n  if v.len() == 0 { return none }\n  return v[0]\n}\nfn main() {\n  let x: string? = ${e}\n  println(x ?? "-")\n}\n`;
  const d = one(prog(`first([none, "a"])`), "E0200");
  const fixed = /flatten both into one with `([^`]+)`/.exec(d.fix ?? "");
  assert.ok(fixed && d.fix!.includes("optional of an optional"), d.fix);
  assert.is(diags(prog(fixed![1])).length, 0);
});

test("E0210 on `9 as int?`: the fix declares the variable's type and compiles; `none as int?` is accepted", () => {
  const prog = (stmt: string) => `fn main() {\n  ${stmt}\n  println(x ?? 0)\n}\n`;
  const d = one(prog("let x = 9 as int?"), "E0210");
  const fixed = /`(let x: int\? = 9)`/.exec(d.fix ?? "");
  assert.ok(fixed, d.fix);
  assert.is(diags(prog(fixed![1])).length, 0);
  assert.is(diags(prog("let x = none as int?")).length, 0);
});

test("names of an imported module written without its prefix: the fix is the qualified name, and it compiles (round 6)", () => {
  const lib = `pub struct Sq { side: float }\npub trait Area { fn area(self): float }\npub fn total<T: Area>(xs: Vec<T>): float {\n  var t = 0.0\n  for x in xs { t += x.area() }\n  return t\n}\n`;
  const run = (src: string) => frontEnd({ entry: "t.co", files: new Map([["t.co", src], ["geom.co", lib]]), emit: false }).diagnostics;
  const prog = (ty: string, tr: string, call: string) => `import ./geom\nfn area(s: ${ty}): float { return s.side }\nimpl ${tr} for geom.Sq { fn area(self): float { return self.side * self.side } }\nfn main() {\n  let s = geom.Sq { side: 2.0 }\n  println(${call}([s]) + area(s))\n}\n`;
  const ds = run(prog("Sq", "Area", "total"));
  const fixOf = (code: string) => /did you mean `([^`]+)`/.exec(ds.find((d) => d.code === code)?.fix ?? "")?.[1];
  assert.equal([fixOf("E0101"), fixOf("E0122"), fixOf("E0100")], ["geom.Sq", "geom.Area", "geom.total"]);
  assert.is(run(prog(fixOf("E0101")!, fixOf("E0122")!, fixOf("E0100")!)).length, 0);
});

test("E0204 on an optional number: the default fix compiles (round 6)", () => {
  const prog = (e: string) => `fn main() {\n  let n = "5".parseInt()\n  println(${e} + 1)\n}\n`;
  const d = one(prog("n"), "E0204");
  const fixed = /give it a default, `([^`]+)`/.exec(d.fix ?? "");
  assert.ok(fixed, d.fix);
  assert.is(diags(prog(fixed![1])).length, 0);
});

test("a task handle used as its value: the fix awaits it once, and it compiles (round 6)", () => {
  const prog = (body: string) => `async fn size(p: string): int { return p.len() }\nasync fn main() {\n  let h = spawn size("a")\n  ${body}\n}\n`;
  const d = one(prog("println(h + 1)"), "E0204");
  const fixed = /`(let r = await h)`/.exec(d.fix ?? "");
  assert.ok(fixed, d.fix);
  assert.is(diags(prog(`${fixed![1]}\n  println(r + 1)`)).length, 0);
});

test("E0056 and E0057 (round 6): the fixes for an assignment as a closure body and a struct variant compile", () => {
  const loop = (body: string) => `fn main() {\n  var t = 0\n  let xs = [1, 2]\n  ${body}\n  println(t)\n}\n`;
  const d = one(loop("xs.forEach(|x| t += x)"), "E0056");
  const fixed = /`(for x in xs \{ t \+= x \})`/.exec(d.fix ?? "");
  assert.ok(fixed, d.fix);
  assert.is(diags(loop(fixed![1])).length, 0);
  const en = (v: string) => `enum Kind { A, ${v} }\nfn main() {\n  let k: Kind = A\n  println(k)\n}\n`;
  const e = one(en("C { x: int, y: string }"), "E0057");
  const form = /write `([^`]+)`/.exec(e.fix ?? "");
  assert.is(form?.[1], "C(x: int, y: string)");
  assert.is(diags(en(form![1])).length, 0);
});

test("E0216's fix names a field the struct has and that can be compared (round 6)", () => {
  const d = one(`struct P { id: int, f: fn(int): int }\nfn main() {\n  let a = P { id: 1, f: |x| x }\n  println(a == a)\n}\n`, "E0216");
  assert.ok(d.fix?.includes("`a.id == b.id and ...`") && !d.fix.includes("name"), d.fix);
});

test("E0404/E0405/E0121: a task method spawned or in all, a method taking self as a value (tester round 11)", () => {
  const pre = "async fn num(): int { return 1 }\nasync fn main() {\n  let job = spawn num()\n";
  assert.is(one(pre + "  spawn job.wait(3)\n}\n", "E0404").fix, "write `await job.wait(3)` (to wait in the background, spawn an async function that awaits it)");
  assert.is(one(pre + "  let (a, b) = await all(job.result(), num())\n}\n", "E0405").fix,
    "pass the handle, `await all(job, ...)` (which panics if the task panicked or was cancelled), or await each: `await job.result()`");
  assert.is(one("struct S { n: int }\nimpl S {\n  fn plus(self, k: int): S { return S { n: self.n + k } }\n}\nfn main() {\n  let p = S.plus\n}\n", "E0121").fix,
    "wrap the call in a closure: `|x, k| x.plus(k)`");
});

test.run();
