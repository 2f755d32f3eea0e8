// `for` loops on the IR: range loops (versioned by lower/ranges.ts when their
// checks can be proven away: the guards an IR condition) and live iteration
// over collections (the growth check of iteration.ts before each step). The
// bounds, the collection, the cursor and the element are typed temporaries
// (FnEmitter.decl: frame members in an async body); the header is a C `for`
// (`cfor`) whose step is `i++` (`inc`) or the cursor moving on (`set`). The
// operands of the bounds and the iterated collection are IR where the whole
// expression is (expr-ir.ts), else the string emitter's text.

import type * as A from "../syntax/ast.js";
import { T, type Type } from "../check/types.js";
import type { Expr, Local, Stmt } from "../lower/ir.js";
import type { Atom, Guard } from "../lower/ranges.js";
import { cType } from "./names.js";
import type { FnEmitter, Loop } from "./body.js";
import { C } from "./body-ir.js";
import { placeIr as textIr } from "./frames-ir.js";
import { growthGuard } from "./iteration.js";
import { irExpr, own, exprIr } from "./expr-ir.js";
import { valueOk, valuesIr } from "./expr-ir-literals.js";
import { contLabel, loopBody, newLoop } from "./statements.js";
import { awaits } from "../syntax/walk.js";
import { readInPlaceIr } from "./match-ir.js";
import { carryCompactFirst } from "./carry.js";
import { awaitingBody } from "../memory/carry.js";

type ForStmt = Extract<A.Stmt, { kind: "For" }>;

/** A variable of type t named ref (a temporary, or a Colang local by its C name) declared with init: the statement and the read. */
export function declIr(fe: FnEmitter, ref: string, t: Type, init: Expr): { st: Stmt; x: Expr } {
  const l: Local = { id: 0, name: ref, type: t };
  const x: Expr = { e: "local", l };
  return { st: fe.decl(cType(t), ref) === ref ? { s: "assign", to: x, v: init } : { s: "decl", l, init }, x };
}

const i64 = (n: number | bigint): Expr => ({ e: "lit", t: T.i64, v: BigInt(n) });
const flat = (op: "&&" | "<=" | "-" | "+" | ">=", l: Expr, r: Expr): Expr => ({ e: "bin", op, l, r, flat: true });

export function forStmt(fe: FnEmitter, s: ForStmt): void {
  if (s.iter.kind !== "Range") { forCollection(fe, s); return; }
  const t = fe.typeOf(s.iter);
  const ends = [s.iter.lo, s.iter.hi];
  const [lo, hi] = ends.every((e) => valueOk(fe, e, t, true)) ? valuesIr(fe, ends, [t, t]) : fe.operands(ends, [t, t]).map(C);
  const local = s.pattern.kind === "PBind" ? fe.typed.patLocals.get(s.pattern) : undefined;
  const i = local ? fe.lv(local) : fe.newTmp();
  const loop = newLoop(fe, s);
  const loName = fe.newTmp(), hiName = fe.newTmp();
  // The bounds are declared on the line of the brace.
  const body = fe.nest(() => {
    const loD = declIr(fe, loName, t, lo), hiD = declIr(fe, hiName, t, hi);
    fe.emit(loD.st);
    fe.emit(hiD.st);
    const loV = loD.x, hiV = hiD.x;
    const plan = fe.asyncMode || fe.noVersion ? null : fe.em.loopPlan(fe.ctx, s);
    if (plan) {
      // Loop versioning: the checks in plan.unchecked cannot fail when the guards hold.
      const outer = fe.unchecked, outerNoVersion = fe.noVersion;
      fe.unchecked = new Set([...outer ?? [], ...plan.unchecked]);
      if (plan.guards.length) {
        const fast = newLoop(fe, s);
        const cond = guardsIr(fe, plan.guards, loV, hiV);
        fe.noVersion = true;
        const then = fe.nest(() => {
          rangeLoop(fe, s, t, i, loV, hiV, fast);
          fe.emit({ s: "label", name: fast.brk });
        });
        fe.unchecked = outer; fe.noVersion = outerNoVersion;
        const else_ = fe.nest(() => rangeLoop(fe, s, t, i, loV, hiV, loop));
        fe.emit({ s: "if", cond, then, else_, keepElse: true });
      } else {
        rangeLoop(fe, s, t, i, loV, hiV, loop);
      }
      fe.unchecked = outer; fe.noVersion = outerNoVersion;
    } else {
      rangeLoop(fe, s, t, i, loV, hiV, loop);
    }
  });
  fe.emit({ s: "block", body, inline: 2 });
  fe.emit({ s: "label", name: loop.brk });
}

/** The guards of a versioned loop's plan as one condition (ranges.ts `guardsC`'s C, built as IR). */
function guardsIr(fe: FnEmitter, guards: Guard[], loV: Expr, hiV: Expr): Expr {
  const atom = (a: Atom): Expr => {
    switch (a.kind) {
      case "lo": return loV;
      case "hi": return hiV;
      case "lit": return i64(a.n);
      case "var": return varIr(fe, a.v);
      case "len": return { e: "len", of: varIr(fe, a.v) };
    }
  };
  const parts = guards.map((g): Expr => {
    const a = atom(g.atom);
    if (g.kind === "range") return flat("&&", flat(">=", a, i64(g.lo)), flat("<=", a, i64(g.hi)));
    const len = atom({ kind: "len", v: g.vec });
    return flat("<=", a, g.minus === 0n ? len : g.minus > 0n ? flat("-", len, i64(g.minus)) : flat("+", len, i64(-g.minus)));
  });
  return parts.reduce((a, b) => flat("&&", a, b));
}

/** A Colang local as the string emitter names it (FnEmitter.localRef): IR when that is its plain C name or a match binding read in place (match-ir.ts). */
function varIr(fe: FnEmitter, v: Parameters<FnEmitter["lv"]>[0]): Expr {
  const ref = fe.localRef(v);
  if (fe.readInPlace.has(v)) return readInPlaceIr(fe, v) ?? C(ref);
  return ref === fe.lv(v) ? { e: "var", v, frame: fe.asyncMode } : C(ref);
}

function rangeLoop(fe: FnEmitter, s: ForStmt, t: Type, i: string, loV: Expr, hiV: Expr, loop: Loop): void {
  if (s.iter.kind !== "Range") return;
  const inclusive = s.iter.inclusive;
  const { st: init, x: iv } = declIr(fe, i, t, loV);
  const body = fe.nest(() => {
    fe.loops.push(loop);
    fe.block(s.body);
    fe.loops.pop();
    contLabel(fe, loop);
    if (inclusive) fe.emit({ s: "if", cond: { e: "bin", op: "==", l: iv, r: hiV }, then: [{ s: "break" }], else_: [], short: true });
  });
  const f: Stmt = { s: "cfor", init, cond: inclusive ? null : { e: "bin", op: "<", l: iv, r: hiV }, step: { e: "inc", x: iv }, body };
  // An inclusive range: entered only when not empty, left after the step that reaches hi (no overflow past it).
  fe.emit(inclusive ? { s: "if", cond: { e: "bin", op: "<=", l: loV, r: hiV }, then: [f], else_: [], short: true } : f);
}

/** for x in vec / for (k, v) in map / for x in set. The length is re-read each step, so removing
 * inside the loop is safe; growing the collection inside it panics (iteration.ts). */
function forCollection(fe: FnEmitter, s: ForStmt): void {
  const en = enumerated(fe, s);
  const src = en ?? s.iter;
  const ct = fe.typeOf(src) as Extract<Type, { k: "vec" | "map" | "set" }>;
  fe.em.defineType(ct);
  // The collection is evaluated once: reassigning the variable inside the loop does not change what is iterated.
  const cName = fe.newTmp();
  // Declared before its value is built (an async frame lists its members in declaration order).
  const ir = irExpr(fe, src, true);
  fe.decl(cType(ct), cName);
  const cd = declIr(fe, cName, ct, ir ? own(exprIr(fe, src)) : textIr(fe, fe.expr(src), cType(ct)));
  fe.emit(cd.st);
  const c = cd.x;
  const loop = newLoop(fe, s);
  const itName = fe.newTmp();
  const guard = growthGuard(fe, src, c, ct);
  let elemT: Type, elemV: Expr, make: (body: Stmt[]) => Stmt;
  if (ct.k === "vec") {
    const { st: init, x: it } = declIr(fe, itName, T.i64, { e: "int", v: 0, t: T.i64 });
    make = (body) => ({ s: "cfor", init, cond: { e: "bin", op: "<", l: it, r: { e: "len", of: c } }, step: { e: "inc", x: it }, body });
    elemT = ct.elem; elemV = { e: "at", of: c, i: it };
    if (en) {
      const tt = T.tuple([T.i64, ct.elem]) as Extract<Type, { k: "tuple" }>;
      fe.em.defineType(tt);
      elemT = tt; elemV = { e: "tuple", type: tt, elems: [it, elemV] };
    }
  } else {
    const next = (from: Expr): Expr => ({ e: "call", f: { c: "coll", op: "next", type: ct }, args: [c, from] });
    const { st: init, x: it } = declIr(fe, itName, T.i64, next({ e: "int", v: 0, t: T.i64 }));
    make = (body) => ({ s: "cfor", init, cond: { e: "bin", op: ">=", l: it, r: { e: "int", v: 0, t: T.i64 } },
      step: { e: "set", to: it, v: next({ e: "bin", op: "+", l: it, r: { e: "int", v: 1, t: T.i64 } }) }, body });
    const part = (op: "key" | "val"): Expr => ({ e: "deref", p: { e: "call", f: { c: "coll", op, type: ct }, args: [c, it] }, bare: true });
    if (ct.k === "map") {
      const tt = T.tuple([ct.key, ct.val]) as Extract<Type, { k: "tuple" }>;
      elemT = tt; fe.em.defineType(elemT);
      elemV = { e: "tuple", type: tt, elems: [part("key"), part("val")] };
    } else { elemT = ct.elem; elemV = part("key"); }
  }
  loopBody(fe, s.body, loop, make, () => {
    fe.emit(guard);
    // The carry region compacts before the element is read (it may be read from a moved collection: emit/carry.ts).
    carryCompactFirst(fe, awaitingBody(s));
    fe.em.defineType(elemT);
    const d = declIr(fe, fe.newTmp(), elemT, elemV);
    fe.emit(d.st);
    destructureIr(fe, s.pattern, d.x, elemT);
  });
}

/**
 * `for (i, x) in v.enumerate()` over a Vec, in a body that does not await: v itself, iterated as `for x in v` is
 * (live, the same growth check), the index the cursor; no Vec of pairs is built (tester round 13: one per loop,
 * 156 MB for a million calls of an 8-element search). Where the body awaits, the pairs are built as before: another
 * task may replace v meanwhile, which the copy does not see (docs/language.md).
 */
function enumerated(fe: FnEmitter, s: ForStmt): A.Expr | null {
  const it = s.iter;
  if (it.kind !== "Call" || it.args.length) return null;
  const t = fe.typed.calls.get(it);
  if (t?.kind !== "collection" || t.name !== "enumerate" || !t.recv || fe.typeOf(t.recv).k !== "vec") return null;
  return awaits(s.body) ? null : t.recv;
}

/** `for (a, b) in ...`: binds the elements of the tuple value x (a temporary) to the pattern's locals. */
function destructureIr(fe: FnEmitter, p: A.Pattern, x: Expr, t: Type): void {
  if (p.kind === "PBind") {
    const local = fe.typed.patLocals.get(p);
    if (local) { fe.em.defineType(t); fe.emit(declIr(fe, fe.lv(local), t, x).st); }
  } else if (p.kind === "PTuple" && t.k === "tuple") {
    p.elems.forEach((y, i) => destructureIr(fe, y, { e: "elem", of: x, i }, t.elems[i]));
  }
}
