// run-http's cases of clients that misbehave or go, against
// tests/http/server.co: resets at every point of a request and of a
// response, a slowloris attack next to a normal client, a client gone while
// its handler is suspended (its task cancelled), panics under load; each
// checks that every task and region is freed (the server's /stats).
// Registered with the harness's `test` when imported, after http-cases.ts.

import { spawn, spawnSync } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import { eq, halfClose, raw, request, sleep, test, type Resp } from "./http-harness.js";

// ---------- descriptors ----------
// The slowloris test holds SLOW_CONNS connections: as many descriptors in this
// process and in the server. Below SLOW_WANT_FDS run-http runs itself again
// under a raised `ulimit -n`; when the hard limit is lower still, the test
// uses fewer connections.
const SLOW_WANT = 1000, FD_MARGIN = 200;
export function fdLimits(): { soft: number; hard: number } {
  const r = spawnSync("sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" });
  const [soft, hard] = r.stdout.trim().split("\n").map((x) => (x === "unlimited" ? Infinity : Number(x)));
  return { soft: soft || 1024, hard: hard || soft || 1024 };
}
export const FDS = fdLimits();
export const SLOW_WANT_FDS = SLOW_WANT + FD_MARGIN;
const SLOW_CONNS = Math.max(100, Math.min(SLOW_WANT, FDS.soft - FD_MARGIN));

// The server's live tasks, regions and region bytes (its /stats route, which
// counts its own request alike each time); `settled` waits up to 2 s for them
// to come back to `base`: every request's task and region freed.
async function counters(port: number): Promise<string> { return (await request(port, "GET", "/stats")).body; }
async function settled(port: number, base: string, what: string): Promise<void> {
  let now = "";
  for (let t0 = Date.now(); Date.now() - t0 < 2000; await sleep(50)) if ((now = await counters(port)) === base) return;
  throw new Error(`${what}: the server's counters did not come back: ${base} before, ${now} after`);
}

test("a client that resets half-way through a 1 MiB response, 20 times: the others are served, every task and region freed", async (port) => {
  const base = await counters(port);
  for (let i = 0; i < 20; i++) {
    await new Promise<void>((res) => {
      const s = net.connect(port, "127.0.0.1", () => s.write("GET /big?kb=1024 HTTP/1.1\r\nHost: t\r\n\r\n"));
      let got = 0;
      s.on("data", (d: Buffer) => { got += d.length; if (got >= 256 * 1024) { s.resetAndDestroy(); res(); } });
      s.on("error", () => res());
      s.on("close", () => res());
    });
  }
  const r = await request(port, "GET", "/big?kb=1024");
  eq(r.body.length, 1024 * 1024, "a whole 1 MiB body after the resets");
  eq((await request(port, "GET", "/echo?i=3")).status, 200, "a small request");
  await settled(port, base, "after the resets");
});

// Slowloris: SLOW_CONNS connections each send part of a header and then a
// byte now and then; the server's header timeout (1 s in tests/http/server.co)
// must answer them 408 and close them, while a normal client's requests keep
// being served quickly. The attack runs in a child process (SLOWLORIS, below)
// so that its thousands of socket events do not delay the normal client's
// own event loop. A connection the server closed is replaced by a new one
// while the normal client sends requests one after another for 6 s (and at
// least 300 requests) of the attack: its p99 over the whole run must be
// under 100 ms (issue 10's line).
// Bounded: the connections are opened 100 at a time, each gets a byte every
// 400 ms, and the last ones must be closed within 15 s.
const SLOWLORIS = `
const net = require("net");
const [port, conns] = process.argv.slice(1).map(Number);
const line = "GET /echo HTTP/1.1\\r\\nHost: t\\r\\nX-Slow: ";
const open = new Set();
let attacking = true, opened = 0, closed408 = 0, closedOther = 0;
const openSlow = () => new Promise((res) => {
  const s = net.connect(port, "127.0.0.1");
  let got = "";
  opened++;
  open.add(s);
  s.on("error", () => undefined);
  s.on("data", (d) => { got += d.toString("latin1"); });
  s.on("connect", () => { s.write(line.slice(0, 20)); res(); });
  s.on("close", () => {
    open.delete(s);
    res();
    if (got.startsWith("HTTP/1.1 408 ")) closed408++; else closedOther++;
    if (attacking) openSlow();
  });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  for (let i = 0; i < conns; i += 100) await Promise.race([Promise.all(Array.from({ length: Math.min(100, conns - i) }, openSlow)), sleep(5000)]);
  let k = 0;
  const drip = setInterval(() => { let i = 0; for (const s of open) if (i++ % 4 === k % 4 && !s.destroyed) s.write("a"); k++; }, 100);
  process.stdout.write("attacking\\n");
  await new Promise((r) => process.stdin.once("data", r));   // the runner says when to stop
  attacking = false;
  const t1 = Date.now();
  while (open.size && Date.now() - t1 < 15000) await sleep(100);
  clearInterval(drip);
  process.stdout.write(JSON.stringify({ opened, closed408, closedOther, stillOpen: open.size }) + "\\n");
  process.exit(0);
})();
`;
test(`slowloris: ${SLOW_CONNS} connections trickling a header are closed by the header timeout; a normal client's p99 stays under 100 ms`, async (port) => {
  const atk = spawn(process.execPath, ["-e", SLOWLORIS, String(port), String(SLOW_CONNS)], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  atk.stdout!.on("data", (d) => { out += d; });
  const exited = new Promise<void>((res) => atk.on("exit", () => res()));
  let stop = false;
  let lat: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // the normal client: one request at a time on a keep-alive connection, all through the attack
  const normal = (async () => {
    while (!stop) {
      const t0 = performance.now();
      const r = await request(port, "GET", `/echo?i=${lat.length}`, { agent });
      lat.push(performance.now() - t0);
      eq(r.status, 200, "a normal request during the trickle");
    }
  })();
  const t0 = Date.now();
  try {
    while (!out.includes("attacking") && Date.now() - t0 < 10_000) await sleep(50);
    // one run of at least 6 s and 300 requests (at most 12 s) while every trickling connection is open
    lat = [];
    const ws = Date.now();
    while ((Date.now() - ws < 6000 || lat.length < 300) && Date.now() - ws < 12_000) await sleep(50);
    const l = [...lat].sort((a, b) => a - b);
    const run = { n: l.length, p50: l[l.length >> 1] ?? NaN, p99: l[Math.min(l.length - 1, Math.floor(l.length * 0.99))] ?? NaN, slowest: l.slice(-8) };
    stop = true;
    await normal;
    atk.stdin!.write("stop\n");
    await Promise.race([exited, sleep(20_000)]);
    const m = /\{.*\}/.exec(out);
    if (!m) throw new Error(`the attacking process reported nothing: ${out}`);
    const r = JSON.parse(m[0]) as { opened: number; closed408: number; closedOther: number; stillOpen: number };
    if (r.stillOpen) throw new Error(`${r.stillOpen} trickling connections still open 15 s after the attack`);
    // A connection whose first bytes the server had not yet read when its header timeout
    // struck is closed without a 408 (it never sent a byte, as far as the server saw): on a
    // loaded machine the attacker can be that slow to write for a few.
    if (r.closed408 < r.opened * 0.9) throw new Error(`only ${r.closed408} of ${r.opened} trickling connections were answered 408 (${r.closedOther} closed without it)`);
    const fmt = (x: { n: number; p50: number; p99: number }) => `${x.n} requests, p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms`;
    if (!(run.n >= 300 && run.p99 < 100)) throw new Error(`the normal client's p99 over the attack was not under 100 ms: ${fmt(run)} (slowest ${run.slowest.map((v) => v.toFixed(0)).join(" ")})`);
    console.log(`     (${r.opened} trickling connections all closed by the server, ${r.closed408} of them after a 408; normal client over ${((Date.now() - ws) / 1000).toFixed(0)} s: ${fmt(run)})`);
  } finally {
    stop = true;
    atk.kill();
    await normal.catch(() => undefined);
    agent.destroy();
  }
});

test("a client that resets mid-request or mid-handler", async (port) => {
  for (const data of ["GET /echo HTTP/1.1\r\nHo", "POST /size HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc", "GET /slow?ms=100 HTTP/1.1\r\nHost: t\r\n\r\n"]) {
    await new Promise<void>((res) => {
      const s = net.connect(port, "127.0.0.1", () => { s.write(data); setTimeout(() => { s.resetAndDestroy(); res(); }, 20); });
      s.on("error", () => res());
    });
  }
  await sleep(150);
  eq((await request(port, "GET", "/echo")).status, 200, "still serving");
});

test("a client that resets while its handler runs: the next client gets its own answer", async (port) => {
  // A resets while its handler sleeps: the handler's task is cancelled and A's connection
  // closed at once (docs/http.md, "a client that goes"); B, opened meanwhile, must get B's answer.
  const a = net.connect(port, "127.0.0.1");
  await new Promise<void>((res) => a.on("connect", () => { a.write("GET /slow?ms=300 HTTP/1.1\r\nHost: t\r\n\r\n"); res(); }));
  await sleep(50);
  a.resetAndDestroy();
  await sleep(50);
  const b = await raw(port, "GET /slow?ms=600 HTTP/1.1\r\nHost: t\r\n\r\n", 1, 3000);
  eq(b.responses[0]?.body, "slept 600", "B's own response");
});

// Polls the server's counters every 10 ms until they equal `want`; the milliseconds it took (-1: not within `limitMs`).
async function within(port: number, want: string, limitMs: number): Promise<{ ms: number; now: string }> {
  const t0 = Date.now();
  let now = "";
  for (;;) {
    now = await counters(port);
    const ms = Date.now() - t0;
    if (now === want) return { ms, now };
    if (ms > limitMs) return { ms: -1, now };
    await sleep(10);
  }
}

test("a client that goes while its handler is suspended: the handler's task is cancelled, the server goes on; a half-close is not going", async (port) => {
  const base = await counters(port);
  // the counters with one more request task alive (a handler asleep), read while it sleeps
  const probe = net.connect(port, "127.0.0.1");
  await new Promise<void>((res) => probe.on("connect", () => { probe.write("GET /slow?ms=10000 HTTP/1.1\r\nHost: t\r\n\r\n"); res(); }));
  let asleep = "";
  for (let t0 = Date.now(); Date.now() - t0 < 2000; await sleep(20)) if ((asleep = await counters(port)) !== base) break;
  if (asleep === base) throw new Error("the sleeping handler's task never showed in the counters");
  for (let round = 0; round < 3; round++) {
    const s = round === 0 ? probe : net.connect(port, "127.0.0.1");
    if (round > 0) {
      // round 2: two more requests pipelined behind the sleeping one, gone with it
      const extra = round === 2 ? "GET /echo?i=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /slow?ms=10000 HTTP/1.1\r\nHost: t\r\n\r\n" : "";
      await new Promise<void>((res) => s.on("connect", () => { s.write("GET /slow?ms=10000 HTTP/1.1\r\nHost: t\r\n\r\n" + extra); res(); }));
      const seen = await within(port, asleep, 2000);
      if (seen.ms < 0) throw new Error(`round ${round}: the sleeping handler's task never showed (${seen.now}, want ${asleep})`);
    }
    let got = "";
    s.on("data", (d: Buffer) => { got += d.toString("latin1"); });
    s.on("error", () => undefined);
    s.resetAndDestroy();
    const gone = await within(port, base, 100);
    if (gone.ms < 0) throw new Error(`round ${round}: the task of the handler whose client reset is still there after 100 ms: ${gone.now}, want ${base}`);
    eq(got, "", `round ${round}: nothing was answered`);
    eq((await request(port, "GET", "/echo?i=next")).status, 200, `round ${round}: the next request is answered`);
  }
  // a half-close (the client's FIN after its request) is not going: the sleeping handler
  // stays, answers, and the server closes after it
  const hc = halfClose(port, "GET /slow?ms=400 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=after HTTP/1.1\r\nHost: t\r\n\r\n", 50);
  await sleep(200);
  const mid = await counters(port);
  if (mid === base) throw new Error("the half-closed client's handler was cancelled");
  const r = await hc;
  eq(r.statuses.join(","), "200,200", "half-close: both pipelined requests answered");
  eq(r.xi.join(","), "after", "half-close: the second answered after the first");
  eq(r.closed, true, "half-close: closed by the server after the last answer");
  await settled(port, base, "after the half-close");
});

test("faults: a reset at every byte offset of a request, 10% panics under load; every task and region freed", async (port) => {
  const base = await counters(port);
  const req = "POST /echo?i=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
  for (let k = 0; k <= req.length; k++) {
    await new Promise<void>((res) => {
      const s = net.connect(port, "127.0.0.1", () => { s.write(req.slice(0, k)); setImmediate(() => { s.resetAndDestroy(); res(); }); });
      s.on("error", () => res());
    });
  }
  // 1,000 requests, 100 at a time on their own connections; every tenth panics
  const rs: Resp[] = [];
  for (let batch = 0; batch < 10; batch++) {
    rs.push(...await Promise.all(Array.from({ length: 100 }, (_, i) => request(port, "GET", i % 10 === 3 ? "/panic" : `/echo?i=${i}`))));
  }
  eq(rs.filter((r) => r.status === 500).length, 100, "500s");
  eq(rs.filter((r) => r.status === 200).length, 900, "200s");
  await settled(port, base, "after the resets and the panics");
});
