// Stores into a map as IR statements (statements.ts `assign` writes the
// rest):
//
// - `m[k] = v`: `M_set(m, k, v)` (`{ c: "coll", op: "set" }`), the three
//   operands ordered by expr-ir-order.ts as FnEmitter.operands ordered them,
//   the key and the value converted to the map's types (expr-ir-literals.ts
//   valueExprIr: an `int` key of a `Map<int?, V>` is wrapped);
// - the counter update `m[k] = (m.get(k) ?? d) op e` (statements.ts
//   counterUpdate recognises it): one find-or-insert, the row
//   `bool ins = false; V *p = M_slot(m, k, &ins);`, a short `if (ins) *p =
//   d;` and `*p = *p op e` as `arith` wrote it (the runtime's checked call
//   for integers, its failure stubs requested after e's; `(*p op e)` for
//   floats).
//
// `m[k] = v` of a key or value with heap parts fixes the map in a temporary
// and calls the helper that drops an overwritten value of global memory
// (`setd_M(t1, promote_K(t1->owner, k), v)`: the copies the region analysis
// asks for, c.ts storedIr; a copy other than a promotion stays text). The
// counter update with such a key looks the key up first and inserts a copy
// only when it is missing: the row `bool ins = false; V *p = M_get(m, k);`,
// the short `if (!p) p = M_slot(m, promote_K(m->owner, k), &ins);` (the
// promotion where the region analysis asks for it), then as above.

import type * as A from "../syntax/ast.js";
import { T, type Type } from "../check/types.js";
import type { Expr, Local, Stmt } from "../lower/ir.js";
import { cType } from "./names.js";
import type { FnEmitter } from "./body.js";
import { checkedBinaryCall } from "./fail-stubs.js";
import { checkedCall, exprIr, irExpr, own, valueIr } from "./expr-ir.js";
import { valueOk, valuesIr } from "./expr-ir-literals.js";
import { storeOk } from "./expr-ir-collections.js";
import { fixIr } from "./expr-ir-order.js";
import { droppingCallee } from "./drops.js";
import { memberLocal } from "./frames-ir.js";

type Assign = Extract<A.Stmt, { kind: "Assign" }>;
type MapT = Extract<Type, { k: "map" }>;

/** Emits `m[k] = v` as an IR call statement and says so, or emits nothing and returns false. */
export function mapStoreIr(fe: FnEmitter, s: Assign, mt: MapT): boolean {
  const target = s.target as Extract<A.Expr, { kind: "Index" }>;
  const heap = fe.em.hasHeap(mt.key) || fe.em.hasHeap(mt.val);
  if (heap && !storeOk(fe, s, [mt.key, mt.val])) return false;
  const es = [target.target, target.index, s.value], ts = [mt, mt.key, mt.val];
  if (!es.every((x, i) => valueOk(fe, x, ts[i], true))) return false;
  const [m0, k, v] = valuesIr(fe, es, ts);
  if (!heap) { fe.emit({ s: "expr", x: { e: "call", f: { c: "coll", op: "set", type: mt }, args: [m0, k, v] } }); return true; }
  // The map fixed in a temporary, the helper that drops an overwritten value of global memory, the key and
  // the value copied into the map's region (the region analysis's decision: c.ts storedIr).
  const m = fixIr(fe, m0, mt);
  const set = droppingCallee(fe, mt, "set");
  const owner: Expr = { e: "arrow", p: m, field: "owner" };
  const args = [m, fe.em.storedIr(s, "owner", owner, mt.key, k)!, fe.em.storedIr(s, "owner", owner, mt.val, v)!];
  if (fe.em.hasHeap(mt.val) && fe.em.isStoreBack(s) && fe.em.storeCopy(s, "owner", mt.val) === "promote") {
    // A store-back into a map of global memory: the entry's value restored part by part, what is still the
    // entry's kept (lower/derive/restore.ts); a missing key (deleted or cleared since the read) or a map in a
    // region is set as before. `V *p = m->owner == co_global ? M_get(m, k) : NULL; if (p) *p = restore_V(*p, v);
    // else setd_M(...);`
    const pn = fe.newTmp(), ct = `${cType(mt.val)} *`;
    fe.em.defineType(mt.val);
    const find: Expr = { e: "call", f: { c: "coll", op: "get", type: mt }, args: [m, k] };
    fe.declare(ct, pn, { e: "cond", c: { e: "bin", op: "==", l: owner, r: { e: "sym", name: "co_global" } }, a: find, b: { e: "null" } });
    const p: Expr = { e: "local", l: memberLocal(pn, ct) }, at: Expr = { e: "deref", p, bare: true };
    const put: Stmt = { s: "assign", to: at, v: fe.em.derived.restoreIr(mt.val, at, v) };
    fe.emit({ s: "if", cond: p, then: [put], else_: [{ s: "expr", x: { e: "call", f: set, args } }] });
    return true;
  }
  fe.emit({ s: "expr", x: { e: "call", f: set, args } });
  return true;
}

/**
 * Emits the counter update `m[k] = (m.get(k) ?? d) op e` (m and k variables
 * of the map's types, d and e free of effects; counterUpdate checked that)
 * as IR and says so, or emits nothing and returns false.
 */
export function counterUpdateIr(fe: FnEmitter, s: Assign, mt: MapT, d: A.Expr, op: "+" | "-" | "*", r: A.Expr): boolean {
  const target = s.target as Extract<A.Expr, { kind: "Index" }>;
  if (mt.val.k !== "int" && mt.val.k !== "float") return false;
  const heap = fe.em.hasHeap(mt.key);
  if (heap && !["none", "promote"].includes(fe.em.storeCopy(s, "owner", mt.key))) return false;
  if (!irExpr(fe, target.target) || !irExpr(fe, target.index) || !valueOk(fe, d, mt.val, true) || !valueOk(fe, r, mt.val, true)) return false;
  fe.em.defineType(mt);
  const m = exprIr(fe, target.target), k = exprIr(fe, target.index);
  const ins: Local = { id: 0, name: fe.newTmp(), type: T.bool }, pl = fe.newTmp();
  const ct = `${cType(mt.val)} *`;
  const p: Local = { id: 0, name: pl, type: { k: "ptr", to: mt.val } };
  const decl = (l: Local, c: string, init: Expr): Stmt => (fe.decl(c, l.name) === l.name ? { s: "assign", to: { e: "local", l }, v: init } : { s: "decl", l, init });
  // A new key is copied into the map's region (it may be older than this one).
  const key = heap ? fe.em.storedIr(s, "owner", { e: "arrow", p: m, field: "owner" }, mt.key, k)! : k;
  const slot: Expr = { e: "call", f: { c: "coll", op: "slot", type: mt }, args: [m, key, { e: "addr", of: { e: "local", l: ins }, bare: true }] };
  const find: Expr = { e: "call", f: { c: "coll", op: "get", type: mt }, args: [m, k] };
  fe.emit({ s: "row", body: [decl(ins, "bool", { e: "bool", v: false }), decl(p, ct, heap ? find : slot)] });
  if (heap) fe.emit({ s: "if", cond: { e: "not", x: { e: "local", l: p } }, then: [{ s: "assign", to: { e: "local", l: p }, v: slot }], else_: [], short: true });
  const at: Expr = { e: "deref", p: { e: "local", l: p }, bare: true };
  const dv = valueIr(fe, d, mt.val)!;
  fe.emit({ s: "if", cond: { e: "local", l: ins }, then: [{ s: "assign", to: at, v: dv }], else_: [], short: true });
  const rv = valueIr(fe, r, mt.val)!;
  const x = mt.val.k === "float" ? own({ e: "bin", op, l: at, r: rv }) : checkedCall(checkedBinaryCall(fe.em.fails, op, mt.val.name, s.value.span)!, at, rv);
  fe.emit({ s: "assign", to: at, v: x });
  return true;
}
