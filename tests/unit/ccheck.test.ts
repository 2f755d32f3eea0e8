// The fuzzer's C check (scripts/fuzz/ccheck.ts): clang checks a batch of
// files in one cc1 process; a file that fails in a batch must still be named,
// alone, and the good files beside it must pass.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkC, splitQuoted } from "../../scripts/fuzz/ccheck.js";

const good = (i: number): string => `#include "colang.h"\nint f${i}(int x) { return x + ${i}; }\n`;
const bad = `#include "colang.h"\nint g(void) { return not_declared; }\n`;

test("splitQuoted reads clang -### arguments, escapes included", () => {
  assert.equal(splitQuoted(` "/usr/bin/clang" "-cc1" "-D" "A=\\"b c\\"" "x.c"`), ["/usr/bin/clang", "-cc1", "-D", `A="b c"`, "x.c"]);
});

for (const cc of ["clang", "gcc"]) {
  test(`${cc}: a batch of good files passes; one bad file among them is the one named`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "coc-ccheck-test-"));
    try {
      const files = new Map<string, string>();
      for (let i = 0; i < 6; i++) files.set(`good${i}`, good(i));
      const [ok] = await checkC(files, [cc], join(dir, "a"), 1);
      assert.is(ok.missing, undefined);
      assert.is(ok.checked, 6);
      assert.equal(ok.failures, []);
      files.set("bad", bad);
      files.set("good9", good(9));
      const [r] = await checkC(files, [cc], join(dir, "b"), 1);
      assert.is(r.checked, 8);
      assert.equal(r.failures.map((f) => f.key), ["bad"]);
      assert.match(r.failures[0].error, /bad\.c:2:\d+: error: .*not_declared/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
}

test.run();
