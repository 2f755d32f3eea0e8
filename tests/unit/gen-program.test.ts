// The differential campaign's generator (scripts/fuzz/gen-program.ts): a
// program is a pure function of its seed, and generated programs compile
// (one that does not is a generator bug, or a compiler bug to keep).

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";
import { generateProgram } from "../../scripts/fuzz/gen-program.js";

test("the same seed gives the same program, other seeds other programs", () => {
  assert.is(generateProgram(7), generateProgram(7));
  assert.is.not(generateProgram(7), generateProgram(8));
});

test("generated programs pass the front end and emit C", () => {
  for (let seed = 1; seed <= 20; seed++) {
    const entry = `/virtual/gen${seed}.co`;
    const fe = frontEnd({ entry, files: new Map([[entry, generateProgram(seed)]]), emit: true });
    const errors = fe.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
    assert.equal(errors, [], `seed ${seed}`);
    assert.ok(fe.c, `seed ${seed} emitted C`);
  }
});

test.run();
