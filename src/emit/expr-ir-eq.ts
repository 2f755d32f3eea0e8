// `==` and `!=` on values other than numbers, bools and strings as IR, as
// body.ts `binary` wrote them:
//
// - a presence test `x == none` (one operand `none`, the other an optional):
//   `(!(o).has)` (`{ e: "has" }` of the operand in parentheses); the operand
//   is never fixed in a temporary (`!=` stays text: its `((o).has)` is
//   parenthesised like an operator but is none);
// - structs, tuples, enums, Vecs and optionals: the derived `eq_T(a, b)`
//   (`{ c: "derive", kind: "eq" }`, scheduled when built, after its
//   operands), `(!eq_T(a, b))` for `!=`; a plain value compared with an
//   optional is converted to it (`some`), both operands ordered as
//   FnEmitter.operands ordered them (expr-ir-order.ts).

import type * as A from "../syntax/ast.js";
import type { Type } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { exprIr, irExpr } from "./expr-ir.js";
import { anyFixed } from "./expr-ir-order.js";
import { valueOk, valuesIr } from "./expr-ir-literals.js";

type Binary = Extract<A.Expr, { kind: "Binary" }>;

const DERIVED = new Set(["struct", "tuple", "enum", "vec", "optional"]);

/** The optional operand of a presence test (`x == none`, `none != x`), or null. */
function presence(fe: FnEmitter, e: Binary): A.Expr | null {
  const other = e.left.kind === "NoneLit" ? e.right : e.right.kind === "NoneLit" ? e.left : null;
  return other && fe.typeOf(other).k === "optional" ? other : null;
}

/** The type both operands of a derived `==` are compared as (an optional when one is), or null. */
function compared(fe: FnEmitter, e: Binary): Type | null {
  const lt = fe.typeOf(e.left), rt = fe.typeOf(e.right);
  const ct = lt.k === "optional" ? lt : rt.k === "optional" ? rt : lt;
  return DERIVED.has(ct.k) ? ct : null;
}

/** Whether e is `==`/`!=` of one of the forms above (eqIr decides whether it is IR). */
export function isDerivedEq(fe: FnEmitter, e: Binary): boolean {
  return (e.op === "==" || e.op === "!=") && (presence(fe, e) !== null || compared(fe, e) !== null);
}

/** Whether the `==`/`!=` e (isDerivedEq) is built as IR (`ordered`: as irExpr's). */
export function eqIr(fe: FnEmitter, e: Binary, ordered: boolean): boolean {
  const o = presence(fe, e);
  if (o) return e.op === "==" && irExpr(fe, o, ordered);
  const ct = compared(fe, e)!;
  if (!ordered && anyFixed([e.left, e.right])) return false;
  return valueOk(fe, e.left, ct, ordered) && valueOk(fe, e.right, ct, ordered);
}

/** The IR of the `==`/`!=` e, which eqIr accepted. */
export function eqExprIr(fe: FnEmitter, e: Binary): Expr {
  const o = presence(fe, e);
  if (o) {
    return { e: "unop", op: "!", x: { e: "has", of: { e: "paren", x: exprIr(fe, o) } } };
  }
  const ct = compared(fe, e)!;
  const [l, r] = valuesIr(fe, [e.left, e.right], [ct, ct]);
  const eq = fe.em.derived.eqIr(ct, l, r);
  return e.op === "==" ? eq : { e: "unop", op: "!", x: eq };
}
