// Hostile-environment tests of tester round 14, run by tests/run-http.ts
// (kept apart: run-http.ts is at its size limit): io.readLine on long lines,
// and servers under clients and neighbours that misbehave. Each test builds
// its own program, starts it on 127.0.0.1 and judges what it does.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export interface Ctx { root: string; out: string; cc: string; sanitize: boolean; filter: string; suffix: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function build(ctx: Ctx, src: string, name: string): string {
  const exe = join(ctx.out, `${name}-${ctx.suffix}`);
  const r = spawnSync(process.execPath, [join(ctx.root, "bin/coc.js"), "build", src, "-o", exe, "--cc", ctx.cc, ...(ctx.sanitize ? ["--sanitize"] : [])],
    { cwd: ctx.root, encoding: "utf8", timeout: 180_000 });
  if (r.status !== 0) throw new Error(`build of ${src} failed:\n${r.stdout}${r.stderr}`);
  return exe;
}

interface Proc { proc: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> }

function run(exe: string, args: string[] = [], env: Record<string, string> = {}, stdin: "pipe" | "ignore" = "ignore"): Proc {
  const proc = spawn(exe, args, { env: { ...process.env, ...env }, stdio: [stdin, "pipe", "pipe"] });
  let out = "", err = "";
  proc.stdout!.on("data", (d) => { out += d; });
  proc.stderr!.on("data", (d) => { err += d; });
  const exit = new Promise<number | null>((res) => proc.on("exit", (code, sig) => res(code ?? (sig ? 128 : null))));
  return { proc, out: () => out, err: () => err, exit };
}

type T = (ctx: Ctx) => Promise<string | undefined>;   // undefined: passed; else why it failed
const tests: [string, T][] = [];

// io.readLine: a 10 MB line is read in linear time (each byte searched once for
// the newline) and in 1 MiB pieces; a 2 MiB + 5 line ending in CR LF too.
tests.push(["io.readLine: long lines in 1 MiB pieces, linear time", async (ctx) => {
  const exe = build(ctx, "tests/http/readline.co", "readline");
  const M = 1048576;
  const input = "a\n" + "b".repeat(10_000_000) + "\n" + "c".repeat(2 * M + 5) + "\r\n" + "end";
  const want = ["1 a", ...Array(9).fill(`${M} b`), `${10_000_000 - 9 * M} b`, `${M} c`, `${M} c`, "5 c", "3 e", "15 lines", ""].join("\n");
  const t0 = Date.now();
  const p = run(exe, [], {}, "pipe");
  p.proc.stdin!.end(input);
  const code = await Promise.race([p.exit, sleep(15_000).then(() => "hung")]);
  const ms = Date.now() - t0;
  if (code === "hung") p.proc.kill("SIGKILL");
  if (code !== 0 || p.out() !== want) return `exit ${code}, output:\n${p.out().slice(0, 500)}${p.err().slice(0, 500)}`;
  if (ms > (ctx.sanitize ? 8000 : 3000)) return `took ${ms} ms`;
  return undefined;
}]);

export async function round14(ctx: Ctx): Promise<{ passed: number; failed: number }> {
  let passed = 0, failed = 0;
  for (const [name, fn] of tests) {
    if (ctx.filter && !name.includes(ctx.filter)) continue;
    const t0 = Date.now();
    let why: string | undefined;
    try { why = await fn(ctx); } catch (e) { why = (e as Error).message; }
    if (why === undefined) { passed++; console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
    else { failed++; console.log(`FAIL ${name}: ${why}`); }
  }
  return { passed, failed };
}
