// Error-golden runner: every tests/errors/NAME.co states the diagnostics the
// compiler must report for it, inline, and the compiler must report exactly
// those (severity, code, line, column) — no more, no fewer:
//
//   let x: int = "a"     // error: E0201 at 3:14
//   // warning: W0001 at 5:3
//   // error: E0102 at lib/x.co:2:1      (a diagnostic in another file)
//
//   node dist/tests/run-errors.js [--jobs N] [--filter SUBSTR] [--verbose]
//
// The front end runs in worker threads (tests/frontend-pool.ts), once per
// program: one run gives both what `coc check --json` prints (the exact set)
// and what `coc check` prints (the rendered text), with the CLI's exit code.
// Every 16th program also goes through the CLI itself, whose output must be
// byte for byte the same. A NAME.rendered beside a program holds the whole
// text `coc check` must print for it (a rendering the design pins).
//
// Without --dir it also runs the programs of the escape corpus
// (tests/memory/escape) that state diagnostics: the ones the memory rules
// reject at compile time (the others there are golden programs).

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { discover, isErrorProgram, pool, run, shortDiff, type ProcResult } from "./run-programs.js";
import { FrontEndPool, type FrontEndReply } from "./frontend-pool.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let ERRORS = join(ROOT, "tests/errors"); // --dir: another folder of the same shape
/** Folders whose programs are run here only when they state diagnostics (see isErrorProgram). */
const MIXED_DIRS = [join(ROOT, "tests/memory/escape")];
const COC = join(ROOT, "bin/coc.js");
// A C warning in generated code fails the build here (a user build only reports it; docs/reliability.md).
process.env.COLANG_STRICT_C ??= "1";
const TIMEOUT_MS = 30_000;

interface Expected { severity: "error" | "warning"; code: string; file: string; line: number; col: number }

const EXPECT = /\/\/\s*(error|warning):\s*([EW]\d{4})\s+at\s+(?:(\S+?):)?(\d+):(\d+)/g;

export function expectations(name: string, src: string): Expected[] {
  const out: Expected[] = [];
  for (const m of src.matchAll(EXPECT)) {
    out.push({ severity: m[1] as Expected["severity"], code: m[2], file: m[3] ?? `${name}.co`, line: Number(m[4]), col: Number(m[5]) });
  }
  return out;
}

const key = (d: { severity: string; code: string; file: string; line: number; col: number }, main: string): string =>
  `${d.severity} ${d.code} at ${d.file === main ? "" : d.file + ":"}${d.line}:${d.col}`;

function head(text: string, n = 10): string[] {
  const ls = text.replace(/\s+$/, "").split("\n");
  return ls.slice(0, n).map((l) => "  | " + l).concat(ls.length > n ? [`  | … (${ls.length - n} more lines)`] : []);
}

const crashed = (r: ProcResult): string | null =>
  r.timedOut ? `timed out after ${TIMEOUT_MS / 1000} s` :
  r.error ? `could not start: ${r.error}` :
  r.signal ? `killed by ${r.signal}` :
  r.code === 70 || /internal compiler error/i.test(r.stderr + r.stdout) ? `internal compiler error (exit ${r.code})` :
  null;

/** The CLI's two outputs, as the front-end worker computed them. */
function asCli(f: FrontEndReply): { json: ProcResult; text: ProcResult } {
  const base = { signal: null, timedOut: f.code === -1 };
  return {
    json: { ...base, code: f.code, stdout: f.json, stderr: f.ice ?? "" },
    text: { ...base, code: f.code, stdout: "", stderr: f.text },
  };
}

async function check(name: string, dir: string, fe: FrontEndPool, viaCli: boolean): Promise<string[]> {
  const main = `${name}.co`;
  const src = readFileSync(join(dir, main), "utf8");
  const want = expectations(name, src);
  const wantErrors = want.some((w) => w.severity === "error");
  const problems: string[] = [];

  const inProcess = asCli(await fe.run({ kind: "check", entry: main, dir }));
  let j = inProcess.json, t = inProcess.text;
  if (viaCli) {
    // The sample that also goes through `coc check`: the CLI must print exactly what the worker computed.
    j = await run(process.execPath, [COC, "check", "--json", main], { cwd: dir, timeoutMs: TIMEOUT_MS });
    t = await run(process.execPath, [COC, "check", main], { cwd: dir, timeoutMs: TIMEOUT_MS });
    for (const [mode, cli, mine] of [["check --json", j, inProcess.json], ["check", t, inProcess.text]] as const) {
      if (crashed(cli) && crashed(mine)) continue; // reported below, from the CLI's output
      if (cli.code !== mine.code || cli.stdout !== mine.stdout || cli.stderr !== mine.stderr) {
        problems.push(`\`coc ${mode}\` (exit ${cli.code}) differs from the front end run in-process (exit ${mine.code}); ` +
          shortDiff(mine.stdout + mine.stderr, cli.stdout + cli.stderr).join("\n"));
      }
    }
  }

  // JSON mode: the exact set.
  const jc = crashed(j);
  if (jc) return [`check --json: ${jc}`, ...head(j.stderr + j.stdout)];
  let got: { severity: string; code: string; file: string; line: number; col: number; message?: string }[];
  try {
    got = JSON.parse(j.stdout);
    if (!Array.isArray(got)) throw new Error("not an array");
  } catch (e) {
    return [`check --json did not print a JSON array (${(e as Error).message})`, ...head(j.stdout + j.stderr)];
  }
  const wantKeys = new Set(want.map((w) => key(w, main)));
  const gotKeys = new Map(got.map((d) => [key(d, main), d.message ?? ""]));
  for (const k of wantKeys) if (!gotKeys.has(k)) problems.push(`missing:    ${k}`);
  for (const [k, msg] of gotKeys) if (!wantKeys.has(k)) problems.push(`unexpected: ${k}  (${msg})`);
  const wantExit = wantErrors ? 1 : 0;
  if (j.code !== wantExit) problems.push(`check --json exited ${j.code}, expected ${wantExit}`);

  // Text mode: every expected diagnostic is rendered with its location and code.
  const tc = crashed(t);
  if (tc) problems.push(`check (text): ${tc}`, ...head(t.stderr + t.stdout));
  else {
    const text = t.stdout + t.stderr;
    for (const w of want) {
      const loc = `${w.file}:${w.line}:${w.col}`;
      if (!text.includes(loc) || !text.includes(w.code)) problems.push(`text output lacks ${w.code} at ${loc}`);
    }
    if (t.code !== wantExit) problems.push(`check (text) exited ${t.code}, expected ${wantExit}`);
    // NAME.rendered beside the program: the whole text output, byte for byte (a rendering the design pins).
    const rendered = join(dir, `${name}.rendered`);
    if (existsSync(rendered) && text !== readFileSync(rendered, "utf8")) problems.push(`text output differs from ${name}.rendered:`, ...shortDiff(readFileSync(rendered, "utf8"), text));
  }
  return problems;
}

/** Every CLI_EVERY-th program (and every one when filtered down to a few) also runs through `coc check`. */
const CLI_EVERY = 16;
const cliSample = (name: string, names: string[]): boolean => names.length <= CLI_EVERY || names.indexOf(name) % CLI_EVERY === 0;

async function main(): Promise<void> {
  let jobs = 2, filter = "", verbose = false, dirGiven = false;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--jobs" || a === "-j") jobs = Math.max(1, Number(argv[++i]) || 1);
    else if (a.startsWith("--jobs=")) jobs = Math.max(1, Number(a.slice(7)) || 1);
    else if (a === "--filter") filter = argv[++i] ?? "";
    else if (a.startsWith("--filter=")) filter = a.slice(9);
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--dir") { ERRORS = resolve(argv[++i] ?? "."); dirGiven = true; }
    else { process.stderr.write(`run-errors: unknown argument ${a}\n`); process.exit(2); }
  }
  const names = (existsSync(ERRORS) ? discover(ERRORS, filter) : [])
    .concat(dirGiven ? [] : MIXED_DIRS.flatMap((d) => discover(d, filter).filter((c) => isErrorProgram(join(d, c.name + ".co")))))
    .map((c) => ({ name: c.name, dir: c.dir }));
  let passed = 0, failed = 0;
  const fe = new FrontEndPool(jobs, TIMEOUT_MS);
  const all = names.map((c) => c.name);
  try {
    await pool(names, jobs, async ({ name, dir }) => {
      const problems = await check(name, dir, fe, cliSample(name, all));
      if (problems.length === 0) { passed++; if (verbose) console.log(`ok   ${name}`); return; }
      failed++;
      console.log([`FAIL errors ${name}: ${problems[0]}`, ...problems.slice(1).map((p) => "    " + p)].join("\n"));
    });
  } finally { await fe.close(); }
  if (names.length === 0) console.log(`(no programs in ${ERRORS}${filter ? ` matching "${filter}"` : ""})`);
  console.log(`errors: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
