// Memory benchmarks (issue 9): what Colang's memory model costs against the
// designs it is measured by. Three rows, each built and run side by side:
//
//  - binary-trees against the fastest C design, a pool per short-lived tree
//    (binary-trees-arena.c, as the best C entries use APR pools), and the
//    malloc/free C: time, CPU and peak RSS, Colang / arena C.
//  - promotion: inserting and replacing `struct { name: string, tags:
//    Vec<string> }` values in a global `Map<int, Entry>` (scripts/bench/
//    promotion/), against Node.js and Go doing the same: ns per operation
//    (CPU time of the full run minus a run with one entry and no replacements,
//    over LIVE + OPS operations; wall time too) and bytes per live entry
//    ((peak RSS − peak RSS of that tiny run) / LIVE, so garbage a collector
//    has not reclaimed yet counts, as it counts on a server).
//  - k-nucleotide: peak RSS of Colang against C.
//
// Every version runs once first and the outputs must agree; then --runs timed
// runs, interleaved, through measure.c; medians are reported. The full run
// replaces the "Memory benchmarks" section of docs/benchmarks.md; --smoke runs
// binary-trees and promotion once at small sizes and only checks outputs (in
// `make test`, a few seconds).
//
//   node dist/scripts/bench/memory.js [--runs N] [--smoke] [--no-write] [--only binary-trees]
//
// --only binary-trees runs that row alone and prints it (the doc is not written).

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fmtRatio, fmtRss, fmtTime, median, writeSection } from "./report.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SRC = join(ROOT, "scripts/bench");
const OUT = join(ROOT, "build/bench/memory");
const HEADING = "## Memory benchmarks";
const COC = join(ROOT, "bin/coc.js");

interface Prog {
  label: string;
  /** How to build it; returns the argv prefix to run (sizes are appended for C, Node and Go). */
  kind: "c" | "colang" | "node" | "go";
  file: string; // under scripts/bench
}

interface Measured { seconds: number; rss: number; cpu: number; code: number; stdout: string; stderr: string }
interface Series { times: number[]; cpu: number[]; rss: number[] }

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) return { status: 127, out: String(r.error.message) };
  return { status: r.status ?? 128, out: (r.stdout ?? "") + (r.stderr ?? "") };
}

const firstLine = (s: string): string => s.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";

/** Builds prog for the given sizes; returns the argv to run it, or throws with the reason. */
function build(p: Prog, sizes: Record<string, number>, tag: string): string[] {
  const src = join(SRC, p.file);
  const exe = join(OUT, `${p.file.replace(/[/.]/g, "-")}-${tag}`);
  const args = Object.values(sizes).map(String);
  switch (p.kind) {
    case "c": {
      const r = sh("gcc", ["-O2", "-o", exe, src, "-lm"]);
      if (r.status !== 0) throw new Error(`gcc failed: ${firstLine(r.out)}`);
      return [exe, ...args];
    }
    case "node":
      return [process.execPath, src, ...args];
    case "go": {
      const r = sh("go", ["build", "-o", exe, src], { GOCACHE: join(OUT, "go-cache"), GOPATH: join(OUT, "gopath"), GO111MODULE: "off", GOFLAGS: "" }, OUT);
      if (r.status !== 0) throw new Error(`go build failed: ${firstLine(r.out)}`);
      return [exe, ...args];
    }
    case "colang": {
      // The Colang programs hold their sizes in `const NAME = <int>` lines.
      let text = readFileSync(src, "utf8");
      for (const [name, v] of Object.entries(sizes)) {
        const re = new RegExp(`^const ${name} = [0-9_]+[ \\t]*$`, "m");
        if (!re.test(text)) throw new Error(`${p.file}: no \`const ${name} = <int>\` line`);
        text = text.replace(re, `const ${name} = ${v}`);
      }
      const copy = join(OUT, `${p.file.replace(/[/.]/g, "-")}-${tag}.co`);
      writeFileSync(copy, text);
      const r = sh(process.execPath, [COC, "build", copy, "-o", exe, "--cc", "gcc"]);
      if (r.status !== 0) throw new Error(`coc build failed: ${firstLine(r.out)}`);
      return [exe];
    }
  }
}

function measure(argv: string[], outFile: string): Measured {
  const r = spawnSync(join(OUT, "measure"), [outFile, ...argv], { encoding: "utf8", maxBuffer: 64 << 20 });
  const f = (r.stdout ?? "").trim().split(/\s+/).map(Number);
  if (r.status !== 0 || f.length !== 4 || f.some((x) => Number.isNaN(x))) throw new Error(`measure failed for ${argv.join(" ")}: ${r.stderr}${r.stdout}`);
  return { seconds: f[0], rss: f[1], cpu: f[2], code: f[3], stdout: existsSync(outFile) ? readFileSync(outFile, "utf8") : "", stderr: r.stderr ?? "" };
}

interface Row { name: string; progs: Prog[]; argv: string[][]; series: Series[]; base?: { argv: string[][]; series: Series[] }; failed: string[] }

/** Builds and runs every program of a row: once to compare outputs, then `runs` interleaved timed runs. */
function runRow(name: string, progs: Prog[], sizes: Record<string, number>, baseSizes: Record<string, number> | null, runs: number, smoke: boolean): Row {
  console.log(`\n== ${name} (${Object.entries(sizes).map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`).join(", ")})`);
  const row: Row = { name, progs, argv: [], series: progs.map(() => ({ times: [], cpu: [], rss: [] })), failed: [] };
  if (baseSizes) row.base = { argv: [], series: progs.map(() => ({ times: [], cpu: [], rss: [] })) };
  for (const p of progs) {
    try {
      row.argv.push(build(p, sizes, "full"));
      if (row.base && !smoke) row.base.argv.push(build(p, baseSizes!, "base"));
      console.log(`  build ${p.label.padEnd(12)} ok`);
    } catch (e) {
      row.failed.push(`${p.label}: ${(e as Error).message}`);
      console.log(`  build ${p.label.padEnd(12)} FAILED: ${(e as Error).message}`);
      return row;
    }
  }
  let reference: string | undefined;
  progs.forEach((p, i) => {
    const m = measure(row.argv[i], join(OUT, `${name}.${i}.out`));
    if (m.code !== 0) { row.failed.push(`${p.label}: exit ${m.code}: ${firstLine(m.stderr)}`); return; }
    if (reference === undefined) reference = m.stdout;
    else if (m.stdout !== reference) { row.failed.push(`${p.label}: output differs from ${progs[0].label} (${JSON.stringify(firstLine(m.stdout))} vs ${JSON.stringify(firstLine(reference))})`); return; }
    console.log(`  run   ${p.label.padEnd(12)} ${fmtTime(m.seconds).padStart(8)} ${fmtRss(m.rss).padStart(9)}  ${i === 0 ? "(reference output)" : "output identical"}`);
  });
  if (row.failed.length || smoke) { for (const f of row.failed) console.log(`  FAILED ${f}`); return row; }
  for (let k = 0; k < runs; k++) {
    progs.forEach((p, i) => {
      const m = measure(row.argv[i], join(OUT, `${name}.${i}.out`));
      if (m.code !== 0 || m.stdout !== reference) { row.failed.push(`${p.label}: ${m.code !== 0 ? `exit ${m.code}` : "output changed"} in a timed run`); return; }
      row.series[i].times.push(m.seconds); row.series[i].cpu.push(m.cpu); row.series[i].rss.push(m.rss);
      if (row.base) {
        const b = measure(row.base.argv[i], join(OUT, `${name}.${i}.base.out`));
        if (b.code !== 0) { row.failed.push(`${p.label}: exit ${b.code} in a baseline run`); return; }
        row.base.series[i].times.push(b.seconds); row.base.series[i].cpu.push(b.cpu); row.base.series[i].rss.push(b.rss);
      }
    });
  }
  progs.forEach((p, i) => {
    const s = row.series[i];
    console.log(`  time  ${p.label.padEnd(12)} median ${fmtTime(median(s.times)).padStart(8)}  CPU ${fmtTime(median(s.cpu)).padStart(8)}  peak RSS ${fmtRss(median(s.rss)).padStart(9)}` +
      (row.base ? `  (baseline: CPU ${fmtTime(median(row.base.series[i].cpu))}, RSS ${fmtRss(median(row.base.series[i].rss))})` : ""));
  });
  return row;
}

const loadavg = (): string => { try { return readFileSync("/proc/loadavg", "utf8").split(" ")[0]; } catch { return "?"; } };

function section(rows: { bt: Row; promo: Row; kn: Row }, sizes: { bt: number; live: number; ops: number; kn: number }, runs: number, load: [string, string]): string {
  const { bt, promo, kn } = rows;
  const t = (r: Row, i: number) => median(r.series[i].times), c = (r: Row, i: number) => median(r.series[i].cpu), m = (r: Row, i: number) => median(r.series[i].rss);
  const ok = (r: Row): boolean => r.failed.length === 0;
  const lines: string[] = [HEADING, "",
    "What the memory model costs, side by side with the designs it is measured by; measured by `make bench`",
    `(scripts/bench/memory.ts), median of ${runs} runs each, interleaved; peak RSS from \`wait4\`. Load average (1 min)`,
    `${load[0]} at the start and ${load[1]} at the end, on a machine shared with other jobs: wall times carry that noise,`,
    "CPU times (user + sys) much less, so the ratios are given for both.", ""];
  lines.push(`**binary-trees** (depth ${sizes.bt}): Colang's \`region\` block per short-lived tree against C with a pool per tree`,
    "(`binary-trees-arena.c`: 64 KiB chunks, bump allocation, the pool cleared after each tree and its chunks reused, as the",
    "fastest C entries do with APR pools) and C with `malloc`/`free` per node. Goal: Colang ≤ 1.1× arena C in time and memory.", "");
  if (ok(bt)) {
    lines.push("| version | time | CPU | peak RSS |", "| --- | ---: | ---: | ---: |");
    bt.progs.forEach((p, i) => lines.push(`| ${p.label} | ${fmtTime(t(bt, i))} | ${fmtTime(c(bt, i))} | ${fmtRss(m(bt, i))} |`));
    lines.push("", `Colang / arena C: time ${fmtRatio(t(bt, 2) / t(bt, 1))}, CPU ${fmtRatio(c(bt, 2) / c(bt, 1))}, peak RSS ${fmtRatio(m(bt, 2) / m(bt, 1))}` +
      ` (Colang / malloc C: time ${fmtRatio(t(bt, 2) / t(bt, 0))}, peak RSS ${fmtRatio(m(bt, 2) / m(bt, 0))}).`,
      "A Colang `Tree` value is one word (the node's pointer with the variant in its low bits: docs/memory.md \"Enum layout\"),",
      "so a `Node(Tree, Tree)` box takes 16 bytes like the C node, and a node's box is taken before its children are built, so",
      "a tree lies in memory in the order it is walked, as the C pool's does.", "");
  } else lines.push(`Failed: ${bt.failed.join("; ")}.`, "");
  lines.push(`**promotion** (${sizes.live.toLocaleString("en-US")} live entries, ${sizes.ops.toLocaleString("en-US")} replacements): \`entries[key] = Entry { name: "name {i}", tags: [...3 strings] }\``,
    "on a global `Map<int, Entry>` (`scripts/bench/promotion/`): Colang copies each value into global memory and frees the",
    "replaced one at the end of the loop turn (the program yields every 1,000 operations, as a server does between requests);",
    "Node (a `Map` of objects, also yielding with `setImmediate`) and Go (`map[int]Entry`) leave the old values to their",
    `collectors. ns per operation: (CPU or wall time of the full run − a run with one entry and no replacements) / ${(sizes.live + sizes.ops).toLocaleString("en-US")};`,
    "bytes per live entry: (peak RSS − that run's peak RSS) / live entries, so garbage not yet collected at the peak counts.", "");
  if (ok(promo)) {
    lines.push("| version | time | CPU | peak RSS | ns/op (CPU) | ns/op (wall) | bytes per live entry |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    const n = sizes.live + sizes.ops;
    promo.progs.forEach((p, i) => {
      const b = promo.base!.series[i];
      const nsCpu = ((c(promo, i) - median(b.cpu)) * 1e9) / n, nsWall = ((t(promo, i) - median(b.times)) * 1e9) / n;
      const per = ((m(promo, i) - median(b.rss)) * 1024) / sizes.live;
      lines.push(`| ${p.label} | ${fmtTime(t(promo, i))} | ${fmtTime(c(promo, i))} | ${fmtRss(m(promo, i))} | ${nsCpu.toFixed(0)} | ${nsWall.toFixed(0)} | ${Math.round(per).toLocaleString("en-US")} B |`);
    });
    lines.push("");
  } else lines.push(`Failed: ${promo.failed.join("; ")}.`, "");
  lines.push(`**k-nucleotide** (DNA length ${sizes.kn.toLocaleString("en-US")}): peak memory against C (goal ≤ 1.3×).`, "");
  if (ok(kn)) {
    lines.push("| version | time | peak RSS |", "| --- | ---: | ---: |");
    kn.progs.forEach((p, i) => lines.push(`| ${p.label} | ${fmtTime(t(kn, i))} | ${fmtRss(m(kn, i))} |`));
    lines.push("", `Colang / C peak RSS: ${fmtRatio(m(kn, 1) / m(kn, 0))}.`, "");
  } else lines.push(`Failed: ${kn.failed.join("; ")}.`, "");
  return lines.join("\n");
}


function main(): void {
  let runs = 5, smoke = false, write = true, onlyBt = false;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") runs = Math.max(1, Math.floor(Number(argv[++i])) || 1);
    else if (argv[i] === "--smoke") smoke = true;
    else if (argv[i] === "--no-write") write = false;
    else if (argv[i] === "--only" && argv[i + 1] === "binary-trees") { onlyBt = true; write = false; i++; }
    else { process.stderr.write(`bench-memory: unknown argument ${argv[i]}\nusage: memory.js [--runs N] [--smoke] [--no-write] [--only binary-trees]\n`); process.exit(2); }
  }
  mkdirSync(OUT, { recursive: true });
  const mh = sh("gcc", ["-O2", "-Wall", "-o", join(OUT, "measure"), join(SRC, "measure.c")]);
  if (mh.status !== 0) { process.stderr.write(`bench-memory: cannot build the measure helper:\n${mh.out}`); process.exit(2); }
  const haveGo = sh("go", ["version"]).status === 0;
  const sizes = smoke ? { bt: 10, live: 1000, ops: 20_000, kn: 200_000 } : { bt: 18, live: 100_000, ops: 2_000_000, kn: 5_000_000 };
  const t0 = Date.now(), load0 = loadavg();
  console.log(smoke ? "bench-memory smoke: every version once at a small size; outputs must agree" : `bench-memory: ${runs} timed runs each`);
  const bt = runRow("binary-trees", [
    { label: "C (malloc)", kind: "c", file: "binary-trees/binary-trees.c" },
    { label: "C (arena)", kind: "c", file: "binary-trees/binary-trees-arena.c" },
    { label: "Colang", kind: "colang", file: "binary-trees/binary-trees.co" },
  ], { N: sizes.bt }, null, runs, smoke);
  const promoProgs: Prog[] = [
    { label: "Colang", kind: "colang", file: "promotion/promotion.co" },
    { label: "Node", kind: "node", file: "promotion/promotion.js" },
    ...(haveGo ? [{ label: "Go", kind: "go", file: "promotion/promotion.go" } as Prog] : []),
  ];
  if (!haveGo) console.log("bench-memory: go is not installed: the Go version is skipped (scripts/bench/ensure-go.sh)");
  const skipped = (name: string): Row => ({ name, progs: [], argv: [], series: [], failed: ["not run (--only)"] });
  const promo = onlyBt ? skipped("promotion") : runRow("promotion", promoProgs, { LIVE: sizes.live, OPS: sizes.ops }, { LIVE: 1, OPS: 0 }, runs, smoke);
  // k-nucleotide's outputs are already compared by the compute benchmarks' smoke run (run.ts).
  const kn = onlyBt ? skipped("k-nucleotide") : smoke ? { name: "k-nucleotide", progs: [], argv: [], series: [], failed: [] } : runRow("k-nucleotide", [
    { label: "C", kind: "c", file: "k-nucleotide/k-nucleotide.c" },
    { label: "Colang", kind: "colang", file: "k-nucleotide/k-nucleotide.co" },
  ], { N: sizes.kn }, null, runs, smoke);
  const rows = { bt, promo, kn };
  const ran = onlyBt ? [bt] : Object.values(rows);
  const nrows = onlyBt ? 1 : smoke ? 2 : 3;
  const failed = ran.filter((r) => r.failed.length);
  console.log(`\nbench-memory: ${nrows} rows in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${nrows - failed.length} agree, ${failed.length} failed`);
  if (!smoke) {
    const text = section(rows, sizes, runs, [load0, loadavg()]);
    if (write) writeSection(HEADING, text); else console.log("\n" + text);
  }
  process.exit(failed.length ? 1 : 0);
}

main();
