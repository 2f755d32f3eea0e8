// HTTP end-to-end tests: builds tests/http/server.co and examples/hello-http,
// starts each on 127.0.0.1 (port 0: the server prints the port it got) and
// drives it with Node's http and net modules: methods, routing, keep-alive,
// 16-deep pipelining, chunked and large bodies, concurrent clients, a handler
// panic answered 500 while other requests succeed, timeouts, and malformed
// raw requests (status, connection closed, a good request served afterwards).
// Bounded counts and timeouts: the whole run takes seconds.
//
// This file runs them: the cases against tests/http/server.co are in
// http-cases.ts (the protocol), http-faults.ts (clients that reset, trickle
// or go), http-limits.ts and http-round14.ts; the example programs in
// http-examples.ts; workers and descriptor exhaustion in http-processes.ts;
// the servers and clients in http-harness.ts.
//
//   node dist/tests/run-http.js [--cc gcc|clang] [--sanitize] [--filter SUBSTR]

import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, build, config, request, sleep, start, tests } from "./http-harness.js";
import { framingFlood, smallLimits } from "./http-limits.js";
import { round14 } from "./http-round14.js";
// the cases against tests/http/server.co, registered in this order when imported
import "./http-cases.js";
import { FDS, SLOW_WANT_FDS } from "./http-faults.js";
import { defaultsProbe, staticFiles, todoApi } from "./http-examples.js";
import { descriptors, workers } from "./http-processes.js";

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
// The slowloris test (http-faults.ts) holds SLOW_CONNS connections: as many
// descriptors in this process and in the server. Below that soft limit the
// runner raises it up to the hard limit by running itself again under
// `ulimit -n`; when the hard limit is lower still, the test uses fewer
// connections.
if (FDS.soft < SLOW_WANT_FDS && FDS.hard > FDS.soft && !process.env.CO_RUN_HTTP_FDS) {
  const want = Math.min(FDS.hard, 4096);
  const r = spawnSync("sh", ["-c", `ulimit -n ${want} && exec "$0" "$@"`, process.execPath, ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, CO_RUN_HTTP_FDS: "1" } });
  process.exit(r.status ?? 1);
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


  if (!filter || "todo-api".includes(filter)) { if (await todoApi(todoExe)) passed++; else failed++; }
  if (!filter || "static-files".includes(filter)) { if (await staticFiles(staticExe)) passed++; else failed++; }
  if (!filter || "workers".includes(filter)) { if (await workers(workersExe)) passed++; else failed++; }
  if (!filter || "descriptors".includes(filter)) { if (await descriptors(srvExe)) passed++; else failed++; }

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