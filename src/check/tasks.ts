// Task handles: `spawn f()` as a value is a `Task<T>`; `await h`, `h.cancel()`,
// `h.isDone()`, `await h.wait(ms)`, `await all(v)` over a `Vec<Task<T>>`,
// `await race(...)`, and an async call where a `Task<T>` is expected (spawned
// there: `time.timeout(ms, f())`).

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, showType, typeEq, type Type, type ModuleInfo } from "./types.js";
import { type FnCtx, Scope, report, type CheckContext } from "./context.js";
import { checkExpr } from "./expressions.js";
import { inferCall, checkArgsLoose } from "./calls.js";
import { suggest } from "./suggest.js";

export const TASK_METHODS = ["cancel", "isDone", "wait", "result"];
/** The task methods that are async (awaited): `await h.wait(ms)`, `await h.result()`. */
export const ASYNC_TASK_METHODS = ["wait", "result"];

/** The type of a spawn: a handle, unless the value is dropped (a statement, or where `()` is expected). */
export function spawnResult(cx: CheckContext, e: A.Expr, t: Type, stmt: boolean, expected: Type | undefined): Type {
  if (t.k === "error") return T.error;
  if (stmt || expected?.k === "unit") return T.unit;
  cx.out.tasks.handles.add(e);
  return { k: "task", inner: t };
}

/** An async call checked where a `Task<T>` is expected: it is spawned there. */
export function implicitSpawn(cx: CheckContext, e: A.Expr, t: Type): Type {
  cx.out.tasks.implicit.add(e);
  cx.out.tasks.handles.add(e);
  return t.k === "error" ? T.error : { k: "task", inner: t };
}

/** `h.cancel()`, `h.isDone()`, `h.wait(ms)` and `h.result()` (async: awaited). */
export function taskMethod(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, callee: Extract<A.Expr, { kind: "Field" }>, recv: Extract<Type, { k: "task" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const name = callee.name;
  const sigs: Record<string, { params: Type[]; ret: Type }> = {
    cancel: { params: [], ret: T.unit }, isDone: { params: [], ret: T.bool }, wait: { params: [T.i64], ret: T.bool },
  };
  // `await h.result()`: the task's result, or Err("the task panicked" / "the task was cancelled") where `await h` panics.
  if (name === "result") sigs.result = { params: [], ret: { k: "enum", info: cx.resultEnum, args: [recv.inner, T.string] } };
  const sig = sigs[name];
  if (!sig) { report(cx, M.taskMethod(name, suggest(name, TASK_METHODS)), callee.nameSpan); return checkArgsLoose(cx, e, scope, ctx, m); }
  cx.out.calls.set(e, { kind: "task", name, recv: callee.target });
  return inferCall(cx, e, [], new Map(), sig.params, sig.ret, `Task.${name}`, scope, ctx, m, expected);
}

/** The handle type of an expression already checked, or null. */
function taskOf(cx: CheckContext, t: Type): Extract<Type, { k: "task" }> | null {
  return t.k === "task" ? t : null;
}

/** `await all(v)` with one argument of type `Vec<Task<T>>`: a `Vec<T>` of the results in order; null when it is not that form. */
export function allOverVec(cx: CheckContext, e: Extract<A.Expr, { kind: "Await" }>, arg: A.Expr, t: Type): Type | null {
  if (t.k !== "vec" || t.elem.k !== "task") return null;
  cx.out.tasks.allVec.add(e);
  return T.vec(t.elem.inner);
}

/** `await race(a, b, ...)`: each an async call (started as a task) or a handle, one result type; or one `Vec<Task<T>>`. */
export function raceType(cx: CheckContext, e: Extract<A.Expr, { kind: "Await" }>, op: Extract<A.Expr, { kind: "Call" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  cx.out.tasks.race.add(e);
  if (op.args.length === 0) { report(cx, M.raceArgs(), op.span); return T.error; }
  let res: Type | null = null;
  for (const a of op.args) {
    const hint: Type | undefined = res ? { k: "task", inner: res } : expected ? { k: "task", inner: expected } : { k: "task", inner: T.error };
    const t = checkExpr(cx, a, scope, ctx, m, hint, false, false);
    if (t.k === "error") return T.error;
    let inner: Type | null = taskOf(cx, t)?.inner ?? null;
    if (!inner && op.args.length === 1 && t.k === "vec" && t.elem.k === "task") inner = t.elem.inner;
    if (!inner) { report(cx, M.raceArgs(), a.span); return T.error; }
    if (res && !typeEq(res, inner)) { report(cx, M.mismatch(showType(res), showType(inner), "every racer must give the same type"), a.span); return T.error; }
    res = res ?? inner;
  }
  cx.out.exprTypes.set(op, res!);
  return res!;
}
