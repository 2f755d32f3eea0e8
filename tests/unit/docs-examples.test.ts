// Every ```colang block of the pages listed here is a whole program that must
// compile (check, memory analysis, lowering and C emission without a
// diagnostic): the docs promise it, and a language change that breaks an
// example fails here instead of misleading a reader. A block can also be a
// golden program (see below), whose output the golden suite then checks.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { frontEnd } from "../../src/driver.js";

// dist/tests/unit/docs-examples.test.js -> repo root
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const PAGES = ["docs/for-typescript-and-go-developers.md"];

export function colangBlocks(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const re = /^```colang\n([\s\S]*?)^```/gm;
  for (const m of markdown.matchAll(re)) {
    out.push({ line: markdown.slice(0, m.index).split("\n").length, code: m[1] });
  }
  return out;
}

for (const page of PAGES) {
  const blocks = colangBlocks(readFileSync(join(ROOT, page), "utf8"));
  test(`${page} has examples`, () => {
    assert.ok(blocks.length >= 10, `expected at least 10 colang blocks, found ${blocks.length}`);
  });
  for (const b of blocks) {
    // A block whose first line names a golden program (`// tests/programs/NAME.co`) is that
    // program, byte for byte: the golden suite runs it and checks its output, so the page cannot
    // drift. It compiles from disk, so that its imports (tests/programs/lib/...) resolve.
    const golden = /^\/\/ (tests\/programs\/[A-Za-z0-9_]+\.co)\n/.exec(b.code)?.[1];
    if (golden) {
      test(`${page}:${b.line} is ${golden}`, () => {
        assert.fixture(readFileSync(join(ROOT, golden), "utf8"), b.code, `${golden} differs from the block at ${page}:${b.line}`);
      });
    }
    test(`${page}:${b.line} compiles`, () => {
      const fe = golden
        ? frontEnd({ entry: join(ROOT, golden), emit: true })
        : frontEnd({ entry: "example.co", files: new Map([["example.co", b.code]]), emit: true });
      const ds = fe.diagnostics.map((d) => `${d.severity} ${d.code} ${d.span.line}:${d.span.col} ${d.message}`);
      assert.equal(ds, [], `the example at ${page}:${b.line} does not compile`);
      assert.ok(fe.c !== null, "no C was emitted");
    });
  }
}

test.run();
