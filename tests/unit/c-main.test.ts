// The C `main` is an IR function (src/lower/main-fn.ts) the IR printer writes:
// its statements for a sync `main`, an async `main`, and test mode (each test
// run by name, a test that awaits through its future's constructor).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";
import { dumpIr } from "../../src/dump.js";

/** The lines of `int main(...) { ... }` in the C. */
function cMain(c: string): string[] {
  const lines = c.split("\n");
  const at = lines.findIndex((l) => l.startsWith("int main("));
  assert.ok(at >= 0, "the C has a main");
  return lines.slice(at, lines.indexOf("}", at) + 1);
}

const emit = (src: string, testMode = false) => {
  const r = frontEnd({ entry: "t.co", files: new Map([["t.co", src]]), emit: true, test: testMode });
  assert.ok(r.c && r.ir, "C emitted");
  return { c: r.c!, ir: r.ir! };
};

test("a sync main: runtime, the name table, std's directory, the globals, then main", () => {
  const { c, ir } = emit(`let g = 2\nfn main() { println("{g}") }\n`);
  const m = cMain(c);
  assert.is(m[0], "int main(int argc, char ** argv) {");
  assert.is(m[1], "  co_rt_init(argc, argv);");
  assert.match(m[2], /^ {2}co_stack_names\(co__fn_names, \d+\);$/);
  assert.match(m[3], /^ {2}co_panic_std_dir\(".*std\/"\);$/);
  assert.is(m[4], "  co__init_globals();");
  assert.is(m[5], "  return co_rt_finish(co_rt_run_sync_main(f_main));");
  assert.is(m.length, 7);
  assert.ok(ir.main, "the IR holds the C main");
  assert.ok(dumpIr(ir).includes("fn main(argc: c.int, argv: **c.char): c.int {"), "the dump shows it");
});

test("an async main runs co__make_main", () => {
  const m = cMain(emit(`import std/time\nasync fn main() { await time.sleep(1) }\n`).c);
  assert.is(m[m.length - 2], "  return co_rt_finish(co_rt_run_async_main(co__make_main));");
});

test("test mode runs each test by name, one that awaits as a task, then the summary", () => {
  const src = `import std/time\nfn main() {}\ntest "plain" { assert(1 + 1 == 2) }\ntest "waits" { await time.sleep(1) }\n`;
  const m = cMain(emit(src, true).c);
  assert.ok(m.some((l) => /^ {2}co_test_run\("plain", test_\w+\);$/.test(l)), m.join("\n"));
  assert.ok(m.some((l) => /^ {2}co_test_run_async\("waits", test_\w+\);$/.test(l)), m.join("\n"));
  assert.is(m[m.length - 2], "  return co_rt_finish(co_test_summary());");
  assert.not.ok(m.some((l) => l.includes("f_main")), "main is not run in test mode");
});

test.run();
