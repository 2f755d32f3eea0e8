// The evaluation order of operands (the start of that concern on the IR):
// Colang evaluates operands left to right, C leaves the order of a call's
// arguments and an operator's operands unspecified, so an operand is fixed in
// a temporary before the later ones run when it has effects (a call: it must
// run before later operands read what it may change), when a later one has
// effects (which must not run first), or when it and a later one may both
// panic (the first panics first). `fixes` is that rule, for the string
// emitter (FnEmitter.operands, methodCall's receiver) and for the IR alike;
// `operandsIr` builds IR operands by it: a fixed operand becomes a typed
// temporary (`t1`, numbered by FnEmitter.newTmp; in an async body a frame
// member assigned, as FnEmitter.decl declares every variable) declared
// before the statement, and the expression reads it (`{ e: "local" }`).
// A later IR pass that decides evaluation order takes this file over.

import type * as A from "../syntax/ast.js";
import type { Type } from "../check/types.js";
import type { Expr, Local } from "../lower/ir.js";
import { cType } from "./names.js";
import { hasEffects, isConstExpr, mayPanic } from "./ctext.js";
import { printExpr } from "./print.js";
import type { FnEmitter } from "./body.js";
import { exprIr, own } from "./expr-ir.js";

/** Whether operand i of es is fixed in a temporary before the later operands are evaluated (see above). */
export function fixes(es: A.Expr[], i: number): boolean {
  const later = es.slice(i + 1);
  return later.length > 0 && (hasEffects(es[i]) || later.some(hasEffects) || (mayPanic(es[i]) && later.some(mayPanic)));
}

/** Whether some operand of es is fixed in a temporary (an expression of these operands emits statements). */
export function anyFixed(es: A.Expr[]): boolean { return es.some((_, i) => fixes(es, i)); }

/**
 * The IR of operands es in order (each of its target type, or its own when
 * null), the ones `fixes` names in temporaries declared now; `own` gives an
 * operand the parentheses the string emitter wrote where it put the text
 * inside its own syntax (a call's argument).
 */
export function operandsIr(fe: FnEmitter, es: A.Expr[], targets: (Type | null)[], wrap: (x: Expr) => Expr = (x) => x): Expr[] {
  return es.map((a, i) => {
    const x = exprIr(fe, a);
    return wrap(fixes(es, i) ? fixIr(fe, x, targets[i] ?? fe.typeOf(a)) : x);
  });
}

/**
 * x in a fresh temporary of type t declared now (FnEmitter.materialize: a
 * constant stays as it is; `always`: FnEmitter.materializeAlways, where only
 * a Colang local or a temporary stays, as a function value called by name).
 */
export function fixIr(fe: FnEmitter, x: Expr, t: Type, always = false): Expr {
  if (always ? x.e === "local" || (x.e === "var" && "id" in x.v) : constLike(x)) return x;
  const ref = fe.newTmp();
  fe.em.defineType(t);
  const l: Local = { id: 0, name: ref, type: t };
  const v = own(x);
  fe.emit(fe.decl(cType(t), ref) === ref ? { s: "assign", to: { e: "local", l }, v } : { s: "decl", l, init: v });
  return { e: "local", l };
}

/**
 * What the string emitter left in place instead of a temporary: ctext.ts
 * isConstExpr on its text (`true`, `2.5`, `INT64_MIN`, but also a float
 * negation `(-l_x)`), asked of the same text printed from the IR. A call is
 * never one (its name is followed by `(`), so no instance is named here.
 */
export function constLike(x: Expr): boolean {
  if (hasCall(x)) return false;
  return isConstExpr(printExpr(x, { instance: () => { throw new Error("internal: a call in a constant"); } }));
}

export function hasCall(x: Expr): boolean {
  switch (x.e) {
    case "call": return true;
    case "field": case "elem": case "len": return hasCall(x.of);
    case "at": return hasCall(x.of) || hasCall(x.i);
    case "deref": return hasCall(x.p);
    case "not": case "unop": case "bitnot": case "cast": case "paren": return hasCall(x.x);
    case "bin": return hasCall(x.l) || hasCall(x.r);
    case "seq": return true;
    case "cond": return hasCall(x.c) || hasCall(x.a) || hasCall(x.b);
    case "some": return hasCall(x.x);
    case "strLen": return hasCall(x.of);
    case "optional": return hasCall(x.has) || hasCall(x.v);
    case "struct": return x.fields.some((f) => hasCall(f.v));
    case "tuple": return x.elems.some(hasCall);
    case "variant": return x.fields.some(hasCall);
    default: return false;
  }
}
