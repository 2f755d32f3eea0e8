// Habits of block layout and of Rust's, Go's and Python's syntax that fail to parse (E0058–E0069), found by a
// tester who writes those languages: a block's `{` on its own line (Allman style), a block used as a
// value, loop labels and Rust's `loop`, references (`&self`, `&str`), trait objects and `impl Trait`
// types, Go's generics `[T any]` and `defer`, `where` clauses, Go's `[]int{...}` and JavaScript's
// spread `...`, Python's and C#'s interpolation prefixes (`f"..."`, `$"..."`, E0066), `case 1:` and `default:` as match arms (E0067), a line starting with a binary operator (E0068), Rust's rest pattern `..` (E0069), named arguments (`Rect(w: 1, h: 2)`, E0070), a unary `+` (E0071). Like habits.ts, each is recognised at the failure point of the peggy parse from the
// text around it, and the fix repeats the programmer's own text where it can (and compiles when applied).

import { M } from "../messages.js";
import type { Habit } from "./habits.js";

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const MAX_FIX_TEXT = 80;
// Keywords that a block follows on the same line.
const BLOCK_HEADS = /^[ \t]*(?:\}[ \t]*)?(?:pub[ \t]+)?(?:async[ \t]+)?(fn|if|else|for|while|match|struct|enum|impl|trait)\b/;

export function layoutHabit(src: string, p: number, expected: string[]): Habit | null {
  const lineStart = src.lastIndexOf("\n", p - 1) + 1;
  const nl = src.indexOf("\n", p);
  const before = src.slice(lineStart, p);
  const after = src.slice(p, nl < 0 ? src.length : nl);
  return allman(src, p, before, after, lineStart) ?? blockValue(src, p) ?? loopLabel(after, p) ?? rustLoop(src, p)
    ?? reference(before, after, p) ?? traitType(src, before, after, p, lineStart) ?? goGenerics(before, after, p, lineStart)
    ?? whereClause(before, after, p, lineStart) ?? defer(before, after, p, lineStart) ?? goSlice(before, after, p)
    ?? spread(before, after, p, expected) ?? prefixedString(before, after, p) ?? caseArm(src, p, before, lineStart) ?? leadingOperator(src, p, before, after, lineStart) ?? restPattern(src, p, before, after)
    ?? namedArgument(src, p, before, after) ?? unaryPlus(before, after, p);
}

/** The `{` of a block on the line after its `if`/`fn`/`for` (Allman style): a line break ends the header. */
function allman(src: string, p: number, before: string, after: string, lineStart: number): Habit | null {
  let header: string, brace: number;
  if (after[0] === "{" && before.trim() === "") {
    // Failed at the `{`: the header is the previous non-blank line.
    let end = lineStart - 1;
    while (end > 0 && src.slice(src.lastIndexOf("\n", end - 1) + 1, end).trim() === "") end = src.lastIndexOf("\n", end - 1);
    if (end <= 0) return null;
    header = src.slice(src.lastIndexOf("\n", end - 1) + 1, end);
    brace = p;
  } else {
    // Failed at the end of the header's line: the next non-blank text is the `{`.
    if (after.replace(/\/\/.*$/, "").trim() !== "") return null;
    const next = /^[ \t]*(?:\/\/[^\n]*)?(?:\n[ \t]*)+\{/.exec(src.slice(p, p + 400));
    if (next === null) return null;
    header = before + after;
    brace = p + next[0].length - 1;
  }
  const head = BLOCK_HEADS.exec(header);
  if (head === null) return null;
  const text = header.replace(/\/\/.*$/, "").trim();
  const fix = text.length <= MAX_FIX_TEXT ? `write \`${text} {\`` : "move the `{` to the end of the line before it";
  return { msg: M.allmanBrace(head[1], fix), start: brace, end: brace + 1 };
}

/** `let y = { let x = 2; x + 1 }`: a block is not a value (a `{` where a value belongs starts a map literal). */
function blockValue(src: string, p: number): Habit | null {
  if (!/^(?:let|var|return|if|while|for|match)\b/.test(src.slice(p, p + 8))) return null;
  // The text before, comments blanked (same length, so offsets hold).
  const from = Math.max(0, p - 400);
  const open = src.slice(from, p).replace(/\/\/[^\n]*/g, (c) => " ".repeat(c.length)).trimEnd();
  if (!open.endsWith("{") || !/(?:[=(,]|\breturn)$/.test(open.slice(0, -1).trimEnd())) return null;
  const braceAt = from + open.length - 1;
  const close = matchingBrace(src, braceAt);
  let fix = "call a closure that returns the value, `(|| { ...; return value })()`, or move the statements before it";
  const stmts = close > 0 ? src.slice(braceAt + 1, close).split(/[;\n]/).map((x) => x.replace(/\/\/.*$/, "").trim()).filter((x) => x !== "") : [];
  const last = stmts.pop();
  if (last !== undefined) {
    const call = `(|| { ${[...stmts, /^return\b/.test(last) ? last : `return ${last}`].join("; ")} })()`;
    // Only a body of simple statements is flattened onto one line (no nested blocks).
    if (call.length <= MAX_FIX_TEXT + 40 && !call.slice(5, -4).includes("{")) fix = `call a closure that returns the value: \`${call}\`, or move the statements before it`;
  }
  return { msg: M.blockValue(fix), start: braceAt, end: braceAt + 1 };
}

/** The `}` that closes the `{` at `open` (strings skipped), or -1. */
function matchingBrace(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length && i < open + 4000; i++) {
    const c = src[i];
    if (c === '"') { i++; while (i < src.length && src[i] !== '"' && src[i] !== "\n") { if (src[i] === "\\") i++; i++; } continue; }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/** `'outer: for ...` and `break 'outer` (Rust's loop labels). */
function loopLabel(after: string, p: number): Habit | null {
  const label = new RegExp(`^'(${NAME})(:[ \\t]*(?:for|while|loop)\\b)?`).exec(after);
  if (label === null) return null;
  if (label[2] === undefined && !/^'[A-Za-z_]\w*[ \t]*(?:$|[;}])/.test(after)) return null;
  return { msg: M.loopLabel(), start: p, end: p + label[0].length - (label[2] ? label[2].length - 1 : 0) };
}

/** Rust's `loop {`: parsed as the name `loop` and a map literal, which fails inside the body. */
export function rustLoop(src: string, p: number): Habit | null {
  let depth = 0;
  for (let i = p - 1; i >= 0 && i > p - 4000; i--) {
    const c = src[i];
    if (c === "}") depth++;
    else if (c === "{") {
      if (depth > 0) { depth--; continue; }
      const m = /(^|\n)([ \t]*)loop[ \t]*$/.exec(src.slice(Math.max(0, i - 200), i));
      if (m === null) return null;
      const at = i - (m[0].length - m[1].length - m[2].length);
      return { msg: M.foreignFor("`loop` keyword", "write `while true {` (and leave with `break`)"), start: at, end: at + 4 };
    }
  }
  return null;
}

/** `&self`, `&mut self`, `name: &str`, `x: &T`: Colang has no references. */
function reference(before: string, after: string, p: number): Habit | null {
  if (after[0] !== "&" || after[1] === "&" || !/(?:[(,:<][ \t]*)$/.test(before)) return null;
  const r = new RegExp(`^&[ \\t]*(?:'${NAME}[ \\t]+)?(mut[ \\t]+)?(${NAME}(?:<[^>\\n]*>)?|\\[[^\\]\\n]*\\])`).exec(after);
  if (r === null) return null;
  const target = r[2];
  const mut = r[1] !== undefined;
  let colang: string;
  if (target === "self") colang = mut ? "mut self" : "self";
  else if (target === "str" || target === "String") colang = "string";
  else if (/^\[/.test(target)) colang = `Vec<${target.slice(1, -1).trim() || "T"}>`;
  else colang = target;
  const why = target === "self" ? (mut ? "a method that changes its receiver takes `mut self`" : "a method takes `self`")
    : mut ? "a `Vec`, `Map` or `Set` is a shared handle, so changes made through a parameter are seen by the caller; a function returns other new values" : "a parameter is passed as its value";
  return { msg: M.reference(r[0].trim(), `write \`${colang}\`: ${why}`), start: p, end: p + r[0].length };
}

/** `xs: Vec<Box<dyn Area>>`, `x: impl Show`, `-> impl Show`: trait objects and `impl Trait` types. */
function traitType(src: string, before: string, after: string, p: number, lineStart: number): Habit | null {
  const dyn = new RegExp(`(?:\\b(dyn|impl)[ \\t]+)$`).exec(before);
  const here = new RegExp(`^(dyn|impl)[ \\t]+(${NAME})`).exec(after);
  let kw: string, trait: string, at: number;
  if (dyn !== null && new RegExp(`^${NAME}`).test(after)) { kw = dyn[1]; trait = new RegExp(`^${NAME}`).exec(after)![0]; at = lineStart + dyn.index; }
  else if (here !== null && /[:<(,][ \t]*$/.test(before)) { kw = here[1]; trait = here[2]; at = p; }
  else return null;
  const line = src.slice(lineStart, src.indexOf("\n", p) < 0 ? src.length : src.indexOf("\n", p));
  const fn = new RegExp(`\\bfn[ \\t]+(${NAME})(<[^>]*>)?[ \\t]*\\(`).exec(line);
  const param = new RegExp(`(${NAME})[ \\t]*:[ \\t]*[^,()]*$`).exec(line.slice(0, at - lineStart))?.[1];
  const typeText = new RegExp(`^(?:${NAME}<)*(?:dyn|impl)[ \\t]+${NAME}>*`).exec(line.slice(line.slice(0, at - lineStart).search(new RegExp(`(?:${NAME}<)*$`)) ))?.[0];
  let fix: string;
  if (fn !== null && param !== undefined && typeText !== undefined) {
    const generic = typeText.replace(new RegExp(`(?:Box<)?(?:dyn|impl)[ \\t]+${trait}(?:>)?`), "T").replace(/>>$/, ">");
    const tps = fn[2] ? `${fn[2].slice(0, -1)}, T: ${trait}>` : `<T: ${trait}>`;
    fix = `make the function generic: \`fn ${fn[1]}${tps}(${param}: ${balance(generic)})\`; values of several types that implement \`${trait}\` go in an enum with a variant per type`;
  } else fix = `make the function generic, \`fn f<T: ${trait}>(x: T)\`; values of several types that implement \`${trait}\` go in an enum with a variant per type`;
  void src;
  return { msg: M.traitObject(`${kw} ${trait}`, fix), start: at, end: at + kw.length };
}

/** Closes the `<` a type's text opened (`Vec<T` -> `Vec<T>`) and drops extra `>`. */
function balance(t: string): string {
  const opens = (t.match(/</g) ?? []).length, closes = (t.match(/>/g) ?? []).length;
  return opens > closes ? t + ">".repeat(opens - closes) : t.slice(0, t.length - (closes - opens));
}

/** Go's `func f[T any](...)`: type parameters go in `< >`, a constraint after `:`. */
function goGenerics(before: string, after: string, p: number, lineStart: number): Habit | null {
  const fn = new RegExp(`\\b(fn|func|struct)[ \\t]+(${NAME})[ \\t]*$`).exec(before);
  const tps = /^\[([^\]\n]*)\]/.exec(after);
  if (fn === null || tps === null) return null;
  const params = tps[1].split(",").map((s) => s.trim().split(/\s+/)).map(([n, c]) => (!c || c === "any" || c === "interface{}" ? n : `${n}: ${c === "comparable" ? "Eq" : c}`));
  void lineStart;
  return { msg: M.goGenerics(`write \`${fn[2]}<${params.join(", ")}>\``), start: p, end: p + tps[0].length };
}

/** `fn f<T>(x: T): string where T: Show {`: the bounds go on the type parameters. */
function whereClause(before: string, after: string, p: number, lineStart: number): Habit | null {
  const w = /^where[ \t]+([^{\n]*?)[ \t]*(?:\{|$)/.exec(after);
  if (w === null) return null;
  const head = new RegExp(`\\bfn[ \\t]+(${NAME})<([^>]*)>(.*)$`).exec(before);
  let fix = "write the bounds on the type parameters: `fn f<T: Show>(x: T)`";
  if (head !== null) {
    const bounds = new Map(w[1].split(",").map((b) => b.split(":").map((s) => s.trim())).filter((b) => b.length === 2) as [string, string][]);
    const tps = head[2].split(",").map((t) => t.trim()).map((t) => (bounds.has(t) ? `${t}: ${bounds.get(t)}` : t));
    const text = `fn ${head[1]}<${tps.join(", ")}>${head[3].trimEnd()}`;
    if (text.length <= MAX_FIX_TEXT + 20) fix = `write \`${text}\``;
  }
  void lineStart;
  return { msg: M.foreignKeyword("where", "<T: Bound>", fix), start: p, end: p + 5 };
}

/** Go's `defer f()`: Colang runs cleanup where the function ends. */
function defer(before: string, after: string, p: number, lineStart: number): Habit | null {
  const d = /(^|[ \t])defer[ \t]+$/.exec(before);
  if (d === null || after.trim() === "") return null;
  const at = lineStart + d.index + d[1].length;
  const call = after.trim();
  const fix = call.length <= MAX_FIX_TEXT ? `write \`${call}\` at each place where the function returns (or before the end of its body)` : "write the call at each place where the function returns";
  return { msg: M.defer(fix), start: at, end: at + 5 };
}

/** Go's slice literal `[]int{1, 2}`: Colang's is `[1, 2]` (the type comes from the elements). */
function goSlice(before: string, after: string, p: number): Habit | null {
  if (!/\[[ \t]*\][ \t]*$/.test(before)) return null;
  const s = new RegExp(`^(${NAME})[ \\t]*\\{([^}\\n]*)\\}`).exec(after);
  if (s === null) return null;
  const start = p - (before.length - before.search(/\[[ \t]*\][ \t]*$/));
  const fix = s[2].trim() === "" ? `write \`[]\` with a declared type: \`let xs: Vec<${s[1]}> = []\`` : `write \`[${s[2].trim()}]\``;
  return { msg: M.goSlice(fix), start, end: p + s[0].length };
}

/** JavaScript's spread `[...a, 3]`, `f(...args)`. */
function spread(before: string, after: string, p: number, expected: string[]): Habit | null {
  if (!after.startsWith("...") || after[3] === ".") return null;
  void expected;
  const list = new RegExp(`^\\.\\.\\.(${NAME})[ \\t]*,[ \\t]*([^\\]\\n]*)\\]`).exec(after);
  const name = new RegExp(`\\b(?:let|var)[ \\t]+(${NAME})[ \\t]*(?::[^=]*)?=[ \\t]*\\[$`).exec(before)?.[1] ?? "v";
  const fix = list !== null && list[2].length <= MAX_FIX_TEXT
    ? `copy it and add the elements: \`var ${name} = ${list[1]}.clone()\`, then ${list[2].split(",").map((x) => `\`${name}.push(${x.trim()})\``).join(", ")}`
    : "copy the collection with `.clone()` and add the elements with `push` (a Vec) or `set` (a Map)";
  return { msg: M.spread(fix), start: p, end: p + 3 };
}

/** Python's `f"hi {name}"` and C#'s `$"hi {name}"`: a Colang string interpolates without a prefix. */
function prefixedString(before: string, after: string, p: number): Habit | null {
  // Failed at the string after `f` (an identifier), or at the `$` itself.
  const pre = /(?:^|[^A-Za-z0-9_])([fF])$/.exec(before);
  const dollar = pre === null && after[0] === "$";
  if ((pre === null && !dollar) || after[dollar ? 1 : 0] !== '"' || after.startsWith('"""', dollar ? 1 : 0)) return null;
  const str = after.slice(dollar ? 1 : 0);
  const close = /^"(?:[^"\\\n]|\\.)*"/.exec(str);
  const fix = close !== null && close[0].length <= MAX_FIX_TEXT ? `write \`${close[0]}\`` : "drop the prefix: `\"hi {name}\"`";
  const start = dollar ? p : p - 1;
  return { msg: M.prefixedString(dollar ? "$" : pre![1], fix), start, end: start + 1 + (close ? close[0].length : 1) };
}

/**
 * `case 1: a` and `default: b` inside a `match` (C, Go, Java, JavaScript, Swift): a Colang arm is `1 => a`, `_ => b`.
 * The parse fails at the pattern after `case` (taken as a binding named `case`) or at the `:` after `default`.
 */
function caseArm(src: string, p: number, before: string, lineStart: number): Habit | null {
  const nl = src.indexOf("\n", p);
  const line = src.slice(lineStart, nl < 0 ? src.length : nl).replace(/\/\/.*$/, "");
  const m = /^([ \t]*)(case|default)\b[ \t]*(.*?)[ \t]*:(?!:)[ \t]*(.*?)[ \t]*;?[ \t]*$/.exec(line);
  if (m === null || p < lineStart + m[1].length + m[2].length || !insideMatch(src, lineStart)) return null;
  if (m[2] === "default" ? m[3] !== "" : m[3] === "") return null;
  const pattern = m[2] === "default" ? "_" : m[3].replace(/[ \t]*,[ \t]*/g, " | ");
  const body = m[4] === "" ? "..." : m[4].replace(/;$/, "");
  const arm = `${pattern} => ${body}`;
  const fix = arm.length <= MAX_FIX_TEXT ? `write \`${arm},\`` : `write \`${pattern} => ...\``;
  const start = lineStart + m[1].length;
  return { msg: M.caseArm(m[2], fix), start, end: start + m[2].length };
}

/** Whether the innermost open `{` before `at` belongs to a `match` header (strings and comments skipped roughly). */
function insideMatch(src: string, at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= 0 && i > at - 4000; i--) {
    const c = src[i];
    if (c === "}") depth++;
    else if (c === "{" && depth-- === 0) {
      const ls = src.lastIndexOf("\n", i - 1) + 1;
      return /(?:^|[^A-Za-z0-9_])match\b[^{]*$/.test(src.slice(ls, i));
    }
  }
  return false;
}

/** `let d = email.map(...)` and on the next line `?? "none"`: only a trailing operator continues a line. */
function leadingOperator(src: string, p: number, before: string, after: string, lineStart: number): Habit | null {
  if (before.trim() !== "") return null;
  const op = /^(\?\?|\+|-|\*|\/|%|==|!=|<=|>=|&&|\|\||and\b|or\b|<|>)/.exec(after)?.[1];
  if (!op) return null;
  // The line before (the last non-blank one) must end with a value, not an operator or an opening bracket.
  let end = lineStart - 1;
  while (end > 0 && src.slice(src.lastIndexOf("\n", end - 1) + 1, end).trim() === "") end = src.lastIndexOf("\n", end - 1);
  if (end <= 0) return null;
  const fix = leadingOperatorFix(src.slice(src.lastIndexOf("\n", end - 1) + 1, end), op);
  return fix === null ? null : { msg: M.leadingOperator(op, fix), start: p, end: p + op.length };
}

/** E0068's fix for a line starting with `op` after the line `prevLine`, or null when that line does not end with a
 *  value (it ends with an operator or an opening bracket, so the break continues it). Also used by the checker for
 *  the `-` and `||` lines that parse as statements of their own (check/statements.ts). */
export function leadingOperatorFix(prevLine: string, op: string): string | null {
  const prev = prevLine.replace(/\/\/.*$/, "").trimEnd();
  if (prev === "" || /[({[,=+\-*/%<>!&|?]$/.test(prev) || /\b(and|or|not|return)$/.test(prev)) return null;
  return prev.trim().length + op.length < MAX_FIX_TEXT
    ? `move \`${op}\` to the end of the line before: \`${prev.trim()} ${op}\`` : `move \`${op}\` to the end of the line before`;
}

/** Rust's `Eq(..)` / `Point { x, .. }`: every field is named in a Colang pattern, `_` for those ignored. */
function restPattern(src: string, p: number, before: string, after: string): Habit | null {
  if (!after.startsWith("..") || after.startsWith("...")) return null;
  const variant = new RegExp(`(${NAME})[ \\t]*\\([^()]*$`).exec(before)?.[1];
  const fix = variant
    ? `write \`_\` for each field of \`${variant}\`, e.g. \`${variant}(_, _)\` for two`
    : "write `_` for each field the pattern ignores";
  void src;
  return { msg: M.restPattern(fix), start: p, end: p + 2 };
}

/** Swift's, Kotlin's and Python's named arguments, `Shape.Rect(w: 1, h: 2)` for a variant with named fields: Colang
 * passes arguments by position. The fix is the call with the names dropped, when it fits on the line. */
function namedArgument(src: string, p: number, before: string, after: string): Habit | null {
  if (!/^[ \t]*:(?!:)/.test(after)) return null;
  const m = new RegExp(`((?:${NAME}\\.)*${NAME})[ \\t]*\\(((?:[^()]*,)?)[ \\t]*(${NAME})[ \\t]*$`).exec(before);
  if (!m) return null;
  const callee = m[1], name = m[3];
  const open = p - before.length + m.index + before.slice(m.index).indexOf("(");
  // the closing parenthesis on the same line, brackets and strings skipped roughly
  let depth = 0, close = -1;
  for (let i = open; i < src.length && src[i] !== "\n"; i++) {
    const c = src[i];
    if (c === '"') { i++; while (i < src.length && src[i] !== '"' && src[i] !== "\n") i += src[i] === "\\" ? 2 : 1; continue; }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && --depth === 0) { close = i; break; }
  }
  let fix = `pass the arguments by position, in the order of the declaration: drop \`${name}:\``;
  if (close > 0) {
    const args = src.slice(open + 1, close);
    const dropped = args.replace(new RegExp(`(^|,)([ \\t]*)${NAME}[ \\t]*:(?!:)[ \\t]*`, "g"), "$1$2");
    const call = `${callee}(${dropped})`;
    if (call.length < MAX_FIX_TEXT && !/[({[]/.test(args)) fix = `pass the arguments by position, in the order of the declaration: \`${call}\``;
  }
  return { msg: M.namedArgument(name, fix), start: p - (before.length - before.trimEnd().length) - name.length, end: p + after.indexOf(":") + 1 };
}

/** `+x` where a value starts: Colang has no unary `+` (JavaScript's `+s` turns a string into a number). */
function unaryPlus(before: string, after: string, p: number): Habit | null {
  if (after[0] !== "+" || after[1] === "+" || after[1] === "=" || before.endsWith("+")) return null;   // `i++`: E0030
  const b = before.trimEnd();
  if (b !== "" && !/(?:[=(,[{:?!<>&|*/%+-]|\breturn|\band|\bor|\bnot)$/.test(b)) return null;
  const operand = new RegExp(`^\\+[ \\t]*(${NAME}(?:\\.${NAME})*|[0-9][0-9_.eE]*)`).exec(after)?.[1];
  const fix = operand === undefined ? "drop the `+`"
    : /^[0-9]/.test(operand) ? `drop the \`+\`: \`${operand}\``
    : `drop the \`+\` (\`${operand}\`); to turn a string into a number: \`${operand}.parseFloat()\` or \`${operand}.parseInt()\` (an optional: \`?? 0\` for a default)`;
  return { msg: M.unaryPlus(fix), start: p, end: p + 1 };
}
