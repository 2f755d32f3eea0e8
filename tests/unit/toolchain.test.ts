// The C toolchain end to end: find the compiler, build the runtime, compile
// hand-written C against colang.h, run it, and check the build cache.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedBuild, hashKey } from "../../src/toolchain/cache.js";
import { buildRuntime, checkLibuv, compileProgram, findCompiler } from "../../src/toolchain/cc.js";

const WORK = mkdtempSync(join(tmpdir(), "coc-toolchain-test-"));
process.env.COLANG_CACHE_DIR = join(WORK, "cache");
delete process.env.COLANG_NO_CACHE;

const HELLO = `#include "colang.h"
static __attribute__((cold, noinline, noreturn)) void co__fail_ovf_1(void) { co__overflow("h.co", 1, 1); }
int main(int argc, char **argv) {
    co_rt_init(argc, argv);
    co_str who = co_str_concat(CO_STR_LIT("from "), co_str_from_i64(co_add_i64(40, 2, co__fail_ovf_1)));
    co_println(co_str_concat(CO_STR_LIT("hello "), who));
    co_println(co_str_from_f64(0.1 + 0.2));
    return co_rt_finish(0);
}
`;

const PANIC = `#include "colang.h"
static __attribute__((cold, noinline, noreturn)) void co__fail_ovf_1(void) { co__overflow("p.co", 3, 14); }
int main(int argc, char **argv) {
    co_rt_init(argc, argv);
    co_println(CO_STR_LIT("before"));
    int32_t x = co_mul_i32(INT32_MAX, argc + 1, co__fail_ovf_1);
    co_println(co_str_from_i64(x));
    return co_rt_finish(0);
}
`;

const TESTS = `#include "colang.h"
static void t_ok(void) { if (!co_str_eq(co_str_to_upper(CO_STR_LIT("ab")), CO_STR_LIT("AB"))) co_assert_fail("t.co", 1, 1); }
static void t_bad(void) { co_assert_fail_msg(CO_STR_LIT("1 == 2"), "t.co", 4, 5); }
int main(int argc, char **argv) {
    co_rt_init(argc, argv);
    co_test_run("upper", t_ok);
    co_test_run("math", t_bad);
    return co_rt_finish(co_test_summary());
}
`;

let cc = "gcc";

test("findCompiler finds gcc and clang and reports versions", async () => {
  const any = await findCompiler(undefined);
  assert.ok(any.ok);
  const g = await findCompiler("gcc");
  assert.ok(g.ok && /gcc/i.test(g.version), JSON.stringify(g));
  if (g.ok) cc = g.cc;
  const c = await findCompiler("clang");
  assert.ok(c.ok && /clang/i.test(c.version), JSON.stringify(c));
});

test("checkLibuv succeeds and remembers it", async () => {
  assert.is(await checkLibuv(cc), null);
  assert.is(await checkLibuv(cc), null);
  const msg = await checkLibuv("no-such-cc-xyz");
  assert.ok(msg && msg.includes("not found"), String(msg));
});

test("buildRuntime builds once into the cache", async () => {
  const t0 = performance.now();
  const lib = await buildRuntime({ cc, debug: false, sanitize: false });
  const t1 = performance.now();
  assert.ok(existsSync(lib));
  assert.ok(lib.startsWith(process.env.COLANG_CACHE_DIR!));
  const again = await buildRuntime({ cc, debug: false, sanitize: false });
  assert.is(again, lib);
  const mtime = statSync(lib).mtimeMs;
  assert.is(statSync(again).mtimeMs, mtime);
  console.log(`    runtime build (${cc} -O2): ${(t1 - t0).toFixed(0)} ms`);
});

test("compileProgram: hello runs; unchanged rebuild is a cache hit", async () => {
  const out = join(WORK, "hello");
  const t0 = performance.now();
  const r1 = await compileProgram({ cc, cSource: HELLO, cFileHint: "hello.c", out, debug: false, sanitize: false });
  const t1 = performance.now();
  assert.equal(r1, { ok: true, cached: false });
  const run = await execa(out, [], { reject: false });
  assert.is(run.exitCode, 0);
  assert.is(run.stdout, "hello from 42\n0.30000000000000004");
  assert.is(run.stderr, "");

  rmSync(out);
  const t2 = performance.now();
  const r2 = await compileProgram({ cc, cSource: HELLO, cFileHint: "hello.c", out, debug: false, sanitize: false });
  const t3 = performance.now();
  assert.equal(r2, { ok: true, cached: true });
  assert.is((await execa(out, [])).stdout, "hello from 42\n0.30000000000000004");

  // a different flag set is a different binary
  const r3 = await compileProgram({ cc, cSource: HELLO, cFileHint: "hello.c", out, debug: true, sanitize: false });
  assert.equal(r3, { ok: true, cached: false });
  console.log(`    compile+link hello: ${(t1 - t0).toFixed(0)} ms; cache hit: ${(t3 - t2).toFixed(0)} ms`);
});

test("a panic exits 101 with the location on stderr, stdout flushed first", async () => {
  const out = join(WORK, "panic");
  const r = await compileProgram({ cc, cSource: PANIC, cFileHint: "panic.c", out, debug: false, sanitize: false });
  assert.ok(r.ok, JSON.stringify(r));
  const run = await execa(out, [], { reject: false });
  assert.is(run.exitCode, 101);
  assert.is(run.stdout, "before");
  assert.is(run.stderr, "panic: integer overflow at p.co:3:14");
});

test("test runner output and exit status", async () => {
  const out = join(WORK, "tests");
  const r = await compileProgram({ cc, cSource: TESTS, cFileHint: "tests.c", out, debug: false, sanitize: false });
  assert.ok(r.ok, JSON.stringify(r));
  const run = await execa(out, [], { reject: false });
  assert.is(run.exitCode, 1);
  assert.is(
    run.stdout,
    "test upper ... ok\ntest math ... FAILED\n  panic: assertion failed: 1 == 2 at t.co:4:5\n1 passed, 1 failed",
  );
});

test("clang with sanitizers builds its own runtime and runs clean", async () => {
  const out = join(WORK, "hello-san");
  const t0 = performance.now();
  const r = await compileProgram({ cc: "clang", cSource: HELLO, cFileHint: "hello.c", out, debug: true, sanitize: true });
  const t1 = performance.now();
  assert.ok(r.ok, JSON.stringify(r));
  const run = await execa(out, [], { reject: false });
  assert.is(run.exitCode, 0, run.stderr);
  assert.is(run.stdout, "hello from 42\n0.30000000000000004");
  console.log(`    clang ASan runtime + program: ${(t1 - t0).toFixed(0)} ms`);
});

test("a C error is returned as stderr, not thrown, and not cached", async () => {
  const out = join(WORK, "broken");
  const src = `#include "colang.h"\nint main(void) { return undefined_thing; }\n`;
  const r = await compileProgram({ cc, cSource: src, cFileHint: "broken", out, debug: false, sanitize: false });
  assert.is(r.ok, false);
  if (!r.ok) {
    assert.match(r.stderr, /undefined_thing/);
    assert.match(r.stderr, /broken\.c/);
  }
  assert.not.ok(existsSync(out));
  const again = await compileProgram({ cc, cSource: src, cFileHint: "broken", out, debug: false, sanitize: false });
  assert.is(again.ok, false);
});

test("warnings in generated code are errors except the unused-* family", async () => {
  const out = join(WORK, "warn");
  const unused = `#include "colang.h"\nstatic int helper(int unused_param) { int x; return 0; }\nint main(void) { lbl: return 0; }\n`;
  assert.ok((await compileProgram({ cc, cSource: unused, cFileHint: "w.c", out, debug: false, sanitize: false })).ok);
  const bad = `#include "colang.h"\nint main(void) { int a = 1; unsigned b = 2; return a < b; }\n`;
  assert.is((await compileProgram({ cc, cSource: bad, cFileHint: "w.c", out, debug: false, sanitize: false })).ok, false);
});

test("cachedBuild: concurrent identical builds both succeed", async () => {
  const parts = ["concurrency", String(Date.now())];
  const mk = (out: string) =>
    cachedBuild({
      keyParts: parts,
      out,
      bucket: "test",
      produce: async (path) => {
        await execa("sh", ["-c", `sleep 0.1; printf x > '${path}'`]);
        return { ok: true };
      },
    });
  const [a, b] = await Promise.all([mk(join(WORK, "c1")), mk(join(WORK, "c2"))]);
  assert.ok(a.ok && b.ok);
  assert.ok(existsSync(join(WORK, "c1")) && existsSync(join(WORK, "c2")));
  const c = await mk(join(WORK, "c3"));
  assert.ok(c.ok && c.cached);
  assert.is.not(hashKey(["ab", "c"]), hashKey(["a", "bc"]));
});

test.after(() => {
  rmSync(WORK, { recursive: true, force: true });
});

test.run();
