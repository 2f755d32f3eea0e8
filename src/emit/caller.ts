// A panic raised inside std/ reports the line of the program that called
// into std (docs/language.md, "Panics"): each call from the program's own
// files into a std function first records its location (co_caller_at, in
// the runtime's panic header), and the runtime substitutes it for a
// location inside the std directory. Calls within std/ record nothing, so the
// outermost program call stays the one reported.

import { dirname } from "node:path";
import type * as A from "../syntax/ast.js";
import { T, type FnInfo } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import { locArgs } from "./ctext.js";

/** The statement (without `;`) that records call e of f as the program's call into std, or null. */
export function callerMark(e: A.Expr, f: FnInfo): string | null {
  if (!f.module.isStd || dirname(e.span.file) === dirname(f.module.file)) return null;
  return `co_caller_at(${locArgs(e.span)})`;
}

/** The C call expression `c` of f, preceded by the record of its location when it calls from the program into std. */
export function withCaller(e: A.Expr, f: FnInfo, c: string): string {
  const mark = callerMark(e, f);
  return mark ? `(${mark}, ${c})` : c;
}

/** A source location as the runtime's calls take it: the file as a C string, the line and the column. */
export function locIr(span: A.Span): Expr[] {
  return [{ e: "cstr", v: span.file }, { e: "int", v: span.line, t: T.int("i32") }, { e: "int", v: span.col, t: T.int("i32") }];
}

/** The record of call e of f as the program's call into std, `rt.co_caller_at(loc)` (callerMark as IR), or null. */
export function callerIr(e: A.Expr, f: FnInfo): Expr | null {
  return callerMark(e, f) ? { e: "call", f: { c: "rt", name: "co_caller_at" }, args: locIr(e.span) } : null;
}
