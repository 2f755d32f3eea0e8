// run-http's example programs: hello-http's defaults (a probe opened at
// the start and judged at the end), examples/todo-api's JSON API and
// examples/static-files (content types, traversal, FIFOs, symbolic links).

import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ROOT, raw, request, sleep, start } from "./http-harness.js";

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
export async function defaultsProbe(port: number): Promise<{ verdict: () => Promise<string | undefined>; summary: () => string }> {
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

/** examples/todo-api: the JSON API of the design's EXAMPLES.md, driven through create, validation errors, show, toggle, list, delete. */
export async function todoApi(todoExe: string): Promise<boolean> {
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
  let ok = true;
  try {
    for (const [m, path, body, status, want] of steps) {
      const r = await request(todo.port, m, path, { body, headers: body ? json : undefined });
      if (r.status !== status || r.body !== want) { ok = false; console.log(`FAIL todo-api ${m} ${path}: ${r.status} ${r.body}, expected ${status} ${want}`); break; }
    }
  } finally { todo.proc.kill("SIGTERM"); }
  await todo.exit;
  return ok;
}

/** examples/static-files: content types, index.html, 404s, traversal refused, bytes intact. */
export async function staticFiles(staticExe: string): Promise<boolean> {
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
  return ok;
}
