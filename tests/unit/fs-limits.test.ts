// fs.readFile of a file larger than any string can be (CO_MAX_ALLOC, 2^39 bytes): an `Err` the program can
// handle ("file too large"), not an out-of-memory panic of the whole process (tester round 6: a sparse
// 5,000 GB file). The file is sparse: no disk space is used.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
const COC = join(ROOT, "bin/coc.js");
const WORK = mkdtempSync(join(tmpdir(), "coc-fs-limits-"));

test("readFile of a 1 TiB sparse file is an Err, and the program goes on", async () => {
  const big = join(WORK, "big.bin");
  const fd = openSync(big, "w");
  ftruncateSync(fd, 2 ** 40);
  closeSync(fd);
  const src = join(WORK, "read.co");
  writeFileSync(src, `import std/fs\nasync fn main() {\n  match await fs.readFile("${big}") {\n    Ok(s) => println("read {s.len()}"),\n    Err(e) => println("error: {e.message}"),\n  }\n  println("still here")\n}\n`);
  const r = await execa(process.execPath, [COC, "run", src], { reject: false });
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(r.stdout, "error: file too large\nstill here");
});

test.after(() => rmSync(WORK, { recursive: true, force: true }));
test.run();
