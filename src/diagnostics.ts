// Diagnostics: the one shape every stage reports problems in, and the only
// renderer (text with source snippet and caret, or JSON). Stages never print;
// they return diagnostics, and the driver renders them.

import type { Span } from "./syntax/ast.js";

export type Severity = "error" | "warning";

export interface Note { message: string; span?: Span }

export interface Diagnostic {
  code: string; // E0xxx for errors, W0xxx for warnings; stable, listed in messages.ts
  severity: Severity;
  message: string;
  span: Span;
  notes: Note[];
  fix?: string; // a concrete change that resolves it, where one exists
  label?: string; // what the primary span is (shown under its caret when there are labels)
  labels?: Note[]; // secondary spans in the same file, shown in one snippet with the primary one
}

/** A message from the catalogue (messages.ts), not yet placed at a span. */
export interface Message { code: string; severity: Severity; message: string; fix?: string; notes?: Note[] }

export function at(m: Message, span: Span, ...notes: Note[]): Diagnostic {
  return { code: m.code, severity: m.severity, message: m.message, span, notes: [...(m.notes ?? []), ...notes], fix: m.fix };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

/** Stable order: by file, then position, then code. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) =>
    a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 :
    a.span.start - b.span.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * Line/column (1-based) of a UTF-16 offset in `src`. Columns count code
 * points, as rustc's do (docs/compiler.md, "Diagnostics"): an emoji is one
 * column, not two.
 */
export function lineCol(src: string, offset: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  const end = Math.min(offset, src.length);
  for (let i = 0; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === 10) { line++; col = 1; } else if ((c & 0xfc00) !== 0xdc00 || i === 0 || (src.charCodeAt(i - 1) & 0xfc00) !== 0xd800) col++;
  }
  return { line, col };
}

/** The UTF-16 index, in its line, of a span's start (its column counts code points). */
function lineIndex(src: string, span: Span): number {
  const s = Math.min(span.start, src.length);
  return s - (src.lastIndexOf("\n", s - 1) + 1);
}

function sourceLine(src: string, line: number): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = src.indexOf("\n", start);
    if (nl < 0) return "";
    start = nl + 1;
  }
  let end = src.indexOf("\n", start);
  if (end < 0) end = src.length;
  return src.slice(start, end).replace(/\r$/, "");
}

const MAX_SNIPPET = 160;

function snippet(src: string | undefined, span: Span, marker: string): string[] {
  if (src === undefined) return [];
  let text = sourceLine(src, span.line);
  let col = lineIndex(src, span) + 1; // UTF-16 units from here on: the lead below keeps an emoji two cells wide
  // Keep very long lines readable: show a window around the caret.
  if (text.length > MAX_SNIPPET) {
    const from = Math.max(0, col - 1 - MAX_SNIPPET / 2);
    text = (from > 0 ? "…" : "") + text.slice(from, from + MAX_SNIPPET) + "…";
    col = col - from + (from > 0 ? 1 : 0);
  }
  // Control characters (NUL etc.) would garble the terminal.
  text = text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "?");
  const lineEnd = span.start + (text.length - col + 1);
  const width = Math.max(1, Math.min(span.end, lineEnd) - span.start);
  const gutter = String(span.line).length;
  const pad = " ".repeat(gutter);
  const lead = text.slice(0, col - 1).replace(/[^\t]/g, " ");
  return [
    `${pad} |`,
    `${span.line} | ${text}`,
    `${pad} | ${lead}${marker.repeat(Math.min(width, 80))}`,
  ];
}

/** The primary span and its labels in one snippet, in line order, each mark with its message (as rustc does). */
function labeledSnippet(d: Diagnostic, src: string): { lines: string[]; indent: string } {
  const marks = [{ span: d.span, marker: "^", message: d.label ?? "" },
    ...(d.labels ?? []).filter((l) => l.span && l.span.file === d.span.file).map((l) => ({ span: l.span!, marker: "-", message: l.message }))];
  marks.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
  const lineNos = [...new Set(marks.map((m) => m.span.line))];
  const w = String(lineNos[lineNos.length - 1]).length + 1;
  const indent = " ".repeat(w);
  const out = [`${indent} |`];
  const show = (n: number) => out.push(`${String(n).padStart(w)} | ${sourceLine(src, n).replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "?")}`);
  let prev = 0;
  for (const n of lineNos) {
    if (prev && n - prev > 3) out.push("...");
    else if (prev) for (let k = prev + 1; k < n; k++) show(k);
    show(n);
    for (const m of marks.filter((x) => x.span.line === n)) {
      const text = sourceLine(src, n);
      const col = lineIndex(src, m.span) + 1;
      const lineEnd = m.span.start + (text.length - col + 1);
      const width = Math.max(1, Math.min(m.span.end, lineEnd) - m.span.start);
      const lead = text.slice(0, col - 1).replace(/[^\t]/g, " ");
      out.push(`${indent} | ${lead}${m.marker.repeat(Math.min(width, 80))}${m.message ? " " + m.message : ""}`);
    }
    prev = n;
  }
  return { lines: out, indent };
}

export function renderDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const out: string[] = [];
  out.push(`${d.severity} ${d.code}: ${d.message}`);
  out.push(`  --> ${d.span.file}:${d.span.line}:${d.span.col}`);
  const src = sources.get(d.span.file);
  if (d.labels?.length && src !== undefined) {
    const { lines, indent } = labeledSnippet(d, src);
    out.push(...lines);
    for (const n of d.labels.filter((l) => !l.span || l.span.file !== d.span.file)) out.push(`${indent} = note: ${n.message}`);
    for (const n of d.notes) out.push(`${indent} = note: ${n.message}`);
    if (d.fix) out.push(`${indent} = fix: ${d.fix}`);
    return out.join("\n");
  }
  out.push(...snippet(src, d.span, "^").map((l) => "  " + l));
  for (const n of d.notes) {
    if (n.span) {
      out.push(`  note: ${n.message}`);
      out.push(`    --> ${n.span.file}:${n.span.line}:${n.span.col}`);
      out.push(...snippet(sources.get(n.span.file), n.span, "-").map((l) => "    " + l));
    } else {
      out.push(`  = note: ${n.message}`);
    }
  }
  if (d.fix) out.push(`  = fix: ${d.fix}`);
  return out.join("\n");
}

export function renderAll(ds: Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const sorted = sortDiagnostics(ds);
  const parts = sorted.map((d) => renderDiagnostic(d, sources));
  const errs = sorted.filter((d) => d.severity === "error").length;
  const warns = sorted.length - errs;
  if (errs > 0 || warns > 0) {
    const bits: string[] = [];
    if (errs) bits.push(`${errs} error${errs === 1 ? "" : "s"}`);
    if (warns) bits.push(`${warns} warning${warns === 1 ? "" : "s"}`);
    parts.push(bits.join(", "));
  }
  return parts.join("\n\n") + "\n";
}

export function toJson(ds: Diagnostic[]): object[] {
  return sortDiagnostics(ds).map((d) => ({
    code: d.code, severity: d.severity, message: d.message,
    file: d.span.file, line: d.span.line, col: d.span.col, start: d.span.start, end: d.span.end,
    notes: [...(d.labels ?? []), ...d.notes].map((n) => ({ message: n.message, ...(n.span ? { file: n.span.file, line: n.span.line, col: n.span.col } : {}) })),
    ...(d.label ? { label: d.label } : {}),
    ...(d.fix ? { fix: d.fix } : {}),
  }));
}
