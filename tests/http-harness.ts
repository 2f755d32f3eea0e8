// The harness of run-http (tests/run-http.ts and the tests/http-*.ts it imports): builds
// and starts the test servers, and the clients that drive them (Node's http
// module, raw bytes on a socket).

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const COC = join(ROOT, "bin/coc.js");
/** The compiler and sanitizer the servers are built with (run-http's flags). */
export const config = { cc: "gcc", sanitize: false };

// ---------- servers ----------
export interface Server { proc: ChildProcess; port: number; stdout: () => string; stderr: () => string; exit: Promise<number | null> }

export function build(src: string, exe: string): void {
  const r = spawnSync(process.execPath, [COC, "build", src, "-o", exe, "--cc", config.cc, ...(config.sanitize ? ["--sanitize"] : [])], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  if (r.status !== 0) throw new Error(`build of ${src} failed:\n${r.stdout}${r.stderr}`);
}

/** `fdLimit`: start it under `ulimit -n fdLimit`. */
export function start(exe: string, fdLimit?: number, extraEnv: Record<string, string> = {}): Promise<Server> {
  const env = { ...process.env, PORT: "0", ...extraEnv, ...(config.sanitize ? { ASAN_OPTIONS: "detect_leaks=1", UBSAN_OPTIONS: "print_stacktrace=1:halt_on_error=1" } : {}) };
  const proc = fdLimit ? spawn("sh", ["-c", `ulimit -n ${fdLimit} && exec "$0"`, exe], { env, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(exe, [], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  proc.stderr!.on("data", (d) => { err += d; });
  const exit = new Promise<number | null>((res) => proc.on("exit", (code, sig) => res(code ?? (sig ? 128 : null))));
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${exe} did not print its port: ${out}${err}`)), 10_000);
    proc.stdout!.on("data", (d) => {
      out += d;
      const m = /(?:listening on|serving .* on) http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) { clearTimeout(t); res({ proc, port: Number(m[1]), stdout: () => out, stderr: () => err, exit }); }
    });
    proc.on("exit", () => { clearTimeout(t); rej(new Error(`${exe} exited early: ${out}${err}`)); });
  });
}

// ---------- clients ----------
export interface Resp { status: number; headers: http.IncomingHttpHeaders; body: string }

export function request(port: number, method: string, path: string, opts: { body?: string | Buffer; headers?: http.OutgoingHttpHeaders; agent?: http.Agent; chunks?: string[] } = {}): Promise<Resp> {
  return new Promise((res, rej) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers: opts.headers, agent: opts.agent ?? false, timeout: 5000 }, (r) => {
      const parts: Buffer[] = [];
      r.on("data", (d: Buffer) => parts.push(d));
      r.on("end", () => res({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(parts).toString("latin1") }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", rej);
    if (opts.chunks) { for (const c of opts.chunks) req.write(c); req.end(); }
    else req.end(opts.body);
  });
}

export interface RawResp { status: number; headers: Map<string, string>; body: string }

/** Sends raw bytes on a new connection; collects `want` responses (or what came before the server closed) and whether it closed. */
export function raw(port: number, data: string | Buffer, want = 1, waitMs = 3000): Promise<{ responses: RawResp[]; closed: boolean; rest: string }> {
  return new Promise((res) => {
    const s = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0), closed = false, done = false;
    const responses: RawResp[] = [];
    const finish = () => { if (done) return; done = true; clearTimeout(t); s.destroy(); res({ responses, closed, rest: buf.toString("latin1") }); };
    const t = setTimeout(finish, waitMs);
    const parse = () => {
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.subarray(0, end).toString("latin1").split("\r\n");
        const status = Number(head[0].split(" ")[1]);
        const headers = new Map<string, string>();
        for (const l of head.slice(1)) { const i = l.indexOf(":"); headers.set(l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()); }
        if (status === 100) { buf = buf.subarray(end + 4); continue; }
        const len = Number(headers.get("content-length") ?? "0");
        if (buf.length < end + 4 + len) return;
        responses.push({ status, headers, body: buf.subarray(end + 4, end + 4 + len).toString("latin1") });
        buf = buf.subarray(end + 4 + len);
      }
    };
    s.on("data", (d: Buffer) => { buf = Buffer.concat([buf, d]); parse(); if (responses.length >= want && want > 0 && !closedExpected) finish(); });
    const closedExpected = want < 0;   // want < 0: read until the server closes
    if (closedExpected) want = Infinity;
    s.on("end", () => { closed = true; parse(); finish(); });
    s.on("error", () => { closed = true; finish(); });
    s.on("connect", () => s.write(data));
  });
}

/** Writes `data`, half-closes (FIN: "no more requests") after `endAfterMs`, and reads until the server closes. */
export function halfClose(port: number, data: string, endAfterMs = 0, waitMs = 5000): Promise<{ statuses: number[]; xi: string[]; closed: boolean; rest: string }> {
  return new Promise((res) => {
    const s = net.connect(port, "127.0.0.1");
    let buf = "", closed = false, done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(t);
      s.destroy();
      // (the bodies of /echo do not end in a newline: the next status line follows them directly)
      const statuses = [...buf.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      const xi = [...buf.matchAll(/\r\nX-I: (\S+)\r\n/g)].map((m) => m[1]);
      res({ statuses, xi, closed, rest: buf.slice(-200) });
    };
    const t = setTimeout(finish, waitMs);
    s.setEncoding("latin1");
    s.on("data", (d: string) => { buf += d; });
    s.on("end", () => { closed = true; finish(); });
    s.on("error", () => finish());
    s.on("connect", () => { s.write(data); setTimeout(() => s.end(), endAfterMs); });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------- tests ----------
export type Test = { name: string; fn: (port: number) => Promise<void> };
export const tests: Test[] = [];
export const test = (name: string, fn: (port: number) => Promise<void>) => tests.push({ name, fn });

export function eq<T>(got: T, want: T, what: string): void {
  if (got !== want) throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}
