// Slips that fail to parse and that a new user makes in any language: `=`
// for `==` in a condition, single quotes, `while let`, a doubled optional
// `int??`, a global declared without a value, `spawn { ... }`. Like habits.ts, each is
// recognised at the failure point of the peggy parse from the text around it,
// and the fix repeats the programmer's own text.

import { M } from "../messages.js";
import type { Habit } from "./habits.js";

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const MAX_FIX_TEXT = 60;

export function slipHabit(src: string, p: number, expected: string[]): Habit | null {
  const lineStart = src.lastIndexOf("\n", p - 1) + 1;
  const nl = src.indexOf("\n", p);
  const before = src.slice(lineStart, p);
  const after = src.slice(p, nl < 0 ? src.length : nl);
  return spawnBlock(src, p) ?? assignInClosure(before, after, p) ?? structVariant(src, before, after, p) ?? assignInCondition(before, after, p) ?? singleQuotes(after, p) ?? whileLet(before, after, p, lineStart)
    ?? doubleOptional(before, after, p) ?? globalWithoutValue(before, after, p, lineStart, expected);
}

/** `if x = 6 {`: `=` assigns (a statement); a condition compares with `==`. */
function assignInCondition(before: string, after: string, p: number): Habit | null {
  if (!/^=[^=]/.test(after)) return null;
  const cond = /\b(if|while)[ \t]+(.+?)[ \t]*$/.exec(before);
  if (cond === null || /^let\b/.test(cond[2])) return null;
  const rest = /^=[ \t]*([^{\n]*?)[ \t]*\{/.exec(after);
  const fixed = rest !== null ? `${cond[1]} ${cond[2]} == ${rest[1]} {` : null;
  return { msg: M.assignInCondition(cond[1], fixed !== null && fixed.length <= MAX_FIX_TEXT ? `write \`${fixed}\`` : "write `==` to compare"), start: p, end: p + 1 };
}

/** `'a'`, `'hello'`: strings are written in double quotes, and there is no character type. */
function singleQuotes(after: string, p: number): Habit | null {
  const q = /^'([^'\n]*)'/.exec(after);
  if (after[0] !== "'") return null;
  const body = q?.[1] ?? null;
  const fix = body !== null && body.length <= MAX_FIX_TEXT ? `write \`"${body.replace(/"/g, "\\\"")}"\`` : "write the string in double quotes";
  return { msg: { ...M.singleQuotes(body !== null && [...body].length === 1), fix }, start: p, end: p + (q ? q[0].length : 1) };
}

/** `while let x = v.pop() {`: a loop that tests the pattern and breaks when it fails. */
function whileLet(before: string, after: string, p: number, lineStart: number): Habit | null {
  if (!/^let\b/.test(after)) return null;
  const w = /\bwhile[ \t]+$/.exec(before);
  if (w === null) return null;
  const m = /^let[ \t]+(.+?)[ \t]*=[ \t]*([^{\n]+?)[ \t]*\{/.exec(after);
  const form = m !== null && m[1].length + m[2].length <= MAX_FIX_TEXT
    ? `while true { if let ${m[1]} = ${m[2]} { ... } else { break } }` : "while true { if let PATTERN = value { ... } else { break } }";
  const at = lineStart + w.index;
  return { msg: M.whileLet(`write \`${form}\` (or \`while true { match value { ... } }\` with an arm that breaks)`), start: at, end: p + 3 };
}

/** `x: int??`: one optional level is all there is. */
function doubleOptional(before: string, after: string, p: number): Habit | null {
  if (!after.startsWith("??")) return null;
  const t = new RegExp(`[:<,(][ \\t]*(${NAME}(?:\\.${NAME})*(?:<[^\\n;=]*>)?\\??)$`).exec(before);
  if (t === null) return null;
  const base = t[1].replace(/\?$/, "");
  return { msg: M.doubleOptional(`${t[1]}??`, `write \`${base}?\``), start: p - t[1].length, end: p + 2 };
}

/** `var g: Cfg` at the top level: a global is created with its value, there is no default. */
function globalWithoutValue(before: string, after: string, p: number, lineStart: number, expected: string[]): Habit | null {
  if (!expected.includes("`=`") || after.trim() !== "" && !after.trimStart().startsWith("//")) return null;
  const g = new RegExp(`^(pub[ \\t]+)?(var|let)[ \\t]+(${NAME})[ \\t]*:[ \\t]*(.+?)[ \\t]*$`).exec(before);
  if (g === null) return null;
  const type = g[4];
  const value = /\?$/.test(type) ? "none" : /^(int|i\d+|u\d+)$/.test(type) ? "0" : /^(float|f32|f64)$/.test(type) ? "0.0" : type === "string" ? "\"\""
    : type === "bool" ? "false" : /^Vec</.test(type) ? "[]" : /^(Map|Set)</.test(type) ? (type.startsWith("Map") ? "{}" : `${type}()`)
    : new RegExp(`^${NAME}$`).test(type) ? `${type} { ... }` : "...";
  return { msg: M.globalWithoutValue(g[3], `write \`${g[1] ?? ""}${g[2]} ${g[3]}: ${type} = ${value}\``), start: lineStart, end: p };
}

/** `spawn { ... }` (Go's `go func() { ... }()`, Kotlin's `launch { }`): the failure is inside the block, which parsed as braces. */
function spawnBlock(src: string, p: number): Habit | null {
  let depth = 0, i = p - 1;
  for (; i >= 0 && i > p - 4000; i--) {
    if (src[i] === "}") depth++;
    else if (src[i] === "{" && depth-- === 0) break;
  }
  if (i < 0 || src[i] !== "{") return null;
  const kw = /\bspawn[ \t]+(?:async[ \t]+)?$/.exec(src.slice(Math.max(0, i - 40), i));
  if (kw === null) return null;
  const at = i - kw[0].length;
  return { msg: M.spawnBlock(), start: at, end: i + 1 };
}

/**
 * `xs.forEach(|x| t += x)`, `v.map(|x| total = x)`: an assignment as a closure's body without braces. A
 * `forEach`-like loop becomes a `for` loop (a closure cannot change a captured variable, E0240); otherwise the
 * body takes braces.
 */
function assignInClosure(before: string, after: string, p: number): Habit | null {
  const op = /^([-+*\/%]?=)(?!=)/.exec(after);
  if (op === null) return null;
  const c = new RegExp(`(?:(${NAME}(?:\\.${NAME})*)\\.(${NAME})\\()?\\|[ \\t]*(${NAME})[ \\t]*(?::[^|]*)?\\|[ \\t]*(${NAME}(?:\\.${NAME}|\\[[^\\]\\n]*\\])*)[ \\t]*$`).exec(before);
  if (c === null) return noParamClosure(before, after, op[1], p);
  const value = /^[-+*\/%]?=[ \t]*([^)\n]*?)[ \t]*\)?[ \t]*$/.exec(after)?.[1] ?? "...";
  const stmt = `${c[4]} ${op[1]} ${value}`;
  const fix = c[2] !== undefined && ["forEach", "foreach", "for_each", "each"].includes(c[2])
    ? `loop instead (a closure cannot change a variable it captures): \`for ${c[3]} in ${c[1]} { ${stmt} }\``
    : `give the body braces: \`|${c[3]}| { ${stmt} }\` (a closure cannot change a variable it captures: a \`for\` loop can)`;
  return { msg: M.assignInClosure(fix.length <= 140 ? fix : "give the body braces, or write a `for` loop"), start: p, end: p + op[1].length };
}

/**
 * `let inc = || count += 1`: a closure cannot change a variable it captures (E0240) even with braces, so the fix
 * returns the new value, which the caller assigns.
 */
function noParamClosure(before: string, after: string, op: string, p: number): Habit | null {
  const c = new RegExp(`\\b(?:let|var)[ \\t]+(${NAME})[ \\t]*=[ \\t]*\\|\\|[ \\t]*(${NAME})[ \\t]*$`).exec(before);
  if (c === null) return null;
  const value = /^[-+*\/%]?=[ \t]*([^\n;]*?)[ \t]*$/.exec(after)?.[1] ?? "...";
  const rhs = op === "=" ? value : `${c[2]} ${op[0]} ${value}`;
  const fix = `a closure cannot change a variable it captures: return the new value, \`let ${c[1]} = |${c[2]}: int| ${rhs}\`, and assign it where it is called, \`${c[2]} = ${c[1]}(${c[2]})\` (with ${c[2]}'s type in place of \`int\`)`;
  return { msg: M.assignInClosure(fix.length <= 220 ? fix : "a closure cannot change a variable it captures: return the new value and assign it where the closure is called"), start: p, end: p + op.length };
}

/** `enum Kind { A, C { x: int, y: string } }` (Rust's struct variant): Colang writes `C(x: int, y: string)`. */
function structVariant(src: string, before: string, after: string, p: number): Habit | null {
  if (after[0] !== "{") return null;
  const v = new RegExp(`(${NAME})[ \\t]*$`).exec(before);
  if (v === null || !/^[A-Z]/.test(v[1])) return null;
  // Inside an enum's braces: the nearest unclosed `{` before the variant opens `enum Name`.
  let depth = 0, open = -1;
  for (let i = p - v[0].length - 1; i >= 0; i--) {
    const ch = src[i];
    if (ch === "}") depth++;
    else if (ch === "{") { if (depth === 0) { open = i; break; } depth--; }
  }
  if (open < 0 || !new RegExp(`\\benum[ \\t]+${NAME}(?:<[^>{]*>)?[ \\t]*$`).test(src.slice(Math.max(0, open - 80), open))) return null;
  const close = src.indexOf("}", p);
  const fields = close > p ? src.slice(p + 1, close).trim().replace(/,\s*$/, "").replace(/\s*\n\s*/g, " ") : "";
  const fix = fields && !fields.includes("{") && fields.length <= 80 ? `write \`${v[1]}(${fields})\`` : `write the fields in parentheses: \`${v[1]}(name: Type, ...)\``;
  return { msg: M.structVariant(v[1], fix), start: p, end: close > p ? close + 1 : p + 1 };
}
