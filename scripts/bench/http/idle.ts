// The idle-connection measurement alone (run.ts does it as part of the full
// HTTP benchmark): RSS per idle keep-alive connection of the Colang server
// (scripts/bench/http/colang/idle.co: hello-http's plaintext route with a
// long idle timeout) and of the hand-written C server on libuv.
//
//   node dist/scripts/bench/http/idle.js [--conns 10000] [--only colang,c]
//
// The count is lowered to fit `ulimit -n` (client and server each hold one
// descriptor per connection).

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fitConns, idleConnections, waitListening } from "./idle-conns.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const SRC = join(ROOT, "scripts/bench/http");
const OUT = join(ROOT, "build/bench/http");

const SERVERS: Record<string, { build: string[]; bin: string }> = {
  colang: { build: [process.execPath, join(ROOT, "bin/coc.js"), "build", join(SRC, "colang/idle.co"), "-o", join(OUT, "colang-idle-server")], bin: join(OUT, "colang-idle-server") },
  c: { build: ["gcc", "-O2", "-Wall", "-o", join(OUT, "c-server"), join(SRC, "c/server.c"), "-luv"], bin: join(OUT, "c-server") },
};

async function main(): Promise<void> {
  let conns = 10_000;
  let only = Object.keys(SERVERS);
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--conns") conns = Math.max(1, Number(argv[++i]) || conns);
    else if (argv[i] === "--only") only = argv[++i].split(",");
    else { process.stderr.write(`idle: unknown argument ${argv[i]}\n`); process.exit(2); }
  }
  conns = fitConns(conns);
  mkdirSync(OUT, { recursive: true });
  let failed = false;
  for (const key of only) {
    const s = SERVERS[key];
    const b = spawnSync(s.build[0], s.build.slice(1), { encoding: "utf8" });
    if (b.status !== 0) { console.log(`${key}: build failed\n${b.stdout}${b.stderr}`); failed = true; continue; }
    const port = 19000 + (process.pid % 500);
    const child = spawn(s.bin, [], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "inherit"] });
    try {
      if (!(await waitListening(port, child))) throw new Error("did not start listening");
      const r = await idleConnections(child.pid!, port, conns);
      console.log(`${key}: ${r.open}/${r.count} idle connections open (opened in ${r.secs.toFixed(1)} s), VmRSS ${r.before} kB -> ${r.after} kB: ${Math.round(r.bytes)} B per connection`);
    } catch (e) {
      console.log(`${key}: FAILED: ${(e as Error).message}`);
      failed = true;
    } finally {
      child.kill("SIGKILL");
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
