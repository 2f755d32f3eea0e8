// Task handles in C (runtime: cruntime/src/task_join.c). A handle is a
// `co_handle` value. A spawn whose handle is used makes its task joinable;
// `await h` joins it (the awaiting task waits in the ready queue until h
// ends), copies the result out of the ended task's region through the
// region analysis's "join" store, and releases the task (its region is
// freed then). `race` keeps the first to end and cancels and releases the
// others.

import type * as A from "../syntax/ast.js";
import { C } from "./body-ir.js";
import { bool, exprStmt, not, ret, rt, type Expr, type Stmt } from "../lower/ir.js";
import type { Type } from "../check/types.js";
import { cType, mangle } from "./names.js";
import { locArgs } from "./ctext.js";
import { locIr } from "./caller.js";
import { placeIr } from "./frames-ir.js";
import { resultView, type AsyncEmitter } from "./async.js";
import { startFuture, startTask, text, tmpIr, type Future } from "./futures.js";
import type { FnEmitter } from "./body.js";

const NEVER = "/*never*/0";
type Em = AsyncEmitter & { typeDefs: string[]; defined: Set<string> };
const TASK_T: Type = { k: "task", inner: { k: "unit" } };

/** `spawn call` whose value is used (or an async call where a Task is expected): the new task's handle. */
export function spawnHandle(b: FnEmitter, call: A.Expr): string {
  const fut = startFuture(b, call, true);
  if (fut === NEVER) return NEVER;
  const h = tmpIr(b, "co_handle", rt("co_task_handle", fut.task!));
  startTask(b, fut);
  return text(b, h);
}

/** `h.wait(ms)`: a future that ends when the task has ended or ms have passed. */
export function waitFuture(b: FnEmitter, call: Extract<A.Expr, { kind: "Call" }>, recv: A.Expr): Future | typeof NEVER {
  const vals = b.operands([recv, call.args[0]], [TASK_T, { k: "int", name: "i64" }]);
  if (vals.some((x) => x === NEVER)) return NEVER;
  const v = tmpIr(b, "co_task_wait_fut *", rt("co_task_wait_new", ...vals.map((x) => placeIr(b, x))));
  return { v, poll: rt("co_task_wait_poll", v), result: { e: "arrow", p: v, field: "result" } };
}

/** The result of ended task h, copied into the current region (a "join" store), as a C expression. */
function result(b: FnEmitter, e: A.Expr, t: Type, h: string): string {
  if (t.k === "unit" || t.k === "never") return "0";
  const view = resultView(b.em as Em, t);
  return b.em.stored(e, "co_current", t, `((${view} *)co_task_result(${h}))->result`);
}

/** for (i = 0; i < n; i++) s, on one line (i is a frame member declared before). */
function each(i: string, n: string, s: Stmt): Stmt {
  return { s: "cfor", init: { s: "assign", to: C(i), v: C("0") }, cond: C(`${i} < ${n}`), step: C(`${i}++`), body: [s], short: true };
}

function resume(b: FnEmitter): void {
  const k = ++b.resumes;
  b.emit({ s: "suspend", k });
  b.emit({ s: "resume", k });
}

/** A handle among the arguments of the tuple form of `await all(...)`: polled by joining it. */
export function joinHandle(b: FnEmitter, arg: A.Expr): Future | typeof NEVER {
  const hv = b.expr(arg);
  if (hv === NEVER) return NEVER;
  const h = tmpIr(b, "co_handle", placeIr(b, hv));
  return { v: h, poll: rt("co_task_join", h, ...locIr(arg.span)), result: null };
}

/** Before the tuple form of `all` first polls: the handles among its arguments are distinct tasks. */
export function checkJoinHandles(b: FnEmitter, e: A.Expr, hs: Expr[]): void {
  if (hs.length >= 2) b.emit({ s: "expr", x: C(`co_task_join_check(((co_handle[]){ ${hs.map((h) => text(b, h)).join(", ")} }), ${hs.length}, false, ${locArgs(e.span)})`) });
}

/** Once every member of the `all` has ended: the handle's result copied out (a join store at `arg`), and the task released. */
export function joinedResult(b: FnEmitter, arg: A.Expr, t: Type, h: Expr): string | null {
  if (t.k === "unit" || t.k === "never") { b.emit(exprStmt(rt("co_task_release", h))); return null; }
  const r = b.newTmp();
  b.declare(cType(t), r, `${result(b, arg, t, text(b, h))}`);
  b.emit(exprStmt(rt("co_task_release", h)));
  return r;
}

/** `await h`. */
export function awaitTask(b: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Type): string {
  const hv = b.expr(e.operand);
  if (hv === NEVER) return NEVER;
  const h = tmpIr(b, "co_handle", placeIr(b, hv));
  resume(b);
  b.emit({ s: "if", cond: not(rt("co_task_join", h, ...locIr(e.span))), then: [ret(bool(false))], else_: [], short: true });
  if (t.k === "unit" || t.k === "never") { b.emit(exprStmt(rt("co_task_release", h))); return ""; }
  const r = b.newTmp();
  b.declare(cType(t), r, `${result(b, e, t, text(b, h))}`);
  b.emit(exprStmt(rt("co_task_release", h)));
  return r;
}

/** `await all(v)` over a `Vec<Task<T>>`: a `Vec<T>` of the results in order. */
export function awaitAllVec(b: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Extract<Type, { k: "vec" }>): string {
  const arg = (e.operand as Extract<A.Expr, { kind: "Call" }>).args[0];
  const vt = b.typeOf(arg);
  const vv = b.expr(arg);
  if (vv === NEVER) return NEVER;
  b.em.defineType(vt);
  b.em.defineType(t);
  const v = b.newTmp(), i = b.newTmp(), r = b.newTmp();
  b.declare(cType(vt), v, `${vv}`);
  b.decl("int64_t", i);
  b.emit({ s: "expr", x: C(`co_task_join_check(${v}->data, ${v}->len, false, ${locArgs(e.span)})`) });
  resume(b);
  b.emit(each(i, `${v}->len`, { s: "if", cond: C(`!co_task_join(${v}->data[${i}], ${locArgs(e.span)})`), then: [ret(bool(false))], else_: [], short: true }));
  b.declare(cType(t), r, `${mangle(t)}_with_cap(${v}->len)`);
  b.emit(each(i, `${v}->len`, { s: "expr", x: C(`${mangle(t)}_push(${r}, ${result(b, e, t.elem, `${v}->data[${i}]`)})`) }));
  b.emit(each(i, `${v}->len`, { s: "expr", x: C(`co_task_release(${v}->data[${i}])`) }));
  return r;
}

/** `await race(a, b, ...)` or `await race(v)`: the result of the first task to end; the others are cancelled. */
export function awaitRace(b: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Type): string {
  const args = (e.operand as Extract<A.Expr, { kind: "Call" }>).args;
  const overVec = args.length === 1 && b.typeOf(args[0]).k === "vec";
  const hs: string[] = [];
  for (const a of args) {
    const hv = b.expr(a);   // an async call here is spawned (check/tasks.ts: implicit)
    if (hv === NEVER) return NEVER;
    const at = b.typeOf(a);
    if (overVec) b.em.defineType(at);
    const h = b.newTmp();
    b.declare(overVec ? cType(at) : "co_handle", h, `${hv}`);
    hs.push(h);
  }
  const arr = overVec ? `${hs[0]}->data` : `((co_handle[]){ ${hs.join(", ")} })`;
  const n = overVec ? `${hs[0]}->len` : `${hs.length}`;
  const idx = b.newTmp(), i = b.newTmp();
  b.decl("int64_t", idx);
  b.decl("int64_t", i);
  b.emit({ s: "expr", x: C(`co_task_join_check(${arr}, ${n}, true, ${locArgs(e.span)})`) });
  resume(b);
  b.assign(idx, `co_task_join_any(${arr}, ${n}, ${locArgs(e.span)})`);
  b.shortIf(`${idx} < 0`, ret(bool(false)));
  let r = "";
  if (t.k !== "unit" && t.k !== "never") {
    r = b.newTmp();
    b.declare(cType(t), r, `${result(b, e, t, `${arr}[${idx}]`)}`);
  }
  b.emit(each(i, n, { s: "expr", x: C(`co_task_release(${arr}[${i}])`) }));
  return r;
}
