// Task handles in C (runtime: cruntime/src/task_join.c). A handle is a
// `co_handle` value. A spawn whose handle is used makes its task joinable;
// `await h` joins it (the awaiting task waits in the ready queue until h
// ends), copies the result out of the ended task's region through the
// region analysis's "join" store, and releases the task (its region is
// freed then). `race` keeps the first to end and cancels and releases the
// others.

import type * as A from "../syntax/ast.js";
import { C } from "./body-ir.js";
import { assign, bool, call, exprStmt, int, local, not, ret, rt, type Expr, type Stmt } from "../lower/ir.js";
import type { Type } from "../check/types.js";
import { cType } from "./names.js";
import { locIr } from "./caller.js";
import { memberLocal, placeIr } from "./frames-ir.js";
import { resultView, type AsyncEmitter } from "./async.js";
import { cloneOut, startFuture, startTask, text, tmpIr, type Future } from "./futures.js";
import type { FnEmitter } from "./body.js";
import { exprIr, irExpr } from "./expr-ir.js";

const NEVER = "/*never*/0";
type Em = AsyncEmitter & { typeDefs: string[]; defined: Set<string> };
const TASK_T: Type = { k: "task", inner: { k: "unit" } };

/** `spawn call` whose value is used (or an async call where a Task is expected): the new task's handle. */
export function spawnHandle(b: FnEmitter, call: A.Expr): string {
  const h = spawnHandleIr(b, call);
  return h === NEVER ? NEVER : text(b, h);
}

/** spawnHandle as IR: the temporary holding the handle. */
export function spawnHandleIr(b: FnEmitter, call: A.Expr): Expr | typeof NEVER {
  const fut = startFuture(b, call, true);
  if (fut === NEVER) return NEVER;
  // an implicit task (an async call where a `Task<T>` is expected) belongs to the task that starts it:
  // cancelled with it (co_task_own, task_join.c)
  const handle = rt("co_task_handle", fut.task!);
  const h = tmpIr(b, "co_handle", b.typed.tasks.implicit.has(call) ? rt("co_task_own", handle) : handle);
  startTask(b, fut);
  return h;
}

/** `h.wait(ms)`: a future that ends when the task has ended or ms have passed. */
export function waitFuture(b: FnEmitter, call: Extract<A.Expr, { kind: "Call" }>, recv: A.Expr): Future | typeof NEVER {
  const vals = b.operands([recv, call.args[0]], [TASK_T, { k: "int", name: "i64" }]);
  if (vals.some((x) => x === NEVER)) return NEVER;
  const v = tmpIr(b, "co_task_wait_fut *", rt("co_task_wait_new", ...vals.map((x) => placeIr(b, x))));
  return { v, poll: rt("co_task_wait_poll", v), result: { e: "arrow", p: v, field: "result" } };
}

/** The result of ended task h, copied into the current region (a "join" store: Emitter.stored's decision). */
function result(b: FnEmitter, e: A.Expr, t: Type, h: Expr): Expr {
  if (t.k === "unit" || t.k === "never") return int(0);
  const v: Expr = { e: "arrow", p: { e: "view", to: { k: "ptr", to: { k: "futView", t } }, p: rt("co_task_result", h) }, field: "result" };
  resultView(b.em as Em, t);
  const copy = b.em.storeCopy(e, "co_current", t);
  return copy === "join" ? cloneOut(b, t, v) : copy === "none" ? v : C(b.em.stored(e, "co_current", t, text(b, v)));
}

/** for (i = 0; i < n; i++) s, on one line (i is a frame member declared before). */
function each(i: Expr, n: Expr, s: Stmt): Stmt {
  return { s: "cfor", init: assign(i, int(0)), cond: { e: "bin", op: "<", l: i, r: n }, step: { e: "inc", x: i }, body: [s], short: true };
}

/** An operand (a handle, a Vec of handles) as IR where the IR builder has it (expr-ir.ts), else the string emitter's text taken back. */
function operandIr(b: FnEmitter, a: A.Expr): Expr | typeof NEVER {
  if (irExpr(b, a, true)) return exprIr(b, a);
  const v = b.expr(a);
  return v === NEVER ? NEVER : placeIr(b, v);
}

function resume(b: FnEmitter): void {
  const k = ++b.resumes;
  b.emit({ s: "suspend", k });
  b.emit({ s: "resume", k });
}

/** A handle among the arguments of the tuple form of `await all(...)`: polled by joining it. */
export function joinHandle(b: FnEmitter, arg: A.Expr): Future | typeof NEVER {
  const hv = operandIr(b, arg);
  if (hv === NEVER) return NEVER;
  const h = tmpIr(b, "co_handle", hv);
  return { v: h, poll: rt("co_task_join", h, ...locIr(arg.span)), result: null };
}

/** Before the tuple form of `all` first polls: the handles among its arguments are distinct tasks. */
export function checkJoinHandles(b: FnEmitter, e: A.Expr, hs: Expr[]): void {
  if (hs.length >= 2) b.emit(exprStmt(rt("co_task_join_check", handles(hs), int(hs.length), bool(false), ...locIr(e.span))));
}

/** The handles as a C array (`((co_handle[]){ h1, h2 })`). */
function handles(hs: Expr[]): Expr {
  return { e: "array", t: { k: "handle" }, elems: hs };
}

/** Once every member of the `all` has ended: the handle's result copied out (a join store at `arg`), and the task released. */
export function joinedResult(b: FnEmitter, arg: A.Expr, t: Type, h: Expr): string | null {
  if (t.k === "unit" || t.k === "never") { b.emit(exprStmt(rt("co_task_release", h))); return null; }
  const r = b.newTmp();
  b.declare(cType(t), r, result(b, arg, t, h));
  b.emit(exprStmt(rt("co_task_release", h)));
  return r;
}

/** `await h`. */
export function awaitTask(b: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Type): string {
  const hv = operandIr(b, e.operand);
  if (hv === NEVER) return NEVER;
  const h = tmpIr(b, "co_handle", hv);
  resume(b);
  b.emit({ s: "if", cond: not(rt("co_task_join", h, ...locIr(e.span))), then: [ret(bool(false))], else_: [], short: true });
  if (t.k === "unit" || t.k === "never") { b.emit(exprStmt(rt("co_task_release", h))); return ""; }
  const r = b.newTmp();
  b.declare(cType(t), r, result(b, e, t, h));
  b.emit(exprStmt(rt("co_task_release", h)));
  return r;
}

/**
 * `await h.result()` (t: `Result<T, string>`): joins h without panicking (co_task_join_try); Ok with the result
 * copied out (the "join" store at e) when the task completed, Err naming how it ended when it panicked or was
 * cancelled (the runtime released it then), or that the handle is spent (cancelled before anyone waited for it,
 * or awaited already: the runtime keeps nothing to tell which).
 */
export function awaitTaskResult(b: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Extract<Type, { k: "enum" }>): string {
  const call = e.operand as Extract<A.Expr, { kind: "Call" }>;
  const hv = operandIr(b, (call.callee as Extract<A.Expr, { kind: "Field" }>).target);
  if (hv === NEVER) return NEVER;
  const h = tmpIr(b, "co_handle", hv);
  b.em.defineType(t);
  const sn = b.newTmp();
  const st = local(memberLocal(sn, "int64_t"));
  b.decl("int64_t", sn);
  resume(b);
  b.emit(assign(st, rt("co_task_join_try", h)));
  b.emit({ s: "if", cond: { e: "bin", op: "<", l: st, r: int(0) }, then: [ret(bool(false))], else_: [], short: true });
  const inner = t.args[0];
  const okFields = inner.k === "unit" || inner.k === "never" ? [] : [result(b, e, inner, h)];
  const str: Type = { k: "string" };
  const err = (msg: string): Expr => ({ e: "variant", type: t, variant: 1, fields: [{ e: "lit", t: str, v: msg }] });
  const errs: Expr = { e: "cond", c: { e: "bin", op: "==", l: st, r: int(1) }, a: err("the task panicked"),
    b: { e: "cond", c: { e: "bin", op: "==", l: st, r: int(2) }, a: err("the task was cancelled"), b: err("the task was cancelled or already awaited") } };
  const r = b.newTmp();
  b.declare(cType(t), r, { e: "cond", c: { e: "bin", op: "==", l: st, r: int(0) }, a: { e: "variant", type: t, variant: 0, fields: okFields }, b: errs });
  // a completed task is released once its result is copied out; a panicked or cancelled one the runtime has
  // released already, or (cancelled, other awaiters still to look) keeps for them
  b.emit({ s: "if", cond: { e: "bin", op: "==", l: st, r: int(0) }, then: [exprStmt(rt("co_task_release", h))], else_: [], short: true });
  return r;
}

/** `await all(v)` over a `Vec<Task<T>>`: a `Vec<T>` of the results in order. */
export function awaitAllVec(b: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Extract<Type, { k: "vec" }>): string {
  const arg = (e.operand as Extract<A.Expr, { kind: "Call" }>).args[0];
  const vt = b.typeOf(arg);
  const vv = operandIr(b, arg);
  if (vv === NEVER) return NEVER;
  b.em.defineType(vt);
  b.em.defineType(t);
  const [vn, in_, rn] = [b.newTmp(), b.newTmp(), b.newTmp()];
  const v = local(memberLocal(vn, cType(vt))), i = local(memberLocal(in_, "int64_t")), r = local(memberLocal(rn, cType(t)));
  b.declare(cType(vt), vn, vv);
  b.decl("int64_t", in_);
  const data: Expr = { e: "arrow", p: v, field: "data" }, n: Expr = { e: "len", of: v }, h: Expr = { e: "at", of: v, i };
  b.emit(exprStmt(rt("co_task_join_check", data, n, bool(false), ...locIr(e.span))));
  resume(b);
  b.emit(each(i, n, { s: "if", cond: not(rt("co_task_join", h, ...locIr(e.span))), then: [ret(bool(false))], else_: [], short: true }));
  b.declare(cType(t), rn, call({ c: "coll", op: "with_cap", type: t }, n));
  b.emit(each(i, n, exprStmt(call({ c: "coll", op: "push", type: t }, r, result(b, e, t.elem, h)))));
  b.emit(each(i, n, exprStmt(rt("co_task_release", h))));
  return rn;
}

/** `await race(a, b, ...)` or `await race(v)`: the result of the first task to end; the others are cancelled. */
export function awaitRace(b: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Type): string {
  const args = (e.operand as Extract<A.Expr, { kind: "Call" }>).args;
  const overVec = args.length === 1 && b.typeOf(args[0]).k === "vec";
  const hs: Expr[] = [];
  for (const a of args) {
    const hv = operandIr(b, a);   // an async call here is spawned (check/tasks.ts: implicit; the string emitter's)
    if (hv === NEVER) return NEVER;
    const at = b.typeOf(a);
    if (overVec) b.em.defineType(at);
    hs.push(tmpIr(b, overVec ? cType(at) : "co_handle", hv));
  }
  // The handles: a vec's elements, or a C array of the handles.
  const arrX: Expr = overVec ? { e: "arrow", p: hs[0], field: "data" } : handles(hs);
  const n: Expr = overVec ? { e: "len", of: hs[0] } : int(hs.length);
  const [idxn, in_] = [b.newTmp(), b.newTmp()];
  const idx = local(memberLocal(idxn, "int64_t")), i = local(memberLocal(in_, "int64_t"));
  b.decl("int64_t", idxn);
  b.decl("int64_t", in_);
  const nth = (k: Expr): Expr => overVec ? { e: "at", of: hs[0], i: k } : { e: "index", of: arrX, i: k };
  b.emit(exprStmt(rt("co_task_join_check", arrX, n, bool(true), ...locIr(e.span))));
  resume(b);
  b.emit(assign(idx, rt("co_task_join_any", arrX, n, ...locIr(e.span))));
  b.emit({ s: "if", cond: { e: "bin", op: "<", l: idx, r: int(0) }, then: [ret(bool(false))], else_: [], short: true });
  let r = "";
  if (t.k !== "unit" && t.k !== "never") {
    r = b.newTmp();
    b.declare(cType(t), r, result(b, e, t, nth(idx)));
  }
  b.emit(each(i, n, exprStmt(rt("co_task_release", nth(i)))));
  return r;
}
