// The C toolchain: finds gcc or clang, checks for libuv, builds the C runtime
// (once per compiler + flags + runtime sources, cached on disk) and compiles
// the emitted C translation unit into a native binary with flags that match
// Colang's semantics. Every failure is one clear line for the user, except a
// C error in generated code, which is a compiler bug (returned as stderr).

import { execa } from "execa";
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir, cachedBuild, hashKey, tempSibling } from "./cache.js";
import { EnvironmentError, makeDirs } from "./paths.js";

export { EnvironmentError };

export type CompilerResult = { ok: true; cc: string; version: string } | { ok: false; message: string };
export type CompileResult = { ok: true; cached: boolean; warnings?: string } | { ok: false; stderr: string };

export interface RuntimeOptions {
  cc: string;
  debug: boolean;
  sanitize: boolean;
}

export interface CompileOptions extends RuntimeOptions {
  /** The whole C translation unit. */
  cSource: string;
  /** Name for the temporary .c file (e.g. "hello.c"); only its base name is used. */
  cFileHint: string;
  /** Path of the binary to produce. */
  out: string;
  extraFlags?: string[];
  /** -Werror on the generated C (the test suites); a user build instead gets its warnings back. */
  werror?: boolean;
}

// ---------------------------------------------------------------- locations

/** The repository root: the nearest ancestor of this module's directory that
 * holds cruntime/include/colang.h. Compiled, this file is
 * dist/src/toolchain/cc.js (root three levels up); run from source it is
 * src/toolchain/cc.ts (two levels up). Never relative to the cwd. */
export const REPO_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "cruntime", "include", "colang.h"))) return dir;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
})();
export const CRUNTIME_DIR = join(REPO_ROOT, "cruntime");
export const CRUNTIME_INCLUDE = join(CRUNTIME_DIR, "include");

// ---------------------------------------------------------------- flags

/** Colang's math never sets errno; -fno-math-errno lets gcc inline sqrt and
 * vectorise float loops (ARCHITECTURE.md). No -fwrapv: overflow is checked
 * explicitly by co_arith.h, and the optimiser may rely on it not happening. */
const BASE_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-fno-math-errno", "-pipe"];

/** Generated code legitimately contains unused helpers (monomorphized
 * instances, runtime inline functions, match temporaries, labels of state
 * machines not every path jumps to), so these warnings are noise, not bugs.
 * Every other warning in generated C stays an error: it is a compiler bug. */
const GENERATED_CODE_FLAGS = [
  "-Wno-unused-function",
  "-Wno-unused-variable",
  "-Wno-unused-parameter",
  "-Wno-unused-but-set-variable",
  "-Wno-unused-label",
];

/** gcc only (clang has no such flag). Decision: a copy loop in generated code
 * stays a loop instead of becoming a memcpy/memmove call. Once range analysis
 * removes its bounds checks (lower/ranges.ts), gcc turns `v[i] = w[i]` loops
 * into those calls, which cost more than the loop for the short vecs such
 * loops usually copy (fannkuch-redux: 10%); bulk copies go through the
 * runtime, which calls memcpy itself. */
const GCC_PROGRAM_FLAGS = ["-fno-tree-loop-distribute-patterns"];

const SANITIZE_FLAGS = [
  "-fsanitize=address,undefined",
  "-fno-sanitize-recover=undefined",
  "-fno-omit-frame-pointer",
  "-g",
];

/** Optimisation + sanitizer flags; shared by the runtime and the program so
 * that both halves agree (ASan region poisoning relies on it). */
export function modeFlags(debug: boolean, sanitize: boolean): string[] {
  const f = debug ? ["-O0", "-g"] : ["-O2"];
  if (sanitize) f.push(...SANITIZE_FLAGS);
  return f;
}

const LINK_LIBS = ["-luv", "-lm"];

// ---------------------------------------------------------------- compiler

const INSTALL_HINT: Record<string, string> = {
  gcc: "apt-get install gcc",
  clang: "apt-get install clang",
  cc: "apt-get install gcc",
};

const versionMemo = new Map<string, Promise<string | null>>();

/** First line of `cc --version`, or null if cc cannot be run. */
export function compilerVersion(cc: string): Promise<string | null> {
  let p = versionMemo.get(cc);
  if (!p) {
    p = execa(cc, ["--version"], { reject: false, stdin: "ignore" }).then((r) =>
      r.exitCode === 0 && typeof r.stdout === "string" ? (r.stdout.split("\n")[0] ?? "").trim() : null,
    );
    versionMemo.set(cc, p);
  }
  return p;
}

/** Finds the C compiler: the one asked for, else gcc, then clang, then cc. */
export async function findCompiler(pref: "gcc" | "clang" | undefined): Promise<CompilerResult> {
  const candidates = pref ? [pref] : ["gcc", "clang", "cc"];
  for (const cc of candidates) {
    const version = await compilerVersion(cc);
    if (version !== null) return { ok: true, cc, version };
  }
  if (pref) return { ok: false, message: `C compiler \`${pref}\` not found: install it with \`${INSTALL_HINT[pref]}\`` };
  return {
    ok: false,
    message: "no C compiler found (tried gcc, clang, cc): install one with `apt-get install gcc` or `apt-get install clang`",
  };
}

async function requireVersion(cc: string): Promise<string> {
  const v = await compilerVersion(cc);
  if (v === null) {
    const hint = INSTALL_HINT[basename(cc)] ?? "apt-get install gcc";
    throw new Error(`C compiler \`${cc}\` not found: install it with \`${hint}\``);
  }
  return v;
}

// ---------------------------------------------------------------- libuv

const LIBUV_PROBE = `#include <uv.h>
int main(void) { return uv_version() == 0; }
`;

/** null if <uv.h> compiles and -luv links with `cc`; else one line saying
 * what to install. Success is remembered on disk per compiler; failure is
 * not, so installing the package fixes it without clearing a cache. */
export async function checkLibuv(cc: string): Promise<string | null> {
  const version = await compilerVersion(cc);
  if (version === null) return `C compiler \`${cc}\` not found: install it with \`${INSTALL_HINT[basename(cc)] ?? "apt-get install gcc"}\``;
  const stamp = join(cacheDir(), "probe", `libuv-${hashKey([cc, version]).slice(0, 16)}.ok`);
  if (existsSync(stamp)) return null;
  const dir = await fs.mkdtemp(join(tmpdir(), "coc-uv-"));
  try {
    const src = join(dir, "probe.c");
    await fs.writeFile(src, LIBUV_PROBE);
    const compile = await execa(cc, ["-c", src, "-o", join(dir, "probe.o")], { reject: false, stdin: "ignore" });
    if (compile.exitCode !== 0) return "libuv headers not found: install them with `apt-get install libuv1-dev`";
    const link = await execa(cc, [join(dir, "probe.o"), "-o", join(dir, "probe"), "-luv"], {
      reject: false,
      stdin: "ignore",
    });
    if (link.exitCode !== 0) return "libuv library not found (-luv does not link): install it with `apt-get install libuv1-dev`";
    await makeDirs(dirname(stamp), "the build cache");
    await fs.writeFile(stamp, `${version}\n`);
    return null;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- runtime

let sourceHashMemo: Promise<string> | undefined;

/** sha256 over the runtime's headers and sources (names + bytes). */
export function runtimeSourceHash(): Promise<string> {
  sourceHashMemo ??= (async () => {
    const h = createHash("sha256");
    for (const sub of ["include", "src"]) {
      const names = (await fs.readdir(join(CRUNTIME_DIR, sub))).filter((n) => /\.[ch]$/.test(n)).sort();
      for (const n of names) {
        // latin1 maps bytes 1:1 (a Buffer is not a BinaryLike under these @types)
        const text = await fs.readFile(join(CRUNTIME_DIR, sub, n), "latin1");
        h.update(`${sub}/${n}\0${text.length}\0`);
        h.update(text, "latin1");
      }
    }
    return h.digest("hex");
  })();
  return sourceHashMemo;
}

const runtimeMemo = new Map<string, Promise<string>>();

async function runtimeKey(opts: RuntimeOptions): Promise<string> {
  const version = await requireVersion(opts.cc);
  return hashKey([
    "runtime-v1",
    opts.cc,
    version,
    JSON.stringify([...BASE_FLAGS, ...modeFlags(opts.debug, opts.sanitize)]),
    await runtimeSourceHash(),
  ]);
}

/** Path of libcolang.a for this compiler and flag set, building it on first
 * use into <cache>/runtime/<key>/. Concurrent coc processes each build into a
 * temp dir and rename it into place; the loser discards its copy. */
export function buildRuntime(opts: RuntimeOptions): Promise<string> {
  const memoKey = JSON.stringify([opts.cc, opts.debug, opts.sanitize]);
  let p = runtimeMemo.get(memoKey);
  if (!p) {
    p = buildRuntimeUncached(opts);
    runtimeMemo.set(memoKey, p);
    p.catch(() => runtimeMemo.delete(memoKey));
  }
  return p;
}

async function buildRuntimeUncached(opts: RuntimeOptions): Promise<string> {
  const key = (await runtimeKey(opts)).slice(0, 32);
  const root = join(cacheDir(), "runtime");
  const finalDir = join(root, key);
  const lib = join(finalDir, "libcolang.a");
  if (existsSync(lib)) return lib;

  await makeDirs(root, "the build cache");
  const tmp = tempSibling(finalDir);
  await fs.mkdir(tmp);
  try {
    const flags = [...BASE_FLAGS, ...modeFlags(opts.debug, opts.sanitize), "-I", CRUNTIME_INCLUDE];
    const srcs = (await fs.readdir(join(CRUNTIME_DIR, "src"))).filter((n) => n.endsWith(".c")).sort();
    const objs = await Promise.all(
      srcs.map(async (n) => {
        const obj = join(tmp, n.replace(/\.c$/, ".o"));
        const r = await execa(opts.cc, [...flags, "-c", join(CRUNTIME_DIR, "src", n), "-o", obj], {
          reject: false,
          stdin: "ignore",
        });
        if (r.signal) throw new EnvironmentError(`the C compiler \`${opts.cc}\` was killed (${r.signal}) while building the C runtime, perhaps for lack of memory`);
        if (r.exitCode !== 0) throw new Error(`building the C runtime failed (${opts.cc}, src/${n}):\n${r.stderr}`);
        return obj;
      }),
    );
    const ar = await execa("ar", ["rcs", join(tmp, "libcolang.a"), ...objs], { reject: false, stdin: "ignore" });
    if (ar.exitCode !== 0) throw new Error(`building the C runtime failed (ar):\n${ar.stderr || ar.message}`);
    await Promise.all(objs.map((o) => fs.rm(o, { force: true })));
    await fs.writeFile(join(tmp, "BUILD-INFO"), `${opts.cc}\n${await compilerVersion(opts.cc)}\n${flags.join(" ")}\n`);
    try {
      await fs.rename(tmp, finalDir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Another process finished the same build first: use theirs.
      if ((code === "ENOTEMPTY" || code === "EEXIST") && existsSync(lib)) return lib;
      throw e;
    }
    return lib;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- programs

/** The full command line (after the compiler name) for one program. */
export function programArgs(opts: {
  debug: boolean;
  sanitize: boolean;
  cFile: string;
  out: string;
  runtimeLib: string;
  extraFlags?: string[];
  gcc?: boolean;
  werror?: boolean;
}): string[] {
  return [
    ...BASE_FLAGS.filter((f) => opts.werror !== false || f !== "-Werror"),
    ...GENERATED_CODE_FLAGS,
    ...(opts.gcc ? GCC_PROGRAM_FLAGS : []),
    ...modeFlags(opts.debug, opts.sanitize),
    "-I",
    CRUNTIME_INCLUDE,
    opts.cFile,
    "-o",
    opts.out,
    opts.runtimeLib,
    ...LINK_LIBS,
    ...(opts.extraFlags ?? []),
  ];
}

/** Flags for checking generated C without building it (the fuzzer's C check,
 * scripts/fuzz/ccheck.ts): the program's warning set under -Werror, no optimiser. */
export function syntaxCheckArgs(gcc: boolean): string[] {
  return ["-fsyntax-only", ...BASE_FLAGS.filter((f) => f !== "-pipe"), ...GENERATED_CODE_FLAGS, ...(gcc ? GCC_PROGRAM_FLAGS : []), "-I", CRUNTIME_INCLUDE];
}

/** Compiles one C translation unit and links it with the runtime and libuv.
 * A hit in the build cache (same source, flags, compiler, runtime) skips the
 * C compiler entirely. A C error here is a Colang compiler bug: its stderr is
 * returned for the driver to report as an internal compiler error; the C file
 * is kept and its path appended. */
export async function compileProgram(opts: CompileOptions): Promise<CompileResult> {
  const runtimeLib = await buildRuntime(opts);
  const version = await requireVersion(opts.cc);
  const gcc = !/clang/i.test(version);
  const flagsForKey = programArgs({ ...opts, gcc, cFile: "<src>", out: "<out>", runtimeLib: "<rt>" });
  const res = await cachedBuild({
    keyParts: ["program-v1", opts.cc, version, JSON.stringify(flagsForKey), runtimeLib, opts.cSource],
    out: opts.out,
    produce: async (path) => {
      const dir = await fs.mkdtemp(join(tmpdir(), "coc-"));
      let hint = basename(opts.cFileHint || "main.c");
      if (!hint.endsWith(".c")) hint += ".c";
      const cFile = join(dir, hint);
      await fs.writeFile(cFile, opts.cSource);
      const r = await execa(opts.cc, programArgs({ ...opts, gcc, cFile, out: path, runtimeLib }), {
        reject: false,
        stdin: "ignore",
      });
      if (r.exitCode !== 0) {
        const why = String(r.stderr || r.message || "");
        // Killed (the OOM killer, a ulimit): the machine's problem, not a bug in the generated C.
        const killed = r.signal ?? (/Killed signal terminated|terminated by signal/i.test(why) ? "SIGKILL" : null);
        if (killed) throw new EnvironmentError(`the C compiler \`${opts.cc}\` was killed (${killed}), perhaps for lack of memory; the generated C is kept at ${cFile}`);
        return { ok: false, stderr: `${why}\n(generated C kept at ${cFile})` };
      }
      await fs.rm(dir, { recursive: true, force: true });
      return /warning:/.test(String(r.stderr)) ? { ok: true, warnings: String(r.stderr) } : { ok: true };
    },
  });
  return res.ok ? { ok: true, cached: res.cached, ...(res.warnings ? { warnings: res.warnings } : {}) } : res;
}
