// Plain leaves among the string emitter's texts: a declaration's initialiser
// that is a temporary or a Colang local by its C name (`t13`, `F->t4`,
// `l_line_20`), or a literal (`INT64_C(1)`, `true`, `((co_str){"one", 3})`),
// is an IR local or literal (of the C type the caller names, or of any where
// it names none: an operand inside a text built from IR, text-ir.ts). A
// literal is taken only when the IR prints back to exactly that text, so the
// C stays as it was.

import { T, type Type } from "../check/types.js";
import type { Expr, IrType } from "../lower/ir.js";
import { C } from "./body-ir.js";
import { printExpr } from "./print.js";
import { RECEIVER_REGION } from "./names.js";

const NO_CALLS = { instance: (): string => { throw new Error("internal: a call in a leaf"); } };

/** The text c (of C type ct) as an IR local or literal where it is one, else the bridge `{ e: "c" }`. */
export function leafIr(c: string, ct: string): Expr {
  if (/^(F->)?(t\d+|l_\w+)$/.test(c)) return { e: "local", l: { id: 0, name: c, type: { k: "ctype", c: ct } as IrType } };
  if (c === "co_current" || c === "co_global") return { e: "sym", name: c };
  if (c === RECEIVER_REGION) return { e: "local", l: { id: 0, name: c, type: { k: "region" } } };
  const x = literal(c, ct);
  return x && printExpr(x, NO_CALLS, true) === c ? x : C(c);
}

function literal(c: string, ct: string): Expr | null {
  if (c === "true" || c === "false") return { e: "bool", v: c === "true" };
  // The unit value as a value of its own (a `()` argument, FnEmitter.value): the byte 0.
  if (c === "0" && (ct === "uint8_t" || ct === "")) return { e: "int", v: 0, t: T.int("u8") };
  let m = /^INT64_C\((-?\d+)\)$/.exec(c);
  if (m && (ct === "int64_t" || ct === "")) return { e: "lit", t: T.i64, v: BigInt(m[1]) };
  m = /^\(\(co_str\)\{"([^"\\]*)", \d+\}\)$/.exec(c);
  if (m && (ct === "co_str" || ct === "")) return { e: "lit", t: T.string as Type, v: m[1] };
  return null;
}
