// Statement-shaped habits from other languages (E0039–E0045): the ternary
// `c ? a : b`, Go's `:=`, C-style and Go-style `for` loops, exceptions
// (`try`/`catch`/`throw`), arrow functions and Rust's `::` paths. Each is
// recognised from the source line around a parse failure, because the
// failure point alone (often a token or a line after the habit) does not say
// what was meant; the fix repeats the programmer's own names where it can.
// Called from habits.ts (peggy failures) and from parse.ts for the grammar's
// own "keyword as a name" problem, which `for (let i = 0; ...)` and a
// `try { let x = ... }` body run into first.

import type { Message } from "../diagnostics.js";
import { M } from "../messages.js";
import { rustLoop } from "./habits-layout.js";

interface Habit { msg: Message; start: number; end: number }

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
// The longest user text a fix repeats; longer text becomes a placeholder.
const MAX_FIX_TEXT = 60;
const MAX_LINE = 2000;

interface Line { start: number; end: number; text: string }

function lineAt(src: string, p: number): Line {
  const start = src.lastIndexOf("\n", p - 1) + 1;
  const nl = src.indexOf("\n", p);
  const end = nl < 0 ? src.length : nl;
  return { start, end, text: src.slice(start, end) };
}

function short(s: string, placeholder: string): string {
  const t = s.trim();
  return t.length > 0 && t.length <= MAX_FIX_TEXT ? t : placeholder;
}

/** The statement habit that explains a failure at `p`, or null. */
export function statementHabit(src: string, p: number): Habit | null {
  const line = lineAt(src, p);
  // The patterns are line-sized; a huge generated line is not a habit, and scanning it costs time.
  if (line.text.length > MAX_LINE) return null;
  return cStyleFor(src, line, p) ?? goFor(src, line, p) ?? shortDecl(line, p) ?? ternary(line, p)
    ?? exception(src, line, p) ?? arrowFn(src, line, p) ?? pathSep(src, line, p)
    // `loop { break }`: `break` right after the brace fails as a name, before the map literal does (tester round 10).
    ?? rustLoop(src, p);
}

// ---- `for (let i = 0; i < n; i++)` and Go's `for i := 0; i < n; i++` ----

const C_FOR = new RegExp(
  `\\bfor[ \\t]*\\(?[ \\t]*(?:(?:let|var|const|int|auto|long|size_t|usize|i32|i64|mut)[ \\t]+)*(${NAME})[ \\t]*(?::=|=)[ \\t]*([^;]*?)[ \\t]*;[ \\t]*([^;]*?)[ \\t]*;[ \\t]*([^{]*?)[ \\t]*(?:\\{.*)?$`);

function cStyleFor(src: string, line: Line, p: number): Habit | null {
  const m = C_FOR.exec(line.text);
  if (m === null || line.start + m.index > p) return null;
  const [, i, init, cond, rawStep] = m;
  const step = rawStep.replace(/\)\s*$/, "").trim();
  const at = line.start + m.index;
  const bound = new RegExp(`^${i}[ \\t]*(<=|<|!=)[ \\t]*(.+)$`).exec(cond.trim());
  const up = new RegExp(`^(?:${i}[ \\t]*\\+\\+|\\+\\+[ \\t]*${i}|${i}[ \\t]*\\+=[ \\t]*1|${i}[ \\t]*=[ \\t]*${i}[ \\t]*\\+[ \\t]*1)$`).test(step);
  let fix: string;
  if (bound !== null && up) {
    fix = `write \`for ${i} in ${short(init, "0")}${bound[1] === "<=" ? "..=" : ".."}${short(bound[2], "n")} {\`: a range loop counts up by one, \`..\` excludes the end and \`..=\` includes it`;
  } else {
    const colangStep = step.replace(/^(\w+)\s*\+\+$/, "$1 += 1").replace(/^(\w+)\s*--$/, "$1 -= 1").replace(/^\+\+\s*(\w+)$/, "$1 += 1").replace(/^--\s*(\w+)$/, "$1 -= 1");
    fix = `write a \`while\` loop: \`var ${i} = ${short(init, "0")}\` then \`while ${short(cond, "cond")} { ...; ${short(colangStep, `${i} += 1`)} }\`; a loop counting up by one is \`for ${i} in a..b\``;
  }
  return { msg: M.cStyleFor(fix), start: at, end: at + 3 };
}

// ---- Go's `for cond {`, `for {`, `for _, x := range xs {`; JavaScript's `for x of xs` ----

function goFor(src: string, line: Line, p: number): Habit | null {
  const m = /\bfor\b[ \t]*(.*)$/.exec(line.text);
  if (m === null || line.start + m.index > p) return null;
  const at = line.start + m.index;
  // The loop head ends at the body's `{`, which may have the body after it on the same line.
  const rest = m[1].slice(0, bodyBrace(m[1])).trim();
  const span = { start: at, end: at + 3 };
  const jsOf = new RegExp(`^\\(?[ \\t]*(?:(?:const|let|var)[ \\t]+)?(${NAME}|\\[[^\\]]*\\])[ \\t]+of[ \\t]+(.+?)[ \\t]*\\)?$`).exec(rest);
  if (jsOf !== null) {
    const pat = jsOf[1].startsWith("[") ? `(${jsOf[1].slice(1, -1).trim()})` : jsOf[1];
    return { msg: M.foreignFor("`for ... of` loop", `write \`for ${pat} in ${short(jsOf[2], "xs")} {\``), ...span };
  }
  const jsIn = new RegExp(`^\\([ \\t]*(?:const|let|var)[ \\t]+(${NAME})[ \\t]+in[ \\t]+(.+?)[ \\t]*\\)$`).exec(rest);
  if (jsIn !== null) {
    return { msg: M.foreignFor("`for (... in ...)` loop with parentheses", `write \`for ${jsIn[1]} in ${short(jsIn[2], "xs")} {\` (no parentheses; over a Map, \`for (k, v) in m\`)`), ...span };
  }
  // Python's `for i, x in enumerate(xs)` and Go's habit of unparenthesised pairs.
  const pair = new RegExp(`^(${NAME})[ \\t]*,[ \\t]*(${NAME})[ \\t]+in[ \\t]+(.+)$`).exec(rest);
  if (pair !== null) {
    const [, a, b, xs0] = pair;
    const py = /^enumerate\((.*)\)$/.exec(xs0.trim());
    const xs = short(py !== null ? py[1] : xs0, "xs");
    return { msg: M.foreignFor("`for a, b in` loop (a pair of loop variables needs parentheses)", `write \`for (${a}, ${b}) in ${xs}.enumerate() {\` over a Vec, or \`for (${a}, ${b}) in ${xs} {\` over a Map`), ...span };
  }
  const range = new RegExp(`^(${NAME})(?:[ \\t]*,[ \\t]*(${NAME}))?[ \\t]*:?=[ \\t]*range[ \\t]+(.+)$`).exec(rest);
  if (range !== null) {
    const [, a, b, xs0] = range;
    const xs = short(xs0, "xs");
    const fix = b === undefined
      ? `write \`for i in 0..${xs}.len() {\` for the indices, or \`for x in ${xs} {\` for the elements`
      : a === "_" ? `write \`for ${b} in ${xs} {\``
        : `write \`for (${a}, ${b}) in ${xs}.enumerate() {\` over a Vec, or \`for (${a}, ${b}) in ${xs} {\` over a Map`;
    return { msg: M.foreignFor("`for ... := range` loop", fix), ...span };
  }
  if (rest === "" && /^[ \t]*\{/.test(src.slice(at + 3, at + 64))) {
    return { msg: M.foreignFor("`for { }` loop without a condition", "write `while true {`"), ...span };
  }
  // `for x < 10 {`: a condition where `in` belongs.
  const cond = new RegExp(`^(${NAME}(?:\\.${NAME})*(?:\\(\\))?)[ \\t]*(<=|>=|<|>|!=|==)[ \\t]*(.+)$`).exec(rest);
  if (cond !== null && !/\bin\b/.test(rest)) {
    return { msg: M.foreignFor("`for cond { }` loop", `write \`while ${short(rest, "cond")} {\``), ...span };
  }
  return null;
}

/** Index of the first `{` outside brackets and strings in a loop head (its length when there is none). */
function bodyBrace(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = skipString(s, i);
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth = Math.max(0, depth - 1);
    else if (c === "{" && depth === 0) return i;
  }
  return s.length;
}

// ---- Go's `x := 5` and `a, b := f()` ----

function shortDecl(line: Line, p: number): Habit | null {
  const m = new RegExp(`^([ \\t]*(?:(?:let|var)[ \\t]+)?)(${NAME}(?:[ \\t]*,[ \\t]*${NAME})*)[ \\t]*:=[ \\t]*(.*?)[ \\t]*;?[ \\t]*$`).exec(line.text);
  if (m === null) return null;
  const op = line.start + line.text.indexOf(":=", m[1].length + m[2].length);
  if (p > op + 2) return null;
  const names = m[2].split(",").map((s) => s.trim());
  const value = short(m[3], "value");
  const fix = names.length === 1
    ? `write \`let ${names[0]} = ${value}\`, or \`var ${names[0]} = ${value}\` if it is assigned again`
    : names.length === 2 && /^err/.test(names[1])
      ? `a function that can fail returns a \`Result\`: write \`match ${value} { Ok(${names[0]}) => ..., Err(${names[1]}) => ... }\`, or \`let ${names[0]} = ${value}?\` in a function that returns \`Result\`; a tuple is taken apart with \`let (${names.join(", ")}) = ${value}\``
      : `write \`let (${names.join(", ")}) = ${value}\` (a function returns several values as a tuple)`;
  return { msg: M.shortDecl(fix), start: op, end: op + 2 };
}

// ---- `c ? a : b` ----

/** Index of the first `stop` character at bracket depth 0 in `s` from `from`, skipping strings. */
function scanTo(s: string, from: number, stop: (c: string, i: number) => boolean): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') { i = skipString(s, i); continue; }
    if (depth === 0 && stop(c, i)) return i;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") { if (depth === 0) return i; depth--; }
  }
  return s.length;
}

function skipString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === "\\") j++;
    else if (s[j] === '"') return j;
  }
  return s.length;
}

function ternary(line: Line, p: number): Habit | null {
  const t = line.text;
  // The `?` before the failure, followed by a space (so not `x?.f`, `x??y`, or `f()?` at the end of a statement).
  let q = -1;
  for (let i = 0; i < t.length && line.start + i < p; i++) {
    if (t[i] === '"') { i = skipString(t, i); continue; }
    if (t[i] === "?" && t[i + 1] !== "?" && t[i - 1] !== "?" && /[ \t]/.test(t[i + 1] ?? "")) q = i;
  }
  if (q < 0) return null;
  // Only a failure right after `? ` (at the first branch) or at the `:` itself.
  if (t.slice(q + 1, p - line.start).trim() !== "" && t[p - line.start] !== ":") return null;
  const colon = scanTo(t, q + 1, (c, i) => c === ":" && t[i + 1] !== ":" && t[i - 1] !== ":");
  if (colon >= t.length || t[colon] !== ":") return null;
  const elseEnd = scanTo(t, colon + 1, (c) => c === ",");
  // The condition: back from `?` to an opening bracket, a `,`, an assignment `=`, a closure's `|`, `return`, or the line start.
  let depth = 0, c0 = 0;
  for (let i = q - 1; i >= 0; i--) {
    const c = t[i];
    if (c === ")" || c === "]" || c === "}") depth++;
    else if (c === "(" || c === "[" || c === "{") { if (depth === 0) { c0 = i + 1; break; } depth--; }
    else if (depth === 0 && c === ",") { c0 = i + 1; break; }
    // A closure's expression body (`|a, b| a < b ? -1 : 1`): the condition starts after the parameter list.
    else if (depth === 0 && c === "|") { c0 = i + 1; break; }
    else if (depth === 0 && c === "=" && !"=!<>".includes(t[i - 1] ?? "") && t[i + 1] !== "=" && t[i + 1] !== ">") { c0 = i + 1; break; }
  }
  const cond = t.slice(c0, q).trim().replace(/^return[ \t]+/, "");
  const a = t.slice(q + 1, colon), b = t.slice(colon + 1, elseEnd);
  const fix = `write \`if ${short(cond, "cond")} { ${short(a, "a")} } else { ${short(b, "b")} }\`: \`if\` is an expression`;
  return { msg: M.ternary(fix), start: line.start + q, end: line.start + q + 1 };
}

// ---- `try { } catch (e) { }`, `throw x`, `raise X`, Python's `try:` / `except` ----

/** The innermost `{` still open at `p` (an approximation that skips strings). */
function openBrace(src: string, p: number): number {
  let depth = 0;
  for (let i = p - 1; i >= 0; i--) {
    const c = src[i];
    if (c === "}") depth++;
    else if (c === "{") { if (depth === 0) return i; depth--; }
  }
  return -1;
}

function exception(src: string, line: Line, p: number): Habit | null {
  const before = src.slice(line.start, p);
  const thrown = /^([ \t]*)(throw|raise)\b[ \t]*(.*)$/.exec(line.text);
  if (thrown !== null && line.start + thrown[1].length + thrown[2].length <= p) {
    const at = line.start + thrown[1].length;
    let value = thrown[3].replace(/;[ \t]*$/, "").trim();
    const ctor = /^(?:new[ \t]+)?[A-Z][A-Za-z0-9_]*\((.*)\)$/.exec(value);
    if (ctor !== null && ctor[1].trim() !== "") value = ctor[1];
    const fix = `return the error: \`return Err(${short(value, "e")})\` from a function that returns \`Result<T, E>\`; for a bug that should stop the program, \`panic(...)\``;
    return { msg: M.exceptions(thrown[2], fix), start: at, end: at + thrown[2].length };
  }
  // `} catch (e) {`, `} except ...:`, `} finally {` after a body that happened to parse.
  const word = /^[A-Za-z_]+/.exec(src.slice(p, p + 16))?.[0];
  if ((word === "catch" || word === "except" || word === "finally") && /\}[ \t]*$/.test(before)) {
    const name = new RegExp(`^catch[ \\t]*\\(?[ \\t]*(${NAME})`).exec(src.slice(p, p + 80))?.[1];
    return { msg: M.exceptions(word, tryFix(name)), start: p, end: p + word.length };
  }
  // Python's `try:`, or a failure inside a `try {` body (parsed as a struct literal named `try`).
  const pyTry = /^([ \t]*)try[ \t]*$/.exec(before);
  if (pyTry !== null && (src[p] === ":" || src[p] === "{")) {
    const at = line.start + pyTry[1].length;
    return { msg: M.exceptions("try", tryFix(catchName(src, p))), start: at, end: at + 3 };
  }
  const brace = openBrace(src, p);
  if (brace >= 0) {
    const head = lineAt(src, brace);
    const m = /(^|[^A-Za-z0-9_.])try[ \t]*$/.exec(src.slice(head.start, brace));
    if (m !== null) {
      const at = head.start + m.index + m[1].length;
      return { msg: M.exceptions("try", tryFix(catchName(src, brace))), start: at, end: at + 3 };
    }
  }
  return null;
}

function catchName(src: string, from: number): string | undefined {
  return new RegExp(`\\b(?:catch|except)[ \\t]*\\(?[ \\t]*(?:[A-Za-z_][A-Za-z0-9_.]*[ \\t]+as[ \\t]+)?(${NAME})`).exec(src.slice(from, from + 2000))?.[1];
}

function tryFix(name: string | undefined): string {
  const e = name ?? "e";
  return `a function that can fail returns \`Result<T, E>\`: write \`let v = f()?\` to pass the error to the caller, or \`match f() { Ok(v) => ..., Err(${e}) => ... }\` to handle it here`;
}

// ---- `(x) => x * 2`, `x => x * 2` ----

function arrowFn(src: string, line: Line, p: number): Habit | null {
  if (!src.startsWith("=>", p)) return null;
  const before = src.slice(line.start, p);
  const m = new RegExp(`(?:\\(([^()]*)\\)|(${NAME}))[ \\t]*$`).exec(before);
  if (m === null) return null;
  const params = (m[1] ?? m[2]).split(",").map((s) => s.trim()).filter((s) => s !== "").join(", ");
  const rest = src.slice(p + 2, line.end);
  const bodyEnd = scanTo(rest, 0, (c) => c === ",");
  const body = rest.slice(0, bodyEnd).trim();
  const shown = body.startsWith("{") ? "{ ... }" : short(body, "...");
  return { msg: M.arrowFn(`write \`|${params}| ${shown}\``), start: p, end: p + 2 };
}

// ---- Rust's `Vec::new()`, `String::from(s)`, `Shape::Circle` ----

/**
 * Rust's turbofish `f::<T>(...)`: a function's type arguments follow its name, `id<int>(1)`; a method's come from
 * its receiver (`v.sum()`), and `s.parse::<i32>()` is `s.parseInt()` (an optional).
 */
function turbofish(src: string, line: Line, p: number): string | null {
  const args = /^::<([^()\n]*)>\(/.exec(src.slice(p, p + 80));
  if (args === null) return null;
  const left = new RegExp(`(\\.)?(${NAME})$`).exec(src.slice(line.start, p));
  if (left === null) return null;
  const [, dot, name] = left;
  if (!dot) return `write \`${name}<${args[1]}>(...)\`: type arguments follow the function's name`;
  if (name === "parse") {
    const float = /^f(32|64)$|^float$/.test(args[1].trim());
    const conv = float || ["int", "i64"].includes(args[1].trim()) ? "" : `; convert the number with \`as ${args[1].trim()}\``;
    return `write \`.${float ? "parseFloat" : "parseInt"}()\`, which gives ${float ? "a `float?`" : "an `int?`"}: \`none\` when the text is not a number${conv}`;
  }
  const empty = src.startsWith(`::<${args[1]}>()`, p);
  return `write \`.${name}(${empty ? "" : "..."})\`: a method's types come from its receiver and arguments`;
}

const CONSTRUCTORS: Record<string, string> = { Vec: "Vec()` or `[]", HashMap: "Map()` or `{}", BTreeMap: "Map()` or `{}", HashSet: "Set()", String: "\"\"" };

function pathSep(src: string, line: Line, p: number): Habit | null {
  if (!src.startsWith("::", p)) return null;
  const turbo = turbofish(src, line, p);
  if (turbo !== null) return { msg: M.pathSep(turbo), start: p, end: p + 2 };
  // `Vec<int>::new()`: the type's arguments stay, the path becomes a call of the type.
  const generic = new RegExp(`(${NAME})(<[^<>\\n]*(?:<[^<>\\n]*>[^<>\\n]*)*>)$`).exec(src.slice(line.start, p));
  if (generic !== null) {
    const right = new RegExp(`^::(${NAME})(\\(\\))?`).exec(src.slice(p, p + 80));
    const empty = right !== null && right[1] === "new" && right[2] !== undefined && ["Vec", "Map", "Set", "HashMap", "HashSet", "BTreeMap"].includes(generic[1]);
    const name = generic[1] === "HashMap" || generic[1] === "BTreeMap" ? "Map" : generic[1] === "HashSet" ? "Set" : generic[1];
    const fix = empty ? `write \`${name}${generic[2]}()\`` : `write \`${name}${generic[2]}.${right?.[1] ?? "name"}\``;
    return { msg: M.pathSep(fix), start: p, end: p + 2 };
  }
  const left = new RegExp(`(${NAME})$`).exec(src.slice(line.start, p))?.[1];
  if (left === undefined) return null;
  const right = new RegExp(`^::(${NAME})(\\(\\))?`).exec(src.slice(p, p + 80));
  let fix: string;
  if (right !== null && right[1] === "new" && right[2] !== undefined && CONSTRUCTORS[left] !== undefined) fix = `write \`${CONSTRUCTORS[left]}\``;
  else if (right !== null && left === "String" && right[1] === "from") fix = "write the string itself: a string literal is already a `string`";
  else fix = `write \`${left}.${right?.[1] ?? "name"}\``;
  return { msg: M.pathSep(fix), start: p, end: p + 2 };
}
