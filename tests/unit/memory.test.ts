// The region analysis (src/memory) against golden files: tests/memory/NAME.co
// beside NAME.copies, the `coc build --explain-copies` lines it must produce.
// The program is emitted too, so the emitter's check that it inserts exactly
// these copies runs. UPDATE_GOLDEN=1 rewrites the .copies files.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { frontEnd } from "../../src/driver.js";
import { explainCopies } from "../../src/memory/regions.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const DIR = join(ROOT, "tests/memory");

for (const f of readdirSync(DIR).filter((x) => x.endsWith(".co")).sort()) {
  test(`explain-copies ${f}`, () => {
    const fe = frontEnd({ entry: join(DIR, f), emit: true });
    assert.equal(fe.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
    assert.ok(fe.c, "the program is emitted");
    const got = explainCopies(fe.memory!, fe.sources).map((l) => l.split(ROOT + "/").join("")).join("\n") + "\n";
    const golden = join(DIR, f.replace(/\.co$/, ".copies"));
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, got);
    assert.ok(existsSync(golden), `no golden file ${golden}: write it with UPDATE_GOLDEN=1 and check it`);
    assert.fixture(got, readFileSync(golden, "utf8"));
  });
}

test.run();
