// A store that replaces a value in global memory (MEMORY.md rule 2), as IR
// (src/lower/ir.ts): the place's address in a temporary, the old value read
// through it, the new value stored through it, the old value's drop queued
// (always where the owner is `co_global`, else behind the run-time test
// `owner == co_global`):
//
//   T *t1 = &place; T t2 = *t1; *t1 = v; drop_T(t2);
//
// The place is IR where it is a path (a variable, a global, fields and tuple
// elements, also through `self` of a `mut self` method: `(*l_self_N).f_x`),
// the owner where it is a region the IR names (`co_global`, `co_current`,
// the receiver's region, a collection header's `owner`); the stored value is
// what the caller built (IR, or the string emitter's text). The drop is the
// derived drop's IR (lower/derive/drop.ts).

import type * as A from "../syntax/ast.js";
import type { Type } from "../check/types.js";
import { rt, type Expr, type Local, type Stmt } from "../lower/ir.js";
import { cType, RECEIVER_REGION } from "./names.js";
import type { FnEmitter } from "./body.js";
import { C } from "./body-ir.js";
import { placeIr as textIr, memberLocal } from "./frames-ir.js";
import { exprIr, isPath } from "./expr-ir.js";

/** The region `owner` (FnEmitter.placeWithOwner's text) as IR. */
export function ownerIr(fe: FnEmitter, owner: string): Expr {
  if (owner === "co_global" || owner === "co_current") return { e: "sym", name: owner };
  if (owner === RECEIVER_REGION) return { e: "local", l: { id: 0, name: owner, type: { k: "region" } } };
  if (owner.endsWith("->owner")) return { e: "arrow", p: textIr(fe, owner.slice(0, -"->owner".length)), field: "owner" };
  return textIr(fe, owner);
}

/** The place e as IR where it is a path (as FnEmitter.place writes it, `self` of a `mut self` method `(*l_self_N)`), or null. */
export function placePathIr(fe: FnEmitter, e: A.Expr): Expr | null {
  if (isPath(fe, e)) return exprIr(fe, e);
  switch (e.kind) {
    case "Ident": {
      const r = fe.typed.refs.get(e);
      if (r?.kind !== "local") return null;
      return fe.localRef(r.v) === `(*${fe.lv(r.v)})` ? { e: "deref", p: { e: "var", v: r.v, frame: fe.asyncMode } } : null;
    }
    case "Field": {
      if (fe.typed.refs.has(e)) return null;
      const of = placePathIr(fe, e.target);
      return of && { e: "field", of, name: e.name };
    }
    case "TupleIndex": {
      const of = placePathIr(fe, e.target);
      return of && { e: "elem", of, i: e.index };
    }
    default: return null;
  }
}

/**
 * A store-back `place = v` for a place that may be in global memory: `T *p = &place; T old = *p; *p = owner ==
 * co_global ? restore_T(old, v) : promoted;` (restore drops the parts of old it does not keep; lower/derive/
 * restore.ts). `promoted`: v as the store copies it into a region.
 */
export function restorePlace(fe: FnEmitter, place: Expr | string, owner: string, t: Type, v: Expr, promoted: Expr): void {
  const { ppX, old } = pointTo(fe, place, t);
  const oldX: Expr = { e: "local", l: memberLocal(old, cType(t)) };
  const restored = fe.em.derived.restoreIr(t, oldX, v);
  const value: Expr = owner === "co_global" ? restored : { e: "cond", c: { e: "bin", op: "==", l: ownerIr(fe, owner), r: { e: "sym", name: "co_global" } }, a: restored, b: promoted };
  fe.emit({ s: "assign", to: { e: "deref", p: ppX, bare: true }, v: value });
}

/**
 * `place += v` on a string in global memory: `co_str *p = &place; *p = co_gstr_add(*p, v);` appended in the
 * room of the place's own block when it has some (and is kept), else concatenated straight into a new global
 * block with room and the old string dropped (co_global.h); nothing is left in the current region.
 */
export function appendInGlobal(fe: FnEmitter, place: Expr | string, v: string): void {
  const pp = fe.newTmp();
  const ppX: Expr = { e: "local", l: memberLocal(pp, "co_str *") };
  fe.declare("co_str *", pp, typeof place === "string" ? textIr(fe, fe.recorded(`&${place}`, { e: "addr", of: C(place), bare: true })) : { e: "addr", of: place, bare: true });
  const at: Expr = { e: "deref", p: ppX, bare: true };
  fe.emit({ s: "assign", to: at, v: rt("co_gstr_add", at, textIr(fe, v, "co_str")) });
}

/** `T *pp = &place; T old = *pp;`: the place's pointer (IR) and the temporary holding its old value (its name). */
function pointTo(fe: FnEmitter, place: Expr | string, t: Type): { ppX: Expr; old: string } {
  const pp = fe.newTmp(), old = fe.newTmp();
  fe.em.defineType(t);
  const ct = cType(t);
  const ppX: Expr = { e: "local", l: memberLocal(pp, `${ct} *`) };
  fe.declare(`${ct} *`, pp, typeof place === "string" ? textIr(fe, fe.recorded(`&${place}`, { e: "addr", of: C(place), bare: true })) : { e: "addr", of: place, bare: true });
  fe.declare(ct, old, { e: "deref", p: ppX, bare: true });
  return { ppX, old };
}

/**
 * `place = value(old)` for a place that may be in global memory (drops.ts mayBeGlobal): the old value's drop
 * is queued after the store when the owner is global memory. `place`: its IR, or the string emitter's text;
 * `value` gets the old value (for `op=`) and returns the stored value, IR or text.
 */
export function replacePlace(fe: FnEmitter, place: Expr | string, owner: string, t: Type, value: (old: string) => Expr | string): void {
  const { ppX, old } = pointTo(fe, place, t);
  const ct = cType(t);
  const v = value(old);
  fe.emit({ s: "assign", to: { e: "deref", p: ppX, bare: true }, v: typeof v === "string" ? textIr(fe, v, ct) : v });
  const oldL: Local = memberLocal(old, ct);
  const drop = fe.em.derived.dropIr(t, { e: "local", l: oldL });
  if (owner === "co_global") { drop.forEach((s) => fe.emit(s)); return; }
  const cond: Expr = { e: "bin", op: "==", l: ownerIr(fe, owner), r: { e: "sym", name: "co_global" } };
  fe.emit({ s: "if", cond, then: [{ s: "block", body: drop as Stmt[], inline: 1 }], else_: [], short: true });
}
