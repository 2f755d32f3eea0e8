// The async rules (E04xx): `await`, `await all(...)` and `spawn` only where they
// may appear and only on async calls; async calls only under them; and what to
// tell a user who mixes up sync and async function types.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, showType, type Type, type ModuleInfo } from "./types.js";
import { type FnCtx, Scope, report, type CheckContext } from "./context.js";
import { checkExpr } from "./expressions.js";
import { allOverVec, raceType, spawnResult, ASYNC_TASK_METHODS } from "./tasks.js";
import { sourceText } from "./habits.js";

/** The fix for a sync function where an async one is expected, or the reverse. */
/** `names`: the parameter names of the closure that was passed, when it was one (the fix keeps them). */
export function asyncMismatchFix(expected: Extract<Type, { k: "fn" }>, found: Extract<Type, { k: "fn" }>, names: string[] | null = null): string {
  const ps = names && names.length === expected.params.length ? names.join(", ") : expected.params.map((p, i) => `x${i}: ${showType(p)}`).join(", ");
  if (expected.async) {
    return `an async function value is called with \`await\`: write an async closure, \`async |${ps}| ...\`, or pass an \`async fn\``;
  }
  const asyncType = showType({ ...found, params: expected.params, async: true });
  if (expected.ret.k !== "unit" && expected.ret.k !== "error") {
    // A spawned task's value is not a result the sync caller can return (tester round 10: the fix did not compile).
    return `an async function gives its result only to a caller that awaits it, which a sync function type cannot: if that type is the program's own, change it to \`${asyncType}\` (the function that takes it calls it as \`await g(...)\` and is async itself); otherwise pass a sync function (\`fn\`, not \`async fn\`)`;
  }
  return `a sync function is expected, so it cannot await: wrap the work in a sync closure that spawns it, \`|${ps}| { spawn f(...) }\`, or change the expected type to \`${asyncType}\``;
}

/** The name of the async function a call runs ("" for an unnamed async function value), or null for a sync call. */
export function asyncCallee(cx: CheckContext, e: A.Expr): string | null {
  if (e.kind !== "Call") return null;
  const t = cx.out.calls.get(e);
  if (t && (t.kind === "fn" || t.kind === "method") && t.f.decl.async) return t.f.name;
  if (t?.kind === "traitMethod" && t.trait.methods.get(t.name)?.async) return t.name;
  if (t?.kind === "task" && ASYNC_TASK_METHODS.includes(t.name)) return t.name;
  if (t?.kind === "closure" && cx.out.exprTypes.get(t.callee)?.k === "fn" && (cx.out.exprTypes.get(t.callee) as { async?: boolean }).async) {
    return t.callee.kind === "Ident" || t.callee.kind === "Field" ? t.callee.name : "";
  }
  return null;
}

/** The name of the task method a call is (`h.wait(ms)`: "wait"), or null. */
export function taskMethodCall(cx: CheckContext, e: A.Expr): string | null {
  if (e.kind !== "Call") return null;
  const t = cx.out.calls.get(e);
  return t?.kind === "task" ? t.name : null;
}

/** A call as the programmer wrote it (`time.sleep(10)`), for a fix that puts `await` before it. */
export function callAsWritten(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>): string {
  const whole = sourceText(cx, e.span);
  if (whole.length <= 60 && !whole.includes("\n")) return whole;
  const callee = sourceText(cx, e.callee.span);
  return `${callee.length <= 60 && !callee.includes("\n") ? callee : "f"}(...)`;
}

function callName(cx: CheckContext, e: A.Expr): string {
  if (e.kind !== "Call") return "this expression";
  const c = e.callee;
  const n = c.kind === "Ident" ? c.name : c.kind === "Field" ? c.name : null;
  return n ? `\`${n}(...)\` is a sync call` : "this is a sync call";
}

/** `await f(x)` and `await all(f(a), g(b))`: only inside an async fn. */
export function awaitType(cx: CheckContext, e: Extract<A.Expr, { kind: "Await" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  if (!(ctx.fn && !ctx.closure ? ctx.fn.decl.async : ctx.async)) {
    const what = ctx.closure ? "this closure" : ctx.fn ? `\`${ctx.fn.name}\`` : ctx.global ? "a global initialiser" : ctx.name;
    const msg = ctx.closure ? M.awaitInSyncClosure() : M.awaitInSync(what, !!ctx.fn);
    report(cx, ctx.closure && ctx.awaitFix ? { ...msg, fix: ctx.awaitFix } : msg, e.span);
  }
  const op = e.operand;
  const special = (name: string) => op.kind === "Call" && op.callee.kind === "Ident" && op.callee.name === name && !scope.lookup(name) && !m.fns.has(name) && !m.globals.has(name);
  if (special("race")) return raceType(cx, e, op as Extract<A.Expr, { kind: "Call" }>, scope, ctx, m, expected);
  if (op.kind === "Call" && special("all")) {
    if (op.args.length === 0) report(cx, M.allArgs(), op.span);
    const mark = cx.diags.length;
    const types = op.args.map((a) => checkExpr(cx, a, scope, ctx, m, undefined, false, true));
    if (op.args.length === 1 && asyncCallee(cx, op.args[0]) === null) {
      // `await all(v)` with `v` any expression of type `Vec<Task<T>>`: a local, a call, `xs.map(|x| spawn f(x))`.
      const v = allOverVec(cx, e, op.args[0], types[0]);
      if (v) { cx.out.exprTypes.set(op, v); return v; }
      if (op.args[0].kind !== "Call" || types[0].k === "vec") {
        if (types[0].k !== "error") allNotTasks(cx, op.args[0], types[0], mark);
        return T.error;
      }
    }
    const elems: Type[] = [];
    op.args.forEach((a, i) => {
      const t = types[i];
      if (t.k === "task" && asyncCallee(cx, a) === null) { cx.out.tasks.allHandles.add(a); elems.push(t.inner); return; }
      if (taskMethodCall(cx, a) === "result") report(cx, M.taskResultInAll(sourceText(cx, (a as Extract<A.Expr, { kind: "Call" }>).callee.span).replace(/\.result$/, "")), a.span);
      if (t.k !== "error" && asyncCallee(cx, a) === null) report(cx, M.awaitNotAsync(a.kind === "Call" ? callName(cx, a) : "this is not a function call"), a.span);
      elems.push(t);
    });
    cx.out.awaitAll.add(e);
    const tt: Type = { k: "tuple", elems };
    cx.out.exprTypes.set(op, tt);
    return tt;
  }
  const mark = cx.diags.length;
  const t = checkExpr(cx, op, scope, ctx, m, expected, false, true);
  if (t.k === "task" && asyncCallee(cx, op) === null) { cx.out.tasks.awaitTask.add(e); return t.inner; }
  if (taskMethodCall(cx, op) === "result") { cx.out.tasks.awaitResult.add(e); return t; }
  if (asyncCallee(cx, op) === null && awaitedChain(cx, op, mark)) return T.error;
  if (t.k !== "error" && asyncCallee(cx, op) === null) {
    report(cx, M.awaitNotAsync(op.kind === "Call" ? callName(cx, op) : `this is a value of type \`${showType(t)}\`, not a function call`), op.span);
  }
  return t;
}

/**
 * `await all(v)` where `v` is not a `Vec<Task<T>>`. The JavaScript habit `all(xs.map(|x| f(x)))` calls an async
 * function in the closure without starting a task (E0402 there, already reported): one error, whose fix spawns it.
 */
function allNotTasks(cx: CheckContext, a: A.Expr, t: Type, mark: number): void {
  const calls = cx.diags.slice(mark).filter((d) => d.code === "E0402" && d.span.file === a.span.file && d.span.start >= a.span.start && d.span.end <= a.span.end);
  const src = sourceText(cx, a.span);
  if (calls.length > 0 && t.k === "vec" && !src.includes("\n") && src.length <= 120) {
    let fixed = src;
    for (const d of [...calls].sort((x, y) => y.span.start - x.span.start)) {
      const at = d.span.start - a.span.start;
      fixed = `${fixed.slice(0, at)}spawn ${fixed.slice(at)}`;
    }
    for (const d of calls) cx.diags.splice(cx.diags.indexOf(d), 1);
    const call = sourceText(cx, calls[0].span);
    report(cx, M.allOverCalls(showType(t), call, fixed), a.span);
    return;
  }
  report(cx, t.k === "vec" ? M.allNotTasks(showType(t)) : M.allArgs(), a.span);
}

/**
 * `await f().m()`, `await http.get(url).body`: `await` takes the whole chain, whose last step is not an async call;
 * the async call inside it (E0402, already reported, and what follows from it: E0207 on a field of its `Result`)
 * is what was meant. One error, with the parentheses; true when it was reported.
 */
function awaitedChain(cx: CheckContext, op: A.Expr, mark: number): boolean {
  const next = (x: A.Expr): A.Expr | null => x.kind === "Field" || x.kind === "Index" ? x.target
    : x.kind === "Call" && x.callee.kind === "Field" ? x.callee.target : null;
  let above = op;
  for (let inner = next(op); inner; above = inner, inner = next(inner)) {
    const i = cx.diags.findIndex((d, k) => k >= mark && d.code === "E0402" && d.span.start === inner!.span.start && d.span.end === inner!.span.end);
    if (i < 0) continue;
    const src = sourceText(cx, op.span), call = sourceText(cx, inner.span), rest = src.slice(call.length);
    // What followed from the missing await (a field of a `Result`) goes with it.
    for (let k = cx.diags.length - 1; k >= mark; k--) {
      const d = cx.diags[k];
      if (k === i || (d.span.file === op.span.file && d.span.start >= inner.span.end && d.span.end <= op.span.end)) cx.diags.splice(k, 1);
    }
    const it = cx.out.exprTypes.get(inner);
    const readsField = above.kind === "Field" && above.target === inner;
    const plain = src.startsWith(call) && !src.includes("\n") && src.length <= 100;
    let fix = plain ? `write \`(await ${call})${rest}\`` : "put the async call and its `await` in parentheses: `(await f()).m()`";
    if (plain && readsField && it?.k === "enum" && it.info === cx.resultEnum) {
      fix += `; \`${call}\` gives a \`${showType(it)}\`, whose value is inside \`Ok\`: \`(await ${call})?${rest}\` in a function that returns \`Result\`, or \`match await ${call} { Ok(v) => ... v${rest} ..., Err(e) => ... }\``;
    } else if (plain && readsField && it?.k === "optional") {
      fix += `; \`${call}\` gives a \`${showType(it)}\`, which may be \`none\`: \`(await ${call})!${rest}\` panics on none, \`if let v = await ${call} { ... v${rest} ... }\` tests it`;
    }
    const what = op.kind === "Call" ? `${callName(cx, op)}, called on` : `\`${rest.replace(/^[.]/, "")}\` is read from`;
    report(cx, { ...M.awaitNotAsync(`${what} the result of an async call that is not awaited: \`await\` applies to the whole chain`), fix }, op.span);
    return true;
  }
  return false;
}

/** `spawn f(x)`: starts f as a detached task; its arguments are copied into the task's region. */
export function spawnType(cx: CheckContext, e: Extract<A.Expr, { kind: "Spawn" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  if (ctx.global) report(cx, M.spawnInGlobal(), e.span);
  const op = e.call;
  const t = checkExpr(cx, op, scope, ctx, m, undefined, false, true);
  if (t.k !== "error" && asyncCallee(cx, op) === null) report(cx, M.spawnNotAsync(op.kind === "Call" ? callName(cx, op) : "this is not a function call"), op.span);
  const tm = taskMethodCall(cx, op);
  if (tm && t.k !== "error" && asyncCallee(cx, op) !== null) { report(cx, M.spawnTaskMethod(callAsWritten(cx, op as Extract<A.Expr, { kind: "Call" }>)), op.span); return T.error; }
  if (ctx.global || t.k === "error" || asyncCallee(cx, op) === null) return ctx.global ? T.error : T.unit;
  return spawnResult(cx, e, t, stmt, expected);
}
