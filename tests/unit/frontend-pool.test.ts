// The test runners' front end (tests/frontend-pool.ts): frontEnd's `dir`
// option reads relative paths from that directory and keeps them relative
// (diagnostics and #line directives read as they do through the CLI run in
// that directory), and the worker pool answers `build` and `check` requests
// with what the CLI would print.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { frontEnd } from "../../src/driver.js";
import { FrontEndPool } from "../frontend-pool.js";

const dir = mkdtempSync(join(tmpdir(), "coc-fepool-"));
mkdirSync(join(dir, "lib"));
writeFileSync(join(dir, "ok.co"), `import ./lib/x\nfn main() { println("{x.twice(21)}") }\n`);
writeFileSync(join(dir, "lib/x.co"), `pub fn twice(n: int): int { return n * 2 }\n`);
writeFileSync(join(dir, "bad.co"), `fn main() {\n  let x: int = "a"\n}\n`);

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("frontEnd({ dir }) reads relative paths from dir and keeps them relative", () => {
  const fe = frontEnd({ entry: "ok.co", dir, emit: true });
  assert.equal(fe.diagnostics, []);
  assert.ok(fe.c !== null && fe.c.includes(`#line 2 "ok.co"`), "the C names the entry as given");
  assert.ok(fe.c!.includes(`"lib/x.co"`), "an imported module keeps its relative name");
  const bad = frontEnd({ entry: "bad.co", dir, emit: true });
  assert.equal(bad.diagnostics.map((d) => [d.code, d.span.file, d.span.line, d.span.col]), [["E0200", "bad.co", 2, 16]]);
});

test("the pool answers build and check requests as the CLI would", async () => {
  const pool = new FrontEndPool(1, 60_000);
  try {
    const ok = await pool.run({ kind: "build", entry: "ok.co", dir });
    assert.is(ok.code, 0);
    assert.ok(ok.c !== null && ok.c.includes(`#line 2 "ok.co"`));
    const bad = await pool.run({ kind: "check", entry: "bad.co", dir });
    assert.is(bad.code, 1);
    assert.is(bad.c, null);
    assert.equal(JSON.parse(bad.json).map((d: { code: string; line: number }) => [d.code, d.line]), [["E0200", 2]]);
    assert.match(bad.text, "--> bad.co:2:16");
    const built = await pool.run({ kind: "build", entry: "bad.co", dir });
    assert.is(built.code, 1);
    assert.is(built.c, null);
  } finally {
    await pool.close();
  }
});

test.run();
