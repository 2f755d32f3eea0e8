// RSS per idle keep-alive connection (issue 10's goal: <= 1 KiB for Colang):
// open `count` connections that each make one plaintext request and then stay
// idle, and divide the server's VmRSS growth by the connections still open.
// Used by run.ts (the "HTTP benchmarks" table) and idle.ts (alone).

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
