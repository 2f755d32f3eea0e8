// Types in diagnostics: an optional function type keeps its parentheses
// (`(fn(int): int)?`, not `fn(int): int?`, which is a function returning an
// optional), whether the type was inferred or printed as written.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";

function messages(src: string): string[] {
  return frontEnd({ entry: "t.co", files: new Map([["t.co", src]]), emit: false }).diagnostics.map((d) => `${d.code} ${d.message}`);
}

test("optional function types print with parentheses in mismatches", () => {
  const ms = messages(`fn main() {
  let g: (fn(int): int)? = none
  let h: int = g
  let k: Vec<(fn(int): int)?> = []
  let z: int = k
  let a: (async fn(): string)? = none
  let b: string = a
  let r: fn(): int? = || none
  let q: bool = r
}
`);
  assert.equal(ms, [
    "E0200 type mismatch: expected `int`, found `(fn(int): int)?`",
    "E0200 type mismatch: expected `int`, found `Vec<(fn(int): int)?>`",
    "E0200 type mismatch: expected `string`, found `(async fn(): string)?`",
    "E0200 type mismatch: expected `bool`, found `fn(): int?`",
  ]);
});

test("a type printed as written keeps the parentheses too", () => {
  const ms = messages(`fn f<T: (fn(int): int)?>(x: T) {}
fn main() {}
`);
  assert.equal(ms, ["E0122 unknown trait `(fn(int): int)?`"]);
});

test.run();
