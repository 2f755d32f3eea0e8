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

// Tester round 9: a file whose size stat cannot tell (/dev/zero: a character device of size 0) grew
// without bound (1.5 GB in 2 s); it is read up to the task's memory cap (or 1 GiB), then an Err naming it.
// A /proc file (size 0, a few hundred bytes) still reads whole.
test("readFile of /dev/zero stops at the task's memory cap with an Err naming it; /proc files still read", async () => {
  const src = join(WORK, "zero.co");
  writeFileSync(src, `import std/fs\nasync fn main() {\n  match await fs.readFile("/proc/self/status") {\n    Ok(s) => println("status {s.len() > 0}"),\n    Err(e) => println("error: {e.message}"),\n  }\n  runtime.setTaskMemoryLimit(1048576)\n  match await fs.readFile("/dev/zero") {\n    Ok(s) => println("read {s.len()}"),\n    Err(e) => println("error {e.kind}: {e.message}"),\n  }\n}\n`);
  const r = await execa(process.execPath, [COC, "run", src], { reject: false, timeout: 60000 });
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(r.stdout, "status true\nerror Other: file too large: a file of unknown size (not a regular file, or of stat size 0) is read up to 1048576 bytes (the task's memory cap)");
});

// Tester round 9: time.timeout(…, fs.readFile(fifo)) timed out and main ended, but the process never exited
// (the pool thread stays blocked in open/read of the FIFO, and libuv counted its request as live work).
// A program whose only remaining work is requests of ended tasks exits without waiting for their threads.
test("a cancelled readFile of a FIFO nobody writes does not keep the program from exiting", async () => {
  const fifo = join(WORK, "fifo");
  await execa("mkfifo", [fifo]);
  const src = join(WORK, "fifo.co");
  writeFileSync(src, `import std/fs\nimport std/time\nasync fn main() {\n  match await time.timeout(200, fs.readFile("${fifo}")) {\n    Ok(_) => println("read"),\n    Err(e) => println("{e}"),\n  }\n  await time.sleep(50)\n  println("main ends")\n}\n`);
  const bin = join(WORK, "fifo-bin");
  const b = await execa(process.execPath, [COC, "build", src, "-o", bin], { reject: false });
  assert.is(b.exitCode, 0, b.stderr);
  const r = await execa(bin, [], { reject: false, timeout: 10000, stdin: "ignore" });
  assert.is(r.timedOut, false, "the program did not exit");
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(r.stdout, "timed out after 200 ms\nmain ends");
  assert.is(r.stderr, "");
});

test.after(() => rmSync(WORK, { recursive: true, force: true }));
test.run();
