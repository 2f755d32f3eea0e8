// Places with an index and index reads as IR (src/lower/ir.ts), where the
// string emitter (body.ts `expr` and `place`, collections.ts `indexPtr`)
// wrote one call of a collection operation or of a generated helper:
//
// - a read `v[i]`: `V_get(v, i, "file", line, col)` (`{ c: "coll", op: "get" }`),
//   `v->data[i]` where range analysis proved i in bounds (`{ e: "at" }`);
//   `m[k]`: `(*mi_M(m, k, "file", line, col))` (`{ c: "helper" }`, the
//   helper registered by collections.ts `mapIndexHelper`, under `deref`);
// - a place `v[i]` (a store, a compound assignment, a field or element of
//   it): the collection and the index are fixed in temporaries (FnEmitter
//   `materialize`'s rule: a constant stays) and the place is
//   `(*V_at(t1, t2, "file", line, col))` (`{ c: "coll", op: "at" }`), or
//   `t1->data[t2]` when proven; of a map, the helper's pointer.
//
// The operands are ordered by expr-ir-order.ts as FnEmitter.operands ordered
// them (the collection first). A map key is converted to the key's type
// (an `int` key of a `Map<int?, V>` wrapped, as FnEmitter.value did).

import type * as A from "../syntax/ast.js";
import { T, typeEq, type Type } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { mapIndexHelper } from "./collections.js";
import { exprIr, irExpr, isPath, own } from "./expr-ir.js";
import { anyFixed, fixIr, fixes } from "./expr-ir-order.js";
import { valueExprIr } from "./expr-ir-literals.js";

type Index = Extract<A.Expr, { kind: "Index" }>;
type Coll = Extract<Type, { k: "vec" | "map" }>;

/** The collection's type and the type its index is converted to, or null (not a Vec or Map, or a key needing a coercion). */
function parts(fe: FnEmitter, e: Index): { ct: Coll; key: Type } | null {
  const ct = fe.typeOf(e.target);
  if (ct.k === "vec") return { ct, key: T.i64 };
  // A key converted to the map's key type (wrapped into an optional: expr-ir-literals.ts valueExprIr).
  if (ct.k === "map" && converts(fe.typeOf(e.index), ct.key)) return { ct, key: ct.key };
  return null;
}

const converts = (t: Type, key: Type): boolean => typeEq(t, key) || (key.k === "optional" && t.k !== "optional" && typeEq(t, key.inner));

/** The collection and the index (converted to the key's type), the ones `fixes` names in temporaries declared now. */
function indexOperands(fe: FnEmitter, e: Index, ct: Coll, key: Type): Expr[] {
  const es = [e.target, e.index];
  return es.map((a, i) => {
    const x = i ? valueExprIr(fe, a, key) : exprIr(fe, a);
    return fixes(es, i) ? fixIr(fe, x, i ? key : ct) : x;
  });
}

const loc = (span: A.Span): Expr[] => [{ e: "cstr", v: span.file }, { e: "int", v: span.line, t: T.int("i32") }, { e: "int", v: span.col, t: T.int("i32") }];

/** Whether the read e (`v[i]`, `m[k]`) is built as IR (`ordered`: as irExpr's). */
export function indexIr(fe: FnEmitter, e: Index, ordered: boolean): boolean {
  if (!parts(fe, e) || !irExpr(fe, e.target, ordered) || !irExpr(fe, e.index, ordered)) return false;
  return ordered || !anyFixed([e.target, e.index]);
}

/** The IR of the read e, which indexIr accepted. */
export function indexExprIr(fe: FnEmitter, e: Index): Expr {
  const { ct, key } = parts(fe, e)!;
  const [c, i] = indexOperands(fe, e, ct, key);
  if (ct.k === "vec") {
    fe.em.defineType(ct);
    if (fe.unchecked?.has(e)) return { e: "at", of: c, i: own(i) };
    return { e: "call", f: { c: "coll", op: "get", type: ct }, args: [own(c), own(i), ...loc(e.span)] };
  }
  return { e: "deref", p: { e: "call", f: { c: "helper", name: mapIndexHelper(fe, ct) }, args: [own(c), own(i), ...loc(e.span)] } };
}

/**
 * The collection and index of the place e (`v[i]`) fixed in temporaries declared now as FnEmitter.place fixes
 * them (materialize's rule: a constant stays), as IR, where both are IR expressions; else null (nothing emitted).
 */
export function placeOperandsIr(fe: FnEmitter, e: Index): [Expr, Expr] | null {
  const p = parts(fe, e);
  if (!p || !irExpr(fe, e.target, true) || !irExpr(fe, e.index, true)) return null;
  const [c, i] = indexOperands(fe, e, p.ct, p.key);
  return [fixIr(fe, c, p.ct), fixIr(fe, i, p.key)];
}

/**
 * Whether e is a place built as IR: a variable, field or tuple-element path,
 * or one through an index (`v[i]`, `v[i].f`, `m[k].0`) of IR operands.
 * Asking emits nothing; placeExprIr builds it (and fixes an index's operands).
 */
export function placeOk(fe: FnEmitter, e: A.Expr): boolean {
  if (isPath(fe, e)) return true;
  switch (e.kind) {
    case "Field": return !fe.typed.refs.has(e) && placeOk(fe, e.target);
    case "TupleIndex": return placeOk(fe, e.target);
    case "Index": return !!parts(fe, e) && irExpr(fe, e.target, true) && irExpr(fe, e.index, true);
    default: return false;
  }
}

/** The IR of the place e, which placeOk accepted: an index's collection and index are fixed in temporaries now. */
export function placeExprIr(fe: FnEmitter, e: A.Expr): Expr {
  if (isPath(fe, e)) return exprIr(fe, e);
  switch (e.kind) {
    case "Field": return { e: "field", of: placeExprIr(fe, e.target), name: e.name };
    case "TupleIndex": return { e: "elem", of: placeExprIr(fe, e.target), i: e.index };
    case "Index": {
      const { ct, key } = parts(fe, e)!;
      const [c0, i0] = indexOperands(fe, e, ct, key);
      const c = fixIr(fe, c0, ct), i = fixIr(fe, i0, key);
      if (ct.k === "vec" && fe.unchecked?.has(e)) return { e: "at", of: c, i };
      if (ct.k === "vec") { fe.em.defineType(ct); return { e: "deref", p: { e: "call", f: { c: "coll", op: "at", type: ct }, args: [c, i, ...loc(e.span)] } }; }
      return { e: "deref", p: { e: "call", f: { c: "helper", name: mapIndexHelper(fe, ct) }, args: [c, i, ...loc(e.span)] } };
    }
    default: throw new Error(`internal: ${e.kind} is not an IR place`);
  }
}
