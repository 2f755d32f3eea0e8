// Golden-program runner: compiles every tests/programs/NAME.co with one or
// more compiler configurations, runs it, and diffs stdout / exit code / stderr
// against the files beside it. See README.md ("Tests") for the file layout.
//
//   node dist/tests/run-programs.js [--cc gcc|clang] [--sanitize] [--configs gcc,clang,asan] [--jobs N] [--filter SUBSTR] [--verbose]
// Without --dir it runs tests/programs and tests/memory/promotion (the promotion corpus), and
// in its sanitizer configurations also the golden programs of tests/memory/escape (the escape
// corpus: each is about memory safety, so a sanitizer build is what it needs; its programs that
// state diagnostics are run by run-errors). --memory runs only the memory corpora (escape,
// promotion, tests/programs/drop_*); --prove also runs each of those again, in a sanitizer
// configuration, with the rules turned off and prints the fraction caught (tests/prove-memory.ts).
// The front end runs once per program, in a worker thread (tests/frontend-pool.ts);
// its C is built per configuration in this process, as `coc build` builds it
// (driver.buildFrontEnd), and each binary is run and diffed.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFrontEnd, type BuildResult, type FrontEndResult } from "../src/driver.js";
import { renderAll } from "../src/diagnostics.js";
import { buildRuntime } from "../src/toolchain/cc.js";
import { FrontEndPool, type FrontEndReply } from "./frontend-pool.js";
import { prove, proveReport, proveShortfalls, type SwitchLabel, type Verdict } from "./prove-memory.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let PROGRAMS = join(ROOT, "tests/programs"); // --dir: another folder of the same shape
/** Folders run by default besides tests/programs: the promotion corpus (docs/memory.md). */
const MORE_DIRS = [join(ROOT, "tests/memory/promotion")];
/** Run in sanitizer configurations only (and by run-valgrind.ts): programs that matter only where memory errors are seen. */
const ESCAPE_DIR = join(ROOT, "tests/memory/escape");
// A C warning in generated code fails the build here (a user build only reports it; docs/reliability.md).
process.env.COLANG_STRICT_C ??= "1";
const BUILD_TIMEOUT_MS = 180_000; // a cold ASan compile of a big program is slow on 2 cores
const RUN_TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 16 << 20;

/** One way of building the programs; its name is the one in FAIL lines and summaries. */
interface Config { name: string; cc: "gcc" | "clang"; sanitize: boolean }
const CONFIGS: Record<string, Config> = {
  gcc: { name: "gcc", cc: "gcc", sanitize: false },
  clang: { name: "clang", cc: "clang", sanitize: false },
  asan: { name: "clang-asan", cc: "clang", sanitize: true },
  "clang-asan": { name: "clang-asan", cc: "clang", sanitize: true },
  "gcc-asan": { name: "gcc-asan", cc: "gcc", sanitize: true },
};

interface Options { configs: Config[]; jobs: number; filter: string; verbose: boolean; dir: string | null; memory: boolean; prove: boolean }

function parseArgs(argv: string[]): Options {
  let cc: "gcc" | "clang" = "gcc", sanitize = false, configs: Config[] | null = null;
  const o: Options = { configs: [], jobs: 2, filter: "", verbose: false, dir: null, memory: false, prove: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--cc" || a.startsWith("--cc=")) {
      const v = val();
      if (v !== "gcc" && v !== "clang") usage(`--cc must be gcc or clang, not ${v}`);
      cc = v;
    } else if (a === "--sanitize") sanitize = true;
    else if (a === "--configs" || a.startsWith("--configs=")) {
      configs = val().split(",").filter(Boolean).map((n) => CONFIGS[n] ?? usage(`unknown configuration ${n} (gcc, clang, asan, gcc-asan)`));
      if (!configs.length) usage("--configs needs at least one configuration");
    }
    else if (a === "--jobs" || a.startsWith("--jobs=") || a === "-j") o.jobs = Math.max(1, Number(val()) || 1);
    else if (a === "--filter" || a.startsWith("--filter=")) o.filter = val();
    else if (a === "--verbose" || a === "-v") o.verbose = true;
    else if (a === "--dir" || a.startsWith("--dir=")) o.dir = resolve(val());
    else if (a === "--memory") o.memory = true;
    else if (a === "--prove") o.prove = true;
    else usage(`unknown argument ${a}`);
  }
  o.configs = configs ?? [CONFIGS[cc + (sanitize ? "-asan" : "")]];
  return o;
}

function usage(msg: string): never {
  process.stderr.write(`run-programs: ${msg}\nusage: run-programs [--cc gcc|clang] [--sanitize] [--configs gcc,clang,asan] [--jobs N] [--filter SUBSTR] [--verbose] [--dir DIR] [--memory] [--prove]\n`);
  process.exit(2);
}

// ---------- processes ----------
export interface ProcResult { code: number | null; signal: string | null; stdout: string; stderr: string; timedOut: boolean; error?: string }

const live = new Set<number>();
function killGroup(pid: number): void {
  try { process.kill(-pid, "SIGKILL"); } catch { try { process.kill(pid, "SIGKILL"); } catch { /* gone */ } }
}
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => { for (const pid of live) killGroup(pid); process.exit(130); });
}

export function run(cmd: string, args: string[], opts: { cwd: string; input?: string | Buffer; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<ProcResult> {
  return new Promise((done) => {
    // Own process group, so a timeout also kills anything the program started.
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "", timedOut = false, spawnError: string | undefined;
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (s: string) => { if (stdout.length < MAX_OUTPUT) stdout += s; });
    child.stderr.on("data", (s: string) => { if (stderr.length < MAX_OUTPUT) stderr += s; });
    child.stdin.on("error", () => { /* the program may exit without reading its input */ });
    child.stdin.end(opts.input ?? "");
    if (child.pid !== undefined) live.add(child.pid);
    const timer = setTimeout(() => { timedOut = true; if (child.pid !== undefined) killGroup(child.pid); }, opts.timeoutMs);
    child.on("error", (e) => { spawnError = e.message; });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) live.delete(child.pid);
      done({ code, signal, stdout, stderr, timedOut, error: spawnError });
    });
  });
}

// ---------- comparison ----------
const show = (s: string | undefined): string => (s === undefined ? "<end of output>" : JSON.stringify(s.length > 200 ? s.slice(0, 200) + "…" : s));

/** A few lines around the first difference between two texts. */
export function shortDiff(expected: string, actual: string, maxLines = 4): string[] {
  const e = expected.split("\n"), a = actual.split("\n");
  const lines: string[] = [];
  let i = 0;
  while (i < Math.max(e.length, a.length) && e[i] === a[i]) i++;
  lines.push(`first difference at line ${i + 1}:`);
  for (let k = i; k < Math.max(e.length, a.length) && k < i + maxLines; k++) {
    if (e[k] === a[k]) continue;
    lines.push(`  ${k + 1} expected: ${show(e[k])}`);
    lines.push(`  ${k + 1} actual:   ${show(a[k])}`);
  }
  if (expected.length !== actual.length && lines.length === 1) lines.push(`  (lengths ${expected.length} vs ${actual.length})`);
  return lines;
}

export function head(text: string, n = 12): string[] {
  const ls = text.replace(/\s+$/, "").split("\n");
  return ls.slice(0, n).map((l) => "  | " + l).concat(ls.length > n ? [`  | … (${ls.length - n} more lines)`] : []);
}

export function exitOf(r: ProcResult): string {
  if (r.timedOut) return "timed out";
  if (r.error) return `could not start: ${r.error}`;
  if (r.signal) return `killed by ${r.signal}`;
  return `exit ${r.code}`;
}

const SANITIZER_LINE = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/;

/** Under --sanitize, LeakSanitizer is on whatever the caller's ASAN_OPTIONS
 * say (a leak at exit is a failure: "ERROR: LeakSanitizer" and exit 23). */
export function sanitizerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const asan = (env.ASAN_OPTIONS ?? "").split(":").filter((kv) => kv !== "" && !kv.startsWith("detect_leaks="));
  return { ...env, ASAN_OPTIONS: [...asan, "detect_leaks=1"].join(":") };
}

// ---------- one program ----------
interface Case { name: string; kind: "program" | "test"; dir: string }
interface Outcome { name: string; ok: boolean; detail: string[]; verdicts?: Map<SwitchLabel, Verdict> }

export function readOpt(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** NAME.args: one argument a line (a final newline does not add an empty one). */
export function readArgs(base: string): string[] {
  const text = readOpt(base + ".args");
  return text === undefined ? [] : text.split("\n").filter((l, i, all) => !(i === all.length - 1 && l === ""));
}

/** NAME.env: `KEY=VALUE` lines added to the program's environment (the value
 * is taken literally up to the end of the line; blank lines and lines
 * starting with `#` are skipped). Without the file: the runner's environment. */
export function readEnv(base: string): NodeJS.ProcessEnv {
  const text = readOpt(base + ".env");
  if (text === undefined) return process.env;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`${base}.env: expected KEY=VALUE, got ${JSON.stringify(line)}`);
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** What the CLI prints when `coc build` fails, for the failure report. */
function buildFailure(b: Exclude<BuildResult, { kind: "ok" }>): { code: number; text: string } {
  switch (b.kind) {
    case "environment": return { code: 1, text: `error: ${b.message}\n` };
    case "cc-failed": return { code: 70, text: "internal compiler error: the C compiler rejected the generated code.\n" + b.stderr.split("\n").slice(0, 40).join("\n") + "\n" };
    case "diagnostics": return { code: 1, text: renderAll(b.fe.diagnostics, b.fe.sources) };
  }
}

/** The front end's C as the FrontEndResult the driver's native half takes. */
const frontEndOf = (c: string): FrontEndResult => ({ diagnostics: [], sources: new Map(), program: null, typed: null, memory: null, ir: null, c, timings: {} });

/** One program: the front end once (in a worker), then each configuration's build and run. */
/** One program: the front end once (in a worker), then each configuration's build and run (null: not run in it). */
async function runCase(c: Case, configs: readonly Config[], fe: FrontEndPool, doProve: boolean): Promise<(Outcome | null)[]> {
  if (c.dir === ESCAPE_DIR && !configs.some((k) => k.sanitize)) return configs.map(() => null);
  const base = join(c.dir, c.name);
  const expectedOut = readOpt(base + ".out");
  const exitText = readOpt(base + ".exit");
  const expectedExit = exitText === undefined ? 0 : Number(exitText.trim());
  const expectedErr = readOpt(base + ".err");
  const all = (...detail: string[]): (Outcome | null)[] => configs.map((k) => (c.dir === ESCAPE_DIR && !k.sanitize ? null : { name: c.name, ok: false, detail }));
  if (expectedOut === undefined) return all(`missing ${c.name}.out`);
  if (!Number.isInteger(expectedExit)) return all(`${c.name}.exit does not hold an integer`);
  const front = await fe.run({ kind: "build", entry: `${c.name}.co`, dir: c.dir, test: c.kind === "test" });
  const feFailed = frontEndFailure(front);
  if (feFailed) return all(...feFailed);
  const outcomes: (Outcome | null)[] = [];
  let proved = false;
  for (const cfg of configs) {
    if (c.dir === ESCAPE_DIR && !cfg.sanitize) { outcomes.push(null); continue; }
    const res = await runConfig(c, cfg, front.c!, { expectedOut, expectedExit, expectedErr });
    if (res.ok && doProve && !proved && cfg.sanitize && c.kind === "program" && isMemoryCase(c)) {
      proved = true;
      const base = join(c.dir, c.name);
      res.verdicts = await prove(join(ROOT, "build/tests", cfg.name, c.name), readArgs(base),
        { cwd: c.dir, input: existsSync(base + ".in") ? readFileSync(base + ".in") : "", env: readEnv(base) }, expectedOut, expectedExit);
    }
    outcomes.push(res);
  }
  return outcomes;
}

/** Builds each configuration's C runtime (when not cached) before any program
 * runs: a runtime build is every runtime source compiled at once, and a
 * program timed while it runs beside it (the second configuration's first
 * build, on a fresh cache) can miss its time limit. A failure is left for
 * the programs' builds to report. */
export async function prepareRuntimes(configs: readonly { cc: "gcc" | "clang"; sanitize: boolean; debug?: boolean }[]): Promise<void> {
  for (const cfg of configs) await buildRuntime({ cc: cfg.cc, debug: !!cfg.debug, sanitize: cfg.sanitize }).catch(() => {});
}

const frontEndFailure = (front: FrontEndReply): string[] | null =>
  front.c !== null ? null : [`compile failed (${front.code === -1 ? "timed out" : `exit ${front.code}`})`, ...head(front.text)];

export interface BuildRequest { dir: string; name: string; test: boolean; out: string; cc: "gcc" | "clang"; sanitize: boolean; debug?: boolean }

/** Builds one program as `coc build` would; null when it built, else the failure report. */
export async function buildOne(req: BuildRequest, feOrC: FrontEndPool | string): Promise<string[] | null> {
  let c: string;
  if (typeof feOrC === "string") c = feOrC;
  else {
    const front = await feOrC.run({ kind: "build", entry: `${req.name}.co`, dir: req.dir, test: req.test });
    const feFailed = frontEndFailure(front);
    if (feFailed) return feFailed;
    c = front.c!;
  }
  let b: BuildResult;
  try {
    b = await buildFrontEnd({ entry: `${req.name}.co`, out: req.out, cc: req.cc, sanitize: req.sanitize, debug: req.debug, test: req.test }, frontEndOf(c));
  } catch (e) {
    return ["compile failed (exit 70)", ...head(`internal compiler error: ${(e as Error).stack ?? e}`)];
  }
  if (b.kind === "ok") return null;
  const f = buildFailure(b);
  return [`compile failed (exit ${f.code})`, ...head(f.text)];
}

async function runConfig(c: Case, cfg: Config, cSource: string, want: { expectedOut: string; expectedExit: number; expectedErr: string | undefined }): Promise<Outcome> {
  const { expectedOut, expectedExit, expectedErr } = want;
  const base = join(c.dir, c.name);
  const fail = (...detail: string[]): Outcome => ({ name: c.name, ok: false, detail });
  const exe = join(ROOT, "build/tests", cfg.name, c.name);
  const built = await buildOne({ dir: c.dir, name: c.name, test: c.kind === "test", out: exe, cc: cfg.cc, sanitize: cfg.sanitize }, cSource);
  if (built) return fail(...built);

  let r: ProcResult;
  if (c.kind === "test") {
    // As `coc test` ran it: the runner's environment (plus NAME.env), no arguments, no input.
    let env: NodeJS.ProcessEnv;
    try { env = readEnv(base); } catch (e) { return fail((e as Error).message); }
    r = await run(exe, [], { cwd: c.dir, timeoutMs: BUILD_TIMEOUT_MS, env });
  } else {
    let env: NodeJS.ProcessEnv;
    try { env = readEnv(base); } catch (e) { return fail((e as Error).message); }
    if (cfg.sanitize) env = sanitizerEnv(env);
    const input = existsSync(base + ".in") ? readFileSync(base + ".in") : "";
    r = await run(exe, readArgs(base), { cwd: c.dir, input, timeoutMs: RUN_TIMEOUT_MS, env });
  }

  const problems: string[] = [];
  if (r.timedOut) problems.push(`timed out after ${(c.kind === "test" ? BUILD_TIMEOUT_MS : RUN_TIMEOUT_MS) / 1000} s`);
  else if (r.error) problems.push(`could not start: ${r.error}`);
  else if (r.signal) problems.push(`killed by ${r.signal} (expected exit ${expectedExit})`);
  else if (r.code !== expectedExit) problems.push(`exit code ${r.code}, expected ${expectedExit}`);
  if (r.stdout !== expectedOut) problems.push("stdout differs; " + shortDiff(expectedOut, r.stdout).join("\n"));
  if (cfg.sanitize) {
    // Sanitizer reports are failures, unless the golden stderr expects that very line.
    const allowed = new Set((expectedErr ?? "").split("\n"));
    const bad = r.stderr.split("\n").filter((l) => SANITIZER_LINE.test(l) && !allowed.has(l));
    if (bad.length) problems.push("sanitizer report:\n" + head(r.stderr, 20).join("\n"));
  } else if (expectedErr !== undefined && r.stderr !== expectedErr) {
    problems.push("stderr differs; " + shortDiff(expectedErr, r.stderr).join("\n"));
  }
  if (problems.length === 0) return { name: c.name, ok: true, detail: [] };
  // Whatever the program said on stderr usually explains a wrong exit code.
  if (!problems.some((p) => p.startsWith("stderr") || p.startsWith("sanitizer")) && r.stderr.trim() && (r.code !== expectedExit || r.signal || r.timedOut)) {
    problems.push("stderr:\n" + head(r.stderr, 8).join("\n"));
  }
  return fail(...problems.flatMap((p) => p.split("\n")));
}

/** A program that states at least one expected diagnostic (an error program in a mixed folder). */
export function isErrorProgram(path: string): boolean {
  return /\/\/\s*error:\s*E\d{4}\s+at\s/.test(readFileSync(path, "utf8"));
}

/** The memory corpora: the programs `--prove` runs with the rules turned off. */
function isMemoryCase(c: Case): boolean {
  return c.dir === ESCAPE_DIR || MORE_DIRS.includes(c.dir) || (c.dir === join(ROOT, "tests/programs") && c.name.startsWith("drop_"));
}

/** The golden programs of the escape corpus (its error programs are run-errors' cases). */
export function escapePrograms(filter: string): Case[] {
  return discover(ESCAPE_DIR, filter).filter((c) => !isErrorProgram(join(c.dir, c.name + ".co")));
}

export function discover(dir: string, filter: string): Case[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".co") && statSync(join(dir, f)).isFile()) // subfolders hold helper modules
    .map((f) => f.slice(0, -3))
    .filter((n) => n.includes(filter))
    .sort()
    .map((name): Case => ({ name, kind: existsSync(join(dir, name + ".test")) ? "test" : "program", dir }));
}

export async function pool<T, R>(items: T[], jobs: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) { const i = next++; results[i] = await fn(items[i]); }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.dir) PROGRAMS = o.dir;
  for (const cfg of o.configs) mkdirSync(join(ROOT, "build/tests", cfg.name), { recursive: true });
  let cases = [PROGRAMS, ...(o.dir ? [] : MORE_DIRS)].flatMap((d) => discover(d, o.filter));
  if (!o.dir && (o.configs.some((k) => k.sanitize) || o.memory)) cases.push(...escapePrograms(o.filter));
  if (o.memory) cases = cases.filter(isMemoryCase);
  // Binaries are named after the program: two folders with one name would overwrite each other's.
  const dup = cases.map((c) => c.name).filter((n, i, all) => all.indexOf(n) !== i);
  if (dup.length) usage(`programs with the same name in two folders: ${[...new Set(dup)].join(", ")} (rename one)`);
  const proved: { name: string; verdicts: Map<SwitchLabel, Verdict> }[] = [];
  const started = Date.now();
  const passed = o.configs.map(() => 0), failed = o.configs.map(() => 0);
  const fe = new FrontEndPool(o.jobs, BUILD_TIMEOUT_MS);
  await prepareRuntimes(o.configs);
  try {
    await pool(cases, o.jobs, async (c) => {
      const res = await runCase(c, o.configs, fe, o.prove);
      res.forEach((r, k) => {
        if (r === null) return;
        if (r.verdicts) proved.push({ name: c.name, verdicts: r.verdicts });
        if (r.ok) {
          passed[k]++;
          if (o.verbose) console.log(`ok   ${c.name} (${o.configs[k].name})`);
        } else {
          failed[k]++;
          console.log([`FAIL programs(${o.configs[k].name}) ${c.name}${c.kind === "test" ? " [coc test]" : ""}: ${r.detail[0]}`,
            ...r.detail.slice(1).map((l) => "    " + l)].join("\n"));
        }
      });
    });
  } finally { await fe.close(); }
  if (cases.length === 0) console.log(`(no programs in ${PROGRAMS}${o.filter ? ` matching "${o.filter}"` : ""})`);
  console.log(`(${cases.length} programs in ${((Date.now() - started) / 1000).toFixed(1)} s, ${o.jobs} jobs, built with ${o.configs.map((k) => k.name).join(", ")})`);
  o.configs.forEach((cfg, k) => console.log(`programs(${cfg.name}): ${passed[k]} passed, ${failed[k]} failed`));
  if (o.prove) {
    if (!o.configs.some((k) => k.sanitize)) console.log("prove: --prove needs a sanitizer configuration (ASan is what catches the programs); nothing proved");
    else for (const l of proveReport(proved)) console.log(l);
  }
  // A filtered run proves a sample: the minimums hold for the whole corpus only.
  const short = o.prove && !o.filter ? proveShortfalls(proved) : [];
  for (const l of short) console.log(`FAIL ${l}`);
  const failures = failed.reduce((a, b) => a + b, 0) + short.length;
  // `make test` reads a suite's last summary line: with several configurations, their sum.
  if (o.configs.length > 1) console.log(`programs: ${passed.reduce((a, b) => a + b, 0)} passed, ${failures} failed`);
  process.exitCode = failures ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
