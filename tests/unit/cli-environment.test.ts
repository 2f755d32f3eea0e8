// The edge between coc and its machine (docs/reliability.md): output paths
// that cannot be written, inputs that are not files, an unwritable build cache,
// a C compiler that is killed or that warns. Each is one line and exit 1 (a
// warning: a note and exit 0), never an internal compiler error or a hang.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const COC = join(ROOT, "bin/coc.js");
const WORK = mkdtempSync(join(tmpdir(), "coc-env-test-"));
const HELLO = join(WORK, "hello.co");
writeFileSync(HELLO, 'fn main() {\n  println("hi")\n}\n');
writeFileSync(join(WORK, "afile"), "");
mkdirSync(join(WORK, "adir"));

async function coc(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string; stdout: string }> {
  const r = await execa(process.execPath, [COC, ...args], { cwd: WORK, reject: false, timeout: 60_000, env: { COLANG_STRICT_C: "", ...env }, stdin: "ignore" });
  assert.not.ok(r.timedOut, `coc ${args.join(" ")} timed out`);
  return { code: r.exitCode ?? -1, stderr: String(r.stderr), stdout: String(r.stdout) };
}

function oneLineError(r: { code: number; stderr: string }, re: RegExp): void {
  assert.is(r.code, 1, r.stderr);
  assert.not.match(r.stderr, /internal compiler error|    at /);
  const lines = r.stderr.trimEnd().split("\n");
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0], re);
}

const outputs: [string, RegExp][] = [
  ["", /output path is empty/],
  ["adir", /it is a directory/],
  ["afile/x", /is a file, not a directory/],
  ["/proc/x/y", /cannot create the directory `\/proc\/x`/], // hung at full CPU in Node's recursive mkdir
  ["/proc/version", /cannot write the output/],
];
for (const [out, re] of outputs) {
  test(`-o ${JSON.stringify(out)} is a one-line error`, async () => oneLineError(await coc(["build", "hello.co", "-o", out]), re));
  test(`--emit-c -o ${JSON.stringify(out)} is a one-line error`, async () => oneLineError(await coc(["build", "hello.co", "--emit-c", "-o", out]), re));
}

test("a directory as input says so (not E0104)", async () => oneLineError(await coc(["build", "adir"]), /`adir`: it is a directory/));
test("check: a directory as input says so", async () => oneLineError(await coc(["check", "adir"]), /it is a directory/));

test("an unusable COLANG_CACHE_DIR is a one-line error", async () => {
  oneLineError(await coc(["build", "hello.co", "-o", "h1"], { COLANG_CACHE_DIR: "/proc/coc-cache" }), /build cache/);
  oneLineError(await coc(["build", "hello.co", "-o", "h2"], { COLANG_CACHE_DIR: join(WORK, "afile") }), /build cache.*not a directory/);
});

// Fake compilers on PATH: they wrap the real gcc, so the runtime still builds.
// Each acts only on the program's own C file (NAME.c), not on the libuv probe or the runtime.
function fakeGcc(name: string, cFile: string, body: string): string {
  const dir = join(WORK, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "gcc"), `#!/bin/sh\nfor a in "$@"; do case "$a" in */${cFile}) ${body};; esac; done\nexec /usr/bin/gcc "$@"\n`);
  chmodSync(join(dir, "gcc"), 0o755);
  return `${dir}:${process.env.PATH}`;
}

test("a C compiler killed while compiling the program is a one-line error", async () => {
  const r = await coc(["build", "hello.co", "-o", "h3", "--cc", "gcc"], { PATH: fakeGcc("killed", "h3.c", "kill -9 $$"), COLANG_NO_CACHE: "1" });
  oneLineError(r, /C compiler `gcc` was killed \(SIGKILL\)/);
});

test("a C warning in a user build is reported as a coc bug and the build succeeds", async () => {
  const path = fakeGcc("warns", "hello.c", `echo "hello.c:1:1: warning: made-up warning [-Wmade-up]" >&2`);
  const r = await coc(["run", "hello.co", "--cc", "gcc"], { PATH: path, COLANG_NO_CACHE: "1" });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, "hi"); // execa strips the final newline
  assert.match(r.stderr, /bug in coc/);
  assert.match(r.stderr, /made-up warning/);
  // Under the test suites (COLANG_STRICT_C=1) -Werror stays, so a real warning fails there.
});

test.after(() => rmSync(WORK, { recursive: true, force: true }));
test.run();
