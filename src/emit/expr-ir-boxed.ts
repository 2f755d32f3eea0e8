// Variant values of recursive enums (boxed payloads) as IR, written as
// calls.ts `construct` wrote them: the box is taken first (`T_vN *t1 =
// co_alloc(sizeof *t1)`, before the fields are evaluated, so a tree built by
// recursion lies in memory in the order it is walked), the fields are
// evaluated in order (expr-ir-order.ts: fixed in temporaries where the string
// emitter fixed them), each stored into the box (`t1->f0 = v`: an `arrow`
// place), and the value is the box pointer with the variant (`{ e: "variant",
// box }`: `((E){ .w = (uintptr_t)(t1) | 1 })` packed, `.tag = 1, .u.v1 = t1`
// tagged). A unit variant is the variant without a box. The box and the
// stores are statements, so a constructor with fields is IR only where
// statements may precede it (`ordered`).

import type * as A from "../syntax/ast.js";
import { variantFields, type Type } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import { isBoxed, payloadType, type EnumT } from "./enum-layout.js";
import type { FnEmitter } from "./body.js";
import { anyFixed } from "./expr-ir-order.js";
import { valueOk, valuesIr } from "./expr-ir-literals.js";
import { allocIr, memberLocal } from "./frames-ir.js";

type Call = Extract<A.Expr, { kind: "Call" }>;

/** A variant constructor of a recursive enum: the enum, the variant and its fields' types, or null. */
function boxedParts(fe: FnEmitter, e: Call): { t: EnumT; v: number; targets: Type[] } | null {
  const target = fe.typed.calls.get(e);
  if (target?.kind !== "variant") return null;
  const t = fe.ty(target.type) as EnumT;
  if (!isBoxed(t)) return null;
  return { t, v: target.variant.index, targets: variantFields(t, target.variant).map((f) => f.type) };
}

/** Whether the call e constructs a variant of a recursive enum. */
export function isBoxedCall(fe: FnEmitter, e: Call): boolean { return boxedParts(fe, e) !== null; }

/** Whether the boxed variant constructor e is built as IR (`ordered`: as irExpr's). */
export function boxedIr(fe: FnEmitter, e: Call, ordered: boolean): boolean {
  const p = boxedParts(fe, e)!;
  if (p.targets.length && !ordered) return false;
  if (!ordered && anyFixed(e.args)) return false;
  return e.args.every((a, i) => valueOk(fe, a, p.targets[i], ordered));
}

/** The IR of the boxed variant constructor e, which boxedIr accepted: the box, the fields stored into it, the value. */
export function boxedExprIr(fe: FnEmitter, e: Call): Expr {
  const { t, v, targets } = boxedParts(fe, e)!;
  fe.em.defineType(t);
  if (!targets.length) return { e: "variant", type: t, variant: v, fields: [] };
  const ref = fe.newTmp(), ct = `${payloadType(t, v)} *`;
  const box: Expr = { e: "local", l: memberLocal(ref, ct) };
  fe.declare(ct, ref, allocIr(box));
  const vals = valuesIr(fe, e.args, targets);
  vals.forEach((x, i) => fe.emit({ s: "assign", to: { e: "arrow", p: box, field: `f${i}` }, v: x }));
  return { e: "variant", type: t, variant: v, fields: [], box };
}
