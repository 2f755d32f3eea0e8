// Checker-side help for habits from other languages: names, fields, casts
// and loop forms that are valid syntax but mean nothing (or something else)
// in Colang. Each function returns the Colang spelling for a diagnostic the
// checker already reports; the parse-level habits are in syntax/habits.ts.

import type * as A from "../syntax/ast.js";
import type { Message } from "../diagnostics.js";
import { M } from "../messages.js";
import type { CheckContext } from "./context.js";
import { showType, typeEq, type FnInfo, type LocalVar, type Type } from "./types.js";

/** Unknown names that are other languages' spellings of a Colang value or function. */
export function foreignName(name: string): Message | null {
  switch (name) {
    case "null": case "nil": case "undefined": case "None": case "NULL": case "nullptr":
      return M.foreignName(name, "Colang's absent value is `none`", "write `none`; the type must be optional, e.g. `let x: int? = none`");
    case "True": case "False":
      return M.foreignName(name, "Colang's booleans are lower case", `write \`${name.toLowerCase()}\``);
    case "this":
      return M.foreignName(name, "a method's receiver is `self`", "write `self` (declare it as the method's first parameter: `fn name(self)`, or `mut self` to change it)");
    case "len": case "length": case "count":
      return M.foreignName(name, "the length is a method", "write `x.len()` (strings, Vec, Map and Set)");
    case "range":
      return M.foreignName(name, "a range is written with `..`", "write `0..n` (`..=` includes the end): `for i in 0..n { ... }`");
    case "append":
      return M.foreignName(name, "a Vec grows in place", "write `v.push(x)`");
    case "make":
      return M.foreignName(name, "collections are made by literals", "write `[]` or `Vec()` for a Vec, `{}` or `Map()` for a Map, `Set()` for a Set");
    case "vec":
      return M.foreignName(name, "Colang has no macros, and a Vec literal needs none", "write the elements in brackets: `[1, 2, 3]` (`[]` for an empty Vec, with its type declared)");
    case "Some":
      return M.foreignName(name, "an optional `T?` holds the value itself", "write the value: `let x: int? = 5`; `if let v = opt { ... }` binds it, `match` uses the pattern `v` or `none`");
    case "str": case "String": case "toString":
      return M.foreignName(name, "a value converts to a string by interpolation", "write `\"{x}\"`");
    case "parseInt": case "parseFloat": case "Number": case "atoi":
      return M.foreignName(name, "parsing is a string method", "write `s.parseInt()` or `s.parseFloat()`; they give `none` when the text is not a number");
    case "Math":
      return M.foreignName(name, "the math module is lower case", "write `math.max(a, b)`, `math.sqrt(x)`, `math.PI` (no import needed)");
    case "JSON":
      return M.foreignName(name, "JSON is the `std/json` module, lower case", "write `json.encode(v)` for `JSON.stringify(v)` and `json.decode<T>(s)` (a `Result`) for `JSON.parse(s)`, with `import std/json`");
    case "Object":
      return M.foreignName(name, "a Map's keys and values are its own methods", "write `m.keys()` for `Object.keys(m)`, `m.values()` for `Object.values(m)`, and `for (k, v) in m { ... }` for `Object.entries(m)`");
    case "console": case "fmt": case "System": case "printf": case "puts": case "echo":
      return M.foreignName(name, "Colang prints with `println`", "write `println(x)`, or `print(x)` without the newline; `\"a {x} b\"` interpolates");
  }
  return null;
}

/** Other languages' names of Colang's types (E0101's fix). */
export function foreignType(name: string): Message | null {
  const say = (colang: string, why?: string) => M.unknownTypeFix(name, `write \`${colang}\`${why ? `; ${why}` : ""}`);
  switch (name) {
    case "number": return say("int", "`float` for a fractional number");
    case "boolean": case "Boolean": return say("bool");
    case "str": case "String": case "char": case "rune": return say("string", name === "char" || name === "rune" ? "a character is a one-character string; `s.chars()` gives them" : undefined);
    case "usize": case "isize": case "int64": case "long": case "Int": case "Integer": return say("int", "`int` is 64-bit");
    case "float64": case "double": case "Float": case "Double": return say("float", "`float` is 64-bit");
    case "Array": case "List": case "ArrayList": case "list": case "slice": return say("Vec<T>", "`[1, 2]` is a Vec literal");
    case "HashMap": case "BTreeMap": case "Record": case "Dictionary": case "dict": case "map": case "Object": return say("Map<K, V>", "`{}` is an empty Map");
    case "HashSet": case "BTreeSet": case "set": return say("Set<T>");
    case "Option": case "Optional": case "Maybe": return say("T?", "an optional is `T?`, its absent value `none`");
    case "void": case "None": case "unit": return M.unknownTypeFix(name, "leave the return type out: `fn f() { ... }` returns nothing");
    case "any": case "unknown": case "interface": case "Any": return M.unknownTypeFix(name, "Colang has no dynamic type: use a generic `fn f<T>(x: T)`, or an enum that lists the possible types");
    case "error": case "Error": case "Exception": return M.unknownTypeFix(name, "declare the errors as an enum (`enum MyError { NotFound, Bad(string) }`) or use `string`, and return `Result<T, MyError>`");
    case "Promise": case "Future": return M.unknownTypeFix(name, "an `async fn f(): T` returns `T` to an `await`; write the result type itself");
  }
  return null;
}

// The std modules a file must import before naming (std/NAME.co; `runtime` and `math` need no import).
const STD_MODULES = new Set(["time", "fs", "os", "io", "http", "json", "random"]);

/** `time.sleep(10)` without `import std/time`. */
export function missingStdImport(name: string): Message | null {
  if (!STD_MODULES.has(name)) return null;
  return M.foreignName(name, `\`${name}\` is a standard library module, and this file does not import it`, `add \`import std/${name}\` at the top of the file`);
}

/** `.length`, `.size()`, `.count`: Colang's collections and strings have `len()`. */
export function lengthAlias(t: Type, name: string): boolean {
  return (t.k === "string" || t.k === "vec" || t.k === "map" || t.k === "set" || t.k === "builder") &&
    /^(length|size|count|Length|Count|Size|len)$/.test(name);
}

/** The source text of a node, for fixes that repeat the programmer's own expression. */
export function sourceText(cx: CheckContext, span: A.Span): string {
  return cx.program.sources.get(span.file)?.slice(span.start, span.end) ?? "x";
}

/** Source text to write before a postfix (`!.f`, `.mapErr(...)`) in a fix: parenthesised unless it is a plain path or call. */
export function postfixOperand(text: string): string {
  return /^[\w.()"]+$/.test(text) ? text : `(${text})`;
}

/** A fix naming the operand when it is short enough to read. */
function operand(cx: CheckContext, e: A.Expr): string {
  const s = sourceText(cx, e.span);
  return s.length <= 40 && !s.includes("\n") ? s : "x";
}

/** `x as string` and `s as int`: conversions that are not casts in Colang. */
export function castFix(cx: CheckContext, e: A.Expr, from: Type, to: Type): string | undefined {
  const x = operand(cx, e);
  const simple = /^([A-Za-z_][A-Za-z0-9_.]*|"[^"{]*")$/.test(x) ? x : `(${x})`;
  if (to.k === "string") return `interpolate it: \`"{${x}}"\``;
  if (to.k === "optional" && typeEq(from, to.inner)) {
    return `\`${showType(from)}\` converts to \`${showType(to)}\` by itself where one is expected: write \`${x}\`, or declare the variable's type, \`let x: ${showType(to)} = ${x}\``;
  }
  if (from.k === "string" && to.k === "int") return `parse it: \`${simple}.parseInt()\` gives \`int?\` (\`none\` when it is not a number)`;
  if (from.k === "string" && to.k === "float") return `parse it: \`${simple}.parseFloat()\` gives \`float?\``;
  return undefined;
}

/**
 * E0200 on a comparator's body (`|a, b| a.price - b.price` of floats, `|a, b| a.name < b.name`):
 * `as int` would make a difference below 1 zero, so the fix compares, keeping the order the body meant.
 */
export function comparatorFix(cx: CheckContext, body: A.Expr, found: Type): string {
  let l = "a.x", r = "b.x";
  if (body.kind === "Binary" && ["-", "<", "<=", ">", ">="].includes(body.op)) {
    const [x, y] = [operand(cx, body.left), operand(cx, body.right)];
    if (x !== "x" && y !== "x") [l, r] = body.op === ">" || body.op === ">=" ? [y, x] : [x, y];
  }
  const why = found.k === "float" ? "and `as int` would turn a difference below 1 into 0 (a wrong order)" : "not a `bool`";
  return `a comparator returns a negative, zero or positive \`int\`, ${why}: compare instead, \`if ${l} < ${r} { -1 } else if ${l} > ${r} { 1 } else { 0 }\``;
}

// Each for-loop variable's iterated expression and a map loop's key name, in cx.habits (context.ts HabitNotes).

export function recordLoopVars(cx: CheckContext, iterable: Iterable<LocalVar>, iter: A.Expr, pattern: A.Pattern): void {
  const vars = [...iterable];
  for (const v of vars) cx.habits.loopIters.set(v, iter);
  if (pattern.kind === "PTuple" && pattern.elems.length === 2 && pattern.elems[0].kind === "PBind" && pattern.elems[1].kind === "PBind") {
    const key = pattern.elems[0].name, value = pattern.elems[1].name;
    for (const v of vars) if (v.name === value) cx.habits.loopKeys.set(v, key);
  }
}

/** E0220 on a loop variable: it is a copy, so the fix changes the element through its index. */
export function loopVarMutFix(cx: CheckContext, v: LocalVar, method: string): string | undefined {
  return loopVarFix(cx, v, (el) => `${el}.${method}()`);
}

/** E0202 on a loop variable (`c.n = 5`, `x += 1`): the same index form, with the assignment. */
export function loopVarAssignFix(cx: CheckContext, v: LocalVar, target: A.Expr, op: string, value: A.Expr): string | undefined {
  const text = sourceText(cx, target.span);
  if (!text.startsWith(v.name)) return undefined;
  return loopVarFix(cx, v, (el) => `${el}${text.slice(v.name.length)} ${op} ${valueText(cx, value)}`);
}

/** The assigned value as written when it is short, else `...`. */
function valueText(cx: CheckContext, value: A.Expr): string {
  const x = operand(cx, value);
  return x === "x" && sourceText(cx, value.span) !== "x" ? "..." : x;
}

function loopVarFix(cx: CheckContext, v: LocalVar, use: (element: string) => string): string | undefined {
  const iter = cx.habits.loopIters.get(v);
  if (!iter) return undefined;
  const it = operand(cx, iter);
  const named = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(it);
  const t = cx.out.exprTypes.get(iter);
  if (t?.k === "vec" && named) {
    return `\`${v.name}\` is a copy of the element; to change the element in place, loop over the indices: \`for i in 0..${it}.len() { ${use(`${it}[i]`)} }\``;
  }
  if (t?.k === "vec") return `\`${v.name}\` is a copy of the element; store the Vec in a \`var\` and change the element through its index: \`v[i]\``;
  const key = cx.habits.loopKeys.get(v);
  if (t?.k === "map" && named && key) return `\`${v.name}\` is a copy of the entry's value; change the entry in place through its key: \`${use(`${it}[${key}]`)}\``;
  return undefined;
}

// Locals bound by a `match` arm's or an `if let`'s pattern, with the matched expression (for E0202's fix).
// (cx.habits.patternSubjects)

export function recordPatternVars(cx: CheckContext, vars: Iterable<LocalVar>, subject: A.Expr): void {
  for (const v of vars) cx.habits.patternSubjects.set(v, subject);
}

/** A local bound by a `match` arm's or an `if let`'s pattern (which has no `var` form). */
export function isPatternBinding(cx: CheckContext, v: LocalVar): boolean {
  return cx.habits.patternSubjects.has(v);
}

/**
 * E0202 on a binding of a pattern (`if let u = users.get(1) { u.name = "b" }`, `Banned(r) => r = "x"`):
 * a pattern binding cannot be `var`. A binding of a whole global entry is changed through the global path
 * (docs/memory.md); any other is copied, or the matched place is assigned.
 */
export function patternBindAssignFix(cx: CheckContext, v: LocalVar, target: A.Expr, op: string, value: A.Expr): string | undefined {
  const subject = cx.habits.patternSubjects.get(v);
  if (!subject) return undefined;
  const text = sourceText(cx, target.span);
  const rest = text.startsWith(v.name) ? text.slice(v.name.length) : null;
  const place = globalPlace(cx, subject);
  if (place && rest !== null) {
    return `a pattern's binding cannot be \`var\`; change the global's entry through its path: \`${place}${rest} ${op} ${valueText(cx, value)}\``;
  }
  const subj = operand(cx, subject);
  const assign = subj !== "x" && placeLike(subj) ? `, or assign the matched value itself: \`${subj} = ...\`` : "";
  return `a pattern's binding cannot be \`var\`: copy it first, \`var ${v.name}2 = ${v.name}\`${assign}`;
}

function placeLike(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_0-9]+|\[[^\]]+\])*$/.test(text);
}

/** `users[1]` for a subject `users.get(1)`, `users.get(1)!` or `users[1]` whose root is a global; null otherwise. */
function globalPlace(cx: CheckContext, e: A.Expr): string | null {
  if (e.kind === "Unwrap") e = e.operand;
  let root: A.Expr = e;
  let place: string | null = null;
  if (e.kind === "Call" && e.callee.kind === "Field" && e.callee.name === "get" && e.args.length === 1) {
    root = e.callee.target;
    const [m, k] = [operand(cx, root), operand(cx, e.args[0])];
    place = m !== "x" && k !== "x" ? `${m}[${k}]` : null;
  } else if (e.kind === "Index") {
    root = e.target;
    place = operand(cx, e) !== "x" ? operand(cx, e) : null;
  }
  while (root.kind === "Field" || root.kind === "Index") root = root.target;
  if (!place || root.kind !== "Ident" || cx.out.refs.get(root)?.kind !== "global") return null;
  return place;
}

/** `for (i, x) in v` over a Vec of non-tuples: the index comes from `enumerate()`. */
export function forIndexPairFix(cx: CheckContext, pattern: A.Pattern, iter: A.Expr, elem: Type): string | null {
  if (pattern.kind !== "PTuple" || pattern.elems.length !== 2 || elem.k === "tuple" || elem.k === "error") return null;
  const t = cx.out.exprTypes.get(iter);
  if (t?.k !== "vec") return null;
  return `iterate \`${operand(cx, iter)}.enumerate()\` to get (index, element) pairs: \`for ${sourceText(cx, pattern.span)} in ${operand(cx, iter)}.enumerate()\``;
}

/** The "did you mean" for an unknown method: `len` for the other languages' length spellings. */
export function methodSuggestion(t: Type, name: string, fallback: string | undefined): string | undefined {
  if (lengthAlias(t, name) && name !== "len") return "len";
  const alias = (t.k === "string" ? STRING_ALIASES : t.k === "vec" ? VEC_ALIASES : t.k === "map" ? MAP_ALIASES : t.k === "set" ? SET_ALIASES : {})[name];
  return alias ?? fallback;
}

// Other languages' names of Colang's methods (JavaScript, Go's strings package, Python, Java, Rust).
const STRING_ALIASES: Record<string, string> = {
  substring: "slice", substr: "slice", charAt: "slice", char_at: "slice", toUpperCase: "toUpper", toLowerCase: "toLower", upper: "toUpper", lower: "toLower",
  to_uppercase: "toUpper", to_lowercase: "toLower", includes: "contains", indexOf: "find", strip: "trim",
  startswith: "startsWith", endswith: "endsWith", starts_with: "startsWith", ends_with: "endsWith", replaceAll: "replace",
  localeCompare: "compare", compareTo: "compare", cmp: "compare",
};
const VEC_ALIASES: Record<string, string> = { includes: "contains", append: "push", add: "push", index: "indexOf", splice: "remove", reverse: "reversed" };
const MAP_ALIASES: Record<string, string> = { put: "set", containsKey: "has", contains_key: "has", remove: "delete", insert: "set" };
const SET_ALIASES: Record<string, string> = { add: "insert", contains: "has", remove: "delete" };

// Closures passed to a method a collection does not have (`v.forEach(|u| ...)`):
// what their parameters would receive, so that E0238's fix names the element type.

export function hintCollectionClosures(cx: CheckContext, args: A.Expr[], recv: Type): void {
  const types = recv.k === "vec" || recv.k === "set" ? [recv.elem] : recv.k === "map" ? [recv.key, recv.val] : null;
  if (types === null) return;
  for (const a of args) if (a.kind === "Closure" && a.params.length === types.length) cx.habits.closureParamHints.set(a, types);
}

/** The type E0238's fix gives parameter `i` of closure `e`, or null when the checker cannot tell. */
export function closureParamHint(cx: CheckContext, e: A.Expr, i: number): string | null {
  const t = cx.habits.closureParamHints.get(e)?.[i];
  return t && t.k !== "error" ? showType(t) : null;
}

// Closures passed to a collection's method (`v.map(|x| ...)`), which calls them as sync functions:
// the `for` loop that can await instead (E0401 in the closure, E0200 on an async closure).

export function hintSyncClosureLoops(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recv: Type): void {
  if (e.callee.kind !== "Field") return;
  const method = e.callee.name;
  const r = operand(cx, e.callee.target);
  for (const a of e.args) {
    if (a.kind !== "Closure" || a.params.length === 0 || a.params.length > 2) continue;
    const ps = a.params.map((p) => p.name);
    const head = recv.k === "map" && ps.length === 2 ? `(${ps[0]}, ${ps[1]})` : ps.length === 1 ? ps[0] : null;
    if (head === null) continue;
    const body = a.body.kind === "Block" ? "..." : operand(cx, a.body);
    const b = body === "x" ? "..." : body;
    const loop = method === "map" ? `var out: Vec<...> = []\` then \`for ${head} in ${r} { out.push(${b}) }`
      : method === "filter" ? `var out: Vec<...> = []\` then \`for ${head} in ${r} { if ${b} { out.push(${head}) } }`
      : `for ${head} in ${r} { ${b} }`;
    cx.habits.syncLoopFixes.set(a, `\`${method}\` calls its closure as a sync function, which cannot await, and takes no async closure: write a \`for\` loop, whose body can await: \`${loop}\``);
  }
}

/** The `for` loop for an awaiting closure passed to a collection's method, or undefined. */
export function syncLoopFix(cx: CheckContext, e: A.Expr): string | undefined {
  return cx.habits.syncLoopFixes.get(e);
}

const FOR_EACH = new Set(["forEach", "foreach", "for_each", "each"]);

/** `users.forEach(|u| f(u))` (JavaScript, Rust, Ruby): Colang writes `for u in users { f(u) }`. */
export function forEachHabit(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recv: Type): Message | null {
  if (e.callee.kind !== "Field" || !FOR_EACH.has(e.callee.name)) return null;
  if (recv.k !== "vec" && recv.k !== "set" && recv.k !== "map") return null;
  const f = e.args.length === 1 && e.args[0].kind === "Closure" ? e.args[0] : null;
  const names = f?.params.map((p) => p.name) ?? [];
  const pat = recv.k === "map" ? (names.length === 2 ? `(${names[0]}, ${names[1]})` : "(k, v)") : names.length === 1 ? names[0] : "x";
  let body = "...";
  if (f !== null && f.body.kind !== "Block") {
    const b = sourceText(cx, f.body.span);
    if (b.length <= 50 && !b.includes("\n")) body = b;
  }
  return M.forEachMethod(showType(recv), e.callee.name, `for ${pat} in ${operand(cx, e.callee.target)} { ${body} }`);
}

const ENTRIES = new Set(["entries", "items", "iter", "entrySet", "pairs", "enumerate"]);

/** `m.entries()`, `m.items()`, `m.iter()`: a map is iterated as it is, in `(key, value)` pairs; a Vec's `entries()` is `enumerate()`. */
export function entriesHabit(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recv: Type): Message | null {
  if (e.callee.kind !== "Field" || !ENTRIES.has(e.callee.name) || e.args.length > 0) return null;
  const x = operand(cx, e.callee.target);
  if (recv.k === "map") return M.entriesMethod(showType(recv), e.callee.name, `a map is iterated as it is, in (key, value) pairs: \`for (k, v) in ${x} { ... }\``);
  if (recv.k === "set") return M.entriesMethod(showType(recv), e.callee.name, `a set is iterated as it is: \`for x in ${x} { ... }\``);
  if (recv.k === "vec" && e.callee.name !== "enumerate") {
    return M.entriesMethod(showType(recv), e.callee.name, e.callee.name === "iter" ? `a Vec is iterated as it is: \`for x in ${x} { ... }\`` : `for the index and the element write \`for (i, x) in ${x}.enumerate() { ... }\``);
  }
  return null;
}

/** The arguments written after the `(` at `from`, up to its `)`, when short and on one line (tester round 10: the fix
 * wrote `asInt(...)` for `asInt()`). */
function callArgs(src: string, from: number): string | null {
  let depth = 0;
  for (let i = from; i < src.length && i < from + 80; i++) {
    const c = src[i];
    if (c === "\n") return null;
    if (c === "\"") { // a string literal: skip to its end
      for (i++; i < src.length && src[i] !== "\"" && src[i] !== "\n"; i++) if (src[i] === "\\") i++;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") { if (depth === 0) return c === ")" ? src.slice(from, i).trim() : null; depth--; }
  }
  return null;
}

/** `user?.name` (TypeScript's optional chaining) in a function that does not return an optional. */
export function optionalChain(cx: CheckContext, e: Extract<A.Expr, { kind: "Try" }>, fn: string): Message | null {
  const src = cx.program.sources.get(e.span.file);
  const field = src !== undefined ? /^\.([A-Za-z_][A-Za-z0-9_]*)(\()?/.exec(src.slice(e.span.end, e.span.end + 64)) : null;
  if (!field) return null;
  const x = operand(cx, e.operand);
  const args = field[2] ? callArgs(src!, e.span.end + field[0].length) : null;
  const use = field[2] ? `v.${field[1]}(${args ?? "..."})` : `v.${field[1]}`;
  return M.optionalChain(fn, `write \`${x}.map(|v| ${use}) ?? default\`, or \`if let v = ${x} { ... }\``);
}

/** The function whose body holds span (the innermost declaration; a closure inside counts as its function). */
function enclosingFn(cx: CheckContext, span: A.Span): FnInfo | null {
  let best: FnInfo | null = null;
  for (const f of [...cx.out.fns, ...cx.methodInfo.values()]) {
    const d = f.decl.span;
    if (d.file === span.file && d.start <= span.start && span.end <= d.end && (!best || d.start >= best.decl.span.start)) best = f;
  }
  return best;
}

/**
 * E0200 where a `Result<T, E>` or a `T?` is given and a `T` is expected (tester round 13: the fix was to interpolate
 * it): take the value out. `?` first where the enclosing function returns the same kind, then `.unwrap()` /
 * `.expect(..)` (`!` / `?? default` for an optional), then `match` / `if let`; always with the expression as written.
 */
export function unwrapFix(cx: CheckContext, e: A.Expr, found: Type): string {
  const raw = sourceText(cx, e.span);
  const x = raw.length <= 60 && !raw.includes("\n") ? postfixOperand(raw) : "(...)";
  const ret = enclosingFn(cx, e.span)?.ret;
  const isResult = found.k === "enum" && found.info === cx.resultEnum;
  const out: string[] = [];
  if (isResult) {
    if (ret?.k === "enum" && ret.info === cx.resultEnum && found.k === "enum" && typeEq(ret.args[1], found.args[1])) out.push(`pass the error on with \`?\`: \`${x}?\``);
    out.push(`stop the program on an error with \`${x}.unwrap()\` or \`${x}.expect("...")\``);
    out.push(`handle both: \`match ${x} { Ok(v) => ..., Err(e) => ... }\``);
  } else {
    if (ret?.k === "optional") out.push(`pass \`none\` on with \`?\`: \`${x}?\``);
    out.push(`unwrap it with \`${x}!\` (a panic on \`none\`), or give a default: \`${x} ?? value\``);
    out.push(`handle both: \`if let v = ${x} { ... } else { ... }\``);
  }
  return out.join("; or ");
}
