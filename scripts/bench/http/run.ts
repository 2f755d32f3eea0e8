// HTTP benchmarks (issue 10): the TechEmpower plaintext and JSON shapes served
// by Colang (examples/hello-http), a minimal C server on libuv (the ceiling,
// scripts/bench/http/c/server.c), Node.js `http` and Go `net/http`.
// Each server runs pinned to core 1 and wrk to core 0 (`taskset`), on loopback.
// All servers are started once; --runs rounds are interleaved (each round runs
// every test on every server in turn, the first server rotating), and it keeps
// medians over the rounds of: requests/s, server CPU seconds (utime
// + stime deltas from /proc/PID/stat) and requests per server-CPU-second, and
// latency (wrk's p50/p99; for pipelining, where wrk's percentiles are per
// batch, the mean wait by Little's law = connections * 16 / throughput, and
// wrk's max, the slowest batch, as issue 10 asks). It
// also records the server's peak RSS (VmHWM) after the load, and, on a fresh
// server, the RSS per idle keep-alive connection: open N connections that each
// made one request, (VmRSS after - VmRSS before) / N. A ratio against the C
// server is the median of the per-round ratios (same round, minutes apart at most).
// The full run replaces the "HTTP benchmarks" section of docs/benchmarks.md.
//
//   node dist/scripts/bench/http/run.js [--runs N] [--duration 5s] [--only c,colang,node,go] [--no-write]
//
// RUNS and DURATION in the environment set the defaults; IDLE_CONNS the idle
// connection count (default 10,000, fewer when `ulimit -n` is lower).

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fitConns, idleConnections, sleep, statusKb, waitListening } from "./idle-conns.js";
import { median, table, writeSection } from "../report.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const SRC = join(ROOT, "scripts/bench/http");
const OUT = join(ROOT, "build/bench/http");
const HEADING = "## HTTP benchmarks";
const CONNS = 256;
const DEPTH = 16;
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

interface Server { key: string; label: string; build?: () => string | null; cmd: () => string[]; idleCmd?: () => string[] }

const SERVERS: Server[] = [
  {
    key: "c", label: "C (libuv, hand-written)",
    build: () => run("gcc", ["-O2", "-Wall", "-o", join(OUT, "c-server"), join(SRC, "c/server.c"), "-luv"]),
    cmd: () => [join(OUT, "c-server")],
  },
  {
    key: "colang", label: "Colang (examples/hello-http)",
    build: () => run(process.execPath, [join(ROOT, "bin/coc.js"), "build", join(ROOT, "examples/hello-http/main.co"), "-o", join(OUT, "colang-server")])
      ?? run(process.execPath, [join(ROOT, "bin/coc.js"), "build", join(SRC, "colang/idle.co"), "-o", join(OUT, "colang-idle-server")]),
    cmd: () => [join(OUT, "colang-server")],
    // the same plaintext route with a long idle timeout (scripts/bench/http/colang/idle.co)
    idleCmd: () => [join(OUT, "colang-idle-server")],
  },
  { key: "node", label: `Node.js ${process.version} http`, cmd: () => [process.execPath, join(SRC, "node/server.mjs")] },
  {
    key: "go", label: "Go net/http",
    build: () => run("go", ["build", "-o", join(OUT, "go-server"), "."], join(SRC, "go")),
    cmd: () => [join(OUT, "go-server")],
  },
];

interface Test { key: string; label: string; path: string; pipelined: boolean }
const TESTS: Test[] = [
  { key: "plaintext", label: "plaintext", path: "/plaintext", pipelined: false },
  { key: "json", label: "json", path: "/json", pipelined: false },
  { key: "pipelined", label: `plaintext pipelined ×${DEPTH}`, path: "/plaintext", pipelined: true },
];

interface Sample { rps: number; cpu: number; perCpu: number; p50: number; p99: number; errors: string[] }
interface Result { test: Test; rps: number; cpu: number; perCpu: number; p50: number; p99: number; errors: string[]; vsC?: { rps: number; perCpu: number; p50: number; p99: number } }
interface ServerResult { server: Server; results: Result[]; peakRss: number; idle?: { count: number; open: number; bytes: number; secs: number }; failure?: string }

/** Runs a command to completion; returns null on success, else its output. */
function run(cmd: string, args: string[], cwd?: string): string | null {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status === 0) return null;
  return `${cmd} ${args.join(" ")}: ${r.error?.message ?? `exit ${r.status}`}\n${r.stdout ?? ""}${r.stderr ?? ""}`;
}


function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
}

let nextPort = 18500 + (process.pid % 500);

async function startServer(s: Server, idle = false): Promise<{ child: ChildProcess; port: number; log: () => string }> {
  const port = nextPort++;
  const [cmd, ...args] = idle && s.idleCmd ? s.idleCmd() : s.cmd();
  // taskset execs the server, so the child's pid is the server's.
  const child = spawn("taskset", ["-c", "1", cmd, ...args], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => { out += d; });
  child.stderr!.on("data", (d) => { out += d; });
  if (!(await waitListening(port, child))) {
    child.kill("SIGKILL");
    throw new Error(`${s.key} server did not start listening on port ${port}:\n${out}`);
  }
  return { child, port, log: () => out };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([done, sleep(2000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

function parseLatency(s: string): number {
  const m = s.match(/^([\d.]+)(us|ms|s)$/);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
}

function wrkArgs(t: Test, port: number, duration: string): string[] {
  return ["-c", "0", "wrk", "-t1", `-c${CONNS}`, `-d${duration}`, "--latency",
    ...(t.pipelined ? ["-s", join(SRC, "pipeline.lua")] : []), `http://127.0.0.1:${port}${t.path}`];
}

function wrkOnce(t: Test, pid: number, port: number, duration: string): Sample {
  const before = cpuTicks(pid);
  const r = spawnSync("taskset", wrkArgs(t, port, duration), { encoding: "utf8" });
  const cpu = (cpuTicks(pid) - before) / CLK_TCK;
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN);
  const total = Number(out.match(/(\d+) requests in/)?.[1] ?? NaN);
  const p50 = parseLatency(out.match(/^\s+50%\s+(\S+)/m)?.[1] ?? "");
  const p99 = parseLatency(out.match(/^\s+99%\s+(\S+)/m)?.[1] ?? "");
  const errors: string[] = [];
  const sock = out.match(/Socket errors:.*/)?.[0];
  if (sock) errors.push(sock.trim());
  const non2xx = out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1];
  if (non2xx) errors.push(`${non2xx} non-2xx responses`);
  if (r.status !== 0 || Number.isNaN(rps)) errors.push(`wrk failed (exit ${r.status}): ${out.trim().split("\n").slice(-3).join(" / ")}`);
  if (t.pipelined) {
    // wrk times a pipelined batch as one request: use the mean wait per
    // request instead, Little's law: requests in flight / throughput.
    // The p99 slot holds wrk's max (the slowest batch; its percentiles are per batch).
    const wait = (CONNS * DEPTH) / rps * 1000;
    const max = parseLatency(out.match(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m)?.[1] ?? "");
    return { rps, cpu, perCpu: total / cpu, p50: wait, p99: max, errors };
  }
  return { rps, cpu, perCpu: total / cpu, p50, p99, errors };
}

// 10,000 as in issue 10 (fewer when `ulimit -n` is lower): the Colang idle
// server closes idle connections after 10 min and Node's after 60 s, so none
// closes while the others are being opened on a loaded machine.
function idleCount(): number {
  return fitConns(Number(process.env.IDLE_CONNS) || 10_000);
}

interface Live { s: Server; child: ChildProcess; port: number; log: () => string; res: ServerResult; samples: Map<string, Sample[]> }

/** A sample's figure over the C server's in the same round (NaN when either is missing). */
function paired(xs: Sample[], cs: Sample[] | undefined, f: (x: Sample) => number): number {
  if (!cs) return NaN;
  const rs = xs.map((x, i) => (cs[i] && f(cs[i]) > 0 ? f(x) / f(cs[i]) : NaN)).filter(Number.isFinite);
  return rs.length ? median(rs) : NaN;
}

/**
 * Every server is started once and stays up (pinned to the same core; the
 * others are idle meanwhile), and the runs are interleaved: round i runs each
 * test on every server in turn, starting with a different server each round.
 * A drift of the machine over the minutes of the benchmark then shifts all
 * servers alike, and each ratio against the C server is the median of the
 * per-round ratios (the same round's C sample).
 */
async function benchAll(servers: Server[], runs: number, duration: string, idle: number): Promise<ServerResult[]> {
  const live: Live[] = [];
  const out: ServerResult[] = [];
  for (const s of servers) {
    const res: ServerResult = { server: s, results: [], peakRss: NaN };
    out.push(res);
    const err = s.build?.() ?? null;
    if (err) { console.log(`  ${s.key}: build failed`); res.failure = `build failed: ${err}`; continue; }
    try {
      const st = await startServer(s);
      live.push({ s, ...st, res, samples: new Map(TESTS.map((t) => [t.key, []])) });
    } catch (e) {
      res.failure = (e as Error).message;
    }
  }
  const alive = (l: Live) => !l.res.failure;
  try {
    // Unmeasured warm-up (Node's and Go's JITs/heaps, the C servers' allocators).
    for (const l of live) spawnSync("taskset", wrkArgs(TESTS[0], l.port, "1s"), { encoding: "utf8" });
    for (let i = 0; i < runs; i++) {
      for (const t of TESTS) {
        const order = live.map((_, k) => live[(k + i) % live.length]);
        for (const l of order) {
          if (!alive(l)) continue;
          const smp = wrkOnce(t, l.child.pid!, l.port, duration);
          l.samples.get(t.key)!.push(smp);
          console.log(`  ${l.s.key} ${t.key} run ${i + 1}: ${Math.round(smp.rps)} req/s, server cpu ${smp.cpu.toFixed(2)} s${smp.errors.length ? "; " + smp.errors.join("; ") : ""}`);
          if (l.child.exitCode !== null || l.child.signalCode !== null) l.res.failure = `${l.s.key} server died during ${t.key} (exit ${l.child.exitCode}, signal ${l.child.signalCode}):\n${l.log().slice(-2000)}`;
        }
      }
    }
    const c = live.find((l) => l.s.key === "c" && alive(l));
    for (const l of live) {
      if (!alive(l)) continue;
      for (const t of TESTS) {
        const xs = l.samples.get(t.key)!;
        const cs = c && c !== l ? c.samples.get(t.key) : undefined;
        l.res.results.push({
          test: t, rps: median(xs.map((x) => x.rps)), cpu: median(xs.map((x) => x.cpu)),
          perCpu: median(xs.map((x) => x.perCpu)), p50: median(xs.map((x) => x.p50)), p99: median(xs.map((x) => x.p99)),
          errors: [...new Set(xs.flatMap((x) => x.errors))],
          vsC: cs && { rps: paired(xs, cs, (x) => x.rps), perCpu: paired(xs, cs, (x) => x.perCpu), p50: paired(xs, cs, (x) => x.p50), p99: paired(xs, cs, (x) => x.p99) },
        });
      }
      l.res.peakRss = statusKb(l.child.pid!, "VmHWM") * 1024;
    }
  } finally {
    for (const l of live) await stopServer(l.child);
  }
  for (const l of live) {
    if (!alive(l)) continue;
    const fresh = await startServer(l.s, true);
    try {
      l.res.idle = await idleConnections(fresh.child.pid!, fresh.port, idle);
      console.log(`  ${l.s.key} idle: ${l.res.idle.open}/${l.res.idle.count} connections open after ${l.res.idle.secs.toFixed(1)} s, ${Math.round(l.res.idle.bytes)} B each`);
    } catch (e) {
      l.res.failure = `idle connections: ${(e as Error).message}`;
    } finally {
      await stopServer(fresh.child);
    }
  }
  for (const r of out) if (r.failure) console.log(`  ${r.server.key}: FAILED: ${r.failure}`);
  return out;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : "—");
const mib = (b: number) => (Number.isFinite(b) ? (b / 1048576).toFixed(1) + " MiB" : "n/a");
const bytes = (b: number) => (!Number.isFinite(b) ? "n/a" : b >= 10240 ? (b / 1024).toFixed(1) + " KiB" : Math.round(b) + " B");
const ratio = (x: number, c: number) => {
  if (!Number.isFinite(x) || !Number.isFinite(c) || c <= 0) return "";
  const r = x / c;
  return ` (${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×)`;
};

function section(rows: ServerResult[], runs: number, duration: string, idle: number, load: [string, string]): string {
  const c = rows.find((r) => r.server.key === "c" && !r.failure);
  const get = (r: ServerResult, k: string) => r.results.find((x) => x.test.key === k);
  const ok = rows.filter((r) => !r.failure || r.results.length === TESTS.length);
  type Metric = "rps" | "perCpu" | "p50" | "p99";
  // The ratio is the median of the per-round ratios against the C server (benchAll).
  const cell = (r: ServerResult, k: string, m: Metric, fmt: (n: number) => string, withRatio = true) => {
    const x = get(r, k);
    if (!x) return "n/a";
    const rr = x.vsC?.[m];
    return fmt(x[m]) + (withRatio && r !== c && rr !== undefined && Number.isFinite(rr) ? ratio(rr, 1) : "");
  };
  const throughput = ok.map((r) => [r.server.label,
    ...TESTS.map((t) => cell(r, t.key, "rps", int)),
    ...TESTS.map((t) => cell(r, t.key, "perCpu", int))]);
  const latency = ok.map((r) => [r.server.label,
    cell(r, "plaintext", "p50", ms, false) + " / " + cell(r, "plaintext", "p99", ms),
    cell(r, "json", "p50", ms, false) + " / " + cell(r, "json", "p99", ms),
    cell(r, "pipelined", "p50", ms) + " / " + cell(r, "pipelined", "p99", ms),
    mib(r.peakRss) + (c && r !== c ? ratio(r.peakRss, c.peakRss) : ""),
    r.idle ? bytes(r.idle.bytes) + (c?.idle && r !== c ? ratio(r.idle.bytes, c.idle.bytes) : "") + (r.idle.open < r.idle.count ? ` (${r.idle.open} of ${r.idle.count} still open)` : "") : "n/a"]);
  const errors = rows.flatMap((r) => [
    ...(r.failure ? [`- ${r.server.label}: **failed**: ${r.failure.split("\n")[0]}`] : []),
    ...r.results.filter((x) => x.errors.length).map((x) => `- ${r.server.label}, ${x.test.label}: ${x.errors.join("; ")}`),
  ]);
  const cpus = rows.flatMap((r) => r.results.map((x) => x.cpu)).filter(Number.isFinite);
  const secs = Number.parseFloat(duration) * (duration.endsWith("ms") ? 0.001 : duration.endsWith("m") ? 60 : 1);
  const wrk = (t: Test) => `taskset -c 0 wrk -t1 -c${CONNS} -d${duration} --latency${t.pipelined ? " -s scripts/bench/http/pipeline.lua" : ""} http://127.0.0.1:PORT${t.path}`;
  return [
    HEADING,
    "",
    "`make bench-http` (scripts/bench/http/run.ts; not part of `make test`). The TechEmpower plaintext and JSON",
    "response shapes, served on 127.0.0.1 with keep-alive by: a minimal HTTP/1.1 server written directly on",
    "libuv in C (scripts/bench/http/c/server.c, `gcc -O2`; our ceiling), Colang's examples/hello-http",
    "(`coc build`, gcc, default flags), Node.js `http` (scripts/bench/http/node/server.mjs) and Go `net/http`",
    "(scripts/bench/http/go/main.go, `go build`). Node's keep-alive timeout is raised from 5 s to 60 s so that its",
    "idle connections survive until measured (Colang's default idle timeout is also 5 s; opening them took",
    `${rows.filter((r) => r.idle).map((r) => `${r.idle!.secs.toFixed(1)} s for ${r.server.key}`).join(", ")}).`,
    "Each server runs pinned with `taskset -c 1`, wrk with `taskset -c 0`:",
    "",
    ...TESTS.map((t) => `    ${wrk(t)}`),
    "",
    `Every server is started once and stays up; the ${runs} round${runs > 1 ? "s" : ""} are interleaved (each round runs each test on every`,
    "server in turn, starting with a different server each round), so a drift of the machine over the minutes of",
    "the benchmark moves all servers alike. Figures are medians over the rounds; a ratio in parentheses is the",
    "median of the per-round ratios against the C server's figure in the same round. Server CPU time is the",
    "utime + stime delta of /proc/PID/stat over",
    "a wrk run; req per CPU-s = requests / server CPU seconds, which shows the difference even when wrk's core",
    "is the bottleneck. Latencies are wrk's p50 / p99; pipelined requests have no per-request percentiles in wrk",
    `(it times a batch of ${DEPTH}), so that column is the mean wait by Little's law, ${CONNS} × ${DEPTH} / throughput, and wrk's max (the slowest batch).`,
    "Each server first gets an unmeasured 1 s plaintext warm-up. Peak RSS is VmHWM after the three tests. Per idle connection: a fresh server, then",
    `${idle.toLocaleString("en-US")} keep-alive connections from a Node client that each make one request and stay idle,`,
    "(VmRSS after − VmRSS before) / connections.",
    "",
    // The benchmark itself keeps two processes busy (server and wrk), so a load average up to about 3 means nothing else ran.
    ...(Number(load[1].split(" ")[0]) < 3
      ? [`Machine: 2 cores, otherwise idle (nothing else running); load average (1/5/15 min, /proc/loadavg) ${load[0]} at the start`,
        `and ${load[1]} at the end.`]
      : [`Machine: 2 cores shared with other agents building and testing at the same time, so absolute numbers are`,
        `noisy and low; load average (1/5/15 min, /proc/loadavg) ${load[0]} at the start and ${load[1]} at the end.`]),
    "",
    ...(cpus.length ? [`Over a ${duration} wrk run the servers used ${Math.min(...cpus).toFixed(2)}–${Math.max(...cpus).toFixed(2)} s of CPU (median per test), i.e. at most`,
      `${Math.round((Math.max(...cpus) / secs) * 100)}% of their core: when that is well below 100%, wrk's core or the other agents are the limit and`,
      "requests/s says little; requests per server CPU-second is then the comparison that matters.", ""] : []),
    "Throughput (requests/s, and requests per server CPU-second):",
    "",
    ...table(["server", ...TESTS.map((t) => `${t.label} req/s`), ...TESTS.map((t) => `${t.label} req/CPU-s`)],
      ["---", ...TESTS.map(() => "---:"), ...TESTS.map(() => "---:")], throughput),
    "",
    "Latency (ms) and memory:",
    "",
    ...table(["server", "plaintext p50 / p99", "json p50 / p99", `pipelined ×${DEPTH} mean wait / max`, "peak RSS", "RSS per idle connection"],
      ["---", "---:", "---:", "---:", "---:", "---:"], latency),
    "",
    ...(errors.length ? ["Errors reported by wrk or the runner:", "", ...errors, ""] : ["wrk reported no socket errors and no non-2xx responses.", ""]),
  ].join("\n");
}


const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" / ");

async function main(): Promise<void> {
  let runs = Math.max(1, Number(process.env.RUNS) || 3);
  let duration = process.env.DURATION || "5s";
  let write = true;
  let only: string[] | undefined;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runs") runs = Math.max(1, Math.floor(Number(argv[++i])) || 1);
    else if (a === "--duration") duration = argv[++i];
    else if (a === "--no-write") write = false;
    else if (a === "--only") only = argv[++i].split(",");
    else { process.stderr.write(`bench-http: unknown argument ${a}\nusage: run.js [--runs N] [--duration 5s] [--only c,colang,node,go] [--no-write]\n`); process.exit(2); }
  }
  const servers = only ? SERVERS.filter((s) => only!.includes(s.key)) : SERVERS;
  mkdirSync(OUT, { recursive: true });
  const idle = idleCount();
  const rows: ServerResult[] = [];
  const load0 = loadavg();
  console.log(`bench-http: ${servers.map((s) => s.key).join(", ")}; ${runs} run(s) of ${duration} per test; ${idle} idle connections; load ${load0}`);
  rows.push(...(await benchAll(servers, runs, duration, idle)));
  const text = section(rows, runs, duration, idle, [load0, loadavg()]);
  console.log("\n" + text);
  if (write && !only) writeSection(HEADING, text, "bench-http");
  process.exit(rows.some((r) => r.failure) ? 1 : 0);
}

main();
