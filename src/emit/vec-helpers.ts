// The Vec helpers of check/helpers.ts (fold, find, sum, min, sorted, chunks,
// zip, take, ...): each is a generated C function per vec type (and closure
// type), one loop. Results are new vecs in the current region, like `filter`.
// A closure argument may change the vec it is called on (push through an
// alias moves the buffer): the loops re-read `v->len` and `v->data` after
// every call and copy the element into a local before calling.

import type * as A from "../syntax/ast.js";
import { C } from "./body-ir.js";
import type { Type } from "../check/types.js";
import { cType, mangle } from "./names.js";
import { NEVER, locArgs, zero } from "./ctext.js";
import type { FnEmitter } from "./body.js";
import { comparator } from "./collections.js";
import { callValue } from "./helpers.js";

const LOC = "const char *file, int line, int col";

/** The C "a sorts before b" test for an ordered type (int, float, string), as `sort()` uses it. */
function less(t: Type, a: string, b: string): string {
  return t.k === "string" ? `CO_LESS_STR(${a}, ${b})` : t.k === "float" ? `CO_LESS_F64(${a}, ${b})` : `CO_LESS(${a}, ${b})`;
}

/** The vec helpers that are one call of a generated helper: which operands are closures (fixed first), and what follows them. */
export const HELPER_CALLS: Record<string, { fns: number[]; init?: boolean; stub?: boolean; loc?: boolean }> = {
  find: { fns: [0] }, findIndex: { fns: [0] }, any: { fns: [0] }, all: { fns: [0] }, reduce: { fns: [0] },
  fold: { fns: [1], init: true }, sum: { fns: [] }, min: { fns: [] }, max: { fns: [] }, minBy: { fns: [0] }, maxBy: { fns: [0] },
  dedup: { fns: [] }, chunks: { fns: [], loc: true }, zip: { fns: [] }, take: { fns: [], loc: true }, skip: { fns: [], loc: true },
};

/**
 * The generated helper of vec helper `name` (one of HELPER_CALLS) on a vec of
 * type vt with arguments of types ats, giving t: registered now, its C name.
 * Its parameters: the vec, the arguments, then (sum of integers) the
 * overflow stub of the call site, (chunks, take, skip) the location.
 */
export function vecHelperFn(fe: FnEmitter, name: string, vt: Extract<Type, { k: "vec" }>, t: Type, ats: Type[]): string {
  const n = mangle(vt);
  const T = vt.elem, tc = cType(T);
  const rc = cType(t);
  const ftName = (i: number) => mangle(ats[i]);
  const helper = (hname: string, params: string, body: string) => fe.em.fnHelper(hname, `static ${rc} ${hname}(${n} *v${params ? `, ${params}` : ""})`, () => body);
  const loop = (stmts: string) => `  for (int64_t i = 0; i < v->len; i++) {\n    ${tc} x = v->data[i];\n    ${stmts}\n  }`;
  const ret = (ft: Type) => (ft as Extract<Type, { k: "fn" }>).ret;
  switch (name) {
    case "find": case "findIndex": case "any": case "all": {
      const test = callValue("f", ["x"], ret(ats[0]));
      const body = name === "find" ? `${loop(`if (${test}) return (${rc}){ true, x };`)}\n  return (${rc}){0};`
        : name === "findIndex" ? `${loop(`if (${test}) return (${rc}){ true, i };`)}\n  return (${rc}){0};`
        : name === "any" ? `${loop(`if (${test}) return true;`)}\n  return false;`
        : `${loop(`if (!${test}) return false;`)}\n  return true;`;
      return helper(`${name}_${n}_${ftName(0)}`, `${cType(ats[0])} f`, body);
    }
    case "reduce": {
      const body = `  ${rc} r = {0};\n${loop(`if (!r.has) { r.has = true; r.val = x; } else r.val = ${callValue("f", ["r.val", "x"], T)};`)}\n  return r;`;
      return helper(`reduce_${n}_${ftName(0)}`, `${cType(ats[0])} f`, body);
    }
    case "fold": {
      const body = `${loop(`acc = ${callValue("f", ["acc", "x"], t)};`)}\n  return acc;`;
      return helper(`fold_${n}_${ftName(1)}`, `${rc} acc, ${cType(ats[1])} f`, body);
    }
    case "sum": {
      if (T.k !== "int") return helper(`sum_${n}`, "", `  ${tc} s = 0;\n${loop("s += x;")}\n  return s;`);
      const add = `s = co_add_${T.name}(s, x, ovf);`;
      return helper(`sum_${n}`, "co_fail *ovf", `  ${tc} s = 0;\n${loop(add)}\n  return s;`);
    }
    case "min": case "max": {
      const better = name === "min" ? less(T, "x", "r.val") : less(T, "r.val", "x");
      return helper(`${name}_${n}`, "", `  ${rc} r = {0};\n${loop(`if (!r.has || ${better}) { r.has = true; r.val = x; }`)}\n  return r;`);
    }
    case "minBy": case "maxBy": {
      const K = ret(ats[0]);
      fe.em.defineType(K);
      const better = name === "minBy" ? less(K, "k", "best") : less(K, "best", "k");
      const body = `  ${rc} r = {0};\n  ${cType(K)} best = ${zero(K)};\n${loop(`${cType(K)} k = ${callValue("f", ["x"], K)};\n    if (!r.has || ${better}) { r.has = true; r.val = x; best = k; }`)}\n  return r;`;
      return helper(`${name}_${n}_${ftName(0)}`, `${cType(ats[0])} f`, body);
    }
    case "dedup": {
      const same = fe.em.eq(T, "r->data[r->len - 1]", "x");
      return helper(`dedup_${n}`, "", `  ${n} *r = ${n}_with_cap(v->len);\n${loop(`if (r->len == 0 || !${same}) ${n}_push(r, x);`)}\n  return r;`);
    }
    case "chunks": {
      const body = `  if (size <= 0) co_panic_at(file, line, col, "chunks: size must be positive, got %lld", (long long)size);
  ${rc} r = ${mangle(t)}_new();
  for (int64_t i = 0; i < v->len;) {
    int64_t m = v->len - i < size ? v->len - i : size;
    ${mangle(t)}_push(r, ${n}_from(v->data + i, m));
    i += m;
  }
  return r;`;
      return helper(`chunks_${n}`, `int64_t size, ${LOC}`, body);
    }
    case "zip": {
      const w = ats[0] as Extract<Type, { k: "vec" }>;
      const pair = (t as Extract<Type, { k: "vec" }>).elem;
      fe.em.defineType(pair);
      const body = `  int64_t m = v->len < w->len ? v->len : w->len;
  ${rc} r = ${mangle(t)}_with_cap(m);
  for (int64_t i = 0; i < m; i++) ${mangle(t)}_push(r, (${cType(pair)}){ v->data[i], w->data[i] });
  return r;`;
      return helper(`zip_${n}_${mangle(w)}`, `${mangle(w)} *w`, body);
    }
    case "take": case "skip": {
      const body = `  if (count < 0) co_panic_at(file, line, col, "${name}: negative count %lld", (long long)count);
  int64_t m = count < v->len ? count : v->len;
  return ${name === "take" ? `${n}_from(v->data, m)` : `${n}_from(v->data + m, v->len - m)`};`;
      return helper(`${name}_${n}`, `int64_t count, ${LOC}`, body);
    }
  }
  throw new Error(`internal: vec helper ${name}`);
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
    const more = name === "sum" && vt.elem.k === "int" ? [fe.em.fails.stub({ k: "overflow" }, e.span)] : h.loc ? [locArgs(e.span)] : [];
    return `${f}(${[v, ...xs, ...more].join(", ")})`;
  }
  switch (name) {
    case "first": case "last": {
      const w = fe.materialize(v, vt);
      return `(${w}->len > 0 ? ((${rc}){ true, ${w}->data[${name === "first" ? "0" : `${w}->len - 1`}] }) : ((${rc}){0}))`;
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
