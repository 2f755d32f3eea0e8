// Statements: let/const (with tuple destructuring), assignment (with the map
// counter-update fast path and promotion of stored values), while and for
// loops (range loops versioned by lower/ranges.ts when their checks can be
// proven away; live iteration over collections), break/continue/return out
// of region blocks, and if / if-let as statements or as values.

import type * as A from "../syntax/ast.js";
import { typeEq, type Type } from "../check/types.js";
import { cType, mangle } from "./names.js";
import { leaveRegions } from "./regions.js";
import { NEVER, hasEffects, isConstExpr, unparen } from "./ctext.js";
import type { FnEmitter, Loop } from "./body.js";
import { mapSetHelper, mayBeGlobal } from "./drops.js";
import { ownerIr, placePathIr, replacePlace, restorePlace, appendInGlobal } from "./drops-ir.js";
import { forStmt } from "./loops-ir.js";
import { carryLoop } from "./carry.js";
import { awaitingBody } from "../memory/carry.js";
import { storeValue } from "./match-ir.js";
import { ifLet } from "./match.js";
import { zeroIr } from "./zero.js";
import { C } from "./body-ir.js";
import { condIr, exprIr, irExpr, storedValueIr, valueIr } from "./expr-ir.js";
import { builtinStmtIr } from "./expr-ir-builtins.js";
import { stmtExpr } from "./expr-ir-std.js";
import { placeExprIr, placeOk } from "./expr-ir-index.js";
import { valueOk } from "./expr-ir-literals.js";
import { breakUnless, whileCondIr } from "./expr-ir-cond.js";
import { callIr, namedCall } from "./expr-ir-calls.js";
import { counterUpdateIr, mapStoreIr } from "./expr-ir-map-store.js";
import { discardIr } from "./expr-ir-discard.js";
import { compoundAssignIr } from "./expr-ir-assign.js";
import type { Callee, CollOp, Expr, Stmt } from "../lower/ir.js";
import { fixIr } from "./expr-ir-order.js";
import { knownAs, placeIr, wholeIr } from "./frames-ir.js";
import { walkExpr } from "../syntax/walk.js";

export function stmt(fe: FnEmitter, s: A.Stmt): void {
  fe.at(s.span);
  switch (s.kind) {
    case "Let": {
      const t = fe.ty(fe.typed.letTypes.get(s)!);
      const local = s.pattern.kind === "PBind" ? fe.typed.patLocals.get(s.pattern) : undefined;
      if (!s.value) {
        if (local) { fe.em.defineType(t); fe.declare(cType(t), fe.lv(local), zeroIr(fe.em, t)); }
        return;
      }
      const x = local || s.pattern.kind === "PTuple" ? storedValueIr(fe, s.value, t) : null;
      if (local && x) { fe.em.defineType(t); fe.declare(cType(t), fe.lv(local), x); return; }
      // `let (a, b) = v`: v fixed as materializeAlways fixes it, its elements read as IR paths.
      if (s.pattern.kind === "PTuple" && x) { destructure(fe, s.pattern, fixIr(fe, x, t, true), t); return; }
      const v = fe.value(s.value, t);
      if (v === NEVER) return;
      if (local) { fe.em.defineType(t); fe.declare(cType(t), fe.lv(local), v); }
      else if (s.pattern.kind === "PTuple") { const m = fe.materializeAlways(v, t), mx = placeIr(fe, m, cType(t)); destructure(fe, s.pattern, mx.e === "c" ? m : mx, t); }
      else fe.discard(v);
      return;
    }
    case "ConstStmt": {
      const t = fe.ty(fe.typed.letTypes.get(s)!);
      const local = fe.typed.stmtLocals.get(s);
      const x = local ? storedValueIr(fe, s.value, t) : null;
      if (local && x) { fe.em.defineType(t); fe.declare(cType(t), fe.lv(local), x); return; }
      const v = fe.value(s.value, t);
      if (local && v !== NEVER) { fe.em.defineType(t); fe.declare(cType(t), fe.lv(local), v); }
      return;
    }
    case "Assign": return assign(fe, s);
    case "ExprStmt": return fe.exprStmt(s.expr);
    case "While": case "For": {
      // An awaiting loop with loop-carried locals runs inside its carry region (emit/carry.ts).
      const ks = fe.em.carried(s), ms = fe.em.moved(s), body = awaitingBody(s);
      if ((ks || ms) && body) { carryLoop(fe, s, ks ?? [], ms ?? [], body, fe.typed.regionFirstLocal.get(body) ?? Infinity, () => loopStmt(fe, s)); return; }
      loopStmt(fe, s);
      return;
    }
    case "Break": case "Continue": {
      const loop = fe.loops[fe.loops.length - 1];
      fe.ir.addAll(leaveRegions(fe.regionStack, loop.regions));
      fe.emit({ s: "goto", name: s.kind === "Break" ? loop.brk : loop.cont });
      return;
    }
    case "Return": {
      const ret = fe.retType();
      if (!s.value) { fe.retLine(null, s); return; }
      if (ret.k === "unit") { fe.exprStmt(s.value); fe.retLine(null, s); return; }
      fe.returnValue(s.value, s);
      return;
    }
    case "BlockStmt":
      fe.emit({ s: "block", body: fe.nest(() => fe.block(s.block)) });
      return;
  }
}

/** A `while` or `for` loop. */
function loopStmt(fe: FnEmitter, s: Extract<A.Stmt, { kind: "While" | "For" }>): void {
  if (s.kind === "For") { forStmt(fe, s); return; }
  const loop = newLoop(fe, s);
  if (irExpr(fe, s.cond)) {
    const c = exprIr(fe, s.cond);
    loopBody(fe, s.body, loop, (body) => ({ s: "while", cond: c, body }));
    return;
  }
  // A condition that emits statements: they run before each test (expr-ir-cond.ts).
  const ir = whileCondIr(fe, s.cond);
  if (ir) {
    if (!ir.stmts.length) { loopBody(fe, s.body, loop, (body) => ({ s: "while", cond: ir.x, body })); return; }
    loopBody(fe, s.body, loop, (body) => ({ s: "loop", body }), () => { fe.ir.addAll(ir.stmts); fe.emit(breakUnless(ir.x)); });
    return;
  }
  const cond = fe.capture(() => fe.expr(s.cond));
  if (cond.stmts.length === 0) {
    loopBody(fe, s.body, loop, (body) => ({ s: "while", cond: wholeIr(fe, cond.value, unparen(cond.value)), body }));
  } else {
    loopBody(fe, s.body, loop, (body) => ({ s: "loop", body }), () => {
      fe.ir.addAll(cond.stmts);
      fe.shortIf(`!(${cond.value})`, { s: "break" });
    });
  }
}

export function newLoop(fe: FnEmitter, s?: A.Stmt): Loop {
  const n = ++fe.labels;
  return { brk: `brk_${n}`, cont: `cont_${n}`, regions: fe.regionStack.length, safepoint: !!s && fe.em.safepoint(s) };
}

/** The `continue` label of a loop, then, at a safe point, the drop queue's check (`co_drop_safepoint()`). */
export function contLabel(fe: FnEmitter, loop: Loop): void {
  fe.emit({ s: "label", name: loop.cont });
  if (loop.safepoint) fe.emit({ s: "expr", x: { e: "call", f: { c: "rt", name: "co_drop_safepoint" }, args: [] } });
}

/** A loop (made by `make` from its body): `pre` runs first in each step, `continue` lands at the end of the body, `break` after the loop. */
export function loopBody(fe: FnEmitter, body: A.Block, loop: Loop, make: (body: Stmt[]) => Stmt, pre?: () => void): void {
  const ss = fe.nest(() => {
    pre?.();
    fe.loops.push(loop);
    fe.block(body);
    fe.loops.pop();
    contLabel(fe, loop);
  });
  fe.emit(make(ss));
  fe.emit({ s: "label", name: loop.brk });
}

/**
 * `m[k] = (m.get(k) ?? d) op e` with m and k variables and e free of effects:
 * one find-or-insert instead of a lookup and then an insert (counting loops).
 * One difference is observable only after a panic in `op` (overflow): the
 * key is then present with the default value.
 */
export function counterUpdate(fe: FnEmitter, s: Extract<A.Stmt, { kind: "Assign" }>): boolean {
  const target = s.target as Extract<A.Expr, { kind: "Index" }>;
  const v = s.value;
  if (v.kind !== "Binary" || v.left.kind !== "Binary" || v.left.op !== "??" || hasEffects(v.right)) return false;
  const get = v.left.left, dflt = v.left.right;
  if (get.kind !== "Call" || get.callee.kind !== "Field" || get.callee.name !== "get" || get.args.length !== 1 || hasEffects(dflt)) return false;
  const sameVar = (a: A.Expr, b: A.Expr) => {
    const ra = fe.typed.refs.get(a), rb = fe.typed.refs.get(b);
    return a.kind === "Ident" && b.kind === "Ident" && !!ra && !!rb && ra.kind === rb.kind &&
      (ra.kind === "local" ? ra.v === (rb as typeof ra).v : ra.kind === "global" && ra.g === (rb as typeof ra).g);
  };
  if (!sameVar(target.target, get.callee.target) || !sameVar(target.index, get.args[0])) return false;
  // A key that is a borrow of global state is copied first (rule 3): the general path does that.
  if (fe.em.copiesBorrow(target.index)) return false;
  const mt = fe.typeOf(target.target) as Extract<Type, { k: "map" }>;
  if (!typeEq(fe.typeOf(v), mt.val) || (v.op !== "+" && v.op !== "-" && v.op !== "*")) return false;
  // An `int` key variable for a `Map<int?, V>` needs wrapping: the general path does that (fuzz).
  if (!typeEq(fe.typeOf(target.index), mt.key)) return false;
  if (counterUpdateIr(fe, s, mt, dflt, v.op, v.right)) return true;
  fe.em.defineType(mt);
  const m = fe.varRef(target.target), k = fe.varRef(target.index);
  const ins = fe.newTmp(), p = fe.newTmp();
  const coll = (op: CollOp, ...args: Expr[]): Expr => ({ e: "call", f: { c: "coll", op, type: mt }, args });
  if (fe.em.hasHeap(mt.key)) {
    // A new key is copied into the map's region (it may be older than fe one).
    fe.emit({ s: "row", body: [fe.declStmt("bool", ins, "false"), fe.declStmt(`${cType(mt.val)} *`, p, fe.recorded(`${mangle(mt)}_get(${m}, ${k})`, coll("get", C(m), C(k))))] });
    const sk = fe.em.stored(s, `${m}->owner`, mt.key, k);
    fe.shortIf(`!${p}`, { s: "assign", to: placeIr(fe, p), v: placeIr(fe, fe.recorded(`${mangle(mt)}_slot(${m}, ${sk}, &${ins})`, coll("slot", C(m), C(sk), { e: "addr", of: C(ins), bare: true }))) });
  } else {
    fe.emit({ s: "row", body: [fe.declStmt("bool", ins, "false"), fe.declStmt(`${cType(mt.val)} *`, p, fe.recorded(`${mangle(mt)}_slot(${m}, ${k}, &${ins})`, coll("slot", C(m), C(k), { e: "addr", of: C(ins), bare: true })))] });
  }
  const d = fe.value(dflt, mt.val);
  fe.shortIf(ins, { s: "assign", to: { e: "deref", p: placeIr(fe, p), bare: true }, v: placeIr(fe, d, cType(mt.val)) });
  const r = fe.value(v.right, mt.val);
  fe.assign(`*${p}`, fe.arith(v.op, mt.val, `*${p}`, r, v.span));
  return true;
}

export function assign(fe: FnEmitter, s: Extract<A.Stmt, { kind: "Assign" }>): void {
  const t = fe.typeOf(s.target);
  if (s.target.kind === "Index" && s.op === "=" && fe.typeOf(s.target.target).k === "map" && counterUpdate(fe, s)) return;
  if (s.target.kind === "Index" && s.op === "=" && fe.typeOf(s.target.target).k === "map") {
    // m[k] = v inserts or overwrites.
    const mt = fe.typeOf(s.target.target) as Extract<Type, { k: "map" }>;
    if (mapStoreIr(fe, s, mt)) return;
    const [m0, k, v] = fe.operands([s.target.target, s.target.index, s.value], [mt, mt.key, mt.val]);
    if (v === NEVER) return;
    const m = fe.em.hasHeap(mt.key) || fe.em.hasHeap(mt.val) ? fe.materialize(m0, mt) : m0;
    // Overwriting a key of a map in global memory drops the old value (rule 2).
    const heap = fe.em.hasHeap(mt.key) || fe.em.hasHeap(mt.val);
    const set = heap ? mapSetHelper(fe, mt) : `${mangle(mt)}_set`;
    const sk = fe.em.stored(s, `${m}->owner`, mt.key, k), sv = fe.em.stored(s, `${m}->owner`, mt.val, v);
    const f: Callee = heap ? { c: "dropping", op: "set", type: mt } : { c: "coll", op: "set", type: mt };
    fe.emit({ s: "expr", x: wholeIr(fe, fe.recorded(`${set}(${m}, ${sk}, ${sv})`, { e: "call", f, args: [C(m), C(sk), C(sv)] })) });
    return;
  }
  // A value that may run code (a call may grow or shrink the collection the place is in) is computed into a
  // temporary before the element's address is taken (the place's operands still come first): `v[0] = next(v)`,
  // `m["a"].name = grow(m)` wrote through a pointer into an outgrown buffer (red team, stop 25).
  const early = hasEffects(s.value) && indexedPath(s.target) && (globalPath(fe, s.target) || mayReachCollection(fe, s.value));
  if (s.op === "=" && !fe.em.hasHeap(t) && !early) {
    // A store that needs no copy between paths and plain values: IR (expr-ir.ts).
    // The place first (an index's operands fixed in temporaries, as FnEmitter.place fixes them), then the value.
    if (placeOk(fe, s.target) && valueOk(fe, s.value, t, true)) {
      const to = placeExprIr(fe, s.target);
      fe.emit({ s: "assign", to, v: valueIr(fe, s.value, t)! });
      return;
    }
  }
  // `x op= e` on numbers at a path: IR (expr-ir-assign.ts).
  if (compoundAssignIr(fe, s)) return;
  const { place, owner } = fe.placeWithOwner(s.target);
  const stored = (v: string) => fe.em.stored(s, owner, t, v);
  // A place in global memory: the value it held is dropped (rule 2).
  const replaces = fe.em.hasHeap(t) && mayBeGlobal(owner);
  // The replaced place as IR where it is a path (drops-ir.ts).
  const at = replaces ? placePathIr(fe, s.target) ?? place : place;
  const piece = s.op === "=" && t.k === "string" && !replaces && owner && owner !== "co_global" ? selfAppend(s) : null;
  if (piece) {
    // `x = x + piece` on a string local in an older region (an awaiting loop's carry region, a variable
    // outside a `region` block) appends in that region as `x += piece` does, instead of concatenating in the
    // current region and copying the whole result into x's: the copy made such a loop quadratic (issue 9, fix9).
    const v = fe.value(piece, t);
    if (v === NEVER) return;
    fe.emit({ s: "assign", to: placeIr(fe, place), v: fe.em.appendedIr(s, owner, ownerIr(fe, owner!), placeIr(fe, place), placeIr(fe, v, cType(t))) });
    return;
  }
  if (s.op === "=") {
    // The stored value as IR where it is one and its copy is none or a promotion.
    const copy = replaces && !early && valueOk(fe, s.value, t, true) ? fe.em.storeCopy(s, owner, t) : null;
    if (replaces && copy === "promote" && fe.em.isStoreBack(s)) {
      // A store-back (`v[i] = a`, a read from v[i]) into global memory keeps what is still the element's
      // (lower/derive/restore.ts); into a region it promotes as before.
      const x = valueIr(fe, s.value, t)!;
      restorePlace(fe, at, owner, t, x, fe.em.storedIr(s, owner, ownerIr(fe, owner), t, x)!);
      return;
    }
    if (replaces && (copy === "none" || copy === "promote")) {
      const x = valueIr(fe, s.value, t)!;
      replacePlace(fe, at, owner, t, () => fe.em.storedIr(s, owner, ownerIr(fe, owner), t, x)!);
      return;
    }
    // The value as IR where it is one or a branch's result temporary (storedValueIr), its copy none or a promotion;
    // the place a path's IR where it is one (drops-ir.ts placePathIr).
    const copyTo = !replaces && !early && fe.typeOf(s.value).k !== "never" ? fe.em.storeCopy(s, owner, t) : null;
    if (copyTo === "none" || (copyTo === "promote" && owner)) {
      const x = storedValueIr(fe, s.value, t);
      if (x) {
        const to = placePathIr(fe, s.target) ?? placeIr(fe, place);
        fe.emit({ s: "assign", to, v: copyTo === "none" ? x : fe.em.storedIr(s, owner!, ownerIr(fe, owner!), t, x)! });
        return;
      }
    }
    let v = fe.value(s.value, t);
    if (v === NEVER) return;
    if (early) v = fe.materializeAlways(v, t);
    if (replaces) replacePlace(fe, at, owner, t, () => stored(v));
    // A promotion into the place's region as IR (the value an IR leaf, or the IR its text came from).
    else if (owner && fe.em.storeCopy(s, owner, t) === "promote") fe.emit({ s: "assign", to: placeIr(fe, place), v: fe.em.storedIr(s, owner, ownerIr(fe, owner), t, placeIr(fe, v, cType(t)))! });
    else fe.assign(place, stored(v));
    return;
  }
  const op = s.op.slice(0, -1) as A.BinOp;
  // Decision: `x op= e` evaluates the place's operands, then e, then reads x:
  // `total += await f()` adds to the value total has when f returns.
  let v = fe.value(s.value, t);
  if (v === NEVER) return;
  // e runs before x is read, whatever order the C compiler picks for operands.
  if (hasEffects(s.value)) v = fe.materializeAlways(v, t);
  // `s += piece` appends in place in the target's region (linear, MEMORY.md); a target in global memory grows in
  // its own block's room (co_gstr_append), which the store keeps, or is replaced by a copy with room and its old
  // value dropped (issue 9, mem14). Which one is known at run time for a collection element or a `mut self` field.
  const append = t.k === "string" && op === "+" && owner !== "co_global";
  const placeX = (): Expr => placeIr(fe, place), vX = (): Expr => placeIr(fe, v, cType(t));
  const notGlobal = (o: Expr): Expr => ({ e: "bin", op: "!=", l: o, r: { e: "sym", name: "co_global" } });
  if (append && replaces) {
    // Appended where the place is not in global memory, else grown in its own block's room (appendInGlobal).
    const then: Stmt = { s: "assign", to: placeX(), v: fe.em.appendedIr(s, owner, ownerIr(fe, owner!), placeX(), vX()) };
    fe.emit({ s: "if", cond: notGlobal(ownerIr(fe, owner!)), then: [then], else_: fe.nest(() => appendInGlobal(fe, at, v)) });
  } else if (replaces && t.k === "string" && op === "+") appendInGlobal(fe, at, v);
  else if (replaces) replacePlace(fe, at, owner, t, (old) => stored(fe.arith(op, t, old, v, s.span)));
  else if (append && !owner && fe.em.appendsInto(s)) {
    // `a.log += piece` on a store-back's local: appended in the region of the collection it goes back into, whose
    // promotion then keeps it (storeback.ts storeBackAppends); in global memory, into the room of the element's
    // string when the local's string is exactly its used bytes (co_gstr_append), which the store-back keeps
    // (lower/derive/restore.ts), else concatenated in the current region.
    const coll = fe.em.appendsInto(s)!;
    const c = fe.value(coll, fe.typeOf(coll));
    if (c === NEVER) return;
    // A C block's own local (newTmp is a frame member in an async function).
    const o: Expr = { e: "local", l: { id: 0, name: "co__sb_owner", type: { k: "region" } } };
    const then: Stmt = { s: "assign", to: placeX(), v: { e: "call", f: { c: "rt", name: "co_str_append_in" }, args: [o, placeX(), vX()] } };
    const inGlobal: Stmt = { s: "assign", to: placeX(), v: { e: "call", f: { c: "rt", name: "co_gstr_append" }, args: [placeX(), vX()] } };
    fe.emit({ s: "block", body: [
      { s: "decl", l: o.l, init: { e: "arrow", p: placeIr(fe, c), field: "owner" } },
      { s: "if", cond: notGlobal(o), then: [then], else_: [inGlobal] },
    ] });
  } else if (append) fe.emit({ s: "assign", to: placeX(), v: fe.em.appendedIr(s, owner, owner ? ownerIr(fe, owner) : null, placeX(), vX()) });
  else fe.assign(place, stored(fe.arith(op, t, place, v, s.span)));
}

/** The right operand of `x = x + piece` (x a plain name, piece without effects, so that reading x first or
 *  last is the same), or null. */
function selfAppend(s: Extract<A.Stmt, { kind: "Assign" }>): A.Expr | null {
  if (s.target.kind !== "Ident") return null;
  const v = s.value, l = v.kind === "Binary" ? v.left : null;
  if (v.kind !== "Binary" || v.op !== "+" || hasEffects(v.right)) return null;
  return l?.kind === "Ident" && l.name === s.target.name ? v.right : null;
}

export function exprStmt(fe: FnEmitter, e: A.Expr): void {
  switch (e.kind) {
    case "If": return fe.ifStmt(e, null);
    case "IfLet": return fe.ifLetStmt(e, null);
    case "BlockExpr": fe.emit({ s: "block", body: fe.nest(() => fe.block(e.block)) }); return;
    case "Match": fe.match(e, fe.typeOf(e), true); return;
    case "RegionExpr": fe.region(e, fe.typeOf(e), true); return;
    case "TupleLit": if (e.elems.length === 0) return; break;
    case "Call": {
      // panic, assert, a builder's append (expr-ir-builtins.ts).
      const b = builtinStmtIr(fe, e);
      if (b === "done") return;
      if (b === "text") break;
      // A call of a function instance (also one returning nothing): an IR statement (expr-ir-calls.ts).
      if (fe.typeOf(e).k !== "never" && namedCall(fe, e) && callIr(fe, e, true)) { fe.emit({ s: "expr", x: stmtExpr(exprIr(fe, e)) }); return; }
      // A function value's call returning nothing: `(void)(f.fn(f.env, ...));`, as the string emitter discarded its text.
      if (fe.typeOf(e).k === "unit" && fe.typed.calls.get(e)?.kind === "closure" && callIr(fe, e, true)) { fe.emit({ s: "discard", x: exprIr(fe, e) }); return; }
      break;
    }
    default: break;
  }
  // Any other IR expression: nothing, a call, or `(void)(x);` (expr-ir-discard.ts).
  if (discardIr(fe, e)) return;
  const c = fe.expr(e);
  fe.discard(c);
}

export function discard(fe: FnEmitter, c: string): void {
  // INT64_C(1) looks like a call but is a literal (gcc: "statement with no effect").
  if (c === NEVER || c === "" || isConstExpr(c) || /^U?INT(8|16|32|64)_C\([-\w]*\)$/.test(c)) return;
  // A call whose text the IR built (expr-ir-text.ts irValueText): that IR.
  const call = /^[A-Za-z_]\w*\(/.test(c);
  const x = call ? knownAs(fe, c) : null;
  if (x) { fe.emit({ s: "expr", x }); return; }
  if (call) { fe.emit({ s: "expr", x: wholeIr(fe, c) }); return; }
  // A value built from IR over text operands (text-ir.ts) where it prints as the text did inside `(void)(...)`.
  const y = placeIr(fe, c);
  if (y.e !== "c" && fe.printTop(y, false) === c) { fe.emit({ s: "discard", x: y }); return; }
  fe.emit({ s: "expr", x: C(`(void)(${c})`) });
}

/** if as a statement, or (with `into`) as a value assigned to `into` of type `t`. */
export function ifStmt(fe: FnEmitter, e: Extract<A.Expr, { kind: "If" }>, into: { v: string; t: Type } | null): void {
  const cond = condIr(fe, e.cond, unparen);
  const then = fe.nest(() => fe.arm(e.then, into));
  const else_ = fe.nest(() => elseBody(fe, e.else_, into));
  fe.emit({ s: "if", cond, then, else_, keepElse: !!e.else_ });
}

export function ifLetStmt(fe: FnEmitter, e: Extract<A.Expr, { kind: "IfLet" }>, into: { v: string; t: Type } | null): void {
  ifLet(fe, e, into, () => elseBody(fe, e.else_, into));
}

function elseBody(fe: FnEmitter, else_: A.Block | A.Expr | null, into: { v: string; t: Type } | null): void {
  if (!else_) return;
  if (else_.kind === "Block") fe.arm(else_, into);
  else if (else_.kind === "If") fe.ifStmt(else_, into);
  else if (else_.kind === "IfLet") fe.ifLetStmt(else_, into);
  else if (into) storeValue(fe, else_, into);
  else fe.exprStmt(else_);
}

/** A branch body: statements, and (for a value) its last expression assigned to `into`. */
export function arm(fe: FnEmitter, b: A.Block, into: { v: string; t: Type } | null): void {
  if (!into) { fe.block(b); return; }
  const stmts = b.stmts;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    if (i === stmts.length - 1 && s.kind === "ExprStmt") {
      fe.at(s.span);
      storeValue(fe, s.expr, into);
    } else fe.stmt(s);
  }
}

/** `let (a, b) = value`: binds the elements of a tuple value held in `v` (its IR where it is a variable, else its text). */
export function destructure(fe: FnEmitter, p: A.Pattern, v: string | Expr, t: Type): void {
  if (p.kind === "PBind") {
    const local = fe.typed.patLocals.get(p);
    if (local) { fe.em.defineType(t); fe.declare(cType(t), fe.lv(local), v); }
  } else if (p.kind === "PTuple" && t.k === "tuple") {
    p.elems.forEach((x, i) => destructure(fe, x, typeof v === "string" ? `${v}.f${i}` : { e: "elem", of: v, i }, t.elems[i]));
  }
}

/** Whether a place is rooted at a global (`names[0]`, `cfg.limits[1].max`, `mod.g[0]`). */
function globalPath(fe: FnEmitter, e: A.Expr): boolean {
  for (let x = e; ; ) {
    const r = fe.typed.refs.get(x);
    if (r) return r.kind === "global";
    if (x.kind === "Index" || x.kind === "TupleIndex" || x.kind === "Field") { x = x.target; continue; }
    return false;
  }
}

/** Whether an assignment's target goes through an index (`v[i]`, `m[k].f`, `t.0[i]`): its address depends on the collection's buffer. */
function indexedPath(e: A.Expr): boolean {
  for (let x: A.Expr = e; ; ) {
    if (x.kind === "Index") return true;
    if (x.kind === "Field" || x.kind === "TupleIndex") { x = x.target; continue; }
    return false;
  }
}

/**
 * Whether code in e could reach a local collection (so a call in it may grow the one being stored into): e names
 * a global or a local holding heap memory, or calls a function value or a trait method (which may capture one).
 * (A target in a global's collection is computed first whenever e calls anything: the callee may reach it.)
 * `m[i * n + j] = tri(i, j)` does not: it stays one IR store.
 */
function mayReachCollection(fe: FnEmitter, e: A.Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (found) return;
    const r = x.kind === "Ident" ? fe.typed.refs.get(x) : undefined;
    if (r?.kind === "global" || (r?.kind === "local" && fe.em.hasHeap(fe.ty(r.v.type)))) found = true;
    const c = x.kind === "Call" ? fe.typed.calls.get(x) : undefined;
    if (c?.kind === "closure" || c?.kind === "traitMethod") found = true;
  });
  return found;
}
