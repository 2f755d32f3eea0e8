// Calls of the collection methods (Vec, Map, Set) on the runtime's macro
// instances, indexing with its bounds and missing-key panics, and the
// generated helpers some of them need (find, join, map/filter, sortBy, keys,
// and the string methods that return collections).

import type * as A from "../syntax/ast.js";
import { T, type Type } from "../check/types.js";
import { cType, mangle } from "./names.js";
import { locArgs, zero } from "./ctext.js";
import type { FnEmitter } from "./body.js";
import { dropsOnRemove, mapSetHelper, removingHelper } from "./drops.js";
import { VEC_HELPERS } from "../check/helpers.js";
import { vecHelperCall } from "./vec-helpers.js";
import { locIr } from "./caller.js";
import { C } from "./body-ir.js";
import type { Callee, CollFn, CollOp, Expr } from "../lower/ir.js";
import { collFnCallee, collFnFunc, type CollFnHost } from "../lower/coll-fns.js";

type VecT = Extract<Type, { k: "vec" }>;

/** A pointer to element i of vec / value of key i of map (panicking when out of range / missing). */
export function indexPtr(fe: FnEmitter, ct: Type, c: string, i: string, span: A.Span): string { return indexPtrOf(fe, ct, c, i, span).text; }

/** indexPtr's text (recorded with its IR) and its IR; `ir`: the collection and the index as IR, where c and i are their printed text. */
export function indexPtrOf(fe: FnEmitter, ct: Type, c: string, i: string, span: A.Span, ir?: [Expr, Expr]): { text: string; x: Expr } {
  fe.em.defineType(ct);
  const n = mangle(ct);
  const args = [...ir ?? [C(c), C(i)], ...locIr(span)];
  const of = (text: string, x: Expr) => ({ text: fe.recorded(text, x), x });
  if (ct.k === "vec") return of(`${n}_at(${c}, ${i}, ${locArgs(span)})`, { e: "call", f: { c: "coll", op: "at", type: ct }, args });
  if (ct.k !== "map") throw new Error("internal: index");
  const h = mapIndexHelper(fe, ct);
  return of(`${h}(${c}, ${i}, ${locArgs(span)})`, { e: "call", f: { c: "helper", name: h }, args });
}

/** The generated helper `mi_N(m, k, file, line, col)` returning a pointer to the value of key k of a map of type ct (panicking when missing). */
export function mapIndexHelper(fe: FnEmitter, ct: Extract<Type, { k: "map" }>): string {
  fe.em.defineType(ct);
  return collFn(fe, "index", ct, T.unit, []);
}

/** The emitter's side of the collection functions built as IR (src/lower/coll-fns.ts). */
export function collFnHost(fe: FnEmitter): CollFnHost {
  return { eq: (t, a, b) => fe.em.derived.eqIr(t, a, b), show: (t, sb, v, nested) => fe.em.derived.showIr(t, sb, v, nested) };
}

/** The collection function op on ct (argument types ats, result t), registered now: its C name. */
export function collFn(fe: FnEmitter, op: CollFn, ct: Extract<Type, { k: "vec" | "map" | "set" | "string" }>, t: Type, ats: Type[]): string {
  return fe.em.irFunc(collFnCallee(op, ct, ats), () => collFnFunc(op, ct, t, ats, collFnHost(fe)));
}

export function collectionCall(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, name: string, recvE: A.Expr | null, t: Type): string {
  if (!recvE) { fe.em.defineType(t); return fe.recorded(`${mangle(t)}_new()`, { e: "call", f: { c: "coll", op: "new", type: t }, args: [] }); }
  if (VEC_HELPERS.includes(name)) return vecHelperCall(fe, e, name, recvE, t);
  const ct = fe.typeOf(recvE) as Extract<Type, { k: "vec" | "map" | "set" }>;
  fe.em.defineType(ct);
  const n = mangle(ct);
  const elem = ct.k === "map" ? ct.key : ct.elem;
  const paramTypes: Type[] = (() => {
    switch (name) {
      case "push": case "contains": case "indexOf": case "has": case "delete": case "get": return [elem];
      case "insert": return ct.k === "vec" ? [T.i64, elem] : [elem];
      case "remove": return [T.i64];
      case "set": return [elem, (ct as { val: Type }).val];
      case "join": return [T.string];
      case "slice": return [T.i64, T.i64];
      default: return [];
    }
  })();
  // A global collection named directly is read after the arguments: an argument that awaits then never holds a
  // pointer to a collection another task may replace meanwhile (the region analysis relies on it, memory/borrows.ts).
  const globalRecv = fe.typed.refs.get(recvE)?.kind === "global";
  let [c, a, b] = globalRecv ? ["", ...fe.operands(e.args, paramTypes)] : fe.operands([recvE, ...e.args], [ct, ...paramTypes]);
  if (globalRecv) c = fe.expr(recvE);
  const loc = locArgs(e.span);
  // The call's text, recorded with its IR (text-ir.ts): `name(args[, loc])`.
  const callText = (f: Callee, cname: string, args: string[], withLoc = false): string =>
    fe.recorded(`${cname}(${[...args, ...(withLoc ? [loc] : [])].join(", ")})`, { e: "call", f, args: [...args.map(C), ...(withLoc ? locIr(e.span) : [])] });
  const op = (o: CollOp, args: string[], withLoc = false): string => callText({ c: "coll", op: o, type: ct }, `${n}_${o}`, args, withLoc);
  const helper = (h: string, args: string[], withLoc = false): string => callText({ c: "helper", name: h }, h, args, withLoc);
  // A store into a collection owned by an older region copies the value there (MEMORY.md rule 1).
  if ((name === "push" || name === "insert" || name === "set") && paramTypes.some((x) => fe.em.hasHeap(x))) {
    c = fe.materialize(c, ct);
    if (name === "set") { a = fe.em.stored(e, `${c}->owner`, paramTypes[0], a); b = fe.em.stored(e, `${c}->owner`, paramTypes[1], b); }
    else if (name === "insert" && ct.k === "vec") b = fe.em.stored(e, `${c}->owner`, elem, b);
    else a = fe.em.stored(e, `${c}->owner`, elem, a);
  }
  // Removing from (or overwriting in) a collection owned by global memory drops what it removes (rule 2).
  {
    const drops = dropsOnRemove(fe, ct);
    if (drops && name === "set" && ct.k === "map") return helper(mapSetHelper(fe, ct), [c, a, b]);
    if (drops && name === "delete") return helper(removingHelper(fe, ct, "delete"), [c, a]);
    if (drops && name === "insert" && ct.k === "set") return helper(removingHelper(fe, ct, "insert"), [c, a]);
    if (drops && name === "clear") return helper(removingHelper(fe, ct, "clear"), [c]);
    if (drops && name === "remove" && ct.k === "vec") return helper(removingHelper(fe, ct, "remove"), [c, a], true);
  }
  switch (name) {
    case "len": { const m = fe.materialize(c, ct); return fe.recorded(`${m}->len`, { e: "len", of: C(m) }); }
    case "isEmpty": { const m = fe.materialize(c, ct); return fe.recorded(`(${m}->len == 0)`, { e: "bin", op: "==", l: { e: "len", of: C(m) }, r: { e: "int", v: 0, t: T.i64 } }); }
    case "clear": return op("clear", [c]);
    case "push": return op("push", [c, a]);
    case "pop": {
      fe.em.defineType(t);
      const x = fe.newTmp(), ok = fe.newTmp();
      const pop = dropsOnRemove(fe, ct) ? removingHelper(fe, ct, "pop") : `${n}_pop`;
      fe.emit({ s: "row", body: [fe.declStmt(cType(elem), x, zero(elem)), fe.declStmt("bool", ok, `${pop}(${c}, &${x})`)] });
      return fe.recorded(`((${cType(t)}){ ${ok}, ${x} })`, { e: "optional", t, has: C(ok), v: C(x) });
    }
    case "insert": return ct.k === "vec" ? op("insert", [c, a, b], true) : op("insert", [c, a]);
    case "remove": return op("remove", [c, a], true);
    case "slice": return op("slice", [c, a, b], true);
    case "reversed": return op("reversed", [c]);
    case "sort": return op("sort", [c]);
    case "has": return op("has", [c, a]);
    case "delete": return op("delete", [c, a]);
    case "set": return op("set", [c, a, b]);
    case "get": {
      fe.em.defineType(t);
      const vt = (ct as { val: Type }).val;
      const p = fe.newTmp();
      fe.declare(`${cType(vt)} *`, p, fe.recorded(`${n}_get(${c}, ${a})`, { e: "call", f: { c: "coll", op: "get", type: ct }, args: [C(c), C(a)] }));
      const P = C(p);
      return fe.recorded(`((${cType(t)}){ ${p} != NULL, ${p} ? *${p} : ${zero(vt)} })`, { e: "optional", t, has: { e: "bin", op: "!=", l: P, r: { e: "null" } },
        v: { e: "cond", c: P, a: { e: "deref", p: P, bare: true }, b: { e: "default", t: vt }, own: true } });
    }
    case "contains": case "indexOf": {
      const h = findHelper(fe, ct as Extract<Type, { k: "vec" }>);
      if (name === "contains") { const f = helper(h, [c, a]); return fe.recorded(`(${f} >= 0)`, { e: "bin", op: ">=", l: C(f), r: { e: "int", v: 0, t: T.i64 } }); }
      fe.em.defineType(t);
      const i = fe.newTmp();
      fe.declare("int64_t", i, helper(h, [c, a]));
      return fe.recorded(`((${cType(t)}){ ${i} >= 0, ${i} })`, { e: "optional", t, has: { e: "bin", op: ">=", l: C(i), r: { e: "int", v: 0, t: T.i64 } }, v: C(i) });
    }
    case "join": {
      return helper(joinHelper(fe, ct as Extract<Type, { k: "vec" }>), [c, a]);
    }
    case "enumerate": {
      return helper(enumerateHelper(fe, ct as Extract<Type, { k: "vec" }>, t as Extract<Type, { k: "vec" }>), [c]);
    }
    case "map": case "filter": {
      fe.em.defineType(t);
      const ft = fe.typeOf(e.args[0]) as Extract<Type, { k: "fn" }>;
      const f = fe.materializeAlways(a, ft);
      return helper(mapFilterHelper(fe, name, ct as Extract<Type, { k: "vec" }>, t as Extract<Type, { k: "vec" }>, ft), [c, f]);
    }
    case "sortBy": {
      const ft = fe.typeOf(e.args[0]) as Extract<Type, { k: "fn" }>;
      const f = fe.materializeAlways(a, ft);
      return `${n}_sort_by(${c}, ${comparator(fe, ct as Extract<Type, { k: "vec" }>, ft)}, &${f}, ${loc})`;
    }
    case "keys": case "values": {
      return helper(keysHelper(fe, name, ct as Extract<Type, { k: "map" | "set" }>, t as Extract<Type, { k: "vec" }>), [c]);
    }
  }
  throw new Error(`internal: collection method ${name}`);
}


/** The generated helper `find_N(v, x)`: the index of the first element equal to x, or -1 (`contains`, `indexOf`). */
export function findHelper(fe: FnEmitter, ct: VecT): string { return collFn(fe, "indexOf", ct, T.i64, []); }

/** The generated helper `join_N(v, sep)`: the elements shown, separated by sep. */
export function joinHelper(fe: FnEmitter, ct: VecT): string { return collFn(fe, "join", ct, T.string, []); }

/** The generated helper `enum_N(v)`: a vec of (index, element) pairs of type rt (the result type, defined first). */
export function enumerateHelper(fe: FnEmitter, ct: VecT, rt: VecT): string {
  fe.em.defineType(rt);
  return collFn(fe, "enumerate", ct, rt, []);
}

/** The generated helper of `map`/`filter` on a vec of type ct with a closure of type ft, giving a vec of type rt. */
export function mapFilterHelper(fe: FnEmitter, name: string, ct: VecT, rt: VecT, ft: Type): string {
  return collFn(fe, name as "map" | "filter", ct, rt, [ft]);
}

/** The generated helper of `keys`/`values` of a map or set of type ct, giving a vec of type rt (defined first). */
export function keysHelper(fe: FnEmitter, name: string, ct: Extract<Type, { k: "map" | "set" }>, rt: VecT): string {
  fe.em.defineType(rt);
  return collFn(fe, name as "keys" | "values", ct, rt, []);
}

/** The C comparator of `sortBy`/`sortedBy` for a vec of type ct and a comparator closure of type ft. */
export function comparator(fe: FnEmitter, ct: Extract<Type, { k: "vec" }>, ft: Type): string {
  return collFn(fe, "cmp", ct, T.i64, [ft]);
}

/** The generated function of a string method that returns a Vec (split, lines, chars, bytes; t the Vec type): its C name. */
export function strFn(fe: FnEmitter, name: string, t: Type): string {
  fe.em.defineType(t);
  return collFn(fe, name as CollFn, T.string as Extract<Type, { k: "string" }>, t, []);
}
