// Proof that the memory corpora can fail (issue 9, docs/memory.md): a program
// of the escape or promotion corpus (or a tests/programs/drop_* program) that
// passed its sanitizer run is run again with each debug switch that turns a
// memory rule off. With the rule off the program should go wrong: ASan
// reports a read of freed or poisoned memory ("caught"), or, where the memory
// it shares stays alive, its output changes ("wrong"). A program the switch
// does not affect is "missed" (a program that shows a rule the switch does
// not touch — a compile-time rule, or promotion in a program of one turn —
// is expected to be missed by the other switch).
//
// Used by run-programs.ts --prove (`make test-programs-asan` and
// `make prove-memory`).

import { run, type ProcResult } from "./run-programs.js";

// `min`: the least percentage of the programs proved that the switch must catch (by ASan or by a wrong output) in
// an unfiltered run, a little below what it caught when the minimum was set (issue 9, fix9: 44%, 23%, 22%, any
// switch 79%), so that a corpus that can no longer fail fails the step.
export const SWITCHES = [
  { label: "promotion off", env: "COLANG_NO_PROMOTE", min: 40 },
  { label: "deferral off", env: "COLANG_NO_DEFER", min: 20 },
  { label: "borrow copies off", env: "COLANG_NO_BORROW_COPY", min: 18 },
] as const;
export const ANY_SWITCH_MIN = 75;
export type SwitchLabel = (typeof SWITCHES)[number]["label"];
export type Verdict = "caught" | "wrong" | "missed";

const PROVE_TIMEOUT_MS = 10_000;

function verdictOf(r: ProcResult, expectedOut: string, expectedExit: number): Verdict {
  if (/ERROR: AddressSanitizer/.test(r.stderr)) return "caught";
  if (r.timedOut || r.signal || r.code !== expectedExit || r.stdout !== expectedOut) return "wrong";
  return "missed";
}

/** Runs the built program once per switch, as it ran in its own test. */
export async function prove(exe: string, args: string[], opts: { cwd: string; input: string | Buffer; env: NodeJS.ProcessEnv },
  expectedOut: string, expectedExit: number): Promise<Map<SwitchLabel, Verdict>> {
  const out = new Map<SwitchLabel, Verdict>();
  for (const s of SWITCHES) {
    // Leaks are not what is looked for here, and a rule turned off may leak.
    const asan = (opts.env.ASAN_OPTIONS ?? "").split(":").filter((kv) => kv !== "" && !kv.startsWith("detect_leaks="));
    const env = { ...opts.env, [s.env]: "1", ASAN_OPTIONS: [...asan, "detect_leaks=0"].join(":") };
    const r = await run(exe, args, { cwd: opts.cwd, input: opts.input, timeoutMs: PROVE_TIMEOUT_MS, env });
    out.set(s.label, verdictOf(r, expectedOut, expectedExit));
  }
  return out;
}

/** The switches (and "any switch") that caught or turned wrong fewer of the programs than their minimum, as lines. */
export function proveShortfalls(results: { name: string; verdicts: Map<SwitchLabel, Verdict> }[]): string[] {
  const n = results.length;
  if (!n) return [];
  const out: string[] = [];
  const check = (label: string, k: number, min: number): void => {
    if (100 * k < min * n) out.push(`prove(${label}): ${k} of ${n} caught or wrong (${Math.round((100 * k) / n)}%), below the minimum ${min}%`);
  };
  for (const s of SWITCHES) check(s.label, results.filter((r) => r.verdicts.get(s.label) !== "missed").length, s.min);
  check("any switch", results.filter((r) => [...r.verdicts.values()].some((v) => v !== "missed")).length, ANY_SWITCH_MIN);
  return out;
}

/** The summary: per switch and for any switch, the fraction caught by ASan and caught or wrong output. */
export function proveReport(results: { name: string; verdicts: Map<SwitchLabel, Verdict> }[]): string[] {
  const lines: string[] = [];
  const n = results.length;
  const pct = (k: number): string => (n ? `${Math.round((100 * k) / n)}%` : "-");
  const line = (label: string, caught: number, wrong: number): string =>
    `prove(${label}): ${caught} of ${n} caught by ASan (${pct(caught)}); ${caught + wrong} of ${n} caught or wrong output (${pct(caught + wrong)})`;
  for (const s of SWITCHES) {
    const count = (v: Verdict): number => results.filter((r) => r.verdicts.get(s.label) === v).length;
    lines.push(line(`${s.label}, ${s.env}=1`, count("caught"), count("wrong")));
  }
  const caughtBy = results.filter((r) => [...r.verdicts.values()].includes("caught"));
  const wrongBy = results.filter((r) => !caughtBy.includes(r) && [...r.verdicts.values()].includes("wrong"));
  const missed = results.filter((r) => !caughtBy.includes(r) && !wrongBy.includes(r)).map((r) => r.name).sort();
  lines.push(line("any switch", caughtBy.length, wrongBy.length));
  if (wrongBy.length) lines.push(`  wrong output without an ASan report: ${wrongBy.map((r) => r.name).sort().join(" ")}`);
  if (missed.length) lines.push(`  missed by every switch: ${missed.join(" ")}`);
  return lines;
}
