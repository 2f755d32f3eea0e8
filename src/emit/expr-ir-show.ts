// Printing through a builder as IR: the statements the string emitter wrote
// as C text lines from Emitter.show (a value's text appended to a `co_sb`)
// and a value formatted by a spec (an interpolation's `{x:>8}`), built as IR
// statements with honest callees: the runtime's builder calls (`co_sb_str`, `co_sb_i64`, ...: the ABI
// table) and the derived show functions of a type (`{ c: "derive" }`, the
// derive pass's showStmts; a struct's own `toString` an instance call). The
// builder is a body's temporary `co_sb tN` (a frame member in an async body),
// passed as `&tN`; the value is the IR of the shown expression, parenthesised
// where the string emitter put its text inside a call (`own`).

import { isSigned, T, type Type } from "../check/types.js";
import type { Expr, Local } from "../lower/ir.js";
import type { FormatSpec } from "../syntax/format-spec.js";
import type { FnEmitter } from "./body.js";
import { own } from "./expr-ir.js";
import { fixIr } from "./expr-ir-order.js";

/** The builder a body declared: the local, and `&local` as the runtime's calls take it. */
export interface Builder { sb: Expr; addr: Expr }

const rt = (name: string, ...args: Expr[]): Expr => ({ e: "call", f: { c: "rt", name }, args });

/** `co_sb tN; co_sb_init(&tN);` (FnEmitter.declOnly: in an async body only the frame member). */
export function newBuilder(fe: FnEmitter): Builder {
  const l: Local = { id: 0, name: fe.newTmp(), type: { k: "ctype", c: "co_sb" } };
  fe.declOnly("co_sb", l.name);
  const sb: Expr = { e: "local", l }, addr: Expr = { e: "addr", of: sb, bare: true };
  fe.emit({ s: "expr", x: rt("co_sb_init", addr) });
  return { sb, addr };
}

/** `co_sb_str(&tN, "text")`: a literal piece. */
export function appendText(fe: FnEmitter, b: Builder, text: string): void {
  fe.emit({ s: "expr", x: rt("co_sb_str", b.addr, { e: "lit", t: T.string, v: text }) });
}

/** Appends v (of type t) shown as Emitter.show shows it (`nested`: strings quoted) to the builder at sb. */
export function showIr(fe: FnEmitter, t: Type, sb: Expr, v: Expr, nested: boolean): void {
  for (const s of fe.em.derived.showIr(t, sb, v, nested)) fe.emit(s);
}

/** `co_sb_finish(&tN)` fixed in a string temporary (FnEmitter.materialize), read as a local. */
export function finishBuilder(fe: FnEmitter, b: Builder): Expr {
  const l: Local = { id: 0, name: fe.newTmp(), type: T.string };
  const init = rt("co_sb_finish", b.addr);
  fe.emit(fe.decl("co_str", l.name) === l.name ? { s: "assign", to: { e: "local", l }, v: init } : { s: "decl", l, init });
  return { e: "local", l };
}

/**
 * Appends v (of type t) formatted by spec: numbers
 * and strings through the runtime's formatting calls (`co_sb_fmt_i64(&sb,
 * (int64_t)(v), spec)`), anything else shown as usual and, with a width, padded
 * from the length the builder had before (`int64_t mark = sb.len`).
 */
export function formattedIr(fe: FnEmitter, t: Type, b: Builder, v: Expr, spec: FormatSpec): void {
  const F: Expr = { e: "fmt", spec };
  const debug = spec.type === "?";
  const fmt = (name: string, x: Expr): void => fe.emit({ s: "expr", x: rt(name, b.addr, x, F) });
  if (t.k === "int") {
    const signed = isSigned(t.name);
    fmt(signed ? "co_sb_fmt_i64" : "co_sb_fmt_u64", { e: "cast", to: T.int(signed ? "i64" : "u64"), x: v, bare: true });
    return;
  }
  if (t.k === "float") { fmt(t.name === "f64" ? "co_sb_fmt_f64" : "co_sb_fmt_f32", v); return; }
  if (t.k === "string" && !debug) { fmt("co_sb_fmt_str", v); return; }
  if (spec.width === null) { showIr(fe, t, b.addr, v, debug); return; }
  const mark: Local = { id: 0, name: fe.newTmp(), type: T.i64 };
  const len: Expr = { e: "dot", of: b.sb, field: "len" };
  fe.emit(fe.decl("int64_t", mark.name) === mark.name ? { s: "assign", to: { e: "local", l: mark }, v: len } : { s: "decl", l: mark, init: len });
  showIr(fe, t, b.addr, v, debug);
  fe.emit({ s: "expr", x: rt("co_sb_fmt_pad", b.addr, { e: "local", l: mark }, F) });
}

/**
 * v (of type t; its IR as exprIr built it) as a string (calls.ts showStr): a string as it is, a number
 * or bool through the runtime's conversion (`co_str_from_i64(v)`), anything
 * else fixed in a temporary and shown into a fresh builder, `co_sb_finish(&tN)`.
 */
export function showStrIr(fe: FnEmitter, t: Type, v: Expr): Expr {
  switch (t.k) {
    case "string": return own(v);
    case "int": return rt(isSigned(t.name) ? "co_str_from_i64" : "co_str_from_u64", own(v));
    case "float": return rt(t.name === "f64" ? "co_str_from_f64" : "co_str_from_f32", own(v));
    case "bool": return rt("co_str_from_bool", own(v));
    default: {
      const x = own(fixIr(fe, v, t));
      const b = newBuilder(fe);
      showIr(fe, t, b.addr, x, false);
      return rt("co_sb_finish", b.addr);
    }
  }
}
