// run-http's cases of the protocol against tests/http/server.co: methods
// and routing, keep-alive, the memory cap, pipelining, a half-close, chunked
// and large bodies, concurrent clients, a handler's panic, HTTP/1.0,
// timeouts and malformed requests. Registered with the harness's `test`
// when imported; run-http runs them in that order.

import * as http from "node:http";
import * as net from "node:net";
import { eq, halfClose, raw, request, test, type Resp } from "./http-harness.js";

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
