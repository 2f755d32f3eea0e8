// Tester round 8 (a backend engineer's first week): diagnostics whose fix was wrong or missing. Each fix is applied
// and the result must compile; tests/errors pins codes and positions.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { diags, show, one, compiles, code, apply } from "../diag-check.js";


test("a ternary as a closure's expression body (E0039): the condition starts after the parameters", () => {
  for (const [closure, ternary] of [["|a, b| a < b ? -1 : 1", "a < b ? -1 : 1"], ["|x: int| x > 1 ? 2 : 3", "x > 1 ? 2 : 3"]]) {
    const src = `fn main() {\n  var v = [3, 1]\n  let f = ${closure}\n  println(v)\n}\n`;
    const d = one(src, "E0039");
    assert.ok(!code(d).includes("|"), d.fix);
    const fixed = apply(src, ternary, code(d));
    assert.ok(!diags(fixed).some((x) => x.code === "E0039"), show(fixed));
  }
  const src = `fn main() {\n  var v = ["b", "a"]\n  v.sortBy(|a, b| a < b ? -1 : 1)\n  println(v)\n}\n`;
  compiles(apply(src, "a < b ? -1 : 1", code(one(src, "E0039"))));
});

test("await in a closure std's time.every takes (E0401): the fix spawns the call, and compiles", () => {
  const src = `import std/time\nvar ticks = 0\nasync fn refresh() {\n  await time.sleep(1)\n  ticks += 1\n}\nfn main() {\n  let t = time.every(100, || { await refresh() })\n  t.cancel()\n}\n`;
  const d = one(src, "E0401");
  assert.is(code(d, 1), "spawn refresh()");
  compiles(apply(src, "await refresh()", code(d, 1)));
});

test("`??` on a Result (E0218): the fix is unwrapOr, and compiles", () => {
  const src = `import std/fs\nasync fn main() {\n  if (await fs.isDir("/tmp")) ?? false { println("dir") }\n}\n`;
  const d = one(src, "E0218");
  compiles(apply(src, `(await fs.isDir("/tmp")) ?? false`, code(d, 1)));
  const src2 = `fn parse(s: string): Result<int, string> {\n  return Ok(1)\n}\nfn main() {\n  let n = parse("1") ?? 0\n  println(n)\n}\n`;
  compiles(apply(src2, `parse("1") ?? 0`, code(one(src2, "E0218"), 1)));
});

test("a line starting with `??` (E0068): the fix moves it to the line before, and compiles", () => {
  const src = `fn main() {\n  let email: string? = "a@b.c"\n  let domain = email\n    .map(|e| e.split("@")[1])\n    ?? "none"\n  println(domain)\n}\n`;
  const d = one(src, "E0068");
  assert.is(d.span.line, 5);
  const fixed = apply(apply(src, `    .map(|e| e.split("@")[1])`, `    ${code(d, 1)}`), `\n    ?? "none"`, ` "none"`);
  compiles(fixed);
});

test("Rust's rest pattern `Eq(..)` (E0069): the fix names each field with `_`", () => {
  const src = `enum Rule { Eq(attr: string, value: string), Always(bool) }\nfn kind(r: Rule): string {\n  return match r { Eq(..) => "eq", Always(_) => "always" }\n}\nfn main() { println(kind(Rule.Always(true))) }\n`;
  const d = one(src, "E0069");
  assert.is(d.span.col, 23);
  compiles(apply(src, "Eq(..)", code(d, 2)));
});

test("`==` on maps and sets compares their entries, in any order (round 8: E0216 with a fix naming a `b` that did not exist)", () => {
  compiles(`fn main() {\n  let e: Map<string, int> = {"x": 1}\n  println(e == e)\n  println(Set<int>() == Set<int>())\n}\n`);
});

test.run();
