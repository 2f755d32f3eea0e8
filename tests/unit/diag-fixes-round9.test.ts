// Stop 28: diagnostics whose fix was missing (the lead's own programs and tester round 9). Each fix is applied and
// the result must compile; tests/errors pins codes and positions.

import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Diagnostic } from "../../src/diagnostics.js";
import { diags, show, one, compiles } from "../diag-check.js";

/** The n-th code in a fix (the text between backticks). */
function code(d: Diagnostic, n = 0): string {
  const all = [...(d.fix ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  assert.ok(all[n] !== undefined, `no code ${n} in the fix of ${d.code}: ${d.fix}`);
  return all[n];
}

function apply(src: string, from: string, to: string): string {
  const out = src.replace(from, to);
  assert.ok(out !== src, `${from} is not in:\n${src}`);
  return out;
}

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

test.run();
