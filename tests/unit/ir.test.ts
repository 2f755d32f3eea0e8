// IR golden tests: tests/ir/NAME.co beside NAME.ir, the lowering IR the
// compiler prints for it (`coc dump --stage=ir`), so a change to a pass shows
// up as a readable diff. UPDATE_GOLDEN=1 rewrites the .ir files after a change
// you meant (`UPDATE_GOLDEN=1 npx uvu dist/tests/unit 'ir\.test\.js$'`; the pattern must not match the .map file).

import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { frontEnd } from "../../src/driver.js";
import { dumpIr } from "../../src/dump.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const DIR = join(ROOT, "tests/ir");

for (const f of readdirSync(DIR).filter((x) => x.endsWith(".co")).sort()) {
  test(`ir ${f}`, () => {
    // Relative to its folder, and the repository's root spelled <ROOT> (std's paths): the goldens name no checkout.
    const fe = frontEnd({ entry: f, dir: DIR, emit: true });
    assert.equal(fe.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
    const got = dumpIr(fe.ir!).split(ROOT).join("<ROOT>");
    const golden = join(DIR, f.replace(/\.co$/, ".ir"));
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, got);
    assert.ok(existsSync(golden), `no golden file ${golden}: write it with UPDATE_GOLDEN=1 and check it`);
    assert.fixture(got, readFileSync(golden, "utf8"));
  });
}

test.run();
