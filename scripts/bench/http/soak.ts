// The todo-api soak (issue 10): 1,000,000 requests against examples/todo-api
// (a steady mix, scripts/bench/http/soak.lua, with wrk: 64 connections, one
// thread). wrk runs in slices of SLICE seconds until the requests are done or
// --max-seconds pass (bounded in time); after each slice the runner deletes
// the todos the mix created and had not deleted yet when wrk stopped (ids
// above 100), so the state is the same 100 todos at every slice boundary,
// and reads the server's RSS there. After a warm-up (the first tenth of the
// requests, at most 100,000) RSS must stay within 5% of its value then:
// growth would be a leak. Not part of `make test` (`make soak-http`).
//
//   node dist/scripts/bench/http/soak.js [--requests 1000000] [--max-seconds 900]
//
// Prints the RSS samples and a verdict; exits 1 when RSS grew more than 5%.

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import { request } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep, statusKb } from "./idle-conns.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const OUT = join(ROOT, "build/bench/http");
const SLICE = 10;

function call(port: number, method: string, path: string, body = ""): Promise<string> {
  return new Promise((res, rej) => {
    const r = request({ port, host: "127.0.0.1", path, method, headers: { "Content-Type": "application/json" } }, (resp) => {
      let text = "";
      resp.on("data", (d) => { text += d; });
      resp.on("end", () => res(text));
    });
    r.on("error", rej);
    r.end(body);
  });
}

/** Deletes every todo but the first 100; returns how many are left. */
async function cleanup(port: number): Promise<number> {
  const ids = [...(await call(port, "GET", "/todos")).matchAll(/"id":(\d+)/g)].map((m) => Number(m[1]));
  for (const id of ids.filter((i) => i > 100)) await call(port, "DELETE", `/todos/${id}`);
  return ids.filter((i) => i <= 100).length;
}

async function main(): Promise<void> {
  let total = 1_000_000, maxSecs = 900;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--requests") total = Number(argv[++i]);
    else if (argv[i] === "--max-seconds") maxSecs = Number(argv[++i]);
    else { process.stderr.write(`soak: unknown argument ${argv[i]}\n`); process.exit(2); }
  }
  const warmup = Math.min(100_000, Math.floor(total / 10));
  mkdirSync(OUT, { recursive: true });
  const exe = join(OUT, "todo-api");
  const b = spawnSync(process.execPath, [join(ROOT, "bin/coc.js"), "build", join(ROOT, "examples/todo-api/main.co"), "-o", exe], { encoding: "utf8" });
  if (b.status !== 0) { console.log(`soak: build failed\n${b.stdout}${b.stderr}`); process.exit(1); }
  const port = 19500 + (process.pid % 400);
  const child = spawn(exe, [], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d; });
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => { const s = connect(port, "127.0.0.1", () => { s.destroy(); r(true); }); s.on("error", () => r(false)); });
    if (ok) break;
    await sleep(50);
  }
  for (let i = 1; i <= 100; i++) await call(port, "POST", "/todos", JSON.stringify({ title: `todo ${i}`, tags: ["x"] }));
  const pid = child.pid!;
  const t0 = Date.now();
  let done = 0, errors = 0, non2xx = 0, warmRss = NaN, todos = 100;
  const after: number[] = [];
  console.log(`soak: ${total.toLocaleString("en-US")} requests against examples/todo-api (pid ${pid}), warm-up ${warmup.toLocaleString("en-US")}, RSS ${statusKb(pid, "VmRSS")} kB with 100 todos`);
  while (done < total && (Date.now() - t0) / 1000 < maxSecs) {
    const r = await new Promise<string>((res) => {
      const w = spawn("wrk", ["-t1", "-c64", `-d${SLICE}s`, "-s", join(ROOT, "scripts/bench/http/soak.lua"), `http://127.0.0.1:${port}`]);
      let out = "";
      w.stdout.on("data", (d) => { out += d; });
      w.stderr.on("data", (d) => { out += d; });
      w.on("close", () => res(out));
    });
    const n = Number(r.match(/(\d+) requests in/)?.[1] ?? 0);
    if (!n) { console.log(`soak: wrk failed:\n${r}`); break; }
    const sock = r.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
    if (sock) errors += sock.slice(1).reduce((a, x) => a + Number(x), 0);
    non2xx += Number(r.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
    const before = done;
    done += n;
    todos = await cleanup(port);
    const rss = statusKb(pid, "VmRSS");
    if (before < warmup && done >= warmup) warmRss = rss;
    else if (done >= warmup) after.push(rss);
    console.log(`  ${done.toLocaleString("en-US")} requests, ${((Date.now() - t0) / 1000).toFixed(0)} s, RSS ${rss} kB`);
  }
  const secs = (Date.now() - t0) / 1000;
  const endRss = statusKb(pid, "VmRSS");
  const maxRss = Math.max(endRss, ...after);
  const minRss = Math.min(endRss, ...after);
  child.kill("SIGTERM");
  await sleep(500);
  const grew = (maxRss - warmRss) / warmRss;
  console.log(`soak: ${done.toLocaleString("en-US")} requests in ${secs.toFixed(0)} s (${Math.round(done / secs).toLocaleString("en-US")}/s), socket errors ${errors}, ` +
    `non-2xx ${non2xx.toLocaleString("en-US")} (the mix's 400s and 404s); ${todos} of the first 100 todos left at the end (100 expected)`);
  console.log(`soak: RSS after warm-up ${warmRss} kB; afterwards min ${minRss} kB, max ${maxRss} kB, at the end ${endRss} kB: ` +
    `max ${grew >= 0 ? "+" : ""}${(grew * 100).toFixed(1)}% of the warm-up value`);
  if (stderr.trim()) console.log(`soak: server stderr:\n${stderr.slice(-2000)}`);
  const ok = done >= total && Number.isFinite(grew) && grew <= 0.05 && todos === 100;
  console.log(ok ? "soak: ok (RSS flat within 5%)" : done < total ? "soak: FAILED (did not finish in time)" : "soak: FAILED (RSS grew more than 5%)");
  process.exit(ok ? 0 : 1);
}

main();
