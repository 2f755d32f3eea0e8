// Collection methods as IR whose text form is a generated helper's call
// (collections.ts, vec-helpers.ts, drops.ts) or a runtime macro instance's
// operation plus temporaries, where the string emitter wrote exactly that:
// `contains`/`indexOf` (the helper `find_N`: `(find_N(v, x) >= 0)`, an index
// temporary and `((O){ i >= 0, i })`), `join`, `enumerate`, `keys`,
// `values`, `map`, `filter` (the closure fixed first as materializeAlways
// did), `sortBy` (`N_sort_by(v, cmp, &f)`), the removals that drop what they
// remove from a collection owned by global memory (`deleted_N`, `cleard_N`,
// `removed_N`, `popd_N`: drops.ts removingHelper), and the Vec helpers of
// check/helpers.ts that are one helper call (vec-helpers.ts HELPER_CALLS:
// `find`, `any`, `all`, `fold`, `sum`, `min`, `max`, `chunks`, `zip`, ...);
// `sorted` and `sortedBy` sort a copy (`V *t1 = V_copy(v); V_sort(t1);`),
// `first` and `last` are a `cond` on the length (`flat`).
// A generated helper is the callee `{ c: "helper", name }`, by the C name
// its registration returned; it is registered where the string emitter
// registered it (after the operands and the closures' temporaries), so the
// helpers, temporaries and failure stubs keep their order. The methods that
// store a value with heap parts (a copy into the collection's region may be
// due) stay text. These forms emit temporaries, so they are IR only where
// statements may precede (`ordered`).

import type * as A from "../syntax/ast.js";
import { T, type Type } from "../check/types.js";
import type { Callee, CollOp, Expr, Local } from "../lower/ir.js";
import { hasHeap, type StoreNode } from "../memory/regions.js";
import type { FnEmitter } from "./body.js";
import { cType } from "./names.js";
import { comparator, enumerateHelper, findHelper, joinHelper, keysHelper, mapFilterHelper } from "./collections.js";
import { dropsOnRemove, droppingCallee } from "./drops.js";
import { exprIr, irExpr, own } from "./expr-ir.js";
import { fixIr, operandsIr } from "./expr-ir-order.js";
import { HELPER_CALLS, vecHelperFn } from "./vec-helpers.js";

type Call = Extract<A.Expr, { kind: "Call" }>;
type Coll = Extract<Type, { k: "vec" | "map" | "set" }>;
type VecT = Extract<Type, { k: "vec" }>;

/** The collection methods of this file served by a generated helper (expr-ir-methods.ts collParts takes their operands). */
export const HELPED = new Set(["contains", "indexOf", "join", "enumerate", "keys", "values", "map", "filter", "sortBy"]);

/** Their argument types (the receiver's not included), or null where they stay text. */
export function helpedTargets(fe: FnEmitter, e: Call, name: string, ct: Coll): Type[] | null {
  switch (name) {
    case "contains": case "indexOf": return ct.k === "vec" ? [ct.elem] : null;
    case "join": return ct.k === "vec" ? [T.string] : null;
    case "enumerate": return ct.k === "vec" ? [] : null;
    case "keys": case "values": return ct.k !== "vec" ? [] : null;
    case "map": case "filter": case "sortBy": return ct.k === "vec" ? [fe.typeOf(e.args[0])] : null;
    default: return null;
  }
}

/** The method of a collection owned by global memory that drops what it removes: its helper (drops.ts), else the instance's operation. */
export function removing(fe: FnEmitter, ct: Coll, name: "delete" | "clear" | "remove" | "pop"): Callee {
  return dropsOnRemove(fe, ct) ? droppingCallee(fe, ct, name) : { c: "coll", op: name, type: ct };
}

/** A call's source location as the string emitter's `"file", line, col` operands. */
export function locIr(span: A.Span): Expr[] {
  return [{ e: "cstr", v: span.file }, { e: "int", v: span.line, t: T.int("i32") }, { e: "int", v: span.col, t: T.int("i32") }];
}

/** A temporary of C type ct (IR type t) declared now with init (FnEmitter.decl: a frame member in an async body). */
function tmp(fe: FnEmitter, t: Type, ct: string, init: Expr): Expr {
  const l = { id: 0, name: fe.newTmp(), type: t };
  fe.emit(fe.decl(ct, l.name) === l.name ? { s: "assign", to: { e: "local", l }, v: init } : { s: "decl", l, init });
  return { e: "local", l };
}

/** The IR of a HELPED method (its operands built: the receiver, the arguments). */
export function helpedExprIr(fe: FnEmitter, name: string, ct: Coll, t: Type, recv: Expr, args: Expr[], argTypes: Type[], span: A.Span): Expr {
  const helper = (h: string, ...xs: Expr[]): Expr => ({ e: "call", f: { c: "helper", name: h }, args: [recv, ...xs] });
  switch (name) {
    case "contains": return { e: "bin", op: ">=", l: helper(findHelper(fe, ct as VecT), ...args), r: { e: "int", v: 0, t: T.i64 } };
    case "indexOf": {
      // `int64_t i = find_N(v, x);` and `((O){ i >= 0, i })`.
      const h = findHelper(fe, ct as VecT);
      fe.em.defineType(t);
      const i = tmp(fe, T.i64, "int64_t", helper(h, ...args));
      return { e: "optional", t, has: { e: "bin", op: ">=", l: i, r: { e: "int", v: 0, t: T.i64 } }, v: i };
    }
    case "join": return helper(joinHelper(fe, ct as VecT), ...args);
    case "enumerate": return helper(enumerateHelper(fe, ct as VecT, t as VecT));
    case "keys": case "values": return helper(keysHelper(fe, name, ct as Extract<Type, { k: "map" | "set" }>, t as VecT));
    case "map": case "filter": {
      fe.em.defineType(t);
      const f = fixIr(fe, args[0], argTypes[0], true);
      return helper(mapFilterHelper(fe, name, ct as VecT, t as VecT, argTypes[0]), f);
    }
    case "sortBy": {
      const f = fixIr(fe, args[0], argTypes[0], true);
      const cmp: Expr = { e: "fnref", f: { c: "helper", name: comparator(fe, ct as VecT, argTypes[0]) } };
      return { e: "call", f: { c: "coll", op: "sort_by", type: ct }, args: [recv, cmp, { e: "addr", of: f, bare: true }, ...locIr(span)] };
    }
  }
  throw new Error(`internal: collection method ${name}`);
}

/** The Vec helper call e (check/helpers.ts) when it is one helper call (vec-helpers.ts HELPER_CALLS), else null. */
function vecHelper(fe: FnEmitter, e: Call): { recv: A.Expr; name: string } | null {
  const target = fe.typed.calls.get(e);
  if (target?.kind !== "collection" || !target.recv || !(HELPER_CALLS[target.name] || SORTED.has(target.name) || ENDS.has(target.name))) return null;
  return { recv: target.recv, name: target.name };
}

/** Whether e is a Vec helper call built as IR (statements may precede it: its closures are fixed first). */
export function vecHelperIr(fe: FnEmitter, e: Call): boolean {
  const h = vecHelper(fe, e);
  if (!h) return false;
  const global = fe.typed.refs.get(h.recv)?.kind === "global";
  const es = global ? e.args : [h.recv, ...e.args];
  if (global && !irExpr(fe, h.recv)) return false;
  return es.every((a) => irExpr(fe, a, true));
}

/** Whether e is a Vec helper call (vecHelperIr decides whether it is IR). */
export function isVecHelper(fe: FnEmitter, e: Call): boolean { return vecHelper(fe, e) !== null; }

/** The IR of the Vec helper call e, which vecHelperIr accepted: `h(v, args..., stub | location)`. */
export function vecHelperExprIr(fe: FnEmitter, e: Call): Expr {
  const { recv, name } = vecHelper(fe, e)!;
  const vt = fe.typeOf(recv) as VecT, t = fe.typeOf(e);
  fe.em.defineType(vt);
  fe.em.defineType(t);
  const ats = e.args.map((a) => fe.typeOf(a));
  // A global vec named directly is read after the arguments (vec-helpers.ts).
  const global = fe.typed.refs.get(recv)?.kind === "global";
  const xs = operandsIr(fe, global ? e.args : [recv, ...e.args], global ? ats : [vt, ...ats], own);
  const [v, ...args] = global ? [exprIr(fe, recv), ...xs] : xs;
  if (SORTED.has(name)) return sortedIr(fe, e, name, vt, v, args[0], ats[0]);
  if (ENDS.has(name)) return endIr(fe, name, vt, t, v);
  const c = HELPER_CALLS[name];
  // Fold's initial value, then the closures, fixed in temporaries; then the helper; then sum's overflow stub.
  const init = c.init ? fixIr(fe, args[0], ats[0]) : null;
  const ys = args.map((a, i) => (i === 0 && init !== null ? init : c.fns.includes(i) ? fixIr(fe, a, ats[i], true) : a));
  const h = vecHelperFn(fe, name, vt, t, ats);
  const more: Expr[] = name === "sum" && vt.elem.k === "int" ? [{ e: "fail", stub: fe.em.fails.stub({ k: "overflow" }, e.span) }] : c.loc ? locIr(e.span) : [];
  return { e: "call", f: { c: "helper", name: h }, args: [v, ...ys, ...more] };
}

const SORTED = new Set(["sorted", "sortedBy"]);
const ENDS = new Set(["first", "last"]);

/** `v.first()`, `v.last()`: v fixed as `materialize` fixed it, then `(t->len > 0 ? some(t->data[i]) : none)` (the test without parentheses, as vec-helpers.ts wrote it). */
function endIr(fe: FnEmitter, name: string, vt: VecT, t: Type, v: Expr): Expr {
  const w = fixIr(fe, v, vt);
  const n: Expr = { e: "len", of: w };
  const i: Expr = name === "first" ? { e: "int", v: 0, t: T.i64 } : { e: "bin", op: "-", l: n, r: { e: "int", v: 1, t: T.i64 } };
  return { e: "cond", c: { e: "bin", op: ">", l: n, r: { e: "int", v: 0, t: T.i64 } }, a: { e: "some", t, x: { e: "at", of: w, i } }, b: { e: "none", t }, own: true, flat: true };
}

/** `v.sorted()`, `v.sortedBy(f)`: a copy of v in a temporary, sorted in place (the closure fixed after the comparator's registration, as vec-helpers.ts did). */
function sortedIr(fe: FnEmitter, e: Call, name: string, vt: VecT, v: Expr, f: Expr | undefined, ft: Type | undefined): Expr {
  const ref = fe.newTmp();
  const l: Local = { id: 0, name: ref, type: vt };
  const copy: Expr = { e: "call", f: { c: "coll", op: "copy", type: vt }, args: [v] };
  fe.emit(fe.decl(cType(vt), ref) === ref ? { s: "assign", to: { e: "local", l }, v: copy } : { s: "decl", l, init: copy });
  const c: Expr = { e: "local", l };
  if (name === "sorted") { fe.emit({ s: "expr", x: { e: "call", f: { c: "coll", op: "sort", type: vt }, args: [c] } }); return c; }
  const cmp: Expr = { e: "fnref", f: { c: "helper", name: comparator(fe, vt, ft!) } };
  const g = fixIr(fe, f!, ft!, true);
  fe.emit({ s: "expr", x: { e: "call", f: { c: "coll", op: "sort_by", type: vt }, args: [c, cmp, { e: "addr", of: g, bare: true }, ...locIr(e.span)] } });
  return c;
}

/**
 * The types of the arguments a store `push`/`insert`/`set` copies into the
 * collection's region (collections.ts: `stored` on each), or null when none
 * has heap parts (then nothing is copied: expr-ir-methods.ts builds it).
 */
function storedTypes(name: string, ct: Coll): Type[] | null {
  const ts = name === "set" && ct.k === "map" ? [ct.key, ct.val] : name === "insert" && ct.k === "vec" ? [T.i64, ct.elem]
    : name === "push" || name === "insert" ? [ct.k === "map" ? ct.key : ct.elem] : null;
  return ts && ts.some(hasHeap) ? ts : null;
}

/** Whether the copies a store's arguments get (the region analysis's decision, c.ts storeCopy) are IR: none or a promotion. */
export function storeOk(fe: FnEmitter, node: StoreNode, ts: Type[]): boolean {
  return ts.every((t) => { const c = fe.em.storeCopy(node, "owner", t); return c === "none" || c === "promote"; });
}

/** Whether the store e of name on ct copies values with heap parts; IR only where statements may precede (the receiver is fixed). */
export function heapStoreOk(fe: FnEmitter, e: Call, name: string, ct: Coll, ordered: boolean): boolean {
  const ts = storedTypes(name, ct);
  return !ts || (ordered && storeOk(fe, e, ts));
}

/**
 * The store e of name on ct whose arguments have heap parts, as
 * collections.ts wrote it: the receiver fixed in a temporary, each argument
 * copied into its region (`promote_T(t1->owner, x)`, c.ts storedIr), and
 * the helper that drops what an overwrite or a refused insert leaves in
 * global memory (`setd_M`, `insertd_S`); or null when nothing is copied.
 */
export function heapStoreIr(fe: FnEmitter, e: Call, name: string, ct: Coll, recv: Expr, args: Expr[]): Expr | null {
  const ts = storedTypes(name, ct);
  if (!ts) return null;
  const c = fixIr(fe, recv, ct);
  const owner: Expr = { e: "arrow", p: c, field: "owner" };
  const vs = args.map((a, i) => fe.em.storedIr(e, "owner", owner, ts[i], a)!);
  const drops = dropsOnRemove(fe, ct);
  if (drops && name === "set" && ct.k === "map") return { e: "call", f: droppingCallee(fe, ct, "set"), args: [c, ...vs] };
  if (drops && name === "insert" && ct.k === "set") return { e: "call", f: droppingCallee(fe, ct, "insert"), args: [c, ...vs] };
  const more = name === "insert" && ct.k === "vec" ? locIr(e.span) : [];
  return { e: "call", f: { c: "coll", op: name as CollOp, type: ct }, args: [c, ...vs, ...more] };
}
