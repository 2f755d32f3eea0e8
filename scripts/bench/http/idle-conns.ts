// RSS per idle keep-alive connection (issue 10's goal: <= 1 KiB for Colang):
// open `count` connections that each make one plaintext request and then stay
// idle, and divide the server's VmRSS growth by the connections still open.
// Used by run.ts (the "HTTP benchmarks" table) and idle.ts (alone), with the
// wait for a server to listen and the fit of the count to `ulimit -n`.

import { type ChildProcess, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";

export interface IdleResult { count: number; open: number; bytes: number; secs: number; before: number; after: number }

export function statusKb(pid: number, field: string): number {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) : NaN;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function idleConnections(pid: number, port: number, count: number): Promise<IdleResult> {
  await sleep(300);
  const before = statusKb(pid, "VmRSS");
  const socks: Socket[] = [];
  let closed = 0;
  const t0 = Date.now();
  const one = () => new Promise<void>((res, rej) => {
    const s = connect(port, "127.0.0.1");
    socks.push(s);
    let got = "";
    let done = false;
    s.on("error", (e) => { if (!done) { done = true; rej(e); } });
    s.on("close", () => { closed++; if (!done) { done = true; rej(new Error("closed before the response")); } });
    s.on("data", (d) => {
      got += d;
      if (!done && got.includes("Hello, World!")) { done = true; res(); }
    });
    s.write("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  });
  const BATCH = 250;
  try {
    for (let i = 0; i < count; i += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, one));
    }
    const secs = (Date.now() - t0) / 1000;
    await sleep(200);
    const after = statusKb(pid, "VmRSS");
    const open = count - closed;
    return { count, open, bytes: ((after - before) * 1024) / Math.max(open, 1), secs, before, after };
  } finally {
    for (const s of socks) s.destroy();
  }
}

/** Polls until the server accepts a connection on 127.0.0.1:port (10 s), false if it exited first. */
export async function waitListening(port: number, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) return false;
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, "127.0.0.1", () => { s.destroy(); res(true); });
      s.on("error", () => res(false));
    });
    if (ok) return true;
    await sleep(50);
  }
  return false;
}

/** `want` connections, fewer when `ulimit -n` is lower (client and server each hold one descriptor per connection). */
export function fitConns(want: number): number {
  const lim = Number(spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout.trim());
  return Number.isFinite(lim) && lim < want + 200 ? Math.max(100, lim - 200) : want;
}
