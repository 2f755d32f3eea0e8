// Struct and tuple literals, `none`, and values converted to an optional as
// IR (src/lower/ir.ts), written as the string emitter (body.ts `expr`
// "StructLit", "TupleLit", `value`, `coerce`) wrote them:
//
// - `P { x: a, y: b }`: the compound literal `((T_P){ .f_x = a, .f_y = b })`
//   (`{ e: "struct" }`, the fields in source order, an optional field left
//   out last as none), each value converted to its field's type;
// - `(a, b)`: `((Tup2_..){ a, b })` (`{ e: "tuple" }`);
// - a variant constructor of an enum without boxes (`Ok(x)`, `Red`,
//   calls.ts `construct`): `((E_..){ .tag = 1, .u.v1 = { x } })` (`{ e:
//   "variant" }`);
// - `none` of an optional type: `((O_..){0})` (`{ e: "none" }`);
// - a value where an optional of its type is expected (a field, an
//   initialiser, a stored or returned value): `((O_..){ true, v })`
//   (`{ e: "some" }`).
//
// A literal's operands are ordered as FnEmitter.operands ordered them
// (expr-ir-order.ts `fixes`): a field value fixed in a temporary has its
// field's type, converted first.

import type * as A from "../syntax/ast.js";
import { fieldTypes, typeEq, variantFields, type Type } from "../check/types.js";
import { isBoxed, type EnumT } from "./enum-layout.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { exprIr, irExpr, own } from "./expr-ir.js";
import { anyFixed, fixes, fixIr } from "./expr-ir-order.js";

type StructT = Extract<Type, { k: "struct" }>;

/** Whether e is built as IR as a value of type target (irExpr's, or converted to the optional target). */
export function valueOk(fe: FnEmitter, e: A.Expr, target: Type, ordered: boolean): boolean {
  if (e.kind === "NoneLit") return target.k === "optional";
  // `()` where a unit value is stored (`Ok(())`): the byte 0, as FnEmitter.value writes it.
  if (e.kind === "TupleLit" && !e.elems.length) return target.k === "unit";
  // A borrow copied where it is passed or stored: e's own value, copied by valueExprIr.
  if (!irExpr(fe, e, ordered, true)) return false;
  const t = fe.typeOf(e);
  return typeEq(t, target) || (target.k === "optional" && t.k !== "optional" && typeEq(t, target.inner));
}

/** The IR of e as a value of type target, which valueOk accepted. */
export function valueExprIr(fe: FnEmitter, e: A.Expr, target: Type): Expr {
  if (e.kind === "NoneLit") { fe.em.defineType(target); return { e: "none", t: target }; }
  if (e.kind === "TupleLit" && !e.elems.length) return { e: "int", v: 0, t: target };
  const x = exprIr(fe, e);
  if (target.k !== "optional" || fe.typeOf(e).k === "optional") return borrowCopyIr(fe, e, target, x);
  fe.em.defineType(target);
  return borrowCopyIr(fe, e, target, { e: "some", t: target, x: own(x) });
}

/** x, the value of e, copied where the borrow analysis says e is a borrow of global state passed or stored where
 *  it may escape (FnEmitter.value, Emitter.borrowArg): `(co_borrow_copy_off ? x : clone(x))`, the copy a debug
 *  switch skips. */
function borrowCopyIr(fe: FnEmitter, e: A.Expr, t: Type, x: Expr): Expr {
  if (!fe.em.copiesBorrow(e) || !fe.em.hasHeap(t)) return x;
  return { e: "cond", c: { e: "sym", name: "co_borrow_copy_off" }, a: x, b: fe.em.derived.cloneIr(t, x) };
}

/**
 * Operands es as values of their targets (null: of its own type, a method's
 * receiver), in order, fixed in temporaries by the order rule
 * (FnEmitter.operands: a fixed operand has its target's type).
 */
export function valuesIr(fe: FnEmitter, es: A.Expr[], targets: (Type | null)[]): Expr[] {
  return es.map((a, i) => {
    const t = targets[i];
    const x = t ? valueExprIr(fe, a, t) : exprIr(fe, a);
    return own(fixes(es, i) ? fixIr(fe, x, t ?? fe.typeOf(a)) : x);
  });
}

function structParts(fe: FnEmitter, e: Extract<A.Expr, { kind: "StructLit" }>): { st: StructT; targets: Type[]; rest: { name: string; type: Type }[] } {
  const st = fe.ty(fe.typed.structLits.get(e)!) as StructT;
  const fts = fieldTypes(st);
  const targets = e.fields.map((f) => fts.find((x) => x.name === f.name)!.type);
  return { st, targets, rest: fts.filter((f) => !e.fields.some((x) => x.name === f.name)) };
}

/** Whether the struct or tuple literal e is built as IR (`ordered`: as irExpr's). */
export function literalIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "StructLit" | "TupleLit" }>, ordered: boolean): boolean {
  const es = e.kind === "StructLit" ? e.fields.map((f) => f.value) : e.elems;
  if (!es.length && e.kind === "TupleLit") return false;
  let targets: Type[];
  if (e.kind === "StructLit") {
    const p = structParts(fe, e);
    // A field left out is none (an optional; a string would be "" but stays text).
    if (p.rest.some((f) => f.type.k !== "optional")) return false;
    targets = p.targets;
  } else targets = (fe.typeOf(e) as Extract<Type, { k: "tuple" }>).elems;
  if (!ordered && anyFixed(es)) return false;
  return es.every((a, i) => valueOk(fe, a, targets[i], ordered));
}

/** A variant constructor `Ok(x)`, `Circle(r)` of an enum without boxes (calls.ts construct): the enum and the variant, or null. */
function variantParts(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>): { t: EnumT; v: number; targets: Type[] } | null {
  const target = fe.typed.calls.get(e);
  if (target?.kind !== "variant") return null;
  const t = fe.ty(target.type) as EnumT;
  if (isBoxed(t)) return null;
  return { t, v: target.variant.index, targets: variantFields(t, target.variant).map((f) => f.type) };
}

/** Whether the call e is a variant constructor built as IR (`ordered`: as irExpr's). */
export function variantIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, ordered: boolean): boolean {
  const p = variantParts(fe, e);
  if (!p || (!ordered && anyFixed(e.args))) return false;
  return e.args.every((a, i) => valueOk(fe, a, p.targets[i], ordered));
}

/** Whether the call e constructs a variant (variantIr decides whether it is IR). */
export function isVariantCall(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>): boolean { return fe.typed.calls.get(e)?.kind === "variant"; }

/** The IR of the variant constructor e, which variantIr accepted: the enum is defined before its fields are emitted. */
export function variantExprIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>): Expr {
  const { t, v, targets } = variantParts(fe, e)!;
  fe.em.defineType(t);
  return { e: "variant", type: t, variant: v, fields: valuesIr(fe, e.args, targets) };
}

/** The IR of the literal e, which literalIr accepted (the type is defined before its operands, as body.ts did). */
export function literalExprIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "StructLit" | "TupleLit" }>): Expr {
  if (e.kind === "TupleLit") {
    const tt = fe.typeOf(e) as Extract<Type, { k: "tuple" }>;
    fe.em.defineType(tt);
    return { e: "tuple", type: tt, elems: valuesIr(fe, e.elems, tt.elems) };
  }
  const { st, targets, rest } = structParts(fe, e);
  fe.em.defineType(st);
  const vals = valuesIr(fe, e.fields.map((f) => f.value), targets);
  const fields = e.fields.map((f, i) => ({ name: f.name, v: vals[i] }));
  for (const f of rest) fields.push({ name: f.name, v: { e: "none", t: f.type } });
  return { e: "struct", type: st, fields };
}
