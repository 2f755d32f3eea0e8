// Robustness fuzzer for the front end and the C emitter: feeds mutated Colang
// sources to driver.frontEnd() in worker threads and fails on any exception
// (an internal compiler error) or on any input that takes longer than the
// time limit. Inputs are a pure function of (seed, index), so a failure is
// reproduced with `--seed S --only I`; failing inputs are also saved under
// build/fuzz-failures/.
//
//   node dist/scripts/fuzz/fuzz.js [--count N] [--seed S|random] [--workers W] [--timeout-ms MS] [--only I]

import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { rmSync, mkdtempSync } from "node:fs";
import { cKey, checkC } from "./ccheck.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const DRIVER = process.env.COLANG_FUZZ_DRIVER ? resolve(process.env.COLANG_FUZZ_DRIVER) : join(ROOT, "dist/src/driver.js"); // override: testing the fuzzer itself
const FAILURES = join(ROOT, "build/fuzz-failures");
const ENTRY = "fuzz.co";

// ---------- the contract we fuzz (dist/src/driver.js) ----------
interface FrontEndOpts { entry: string; files?: Map<string, string>; emit?: boolean; test?: boolean }
interface FrontEndResult { diagnostics: unknown[]; c: string | null }
type FrontEnd = (opts: FrontEndOpts) => FrontEndResult;

async function loadFrontEnd(): Promise<FrontEnd> {
  const mod = (await import(pathToFileURL(DRIVER).href)) as { frontEnd?: FrontEnd };
  if (typeof mod.frontEnd !== "function") throw new Error(`${relative(ROOT, DRIVER)} does not export frontEnd()`);
  return mod.frontEnd;
}

// ---------- deterministic randomness ----------
function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16; h = Math.imul(h, 0x7feb352d); h ^= h >>> 15; h = Math.imul(h, 0x846ca68b); h ^= h >>> 16;
  return h >>> 0;
}
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------- corpus ----------
// Used on top of the test programs, so the fuzzer has material before tests exist.
const BUILTIN_SEEDS = [
  `fn main() { println("Hello from Colang!") }\n`,
  `struct Point { x: int, y: int }\nimpl Point {\n  fn sum(self): int { return self.x + self.y }\n  fn bump(mut self) { self.x += 1 }\n}\nfn main() {\n  var p = Point { x: 1, y: 2 }\n  p.bump()\n  println("p = {p.sum()}")\n}\n`,
  `enum Shape { Circle(radius: float), Rect(w: float, h: float), Empty }\nfn area(s: Shape): float {\n  return match s {\n    Circle(r) => 3.14 * r * r,\n    Rect(w, h) if w == h => w * w,\n    Rect(w, h) => w * h,\n    _ => 0.0,\n  }\n}\nfn main() { println("{area(Circle(2.0))}") }\n`,
  `fn fib(n: int): int { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }\nfn main() {\n  var total = 0\n  for i in 0..20 { total += fib(i) }\n  let label = if total > 100 { "big" } else { "small" }\n  println("{total} {label}")\n}\n`,
  `fn main() {\n  var v: Vec<int> = []\n  for i in 0..=10 { v.push(i * i) }\n  var m: Map<string, int> = {}\n  m.set("a", 1)\n  let x = m.get("b") ?? 0\n  for (k, n) in m { println("{k}={n}") }\n  let s = v.map(|x| x + 1).filter(|x| x % 2 == 0)\n  println(s.join(", "))\n  let o: int? = none\n  if let y = o { println("{y}") } else { println("none {x}") }\n}\n`,
  `import std/time\nasync fn work(ms: int): int { await time.sleep(ms) return ms }\nasync fn main() {\n  let (a, b) = await all(work(1), work(2))\n  spawn work(3)\n  region { let t = "tmp {a}" println(t) }\n}\ntest "adds" { assert(1 + 1 == 2) }\n`,
  `trait Show { fn show(self): string }\nstruct Pair<A, B> { a: A, b: B }\nfn first<T: Show>(items: Vec<T>): string { return items[0].show() }\nconst MAX = 1_000\nvar count = 0x1f\nfn main() { let f = fn(x: int): int { return x * 2 } println("{f(MAX)} \\{ \\" ") }\n`,
  `fn parse(s: string): Result<int, string> {\n  let n = s.parseInt()\n  if n == none { return Err("bad {s}") }\n  return Ok(n!)\n}\nfn twice(s: string): Result<int, string> { let n = parse(s)? return Ok(n * 2) }\nfn main() { match twice("21") { Ok(n) => println("{n}"), Err(e) => eprintln(e) } }\n`,
];

const TOKENS = [
  ..."fn async await spawn let var const struct enum impl trait pub import as if else while for in break continue return match region test true false none and or not mut self extern".split(" "),
  ..."( ) { } [ ] < > , ; : . .. ..= => -> = == != < <= > >= + - * / % & | ^ << >> ~ ! ? ?? += -= *= /= %= <<= >>= && || @ # $ ` \\ '".split(" "),
  "\n", "\n\n", " ", "\t", "\r\n", "\"", "\"\"\"", "{", "}", "//", "/*", "*/", "\\{", "\\u{1F600}", "\\q",
  "0", "1", "-1", "42", "1_000", "0xff", "0b1010", "0x", "0b", "1e", "1e-9", "3.14", ".5", "1.", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999999",
  "\"a{x}b\"", "\"{\"", "\"}\"", "\"{}\"", "\"{1 + \"", "\"\"\"raw\n{x}\"\"\"", "x", "y", "main", "int", "i8", "u64", "float", "f32", "bool", "string", "Vec<int>", "Map<string, int>", "Set<int>", "Result<int, string>", "int?", "(int, string)", "fn(int): int",
  "println(", "println(x)", "Ok(", "Err(", "Vec()", "Map()", "|x| x", "|a, b|", "x!", "x?", "as int", "as u8", "std/http", "std/time", "./lib/x", "_", "User { id: 1 }", "Point", "T", "<T: Show>", "'c'",
  "é", "日本", "😀", "\u200b", "\ufeff",
];

const NUMBERS = ["0", "1", "-1", "2", "255", "256", "127", "-128", "65535", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551615", "0.0", "-0.0", "1e308", "1e309", "5e-324", "0x7fffffffffffffff", "0b1", "1_0"];
const OPERATORS = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or", "&", "|", "^", "<<", ">>", "??", "+=", "="];
const TYPES = ["int", "float", "bool", "string", "i8", "i16", "i32", "u8", "u16", "u32", "u64", "f32", "int?", "Vec<int>", "Map<string, int>", "(int, int)", "fn(int): int", "Result<int, string>"];

function loadCorpus(): { seeds: string[]; libs: Map<string, string> } {
  const seeds = [...BUILTIN_SEEDS];
  const libs = new Map<string, string>();
  const add = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      // Seeds over 16 KB (the 10,000-term chain) take seconds per mutant on a loaded machine, past the
      // per-input limit; their own golden programs test them.
      if (f.endsWith(".co") && statSync(p).isFile() && statSync(p).size <= 16_384) seeds.push(readFileSync(p, "utf8"));
    }
  };
  add(join(ROOT, "tests/programs"));
  add(join(ROOT, "tests/errors"));
  add(join(ROOT, "examples"));
  // Helper modules that programs import (./lib/x), offered in the virtual file system.
  const walkLib = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      // lstat: fixtures hold symbolic links (tests/programs/fs_realpath_fixture: a dangling one, one out of
      // the tree), which are data for their programs, not modules to walk into.
      const st = lstatSync(p);
      if (st.isDirectory()) walkLib(p);
      else if (st.isFile() && f.endsWith(".co")) libs.set(relative(join(ROOT, "tests/programs"), p).split("\\").join("/"), readFileSync(p, "utf8"));
    }
  };
  // The standard library, at the paths the module loader looks for it (a missing std/runtime.co made
  // every program using runtime.stats() fail in the fuzzer only).
  const std = join(ROOT, "std");
  for (const f of existsSync(std) ? readdirSync(std).sort() : []) if (f.endsWith(".co")) libs.set(join(std, f), readFileSync(join(std, f), "utf8"));
  for (const d of existsSync(join(ROOT, "tests/programs")) ? readdirSync(join(ROOT, "tests/programs")) : []) {
    const p = join(ROOT, "tests/programs", d);
    if (lstatSync(p).isDirectory()) walkLib(p);
  }
  return { seeds, libs };
}

// ---------- mutations ----------
export interface Input { source: string; test: boolean; recipe: string[] }

export function generate(seed: number, index: number, seeds: readonly string[]): Input {
  const r = rng(mix(seed, index));
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  let s = pick(seeds);
  const recipe: string[] = [];
  const range = (): [number, number] => {
    const a = int(s.length + 1);
    const len = r() < 0.7 ? int(8) + 1 : int(Math.max(1, s.length / 4)) + 1;
    return [a, Math.min(s.length, a + len)];
  };
  // A few inputs go through unmutated; single small mutations dominate, since
  // they are the ones that still parse and reach the checker and the emitter.
  const steps = r() < 0.05 ? 0 : r() < 0.5 ? 1 : 1 + int(4);
  // Replace the n-th match of `re` (chosen at random) by what `to` returns.
  const replaceOne = (re: RegExp, to: (m: string) => string, what: string): void => {
    const ms = [...s.matchAll(re)];
    if (!ms.length) { recipe.push(`${what} (nothing to replace)`); return; }
    const m = pick(ms);
    const rep = to(m[0]);
    s = s.slice(0, m.index) + rep + s.slice(m.index! + m[0].length);
    recipe.push(`${what}: ${JSON.stringify(m[0])} -> ${JSON.stringify(rep)} at ${m.index}`);
  };
  for (let k = 0; k < steps; k++) {
    switch (int(12)) {
      case 8: replaceOne(/\b\d[\d_]*(\.\d+)?\b/g, () => pick(NUMBERS), "number"); break;
      case 9: replaceOne(/==|!=|<=|>=|\+=|-=|&&|\|\||[-+*\/%<>]|\band\b|\bor\b/g, () => pick(OPERATORS), "operator"); break;
      case 10: { const ids = [...new Set(s.match(/\b[A-Za-z_]\w*\b/g) ?? [])]; replaceOne(/\b[A-Za-z_]\w*\b/g, () => (ids.length ? pick(ids) : "x"), "identifier"); break; }
      case 11: replaceOne(/\b(int|float|bool|string|i8|i16|i32|u8|u16|u32|u64|f32)\b/g, () => pick(TYPES), "type"); break;
      case 0: { const [a, b] = range(); s = s.slice(0, a) + s.slice(b); recipe.push(`delete ${a}..${b}`); break; }
      case 1: { const [a, b] = range(); const at = int(s.length + 1); s = s.slice(0, at) + s.slice(a, b) + s.slice(at); recipe.push(`duplicate ${a}..${b} at ${at}`); break; }
      case 2: {
        let [a, b] = range(), [c, d] = range();
        if (c < a) [a, b, c, d] = [c, d, a, b];
        if (b > c) { recipe.push("swap (overlap, skipped)"); break; }
        s = s.slice(0, a) + s.slice(c, d) + s.slice(b, c) + s.slice(a, b) + s.slice(d);
        recipe.push(`swap ${a}..${b} with ${c}..${d}`);
        break;
      }
      case 3: case 4: {
        const n = 1 + int(5);
        for (let t = 0; t < n; t++) { const at = int(s.length + 1); s = s.slice(0, at) + pick(TOKENS) + s.slice(at); }
        recipe.push(`insert ${n} tokens`);
        break;
      }
      case 5: { const o = pick(seeds); const a = int(s.length + 1), b = int(o.length + 1); s = s.slice(0, a) + o.slice(b); recipe.push(`splice at ${a}/${b}`); break; }
      case 6: { const at = int(s.length + 1); s = s.slice(0, at); recipe.push(`truncate at ${at}`); break; }
      case 7: {
        const n = 1 + int(6);
        let junk = "";
        for (let t = 0; t < n; t++) {
          const kind = int(6);
          junk += kind === 0 ? "\0" : kind === 1 ? "\ud800" : kind === 2 ? "\udfff" : kind === 3 ? "\ufffd" : kind === 4 ? String.fromCharCode(int(32)) : String.fromCharCode(int(0x10000));
        }
        const at = int(s.length + 1);
        s = s.slice(0, at) + junk + s.slice(at);
        recipe.push(`insert ${n} raw chars at ${at}`);
        break;
      }
    }
  }
  return { source: s, test: r() < 0.2, recipe };
}

/** Returns the C the input was emitted to, or null if the front end rejected it. */
function check(frontEnd: FrontEnd, input: Input, libs: Map<string, string>): string | null {
  const files = new Map(libs);
  files.set(ENTRY, input.source);
  const res = frontEnd({ entry: ENTRY, files, emit: true, test: input.test });
  if (!res || !Array.isArray(res.diagnostics) || !(res.c === null || typeof res.c === "string")) {
    throw new Error("frontEnd returned something other than { diagnostics: Diagnostic[], c: string | null }");
  }
  return res.c;
}

// ---------- worker ----------
/** A timed-out input is run again alone with this many times the limit before it counts as a hang. */
const CONFIRM_FACTOR = 10;

interface WorkerJob { seed: number; from: number; step: number; count: number; seeds: string[]; libs: [string, string][]; keepC: boolean }
type FromWorker =
  | { t: "ready" }
  | { t: "start"; i: number }
  | { t: "fail"; i: number; error: string }
  | { t: "c"; i: number; key: string; c: string }
  | { t: "end"; emitted: number };

async function workerMain(): Promise<void> {
  const job = workerData as WorkerJob;
  const post = (m: FromWorker): void => parentPort!.postMessage(m);
  const frontEnd = await loadFrontEnd();
  const libs = new Map(job.libs);
  post({ t: "ready" });
  let emitted = 0;
  const seen = new Set<string>();
  for (let i = job.from; i < job.count; i += job.step) {
    const input = generate(job.seed, i, job.seeds);
    post({ t: "start", i });
    try {
      const c = check(frontEnd, input, libs);
      if (c !== null) {
        emitted++;
        if (job.keepC) {
          const { key, text } = cKey(c);
          if (!seen.has(key)) { seen.add(key); post({ t: "c", i, key, c: text }); }
        }
      }
    } catch (e) {
      post({ t: "fail", i, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }
  post({ t: "end", emitted });
}

// ---------- main ----------
interface Args { count: number; seed: number; workers: number; timeoutMs: number; only: number | null; quiet: boolean; compilers: string[] }

function parseArgs(argv: string[]): Args {
  const a: Args = { count: 20000, seed: 1, workers: 2, timeoutMs: 2000, only: null, quiet: false, compilers: ["gcc", "clang"] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes("=") ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const val = (): string => inline ?? argv[++i] ?? "";
    switch (flag) {
      case "--count": a.count = Number(val()); break;
      case "--seed": { const v = val(); a.seed = v === "random" ? (Math.random() * 2 ** 31) >>> 0 : Number(v); break; }
      case "--workers": case "--jobs": a.workers = Math.max(1, Number(val()) || 1); break;
      case "--timeout-ms": a.timeoutMs = Number(val()); break;
      case "--only": a.only = Number(val()); break;
      case "--quiet": a.quiet = true; break;
      case "--no-c": a.compilers = []; break;
      case "--c-compilers": a.compilers = val().split(",").filter(Boolean); break;
      default: process.stderr.write(`fuzz: unknown argument ${argv[i]}\nusage: fuzz [--count N] [--seed S|random] [--workers W] [--timeout-ms MS] [--only I] [--no-c] [--c-compilers gcc,clang]\n`); process.exit(2);
    }
  }
  if (!Number.isInteger(a.count) || !Number.isInteger(a.seed) || a.count < 0) { process.stderr.write("fuzz: --count and --seed take integers\n"); process.exit(2); }
  return a;
}

function save(seed: number, input: Input, index: number, kind: string, error: string): string {
  mkdirSync(FAILURES, { recursive: true });
  const base = join(FAILURES, `seed${seed}-${index}`);
  writeFileSync(base + ".co", input.source); // lone surrogates become U+FFFD here; the .json keeps them exactly
  writeFileSync(base + ".json", JSON.stringify({ seed, index, kind, test: input.test, recipe: input.recipe, error, source: input.source }, null, 1) + "\n");
  return relative(ROOT, base) + ".co";
}

async function runOnly(a: Args, seeds: string[], libs: Map<string, string>): Promise<void> {
  const input = generate(a.seed, a.only!, seeds);
  console.log(`input #${a.only} (seed ${a.seed}, test=${input.test}): ${input.recipe.join("; ") || "unmutated"}`);
  console.log(JSON.stringify(input.source.length > 2000 ? input.source.slice(0, 2000) + "…" : input.source));
  const frontEnd = await loadFrontEnd();
  const t0 = Date.now();
  try { const e = check(frontEnd, input, libs); console.log(`ok (${Date.now() - t0} ms${e ? ", C emitted" : ""})`); } catch (e) {
    console.log(`FAILED (${Date.now() - t0} ms): ${e instanceof Error ? e.stack : String(e)}`);
    console.log(`saved: ${save(a.seed, input, a.only!, "exception", String(e instanceof Error ? e.stack : e))}`);
    process.exitCode = 1;
  }
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const { seeds, libs } = loadCorpus();
  if (a.only !== null) return runOnly(a, seeds, libs);
  if (!existsSync(DRIVER)) {
    console.log(`fuzz: ${relative(ROOT, DRIVER)} is missing (build the compiler first)`);
    console.log("fuzz: 0 passed, 1 failed");
    process.exitCode = 1;
    return;
  }
  console.log(`fuzz: ${a.count} inputs, seed ${a.seed}, ${a.workers} workers, ${seeds.length} seed programs, limit ${a.timeoutMs} ms per input`);
  const t0 = Date.now();
  let processed = 0, failed = 0, printed = 0, fatal = false, emitted = 0;
  const MAX_PRINTED = 25;
  const report = (i: number, kind: string, error: string): void => {
    failed++;
    const path = save(a.seed, generate(a.seed, i, seeds), i, kind, error);
    if (printed++ < MAX_PRINTED) {
      const first = error.split("\n").slice(0, kind === "exception" ? 4 : 1).join("\n      ");
      console.log(`FAIL fuzz #${i} ${kind}: ${first}\n      reproduce: node dist/scripts/fuzz/fuzz.js --seed ${a.seed} --only ${i}   (input: ${path})`);
    } else if (printed === MAX_PRINTED + 1) console.log("(further failures only saved under build/fuzz-failures/)");
  };
  let lastProgress = Date.now();
  const slow: number[] = [];
  // One input in a worker of its own; null when it passes within limitMs.
  const runAlone = (i: number, limitMs: number): Promise<{ kind: string; error: string } | null> => new Promise((done) => {
    const job: WorkerJob = { seed: a.seed, from: i, step: 1, count: i + 1, seeds, libs: [...libs], keepC: false };
    const worker = new Worker(new URL(import.meta.url), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 1536, stackSizeMb: 512 } });
    let result: { kind: string; error: string } | null = null, settled = false;
    const settle = (r: { kind: string; error: string } | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate().then(() => done(r));
    };
    const hung = () => settle({ kind: "timeout", error: `took longer than ${a.timeoutMs} ms, and ${limitMs} ms run alone` });
    let timer = setTimeout(hung, limitMs + 120_000); // the worker loads the compiler first
    worker.on("message", (m: FromWorker) => {
      if (m.t === "start") { clearTimeout(timer); timer = setTimeout(hung, limitMs); }
      else if (m.t === "fail") result = { kind: "exception", error: m.error };
      else if (m.t === "end") settle(result);
    });
    worker.on("error", (e) => settle({ kind: "worker crashed", error: e.stack ?? String(e) }));
    worker.on("exit", () => settle(result ?? { kind: "worker exited", error: "the worker thread exited" }));
  });
  const cFiles = new Map<string, string>(), cIndex = new Map<string, number>();

  const shard = (w: number, from: number): Promise<void> => new Promise((done) => {
    if (from >= a.count) { done(); return; }
    const job: WorkerJob = { seed: a.seed, from, step: a.workers, count: a.count, seeds, libs: [...libs], keepC: a.compilers.length > 0 };
    // The stack the CLI reruns itself with (src/bigstack.ts) when a long operator chain exhausts Node's default one.
    const worker = new Worker(new URL(import.meta.url), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 1536, stackSizeMb: 512 } });
    let current = -1, startedAt = 0, finished = false;
    const finish = (next: number | null): void => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      if (next === null) done();
      else void worker.terminate().then(() => shard(w, next)).then(done);
    };
    const watchdog = setInterval(() => {
      if (current >= 0 && Date.now() - startedAt > a.timeoutMs) {
        slow.push(current); // confirmed (or not) alone at the end: a loaded machine makes a slow input look hung
        processed++;
        finish(current + a.workers);
      }
    }, 50);
    worker.on("message", (m: FromWorker) => {
      if (finished) return;
      if (m.t === "start") {
        if (current >= 0) processed++;
        current = m.i; startedAt = Date.now();
        if (!a.quiet && Date.now() - lastProgress > 10_000) {
          lastProgress = Date.now();
          console.log(`  … ${processed}/${a.count} (${failed} failed, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        }
      } else if (m.t === "fail") report(m.i, "exception", m.error);
      else if (m.t === "c") { if (!cFiles.has(m.key)) { cFiles.set(m.key, m.c); cIndex.set(m.key, m.i); } }
      else if (m.t === "end") { if (current >= 0) processed++; emitted += m.emitted; current = -1; finish(null); }
    });
    worker.on("error", (e) => {
      if (finished) return;
      if (current >= 0) {
        // Out of memory or a crash of the thread while on one input.
        report(current, "worker crashed", e.stack ?? String(e));
        processed++;
        finish(current + a.workers);
      } else {
        console.log(`fuzz: worker could not start: ${e.stack ?? e}`);
        fatal = true;
        finish(null);
      }
    });
    worker.on("exit", () => { if (!finished) { fatal = current < 0; if (current >= 0) { report(current, "worker exited", "the worker thread exited"); processed++; finish(current + a.workers); } else finish(null); } });
  });

  await Promise.all(Array.from({ length: Math.min(a.workers, Math.max(1, a.count)) }, (_, w) => shard(w, w)));
  // Inputs that outran the limit, each run again alone with CONFIRM_FACTOR times the limit: a real
  // hang (the front end never ends) fails again; one the machine's load slowed down passes.
  let slowOk = 0;
  for (const i of slow) {
    const r = await runAlone(i, a.timeoutMs * CONFIRM_FACTOR);
    if (r === null) slowOk++;
    else report(i, r.kind, r.error);
  }
  const secs = (Date.now() - t0) / 1000;
  console.log(`(${processed} inputs in ${secs.toFixed(1)} s, ${(processed / Math.max(secs, 0.001)).toFixed(0)}/s; about ${emitted} went through to the C emitter, ${cFiles.size} distinct C files${slow.length ? `; ${slow.length} over ${a.timeoutMs} ms, of which ${slowOk} finished alone within ${a.timeoutMs * CONFIRM_FACTOR} ms` : ""})`);
  if (fatal) failed++;
  // One test for the front end, one per C compiler: the suite's total counts checks, not inputs.
  let passed = failed ? 0 : 1, testsFailed = failed ? 1 : 0;
  if (a.compilers.length && cFiles.size) {
    const dir = mkdtempSync(join(tmpdir(), "coc-fuzz-c-"));
    try {
      for (const cc of a.compilers) {
        const [r] = await checkC(cFiles, [cc], dir, a.workers); // one compiler at a time: its line appears as soon as it is done
        if (r.missing) { console.log(`(C check: ${r.cc} ${r.missing}; skipped)`); continue; }
        console.log(`(C check: ${r.checked} files with ${r.cc} -fsyntax-only -Werror in ${r.seconds.toFixed(1)} s: ${r.failures.length} failed)`);
        for (const f of r.failures) {
          const i = cIndex.get(f.key)!;
          const saved = save(a.seed, generate(a.seed, i, seeds), i, `C rejected by ${r.cc}`, f.error);
          writeFileSync(join(FAILURES, `seed${a.seed}-${i}.c`), cFiles.get(f.key)!);
          if (printed++ < MAX_PRINTED) console.log(`FAIL fuzz #${i} C rejected by ${r.cc}: ${f.error.replace(dir + "/", "")}\n      reproduce: node dist/scripts/fuzz/fuzz.js --seed ${a.seed} --only ${i}   (input: ${saved})`);
        }
        if (r.failures.length) testsFailed++; else passed++;
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }
  console.log(`fuzz: ${passed} passed, ${testsFailed} failed`);
  process.exitCode = testsFailed ? 1 : 0;
}

if (isMainThread) await main();
else await workerMain();
