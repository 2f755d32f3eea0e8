// Compute benchmarks: six Benchmarks Game programs, each written with the same
// algorithm in C, Colang, JavaScript (Node) and Go under scripts/bench/NAME/,
// and one event-loop benchmark (spawn-await: C on libuv, Colang, Node), for
// which it also reports the memory per pending task: (peak RSS at the full size
// - peak RSS of a run at a tiny size) / number of tasks.
// For each benchmark it builds every version, runs each once and checks that
// they all print the same text (a diff and a failed row if not), then times
// every version --runs times (wall clock and peak RSS, through the measure.c
// helper) and reports medians and ratios. The full run replaces the "Compute
// benchmarks" section of docs/benchmarks.md.
//
//   node dist/scripts/bench/run.js [--runs N] [--smoke] [--only NAME,NAME] [--no-write] [--coc PATH]
//
// --smoke runs every program once at a small size and only checks the outputs;
// it exits 1 when outputs differ (or a program crashes), never because of time.
// A Colang version that does not compile is reported as "pending", not as a
// failure (except in --smoke runs). A version whose source file is missing
// (no .go) is "n/a".
// C, Node and Go programs take their size as the first argument; the Colang
// programs declare it as `const N = ...`, which this script rewrites (into
// build/bench/compute/) for any size other than the default.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fmtBytes, fmtRatio, fmtRss, fmtTime, median, table, writeSection } from "./report.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SRC = join(ROOT, "scripts/bench");
const OUT = join(ROOT, "build/bench/compute");
const HEADING = "## Compute benchmarks";

interface Bench {
  name: string; size: number; smoke: number; param: string; what: string;
  /** Extra libraries the C version links with (after -lm). */
  cLibs?: string[];
  /** Versions that are not run, with the reason (shown as n/a). */
  skip?: Partial<Record<LangKey, string>>;
  /** Event-loop benchmark: each version also runs at this size, and the report adds the
   *  memory per pending task, (median peak RSS - median peak RSS at `baseline`) / size. */
  baseline?: number;
}

const BENCHES: Bench[] = [
  { name: "binary-trees", size: 18, smoke: 12, param: "depth", what: "allocates and walks millions of short-lived binary trees (`enum Tree { Leaf, Node(Tree, Tree) }`, `match`, `region`)" },
  { name: "n-body", size: 5_000_000, smoke: 100_000, param: "steps", what: "float arithmetic on a `Vec<Body>` of structs, `math.sqrt`" },
  { name: "spectral-norm", size: 2000, smoke: 200, param: "n", what: "nested float loops over `Vec<float>`" },
  { name: "fannkuch-redux", size: 10, smoke: 8, param: "n", what: "integer array permutations in `Vec<int>`" },
  { name: "mandelbrot", size: 4000, smoke: 400, param: "n", what: "float loops and bit packing; prints a checksum of the bitmap instead of the PBM bytes" },
  { name: "k-nucleotide", size: 5_000_000, smoke: 200_000, param: "DNA length", what: "an LCG-generated DNA string; k-mers counted in `Map<string, int>`, sorted with `sortBy` and a closure" },
  {
    name: "spawn-await", size: 1_000_000, smoke: 10_000, param: "tasks", baseline: 1,
    what: "spawn-and-await throughput of the event loop: `spawn worker(i)` for every task, each worker does `await time.sleep(0)` (a yield to the loop) and counts itself done, `main` yields until all are done and prints the count; all tasks are pending at once. C is the same algorithm written directly on libuv (a malloc'd task per spawn, a FIFO ready queue drained by an idle handle; the await re-queues the task, as Colang's `sleep(0)` does), Node uses `async` functions awaiting a promise resolved by `setImmediate`; no Go version (goroutines run while `main` is still spawning, so they are not all pending at once)",
    cLibs: ["-luv"],
    skip: { "c-nme": "no float math" },
  },
];

type LangKey = "c" | "c-nme" | "colang" | "node" | "go";
const EXT: Record<LangKey, string> = { c: "c", "c-nme": "c", colang: "co", node: "js", go: "go" };
// The order runs and comparisons use; the first version that runs is the reference output.
const LANGS: LangKey[] = ["c", "c-nme", "colang", "node", "go"];
const LABEL: Record<LangKey, string> = { c: "C", "c-nme": "C -fno-math-errno", colang: "Colang", node: "Node", go: "Go" };

type Status = "ok" | "pending" | "n/a" | "failed";
interface Version {
  lang: LangKey;
  status: Status;
  note: string; // why it is pending / n/a / failed
  argv: string[];
  times: number[]; // seconds
  rss: number[]; // KiB
  cpu: number[]; // seconds
  baseArgv: string[]; // the run at bench.baseline tasks (event-loop benchmarks)
  baseRss: number[]; // KiB
}

interface Row { bench: Bench; size: number; versions: Map<LangKey, Version>; failed: string[] }

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) return { status: 127, out: String(r.error.message) };
  return { status: r.status ?? 128, out: (r.stdout ?? "") + (r.stderr ?? "") };
}

const firstLine = (s: string): string => s.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
/** Memory per pending task of an event-loop benchmark, in bytes. */
const perTask = (v: Version, size: number): number => ((median(v.rss) - median(v.baseRss)) * 1024) / size;

let coc = join(ROOT, "bin/coc.js");
const loadavg = (): string => { try { return readFileSync("/proc/loadavg", "utf8").split(" ")[0]; } catch { return "?"; } };
let loadStart = "?", loadEnd = "?";
let haveGo = false;

/** The Colang source to build: the checked-in file, or a copy whose `const N = ...` line says `size`. */
function colangSource(b: Bench, size: number): string {
  const file = join(SRC, b.name, `${b.name}.co`);
  if (size === b.size) return file;
  const text = readFileSync(file, "utf8");
  const re = /^const N = [0-9_]+[ \t]*$/m;
  if (!re.test(text)) throw new Error(`${file}: no \`const N = <int>\` line to set the size`);
  const copy = join(OUT, `${b.name}-${size}.co`);
  writeFileSync(copy, text.replace(re, `const N = ${size}`));
  return copy;
}

function build(b: Bench, lang: LangKey, size: number, tag = ""): Version {
  const v: Version = { lang, status: "ok", note: "", argv: [], times: [], rss: [], cpu: [], baseArgv: [], baseRss: [] };
  const dir = join(SRC, b.name);
  const exe = join(OUT, `${b.name}-${lang}${tag}`);
  const fail = (status: Status, note: string): Version => ({ ...v, status, note });
  const skip = b.skip?.[lang];
  if (skip) return fail("n/a", skip);
  if (!existsSync(join(dir, `${b.name}.${EXT[lang]}`))) return fail("n/a", `no ${LABEL[lang]} version (${b.name}.${EXT[lang]})`);
  switch (lang) {
    case "c":
    case "c-nme": {
      const flags = lang === "c" ? ["-O2"] : ["-O2", "-fno-math-errno"];
      const r = sh("gcc", [...flags, "-o", exe, join(dir, `${b.name}.c`), "-lm", ...(b.cLibs ?? [])]);
      if (r.status !== 0) return fail("failed", `gcc failed: ${firstLine(r.out)}`);
      v.argv = [exe, String(size)];
      return v;
    }
    case "node":
      v.argv = [process.execPath, join(dir, `${b.name}.js`), String(size)];
      return v;
    case "go": {
      if (!haveGo) return fail("n/a", "go is not installed (scripts/bench/ensure-go.sh installs golang-go as root)");
      const r = sh("go", ["build", "-o", exe, join(dir, `${b.name}.go`)], { cwd: OUT, env: { GOCACHE: join(OUT, "go-cache"), GOPATH: join(OUT, "gopath"), GO111MODULE: "off", GOFLAGS: "" } });
      if (r.status !== 0) return fail("failed", `go build failed: ${firstLine(r.out)}`);
      v.argv = [exe, String(size)];
      return v;
    }
    case "colang": {
      const src = colangSource(b, size);
      const r = sh(process.execPath, [coc, "build", src, "-o", exe, "--cc", "gcc"]);
      if (r.status !== 0) {
        const err = r.out.split("\n").find((l) => /^(error|internal compiler error)/.test(l)) ?? firstLine(r.out);
        const count = (r.out.match(/^error /gm) ?? []).length;
        return fail("pending", `does not compile yet (exit ${r.status}; ${count > 1 ? `${count} errors, first: ` : ""}${err.trim()})`);
      }
      v.argv = [exe];
      return v;
    }
  }
}

interface Measured { seconds: number; rss: number; cpu: number; code: number; stdout: string; stderr: string }

function measure(argv: string[], outFile: string): Measured {
  const r = spawnSync(join(OUT, "measure"), [outFile, ...argv], { encoding: "utf8", maxBuffer: 64 << 20 });
  const fields = (r.stdout ?? "").trim().split(/\s+/).map(Number);
  if (r.status !== 0 || fields.length !== 4 || fields.some((x) => Number.isNaN(x))) {
    throw new Error(`measure failed for ${argv.join(" ")}: ${r.stderr}${r.stdout}`);
  }
  const stdout = existsSync(outFile) ? readFileSync(outFile, "utf8") : "";
  return { seconds: fields[0], rss: fields[1], cpu: fields[2], code: fields[3], stdout, stderr: r.stderr ?? "" };
}

function diff(a: string, b: string, labelA: string, labelB: string): string {
  const r = spawnSync("diff", ["-u", "--label", labelA, "--label", labelB, a, b], { encoding: "utf8" });
  const lines = (r.stdout || r.stderr || "").split("\n");
  return lines.slice(0, 40).join("\n") + (lines.length > 40 ? `\n... (${lines.length - 40} more lines)` : "");
}

function runBench(b: Bench, size: number, runs: number, smoke: boolean): Row {
  const row: Row = { bench: b, size, versions: new Map(), failed: [] };
  console.log(`\n== ${b.name} (${b.param} ${size.toLocaleString("en-US")})`);
  for (const lang of LANGS) {
    const t0 = Date.now();
    const v = build(b, lang, size);
    row.versions.set(lang, v);
    const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    if (v.status === "ok") console.log(`  build ${LABEL[lang].padEnd(18)} ok (${took})`);
    else console.log(`  build ${LABEL[lang].padEnd(18)} ${v.status}: ${v.note}`);
    if (v.status === "failed") row.failed.push(`${LABEL[lang]}: ${v.note}`);
    if (v.status === "ok" && b.baseline !== undefined && !smoke) {
      // The same program at the baseline size, for the memory per pending task.
      if (lang === "colang") {
        const base = build(b, lang, b.baseline, "-base");
        if (base.status !== "ok") {
          v.status = "failed";
          v.note = `the baseline build (${b.param} ${b.baseline}) failed: ${base.note}`;
          row.failed.push(`${LABEL[lang]}: ${v.note}`);
          console.log(`  build ${LABEL[lang].padEnd(18)} FAILED: ${v.note}`);
        }
        v.baseArgv = base.argv;
      } else {
        v.baseArgv = [...v.argv.slice(0, -1), String(b.baseline)];
      }
    }
  }

  // First run: every version once, outputs compared with the first that ran.
  const ok = (): Version[] => LANGS.map((l) => row.versions.get(l)!).filter((v) => v.status === "ok");
  let reference: { lang: LangKey; file: string; text: string } | undefined;
  for (const v of ok()) {
    const file = join(OUT, `${b.name}.${v.lang}.out`);
    const m = measure(v.argv, file);
    if (m.code !== 0) {
      v.status = "failed";
      v.note = `exit ${m.code}: ${firstLine(m.stderr)}`;
      row.failed.push(`${LABEL[v.lang]}: ${v.note}`);
      console.log(`  run   ${LABEL[v.lang].padEnd(18)} FAILED (${v.note})`);
      continue;
    }
    if (smoke) { v.times.push(m.seconds); v.rss.push(m.rss); v.cpu.push(m.cpu); }
    if (!reference) {
      reference = { lang: v.lang, file, text: m.stdout };
    } else if (m.stdout !== reference.text) {
      v.status = "failed";
      v.note = `output differs from ${LABEL[reference.lang]}`;
      row.failed.push(`${LABEL[v.lang]}: ${v.note}`);
      console.log(`  run   ${LABEL[v.lang].padEnd(18)} FAILED: output differs from ${LABEL[reference.lang]}:`);
      console.log(diff(reference.file, file, `${b.name}.${reference.lang}.out`, `${b.name}.${v.lang}.out`).replace(/^/gm, "    "));
      continue;
    }
    console.log(`  run   ${LABEL[v.lang].padEnd(18)} ${fmtTime(m.seconds).padStart(8)} ${fmtRss(m.rss).padStart(9)}  output ${v.lang === reference.lang ? `${m.stdout.split("\n").length - 1} line${m.stdout.split("\n").length === 2 ? "" : "s"} (reference)` : "identical"}`);
  }
  if (smoke || row.failed.length > 0) {
    if (row.failed.length > 0 && !smoke) console.log("  not timed: the versions do not agree");
    return row;
  }

  // Timed runs, interleaved so that drift in the machine's speed hits every language alike.
  for (let i = 0; i < runs; i++) {
    for (const v of ok()) {
      const file = join(OUT, `${b.name}.${v.lang}.out`);
      const m = measure(v.argv, file);
      if (m.code !== 0 || m.stdout !== reference!.text) {
        v.status = "failed";
        v.note = m.code !== 0 ? `exit ${m.code} in a timed run` : "output changed in a timed run";
        row.failed.push(`${LABEL[v.lang]}: ${v.note}`);
        continue;
      }
      v.times.push(m.seconds);
      v.rss.push(m.rss);
      v.cpu.push(m.cpu);
      if (b.baseline !== undefined) {
        const base = measure(v.baseArgv, join(OUT, `${b.name}.${v.lang}.base.out`));
        if (base.code !== 0) {
          v.status = "failed";
          v.note = `exit ${base.code} in a baseline run (${b.param} ${b.baseline}): ${firstLine(base.stderr)}`;
          row.failed.push(`${LABEL[v.lang]}: ${v.note}`);
          continue;
        }
        v.baseRss.push(base.rss);
      }
    }
  }
  for (const v of ok()) {
    console.log(`  time  ${LABEL[v.lang].padEnd(18)} median ${fmtTime(median(v.times)).padStart(8)}  peak RSS ${fmtRss(median(v.rss)).padStart(9)}  CPU ${fmtTime(median(v.cpu))}  (runs: ${v.times.map((t) => t.toFixed(3)).join(" ")})`);
  }
  if (b.baseline !== undefined) {
    for (const v of ok()) {
      console.log(`  mem   ${LABEL[v.lang].padEnd(18)} ${fmtBytes(perTask(v, size)).padStart(8)} per pending task  (peak RSS ${fmtRss(median(v.rss))} - ${fmtRss(median(v.baseRss))} at ${b.param} ${b.baseline}, / ${size.toLocaleString("en-US")})`);
    }
  }
  for (const v of LANGS.map((l) => row.versions.get(l)!).filter((v) => v.status === "failed")) {
    console.log(`  FAILED ${LABEL[v.lang].padEnd(17)} ${v.note}`);
  }
  return row;
}

function machine(): string {
  let cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  try {
    const m = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch { /* not Linux */ }
  const nproc = firstLine(sh("nproc", []).out) || String(cpus().length);
  const gcc = firstLine(sh("gcc", ["--version"]).out);
  const go = haveGo ? firstLine(sh("go", ["version"]).out).replace(/^go version /, "") : "Go not installed";
  return `${cpu}, nproc ${nproc}; ${gcc}; Node ${process.version}; Go ${go}`;
}

function cell(row: Row, lang: LangKey, f: (v: Version) => string): string {
  const v = row.versions.get(lang)!;
  if (v.status === "ok") return f(v);
  if (v.status === "pending") return "pending";
  return v.status === "n/a" ? "n/a" : "failed";
}

function ratio(row: Row, a: LangKey, b: LangKey): string {
  const va = row.versions.get(a)!, vb = row.versions.get(b)!;
  if (va.status === "pending" || vb.status === "pending") return "pending";
  if (va.status !== "ok" || vb.status !== "ok") return "–";
  return fmtRatio(median(va.times) / median(vb.times));
}

function section(rows: Row[], runs: number): string {
  const timeRows = rows.map((r) => [
    `${r.bench.name}`, `${r.size.toLocaleString("en-US")}`,
    ...LANGS.map((l) => cell(r, l, (v) => fmtTime(median(v.times)))),
    ratio(r, "colang", "c"), ratio(r, "node", "colang"), ratio(r, "go", "colang"), ratio(r, "node", "c"), ratio(r, "go", "c"),
  ]);
  const cpuRows = rows.map((r) => [r.bench.name, ...LANGS.map((l) => cell(r, l, (v) => fmtTime(median(v.cpu))))]);
  const memRows = rows.map((r) => [r.bench.name, ...LANGS.filter((l) => l !== "c-nme").map((l) => cell(r, l, (v) => fmtRss(median(v.rss))))]);
  const loopRows = rows.filter((r) => r.bench.baseline !== undefined);
  const perTaskRows = loopRows.map((r) => [
    r.bench.name, r.size.toLocaleString("en-US"),
    ...LANGS.filter((l) => l !== "c-nme").map((l) => cell(r, l, (v) => fmtBytes(perTask(v, r.size)))),
  ]);
  const pending = rows.filter((r) => r.versions.get("colang")!.status === "pending");
  const failed = rows.filter((r) => r.failed.length > 0);
  const game = BENCHES.filter((b) => b.baseline === undefined), loop = BENCHES.filter((b) => b.baseline !== undefined);
  const count = (n: number): string => ["no", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine"][n] ?? String(n);
  return [
    HEADING,
    "",
    `${count(game.length)} programs from the Computer Language Benchmarks Game, each written with the same algorithm in C,`,
    "Colang, JavaScript and Go (`scripts/bench/NAME/NAME.{c,co,js,go}`), single-threaded, measured by `make bench`",
    "(scripts/bench/run.ts; `make bench RUNS=3` for fewer runs)" +
      (loop.length ? `, and ${count(loop.length).toLowerCase()} event-loop benchmark${loop.length === 1 ? "" : "s"} (${loop.map((b) => b.name).join(", ")}). Before timing, every version runs once and` : ". Before timing, every version runs once and"),
    "the outputs must be identical (floats are printed by a shared `fixed()` helper: rounded to a scaled",
    "integer, then printed as digits); a row whose outputs differ is marked failed and not timed.",
    "`make bench-smoke` runs the same check at small sizes in a few seconds and fails only when outputs differ.",
    "",
    ...game.map((b) => `- **${b.name}** (${b.param} ${b.size.toLocaleString("en-US")}): ${b.what}.`),
    ...loop.map((b) => `- **${b.name}** (${b.param} ${b.size.toLocaleString("en-US")}; event loop): ${b.what}.`),
    "",
    "How each version is built and run: **C** with plain `gcc -O2` (the ceiling); **C -fno-math-errno** is the",
    "same source with the flag `coc` also passes (it lets gcc inline `sqrt` without the errno branch);",
    "**Colang** with `coc build --cc gcc` (gcc `-O2 -std=c11 -fno-math-errno`); **Node** runs `node NAME.js`;",
    "**Go** is built with `go build` (Debian's golang-go, one goroutine; its garbage collector, like",
    "Node's, uses helper threads). C, Node and Go take the size as their first argument; the Colang programs",
    "hold it in a `const N` line that the harness rewrites for other sizes. binary-trees in C uses",
    "`malloc`/`free` per node; the Colang version frees each short-lived tree with a `region` block.",
    "",
    `Times are the median wall-clock time of ${runs} run${runs === 1 ? "" : "s"}, process start-up included (Node's is about 40 ms);`,
    "memory is the median peak RSS. Both are taken by `scripts/bench/measure.c` (fork/exec, `CLOCK_MONOTONIC`,",
    "`wait4` `ru_maxrss`). \"pending\": the Colang version does not compile yet.",
    "",
    `Machine: ${machine()}; measured ${new Date().toISOString().slice(0, 10)}; load average (1 min) ${loadStart} at the start,`,
    `${loadEnd} at the end. Other work on the machine inflates wall times; the CPU-time table below is less affected.`,
    "",
    ...table(
      ["benchmark", "size", ...LANGS.map((l) => LABEL[l]), "Colang/C", "Node/Colang", "Go/Colang", "Node/C", "Go/C"],
      ["---", "---:", ...LANGS.map(() => "---:"), "---:", "---:", "---:", "---:", "---:"],
      timeRows,
    ),
    "",
    "CPU time (user + sys, median; Node and Go include their garbage collectors' helper threads):",
    "",
    ...table(["benchmark", ...LANGS.map((l) => LABEL[l])], ["---", ...LANGS.map(() => "---:")], cpuRows),
    "",
    "Peak RSS (median):",
    "",
    ...table(["benchmark", ...LANGS.filter((l) => l !== "c-nme").map((l) => LABEL[l])], ["---", "---:", "---:", "---:", "---:"], memRows),
    "",
    ...(loopRows.length ? [
      "Memory per pending task of the event-loop benchmarks: (median peak RSS − median peak RSS of the same",
      `program run with ${loopRows.map((r) => `${r.bench.param} ${r.bench.baseline}`).join(", ")}) / number of tasks; every task is pending at once.`,
      "Node's figure includes garbage its collector had not yet reclaimed at the peak.",
      "",
      ...table(["benchmark", "tasks", ...LANGS.filter((l) => l !== "c-nme").map((l) => LABEL[l])], ["---", "---:", "---:", "---:", "---:", "---:"], perTaskRows),
      "",
    ] : []),
    ...(pending.length ? [`Pending in Colang: ${pending.map((r) => `${r.bench.name} (${r.versions.get("colang")!.note.replace(/^does not compile yet \(exit \d+; /, "").replace(/\)$/, "")})`).join("; ")}.`, ""] : []),
    ...(failed.length ? [`Failed: ${failed.map((r) => `${r.bench.name}: ${r.failed.join(", ")}`).join("; ")}.`, ""] : []),
  ].join("\n");
}


function main(): void {
  let runs = 5, smoke = false, write = true;
  let only: string[] | undefined;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runs") runs = Math.max(1, Math.floor(Number(argv[++i])) || 1);
    else if (a === "--smoke") smoke = true;
    else if (a === "--no-write") write = false;
    else if (a === "--only") only = argv[++i].split(",");
    else if (a === "--coc") coc = resolve(argv[++i]);
    else { process.stderr.write(`bench: unknown argument ${a}\nusage: run.js [--runs N] [--smoke] [--only NAME,NAME] [--no-write] [--coc PATH]\n`); process.exit(2); }
  }
  const benches = only ? BENCHES.filter((b) => only!.includes(b.name)) : BENCHES;
  if (only && benches.length !== only.length) {
    process.stderr.write(`bench: unknown benchmark in --only (have: ${BENCHES.map((b) => b.name).join(", ")})\n`);
    process.exit(2);
  }
  mkdirSync(OUT, { recursive: true });
  const m = sh("gcc", ["-O2", "-Wall", "-o", join(OUT, "measure"), join(SRC, "measure.c")]);
  if (m.status !== 0) { process.stderr.write(`bench: cannot build the measure helper:\n${m.out}`); process.exit(2); }
  haveGo = sh("go", ["version"]).status === 0;

  const t0 = Date.now();
  console.log(smoke ? "bench-smoke: every benchmark once at a small size; outputs must be identical" : `bench: compute benchmarks, ${runs} timed runs each`);
  if (!haveGo) console.log("bench: go is not installed: the Go versions are skipped");
  loadStart = loadavg();
  const rows = benches.map((b) => runBench(b, smoke ? b.smoke : b.size, runs, smoke));
  loadEnd = loadavg();

  const failed = rows.filter((r) => r.failed.length > 0);
  const pending = rows.filter((r) => r.versions.get("colang")!.status === "pending");
  console.log(`\n${smoke ? "bench-smoke" : "bench"}: ${rows.length} benchmarks in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${rows.length - failed.length} agree, ${failed.length} failed; Colang pending in ${pending.length}`);
  for (const r of failed) console.log(`  FAILED ${r.bench.name}: ${r.failed.join("; ")}`);
  for (const r of pending) console.log(`  pending ${r.bench.name}: Colang ${r.versions.get("colang")!.note}`);

  if (!smoke) {
    const text = section(rows, runs);
    if (write && !only) writeSection(HEADING, text);
    else console.log("\n" + text);
  }
  // Every Colang version compiles now: in smoke runs (CI) one that stops compiling is a failure.
  process.exit(failed.length > 0 || (smoke && pending.length > 0) ? 1 : 0);
}

main();
