// Small pieces of C text shared by the body emitters (body.ts and the files
// it delegates to): the marker of a value that never arrives, source-location
// arguments, literals, zero values, and the syntactic checks
// the A-normal ordering relies on.

import type * as A from "../syntax/ast.js";
import { walkExpr } from "../syntax/walk.js";
import { intRange, fieldTypes, type Type } from "../check/types.js";
import { cType, mangle, fieldName, cStringLiteral } from "./names.js";

export function locArgs(span: A.Span): string {
  return `${cStringLiteral(span.file).lit}, ${span.line}, ${span.col}`;
}

/** Does evaluating e possibly have effects that ordering must respect? */
export function hasEffects(e: A.Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === "Call" || x.kind === "If" || x.kind === "IfLet" || x.kind === "BlockExpr" || x.kind === "Match" || x.kind === "Await" || x.kind === "Spawn") found = true;
  });
  return found;
}

/**
 * Whether evaluating e may panic (checked arithmetic, a narrowing cast, an
 * index, `!`) or leave early (`?`). Two such operands are evaluated in
 * Colang's left-to-right order, so the panic names the one that comes first:
 * C leaves the order of a call's arguments unspecified, and gcc evaluates
 * the checked `a * b + c * d` (an add call around two multiply calls) right
 * to left (found by fuzz-diff).
 */
export function mayPanic(e: A.Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === "Binary" && ["+", "-", "*", "/", "%", "<<", ">>"].includes(x.op)) found = true;
    else if (x.kind === "Unary" && x.op === "-") found = true;
    else if (x.kind === "Cast" || x.kind === "Index" || x.kind === "Unwrap" || x.kind === "Try") found = true;
  });
  return found;
}

/** A variable name without the `F->` of a frame member, for the checks below. */
export const bare = (c: string) => (c.startsWith("F->") ? c.slice(3) : c);

export const isConstExpr = (c: string) => /^[-(]*[\w.]+[)]*$/.test(bare(c)) && !/^l_|^g_/.test(bare(c));

export const NEVER = "/*never*/0";

/** `(a == b)` -> `a == b`, so `if (...)` does not double the parentheses
 * (clang warns about `if ((a == b))`). */
export function unparen(c: string): string {
  for (;;) {
    const inner = unparenOnce(c);
    if (inner === c) return c;
    c = inner;
  }
}

export function unparenOnce(c: string): string {
  if (!c.startsWith("(") || !c.endsWith(")")) return c;
  let depth = 0;
  for (let i = 0; i < c.length; i++) {
    if (c[i] === "(") depth++;
    else if (c[i] === ")") { depth--; if (depth === 0 && i < c.length - 1) return c; }
    else if (c[i] === '"') { // skip string literals
      for (i++; i < c.length && c[i] !== '"'; i++) if (c[i] === "\\") i++;
    }
  }
  return c.slice(1, -1);
}

export function intLit(v: bigint, t: Type): string {
  if (t.k !== "int") throw new Error("internal: int literal type");
  const r = intRange(t.name);
  if (t.name === "i64") {
    if (v === r.min) return "INT64_MIN";
    return `INT64_C(${v})`;
  }
  if (t.name === "u64") return `UINT64_C(${v})`;
  if (t.name === "i32" && v === r.min) return "INT32_MIN";
  return `((${cType(t)})${v < 0n ? `(${v})` : v})`;
}

/** A negative literal is parenthesised: `-(x)` of one must not read `--2.0`. */
export function floatLit(v: number, t: Type): string {
  if (Number.isNaN(v)) return t.k === "float" && t.name === "f32" ? "((float)NAN)" : "((double)NAN)";
  // An f32 literal is written as the f32 value it rounds to: C warns about constants that round to zero.
  if (t.k === "float" && t.name === "f32" && Number.isFinite(v)) v = Math.fround(v);
  let s = Object.is(v, -0) ? "-0.0" : String(v);
  if (s === "Infinity") s = "HUGE_VAL";
  else if (s === "-Infinity") s = "-HUGE_VAL";
  else if (!/[.eE]/.test(s)) s += ".0";
  if (t.k === "float" && t.name === "f32") s = s.endsWith("HUGE_VAL") ? s + "F" : `${s}f`;
  return s.startsWith("-") ? `(${s})` : s;
}

/** The zero value of a type, valid C for every type the emitter sees; strings are "" (never a NULL pointer). */
export function zero(t: Type): string {
  switch (t.k) {
    case "int": return `((${cType(t)})0)`;
    case "float": return t.name === "f64" ? "0.0" : "0.0f";
    case "bool": return "false";
    case "string": return '((co_str){"", 0})';
    case "struct": {
      const fields = fieldTypes(t).map((f) => `.${fieldName(f.name)} = ${zero(f.type)}`);
      return fields.length ? `((${cType(t)}){ ${fields.join(", ")} })` : `((${cType(t)}){0})`;
    }
    case "optional": case "enum": return `((${cType(t)}){0})`;
    case "vec": case "map": case "set": return `${mangle(t)}_new()`;
    case "builder": return "co_sb_new()";
    case "task": return "((co_handle){0})";
    case "tuple": return `((${cType(t)}){ ${t.elems.map(zero).join(", ")} })`;
    // A function value is a struct (code, env); the checker makes sure no user
    // variable is read while it still holds this null function.
    case "fn": return `((${cType(t)}){0})`;
    case "unit": case "never": return "((uint8_t)0)";
    case "param": case "error": throw new Error(`internal: zero of ${t.k}`);
  }
}
