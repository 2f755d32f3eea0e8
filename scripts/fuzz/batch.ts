// Batches for the differential campaign (scripts/fuzz/diff.ts): many
// generated programs compiled as one program, so that a build's fixed costs
// (the runtime headers parsed once per C file, the link, the sanitizer
// runtime, process start) are paid once per batch instead of once per
// program. Each program becomes a module `pS.co` (seed S) whose `main` is
// renamed `run`; the batch's main spawns one task per program, in seed
// order. A panic in a task ends only that task (docs/language.md, Async),
// so one program's panic cannot stop the next one; the tasks never await,
// so each runs to its end before the next starts and their output does not
// interleave. Before each program's output the batch prints a marker line,
// so a mismatch between builds is traced back to the seeds whose segment or
// panic line differs.

export const MARK = "== fuzz-diff seed ";

/** The module text of one generated program (`fn main()` made `pub fn run()`). */
export function asModule(program: string): string {
  const out = program.replace(/^fn main\(\) \{$/m, "pub fn run() {");
  if (out === program) throw new Error("generated program has no `fn main() {` line");
  return out;
}

/** The batch's entry module for these seeds. */
export function batchMain(seeds: number[]): string {
  const lines = ["// a fuzz-diff batch (scripts/fuzz/batch.ts)"];
  for (const s of seeds) lines.push(`import ./p${s}`);
  for (const s of seeds) lines.push(`async fn r${s}() {\n  println("${MARK}${s}")\n  p${s}.run()\n}`);
  lines.push("async fn main() {");
  for (const s of seeds) lines.push(`  spawn r${s}()`);
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** Per seed: its stdout segment and its panic lines (those naming pS.co). */
export function split(seeds: number[], stdout: string, stderr: string): Map<number, string> {
  const seg = new Map<number, string>(seeds.map((s) => [s, ""]));
  let cur: number | null = null;
  for (const line of stdout.split("\n")) {
    if (line.startsWith(MARK)) { cur = Number(line.slice(MARK.length)); continue; }
    if (cur !== null && seg.has(cur)) seg.set(cur, seg.get(cur)! + line + "\n");
  }
  for (const line of stderr.split("\n")) {
    const m = /^panic: .* at (?:.*\/)?p(\d+)\.co:\d+:\d+$/.exec(line);
    if (m && seg.has(Number(m[1]))) seg.set(Number(m[1]), seg.get(Number(m[1]))! + line + "\n");
  }
  return seg;
}
