// The Vec helpers of check/helpers.ts (fold, find, sum, min, sorted, chunks,
// zip, take, ...) at their call sites: most are a call of a function generated
// per vec type (and closure type), built as IR by src/lower/coll-fns.ts.

import type * as A from "../syntax/ast.js";
import { C } from "./body-ir.js";
import { T, type Type } from "../check/types.js";
import { cType, mangle } from "./names.js";
import { NEVER, locArgs } from "./ctext.js";
import type { CollFn, Expr } from "../lower/ir.js";
import { locIr } from "./caller.js";
import type { FnEmitter } from "./body.js";
import { collFn, comparator } from "./collections.js";


/** The vec helpers that are one call of a generated helper: which operands are closures (fixed first), and what follows them. */
export const HELPER_CALLS: Record<string, { fns: number[]; init?: boolean; stub?: boolean; loc?: boolean }> = {
  find: { fns: [0] }, findIndex: { fns: [0] }, any: { fns: [0] }, all: { fns: [0] }, reduce: { fns: [0] },
  fold: { fns: [1], init: true }, sum: { fns: [] }, min: { fns: [] }, max: { fns: [] }, minBy: { fns: [0] }, maxBy: { fns: [0] },
  dedup: { fns: [] }, chunks: { fns: [], loc: true }, zip: { fns: [] }, take: { fns: [], loc: true }, skip: { fns: [], loc: true },
};

/**
 * The generated function of vec operation `name` (one of HELPER_CALLS) on a vec
 * of type vt with arguments of types ats, giving t (built as IR by
 * src/lower/coll-fns.ts): registered now, its C name. Its parameters: the vec,
 * the arguments, then (sum of integers) the overflow stub of the call site,
 * (chunks, take, skip) the location.
 */
export function vecHelperFn(fe: FnEmitter, name: string, vt: Extract<Type, { k: "vec" }>, t: Type, ats: Type[]): string {
  const op = name as CollFn;
  if (op === "zip") fe.em.defineType((t as Extract<Type, { k: "vec" }>).elem);
  if (op === "minBy" || op === "maxBy") fe.em.defineType((ats[0] as Extract<Type, { k: "fn" }>).ret);
  return collFn(fe, op, vt, t, ats);
}

export function vecHelperCall(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, name: string, recvE: A.Expr, t: Type): string {
  const vt = fe.typeOf(recvE) as Extract<Type, { k: "vec" }>;
  fe.em.defineType(vt);
  fe.em.defineType(t);
  const n = mangle(vt);
  const ats = e.args.map((a) => fe.typeOf(a));
  // A global vec named directly is read after the arguments, as collectionCall does (memory/borrows.ts relies on it).
  const globalRecv = fe.typed.refs.get(recvE)?.kind === "global";
  let v: string, args: string[];
  if (globalRecv) { args = fe.operands(e.args, ats); v = fe.expr(recvE); }
  else [v, ...args] = fe.operands([recvE, ...e.args], [vt, ...ats]);
  if (v === NEVER || args.some((x) => x === NEVER)) return NEVER;
  const rc = cType(t);
  const fn = (i: number) => fe.materializeAlways(args[i], ats[i]);
  const h = HELPER_CALLS[name];
  if (h) {
    // The closures fixed first (fold's initial value before them), then the helper; the overflow stub of this
    // call site (emit/fail-stubs.ts) is an argument of sum's: one helper serves every site.
    const init = h.init ? fe.materialize(args[0], ats[0]) : null;
    const xs = args.map((a, i) => (i === 0 && init !== null ? init : h.fns.includes(i) ? fn(i) : a));
    const f = vecHelperFn(fe, name, vt, t, ats);
    const stub = name === "sum" && vt.elem.k === "int" ? fe.em.fails.stub({ k: "overflow" }, e.span) : null;
    const more = stub ? [stub] : h.loc ? [locArgs(e.span)] : [];
    const moreIr: Expr[] = stub ? [{ e: "fail", stub }] : h.loc ? locIr(e.span) : [];
    // Recorded with its IR (text-ir.ts), as expr-ir-collections.ts builds it.
    return fe.recorded(`${f}(${[v, ...xs, ...more].join(", ")})`, { e: "call", f: { c: "helper", name: f }, args: [C(v), ...xs.map(C), ...moreIr] });
  }
  switch (name) {
    case "first": case "last": {
      const w = fe.materialize(v, vt);
      // Recorded with its IR (text-ir.ts), as expr-ir-collections.ts endIr builds it.
      const n0: Expr = { e: "len", of: C(w) }, i: Expr = name === "first" ? { e: "int", v: 0, t: T.i64 } : { e: "bin", op: "-", l: n0, r: { e: "int", v: 1, t: T.i64 } };
      return fe.recorded(`(${w}->len > 0 ? ((${rc}){ true, ${w}->data[${name === "first" ? "0" : `${w}->len - 1`}] }) : ((${rc}){0}))`,
        { e: "cond", c: { e: "bin", op: ">", l: n0, r: { e: "int", v: 0, t: T.i64 } }, a: { e: "some", t, x: { e: "at", of: C(w), i } }, b: { e: "none", t }, own: true, flat: true });
    }
    case "sorted": case "sortedBy": {
      const c = fe.newTmp();
      fe.declare(`${n} *`, c, `${n}_copy(${v})`);
      if (name === "sorted") fe.emit({ s: "expr", x: C(`${n}_sort(${c})`) });
      else fe.emit({ s: "expr", x: C(`${n}_sort_by(${c}, ${comparator(fe, vt, ats[0])}, &${fn(0)}, ${locArgs(e.span)})`) });
      return c;
    }
  }
  throw new Error(`internal: vec helper ${name}`);
}
