// The parts of `match`, `if let` and value-producing branches that meet the
// body's expressions (match.ts builds the decision tree itself): the subject
// fixed in a temporary (FnEmitter.materializeAlways' rule), an arm's guard as
// a condition, and the value of an arm (or an `if`'s branch, a block) stored
// into the temporary that holds the result. Each is IR where the expression
// is (expr-ir.ts), else the string emitter's text; the temporaries and the
// Colang locals they name are IR locals.

import type * as A from "../syntax/ast.js";
import type { LocalVar, Type } from "../check/types.js";
import type { Expr, Local } from "../lower/ir.js";
import { NEVER, bare, unparen } from "./ctext.js";
import { printExpr } from "./print.js";
import type { FnEmitter } from "./body.js";
import { C } from "./body-ir.js";
import { placeIr } from "./frames-ir.js";
import { cType } from "./names.js";
import { condIr, exprIr, irExpr, own, storedValueIr } from "./expr-ir.js";
import { hasCall } from "./expr-ir-order.js";
import { declIr } from "./loops-ir.js";

/** A variable by its C name (a temporary, or a Colang local the string emitter named), of type t. */
export const named = (name: string, t: Type): Expr => ({ e: "local", l: { id: 0, name, type: t } as Local });

/** Whether the string emitter's materializeAlways leaves this C text in place (a temporary, a local, `true`). */
const stays = (c: string): boolean => { const b = bare(c); return /^[tl]_?\w*$/.test(b) && (b.startsWith("t") || b.startsWith("l_")); };

/** The subject of a `match` or `if let` (e, of type t) fixed as materializeAlways fixes it: the expression read
 *  and its C text (match-bindings.ts asks of the text). */
export function subjectIr(fe: FnEmitter, e: A.Expr, t: Type): { x: Expr; text: string } {
  if (irExpr(fe, e, true)) {
    const x = exprIr(fe, e);
    if (!hasCall(x)) {
      const text = printExpr(x, { instance: () => { throw new Error("internal: a call in a match subject"); } });
      if (stays(text)) return { x, text };
    }
    const ref = fe.newTmp();
    fe.em.defineType(t);
    const d = declIr(fe, ref, t, own(x));
    fe.emit(d.st);
    return { x: d.x, text: ref };
  }
  const text = fe.materializeAlways(fe.expr(e), t);
  return { x: stays(text) ? named(text, t) : C(text), text };
}

/** An arm's guard: the condition (statements it needs are emitted first). */
export function guardIr(fe: FnEmitter, g: A.Expr): Expr { return condIr(fe, g, unparen); }

/** `into = e`: the value of a branch stored into the temporary that holds the result. */
export function storeValue(fe: FnEmitter, e: A.Expr, into: { v: string; t: Type }): void {
  const x = storedValueIr(fe, e, into.t);
  if (x) { fe.emit({ s: "assign", to: named(into.v, into.t), v: x }); return; }
  const v = fe.value(e, into.t);
  if (v !== NEVER) fe.emit({ s: "assign", to: named(into.v, into.t), v: placeIr(fe, v, cType(into.t)) });
}

/** The temporary that holds a branching expression's value, declared zero (ctext.ts `zero`). */
export function resultTmp(fe: FnEmitter, t: Type): string {
  fe.em.defineType(t);
  const ref = fe.newTmp();
  fe.emit(declIr(fe, ref, t, { e: "default", t }).st);
  return ref;
}

/** Match bindings read at their uses (match-bindings.ts), as IR: the place each one names while its arm is written
 *  (FnEmitter.readInPlace holds the same places as text, for the string emitter). */
const inPlace = new WeakMap<FnEmitter, Map<LocalVar, Expr>>();

export function readInPlaceIr(fe: FnEmitter, v: LocalVar): Expr | undefined { return inPlace.get(fe)?.get(v); }

/** Binding v reads place x (null: no longer; it is declared). */
export function setInPlace(fe: FnEmitter, v: LocalVar, x: Expr | null): void {
  let m = inPlace.get(fe);
  if (!m) inPlace.set(fe, m = new Map());
  if (x) m.set(v, x); else m.delete(v);
}
