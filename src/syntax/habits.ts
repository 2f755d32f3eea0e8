// Spellings from other languages (TypeScript, Go, Rust, Python, C) that fail
// to parse: recognised at the failure point of a peggy parse, so that the
// diagnostic names the habit and gives the Colang spelling (E0030–E0036;
// the statement shapes, E0039–E0045, are in habits-statements.ts; type,
// parameter and literal spellings, E0047–E0049, in habits-types.ts),
// instead of a list of expected tokens. Only patterns that cannot be valid
// Colang are recognised; everything else keeps the generic message.

import type { Message } from "../diagnostics.js";
import { M } from "../messages.js";
import { statementHabit } from "./habits-statements.js";
import { typeHabit } from "./habits-types.js";
import { slipHabit } from "./habits-slips.js";
import { layoutHabit } from "./habits-layout.js";

export interface Habit { msg: Message; start: number; end: number }

// Declaration keywords of other languages, each with the Colang one.
const FN_WORDS = new Set(["func", "function", "def", "fun", "fnc"]);
const ELIF_WORDS = new Set(["elif", "elsif", "elseif"]);
// `new Map()` and the like: the Colang empty collections.
const COLLECTION_LITERALS: Record<string, string> = { Map: "{}` or `Map()", HashMap: "{}` or `Map()", Set: "Set()", HashSet: "Set()", Array: "[]` or `Vec()", ArrayList: "[]` or `Vec()", Vec: "[]` or `Vec()" };
/** A declaration giving an empty collection its type, by the literal the fix writes. */
const EMPTY_EXAMPLES: Record<string, string> = { "{}": "var m: Map<string, int> = {}", "Set()": "var s: Set<string> = Set()", "[]": "var v: Vec<int> = []" };

/**
 * The habit that explains a parse failure at `p`, if any. `expected` is the
 * summarised expectation list (parse.ts), e.g. ["a declaration"].
 */
export function habitAt(src: string, p: number, expected: string[]): Habit | null {
  const lineStart = src.lastIndexOf("\n", p - 1) + 1;
  const before = src.slice(lineStart, p);
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(p, p + 64))?.[0] ?? null;

  // `i++`, `v[i--]`: the second `+` was taken as a prefix operator with no operand.
  const inc = /([A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]\n]*\])?)[ \t]*(\+\+|--)[ \t]*$/.exec(before);
  if (inc) {
    const opAt = lineStart + before.lastIndexOf(inc[2]);
    return { msg: M.incDec(inc[2], inc[1]), start: opAt, end: opAt + 2 };
  }
  // `i++` when the parse stops at the second `+` (a unary `+` does not exist: it cannot start an operand)
  const inc1 = /([A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]\n]*\])?)[ \t]*\+$/.exec(before);
  if (inc1 && src[p] === "+" && src[p + 1] !== "=") return { msg: M.incDec("++", inc1[1]), start: p - 1, end: p + 1 };
  // `a === b`: `==` parsed, then `=` cannot start an expression.
  if (src[p] === "=" && (src.startsWith("===", p - 2) || src.startsWith("!==", p - 2))) {
    return { msg: M.strictEq(src.slice(p - 2, p + 1)), start: p - 2, end: p + 1 };
  }
  if (src[p] === "`") return { msg: M.templateString(templateFix(src, p)), start: p, end: p + 1 };
  // `|x: int| -> int { ... }` (Rust): `-` parsed as a unary minus, then `>` cannot start its operand.
  if (src[p] === ">" && src[p - 1] === "-") {
    const pipe = /(async[ \t]+)?\|([^|\n]*)\|[ \t]*-$/.exec(before);
    if (pipe !== null) {
      const ret = /^>[ \t]*([A-Za-z_][A-Za-z0-9_<>, ]*?)[ \t]*\{/.exec(src.slice(p, p + 120))?.[1] ?? "T";
      const fix = `write \`${pipe[1] ?? ""}fn(${pipe[2].trim()}): ${ret} { ... }\`, or leave the return type out: \`${pipe[1] ?? ""}|${pipe[2].trim()}| { ... }\``;
      return { msg: M.arrow("a closure's return type", fix), start: p - 1, end: p + 1 };
    }
  }
  if (src.startsWith("->", p)) {
    if (expected.includes("`=>`")) return { msg: M.arrow("a match arm", "write `pattern => value`"), start: p, end: p + 2 };
    const line = src.slice(lineStart, (src.indexOf("\n", p) + 1 || src.length + 1) - 1);
    const head = /\bfn\b[^{]*/.exec(line)?.[0].trimEnd();
    const fix = head !== undefined ? `write \`${head.replace(/\s*->\s*/, ": ")}\`` : "write `fn name(x: int): int { ... }`";
    return { msg: M.arrow("a return type", fix), start: p, end: p + 2 };
  }
  const asyncFn = word !== null && FN_WORDS.has(word) && /(^|[ \t])async[ \t]+$/.test(before);
  if (word !== null && (expected.includes("a declaration") || asyncFn) && FN_WORDS.has(word)) {
    return { msg: M.foreignKeyword(word, "fn", fnHeaderFix(src, p, word, asyncFn)), start: p, end: p + word.length };
  }
  if (word !== null && ELIF_WORDS.has(word) && expected.includes("`else`")) {
    return { msg: M.foreignKeyword(word, "else if", "write `} else if cond {`"), start: p, end: p + word.length };
  }
  if (word !== null && expected.includes("a declaration")) {
    const decl = foreignDeclaration(word, src.slice(p + word.length, p + word.length + 120));
    if (decl !== null) return { msg: decl, start: p, end: p + word.length };
  }
  const stmt = layoutHabit(src, p, expected) ?? statementHabit(src, p) ?? typeHabit(src, p, expected) ?? slipHabit(src, p, expected);
  if (stmt !== null) return stmt;
  // The statement's first word parsed as a name, and the next token cannot follow a name.
  const lead = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]+$/.exec(before);
  if (lead !== null) {
    const at = lineStart + before.indexOf(lead[1]);
    const span = { start: at, end: at + lead[1].length };
    if (lead[1] === "switch") return { msg: M.foreignKeyword("switch", "match", "write `match value { 1 => a, _ => b }`: arms do not fall through"), ...span };
    if (lead[1] === "go" && word !== null) return { msg: M.foreignKeyword("go", "spawn", `write \`spawn ${word}(...)\`: the function must be \`async\`, and its task runs on the same event loop`), ...span };
    if (FN_WORDS.has(lead[1]) && word !== null) return { msg: M.foreignKeyword(lead[1], "fn", "write `fn name(x: int): int { ... }`, or a closure `|x| x + 1`"), ...span };
  }
  // `new User("a")`: `new` parsed as a name, then the type name cannot follow it.
  const ctor = /\bnew[ \t]+$/.exec(before);
  if (ctor !== null && word !== null && /^[A-Z]/.test(word)) {
    const at = lineStart + ctor.index;
    const empty = COLLECTION_LITERALS[word];
    const fix = empty !== undefined ? `write \`${empty}\` (an empty literal takes its type from the declaration: \`${EMPTY_EXAMPLES[empty.split("`")[0]]}\`)`
      : `write \`${word} { field: value }\`, or call a static method such as \`${word}.new(...)\` when the type declares one`;
    return { msg: M.foreignKeyword("new", empty !== undefined ? empty.split("`")[0] : `${word} { ... }`, fix), start: at, end: at + 3 };
  }
  // `typeof x`, `x instanceof User`: types are static; a value of several kinds is an enum.
  const typeOf = /\btypeof[ \t]+$/.exec(before);
  if ((typeOf !== null && word !== null) || word === "instanceof") {
    const at = typeOf !== null ? lineStart + typeOf.index : p;
    return { msg: M.runtimeType(typeOf !== null ? "typeof" : "instanceof", "for a value that may hold different kinds of data, declare an `enum` with one variant per kind and `match` on it; `println(\"{x}\")` shows a value while debugging"), start: at, end: at + (typeOf !== null ? 6 : 10) };
  }
  // `let mut x = 1`: `mut` parsed as the binding's name.
  const letMut = /\blet[ \t]+mut[ \t]+$/.exec(before);
  if (letMut !== null && word !== null) {
    const at = lineStart + letMut.index;
    return { msg: M.letMut(word), start: at, end: at + letMut[0].trimEnd().length };
  }
  // `for var c in cs`, `for mut c in cs`, `for let c in cs`.
  const forKw = /\bfor[ \t]+(var|let|mut|const)[ \t]+$/.exec(before);
  const forHere = word !== null && /\bfor[ \t]+$/.test(before) && (word === "var" || word === "let" || word === "const") ? word : null;
  if (forKw !== null || forHere !== null) {
    const kw = forKw !== null ? forKw[1] : forHere!;
    const kwAt = forKw !== null ? lineStart + forKw.index + forKw[0].indexOf(kw, 3) : p;
    const m = /^(?:var|let|mut|const)[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+in[ \t]+([A-Za-z_][A-Za-z0-9_.]*)/.exec(src.slice(kwAt, kwAt + 200));
    return { msg: M.forVar(kw, m?.[1] ?? "x", m?.[2] ?? "v"), start: kwAt, end: kwAt + kw.length };
  }
  return null;
}

/**
 * `function id<T>(x: T): T {`: the header with `fn`, its type parameters and types kept (`Promise<T>` is `T` in an
 * async function); a parameter without a type gets a placeholder the fix says to replace.
 */
function fnHeaderFix(src: string, p: number, word: string, async: boolean): string {
  const nl = src.indexOf("\n", p);
  const rest = src.slice(p + word.length, nl < 0 ? src.length : nl);
  const head = /^[ \t]+([A-Za-z_][A-Za-z0-9_]*(?:<[^>(]*>)?)\(([^)]*)\)([^{]*)/.exec(rest);
  if (head === null) return "write `fn name(x: int): int { ... }` (parameter types after `:`)";
  const params = head[2].split(",").map((x) => x.trim()).filter((x) => x !== "");
  const untyped = params.some((x) => !x.includes(":"));
  const ret = head[3].trim().replace(/^:\s*Promise<(.*)>$/, ": $1").replace(/^->\s*/, ": ");
  const text = `${async ? "async " : ""}fn ${head[1]}(${params.map((x) => (x.includes(":") ? x : `${x}: int`)).join(", ")})${ret ? ` ${ret}`.replace(/^ :/, ":") : ""}`;
  if (text.length > 100) return "write `fn name(x: int): int { ... }` (parameter types after `:`)";
  return `write \`${text}\`${untyped ? " with each parameter's type in place of `int`" : ""}`;
}

/** `\`a ${x} b\`` -> `"a {x} b"` when the template closes on the same line. */
function templateFix(src: string, p: number): string {
  let out = "";
  let i = p + 1;
  while (i < src.length && src[i] !== "`" && src[i] !== "\n") {
    const c = src[i];
    if (c === "$" && src[i + 1] === "{") {
      // Copy the interpolated expression up to its matching `}`.
      let depth = 1, j = i + 2;
      while (j < src.length && depth > 0 && src[j] !== "\n") { if (src[j] === "{") depth++; else if (src[j] === "}") depth--; j++; }
      if (depth > 0) break;
      out += "{" + src.slice(i + 2, j - 1) + "}";
      i = j;
      continue;
    }
    out += c === '"' ? '\\"' : c === "{" ? "\\{" : c === "}" ? "\\}" : c;
    i++;
  }
  if (src[i] !== "`") return '`"text {expr}"`';
  return "`\"" + out + "\"`";
}

/** `class`, `interface`, `export`, `use`, `package`, `type` where a declaration belongs. */
function foreignDeclaration(word: string, after: string): Message | null {
  const name = /^[ \t]+([A-Za-z_][A-Za-z0-9_]*)/.exec(after)?.[1] ?? "Name";
  switch (word) {
    case "class":
      return M.foreignKeyword("class", "struct", `write \`struct ${name} { field: type }\` for the fields and \`impl ${name} { fn method(self) { ... } }\` for the methods; there is no inheritance`);
    case "interface":
      return M.foreignKeyword("interface", "struct` or `trait", `for a shape of data write \`struct ${name} { field: type }\`; for a set of methods that types implement, \`trait ${name} { fn method(self): int }\``);
    case "type": {
      // `type Handler = async fn(...)`: an alias (TypeScript, Go, Rust), not a struct (tester round 11)
      const alias = /^[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*(?:<[^=\n]*>)?[ \t]*=(?!=)[ \t]*([^\n]*)/.exec(after);
      if (alias) {
        const rhs = alias[1].replace(/[ \t;]+$/, "");
        return M.typeAlias(name, rhs && rhs.length <= 60 && !rhs.includes("{") ? rhs : null);
      }
      return M.foreignKeyword("type", "struct", `write \`struct ${name} { field: type }\` (or \`enum ${name} { A, B(int) }\` for a union)`);
    }
    case "export":
      return M.foreignKeyword("export", "pub", "write `pub` before the declaration: `pub fn`, `pub struct`");
    case "use": case "package": case "from": case "using": case "require":
      return M.foreignKeyword(word, "import", word === "package" ? "remove it: each file is a module, named by its path" : "write `import std/http` for a std module, `import ./store` for ./store.co; names are used as `http.serve`, `store.X`");
  }
  return null;
}
