// Hostile-environment tests of tester round 14, run by tests/run-http.ts
// (kept apart: run-http.ts is at its size limit): io.readLine on long lines,
// and servers under clients and neighbours that misbehave. Each test builds
// its own program, starts it on 127.0.0.1 and judges what it does.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as net from "node:net";
import { readFileSync } from "node:fs";
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

// Ctrl-C on a CLI blocked reading standard input (tester round 14): the pending
// read held the 5 s grace period and the program's summary was lost. SIGINT
// ends standard input for the program, as Ctrl-D would: readLine gives none,
// the loop ends, the summary is printed, exit 130 at once.
tests.push(["io.readLine: SIGINT while a read is pending ends the input; the program finishes at once", async (ctx) => {
  const exe = build(ctx, "tests/http/readline.co", "readline");
  const p = run(exe, [], {}, "pipe");
  p.proc.stdin!.write("a\nbb\n");
  await sleep(500);
  const t0 = Date.now();
  p.proc.kill("SIGINT");
  const code = await Promise.race([p.exit, sleep(8000).then(() => "hung")]);
  const ms = Date.now() - t0;
  p.proc.stdin!.destroy();
  if (code === "hung") p.proc.kill("SIGKILL");
  if (code !== 130 || p.out() !== "1 a\n2 b\n2 lines\n" || p.err() !== "" || ms > 2000) return `exit ${code} after ${ms} ms: ${JSON.stringify(p.out())} ${JSON.stringify(p.err())}`;
  return undefined;
}]);

/** Starts a server program that prints its port. */
async function serve(exe: string, env: Record<string, string> = {}): Promise<Proc & { port: number }> {
  const p = run(exe, [], { PORT: "0", ...env });
  const t0 = Date.now();
  for (;;) {
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(p.out());
    if (m) return { ...p, port: Number(m[1]) };
    if (Date.now() - t0 > 10_000 || p.proc.exitCode !== null) { p.proc.kill("SIGKILL"); throw new Error(`${exe} did not start: ${p.out()}${p.err()}`); }
    await sleep(20);
  }
}

/** A raw connection that records everything it receives and how it ended. */
function rawConn(port: number): Promise<{ sock: net.Socket; got: () => string; ended: () => string }> {
  return new Promise((res, rej) => {
    const sock = net.connect(port, "127.0.0.1");
    let got = "", ended = "";
    sock.on("data", (d) => { got += d.toString("latin1"); });
    sock.on("end", () => { ended ||= "end"; });
    sock.on("error", (e: NodeJS.ErrnoException) => { ended ||= e.code ?? "error"; });
    sock.on("close", () => { ended ||= "close"; });
    sock.once("connect", () => res({ sock, got: () => got, ended: () => ended }));
    sock.once("error", rej);
  });
}

async function stop(p: Proc): Promise<number | null | "hung"> {
  p.proc.kill("SIGTERM");
  const code = await Promise.race([p.exit, sleep(10_000).then(() => "hung" as const)]);
  if (code === "hung") p.proc.kill("SIGKILL");
  return code;
}

// Drain (tester round 14): a response finished after SIGTERM says
// `Connection: close` and the server closes after it, so a keep-alive client
// does not send its next request into a connection being closed (ECONNRESET).
// Pipelined: the request in flight is answered with close, the rest are not.
tests.push(["drain: responses written after SIGTERM carry Connection: close, then the connection ends cleanly", async (ctx) => {
  const exe = build(ctx, "tests/http/hostile.co", "hostile");
  const s = await serve(exe);
  try {
    const one = await rawConn(s.port), piped = await rawConn(s.port);
    one.sock.write("GET /slow?ms=400 HTTP/1.1\r\nHost: x\r\n\r\n");
    piped.sock.write("GET /slow?ms=400 HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3));
    await sleep(150);
    s.proc.kill("SIGTERM");
    const code = await Promise.race([s.exit, sleep(5000).then(() => "hung")]);
    await sleep(100);
    if (code !== 143) return `exit ${code}`;
    for (const [name, c] of [["one request", one], ["pipelined", piped]] as const) {
      const heads = c.got().match(/HTTP\/1\.1 \d+/g) ?? [];
      if (heads.length !== 1 || !/\r\nConnection: close\r\n/.test(c.got()) || !c.got().endsWith("slept 400") || c.ended() !== "end")
        return `${name}: ${heads.length} responses, ended by ${c.ended() || "nothing"}:\n${c.got()}`;
    }
  } finally { s.proc.kill("SIGKILL"); }
  return undefined;
}]);

// workers on a port another process serves (tester round 14): SO_REUSEPORT let
// the second program bind and take half the traffic. It must fail at start
// like a plain http.serve does, whether the first one has workers or not;
// the first keeps serving every request.
tests.push(["workers: a port another server already serves is 'address already in use'", async (ctx) => {
  const exe = build(ctx, "tests/http/hostile.co", "hostile");
  for (const firstWorkers of ["2", "0"]) {
    const first = await serve(exe, { WORKERS: firstWorkers });
    try {
      for (const secondWorkers of ["2", "0"]) {
        const second = run(exe, [], { PORT: String(first.port), WORKERS: secondWorkers });
        const code = await Promise.race([second.exit, sleep(5000).then(() => "running")]);
        if (code === "running") { second.proc.kill("SIGKILL"); return `workers ${firstWorkers} then ${secondWorkers}: the second server started`; }
        const want = `http.serve: cannot listen on 127.0.0.1:${first.port}: address already in use`;
        if (code === 0 || !second.err().includes(want)) return `workers ${firstWorkers} then ${secondWorkers}: exit ${code}, stderr ${second.err()}`;
      }
      const c = await rawConn(first.port);
      c.sock.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      await sleep(300);
      if (!c.got().endsWith("hello")) return `the first server after: ${c.got()}`;
    } finally { await stop(first); }
  }
  return undefined;
}]);

const rssMB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

// A write timeout (tester round 14): clients that never read a 20 MB response
// kept the server's memory for ever. With writeTimeoutMs: 1000 their
// connections are closed once their output stops moving, and the memory goes
// (RSS checked without ASan, whose quarantine keeps freed blocks); a client
// that reads gets its whole response.
tests.push(["writeTimeoutMs: a client that does not read its response is closed and its output freed", async (ctx) => {
  const exe = build(ctx, "tests/http/hostile.co", "hostile");
  const s = await serve(exe, { WRITE_TIMEOUT_MS: "1000" });
  const conns: Awaited<ReturnType<typeof rawConn>>[] = [];
  try {
    for (let i = 0; i < 4; i++) {
      const c = await rawConn(s.port);
      c.sock.write("GET /big?kb=20480 HTTP/1.1\r\nHost: x\r\n\r\n");
      c.sock.pause();
      conns.push(c);
    }
    // the four 20 MB responses are made one after another (seconds on a busy machine)
    let held = 0, low = Infinity;
    const t0 = Date.now();
    while (Date.now() - t0 < 12_000) {
      await sleep(100);
      const r = rssMB(s.proc.pid!);
      if (r > held) held = r;
      if (held >= 60) low = Math.min(low, r);
      if (ctx.sanitize ? Date.now() - t0 > 8000 : held >= 60 && low < 15) break;
    }
    if (!ctx.sanitize && (held < 60 || low >= 15)) return `RSS peaked at ${held.toFixed(0)} MB with 4 unread 20 MB responses, then ${low.toFixed(0)} MB`;
    for (const c of conns) c.sock.resume();
    const t2 = Date.now();
    while (conns.some((c) => !c.ended()) && Date.now() - t2 < 5000) await sleep(50);
    for (const c of conns) if (c.got().length >= 20 * 1048576 || !c.ended()) return `a client that did not read got ${c.got().length} bytes, ended: ${c.ended() || "no"}`;
    const reader = await rawConn(s.port);
    reader.sock.write("GET /big?kb=20480 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const t1 = Date.now();
    while (!reader.ended() && Date.now() - t1 < 10_000) await sleep(50);
    if (reader.got().length < 20 * 1048576) return `a client that reads got ${reader.got().length} bytes`;
  } finally { for (const c of conns) c.sock.destroy(); await stop(s); }
  return undefined;
}]);

// maxConnections (tester round 14): one more connection is closed as soon as
// it is accepted; once one closes, a new one is served.
tests.push(["maxConnections: the connection over the limit is closed at once, the others served", async (ctx) => {
  const exe = build(ctx, "tests/http/hostile.co", "hostile");
  const s = await serve(exe, { MAX_CONNECTIONS: "5" });
  const conns: Awaited<ReturnType<typeof rawConn>>[] = [];
  try {
    for (let i = 0; i < 5; i++) conns.push(await rawConn(s.port));
    await sleep(100);
    const extra = await rawConn(s.port);
    extra.sock.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await sleep(300);
    if (!extra.ended() || extra.got() !== "") return `the 6th connection: ended ${extra.ended() || "no"}, got ${JSON.stringify(extra.got())}`;
    for (const c of conns) c.sock.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await sleep(300);
    for (const c of conns) if (!c.got().endsWith("hello")) return `one of the 5: ${JSON.stringify(c.got())}`;
    conns.pop()!.sock.destroy();
    await sleep(200);
    const next = await rawConn(s.port);
    next.sock.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await sleep(300);
    if (!next.got().endsWith("hello")) return `after one closed: ${JSON.stringify(next.got())}`;
  } finally { for (const c of conns) c.sock.destroy(); await stop(s); }
  return undefined;
}]);

// maxBufferedBytes (tester round 14: 900 connections each sending 1 MiB - 1 of
// body held 800 MB): past the server-wide cap a request's growing input is
// answered 503 and closed; once they are gone, a large body is accepted again.
tests.push(["maxBufferedBytes: requests whose input goes over the server's cap are 503 and closed", async (ctx) => {
  const exe = build(ctx, "tests/http/hostile.co", "hostile");
  const s = await serve(exe, { MAX_BUFFERED: String(4 * 1048576) });
  const conns: Awaited<ReturnType<typeof rawConn>>[] = [];
  try {
    for (let i = 0; i < 8; i++) {
      const c = await rawConn(s.port);
      c.sock.write("POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "b".repeat(900_000));
      conns.push(c);
      await sleep(30);
    }
    await sleep(500);
    const refused = conns.filter((c) => /^HTTP\/1\.1 503 /.test(c.got()) && /Connection: close/.test(c.got()));
    const waiting = conns.filter((c) => c.got() === "" && !c.ended());
    if (refused.length < 3 || refused.length + waiting.length !== 8) return `${refused.length} refused, ${waiting.length} waiting: ${conns.map((c) => JSON.stringify(c.got().slice(0, 20))).join(" ")}`;
    for (const c of conns) c.sock.destroy();
    await sleep(300);
    const ok = await rawConn(s.port);
    ok.sock.write("POST /size HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 1000000\r\n\r\n" + "b".repeat(1_000_000));
    const t0 = Date.now();
    while (!ok.ended() && Date.now() - t0 < 5000) await sleep(50);
    if (!/^HTTP\/1\.1 200 [^]*1000000$/.test(ok.got())) return `a 1 MB body afterwards: ${JSON.stringify(ok.got().slice(0, 200))}`;
  } finally { for (const c of conns) c.sock.destroy(); await stop(s); }
  return undefined;
}]);

// A worker that dies at once (tester round 14: a crash loop restarted it every
// second for ever) is restarted after 1 s, 2 s, 4 s ... (up to 30 s), and says
// so; the other workers serve meanwhile, and SIGTERM during a wait exits at once.
tests.push(["workers: a crash-looping worker restarts with backoff (1 s, 2 s, 4 s) and says so", async (ctx) => {
  const exe = build(ctx, "tests/http/hostile.co", "hostile");
  const s = await serve(exe, { WORKERS: "3", CRASH_WORKER: "2" });
  try {
    await sleep(4500);
    const lines = s.err().split("\n").filter((l) => /worker 2/.test(l));
    const waits = lines.map((l) => /exited with status 3; restarting it in (\d+) s \(it ran [\d.]+ s: crash-loop backoff\)$/.exec(l)?.[1]);
    if (waits.slice(0, 3).join(",") !== "1,2,4" || waits.length > 3) return `restart messages:\n${s.err()}`;
    const c = await rawConn(s.port);
    c.sock.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await sleep(300);
    if (!c.got().endsWith("hello")) return `served meanwhile: ${JSON.stringify(c.got())}`;
    const t0 = Date.now();
    const code = await stop(s);
    if (code !== 143 || Date.now() - t0 > 2000) return `SIGTERM during the wait: exit ${code} after ${Date.now() - t0} ms`;
  } finally { s.proc.kill("SIGKILL"); }
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
