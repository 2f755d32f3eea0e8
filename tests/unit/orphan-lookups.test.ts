// A name lookup (net.connect, http.fetch to a host name) runs on libuv's thread pool and cannot be stopped
// once a thread runs it; a resolver that never answers keeps it there. A lookup whose task gave up on it
// (time.timeout, the fetch's own timeout) is counted as a request of an ended task, as an fs read of a FIFO
// is (fs-limits.test.ts), so the program exits when main ends instead of waiting for it for ever (after
// SIGTERM it waited the grace period: "0 open handle(s) and 2 request(s) still active").
//
// The lookup that never returns, without a network: glibc's resolver opens the file HOSTALIASES names for a
// name without a dot that /etc/hosts does not have, and here that file is a FIFO nobody writes, so the pool
// thread waits in open(2) for good. (Where the resolver does not do that, the lookups fail at once and the
// output below says HostNotFound, so the test fails rather than passing unexercised.)

import { test } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
const COC = join(ROOT, "bin/coc.js");
const WORK = mkdtempSync(join(tmpdir(), "coc-orphan-lookups-"));

test("name lookups given up on (time.timeout, a fetch's timeout) do not keep the program from exiting", async () => {
  const fifo = join(WORK, "aliases");
  await execa("mkfifo", [fifo]);
  const src = join(WORK, "lookup.co");
  writeFileSync(
    src,
    [
      "import std/http",
      "import std/net",
      "import std/time",
      "async fn main() {",
      '  match await time.timeout(200, net.connect("hangname", 80)) {',
      '    Ok(Ok(_)) => println("connected"),',
      '    Ok(Err(e)) => println("connect: {e.kind}"),',
      '    Err(e) => println("{e}"),',
      "  }",
      '  match await http.fetch("http://hangname2/", http.FetchOptions { timeoutMs: 200 }) {',
      '    Ok(r) => println("status {r.status}"),',
      '    Err(e) => println("fetch: {e.kind}: {e.message}"),',
      "  }",
      "  await time.sleep(50)",
      '  println("main ends")',
      "}",
      "",
    ].join("\n"),
  );
  const bin = join(WORK, "lookup-bin");
  const b = await execa(process.execPath, [COC, "build", src, "-o", bin], { reject: false });
  assert.is(b.exitCode, 0, b.stderr);
  const t0 = Date.now();
  const r = await execa(bin, [], {
    reject: false,
    timeout: 10000,
    stdin: "ignore",
    env: { HOSTALIASES: fifo, RES_OPTIONS: "timeout:1 attempts:1" },
  });
  assert.is(r.timedOut, false, "the program did not exit");
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(r.stdout, "timed out after 200 ms\nfetch: Timeout: no complete response within the timeout of 200 ms\nmain ends");
  assert.is(r.stderr, "");
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
});

test.after(() => rmSync(WORK, { recursive: true, force: true }));
test.run();
