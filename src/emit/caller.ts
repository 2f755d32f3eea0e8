// A panic raised inside std/ reports the line of the program that called
// into std (docs/language.md, "Panics"): each call from the program's own
// files into a std function first records its location (co_caller_at, in
// the runtime's panic header), and the runtime substitutes it for a
// location inside the std directory. Calls within std/ record nothing, so the
// outermost program call stays the one reported.

import { dirname } from "node:path";
import type * as A from "../syntax/ast.js";
import type { FnInfo } from "../check/types.js";
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
