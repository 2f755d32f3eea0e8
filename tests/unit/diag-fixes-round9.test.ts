// Stop 28: diagnostics whose fix was missing (the lead's own programs and tester round 9). Each fix is applied and
// the result must compile; tests/errors pins codes and positions.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { diags, show, one, compiles, code, apply } from "../diag-check.js";


test("an options struct left out (E0201, `http.fetch(url)` as in JavaScript): the fix passes `{}`, and compiles", () => {
  const src = `import std/http\nasync fn main() {\n  let r = await http.fetch("http://127.0.0.1:1/")\n  println(r.isOk())\n}\n`;
  const d = one(src, "E0201");
  assert.is(code(d, 2), `http.fetch("http://127.0.0.1:1/", {})`);
  compiles(apply(src, `http.fetch("http://127.0.0.1:1/")`, code(d, 2)));
  // the program's own options struct, two of them missing
  const own = `struct Opts { verbose: bool?, depth: int? }\nfn run(name: string, a: Opts, b: Opts): int {\n  return name.len()\n}\nfn main() {\n  println(run("x"))\n}\n`;
  const d2 = one(own, "E0201");
  assert.is(code(d2, 1), `run("x", {}, {})`);
  compiles(apply(own, `run("x")`, code(d2, 1)));
  // a struct with a required field gets no such fix
  const req = `struct Opts { depth: int }\nfn run(a: Opts): int {\n  return a.depth\n}\nfn main() {\n  println(run())\n}\n`;
  assert.not.ok(one(req, "E0201").fix?.includes("{}"), show(req));
});

test("`?` in an HTTP handler (E0233, not E0131 first): the fix answers the error with a match, and compiles", () => {
  const src = `import std/http\nimport std/json\nstruct Todo { title: string }\nasync fn create(req: http.Request): http.Response {\n  let t: Todo = json.decode(req.body)?\n  return http.text(t.title)\n}\nfn main() {\n  let s = http.serve(0, create)\n  s.close()\n}\n`;
  const d = one(src, "E0233");
  assert.ok(code(d, 2).startsWith("match json.decode<Todo>(req.body)"), d.fix);
  compiles(apply(src, "json.decode(req.body)?", code(d, 2)));
  // a `?` on a call that needs no inference: the same fix
  const src2 = `import std/http\nfn num(s: string): Result<int, string> {\n  return Ok(s.len())\n}\nasync fn h(req: http.Request): http.Response {\n  let n = num(req.path)?\n  return http.text("{n}")\n}\nfn main() {\n  let s = http.serve(0, h)\n  s.close()\n}\n`;
  compiles(apply(src2, "num(req.path)?", code(one(src2, "E0233"), 2)));
});

test("named arguments (E0070): the fix passes them by position, and compiles", () => {
  const src = `enum Shape { Rect(w: int, h: int), Circle(r: float) }\nstruct P { x: int }\nfn area(w: int, h: int): int {\n  return w * h\n}\nfn main() {\n  let s = Shape.Rect(w: 1, h: 2)\n  println(s)\n}\n`;
  const d = one(src, "E0070");
  assert.is(code(d), "Shape.Rect(1, 2)");
  const fixed = apply(src, "Shape.Rect(w: 1, h: 2)", code(d));
  compiles(fixed);
  // a function's named arguments, a bare variant
  const f = fixed.replace("println(s)", "println(area(w: 3, h: 4))");
  const d2 = one(f, "E0070");
  compiles(apply(f, "area(w: 3, h: 4)", code(d2)));
  const c = `enum Shape { Circle(r: float) }\nfn main() {\n  let c = Circle(r: 1.5)\n  println(c)\n}\n`;
  compiles(apply(c, "Circle(r: 1.5)", code(one(c, "E0070"))));
});

test("E0234 on `json.decode(s)?` with another error type: the fix writes the type argument, and compiles", () => {
  const src = `import std/json\nstruct User { id: int }\nfn viaQ(s: string): Result<int, string> {\n  let u: User = json.decode(s)?\n  return Ok(u.id)\n}\nfn main() {\n  println(viaQ("x"))\n}\n`;
  const d = one(src, "E0234");
  compiles(apply(src, "json.decode(s)?", code(d)));
});

test("a line starting with `||` or `-` (E0068, once a silent statement): the fix moves it up, and compiles with the operand used", () => {
  const src = `fn main() {\n  let a = true\n  let b = false\n    || a\n  println(b)\n}\n`;
  const d = one(src, "E0068");
  assert.is(code(d, 1), "let b = false ||");
  compiles(apply(apply(src, "let b = false\n", code(d, 1) + "\n"), "    || a", "    a"));
  const neg = `fn main() {\n  let b = 10\n    - 3\n  println(b)\n}\n`;
  compiles(apply(apply(neg, "let b = 10\n", code(one(neg, "E0068"), 1) + "\n"), "    - 3", "    3"));
});

test("unary `+` (E0071): the fix drops it, and compiles", () => {
  const src = `fn main() {\n  let y = +3\n  println(y)\n}\n`;
  compiles(apply(src, "+3", code(one(src, "E0071"), 1)));
  const str = `fn main() {\n  let s = "4"\n  let t = +s\n  println(t)\n}\n`;
  const d = one(str, "E0071");
  compiles(apply(str, "+s", code(d, 2)));
});

test.run();
