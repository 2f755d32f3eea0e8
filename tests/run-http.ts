// HTTP end-to-end tests: builds tests/http/server.co and examples/hello-http,
// starts each on 127.0.0.1 (port 0: the server prints the port it got) and
// drives it with Node's http and net modules: methods, routing, keep-alive,
// 16-deep pipelining, chunked and large bodies, concurrent clients, a handler
// panic answered 500 while other requests succeed, timeouts, and malformed
// raw requests (status, connection closed, a good request served afterwards).
// Bounded counts and timeouts: the whole run takes seconds.
//
//   node dist/tests/run-http.js [--cc gcc|clang] [--sanitize] [--filter SUBSTR]

import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as http from "node:http";
import * as net from "node:net";
import { basename, join } from "node:path";
import { ROOT, build, config, eq, raw, request, sleep, start, test, tests, type Resp } from "./http-harness.js";
import { framingFlood, smallLimits } from "./http-limits.js";
import { round14 } from "./http-round14.js";

const OUT = join(ROOT, "build/test-http");

let cc = "gcc", sanitize = false, filter = "";
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === "--cc") cc = process.argv[++i];
  else if (a === "--sanitize") sanitize = true;
  else if (a === "--filter") filter = process.argv[++i];
  else { process.stderr.write(`run-http: unknown argument ${a}\n`); process.exit(2); }
}
config.cc = cc;
config.sanitize = sanitize;

// ---------- descriptors ----------
// The slowloris test holds SLOW_CONNS connections: as many descriptors in this
// process and in the server. Below that soft limit the runner raises it up to
// the hard limit by running itself again under `ulimit -n`; when the hard limit
// is lower still, the test uses fewer connections.
const SLOW_WANT = 1000, FD_MARGIN = 200;
function fdLimits(): { soft: number; hard: number } {
  const r = spawnSync("sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" });
  const [soft, hard] = r.stdout.trim().split("\n").map((x) => (x === "unlimited" ? Infinity : Number(x)));
  return { soft: soft || 1024, hard: hard || soft || 1024 };
}
const FDS = fdLimits();
if (FDS.soft < SLOW_WANT + FD_MARGIN && FDS.hard > FDS.soft && !process.env.CO_RUN_HTTP_FDS) {
  const want = Math.min(FDS.hard, 4096);
  const r = spawnSync("sh", ["-c", `ulimit -n ${want} && exec "$0" "$@"`, process.execPath, ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, CO_RUN_HTTP_FDS: "1" } });
  process.exit(r.status ?? 1);
}
const SLOW_CONNS = Math.max(100, Math.min(SLOW_WANT, FDS.soft - FD_MARGIN));


test("methods and routing", async (port) => {
  for (const m of ["GET", "POST", "PUT", "DELETE", "PATCH"]) {
    // (Node sends a DELETE body without Content-Length unless told)
    const r = await request(port, m, "/echo?i=7", m === "GET" ? {} : { body: "abc", headers: { "content-length": 3 } });
    eq(r.status, 200, `${m} status`);
    eq(r.body, `${m} /echo i=7 len=${m === "GET" ? 0 : 3} body=${m === "GET" ? "" : "abc"}`, `${m} body`);
    eq(r.headers["x-method"], m, "X-Method header");
  }
  const head = await request(port, "HEAD", "/echo");
  eq(head.status, 200, "HEAD status"); eq(head.body, "", "HEAD body");
  const nf = await request(port, "GET", "/nope");
  eq(nf.status, 404, "404");
  const na = await request(port, "POST", "/info/3");
  eq(na.status, 405, "405"); eq(na.headers["allow"], "GET, HEAD", "Allow");
  const info = await request(port, "GET", "/info/a%20b?x=1&y=a%2Bb+c&z", { headers: { "x-TeSt": "yes" } });
  eq(info.body, 'q={"x": "1", "y": "a+b c", "z": ""} x-test=yes v=11 id=a b', "query, header lookup, param");
  const f = await request(port, "GET", "/files/a/b/c.txt");
  eq(f.body, "file=a/b/c.txt", "* segment");
  const r = await request(port, "GET", "/echo");
  if (!r.headers["date"] || !/GMT$/.test(r.headers["date"] as string)) throw new Error("no Date header");
  eq(r.headers["server"], "colang", "Server header");
});

test("keep-alive: 20 requests on one connection", async (port) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<net.Socket>();
  for (let i = 0; i < 20; i++) {
    const r = await new Promise<Resp>((res, rej) => {
      const req = http.request({ host: "127.0.0.1", port, path: `/echo?i=${i}`, agent }, (x) => {
        let b = ""; x.on("data", (d) => (b += d)); x.on("end", () => res({ status: x.statusCode ?? 0, headers: x.headers, body: b }));
      });
      req.on("socket", (s) => sockets.add(s));
      req.on("error", rej);
      req.end();
    });
    eq(r.headers["x-i"], String(i), "response order");
  }
  agent.destroy();
  eq(sockets.size, 1, "sockets used");
});

test("per-request memory cap: 503 for the request over it, the connection and the others go on", async (port) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    eq((await request(port, "GET", "/hog?mb=1", { agent })).status, 200, "1 MiB under an 8 MiB cap");
    const [big, small] = await Promise.all([request(port, "GET", "/hog?mb=32", { agent }), request(port, "GET", "/hog?mb=2")]);
    eq(big.status, 503, "32 MiB over the cap");
    eq(small.status, 200, "a concurrent request under the cap");
    eq((await request(port, "GET", "/echo?i=7", { agent })).status, 200, "the same connection after the 503");
  } finally { agent.destroy(); }
});

test("pipelining: 16 requests in one write, answered in order", async (port) => {
  let data = "";
  for (let i = 0; i < 16; i++) data += `GET /echo?i=${i} HTTP/1.1\r\nHost: t\r\n\r\n`;
  const r = await raw(port, data, 16);
  eq(r.responses.length, 16, "responses");
  r.responses.forEach((x, i) => eq(x.headers.get("x-i"), String(i), `response ${i}`));
  // mixed with a slow handler: order still holds
  const mixed = await raw(port, "GET /slow?ms=50 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=after HTTP/1.1\r\nHost: t\r\n\r\n", 2);
  eq(mixed.responses.map((x) => x.body.slice(0, 5)).join(","), "slept,GET /", "slow first");
});

/** Writes `data`, half-closes (FIN: "no more requests") after `endAfterMs`, and reads until the server closes. */
function halfClose(port: number, data: string, endAfterMs = 0, waitMs = 5000): Promise<{ statuses: number[]; xi: string[]; closed: boolean; rest: string }> {
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

test("a half-closed connection (the client's FIN after its requests): every complete request is answered in order, then the server closes", async (port) => {
  for (const n of [1, 100, 2000]) {
    let data = "";
    for (let i = 0; i < n; i++) data += `GET /echo?i=${i} HTTP/1.1\r\nHost: t\r\n\r\n`;
    const r = await halfClose(port, data);
    eq(r.statuses.length, n, `${n} pipelined then FIN: responses`);
    eq(r.xi.join(","), [...Array(n).keys()].join(","), `${n} pipelined then FIN: in order`);
    eq(r.closed, true, `${n} pipelined then FIN: closed by the server`);
  }
  // the FIN arrives while the first of three slow handlers runs
  const slow = await halfClose(port, "GET /slow?ms=200 HTTP/1.1\r\nHost: t\r\n\r\n".repeat(3), 100);
  eq(slow.statuses.join(","), "200,200,200", "3 slow requests, FIN after 100 ms");
  eq(slow.closed, true, "closed after the third");
  // a request left incomplete by the FIN is not answered; the complete ones before it are
  const part = await halfClose(port, "GET /echo?i=a HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=b HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=c HTTP/1.1\r\nHo");
  eq(part.xi.join(","), "a,b", "two complete, one cut by the FIN");
  eq(part.closed, true, "closed");
  // a FIN right after a lone partial head closes at once, without an answer
  const cut = await halfClose(port, "GET /echo HTTP/1.1\r\nHost");
  eq(cut.statuses.length, 0, "a cut head: no answer");
  eq(cut.closed, true, "a cut head: closed");
  eq((await request(port, "GET", "/echo?i=z")).status, 200, "the server goes on");
});

test("pipelining: batched answers stay in order around a partial request, 100-continue, an error and close", async (port) => {
  // the responses to complete requests go out before the server waits for the rest of a partial one
  const partial = await new Promise<string>((res) => {
    const s = net.connect(port, "127.0.0.1");
    let got = "";
    const t = setTimeout(() => { s.destroy(); res(got); }, 3000);
    s.on("data", (d: Buffer) => {
      got += d.toString("latin1");
      if ((got.match(/HTTP\/1\.1 200/g) ?? []).length === 3 && !got.includes("i=last")) s.write("Host: t\r\n\r\n");
      if (got.includes("i=last")) { clearTimeout(t); s.destroy(); res(got); }
    });
    s.on("connect", () => s.write("GET /echo?i=0 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=1 HTTP/1.1\r\nHost: t\r\n\r\n" +
      "GET /echo?i=2 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=last HTTP/1.1\r\n"));
  });
  eq([...partial.matchAll(/i=(\w+) len/g)].map((m) => m[1]).join(","), "0,1,2,last", "answers before and after the partial request");
  // Expect: 100-continue after two complete requests: their answers, then 100, then the body's answer
  const cont = await new Promise<string>((res) => {
    const s = net.connect(port, "127.0.0.1");
    let got = "";
    const t = setTimeout(() => { s.destroy(); res(got); }, 3000);
    s.on("data", (d: Buffer) => {
      got += d.toString("latin1");
      if (got.includes("100 Continue") && !got.includes("body=hello")) s.write("hello");
      if (got.includes("body=hello")) { clearTimeout(t); s.destroy(); res(got); }
    });
    s.on("connect", () => s.write("GET /echo?i=a HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=b HTTP/1.1\r\nHost: t\r\n\r\n" +
      "POST /echo?i=c HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  });
  const order = [...cont.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]).join(",");
  eq(order, "200,200,100,200", "statuses in order");
  eq([...cont.matchAll(/i=(\w) len/g)].map((m) => m[1]).join(","), "a,b,c", "bodies in order");
  // a bad request after good ones: their answers, then 400, then the close
  const bad = await raw(port, "GET /echo?i=0 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=1 HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\n\r\n", -1);
  eq(bad.responses.map((x) => x.status).join(","), "200,200,400", "answers then 400"); eq(bad.closed, true, "closed after 400");
  // Connection: close in the middle: nothing after it, the answers before it intact
  const close = await raw(port, "GET /echo?i=0 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /echo?i=2 HTTP/1.1\r\nHost: t\r\n\r\n", -1);
  eq(close.responses.map((x) => x.headers.get("x-i")).join(","), "0,1", "answers up to the close"); eq(close.closed, true, "closed");
  // more than the read-ahead limit in one go (64 KiB of requests), and big answers in a batch
  let many = "";
  for (let i = 0; i < 1500; i++) many += `GET /echo?i=${i} HTTP/1.1\r\nHost: t\r\n\r\n`;
  const m = await raw(port, many, 1500, 10_000);
  eq(m.responses.length, 1500, "1500 pipelined answers");
  eq(m.responses.every((x, i) => x.headers.get("x-i") === String(i)), true, "1500 in order");
  // chunked bodies deep in a pipeline: decoded in place at an offset into the input buffer
  let posts = "";
  for (let i = 0; i < 400; i++) posts += `POST /echo?i=${i} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab${i % 10}\r\n2\r\n-${i % 7}\r\n0\r\n\r\n`;
  const pm = await raw(port, posts, 400, 10_000);
  eq(pm.responses.length, 400, "400 pipelined chunked posts");
  eq(pm.responses.every((x, i) => x.headers.get("x-i") === String(i) && x.body.endsWith(`body=ab${i % 10}-${i % 7}`)), true, "their bodies, in order");
  const big = await raw(port, "GET /big?kb=100 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=x HTTP/1.1\r\nHost: t\r\n\r\nGET /big?kb=100 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=y HTTP/1.1\r\nHost: t\r\n\r\n", 4, 10_000);
  eq(big.responses.map((x) => x.body.length).join(","), `${100 * 1024},${"GET /echo i=x len=0 body=".length},${100 * 1024},${"GET /echo i=y len=0 body=".length}`, "big answers in a batch");
});

test("chunked request bodies", async (port) => {
  const r = await request(port, "POST", "/echo", { chunks: ["hel", "lo ", "wor", "ld"] });
  eq(r.body, "POST /echo i=- len=11 body=hello world", "chunked echo");
  const rr = await raw(port, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n");
  eq(rr.responses[0]?.body, "POST /echo i=- len=3 body=abc", "raw chunked with extension and trailer");
});

test("large bodies: 1 MiB accepted, 1 MiB + 1 is 413", async (port) => {
  const mib = 1 << 20;
  const ok = await request(port, "POST", "/size", { body: Buffer.alloc(mib, 97) });
  eq(ok.body, String(mib), "1 MiB");
  const big = await raw(port, `POST /size HTTP/1.1\r\nHost: t\r\nContent-Length: ${mib + 1}\r\n\r\n`, -1);
  eq(big.responses[0]?.status, 413, "413"); eq(big.closed, true, "closed after 413");
  const chunks: string[] = [];
  for (let i = 0; i < 16; i++) chunks.push("x".repeat(mib / 16));
  const ck = await request(port, "POST", "/size", { chunks });
  eq(ck.body, String(mib), "1 MiB chunked");
});

test("concurrent clients", async (port) => {
  const rs = await Promise.all(Array.from({ length: 64 }, (_, i) => request(port, "GET", `/slow?ms=${20 + (i % 5)}`)));
  rs.forEach((r) => eq(r.status, 200, "status"));
});

test("a handler panic is 500 for that request only", async (port) => {
  const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => request(port, "GET", i % 4 === 0 ? "/panic" : `/echo?i=${i}`)));
  rs.forEach((r, i) => eq(r.status, i % 4 === 0 ? 500 : 200, `request ${i}`));
  // keep-alive survives a panic: the next request on the same connection is served
  const r = await raw(port, "GET /panic HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?i=9 HTTP/1.1\r\nHost: t\r\n\r\n", 2);
  eq(r.responses.map((x) => x.status).join(","), "500,200", "panic then good on one connection");
  const bad = await request(port, "GET", "/bad-header");
  eq(bad.status, 500, "header injection refused");
});

// Found by the libFuzzer server target (scripts/fuzz/http/corpus/server/head-panic):
// the server's own answers (500 for a panic or an invalid response) carried a
// body after HEAD, which the client takes for the start of the next response.
test("HEAD answered 500 by the server has no body: the next pipelined response follows at once", async (port) => {
  const text = await new Promise<string>((res) => {
    const s = net.connect(port, "127.0.0.1");
    let got = "";
    const t = setTimeout(() => { s.destroy(); res(got); }, 3000);
    s.on("data", (d: Buffer) => { got += d.toString("latin1"); });
    s.on("end", () => { clearTimeout(t); s.destroy(); res(got); });
    s.on("error", () => { clearTimeout(t); res(got); });
    s.on("connect", () => s.write("HEAD /panic HTTP/1.1\r\nHost: t\r\n\r\nHEAD /bad-header HTTP/1.1\r\nHost: t\r\n\r\n" +
      "GET /echo?i=7 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  });
  const heads = text.split("\r\n\r\n");
  eq(heads.length, 4, "three heads and the last body");
  eq(heads[0].split("\r\n")[0], "HTTP/1.1 500 Internal Server Error", "HEAD /panic");
  eq(heads[1].split("\r\n")[0], "HTTP/1.1 500 Internal Server Error", "HEAD /bad-header, right after the first head");
  eq(heads[2].split("\r\n")[0], "HTTP/1.1 200 OK", "GET, right after the second head");
});

test("HTTP/1.0 and Connection: close", async (port) => {
  const r10 = await raw(port, "GET /echo HTTP/1.0\r\n\r\n", -1);
  eq(r10.responses[0]?.status, 200, "1.0 status"); eq(r10.closed, true, "1.0 closes");
  const ka = await raw(port, "GET /echo?i=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /echo?i=2 HTTP/1.0\r\n\r\n", -1);
  eq(ka.responses.length, 2, "1.0 keep-alive"); eq(ka.responses[0].headers.get("connection"), "keep-alive", "keep-alive echoed");
  const cl = await raw(port, "GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /echo HTTP/1.1\r\nHost: t\r\n\r\n", -1);
  eq(cl.responses.length, 1, "nothing after close"); eq(cl.responses[0].headers.get("connection"), "close", "Connection: close"); eq(cl.closed, true, "closed");
});

test("timeouts: 408 for a slow head, idle keep-alive closed", async (port) => {
  const t0 = Date.now();
  const slow = await raw(port, "GET /echo HTTP/1.1\r\nHost: t\r\n", -1, 4000);
  eq(slow.responses[0]?.status, 408, "408"); eq(slow.closed, true, "closed after 408");
  if (Date.now() - t0 > 3000) throw new Error("408 took too long");
  const idle = await raw(port, "GET /echo HTTP/1.1\r\nHost: t\r\n\r\n", -1, 4000);
  eq(idle.responses.length, 1, "one response"); eq(idle.closed, true, "idle connection closed");
});

// Malformed requests: expected status, the connection closes.
const H = "Host: t\r\n";
const malformed: [string, string, number][] = [
  ["bare LF", "GET / HTTP/1.1\n" + H + "\r\n", 400],
  ["CL and TE", "POST /size HTTP/1.1\r\n" + H + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400],
  ["TE and CL", "POST /size HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400],
  ["duplicate CL", "POST /size HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400],
  ["CL list", "POST /size HTTP/1.1\r\n" + H + "Content-Length: 3, 3\r\n\r\nabc", 400],
  ["CL plus", "POST /size HTTP/1.1\r\n" + H + "Content-Length: +3\r\n\r\nabc", 400],
  ["space before colon", "GET / HTTP/1.1\r\n" + H + "X-A : 1\r\n\r\n", 400],
  ["obs-fold", "GET / HTTP/1.1\r\n" + H + "X-A: 1\r\n  more\r\n\r\n", 400],
  ["chunk size overflow", "POST /size HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400],
  ["bad chunk end", "POST /size HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", 400],
  ["gzip, chunked", "POST /size HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501],
  ["chunked, gzip", "POST /size HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400],
  ["NUL in value", "GET / HTTP/1.1\r\n" + H + "X-A: a\u0000b\r\n\r\n", 400],
  ["bad name", "GET / HTTP/1.1\r\n" + H + "X(A): 1\r\n\r\n", 400],
  ["no Host", "GET / HTTP/1.1\r\n\r\n", 400],
  ["two Hosts", "GET / HTTP/1.1\r\n" + H + H + "\r\n", 400],
  ["HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", 505],
  ["garbage", "\u0016\u0003\u0001hello\r\n\r\n", 400],
  ["request line 8193", "GET /" + "a".repeat(8193 - 14) + " HTTP/1.1\r\n" + H + "\r\n", 414],
  ["header section 16385", "GET / HTTP/1.1\r\n" + H + "X: " + "v".repeat(16385 - 14) + "\r\n\r\n", 431],
  ["101 headers", "GET / HTTP/1.1\r\n" + H + Array.from({ length: 100 }, (_, i) => `X-${i}: y\r\n`).join("") + "\r\n", 431],
];
test(`malformed requests (${malformed.length}): status, connection closed, server fine`, async (port) => {
  for (const [name, data, status] of malformed) {
    const r = await raw(port, Buffer.from(data, "latin1"), -1);
    eq(r.responses[0]?.status, status, name);
    eq(r.closed, true, `${name}: closed`);
  }
  const limits: [string, string][] = [
    ["request line 8192", "GET /" + "a".repeat(8192 - 14) + " HTTP/1.1\r\n" + H + "\r\n"],
    ["header section 16384", "GET / HTTP/1.1\r\n" + H + "X: " + "v".repeat(16384 - 14) + "\r\n\r\n"],
    ["100 headers", "GET / HTTP/1.1\r\n" + H + Array.from({ length: 99 }, (_, i) => `X-${i}: y\r\n`).join("") + "\r\n"],
  ];
  for (const [name, data] of limits) {
    const r = await raw(port, data);
    eq(r.responses[0]?.status, 404, name);   // parsed, then not routed
  }
  const ok = await request(port, "GET", "/echo");
  eq(ok.status, 200, "good request afterwards");
});

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

// The defaults of a server that sets no options (issue 10: keep-alive idle 5 s,
// header timeout 30 s answered 408, Date refreshed every second): a keep-alive
// connection left idle after one request, and one that sends half a head and
// then nothing. Opened before the other programs are built and the other tests
// run, and judged after them, so the 30 s cost only what the suite has not
// already spent; watched from a child process (DEFAULTS_PROBE), whose event
// loop the runner's synchronous builds do not hold up.
const DEFAULTS_PROBE = `
const net = require("net");
const port = Number(process.argv[1]);
const watch = (data, answered) => new Promise((res) => {
  const s = net.connect(port, "127.0.0.1");
  let got = "", answeredAt = null, t0 = Date.now();
  s.on("data", (d) => { got += d.toString("latin1"); if (answeredAt === null && answered(got)) answeredAt = Date.now(); });
  const done = () => { res({ got: got.slice(0, 200), t0, answeredAt, closedAt: Date.now() }); s.destroy(); };
  s.on("end", done); s.on("error", done); s.on("close", done);
  s.on("connect", () => s.write(data));
  setTimeout(done, 40000);
});
Promise.all([
  watch("GET /plaintext HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n", (g) => g.includes("Hello, World!")),
  watch("GET /plaintext HTTP/1.1\\r\\nHost: t\\r\\n", (g) => g.includes("\\r\\n\\r\\n")),
]).then(([idle, head]) => { process.stdout.write(JSON.stringify({ idle, head }) + "\\n"); process.exit(0); });
`;
async function defaultsProbe(port: number): Promise<{ verdict: () => Promise<string | undefined>; summary: () => string }> {
  const first = await request(port, "GET", "/plaintext");
  const child = spawn(process.execPath, ["-e", DEFAULTS_PROBE, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d) => { out += d; });
  const exited = new Promise<void>((res) => child.on("exit", () => res()));
  const sec = (ms: number) => (ms / 1000).toFixed(1);
  let text = "";
  return {
    summary: () => text,
    verdict: async () => {
      await Promise.race([exited, sleep(45_000)]);
      child.kill();
      const m = /\{.*\}/.exec(out);
      if (!m) return `the probe reported nothing: ${out}`;
      type W = { got: string; t0: number; answeredAt: number | null; closedAt: number };
      const { idle: i, head: h } = JSON.parse(m[0]) as { idle: W; head: W };
      if (i.answeredAt === null) return `the idle probe got no answer: ${JSON.stringify(i.got)}`;
      const idleSecs = i.closedAt - i.answeredAt, headSecs = h.closedAt - h.t0;
      text = `idle keep-alive closed after ${sec(idleSecs)} s, a half head answered ${h.got.split("\r\n")[0]} and closed after ${sec(headSecs)} s`;
      if (idleSecs < 4500 || idleSecs > 9000) return `an idle keep-alive connection closed after ${sec(idleSecs)} s (default 5 s)`;
      if (!h.got.startsWith("HTTP/1.1 408 ")) return `a half head got ${JSON.stringify(h.got.slice(0, 40))} (want 408)`;
      if (headSecs < 29_500 || headSecs > 36_000) return `a half head was answered after ${sec(headSecs)} s (default header timeout 30 s)`;
      const last = await request(port, "GET", "/plaintext");
      const d0 = Date.parse(String(first.headers["date"])), d1 = Date.parse(String(last.headers["date"]));
      if (!(Math.abs(d1 - Date.now()) < 2500) || !(d1 - d0 >= 29_000)) return `Date not refreshed: ${first.headers["date"]} then ${last.headers["date"]}`;
      return undefined;
    },
  };
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const suffix = `${cc}${sanitize ? "-san" : ""}`;
  let passed = 0, failed = 0;
  // hello-http first: the probes of its defaults (up to its 30 s header
  // timeout) run while the other programs build and the other tests run.
  const helloExe = join(OUT, `hello-${suffix}`);
  build("examples/hello-http/main.co", helloExe);
  const hello = await start(helloExe);
  try {
    if (!filter || "hello-http".includes(filter)) {
      const p = await request(hello.port, "GET", "/plaintext");
      const j = await request(hello.port, "GET", "/json");
      if (p.body === "Hello, World!" && p.headers["content-type"]?.startsWith("text/plain") && j.body === '{"message":"Hello, World!"}' && j.headers["content-type"] === "application/json") passed++;
      else { failed++; console.log(`FAIL hello-http: ${p.body} / ${j.body}`); }
    }
  } catch (e) { hello.proc.kill("SIGTERM"); throw e; }
  if (!filter || "framing flood".includes(filter)) {
    // the framing of chunked requests against hello-http's defaults: bounded memory (http-limits.ts)
    try { console.log(`ok   framing flood: ${await framingFlood(hello.port, hello.proc.pid!)}`); passed++; }
    catch (e) { failed++; console.log(`FAIL framing flood: ${(e as Error).message}`); }
  }
  // hello-http sets no options: its defaults are checked by probes opened now
  // and judged at the end, while the other tests run (defaultsProbe).
  const probe = !filter || "defaults".includes(filter) ? await defaultsProbe(hello.port) : undefined;
  const staticExe = join(OUT, `static-${suffix}`);
  build("examples/static-files/main.co", staticExe);
  const workersExe = join(OUT, `workers-${suffix}`);
  build("tests/http/workers.co", workersExe);
  const srvExe = join(OUT, `server-${suffix}`), todoExe = join(OUT, `todo-${suffix}`);
  build("tests/http/server.co", srvExe);
  build("examples/todo-api/main.co", todoExe);
  // The design's JSON API, verbatim: it must build as written (it listens on
  // the fixed port 8080, so it is built, not started; todo-api runs the same code).
  build("tests/design/json-api.co", join(OUT, `design-json-api-${suffix}`));
  passed++;
  const label = `http(${cc}${sanitize ? "-asan" : ""})`;


  if (!filter || "todo-api".includes(filter)) {
    // examples/todo-api: the JSON API of the design's EXAMPLES.md, driven through create, validation errors, show, toggle, list, delete.
    const todo = await start(todoExe);
    const json = { "content-type": "application/json" };
    const steps: [string, string, string | undefined, number, string][] = [
      ["POST", "/todos", '{"title":"milk","tags":["shop"]}', 201, '{"id":1,"title":"milk","done":false,"tags":["shop"]}'],
      ["POST", "/todos", "{bad", 400, '{"error":"expected a string key or `}`, found `b`"}'],
      ["POST", "/todos", '{"title":"  ","tags":[]}', 400, '{"error":"title is empty"}'],
      ["POST", "/todos", '{"title":"x"}', 400, '{"error":"missing field `tags`"}'],
      ["POST", "/todos", '{"title":"bread","tags":[]}', 201, '{"id":2,"title":"bread","done":false,"tags":[]}'],
      ["GET", "/todos/1", undefined, 200, '{"id":1,"title":"milk","done":false,"tags":["shop"]}'],
      ["PUT", "/todos/1/toggle", undefined, 200, '{"id":1,"title":"milk","done":true,"tags":["shop"]}'],
      ["GET", "/todos", undefined, 200, '[{"id":1,"title":"milk","done":true,"tags":["shop"]},{"id":2,"title":"bread","done":false,"tags":[]}]'],
      ["GET", "/todos/9", undefined, 404, '{"error":"no todo 9"}'],
      ["DELETE", "/todos/1", undefined, 200, '{"deleted":1}'],
      ["GET", "/todos/1", undefined, 404, '{"error":"no todo 1"}'],
    ];
    try {
      let ok = true;
      for (const [m, path, body, status, want] of steps) {
        const r = await request(todo.port, m, path, { body, headers: body ? json : undefined });
        if (r.status !== status || r.body !== want) { ok = false; console.log(`FAIL todo-api ${m} ${path}: ${r.status} ${r.body}, expected ${status} ${want}`); break; }
      }
      if (ok) passed++; else failed++;
    } finally { todo.proc.kill("SIGTERM"); }
    await todo.exit;
  }

  if (!filter || "static-files".includes(filter)) {
    // examples/static-files: content types, index.html, 404s, traversal refused, bytes intact.
    const root = join(ROOT, "examples/static-files/public");
    const st = await start(staticExe, undefined, { ROOT: root });
    let ok = true;
    try {
      const cases: [string, number, string][] = [
        ["/", 200, "text/html; charset=utf-8"], ["/index.html", 200, "text/html; charset=utf-8"],
        ["/css/site.css", 200, "text/css; charset=utf-8"], ["/dot.png", 200, "image/png"],
        ["/nope.txt", 404, ""], ["/css", 404, ""], ["/.env", 404, ""],
        ["/../main.co", 400, ""], ["/%2e%2e/main.co", 400, ""], ["/css/%2E%2E/%2e%2e/main.co", 400, ""], ["/css/..%2f..%2fmain.co", 400, ""],
      ];
      for (const [path, status, type] of cases) {
        const r = await raw(st.port, `GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
        const got = r.responses[0];
        if (!got || got.status !== status || (type && got.headers.get("content-type") !== type)) {
          ok = false; console.log(`FAIL static-files ${path}: ${got?.status} ${got?.headers.get("content-type")}, expected ${status} ${type}`);
        }
      }
      const png = await request(st.port, "GET", "/dot.png");
      if (png.body !== readFileSync(join(root, "dot.png")).toString("latin1")) { ok = false; console.log("FAIL static-files: dot.png bytes differ"); }
    } finally { st.proc.kill("SIGTERM"); }
    await st.exit;
    // Only regular files are served (tester round 9): a FIFO under the root held the runtime's 4 file
    // threads in read(2) after 4 requests, and every later request of every client hung. A root with a
    // FIFO: 8 requests for it are 404 at once, and the index is still served after them.
    const fifoRoot = mkdtempSync(join(tmpdir(), "coc-static-fifo-"));
    cpSync(root, fifoRoot, { recursive: true });
    spawnSync("mkfifo", [join(fifoRoot, "pipe")]);
    // Symbolic links under the root (audit of issue 10: /link.txt was served from outside it): a
    // file's real path must lie under the root's; a link out of the root is 404, one within it is served.
    const outside = mkdtempSync(join(tmpdir(), "coc-static-outside-"));
    writeFileSync(join(outside, "secret.txt"), "outside the root\n");
    symlinkSync(join(outside, "secret.txt"), join(fifoRoot, "link.txt"));
    symlinkSync(outside, join(fifoRoot, "outdir"));
    symlinkSync("../" + basename(fifoRoot) + "-x", join(fifoRoot, "dangling"));
    symlinkSync("index.html", join(fifoRoot, "inside.html"));
    const sf = await start(staticExe, undefined, { ROOT: fifoRoot });
    try {
      for (const [path, status] of [["/link.txt", 404], ["/outdir/secret.txt", 404], ["/dangling", 404], ["/inside.html", 200]] as const) {
        const r = await raw(sf.port, `GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
        if (r.responses[0]?.status !== status || r.responses[0]?.body.includes("outside")) { ok = false; console.log(`FAIL static-files ${path} (a symbolic link): ${r.responses[0]?.status ?? "no answer"}, expected ${status}`); }
      }
      for (let i = 0; i < 8; i++) {
        const r = await raw(sf.port, `GET /pipe HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
        if (r.responses[0]?.status !== 404) { ok = false; console.log(`FAIL static-files /pipe (a FIFO) #${i}: ${r.responses[0]?.status ?? "no answer"}, expected 404`); break; }
      }
      const idx = await raw(sf.port, `GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
      if (idx.responses[0]?.status !== 200) { ok = false; console.log(`FAIL static-files / after FIFO requests: ${idx.responses[0]?.status ?? "no answer"}`); }
    } finally { sf.proc.kill("SIGTERM"); }
    await sf.exit;
    rmSync(fifoRoot, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
    if (ok) passed++; else failed++;
  }

  if (!filter || "workers".includes(filter)) {
    // workers: 3 processes on one port; a dead worker is replaced; SIGTERM drains a request in flight.
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
    if (ok) passed++; else failed++;
  }

  if (!filter || "descriptors".includes(filter)) {
    // Descriptor exhaustion: under `ulimit -n 64`, 200 connections at once (issue 10's numbers). The
    // server must not spin on its listener (libuv drops what it cannot accept),
    // and once they are gone it serves again.
    const s = await start(srvExe, 64);
    let ok = true;
    const fail = (m: string) => { if (ok) console.log(`FAIL descriptors: ${m}\n${s.stderr()}`); ok = false; };
    const socks: net.Socket[] = [];
    try {
      for (let i = 0; i < 200; i++) { const c = net.connect(s.port, "127.0.0.1"); c.on("error", () => undefined); socks.push(c); }
      await sleep(300);
      const ticks = () => { const f = readFileSync(`/proc/${s.proc.pid}/stat`, "utf8").split(") ")[1].split(" "); return Number(f[11]) + Number(f[12]); };
      const t0 = ticks();
      await sleep(500);
      const used = ticks() - t0;
      // idle, it takes 0-4 ticks (of 10 ms) in 3 s (the audit's measure); spinning on its listener, all 50
      if (used >= 5) fail(`${used} CPU ticks in 0.5 s with its descriptors exhausted (spinning?)`);
      for (const c of socks) c.destroy();
      await sleep(300);
      for (let i = 0; i < 5; i++) {
        const r = await request(s.port, "GET", `/echo?i=${i}`).catch((e: Error) => ({ status: 0, body: e.message }));
        if (r.status !== 200) fail(`after the flood: ${r.status} ${r.body}`);
      }
    } finally { for (const c of socks) c.destroy(); s.proc.kill("SIGTERM"); }
    const code = await Promise.race([s.exit, sleep(10_000).then(() => "hung")]);
    if (code !== 143) { fail(`exit ${code}`); if (code === "hung") s.proc.kill("SIGKILL"); }
    if (ok) passed++; else failed++;
  }

  const r14 = await round14({ root: ROOT, out: OUT, cc, sanitize, filter, suffix });
  passed += r14.passed;
  failed += r14.failed;

  const srv = await start(srvExe);
  for (let t0 = Date.now(); !smallLimits.port && Date.now() - t0 < 3000; await sleep(20))
    smallLimits.port = Number(/small limits on http:\/\/127\.0\.0\.1:(\d+)/.exec(srv.stdout())?.[1] ?? 0);
  for (const t of tests) {
    if (filter && !t.name.includes(filter)) continue;
    const t0 = Date.now();
    try {
      await Promise.race([t.fn(srv.port), sleep(20_000).then(() => { throw new Error("test timed out"); })]);
      passed++;
      console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}: ${(e as Error).message}`);
    }
  }
  srv.proc.kill("SIGTERM");
  if (probe) {
    const why = await probe.verdict();
    if (why) { failed++; console.log(`FAIL defaults of hello-http: ${why}`); } else { passed++; console.log(`ok   defaults of hello-http: ${probe.summary()}`); }
  }
  hello.proc.kill("SIGTERM");
  const hcode = await hello.exit;
  if (hcode !== 143) { failed++; console.log(`FAIL hello-http exit on SIGTERM: ${hcode}\n${hello.stderr()}`); } else passed++;
  const code = await Promise.race([srv.exit, sleep(10_000).then(() => "hung")]);
  const err = srv.stderr();
  const unexpected = err.split("\n").filter((l) => l && !/^panic: handler panicked on purpose/.test(l) && !/^http: the handler's response is invalid/.test(l) && !/^panic: task memory limit of 8388608 bytes exceeded/.test(l));
  if (code !== 143 || unexpected.length) {
    failed++;
    console.log(`FAIL server shutdown: exit ${code}; stderr:\n${unexpected.join("\n")}`);
    if (code === "hung") srv.proc.kill("SIGKILL");
  } else passed++;
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
