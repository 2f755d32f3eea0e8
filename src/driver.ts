// The driver runs the pipeline for one program: load and parse modules,
// check, analyse regions (memory), lower, emit C, and hand the C to the toolchain. It is the only file
// that knows every stage; it renders nothing (the CLI does).

import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { at, hasErrors, type Diagnostic } from "./diagnostics.js";
import { M } from "./messages.js";
import { loadProgram, type LoadedProgram, type SourceFile } from "./syntax/modules.js";
import { check } from "./check/checker.js";
import type { TypedProgram } from "./check/types.js";
import { analyzeMemory, type MemoryFacts } from "./memory/regions.js";
import { lower } from "./lower/lower.js";
import type { IrProgram } from "./lower/ir.js";
import { mono } from "./lower/mono.js";
import { emitC } from "./emit/c.js";
import { nameProgram } from "./emit/names.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const STD_DIR = path.join(REPO_ROOT, "std");
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

export interface Timings { [stage: string]: number }

export interface FrontEndOptions {
  entry: string;
  files?: Map<string, string>; // a virtual file system (tests, fuzzing); otherwise the disk
  emit?: boolean; // also lower and emit C
  test?: boolean; // test mode: tests instead of main
  // Relative paths are read from here instead of the process's directory, and
  // keep their relative names in diagnostics and in the C. The test runners set it:
  // their worker threads cannot chdir.
  dir?: string;
}

export interface FrontEndResult {
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  program: LoadedProgram | null;
  typed: TypedProgram | null;
  memory: MemoryFacts | null;
  ir: IrProgram | null; // the lowering IR printed into the C
  c: string | null;
  timings: Timings;
}

function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const n = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 0;
    if (n === 0 || (n === 2 && b < 0xc2) || i + n > buf.length) return i;
    for (let k = 1; k < n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    if (n === 3 && b === 0xe0 && buf[i + 1] < 0xa0) return i;
    if (n === 3 && b === 0xed && buf[i + 1] >= 0xa0) return i; // surrogates
    if (n === 4 && (b > 0xf4 || (b === 0xf0 && buf[i + 1] < 0x90) || (b === 0xf4 && buf[i + 1] >= 0x90))) return i;
    i += n;
  }
  return -1;
}

/** Reads a source file from disk (relative to `dir` when given), decoding UTF-8 strictly. */
export function readFromDisk(file: string, dir?: string): SourceFile {
  const onDisk = dir === undefined ? file : path.resolve(dir, file);
  let buf: Buffer;
  try {
    const st = fs.statSync(onDisk);
    if (!st.isFile()) return { path: file, text: null };
    if (st.size > MAX_SOURCE_BYTES) {
      return { path: file, text: null, error: at(M.fileTooLarge(st.size), { file, start: 0, end: 0, line: 1, col: 1 }) };
    }
    buf = fs.readFileSync(onDisk);
  } catch {
    return { path: file, text: null };
  }
  const bad = firstInvalidUtf8(buf);
  if (bad >= 0) {
    const before = buf.subarray(0, bad).toString("utf8");
    const lines = before.split("\n");
    const line = lines.length, col = lines[lines.length - 1].length + 1;
    return { path: file, text: null, error: at(M.invalidUtf8(), { file, start: before.length, end: before.length + 1, line, col }) };
  }
  let text = buf.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte order mark
  return { path: file, text };
}

export function frontEnd(opts: FrontEndOptions): FrontEndResult {
  const timings: Timings = {};
  const time = <T>(stage: string, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    timings[stage] = (timings[stage] ?? 0) + performance.now() - t0;
    return r;
  };
  const read = opts.files
    ? (file: string): SourceFile => {
      const text = opts.files!.get(file) ?? opts.files!.get(path.normalize(file));
      // The standard library comes from disk unless the virtual file system replaces it.
      if (text === undefined) return path.dirname(path.resolve(file)) === STD_DIR ? readFromDisk(file) : { path: file, text: null };
      return { path: file, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    }
    : (file: string): SourceFile => readFromDisk(file, opts.dir);
  const loaded = time("parse", () => loadProgram(opts.entry, read, STD_DIR));
  const diagnostics = [...loaded.diagnostics];
  const result: FrontEndResult = { diagnostics, sources: loaded.value.sources, program: loaded.value, typed: null, memory: null, ir: null, c: null, timings };
  // Without the entry module's syntax tree, checking would only add noise.
  if (!loaded.value.modules.some((m) => m.file === loaded.value.entry)) return result;
  const checked = time("check", () => check(loaded.value, { requireMain: !opts.test }));
  diagnostics.push(...checked.diagnostics);
  // C names are emit's decision (emit/names.ts); given now, because the mono pass keys instances by them.
  nameProgram(checked.value);
  result.typed = checked.value;
  if (hasErrors(diagnostics)) return result;
  const memory = time("memory", () => analyzeMemory(checked.value, loaded.value.sources));
  diagnostics.push(...memory.diagnostics);
  result.memory = memory.value;
  if (hasErrors(diagnostics) || !opts.emit) return result;
  const lowered = time("lower", () => lower(checked.value, memory.value, opts.test ? "test" : "build"));
  const instances = time("mono", () => mono(lowered));
  diagnostics.push(...instances.diagnostics);
  if (hasErrors(diagnostics)) return result;
  const emitted = time("emit", () => emitC(lowered, instances.value));
  result.c = emitted.c;
  result.ir = emitted.ir;
  return result;
}

// ---------- building a native binary ----------
import { findCompiler, checkLibuv, buildRuntime, compileProgram } from "./toolchain/cc.js";
import { EnvironmentError, checkWritable, isErrno, why } from "./toolchain/paths.js";

/** Test suites and the fuzzer set COLANG_STRICT_C=1: a C warning in generated code fails the build.
 * A user build never fails for one (it is reported as a coc bug, see cli.ts). */
export const strictC = (): boolean => process.env.COLANG_STRICT_C === "1";

export interface BuildOptions {
  entry: string;
  out: string;
  cc?: "gcc" | "clang";
  emitC?: boolean;
  debug?: boolean;
  sanitize?: boolean;
  test?: boolean;
}

export type BuildResult =
  | { kind: "diagnostics"; fe: FrontEndResult } // compile errors (rendered by the CLI)
  | { kind: "environment"; message: string; fe: FrontEndResult } // missing C compiler or libuv
  | { kind: "cc-failed"; stderr: string; fe: FrontEndResult } // C compiler rejected generated code: a compiler bug
  | { kind: "ok"; out: string; fe: FrontEndResult; cached: boolean; cWarnings?: string };

export async function buildProgram(opts: BuildOptions): Promise<BuildResult> {
  return buildFrontEnd(opts, frontEnd({ entry: opts.entry, emit: true, test: opts.test }));
}

/** The native half of buildProgram, for a front-end result already at hand
 * (the golden-program runner builds one front-end result with several compilers). */
export async function buildFrontEnd(opts: BuildOptions, fe: FrontEndResult): Promise<BuildResult> {
  if (hasErrors(fe.diagnostics) || fe.c === null) return { kind: "diagnostics", fe };
  try {
    return await toNative(opts, fe, fe.c);
  } catch (e) {
    // The machine said no (a cache or output directory that cannot be written, a killed compiler).
    if (e instanceof EnvironmentError) return { kind: "environment", message: e.message, fe };
    if (isErrno(e)) return { kind: "environment", message: `${e.syscall}${e.path ? ` \`${e.path}\`` : ""}: ${why(e)}`, fe };
    throw e;
  }
}

async function toNative(opts: BuildOptions, fe: FrontEndResult, c: string): Promise<BuildResult> {
  const t0 = performance.now();
  const outProblem = await checkWritable(opts.out, "output");
  if (outProblem) return { kind: "environment", message: outProblem, fe };
  if (opts.emitC) {
    const cProblem = await checkWritable(opts.out + ".c", "C output");
    if (cProblem) return { kind: "environment", message: cProblem, fe };
    fs.writeFileSync(opts.out + ".c", c);
  }
  const cc = await findCompiler(opts.cc);
  if (!cc.ok) return { kind: "environment", message: cc.message, fe };
  const uvProblem = await checkLibuv(cc.cc);
  if (uvProblem) return { kind: "environment", message: uvProblem, fe };
  await buildRuntime({ cc: cc.cc, debug: !!opts.debug, sanitize: !!opts.sanitize });
  fe.timings["runtime"] = performance.now() - t0;
  const t1 = performance.now();
  const r = await compileProgram({
    cc: cc.cc, cSource: c, cFileHint: path.basename(opts.out), out: opts.out,
    debug: !!opts.debug, sanitize: !!opts.sanitize, werror: strictC(),
  });
  fe.timings["cc"] = performance.now() - t1;
  if (!r.ok) return { kind: "cc-failed", stderr: r.stderr, fe };
  return { kind: "ok", out: opts.out, fe, cached: !!r.cached, cWarnings: r.warnings };
}
