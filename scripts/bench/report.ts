// What the benchmark runners share (scripts/bench/run.ts, memory.ts,
// compile-speed.ts, http/run.ts): medians, the number formats of the tables,
// Markdown tables, and replacing one "## " section of docs/benchmarks.md.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const DOC = join(resolve(dirname(fileURLToPath(import.meta.url)), "../../.."), "docs/benchmarks.md");

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const fmtTime = (s: number): string => (s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(0)} ms`);
export const fmtRss = (kib: number): string => { const mib = kib / 1024; return mib >= 100 ? `${mib.toFixed(0)} MiB` : `${mib.toFixed(1)} MiB`; };
export const fmtRatio = (r: number): string => `${r.toFixed(2)}×`;
export const fmtBytes = (b: number): string => `${Math.round(b).toLocaleString("en-US")} B`;

/** A Markdown table: header cells, alignment cells ("---", "---:"), rows. */
export const table = (head: string[], align: string[], rows: string[][]): string[] =>
  [`| ${head.join(" | ")} |`, `| ${align.join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];

/** Replaces the section starting at `heading` (up to the next "## ") with `text`, or appends it. */
export function writeSection(heading: string, text: string, who = "bench"): void {
  let doc = existsSync(DOC) ? readFileSync(DOC, "utf8") : "# Benchmarks\n\nNumbers measured on this project's machines; each section says how to reproduce it.\n";
  const start = doc.indexOf(heading + "\n");
  if (start >= 0) {
    const next = doc.slice(start + heading.length).search(/\n## /);
    const end = next < 0 ? doc.length : start + heading.length + next + 1;
    doc = doc.slice(0, start) + text + (end < doc.length ? "\n" + doc.slice(end) : "");
  } else {
    doc = doc.replace(/\n*$/, "\n\n") + text;
  }
  writeFileSync(DOC, doc);
  console.log(`\n${who}: wrote the "${heading.slice(3)}" section of docs/benchmarks.md`);
}
