// The `coc` command line: flags and output only. Every decision about the
// program lives in the driver; this file renders results and sets exit codes
// (0 ok, 1 compile errors, 70 internal compiler error).

import { Command, Option } from "commander";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { renderAll, toJson, hasErrors, type Diagnostic } from "./diagnostics.js";
import { frontEnd, buildProgram, type BuildResult, type Timings } from "./driver.js";
import { dumpAst, dumpTyped, dumpIr } from "./dump.js";
import { explainCopies } from "./memory/regions.js";
import { why } from "./toolchain/paths.js";
import { isStackOverflow, rerunWithBigStack } from "./bigstack.js";

const EXIT_ERRORS = 1;
const EXIT_ICE = 70;

interface BuildFlags { explainCopies?: boolean; output?: string; cc?: "gcc" | "clang"; emitC?: boolean; debug?: boolean; sanitize?: boolean; json?: boolean }

function report(ds: Diagnostic[], sources: Map<string, string>, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(JSON.stringify(toJson(ds), null, 2) + "\n");
    return;
  }
  if (ds.length) process.stderr.write(renderAll(ds, sources));
}

function printTimings(t: Timings): void {
  if (process.env.COLANG_TIMINGS !== "1") return;
  for (const [k, v] of Object.entries(t)) process.stderr.write(`timing: ${k} ${v.toFixed(1)}\n`);
}

function internalError(e: unknown): never {
  if (isStackOverflow(e)) {
    const status = rerunWithBigStack();
    if (status !== null) process.exit(status);
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(
    `internal compiler error: ${err.message}\n` +
    `This is a bug in coc, not in your program. Please report it with the program that triggered it.\n` +
    (err.stack ? err.stack.split("\n").slice(1, 8).join("\n") + "\n" : ""));
  process.exit(EXIT_ICE);
}

function checkEntry(file: string): void {
  const fail = (why: string): never => { process.stderr.write(`error: cannot read \`${file}\`: ${why}\n`); process.exit(EXIT_ERRORS); };
  let st: fs.Stats;
  try { st = fs.statSync(file); } catch (e) { return fail((e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : why(e)); }
  if (st.isDirectory()) fail("it is a directory, not a .co file");
  if (!st.isFile()) fail("it is not a regular file");
  try { fs.closeSync(fs.openSync(file, "r")); } catch (e) { fail(why(e)); }
}

/** A C warning in a user build: the binary is fine, the warning is coc's bug (docs/reliability.md). */
function reportCWarnings(stderr: string): void {
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  const first = lines.findIndex((l) => /warning:/.test(l));
  process.stderr.write(
    "note: the C compiler warned about the code coc generated; your program was built anyway.\n" +
    "This is a bug in coc, not in your program. Please report it with the program and these lines:\n" +
    lines.slice(Math.max(0, first - 1), first + 3).map((l) => "  " + l).join("\n") + "\n");
}

/** Builds and renders; returns the binary path on success, exits otherwise. */
async function doBuild(file: string, flags: BuildFlags, out: string, test: boolean): Promise<string> {
  checkEntry(file);
  let r: BuildResult;
  try {
    r = await buildProgram({ entry: file, out, cc: flags.cc, emitC: flags.emitC, debug: flags.debug, sanitize: flags.sanitize, test });
  } catch (e) {
    internalError(e);
  }
  report(r.fe.diagnostics, r.fe.sources, flags.json);
  printTimings(r.fe.timings);
  switch (r.kind) {
    case "diagnostics": process.exit(EXIT_ERRORS);
    // falls through (exit does not return)
    case "environment": process.stderr.write(`error: ${r.message}\n`); process.exit(EXIT_ERRORS);
    // falls through
    case "cc-failed":
      process.stderr.write(
        "internal compiler error: the C compiler rejected the generated code.\n" +
        "This is a bug in coc, not in your program. Please report it with the program that triggered it.\n" +
        r.stderr.split("\n").slice(0, 40).join("\n") + "\n");
      process.exit(EXIT_ICE);
    // falls through
    case "ok":
      if (r.cWarnings) reportCWarnings(r.cWarnings);
      if (flags.explainCopies && r.fe.memory) {
        const lines = explainCopies(r.fe.memory, r.fe.sources);
        process.stdout.write(lines.length ? lines.join("\n") + "\n" : "no copies: no store moves a value into older memory\n");
      }
      return r.out;
  }
}

function defaultOut(file: string): string {
  return path.join(path.dirname(file), path.basename(file, ".co"));
}

function tempOut(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coc-"));
  return path.join(dir, path.basename(file, ".co"));
}

function runBinary(bin: string, args: string[]): number {
  // Ctrl-C reaches the program too (same process group): let it shut down
  // gracefully and report its own exit status instead of dying first.
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => { /* the child decides */ });
  const r = spawnSync(bin, args, { stdio: "inherit" });
  try { fs.rmSync(path.dirname(bin), { recursive: true, force: true }); } catch { /* best effort */ }
  if (r.error) { process.stderr.write(`error: cannot run the program: ${r.error.message}\n`); return EXIT_ERRORS; }
  // Die of the same signal; where Node ignores it (SIGPIPE: the program's reader went away), exit as a shell
  // reports it, 128 + its number.
  if (r.signal) { process.kill(process.pid, r.signal); return 128 + (os.constants.signals[r.signal] ?? 0); }
  return r.status ?? 0;
}

const buildOptions = (c: Command) => c
  .addOption(new Option("--cc <compiler>", "C compiler to use").choices(["gcc", "clang"]))
  .option("--emit-c", "write the generated C beside the binary (OUT.c)")
  .option("--debug", "compile with -O0 -g instead of -O2")
  .option("--sanitize", "build with AddressSanitizer and UndefinedBehaviorSanitizer (runtime too)")
  .option("--json", "print diagnostics as JSON on stdout");

const program = new Command();
program.name("coc").description("The Colang compiler").version("0.1.0");

buildOptions(program.command("build").description("compile a program to a native binary").argument("<file>", "entry .co file")
  .option("-o, --output <path>", "output binary path")
  .option("--explain-copies", "list every copy the compiler inserted (a store into older memory) with its line and rule"))
  .action(async (file: string, flags: BuildFlags) => {
    await doBuild(file, flags, flags.output ?? defaultOut(file), false);
    process.exit(0);
  });

buildOptions(program.command("run").description("compile and run a program").argument("<file>", "entry .co file")
  .argument("[args...]", "arguments for the program (after --)"))
  .action(async (file: string, args: string[], flags: BuildFlags) => {
    const bin = await doBuild(file, flags, tempOut(file), false);
    process.exit(runBinary(bin, args));
  });

buildOptions(program.command("test").description("compile and run the `test` blocks of a program").argument("<file>", "entry .co file"))
  .action(async (file: string, flags: BuildFlags) => {
    const bin = await doBuild(file, flags, tempOut(file), true);
    process.exit(runBinary(bin, []));
  });

program.command("check").description("check a program without compiling it").argument("<file>", "entry .co file")
  .option("--json", "print diagnostics as JSON on stdout")
  .action((file: string, flags: { json?: boolean }) => {
    checkEntry(file);
    let fe;
    // Emitting too: some errors (E0250, an endless generic instantiation) are found only there.
    try { fe = frontEnd({ entry: file, emit: true, test: false }); } catch (e) { internalError(e); }
    report(fe.diagnostics, fe.sources, flags.json);
    printTimings(fe.timings);
    process.exit(hasErrors(fe.diagnostics) ? EXIT_ERRORS : 0);
  });

program.command("dump").description("print an intermediate form of a program").argument("<file>", "entry .co file")
  .addOption(new Option("--stage <stage>", "which form").choices(["ast", "typed", "memory", "ir", "c"]).makeOptionMandatory())
  .option("--test", "test mode (tests instead of main)")
  .action((file: string, flags: { stage: "ast" | "typed" | "memory" | "ir" | "c"; test?: boolean }) => {
    checkEntry(file);
    let fe;
    try { fe = frontEnd({ entry: file, emit: flags.stage === "c" || flags.stage === "ir", test: flags.test }); } catch (e) { internalError(e); }
    report(fe.diagnostics, fe.sources, false);
    if (flags.stage === "ast" && fe.program) process.stdout.write(dumpAst(fe.program));
    if (hasErrors(fe.diagnostics)) process.exit(EXIT_ERRORS);
    if (flags.stage === "typed" && fe.typed) process.stdout.write(dumpTyped(fe.typed));
    if (flags.stage === "memory" && fe.memory) process.stdout.write(explainCopies(fe.memory, fe.sources).join("\n") + "\n");
    if (flags.stage === "ir" && fe.ir) process.stdout.write(dumpIr(fe.ir));
    if (flags.stage === "c" && fe.c) process.stdout.write(fe.c);
    process.exit(0);
  });

program.parseAsync(process.argv).catch(internalError);
