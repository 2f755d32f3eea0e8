// Tester round 7: diagnostics whose fix was wrong or missing, and a trait method that silently replaced a
// built-in one. Each fix is applied and the result must compile. tests/errors pins codes and positions.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";
import type { Diagnostic } from "../../src/diagnostics.js";

function diags(src: string): Diagnostic[] {
  return frontEnd({ entry: "t.co", files: new Map([["t.co", src]]), emit: false }).diagnostics;
}

const show = (src: string) => diags(src).map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message} [${d.fix}]`).join("\n");

function one(src: string, code: string): Diagnostic {
  const ds = diags(src).filter((d) => d.code === code);
  assert.is(ds.length, 1, `one ${code} in:\n${show(src)}`);
  return ds[0];
}

const compiles = (src: string) => assert.is(diags(src).length, 0, `does not compile:\n${src}\n${show(src)}`);

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

test.run();
