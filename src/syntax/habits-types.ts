// Type, parameter and literal spellings from TypeScript and Rust that fail to
// parse: `xs: int[]`, `x: string | null`, `fn f(x?: int)`,
// `<T extends Show>` and `vec![1, 2]`. Like habits.ts, each is recognised at
// the failure point of the peggy parse, from the text before and after it,
// and the fix repeats the programmer's own names.

import { M } from "../messages.js";
import type { Habit } from "./habits.js";

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
// A type as written before the failure: a name, maybe qualified, with generic arguments.
const TYPE_BEFORE = new RegExp(`(?:^|[:(<,])[ \\t]*(${NAME}(?:\\.${NAME})*(?:<[^\\n;=]*>)?)[ \\t]*$`);
const MAX_FIX_TEXT = 60;
const ABSENT = new Set(["null", "undefined", "nil", "None", "void"]);

export function typeHabit(src: string, p: number, expected: string[]): Habit | null {
  const lineStart = src.lastIndexOf("\n", p - 1) + 1;
  const nl = src.indexOf("\n", p);
  const before = src.slice(lineStart, p);
  const after = src.slice(p, nl < 0 ? src.length : nl);
  return arrayType(before, after, p, lineStart) ?? unionType(before, after, p, lineStart) ?? optionalParam(before, after, p, expected)
    ?? extendsBound(before, after, p) ?? macro(before, p, lineStart, after);
}

/** `int[]`, `User[][]` after a `:` (TypeScript, Java): Colang's growable array is `Vec<T>`. */
function arrayType(before: string, after: string, p: number, lineStart: number): Habit | null {
  const dims = /^(?:\[[ \t]*\][ \t]*)+/.exec(after);
  const t = TYPE_BEFORE.exec(before);
  if (dims === null || t === null || !/:[^:]*$/.test(before)) return null;
  const start = lineStart + before.trimEnd().length - t[1].length;
  let colang = t[1];
  for (let i = 0; i < (dims[0].match(/\[/g) ?? []).length; i++) colang = `Vec<${colang}>`;
  return { msg: M.unknownTypeFix(`${t[1]}${dims[0].replace(/[ \t]/g, "")}`, `write \`${colang}\`; \`[1, 2]\` is a Vec literal`), start, end: p + dims[0].trimEnd().length };
}

/** `string | null` (an optional), `string | number` (an enum). */
function unionType(before: string, after: string, p: number, lineStart: number): Habit | null {
  const alts = new RegExp(`^\\|[ \\t]*(${NAME}(?:<[^\\n;=|]*>)?(?:[ \\t]*\\|[ \\t]*${NAME}(?:<[^\\n;=|]*>)?)*)`).exec(after);
  const t = TYPE_BEFORE.exec(before);
  if (alts === null || t === null || !/:[^:]*$/.test(before)) return null;
  const types = [t[1], ...alts[1].split("|").map((x) => x.trim())];
  const present = [...new Set(types.filter((x) => !ABSENT.has(x)).map((x) => TS_TYPES[x] ?? x))];
  const start = lineStart + before.trimEnd().length - t[1].length;
  const what = types.join(" | ");
  const fix = present.length === 1 && !types.some((x) => ABSENT.has(x)) ? `write \`${present[0]}\`: the types are the same`
    : present.length === 1
    ? `write \`${present[0]}?\`: an optional type, whose absent value is \`none\``
    : `declare an enum with one variant per type, e.g. \`enum Value { ${present.slice(0, 3).map((x) => `${variantName(x)}(${x})`).join(", ")} }\`, and \`match\` on it${present.length < types.length ? "; make it optional with `?` for the absent case" : ""}`;
  return { msg: M.unionType(what.length <= MAX_FIX_TEXT ? what : "A | B", fix), start, end: p + alts[0].length };
}

/** TypeScript's (and JavaScript's) primitive type names, as Colang writes them (tester round 10: the enum had `Number(number)`). */
const TS_TYPES: Record<string, string> = { number: "float", boolean: "bool", bigint: "int", String: "string", Number: "float", Boolean: "bool" };

function variantName(t: string): string {
  const base = t.replace(/<.*$/, "");
  return base[0].toUpperCase() + base.slice(1);
}

/** `fn f(x?: int)`, `struct S { name?: string }` (TypeScript). */
function optionalParam(before: string, after: string, p: number, expected: string[]): Habit | null {
  if (!after.startsWith("?") || !expected.includes("`:`")) return null;
  const name = new RegExp(`(${NAME})[ \\t]*$`).exec(before);
  const type = /^\?[ \t]*:[ \t]*([^,)=}\n]*?)[ \t]*(?:[,)=}]|$)/.exec(after);
  if (name === null || type === null) return null;
  const t = type[1] !== "" && type[1].length <= MAX_FIX_TEXT ? type[1] : "T";
  const colang = t.endsWith("?") ? t : `${t}?`;
  return {
    msg: M.optionalParam(name[1], `write \`${name[1]}: ${colang}\`: a value that may be absent has an optional type, and the caller passes \`none\` for it`),
    start: p, end: p + 1,
  };
}

/** `<T extends Show>` (TypeScript, Java): a bound is written `<T: Show>`. */
function extendsBound(before: string, after: string, p: number): Habit | null {
  const param = new RegExp(`[<,][ \\t]*(${NAME})[ \\t]+$`).exec(before);
  const bound = new RegExp(`^extends[ \\t]+(${NAME}(?:<[^>\\n]*>)?(?:[ \\t]*&[ \\t]*${NAME})*)`).exec(after);
  if (param === null || bound === null) return null;
  const bounds = bound[1].split("&").map((x) => x.trim()).join(" + ");
  return { msg: M.foreignKeyword("extends", ":", `write \`<${param[1]}: ${bounds}>\` (several bounds are joined with \`+\`)`), start: p, end: p + "extends".length };
}

/** `vec![1, 2, 3]` (Rust) fails at its first `,` or at `]`: a Vec literal is `[1, 2, 3]`. */
function macro(before: string, p: number, lineStart: number, after: string): Habit | null {
  const m = new RegExp(`\\b(${NAME})![ \\t]*\\[([^\\]\\n]*)$`).exec(before);
  if (m === null) return null;
  const close = after.indexOf("]");
  const items = (m[2] + (close >= 0 ? after.slice(0, close) : "")).trim();
  const start = lineStart + m.index;
  const fix = m[1] === "vec" && items.length <= MAX_FIX_TEXT ? `write \`[${items}]\`: a Vec literal` : "write the list as a Vec literal: `[a, b, c]`";
  return { msg: M.macro(m[1], fix), start, end: start + m[1].length + 1 };
}
