// Stop 30: diagnostics a new user met (tester round 12). Each fix is applied and the result must compile;
// tests/errors pins codes and positions.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { diags, one, compiles, code, apply } from "../diag-check.js";

test("`!` on a Result (E0218): the fix's `.unwrap()` and `.expect(..)` compile", () => {
  const src = `fn f(): Result<int, string> {\n  return Ok(1)\n}\nfn main() {\n  let x = f()!\n  println(x)\n}\n`;
  const d = one(src, "E0218");
  assert.is(code(d, 1), "f().unwrap()");
  compiles(apply(src, "f()!", code(d, 1)));
  compiles(apply(src, "f()!", code(d, 2)));
});

test("a generic static method as a value without its type's arguments (E0001): the fix `Stat<int>.of` compiles", () => {
  const src = `struct Stat<T> { n: T }\nimpl<T> Stat<T> {\n  fn of(x: T): Stat<T> { return Stat { n: x } }\n}\nfn main() {\n  let g = Stat.of\n  println(g(1).n)\n}\n`;
  const d = one(src, "E0001");
  assert.is(code(d, 1), "Stat<int>.of");
  compiles(apply(src, "= Stat.of", `= ${code(d, 1)}`));
});

test("an unknown method's closure argument is not also E0238; a range outside `for` has a fix", () => {
  const ds = diags(`struct R { n: int }\nfn main() {\n  let r = R { n: 1 }\n  r.each(|x| x + 1)\n  let v = (0..3).map(|i| i * 2)\n}\n`);
  assert.equal(ds.map((d) => d.code), ["E0107", "E0001"], ds.map((d) => `${d.code} ${d.message}`).join("\n"));
  assert.ok(ds[1].fix?.includes("for i in a..b"), ds[1].fix);
});

test("E0303 on a copied argument points at the line in the callee that changes it", () => {
  const src = `import std/time\nstruct Store { data: Map<string, int>, seq: int }\nvar store = Store { data: {}, seq: 0 }\n` +
    `fn put(m: Map<string, int>, k: string) { m[k] = 1 }\n` +
    `async fn append(st: Store, k: string): Store {\n  var s = st\n  await time.sleep(1)\n  put(s.data, k)\n  return s\n}\n` +
    `async fn main() {\n  store = await append(store, "a")\n}\n`;
  const d = one(src, "E0303");
  const here = (d.labels ?? []).find((l) => l.message.includes("changes `st` here"));
  assert.ok(here, JSON.stringify(d.labels));
  assert.is(here?.span?.line, 8);
});

test.run();
