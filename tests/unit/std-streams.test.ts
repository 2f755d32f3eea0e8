// A program's standard descriptors as hostile environments leave them
// (docs/reliability.md): started with stdin, stdout or stderr closed (daemons,
// some supervisors) it runs and exits normally (it aborted in libuv's loop
// close); stdout on a full device is a message and exit 1 (was exit 0 with the
// output silently cut), through every exit path; a reader that goes away
// (`prog | head`) is not an error message: the program stops by SIGPIPE, as a C program does; too few
// descriptors or too little address space for libuv is a message and exit 101, not libuv's abort.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const COC = join(ROOT, "bin/coc.js");
const WORK = mkdtempSync(join(tmpdir(), "coc-streams-test-"));

const PROGRAMS: Record<string, string> = {
  sync: 'fn main() {\n  for i in 0..3 { println("line {i}") }\n  eprintln("to stderr")\n}\n',
  async: 'import std/time\nasync fn main() {\n  println("one")\n  await time.sleep(1)\n  eprintln("to stderr")\n  println("two")\n}\n',
  exit: 'import std/os\nfn main() {\n  println("bye")\n  os.exit(0)\n}\n',
  exit3: 'import std/os\nfn main() {\n  println("bye")\n  os.exit(3)\n}\n',
  forever: 'fn main() {\n  var i = 0\n  while true {\n    println("y {i}")\n    i += 1\n  }\n}\n',
  files: 'import std/fs\nasync fn main() {\n  let path = "WORK/f.txt"\n  let w = await fs.writeFile(path, "hello")\n  match await fs.readFile(path) {\n    Ok(s) => println(s),\n    Err(e) => println("err {e.message}"),\n  }\n}\n'.replace("WORK", WORK),
  hog: 'async fn hog(): int {\n  var v: Vec<string> = []\n  var i = 0\n  while i < 10000000 { v.push("abcdefghijklmnopqrstuvwxyz{i}"); i += 1 }\n  return v.len()\n}\nasync fn main() {\n  println("{await hog()}")\n}\n',
  foreverAsync: 'import std/time\nasync fn main() {\n  var i = 0\n  while true {\n    println("tick {i}")\n    i += 1\n    if i % 1000 == 0 { await time.sleep(0) }\n  }\n}\n',
};

async function build(name: string): Promise<string> {
  const src = join(WORK, `${name}.co`);
  writeFileSync(src, PROGRAMS[name]);
  const r = await execa(process.execPath, [COC, "build", src, "-o", join(WORK, name)], { reject: false, stdin: "ignore" });
  assert.is(r.exitCode, 0, String(r.stderr));
  return join(WORK, name);
}

const sh = (cmd: string) => execa("sh", ["-c", cmd], { reject: false, stdin: "ignore", timeout: 20_000 });

for (const name of ["sync", "async"]) {
  test(`${name}: closed stdin, stdout or stderr: runs and exits 0`, async () => {
    const bin = await build(name);
    for (const redir of ["<&-", ">&-", "2>&-", "<&- >&- 2>&-"]) {
      const r = await sh(`${bin} ${redir}`);
      assert.is(r.exitCode, 0, `${redir}: exit ${r.exitCode} ${r.signal ?? ""} ${r.stderr}`);
    }
    const r = await sh(`${bin} 2>&-`);
    assert.match(String(r.stdout), name === "sync" ? /line 2/ : /two/);
  });

  test(`${name}: stdout on /dev/full: a message and exit 1`, async () => {
    const bin = join(WORK, name);
    const r = await sh(`${bin} > /dev/full`);
    assert.is(r.exitCode, 1);
    assert.match(String(r.stderr), /error: writing to standard output failed: No space left on device/);
  });
}

test("os.exit(0) with stdout on /dev/full: exit 1; os.exit(3) keeps 3", async () => {
  const r0 = await sh(`${await build("exit")} > /dev/full`);
  assert.is(r0.exitCode, 1);
  assert.match(String(r0.stderr), /writing to standard output failed/);
  const r3 = await sh(`${await build("exit3")} > /dev/full`);
  assert.is(r3.exitCode, 3);
  assert.match(String(r3.stderr), /writing to standard output failed/);
});

test("a reader that goes away is not an error message", async () => {
  const r = await execa("sh", ["-c", `${join(WORK, "sync")} | head -c 1 >/dev/null; echo "rc=\${PIPESTATUS:-}"`], { reject: false, stdin: "ignore", shell: false });
  assert.not.match(String(r.stderr), /failed/);
});

test("a program printing forever stops when its reader goes away: SIGPIPE, as a C program (it ran forever)", async () => {
  for (const name of ["forever", "foreverAsync"]) {
    const bin = await build(name);
    const r = await execa("bash", ["-c", `${bin} | head -n 2; echo "rc=\${PIPESTATUS[0]}"`], { reject: false, stdin: "ignore", timeout: 20_000 });
    assert.ok(!r.timedOut, `${name} did not stop`);
    assert.match(String(r.stdout), /rc=141/, `${name}: ${r.stdout}`);
    assert.is(String(r.stderr), "", name);
  }
});

test("too few file descriptors for the loop: a message and exit 101, not libuv's abort (tester round 6)", async () => {
  // The loop needs six descriptors besides 0-2 (tester round 9: the check opened four, and `ulimit -n 8`
  // passed it, then failed in uv_loop_init after the program's output): the message before any output.
  const bin = await build("async");
  for (const n of [4, 5, 6, 7, 8]) {
    const r = await execa("bash", ["-c", `ulimit -n ${n}; ${bin}`], { reject: false, stdin: "ignore" });
    assert.is(r.exitCode, 101, `ulimit -n ${n}: ${r.stderr}`);
    assert.match(String(r.stderr), /cannot start the event loop/);
    assert.is(String(r.stdout), "one", `ulimit -n ${n}`);   /* main ran up to its first await */
  }
  const ok = await execa("bash", ["-c", `ulimit -n 9; ${bin}`], { reject: false, stdin: "ignore" });
  assert.is(ok.exitCode, 0, `ulimit -n 9: ${ok.stderr}`);
});

test("a program that never uses the loop does not start it: a sync hello world runs under any ulimit -n (tester round 9)", async () => {
  const bin = await build("sync");
  for (const n of [4, 5, 8]) {
    const r = await execa("bash", ["-c", `ulimit -n ${n}; ${bin}`], { reject: false, stdin: "ignore" });
    assert.is(r.exitCode, 0, `ulimit -n ${n}: ${r.stderr}`);
    assert.is(String(r.stdout), "line 0\nline 1\nline 2", `ulimit -n ${n}`);
    assert.is(String(r.stderr), "to stderr", `ulimit -n ${n}`);
  }
});

test("out of memory under ulimit -v names the function (tester round 9: the name was lost)", async () => {
  // Mapping the executable for its symbol table, and loading libgcc's unwinder, failed in the same
  // shortage: both are prepared at start when an address-space limit is set (stack.c).
  const bin = await build("hog");
  for (const kb of [30000, 40000, 60000]) {
    const r = await execa("bash", ["-c", `ulimit -v ${kb}; ${bin}`], { reject: false, stdin: "ignore" });
    assert.is(r.exitCode, 101, `ulimit -v ${kb}: ${r.stderr}`);
    assert.is(String(r.stderr), "panic: out of memory in `hog`", `ulimit -v ${kb}`);
  }
});

test("an address-space limit (ulimit -v): fewer pool threads, or a message and exit 101, never libuv's abort (tester round 6)", async () => {
  // libuv starts 4 threads with 8 MiB stacks at the first file request and aborts when one cannot be started.
  const bin = await build("files");
  for (const kb of [40000, 30000, 20000, 14000]) {
    const r = await execa("bash", ["-c", `ulimit -v ${kb}; ${bin}`], { reject: false, stdin: "ignore" });
    assert.is(r.exitCode, 0, `ulimit -v ${kb}: ${r.stderr}`);
    assert.is(String(r.stdout), "hello", `ulimit -v ${kb}`);
  }
  for (let kb = 2000; kb <= 14000; kb += 1000) {
    const r = await execa("bash", ["-c", `ulimit -v ${kb}; ${bin}`], { reject: false, stdin: "ignore" });
    if (r.exitCode === 0) assert.is(String(r.stdout), "hello", `ulimit -v ${kb}`);
    else if (r.exitCode === 127) assert.match(String(r.stderr), /error while loading shared libraries/); // before our code runs
    else {
      assert.is(r.exitCode, 101, `ulimit -v ${kb}: ${r.stderr}`);
      assert.match(String(r.stderr), /^panic: out of memory/, `ulimit -v ${kb}`);
    }
  }
});

test.after(() => rmSync(WORK, { recursive: true, force: true }));
test.run();
