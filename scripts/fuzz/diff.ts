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

interface Outcome { stdout: string; code: number | null; signal: string | null; panic: string; stderr: string }

function run(cmd: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8"); child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => { if (stdout.length < 1 << 20) stdout += d; });
    child.stderr.on("data", (d: string) => { if (stderr.length < 1 << 20) stderr += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => { clearTimeout(timer); done({ stdout, code: null, signal: null, panic: "", stderr: e.message }); });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const panic = stderr.split("\n").find((l) => l.startsWith("panic:")) ?? "";
      done({ stdout, code, signal, panic, stderr });
    });
  });
}

interface Args { count: number; seed: number; jobs: number; builds: Build[]; keep: boolean; timeoutMs: number }
function parseArgs(argv: string[]): Args {
  const a: Args = { count: 40, seed: 1, jobs: 2, builds: ALL_BUILDS, keep: false, timeoutMs: 20000 };
  for (let i = 0; i < argv.length; i++) {
    const val = (): string => argv[++i] ?? "";
    switch (argv[i]) {
      case "--count": a.count = Number(val()); break;
      case "--seed": a.seed = Number(val()); break;
      case "--jobs": a.jobs = Math.max(1, Number(val())); break;
      case "--timeout-ms": a.timeoutMs = Number(val()); break;
      case "--keep": a.keep = true; break;
      case "--builds": { const names = val().split(","); a.builds = ALL_BUILDS.filter((b) => names.includes(b.name)); break; }
      default: process.stderr.write(`fuzz-diff: unknown argument ${argv[i]}\nusage: diff [--count N] [--seed S] [--jobs J] [--builds ${ALL_BUILDS.map((b) => b.name).join(",")}] [--keep]\n`); process.exit(2);
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
  const fail = (seed: number, src: string, why: string, c?: string): void => {
    failures.push(`seed ${seed}: ${why}`);
    mkdirSync(FAILURES, { recursive: true });
    writeFileSync(join(FAILURES, `seed${seed}.co`), src);
    if (c) writeFileSync(join(FAILURES, `seed${seed}.c`), c);
    console.log(`FAIL seed ${seed}: ${why}\n  (program in build/fuzz-diff-failures/seed${seed}.co)`);
  };
  const env = { ...process.env, ASAN_OPTIONS: "detect_leaks=1" };

  const one = async (seed: number): Promise<void> => {
    const src = generateProgram(seed);
    const entry = join(work, `s${seed}.co`);
    const fe = frontEnd({ entry, files: new Map([[entry, src]]), emit: true });
    const errors = (fe.diagnostics as { severity?: string; code?: string; message?: string }[]).filter((d) => d.severity === "error");
    if (errors.length || fe.c === null) { fail(seed, src, `does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join("; ") || "no C"}`); return; }
    programs++;
    const cFile = join(work, `s${seed}.c`);
    writeFileSync(cFile, fe.c);
    const results: { b: Build; o: Outcome }[] = [];
    for (const b of args.builds) {
      const exe = join(work, `s${seed}-${b.name}`);
      const cc = await run(b.cc, programArgs({ debug: b.debug, sanitize: b.sanitize, cFile, out: exe, runtimeLib: runtimes.get(b.name)!, gcc: b.cc === "gcc" }), 300000);
      if (cc.code !== 0) { fail(seed, src, `${b.name} rejects the C: ${cc.stderr.split("\n").find((l) => /error/.test(l)) ?? cc.stderr.slice(0, 300)}`, fe.c); return; }
      builds++;
      results.push({ b, o: await run(exe, [], args.timeoutMs, env) });
      rmSync(exe, { force: true });
    }
    if (!results.length) return; // --builds none: the front end only
    const ref = results[0].o;
    if (ref.code === 101) panicked++;
    for (const { b, o } of results) {
      const bad = o.code !== 0 && o.code !== 101 ? `${b.name}: ${describe(o)}: ${o.stderr.split("\n").slice(0, 3).join(" | ")}` : "";
      if (bad || o.stdout !== ref.stdout || o.code !== ref.code || o.panic !== ref.panic) {
        fail(seed, src, bad || `${b.name} differs from ${results[0].b.name}: ${describe(o)} vs ${describe(ref)}`, fe.c);
        return;
      }
    }
    if (!args.keep) rmSync(cFile, { force: true });
  };
  let done = 0;
  const counted = async (seed: number): Promise<void> => {
    await one(seed);
    if (++done % 25 === 0 && args.count > 100) console.log(`(${done} seeds: ${programs} programs, ${builds} builds, ${panicked} panicked alike, ${failures.length} failures, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  };

  let next = args.seed;
  const end = args.seed + args.count;
  await Promise.all(Array.from({ length: args.jobs }, async () => { while (next < end) await counted(next++); }));
  if (!args.keep) rmSync(work, { recursive: true, force: true });
  const secs = (Date.now() - t0) / 1000;
  console.log(`(fuzz-diff: seeds ${args.seed}..${end - 1}: ${programs} programs compiled, ${builds} builds (${args.builds.map((b) => b.name).join(", ")}), ${panicked} programs panicked the same way in every build, ${failures.length} failures, ${secs.toFixed(1)} s)`);
  console.log(`fuzz-diff: ${failures.length ? 0 : 1} passed, ${failures.length ? 1 : 0} failed`);
  process.exitCode = failures.length ? 1 : 0;
}

await main();
