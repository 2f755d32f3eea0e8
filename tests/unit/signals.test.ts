// SIGINT and SIGTERM stop a Colang program cleanly: repeating timers are
// cancelled, tasks in flight finish within the grace period, and the exit
// status is 128 + the signal number. Also: a second signal exits at once.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
const COC = join(ROOT, "bin/coc.js");
const WORK = mkdtempSync(join(tmpdir(), "coc-signals-test-"));

// A server-like program: a timer ticking forever and, once a signal asks it
// to stop, a task that still has work in flight (its sleep) and finishes it.
const PROGRAM = `import std/time

var ticks = 0

async fn slowJob() {
  await time.sleep(300)
  println("job finished")
}

fn main() {
  time.every(20, || {
    ticks += 1
    if ticks == 3 {
      println("ready")
    }
  })
  spawn slowJob()
}
`;

async function build(): Promise<string> {
  const src = join(WORK, "server.co");
  writeFileSync(src, PROGRAM);
  const exe = join(WORK, "server");
  await execa(process.execPath, [COC, "build", src, "-o", exe]);
  return exe;
}

function waitFor(child: ReturnType<typeof execa>, text: string): Promise<void> {
  return new Promise((ok, fail) => {
    let seen = "";
    const timer = setTimeout(() => fail(new Error(`no "${text}" within 10 s; saw: ${seen}`)), 10_000);
    child.stdout!.on("data", (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(text)) { clearTimeout(timer); ok(); }
    });
  });
}

let exe = "";
test.before(async () => { exe = await build(); });
test.after(() => { rmSync(WORK, { recursive: true, force: true }); });

for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  test(`${sig}: timers stop, the task in flight finishes, exit ${code}`, async () => {
    const child = execa(exe, [], { reject: false });
    await waitFor(child, "ready");
    child.kill(sig);
    const r = await child;
    assert.is(r.exitCode, code, `stderr: ${r.stderr}`);
    assert.ok(r.stdout.includes("job finished"), `the job in flight finished: ${r.stdout}`);
  });
}

test("a second signal exits at once", async () => {
  const child = execa(exe, [], { reject: false, env: { COLANG_GRACE_MS: "60000" } });
  await waitFor(child, "ready").catch(() => undefined);
  const t0 = Date.now();
  child.kill("SIGINT");
  await new Promise((r) => setTimeout(r, 50));
  child.kill("SIGINT");
  const r = await child;
  assert.is(r.exitCode, 130);
  assert.ok(Date.now() - t0 < 5_000, "did not wait for the grace period");
});

test("the grace period ends a task that does not finish", async () => {
  const src = join(WORK, "stuck.co");
  writeFileSync(src, `import std/time\n\nasync fn main() {\n  println("ready")\n  await time.sleep(60000)\n  println("never")\n}\n`);
  const stuck = join(WORK, "stuck");
  await execa(process.execPath, [COC, "build", src, "-o", stuck]);
  const child = execa(stuck, [], { reject: false, env: { COLANG_GRACE_MS: "200" } });
  await waitFor(child, "ready");
  child.kill("SIGTERM");
  const r = await child;
  assert.is(r.exitCode, 143);
  assert.ok(!r.stdout.includes("never"));
  assert.match(r.stderr, /still running after the grace period/);
});

// Before the loop runs (a sync main computing), the default action killed the program at once and its
// buffered output was lost (tester round 6): now the signal waits for main, then the program stops as on
// the loop, with everything it printed; a second signal still exits at once.
test("a signal during a sync main's computation: output kept, exit 128 + signal after main", async () => {
  const src = join(WORK, "busy.co");
  writeFileSync(src, `fn main() {\n  for i in 0..10000 { println("result {i}") }\n  eprintln("ready")\n  var x = 0\n  for i in 0..300000000 { x = (x + i) % 1000003 }\n  println("final {x}")\n}\n`);
  const busy = join(WORK, "busy");
  await execa(process.execPath, [COC, "build", src, "-o", busy]);
  const child = execa(busy, [], { reject: false });
  await new Promise<void>((ok) => child.stderr!.on("data", (d: Buffer) => { if (d.toString().includes("ready")) ok(); }));
  child.kill("SIGTERM");
  const r = await child;
  assert.is(r.exitCode, 143);
  const lines = r.stdout.split("\n");
  assert.is(lines.length, 10001);
  assert.match(lines[10000], /^final /);
  const again = execa(busy, [], { reject: false });
  await new Promise<void>((ok) => again.stderr!.on("data", (d: Buffer) => { if (d.toString().includes("ready")) ok(); }));
  again.kill("SIGINT");
  await new Promise((res) => setTimeout(res, 30));
  again.kill("SIGINT");
  const r2 = await again;
  assert.is(r2.exitCode, 130);
  assert.not.match(r2.stdout, /final/);
});

test.run();
