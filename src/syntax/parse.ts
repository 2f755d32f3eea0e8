// The parser entry point: source text -> Module AST + syntax diagnostics.
// Owns the lexical pre-pass (NUL bytes, unterminated strings/comments,
// nesting depth, all checked before the recursive-descent grammar runs), the
// translation of peggy failures into readable Colang diagnostics, and
// resynchronisation at the next top-level declaration after an error.

import * as grammar from "./grammar.js";
import type { Module, Span } from "./ast.js";
import { at, lineCol, type Diagnostic, type Message } from "../diagnostics.js";
import { M } from "../messages.js";
import { habitAt } from "./habits.js";
import { statementHabit } from "./habits-statements.js";
import { parseFormatSpec } from "./format-spec.js";
import { literalBraceMessage, doubledBrace } from "./braces.js";

/** Deepest nesting of ( [ { and string interpolation accepted. */
export const MAX_NESTING = 256;
/** Grammar-level recursion bound (expressions, blocks, types, patterns). */
const MAX_GRAMMAR_DEPTH = 400;
const MAX_SOURCE = 64 * 1024 * 1024;
const MAX_ERRORS = 10;

const KEYWORDS = new Set([
  "fn", "async", "await", "spawn", "let", "var", "const", "struct", "enum", "impl", "trait", "pub",
  "import", "as", "if", "else", "while", "for", "in", "break", "continue", "return", "match",
  "region", "test", "true", "false", "none", "and", "or", "not",
]);

// Keywords that start a top-level declaration at column 1: resync points.
// `func`/`function`/`def` too: each such line gets its own E0033.
const RESYNC = /^(pub|fn|async|extern|struct|enum|impl|trait|import|test|func|function|def|class|interface|export)\b/;

export function parseModule(file: string, src: string): { value: Module | null; diagnostics: Diagnostic[] } {
  try {
    return parseChecked(file, src);
  } catch (e) {
    // Last resort: the pre-pass and the grammar's depth counter should make
    // this unreachable, but a stack overflow must never escape.
    if (e instanceof RangeError) {
      const p = scan(src, src.length).deepest ?? 0;
      return { value: null, diagnostics: [at(M.nestingTooDeep(MAX_NESTING), spanAt(file, src, p, p + 1))] };
    }
    throw e;
  }
}

function parseChecked(file: string, src: string): { value: Module | null; diagnostics: Diagnostic[] } {
  if (src.length > MAX_SOURCE) {
    return { value: null, diagnostics: [at(M.fileTooLarge(src.length), spanAt(file, src, 0, 0))] };
  }
  const nul = src.indexOf("\0");
  if (nul >= 0) {
    return { value: null, diagnostics: [at(M.nulByte(), spanAt(file, src, nul, nul + 1), { message: "remove it; NUL bytes are not allowed anywhere in source" })] };
  }
  const pre = scan(src, src.length);
  if (pre.problem) {
    const p = pre.problem;
    // `"{{"`: the `{{` (meant as a literal brace) opened an interpolation and a
    // block, so the closing quote started a new string that never ends.
    const doubled = p.code === "E0004" ? doubledInStrings(src, pre.stack) : null;
    if (doubled) return { value: null, diagnostics: [at(doubled.message, spanAt(file, src, doubled.pos, doubled.pos + 2))] };
    if (p.code === "E0004" && p.interp !== undefined) {
      const lc = lineCol(src, p.interp);
      return { value: null, diagnostics: [at(M.unclosed("string interpolation", `${lc.line}:${lc.col}`, "}"), spanAt(file, src, p.pos, p.pos + 1),
        { message: "the interpolation starts here", span: spanAt(file, src, p.interp, p.interp + 1) }, LITERAL_BRACE_NOTE)] };
    }
    if (p.code === "E0037") {
      return { value: null, diagnostics: [at(literalBraceMessage(src, p.pos, p.string!), spanAt(file, src, p.pos, p.pos + 1))] };
    }
    const msg = p.code === "E0004" ? M.unterminatedString() : p.code === "E0005" ? M.unterminatedComment() : M.nestingTooDeep(MAX_NESTING);
    return { value: null, diagnostics: [at(msg, spanAt(file, src, p.pos, p.pos + 1))] };
  }

  const lexical: LexicalNote[] = [];
  const diagnostics: Diagnostic[] = [];
  let text = src;
  let module: Module | null = null;
  for (let round = 0; round < MAX_ERRORS; round++) {
    const r = runGrammar(file, text, lexical);
    if (r.module) {
      if (round === 0) module = r.module;
      break;
    }
    diagnostics.push(r.diag!);
    if (r.diag!.code === "E0008") break;
    // Resync: blank everything before the next top-level declaration (keeping
    // newlines, so spans stay right) and parse again for further errors.
    const k = resyncPoint(text, r.failPos!, r.resyncHere ?? false);
    if (k < 0) break;
    text = blank(text, k);
  }

  const seen = new Set<number>();
  for (const n of lexical) {
    if (seen.has(n.span.start)) continue;
    seen.add(n.span.start);
    diagnostics.push(at(n.kind === "number" ? { ...M.badNumber(n.text, n.why), ...(n.fix ? { fix: n.fix } : {}) } : n.kind === "spec" ? M.badFormatSpec(n.why, n.fix) : M.badEscape(n.text), n.span));
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start);
  return { value: module, diagnostics };
}

interface LexicalNote { kind: "number" | "escape" | "spec"; text: string; why: string; span: Span; fix?: string }

const LITERAL_BRACE_NOTE = { message: "`{` in a string starts an interpolation; a literal brace is written `\\{` (and `\\}`)" };

interface GrammarResult { module: Module | null; diag?: Diagnostic; failPos?: number; resyncHere?: boolean }

function runGrammar(file: string, text: string, lexical: LexicalNote[]): GrammarResult {
  try {
    const module = grammar.parse(text, { file, lexical, maxDepth: MAX_GRAMMAR_DEPTH, formatSpec: parseFormatSpec }) as Module;
    return { module };
  } catch (e) {
    if (isProblem(e)) {
      if (e.kind === "incdec") {
        return { module: null, diag: at(M.incDec(e.message, e.fix ?? "x"), spanAt(file, text, e.start, e.end)), failPos: e.start };
      }
      const habit = e.kind === "keyword" ? statementHabit(text, e.start) : null;
      if (habit !== null) return { module: null, diag: at(habit.msg, spanAt(file, text, habit.start, habit.end)), failPos: e.start };
      if (e.kind === "keyword") return { module: null, diag: at(M.keywordAsName(e.message), spanAt(file, text, e.start, e.end)), failPos: e.start };
      if (e.kind === "constpat") return { module: null, diag: at(M.patternConstantRange(e.message, e.fix!), spanAt(file, text, e.start, e.end)), failPos: e.start };
      if (e.kind === "deep") {
        return { module: null, diag: at(M.nestingTooDeep(MAX_NESTING), spanAt(file, text, e.start, e.end)), failPos: e.start };
      }
      return { module: null, diag: at(M.syntax(e.message, e.fix), spanAt(file, text, e.start, e.end)), failPos: e.start };
    }
    if (e instanceof grammar.SyntaxError) {
      return { module: null, ...fromPeggy(file, text, e) };
    }
    if (e instanceof RangeError) {
      const p = scan(text, text.length).deepest ?? 0;
      return { module: null, diag: at(M.nestingTooDeep(MAX_NESTING), spanAt(file, text, p, p + 1)), failPos: p };
    }
    throw e;
  }
}

interface Problem { colang: true; kind: "syntax" | "deep" | "incdec" | "keyword" | "constpat"; message: string; start: number; end: number; fix?: string }

function isProblem(e: unknown): e is Problem {
  return typeof e === "object" && e !== null && (e as { colang?: unknown }).colang === true;
}

// ---------------------------------------------------------------- pre-pass

interface Opener { ch: "(" | "[" | "{" | "I" | "S"; pos: number } // I: `{` of an interpolation, S: inside a string
// `interp`: for E0004, the `{` of the interpolation the string sits in (the
// usual cause is that interpolation's missing `}`: `"a {b"`).
// E0037: a `{` in a string that cannot start an interpolation (`"{}"`, `"{\\"a\\": 1}"`); `string`: where that string starts.
interface ScanResult { stack: Opener[]; deepest?: number; problem: { code: "E0004" | "E0005" | "E0008" | "E0037"; pos: number; interp?: number; string?: number } | null }

/**
 * Walks the source like the lexer would (strings, interpolation, comments)
 * up to `stop`, keeping a stack of open brackets. Iterative, linear time.
 */
export function scan(src: string, stop: number): ScanResult {
  const stack: Opener[] = [];
  let depth = 0;
  let maxDepth = 0;
  let deepest = 0;
  const n = Math.min(stop, src.length);
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    const top = stack.length > 0 ? stack[stack.length - 1] : null;
    if (top !== null && top.ch === "S") {
      if (c === 34) { stack.pop(); i++; continue; } // "
      if (c === 92) { // backslash escape
        if (src.charCodeAt(i + 1) === 10 || i + 1 >= src.length) return { stack, problem: unterminated(stack) };
        if (src[i + 1] === "u" && src[i + 2] === "{") { // \u{XXXX}: its braces are no interpolation
          const close = src.slice(i + 3, i + 16).search(/[}"\n]/);
          if (close >= 0 && src[i + 3 + close] === "}") { i += 4 + close; continue; }
        }
        i += 2; continue;
      }
      if (c === 123) { // { interpolation
        if (!startsInterpolation(src, i + 1)) return { stack, problem: { code: "E0037", pos: i, string: top.pos } };
        stack.push({ ch: "I", pos: i });
        if (++depth > MAX_NESTING) return { stack, problem: { code: "E0008", pos: i } };
        i++; continue;
      }
      if (c === 10) return { stack, problem: unterminated(stack) };
      i++; continue;
    }
    switch (c) {
      case 47: { // /
        const d = src.charCodeAt(i + 1);
        if (d === 47) {
          const nl = src.indexOf("\n", i);
          i = nl < 0 ? src.length : nl;
          continue;
        }
        if (d === 42) {
          const end = src.indexOf("*/", i + 2);
          if (end < 0) return { stack, problem: { code: "E0005", pos: i } };
          i = end + 2;
          continue;
        }
        break;
      }
      case 34: { // "
        if (src.startsWith('"""', i)) {
          const end = src.indexOf('"""', i + 3);
          if (end < 0) return { stack, problem: { code: "E0004", pos: i } };
          i = end + 3;
          continue;
        }
        stack.push({ ch: "S", pos: i });
        i++;
        continue;
      }
      case 58: // `:` right inside an interpolation: a format spec, up to the `}` (the grammar's FormatSpec)
        if (top !== null && top.ch === "I") {
          while (i + 1 < n && !/[}"\n]/.test(src[i + 1])) i++;
        }
        break;
      case 40: case 91: case 123: // ( [ {
        stack.push({ ch: c === 40 ? "(" : c === 91 ? "[" : "{", pos: i });
        if (++depth > MAX_NESTING) return { stack, problem: { code: "E0008", pos: i } };
        if (depth > maxDepth) { maxDepth = depth; deepest = i; }
        break;
      case 41: case 93: case 125: { // ) ] }
        if (top !== null && matches(top.ch, c)) { stack.pop(); depth--; }
        break;
      }
    }
    i++;
  }
  if (n >= src.length && stack.length > 0 && stack[stack.length - 1].ch === "S") {
    return { stack, problem: unterminated(stack) };
  }
  return { stack, deepest, problem: null };
}

/** Can the text after a string's `{` be an interpolation? Not when it is empty (`{}`, `{:x}`) or starts with `\\`. */
function startsInterpolation(src: string, i: number): boolean {
  while (src[i] === " " || src[i] === "\t") i++;
  return !(src[i] === "}" || src[i] === ":" || src[i] === "\\");
}

/** The `{{` (E0037) in one of the strings open on `stack` (innermost first), or in the one starting at `also`. */
function doubledInStrings(src: string, stack: Opener[], also?: number): ReturnType<typeof doubledBrace> {
  const strings = [...(also !== undefined ? [also] : []), ...stack.filter((o) => o.ch === "S").map((o) => o.pos).reverse()];
  for (const start of strings) {
    const doubled = doubledBrace(src, start);
    if (doubled) return doubled;
  }
  return null;
}

function unterminated(stack: Opener[]): ScanResult["problem"] {
  const s = stack[stack.length - 1];
  const parent = stack.length > 1 ? stack[stack.length - 2] : null;
  return { code: "E0004", pos: s.pos, interp: parent !== null && parent.ch === "I" ? parent.pos : undefined };
}

function matches(open: Opener["ch"], close: number): boolean {
  return (open === "(" && close === 41) || (open === "[" && close === 93) || ((open === "{" || open === "I") && close === 125);
}

// ---------------------------------------------------------------- peggy errors

const CLOSER: Record<string, string> = { "(": ")", "[": "]", "{": "}", "I": "}" };
const OPENER_NAME: Record<string, string> = { "(": "parenthesis", "[": "bracket", "{": "block", "I": "string interpolation" };

// Tokens that merely continue what came before (operators, postfix, assignment);
// dropped from "expected ..." when something more telling is expected too.
const CONTINUATIONS = new Set([
  "an operator", "`.`", "`(`", "`[`", "`{`", "`!`", "`?`", "`as`", "`..`", "`..=`", "`<`",
  "`=`", "`+=`", "`-=`", "`*=`", "`/=`", "`%=`", "`&=`", "`|=`", "`^=`", "`<<=`", "`>>=`",
]);
// What can start a pattern: summarised as "a pattern" when a name is not the point.
const PATTERN_STARTS = new Set(["a number", "a string", "`true`", "`false`", "`_`", "`none`", "`(`", "`-`", "a name"]);

interface Expectation { type: string; text?: string; description?: string }
interface PeggyError { expected: Expectation[] | null; found: string | null; message: string; location: { start: { offset: number } } }

function fromPeggy(file: string, src: string, e: PeggyError): { diag: Diagnostic; failPos: number; resyncHere?: boolean } {
  const p = e.location.start.offset;
  const found = describeFound(src, p);
  const tokEnd = p + found.length;

  // Unclosed bracket: failure at end of file, at a closer that does not match,
  // or at a top-level declaration keyword in column 1.
  const { stack } = scan(src, p);
  const opens = stack.filter((o) => o.ch !== "S");
  const top = opens.length > 0 ? opens[opens.length - 1] : null;
  if (top !== null) {
    const c = src.charCodeAt(p);
    const atEnd = onlyTrivia(src, p);
    const badCloser = (c === 41 || c === 93 || c === 125) && !matches(top.ch, c);
    const declLine = declLineStart(src, p);
    const atDecl = declLine >= 0 && top.ch === "{" && top.pos < declLine;
    if (atEnd || badCloser || atDecl) {
      const lc = lineCol(src, top.pos);
      const msg = M.unclosed(OPENER_NAME[top.ch], `${lc.line}:${lc.col}`, CLOSER[top.ch]);
      const where = atDecl && !atEnd && !badCloser ? declLine : p;
      const end = atEnd ? where : atDecl && !badCloser ? where + 1 : tokEnd;
      return {
        diag: at(msg, spanAt(file, src, where, end), { message: `the ${OPENER_NAME[top.ch]} is opened here`, span: spanAt(file, src, top.pos, top.pos + 1) }),
        failPos: where,
        resyncHere: atDecl && !atEnd && !badCloser,
      };
    }
  }

  // A failure inside a string with a `{{` in it: the `{{` was meant as a literal brace.
  const doubled = doubledInStrings(src, stack, src[p] === '"' ? p : undefined);
  if (doubled) return { diag: at(doubled.message, spanAt(file, src, doubled.pos, doubled.pos + 2)), failPos: p };

  let expected = summarize(e.expected ?? []);
  const habit = habitAt(src, p, expected);
  if (habit !== null) return { diag: at(habit.msg, spanAt(file, src, habit.start, habit.end)), failPos: p };
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(p, p + 64));
  if (word && KEYWORDS.has(word[0]) && expected.includes("a name")) {
    return { diag: at(M.keywordAsName(word[0]), spanAt(file, src, p, p + word[0].length)), failPos: p };
  }
  if (expected.includes("a name") && expected.every((x) => PATTERN_STARTS.has(x)) && expected.length > 2) expected = ["a pattern"];
  let message: string;
  if (found.kind === "eof") {
    message = expected.length > 0 ? `unexpected end of file: expected ${orList(expected)}` : "unexpected end of file";
  } else {
    message = expected.length > 0 ? `expected ${orList(expected)}, found ${found.text}` : `unexpected ${found.text}`;
  }
  let fix: string | undefined;
  if (expected.length === 1) {
    const tok = /^`([^`]+)`/.exec(expected[0]);
    if (tok) fix = `insert \`${tok[1]}\``;
  }
  const m: Message = M.syntax(message, fix);
  const notes = [];
  // `if x == Foo { a: 1 } {`: the `{` was taken as the start of the block.
  const lineBefore = src.slice(src.lastIndexOf("\n", p - 1) + 1, p);
  if (found.text === "`:`" && /\b(if|while|for|match)\b.*\b[A-Za-z_][A-Za-z0-9_.]*\s*\{\s*[A-Za-z_][A-Za-z0-9_]*\s*$/.test(lineBefore)) {
    notes.push({ message: "a struct literal in the condition of `if`, `while`, `for` or `match` must be in parentheses: `(Name { ... })`" });
  }
  return { diag: at(m, spanAt(file, src, p, found.kind === "eof" ? p : tokEnd), ...notes), failPos: p };
}

function summarize(exps: Expectation[]): string[] {
  const out: string[] = [];
  for (const x of exps) {
    let d: string;
    if (x.type === "literal") d = "`" + (x.text ?? "") + "`";
    else if (x.type === "end") d = "end of file";
    else if (x.type === "other") d = x.description ?? "";
    else continue; // classes and `any` only come from inside named rules
    if (d === "whitespace" || d === "" || out.includes(d)) continue;
    out.push(d);
  }
  // `=` after `let x` / `const X: T`, `{` after `else`: there they are the point.
  const keep = new Set<string>();
  if (out.includes("`:`")) keep.add("`=`");
  if (out.includes("`if`")) keep.add("`{`");
  const strong = out.filter((d) => (keep.has(d) || !CONTINUATIONS.has(d)) && d !== "end of file");
  let list = strong.length > 0 ? strong : out;
  if (list.includes("a declaration")) list = list.filter((d) => d === "a declaration");
  // Statement starts: `let`, `while`, ... next to "an expression" say "a statement".
  const stmtKw = ["`let`", "`var`", "`const`", "`while`", "`for`", "`return`", "`break`", "`continue`", "`{`"];
  if (list.includes("an expression") && list.includes("`let`")) {
    list = ["a statement", ...list.filter((d) => d !== "an expression" && !stmtKw.includes(d))];
  }
  // Order: descriptions first, then literal tokens; keep it short.
  list = [...list.filter((d) => !d.startsWith("`")), ...list.filter((d) => d.startsWith("`"))];
  return list.slice(0, 5);
}

function orList(xs: string[]): string {
  if (xs.length === 1) return xs[0];
  return xs.slice(0, -1).join(", ") + " or " + xs[xs.length - 1];
}

interface Found { kind: "eof" | "token"; text: string; length: number }

function describeFound(src: string, p: number): Found {
  if (p >= src.length) return { kind: "eof", text: "end of file", length: 0 };
  const rest = src.slice(p, p + 80);
  if (rest[0] === "\n" || rest.startsWith("\r\n")) return { kind: "token", text: "end of line", length: 1 };
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  if (word) {
    const w = word[0];
    return { kind: "token", text: KEYWORDS.has(w) ? `keyword \`${w}\`` : `\`${w}\``, length: w.length };
  }
  const num = /^[0-9][0-9A-Za-z_.]*/.exec(rest);
  if (num) return { kind: "token", text: `\`${num[0]}\``, length: num[0].length };
  if (rest[0] === '"') return { kind: "token", text: "a string", length: 1 };
  const op = /^(\?\?|&&|\|\||==|!=|<=|>=|=>|\.\.=|\.\.|<<|>>|[-+*\/%=<>!&|^~.,:;?()[\]{}])/.exec(rest);
  if (op) return { kind: "token", text: `\`${op[0]}\``, length: op[0].length };
  const cp = src.codePointAt(p)!;
  const ch = String.fromCodePoint(cp);
  if (cp < 32 || cp === 0x7f || cp === 0xfffd) {
    return { kind: "token", text: `character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`, length: ch.length };
  }
  return { kind: "token", text: `character \`${ch}\``, length: ch.length };
}

/** True if only whitespace and comments remain from p. */
function onlyTrivia(src: string, p: number): boolean {
  let i = p;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) { i++; continue; }
    if (c === 47 && src.charCodeAt(i + 1) === 47) {
      const nl = src.indexOf("\n", i);
      if (nl < 0) return true;
      i = nl; continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) return true;
      i = end + 2; continue;
    }
    return false;
  }
  return true;
}

/** If the line containing p starts (column 1) with a declaration keyword, its start offset; else -1. */
function declLineStart(src: string, p: number): number {
  const ls = src.lastIndexOf("\n", p - 1) + 1;
  return RESYNC.test(src.slice(ls, ls + 16)) ? ls : -1;
}

/** Start of the next line after the one containing `p` that begins with a declaration keyword; -1 if none. */
function resyncPoint(src: string, p: number, here: boolean): number {
  if (here) return src.lastIndexOf("\n", p - 1) + 1;
  let nl = src.indexOf("\n", p);
  while (nl >= 0) {
    const ls = nl + 1;
    if (RESYNC.test(src.slice(ls, ls + 16))) return ls;
    nl = src.indexOf("\n", ls);
  }
  return -1;
}

function blank(src: string, k: number): string {
  return src.slice(0, k).replace(/[^\n]/g, " ") + src.slice(k);
}

function spanAt(file: string, src: string, start: number, end: number): Span {
  const s = Math.max(0, Math.min(start, src.length));
  const { line, col } = lineCol(src, s);
  return { file, start: s, end: Math.max(s, Math.min(end, src.length)), line, col };
}
