// The differential campaign (issue 11, item 11): for each seed, generate a
// random program (gen-program.ts), emit its C once with the front end, then
// compile that one C file the way the driver does (src/toolchain/cc.ts:
// programArgs, the runtime built for the same flags) with several compilers
// and optimisation levels, run every binary and require the same stdout, the
// same exit status and the same panic line. A program the front end rejects
// is a failure too (a generator bug, or a compiler bug to keep).
//
//   node dist/scripts/fuzz/diff.js [--count N] [--seed S] [--jobs J] [--builds gcc-O0,gcc-O2,...] [--keep]
//
// Seeds S..S+N-1; a failure is reproduced with `--seed S --count 1` and its
// program is saved under build/fuzz-diff-failures/. Prints one summary line,
// `fuzz-diff: 1 passed, 0 failed` (the campaign counts as one test).

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { frontEnd } from "../../src/driver.js";
import { buildRuntime, programArgs } from "../../src/toolchain/cc.js";
import { asModule, batchMain, split } from "./batch.js";
import { generateProgram } from "./gen-program.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const FAILURES = join(ROOT, "build/fuzz-diff-failures");

interface Build { name: string; cc: string; debug: boolean; sanitize: boolean }
const ALL_BUILDS: Build[] = [
  { name: "gcc-O0", cc: "gcc", debug: true, sanitize: false },
  { name: "gcc-O2", cc: "gcc", debug: false, sanitize: false },
  { name: "clang-O0", cc: "clang", debug: true, sanitize: false },
  { name: "clang-O2", cc: "clang", debug: false, sanitize: false },
  { name: "clang-O2-san", cc: "clang", debug: false, sanitize: true },
];

interface Outcome { stdout: string; code: number | null; signal: string | null; panic: string; panics: string; stderr: string; timedOut?: boolean }

/** A binary killed by the time limit runs once more with ten times the limit before it counts: on a loaded
 *  machine a batch of 50 programs under -O0 outlived its limit (seed 4601) and passed alone. */
const CONFIRM_FACTOR = 10;

function run(cmd: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8"); child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => { if (stdout.length < 1 << 24) stdout += d; });
    child.stderr.on("data", (d: string) => { if (stderr.length < 1 << 22) stderr += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutMs);
    child.on("error", (e) => { clearTimeout(timer); done({ stdout, code: null, signal: null, panic: "", panics: "", stderr: e.message }); });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const panics = stderr.split("\n").filter((l) => l.startsWith("panic:"));
      done({ stdout, code, signal, panic: panics[0] ?? "", panics: panics.join("\n"), stderr, timedOut });
    });
  });
}

interface Args { count: number; seed: number; jobs: number; builds: Build[]; keep: boolean; timeoutMs: number; batch: number; rotate: number }
function parseArgs(argv: string[]): Args {
  const a: Args = { count: 40, seed: 1, jobs: 2, builds: ALL_BUILDS, keep: false, timeoutMs: 20000, batch: 1, rotate: 0 };
  for (let i = 0; i < argv.length; i++) {
    const val = (): string => argv[++i] ?? "";
    switch (argv[i]) {
      case "--count": a.count = Number(val()); break;
      case "--seed": a.seed = Number(val()); break;
      case "--jobs": a.jobs = Math.max(1, Number(val())); break;
      case "--timeout-ms": a.timeoutMs = Number(val()); break;
      case "--keep": a.keep = true; break;
      case "--batch": a.batch = Math.max(1, Number(val())); break;
      case "--rotate": a.rotate = Math.max(0, Number(val())); break;
      case "--builds": { const names = val().split(","); a.builds = ALL_BUILDS.filter((b) => names.includes(b.name)); break; }
      default: process.stderr.write(`fuzz-diff: unknown argument ${argv[i]}\nusage: diff [--count N] [--seed S] [--jobs J] [--batch B] [--rotate K] [--builds ${ALL_BUILDS.map((b) => b.name).join(",")}] [--keep]\n`); process.exit(2);
    }
  }
  return a;
}

const describe = (o: Outcome): string => `exit ${o.code ?? o.signal}${o.panic ? `, ${o.panic}` : ""}, ${o.stdout.length} bytes of stdout`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), "coc-fuzzdiff-"));
  const runtimes = new Map<string, string>();
  for (const b of args.builds) runtimes.set(b.name, await buildRuntime({ cc: b.cc, debug: b.debug, sanitize: b.sanitize }));
  const failures: string[] = [];
  let programs = 0, builds = 0, panicked = 0;
  const end = args.seed + args.count;
  const fail = (seed: number, src: string, why: string, c?: string): void => {
    failures.push(`seed ${seed}: ${why}`);
    mkdirSync(FAILURES, { recursive: true });
    writeFileSync(join(FAILURES, `seed${seed}.co`), src);
    if (c) writeFileSync(join(FAILURES, `seed${seed}.c`), c);
    console.log(`FAIL seed ${seed}: ${why}\n  (program in build/fuzz-diff-failures/seed${seed}.co)`);
  };
  const env = { ...process.env, ASAN_OPTIONS: "detect_leaks=1" };

  // Builds one C file every way and runs each binary; the first build is the reference.
  const buildAll = async (name: string, c: string, which = args.builds): Promise<{ results: { b: Build; o: Outcome }[]; rejected?: string }> => {
    const cFile = join(work, `${name}.c`);
    writeFileSync(cFile, c);
    const results: { b: Build; o: Outcome }[] = [];
    for (const b of which) {
      const exe = join(work, `${name}-${b.name}`);
      const cc = await run(b.cc, programArgs({ debug: b.debug, sanitize: b.sanitize, cFile, out: exe, runtimeLib: runtimes.get(b.name)!, gcc: b.cc === "gcc" }), 600000);
      if (cc.code !== 0) return { results, rejected: `${b.name} rejects the C: ${cc.stderr.split("\n").find((l) => /error/.test(l)) ?? cc.stderr.slice(0, 300)}` };
      builds++;
      const limit = args.timeoutMs * (args.batch > 1 ? 4 : 1);
      let o = await run(exe, [], limit, env);
      if (o.timedOut) o = await run(exe, [], limit * CONFIRM_FACTOR, env);
      results.push({ b, o });
      rmSync(exe, { force: true });
    }
    if (!args.keep) rmSync(cFile, { force: true });
    return { results };
  };
  const badExit = (o: Outcome): boolean => o.code !== 0 && o.code !== 101;
  const compileOne = (seed: number, src: string): string | null => {
    const entry = join(work, `s${seed}.co`);
    const fe = frontEnd({ entry, files: new Map([[entry, src]]), emit: true });
    const errors = (fe.diagnostics as { severity?: string; code?: string; message?: string }[]).filter((d) => d.severity === "error");
    if (errors.length || fe.c === null) { fail(seed, src, `does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join("; ") || "no C"}`); return null; }
    return fe.c;
  };

  const one = async (seed: number): Promise<void> => {
    const src = generateProgram(seed);
    const c = compileOne(seed, src);
    if (c === null) return;
    programs++;
    const { results, rejected } = await buildAll(`s${seed}`, c);
    if (rejected) { fail(seed, src, rejected, c); return; }
    if (!results.length) return; // --builds none: the front end only
    const ref = results[0].o;
    if (ref.code === 101) panicked++;
    for (const { b, o } of results) {
      const bad = badExit(o) ? `${b.name}: ${describe(o)}: ${o.stderr.split("\n").slice(0, 3).join(" | ")}` : "";
      if (bad || o.stdout !== ref.stdout || o.code !== ref.code || o.panic !== ref.panic) {
        fail(seed, src, bad || `${b.name} differs from ${results[0].b.name}: ${describe(o)} vs ${describe(ref)}`, c);
        return;
      }
    }
  };

  // A batch (batch.ts): the programs as modules of one program. A program the
  // front end rejects is found alone and left out; a difference between builds
  // is traced to the seeds whose output segment or panic line differs.
  const batch = async (seeds: number[]): Promise<void> => {
    const srcs = new Map(seeds.map((s) => [s, generateProgram(s)]));
    const dir = join(work, `b${seeds[0]}`);
    const files = new Map<string, string>();
    const compose = (ss: number[]): string => {
      files.clear();
      for (const s of ss) files.set(join(dir, `p${s}.co`), asModule(srcs.get(s)!));
      const entry = join(dir, "main.co");
      files.set(entry, batchMain(ss));
      return entry;
    };
    let live = seeds;
    let entry = compose(live);
    let fe = frontEnd({ entry, files, emit: true });
    if (fe.c === null) {
      live = seeds.filter((s) => compileOne(s, srcs.get(s)!) !== null);
      if (!live.length) return;
      entry = compose(live);
      fe = frontEnd({ entry, files, emit: true });
      if (fe.c === null) { for (const s of live) fail(s, srcs.get(s)!, "compiles alone but not in a batch"); return; }
    }
    programs += live.length;
    // --rotate K: batch i gets K of the builds, taken in turn, so that every build is used across batches.
    const k = args.rotate > 0 ? Math.min(args.rotate, args.builds.length) : args.builds.length;
    const index = Math.floor((seeds[0] - args.seed) / args.batch);
    const mine = Array.from({ length: k }, (_, j) => args.builds[(index * k + j) % args.builds.length]);
    const { results, rejected } = await buildAll(`b${seeds[0]}`, fe.c, mine);
    if (rejected) {
      const before = failures.length;
      for (const s of live) { const c = compileOne(s, srcs.get(s)!); if (c !== null) { const r = await buildAll(`s${s}`, c, mine); if (r.rejected) fail(s, srcs.get(s)!, r.rejected, c); } }
      if (failures.length === before) fail(seeds[0], batchMain(live), `the batch's C is rejected, no program alone: ${rejected}`, fe.c);
      return;
    }
    if (!results.length) return;
    const ref = results[0].o;
    const refSeg = split(live, ref.stdout, ref.stderr);
    for (const s of live) if (/^panic: /m.test(refSeg.get(s)!)) panicked++;
    for (const { b, o } of results) {
      if (!badExit(o) && o.stdout === ref.stdout && o.code === ref.code && o.panics === ref.panics) continue;
      const seg = split(live, o.stdout, o.stderr);
      const differing = live.filter((s) => seg.get(s) !== refSeg.get(s));
      const why = badExit(o) ? `${b.name}: ${describe(o)}: ${o.stderr.split("\n").slice(0, 3).join(" | ")}` : `${b.name} differs from ${results[0].b.name}: ${describe(o)} vs ${describe(ref)}`;
      if (differing.length) for (const s of differing) fail(s, srcs.get(s)!, `in batch ${seeds[0]}: ${why}`, fe.c);
      else fail(seeds[0], batchMain(live), `batch ${seeds[0]}..${seeds[seeds.length - 1]}: ${why}`, fe.c);
      return;
    }
  };

  let done = 0;
  const counted = async (seed: number): Promise<void> => {
    const n = Math.min(args.batch, end - seed);
    if (args.batch > 1) await batch(Array.from({ length: n }, (_, i) => seed + i));
    else await one(seed);
    const before = done;
    done += n;
    if (Math.floor(done / 100) !== Math.floor(before / 100) && args.count > 100) console.log(`(${done} seeds: ${programs} programs, ${builds} builds, ${panicked} panicked alike, ${failures.length} failures, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  };

  let next = args.seed;
  await Promise.all(Array.from({ length: args.jobs }, async () => { while (next < end) { const s = next; next += args.batch; await counted(s); } }));
  if (!args.keep) rmSync(work, { recursive: true, force: true });
  const secs = (Date.now() - t0) / 1000;
  console.log(`(fuzz-diff: seeds ${args.seed}..${end - 1}: ${programs} programs compiled, ${builds} builds (${args.builds.map((b) => b.name).join(", ")}), ${panicked} programs panicked the same way in every build, ${failures.length} failures, ${secs.toFixed(1)} s)`);
  console.log(`fuzz-diff: ${failures.length ? 0 : 1} passed, ${failures.length ? 1 : 0} failed`);
  process.exitCode = failures.length ? 1 : 0;
}

await main();
