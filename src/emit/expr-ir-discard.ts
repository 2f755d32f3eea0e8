// Expression statements as IR other than the calls by name statements.ts
// writes itself: where the string emitter (statements.ts `discard`) wrote an
// expression's text as a statement — nothing for a constant, the text as it
// is when it starts with a call by name (`V_get(v, i, ...)`, a checked
// `co_add_i64(...)`, a helper's call), else `(void)(text);` (a function
// value's call, a collection's or string's length, `m.get(k)`, `m[k]`, a
// comparison) — the IR is the same: nothing, an `expr` statement, or a
// `discard` statement (`{ s: "discard" }`, printed `(void)(x);` with the
// parentheses the string emitter gave an operator).

import type * as A from "../syntax/ast.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { isConstExpr } from "./ctext.js";
import { printExpr } from "./print.js";
import { exprIr, irExpr } from "./expr-ir.js";
import { hasCall } from "./expr-ir-order.js";

/** Emits the expression statement e as IR and says so, or emits nothing and returns false. */
export function discardIr(fe: FnEmitter, e: A.Expr): boolean {
  if (!irExpr(fe, e, true)) return false;
  const x = exprIr(fe, e);
  if (x.e === "call" && x.f.c !== "value") fe.emit({ s: "expr", x });
  else if (!quiet(x)) fe.emit({ s: "discard", x });
  return true;
}

/** Whether the string emitter wrote nothing for x: a constant (asked of its printed text, as discard asked). */
function quiet(x: Expr): boolean {
  if (hasCall(x)) return false;
  const c = printExpr(x, { instance: () => { throw new Error("internal: a call in a constant"); } });
  return isConstExpr(c) || /^U?INT(8|16|32|64)_C\([-\w]*\)$/.test(c);
}
