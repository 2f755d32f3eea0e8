// Compound assignments `x op= e` on numbers as IR (statements.ts writes the
// rest): the place is a variable, field or tuple-element path, or one
// through an index (expr-ir-index.ts placeOk: `v[i] += 1`, `v[i].n -= 2`), e
// is IR of the place's type, and the stored value is what the string
// emitter's `arith` wrote — the runtime's checked call for integer `+ - * /
// % << >>` (never proven: the statement's site names the failure stubs,
// requested after e's), `((T)(x op e))` for `& | ^`, `(x op e)` for floats
// (`%` is `fmod(x, e)`). Decision (kept from statements.ts): e runs before
// x is read, so an e with effects is fixed in a temporary first.

import type * as A from "../syntax/ast.js";
import type { Expr } from "../lower/ir.js";
import { strAppendIr } from "./expr-ir-strings.js";
import type { FnEmitter } from "./body.js";
import { hasEffects } from "./ctext.js";
import { checkedBinaryCall } from "./fail-stubs.js";
import { checkedCall, exprIr, fmodIr, irExpr, own } from "./expr-ir.js";
import { placeExprIr, placeOk } from "./expr-ir-index.js";
import { fixIr } from "./expr-ir-order.js";
import { typeEq } from "../check/types.js";

type Assign = Extract<A.Stmt, { kind: "Assign" }>;

const BITS = new Set<A.BinOp>(["&", "|", "^"]);

/** Emits `x op= e` as an IR assignment and says so, or emits nothing and returns false. */
export function compoundAssignIr(fe: FnEmitter, s: Assign): boolean {
  if (s.op === "=") return false;
  const op = s.op.slice(0, -1) as A.BinOp, t = fe.typeOf(s.target);
  if (t.k === "string") return strAppendIr(fe, s);
  if (t.k !== "int" && t.k !== "float") return false;
  if (!placeOk(fe, s.target) || !typeEq(fe.typeOf(s.value), t) || !irExpr(fe, s.value, true)) return false;
  // The place's operands first (an index's collection and index fixed in temporaries), then e.
  const to = placeExprIr(fe, s.target);
  let v = exprIr(fe, s.value);
  if (hasEffects(s.value)) v = fixIr(fe, v, t, true);
  let x: Expr;
  if (t.k === "float" && op === "%") x = fmodIr(t, to, v);
  else if (t.k === "float") x = own({ e: "bin", op: op as "+", l: to, r: v });
  else if (BITS.has(op)) x = { e: "cast", to: t, x: { e: "bin", op: op as "&", l: to, r: v } };
  else x = checkedCall(checkedBinaryCall(fe.em.fails, op, t.name, s.span)!, own(to), own(v));
  fe.emit({ s: "assign", to, v: x });
  return true;
}
