// Instructions per HTTP request (issue 10), for the hand-written C server on
// libuv (scripts/bench/http/c/server.c, `gcc -O2`: the ceiling) and Colang's
// examples/hello-http (`coc build`, default flags). Each server runs under
// `valgrind --tool=callgrind`; a Node client on one connection sends N1
// requests, callgrind's counters are dumped (`callgrind_control -d`, which
// also zeroes them), then N2 - N1 more requests and a second dump: that dump's
// Ir / (N2 - N1) is the cost of a request with start-up and the first
// requests left out. callgrind counts user-space instructions only (no
// kernel), which the machine's load does not change (about ±2% between runs,
// as reads batch differently).
//
//   node dist/scripts/bench/http/instr.js [--only c,colang] [--filter TEXT]
//        [--keep DIR] [--colang-bin PATH] [--colang-src FILE]
//
// --keep DIR leaves the second dump of each run in DIR (for callgrind_annotate:
// names are not compressed, as a dump's compressed names may refer to the first);
// --colang-bin measures an already built Colang server (e.g. main's) instead
// of building examples/hello-http; --colang-src builds FILE instead of it (a
// server answering /plaintext and /json: colang/await-handler.co, whose
// handlers are async closures that await).

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep, waitListening } from "./idle-conns.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const SRC = join(ROOT, "scripts/bench/http");
const OUT = join(ROOT, "build/bench/http/instr");

/** wrk's request (Host only) and one with a browser's three usual fields. */
const HOST = (path: string, port: number) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
const THREE = (path: string, port: number) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
  "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n" +
  "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\r\n";

interface Case { name: string; request: (port: number) => string; depth: number; n1: number; n2: number }

const CASES: Case[] = [
  { name: "plaintext, Host only (wrk's request), 16 pipelined per write", request: (p) => HOST("/plaintext", p), depth: 16, n1: 2000, n2: 6000 },
  { name: "plaintext, Host, User-Agent and Accept, 16 pipelined per write", request: (p) => THREE("/plaintext", p), depth: 16, n1: 2000, n2: 6000 },
  { name: "JSON, the same three fields, 16 pipelined per write", request: (p) => THREE("/json", p), depth: 16, n1: 2000, n2: 6000 },
  { name: "plaintext, the same three fields, one at a time", request: (p) => THREE("/plaintext", p), depth: 1, n1: 1000, n2: 3000 },
  { name: "JSON, the same three fields, one at a time", request: (p) => THREE("/json", p), depth: 1, n1: 1000, n2: 3000 },
];

const MARK = "HTTP/1.1 200 OK\r\n";

/** Sends `count` requests in writes of `depth` and resolves when every response has come back. */
function drive(sock: Socket, req: string, depth: number, count: number, state: { seen: number; tail: string }): Promise<void> {
  return new Promise((res, rej) => {
    const target = state.seen + count;
    let sent = 0;
    const batch = depth === 1 ? req : req.repeat(depth);
    const sendMore = () => {
      // keep one batch in flight: the next write goes when the last one's responses are all in
      if (sent < count) { sock.write(depth === 1 || count - sent >= depth ? batch : req.repeat(count - sent)); sent += Math.min(depth, count - sent); }
    };
    const onData = (d: Buffer) => {
      const text = state.tail + d.toString("latin1");
      let i = text.indexOf(MARK);
      while (i >= 0) { state.seen++; i = text.indexOf(MARK, i + MARK.length); }
      state.tail = text.slice(Math.max(0, text.length - (MARK.length - 1)));
      if (state.seen >= target) { cleanup(); res(); return; }
      if (state.seen >= target - count + sent) sendMore();
    };
    const onClose = () => { cleanup(); rej(new Error("connection closed")); };
    const cleanup = () => { sock.off("data", onData); sock.off("close", onClose); };
    sock.on("data", onData);
    sock.on("close", onClose);
    sendMore();
  });
}

/** Total Ir of a callgrind dump file (its `totals:` or `summary:` line). */
function dumpIr(file: string): number {
  const text = readFileSync(file, "utf8");
  const m = text.match(/^totals:\s+(\d+)/m) ?? text.match(/^summary:\s+(\d+)/m);
  if (!m) throw new Error(`no totals in ${file}`);
  return Number(m[1]);
}

function dumpNow(pid: number): void {
  const r = spawnSync("callgrind_control", ["-d", String(pid)], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`callgrind_control -d failed: ${r.stdout}${r.stderr}`);
}

async function measure(bin: string, c: Case, tag: string, keep: string | null): Promise<number> {
  const dir = join(OUT, "runs");
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `callgrind.${tag}`);
  for (const f of readdirSync(dir)) if (f.startsWith(`callgrind.${tag}`)) rmSync(join(dir, f));
  const port = 20000 + (process.pid % 500);
  const child: ChildProcess = spawn("valgrind", ["--tool=callgrind", "--compress-strings=no", "--compress-pos=no", `--callgrind-out-file=${base}`, bin], {
    env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d; });
  try {
    if (!(await waitListening(port, child))) throw new Error(`did not start listening\n${stderr}`);
    const sock = connect(port, "127.0.0.1");
    sock.setNoDelay(true);
    await new Promise<void>((res, rej) => { sock.once("connect", res); sock.once("error", rej); });
    const state = { seen: 0, tail: "" };
    const req = c.request(port);
    await drive(sock, req, c.depth, c.n1, state);
    dumpNow(child.pid!);
    await drive(sock, req, c.depth, c.n2 - c.n1, state);
    dumpNow(child.pid!);
    sock.destroy();
    const files = readdirSync(dir).filter((f) => f.startsWith(`callgrind.${tag}.`)).sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
    if (files.length < 2) throw new Error(`expected two dumps, found ${files.join(", ")}`);
    const second = join(dir, files[files.length - 1]);
    if (keep) { mkdirSync(keep, { recursive: true }); copyFileSync(second, join(keep, `callgrind.${tag}`)); }
    return dumpIr(second) / (c.n2 - c.n1);
  } finally {
    child.kill("SIGKILL");
    await sleep(100);
  }
}

function build(cmd: string[]): void {
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build failed: ${cmd.join(" ")}\n${r.stdout}${r.stderr}`);
}

async function main(): Promise<void> {
  let only = ["c", "colang"];
  let filter = "";
  let keep: string | null = null;
  let colangBin: string | null = null;
  let colangSrc = join(ROOT, "examples/hello-http/main.co");
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") only = argv[++i].split(",");
    else if (argv[i] === "--filter") filter = argv[++i];
    else if (argv[i] === "--keep") keep = resolve(argv[++i]);
    else if (argv[i] === "--colang-bin") colangBin = resolve(argv[++i]);
    else if (argv[i] === "--colang-src") colangSrc = resolve(argv[++i]);
    else { process.stderr.write(`instr: unknown argument ${argv[i]}\n`); process.exit(2); }
  }
  mkdirSync(OUT, { recursive: true });
  const bins: Record<string, string> = {};
  if (only.includes("c")) {
    bins.c = join(OUT, "c-server");
    build(["gcc", "-O2", "-Wall", "-o", bins.c, join(SRC, "c/server.c"), "-luv"]);
  }
  if (only.includes("colang")) {
    bins.colang = colangBin ?? join(OUT, "colang-server");
    if (!colangBin) build([process.execPath, join(ROOT, "bin/coc.js"), "build", colangSrc, "-o", bins.colang]);
    if (!existsSync(bins.colang)) throw new Error(`no ${bins.colang}`);
  }
  const cases = CASES.filter((c) => c.name.includes(filter));
  console.log(`Instructions per request (callgrind; (Ir after N2 - Ir after N1) / (N2 - N1)):\n`);
  console.log(`| request | ${only.map((k) => (k === "c" ? "C server" : "Colang")).join(" | ")} |${only.length === 2 ? " Colang / C |" : ""}`);
  console.log(`| --- |${only.map(() => " ---: |").join("")}${only.length === 2 ? " ---: |" : ""}`);
  let failed = false;
  for (const c of cases) {
    const cells: number[] = [];
    for (const k of only) {
      try {
        cells.push(await measure(bins[k], c, `${k}.${CASES.indexOf(c)}`, keep));
      } catch (e) {
        process.stderr.write(`${k}, ${c.name}: ${(e as Error).message}\n`);
        cells.push(NaN);
        failed = true;
      }
    }
    const fmt = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "failed");
    const ratio = only.length === 2 && cells.every(Number.isFinite) ? ` ${(cells[1] / cells[0]).toFixed(1)}× |` : only.length === 2 ? " |" : "";
    console.log(`| ${c.name} (${c.n1.toLocaleString("en-US")} → ${c.n2.toLocaleString("en-US")}) |${cells.map((x) => ` ${fmt(x)} |`).join("")}${ratio}`);
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
