// run-http's cases of the server's processes and descriptors:
// `workers: 3` (every worker answers, a dead one is restarted, SIGTERM
// drains a request in flight) and descriptor exhaustion under `ulimit -n 64`.

import * as net from "node:net";
import { readFileSync } from "node:fs";
import { request, sleep, start } from "./http-harness.js";

/** workers: 3 processes on one port; a dead worker is replaced; SIGTERM drains a request in flight. */
export async function workers(workersExe: string): Promise<boolean> {
  const w = await start(workersExe);
  let ok = true;
  const fail = (m: string) => { if (ok) console.log(`FAIL workers: ${m}\n${w.stderr()}`); ok = false; };
  try {
    // every worker answers (the kernel spreads new connections by their ports: 3 workers in
    // at most 200 connections, when each takes a third, fails with a chance of about 1 in 10^35)
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < 3; i++) seen.add((await request(w.port, "GET", "/")).body);
    if (seen.size !== 3 || [...seen].some((b) => !/^worker [123]$/.test(b))) fail(`answers from ${[...seen].sort().join(", ")} (want all of worker 1, 2, 3)`);
    await request(w.port, "GET", "/die").catch(() => undefined);
    const t0 = Date.now();
    while (!/restarting it/.test(w.stderr()) && Date.now() - t0 < 5000) await sleep(50);
    if (!/worker \d \(pid \d+\) exited with status 3; restarting it/.test(w.stderr())) fail("no restart message");
    let served = 0;
    for (let i = 0; i < 30; i++) if ((await request(w.port, "GET", "/").catch(() => null))?.status === 200) served++;
    if (served < 30) fail(`after a worker died, ${served}/30 requests were served`);
    const slow = request(w.port, "GET", "/slow");
    const t1 = Date.now();
    while (!/slow request started/.test(w.stderr()) && Date.now() - t1 < 5000) await sleep(20);
    w.proc.kill("SIGTERM");
    const r = await slow.catch((e: Error) => ({ status: 0, body: e.message }));
    if (r.status !== 200) fail(`a request in flight at SIGTERM got ${r.status} ${r.body}`);
  } finally { w.proc.kill("SIGTERM"); }
  const code = await Promise.race([w.exit, sleep(10_000).then(() => "hung")]);
  if (code !== 143) { fail(`supervisor exit ${code}`); if (code === "hung") w.proc.kill("SIGKILL"); }
  return ok;
}

/** Descriptor exhaustion: under `ulimit -n 64`, 200 connections at once (issue 10's numbers). The
 * server must not spin on its listener (it drops what it cannot accept), must say
 * so on stderr once a second at most ("http: accept: too many open files (N
 * connections open); raise ulimit -n") while new connections keep failing for 2.5 s,
 * and once they are gone it serves again. */
export async function descriptors(srvExe: string): Promise<boolean> {
  const s = await start(srvExe, 64);
  let ok = true;
  const fail = (m: string) => { if (ok) console.log(`FAIL descriptors: ${m}\n${s.stderr()}`); ok = false; };
  const socks: net.Socket[] = [];
  try {
    const t0Log = Date.now();
    for (let i = 0; i < 200; i++) { const c = net.connect(s.port, "127.0.0.1"); c.on("error", () => undefined); socks.push(c); }
    await sleep(300);
    const ticks = () => { const f = readFileSync(`/proc/${s.proc.pid}/stat`, "utf8").split(") ")[1].split(" "); return Number(f[11]) + Number(f[12]); };
    const t0 = ticks();
    await sleep(500);
    const used = ticks() - t0;
    // idle, it takes 0-4 ticks (of 10 ms) in 3 s (the audit's measure); spinning on its listener, all 50
    if (used >= 5) fail(`${used} CPU ticks in 0.5 s with its descriptors exhausted (spinning?)`);
    // 25 more connections every 100 ms for 2.5 s: each batch fails to be accepted, the log stays at a line a second
    const t1 = Date.now();
    while (Date.now() - t1 < 2500) {
      for (let i = 0; i < 25; i++) { const c = net.connect(s.port, "127.0.0.1"); c.on("error", () => undefined); socks.push(c); }
      await sleep(100);
    }
    const secs = (Date.now() - t0Log) / 1000;
    const lines = s.stderr().split("\n").filter((l) => l.startsWith("http: accept:"));
    const want = /^http: accept: too many open files \(\d+ connections open\); raise ulimit -n$/;
    if (lines.length === 0) fail("no \"http: accept: too many open files\" line on stderr");
    else if (!lines.every((l) => want.test(l))) fail(`unexpected accept lines: ${JSON.stringify(lines.slice(0, 3))}`);
    else if (lines.length > Math.ceil(secs) + 1) fail(`${lines.length} accept lines in ${secs.toFixed(1)} s (at most one a second)`);
    else if (lines.length < 2) fail(`${lines.length} accept line in ${secs.toFixed(1)} s of exhaustion (one a second expected)`);
    for (const c of socks) c.destroy();
    await sleep(300);
    for (let i = 0; i < 5; i++) {
      const r = await request(s.port, "GET", `/echo?i=${i}`).catch((e: Error) => ({ status: 0, body: e.message }));
      if (r.status !== 200) fail(`after the flood: ${r.status} ${r.body}`);
    }
  } finally { for (const c of socks) c.destroy(); s.proc.kill("SIGTERM"); }
  const code = await Promise.race([s.exit, sleep(10_000).then(() => "hung")]);
  if (code !== 143) { fail(`exit ${code}`); if (code === "hung") s.proc.kill("SIGKILL"); }
  return ok;
}
