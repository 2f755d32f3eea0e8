// Futures as IR: the call of an async function that is awaited or spawned.
// Its operands are evaluated in order (IR values when every one of them is,
// else the string emitter's text, FnEmitter.operands), then its future is
// created: a Colang function's frame (`frame NAME.new(args)`), an extern's
// std future (`extern f.new(args)`), or through a function value
// (`f.fn(f.env, args)`, a `co_fut *`). A spawn first creates the task
// (`co_task_new`), makes its region current (`co_current =
// co_task_region(task)`, the old one saved in a temporary), copies the
// arguments and the function value there (`co_promote_off ? v : clone(v)`),
// creates the future and restores the region. An `await` records its resume
// point (`suspend`/`resume`), the location of a call into std (`co_caller_at`)
// and polls: `frame NAME.poll(v)`, `extern f.poll(v)`, or the future's own
// `poll` pointer (`{ c: "ptr" }`, `v->poll(v)`); the result is the frame's
// member (`v->result`) or, through a function value, the result view
// (`((AR_R *)v)->result`, a `view` node). Every temporary is a frame member
// (frames-ir.ts). An `await` whose operands cannot diverge is an IR
// expression where statements may precede it (`awaitIr`, expr-ir.ts): the
// statements before it evaluate its operands, its value is the result member.

import type * as A from "../syntax/ast.js";
import { walkExpr } from "../syntax/walk.js";
import { subst, type CallTarget, type FnInfo, type Type, type TypeParamInfo } from "../check/types.js";
import { assign, bool, exprStmt, int, not, ret, rt, type Expr, type IrType, type Stmt } from "../lower/ir.js";
import { cType } from "./names.js";
import { callerIr } from "./caller.js";
import { printExpr } from "./print.js";
import { knownIr, memberIr, memberLocal, placeIr } from "./frames-ir.js";
import { fixIr } from "./expr-ir-order.js";
import { valueOk, valuesIr } from "./expr-ir-literals.js";
import { resultView, type AsyncEmitter } from "./async.js";
import { spawnHandle, spawnHandleIr, waitFuture, awaitTask, awaitTaskResult, awaitAllVec, awaitRace, joinHandle, joinedResult, checkJoinHandles } from "./tasks.js";
import type { FnEmitter } from "./body.js";

const NEVER = "/*never*/0";
type Em = AsyncEmitter & { typeDefs: string[]; defined: Set<string> };
/** `co_fut *`, and `AR_R *` (a future seen with its result of type t: its typedef written once, async.ts resultView). */
const FUT: IrType = { k: "ptr", to: { k: "fut" } };
const futView = (em: AsyncEmitter, t: Type): IrType => { resultView(em as Em, t); return { k: "ptr", to: { k: "futView", t } }; };

/** A future being awaited: the temporary holding it, its poll (true when ready), its result (null: unit), and for a spawn its task. */
export interface Future { v: Expr; poll: Expr; result: Expr | null; task?: Expr }

/** A temporary of C type ct declared now with init (FnEmitter.declare: in an async body the frame member), as IR. */
export function tmpIr(fe: FnEmitter, ct: string, init: Expr): Expr {
  const ref = fe.newTmp();
  fe.declare(ct, ref, init);
  return { e: "local", l: memberLocal(ref, ct) };
}

/** The C text of an IR value, for the string emitter's callers. */
export function text(fe: FnEmitter, x: Expr): string {
  return printExpr(x, { instance: (f, args, unchecked) => fe.em.called(f, args, unchecked) });
}

const CURRENT: Expr = { e: "sym", name: "co_current" };

/** The callee's operands of an awaited or spawned call (a function value first) and their types, or null for a task's `wait`. */
function futureOperands(fe: FnEmitter, call: Extract<A.Expr, { kind: "Call" }>): { es: A.Expr[]; ts: Type[] } | null {
  const target = fe.typed.calls.get(call);
  if (!target) throw new Error("internal: awaited expression is not a call");
  if (target.kind === "task") return null;
  if (target.kind === "closure") {
    const ft = fe.typeOf(target.callee) as Extract<Type, { k: "fn" }>;
    return { es: [target.callee, ...call.args], ts: [ft, ...ft.params] };
  }
  const t = callTarget(fe, call, target);
  const f = t.f;
  const fsub = new Map(f.typeParams.map((p, i) => [p, fe.ty(t.typeArgs[i])] as [TypeParamInfo, Type]));
  const es = [...call.args], ts = f.params.map((p) => subst(p.type, fsub));
  if (t.recv) { es.unshift(t.recv); ts.unshift(fe.ty(fe.typeOf(t.recv))); }
  return { es, ts };
}

/** The async function an awaited or spawned call runs: a named function, a method, or a trait's method through a
 *  bound, which the mono pass resolved to the impl's method for this instance. */
function callTarget(fe: FnEmitter, call: Extract<A.Expr, { kind: "Call" }>, target: CallTarget): { f: FnInfo; typeArgs: Type[]; recv: A.Expr | null } {
  if (target.kind === "fn") return { f: target.f, typeArgs: target.typeArgs, recv: null };
  if (target.kind === "method") return { f: target.f, typeArgs: target.typeArgs, recv: target.recv };
  if (target.kind === "traitMethod") { const inst = fe.em.site(fe.ctx, call); return { f: inst.f, typeArgs: inst.args, recv: target.recv }; }
  throw new Error("internal: awaited call is not of an async function");
}

/** Whether nothing in e can diverge (no part of it has type `never`), so the future or handle it makes arrives and the await has a value. */
function arrives(fe: FnEmitter, e: A.Expr): boolean {
  let never = false;
  walkExpr(e, (x) => { const t = fe.typed.exprTypes.get(x); if (t && fe.ty(t).k === "never") never = true; });
  return !never;
}

/** The operands in order: IR values (valuesIr) when every one is, else the string emitter's (NEVER when one diverges). */
function operands(fe: FnEmitter, es: A.Expr[], ts: Type[], ir: boolean): Expr[] | null {
  if (ir) return valuesIr(fe, es, ts);
  const vals = fe.operands(es, ts);
  return vals.some((x) => x === NEVER) ? null : vals.map((x) => placeIr(fe, x));
}

/** v copied into the current region for a new task (Emitter.cloneOut): `co_promote_off ? v : clone(v)` where it has heap parts. */
export function cloneOut(fe: FnEmitter, t: Type, v: Expr): Expr {
  return fe.em.hasHeap(t) ? { e: "cond", c: { e: "sym", name: "co_promote_off" }, a: v, b: fe.em.derived.cloneIr(t, v) } : v;
}

/**
 * Evaluates the callee and the arguments of a call of an async function (a
 * named one, a method, or a value of async fn type) and creates its future;
 * for spawn, in a new task whose region gets copies of the arguments (and of
 * the function value with its environment). The operands are IR when every one of them is.
 */
export function startFuture(fe: FnEmitter, call: A.Expr, spawn: boolean): Future | typeof NEVER {
  const target = call.kind === "Call" ? fe.typed.calls.get(call) : undefined;
  if (!target || call.kind !== "Call") throw new Error("internal: awaited expression is not a call");
  if (target.kind === "task") return waitFuture(fe, call, target.recv);
  const ops = futureOperands(fe, call)!;
  const ir = ops.es.every((a, i) => valueOk(fe, a, ops.ts[i], true));
  const em = fe.em;
  let task: Expr | undefined, saved: Expr | undefined;
  const enterTask = () => {
    task = tmpIr(fe, "co_task *", rt("co_task_new"));
    saved = tmpIr(fe, "co_region *", CURRENT);
    fe.emit(assign(CURRENT, rt("co_task_region", task)));
  };
  if (target.kind === "closure") {
    const ft = ops.ts[0] as Extract<Type, { k: "fn" }>;
    const vals = operands(fe, ops.es, ops.ts, ir);
    if (!vals) return NEVER;
    let f = fixIr(fe, vals[0], ft);
    let args = vals.slice(1); // borrowed arguments were copied by operands (FnEmitter.value)
    if (spawn) {
      args = args.map((a, i) => fixIr(fe, a, ft.params[i]));
      enterTask();
      f = tmpIr(fe, cType(ft), cloneOut(fe, ft, f));
      args = args.map((a, i) => cloneOut(fe, ft.params[i], a));
    }
    const v = tmpIr(fe, "co_fut *", { e: "call", f: { c: "value", fn: f }, args });
    if (spawn) fe.emit(assign(CURRENT, saved!));
    const unit = ft.ret.k === "unit" || ft.ret.k === "never";
    const result: Expr | null = unit ? null
      : { e: "arrow", p: { e: "view", to: futView(em, ft.ret), p: v }, field: "result" };
    return { v, poll: { e: "call", f: { c: "ptr", fn: { e: "arrow", p: v, field: "poll" } }, args: [v] }, result, task };
  }
  const t = callTarget(fe, call, target);
  const f = t.f;
  let args = operands(fe, ops.es, ops.ts, ir);
  if (!args) return NEVER;
  const inst = f.decl.extern ? "" : fe.target(call);
  const names = em.futureNames(f, inst);
  const fsub = new Map(f.typeParams.map((p, i) => [p, fe.ty(t.typeArgs[i])] as [TypeParamInfo, Type]));
  const unit = ["unit", "never"].includes(subst(f.ret, fsub).k);
  // A Colang async function's frame: its constructor and poll function (an extern's are std's C symbols).
  const frame = (part: "new" | "poll", xs: Expr[]): Expr =>
    ({ e: "call", f: inst ? { c: "frame", name: inst, part } : { c: "extern", f, part }, args: xs });
  const ref = fe.newTmp(), ct = `${names.ftype} *`, v: Expr = { e: "local", l: memberLocal(ref, ct) };
  if (spawn) {
    args = args.map((a, i) => fixIr(fe, a, ops.ts[i]));
    enterTask();
    args = args.map((a, i) => cloneOut(fe, ops.ts[i], a));
  }
  fe.declare(ct, ref, frame("new", args));
  if (spawn) fe.emit(assign(CURRENT, saved!));
  return { v, poll: frame("poll", [v]), result: unit ? null : { e: "arrow", p: v, field: "result" }, task };
}

/** `co_task_start(task, (co_fut *)v)`: the spawned task is queued. */
export function startTask(fe: FnEmitter, fut: Future): void {
  fe.emit(exprStmt(rt("co_task_start", fut.task!, { e: "view", to: FUT, p: fut.v, bare: true })));
}

/** `spawn call`: the task is queued and first runs on a later loop turn. */
export function spawnExpr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Spawn" }>): string {
  if (fe.typed.tasks.handles.has(e)) return spawnHandle(fe, e.call);
  const fut = startFuture(fe, e.call, true);
  if (fut === NEVER) return NEVER;
  startTask(fe, fut);
  return "";
}

/**
 * Whether `await x` is an IR expression where statements may precede it: any await whose operand cannot
 * diverge. Its operands are evaluated by statements before it (IR or text), so it needs no more; its value
 * is the future's result member, the tuple of the results of `all(...)`, or the frame member holding a
 * joined task's result (`await h`, `all` over a Vec, `race`).
 */
export function awaitIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, ordered: boolean): boolean {
  return ordered && fe.asyncMode && arrives(fe, e.operand);
}

/** The IR of `await x`, which awaitIr accepted: its statements emitted, its value the result. */
export function awaitExprIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>): Expr {
  const tk = fe.typed.tasks;
  const r = fe.typed.awaitAll.has(e) ? awaitAll(fe, e, fe.typeOf(e) as Extract<Type, { k: "tuple" }>)
    : tk.awaitTask.has(e) || tk.awaitResult.has(e) || tk.allVec.has(e) || tk.race.has(e) ? memberIr(fe, awaitExpr(fe, e, fe.typeOf(e))) : awaitFuture(fe, e);
  if (r === NEVER || !r) throw new Error("internal: an IR await without a value");
  return r;
}

/** Whether `spawn call` is an IR expression where statements may precede it: a spawn whose handle is used. */
export function spawnIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Spawn" }>, ordered: boolean): boolean {
  return ordered && fe.typed.tasks.handles.has(e) && arrives(fe, e.call);
}

/** The IR of `spawn call`, which spawnIr accepted: the task's handle. */
export function spawnExprIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Spawn" }>): Expr {
  const h = spawnHandleIr(fe, e.call);
  if (h === NEVER) throw new Error("internal: an IR spawn without a handle");
  return h;
}

/** `await call`: records the resume point and the region, polls, and returns from the poll function while the future is not ready. */
export function awaitExpr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Type): string {
  if (!fe.asyncMode) throw new Error("internal: await outside an async body");
  if (fe.typed.awaitAll.has(e)) { const r = awaitAll(fe, e, t as Extract<Type, { k: "tuple" }>); return r === NEVER ? NEVER : knownIr(fe, text(fe, r), r); }
  const tk = fe.typed.tasks;
  if (tk.awaitTask.has(e)) return awaitTask(fe, e, t);
  if (tk.awaitResult.has(e)) return awaitTaskResult(fe, e, t as Extract<Type, { k: "enum" }>);
  if (tk.allVec.has(e)) return awaitAllVec(fe, e, t as Extract<Type, { k: "vec" }>);
  if (tk.race.has(e)) return awaitRace(fe, e, t);
  const r = awaitFuture(fe, e);
  return r === NEVER ? NEVER : t.k === "unit" || t.k === "never" || !r ? "" : knownIr(fe, text(fe, r), r);
}

function awaitFuture(fe: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>): Expr | null | typeof NEVER {
  const fut = startFuture(fe, e.operand, false);
  if (fut === NEVER) return NEVER;
  const k = ++fe.resumes;
  fe.emit({ s: "suspend", k });
  fe.emit({ s: "resume", k });
  const mark = stdCaller(fe, e.operand);   // on every resume: other tasks ran in between
  if (mark) fe.emit(exprStmt(mark));
  fe.emit({ s: "if", cond: not(fut.poll), then: [ret(bool(false))], else_: [], short: true });
  return fut.result;
}

/** The record of an awaited call into std made from the program (caller.ts), or null. */
function stdCaller(fe: FnEmitter, call: A.Expr): Expr | null {
  const target = call.kind === "Call" ? fe.typed.calls.get(call) : undefined;
  return target && (target.kind === "fn" || target.kind === "method") ? callerIr(call, target.f) : null;
}

/** `await all(f(a), g(b))`: polls every future until all are done; the results form a tuple. */
function awaitAll(fe: FnEmitter, e: Extract<A.Expr, { kind: "Await" }>, t: Extract<Type, { k: "tuple" }>): Expr | typeof NEVER {
  const calls = (e.operand as Extract<A.Expr, { kind: "Call" }>).args;
  const futs: (Future & { done: Expr; handle?: A.Expr })[] = [];
  for (const c of calls) {
    if (fe.typed.tasks.allHandles.has(c)) {
      const h = joinHandle(fe, c);
      if (h === NEVER) return NEVER;
      futs.push({ ...h, done: tmpIr(fe, "bool", bool(false)), handle: c });
      continue;
    }
    const f = startFuture(fe, c, false);
    if (f === NEVER) return NEVER;
    futs.push({ ...f, done: tmpIr(fe, "bool", bool(false)) });
  }
  checkJoinHandles(fe, e, futs.filter((f) => f.handle).map((f) => f.v));
  const k = ++fe.resumes;
  fe.emit({ s: "suspend", k });
  fe.emit({ s: "resume", k });
  const frameRg: Expr = { e: "arrow", p: { e: "local", l: memberLocal("F", "void *") }, field: "rg" };
  // The calls are polled one after another in the same turn: a safe point in one (co_drop_safepoint) must not free
  // what a call polled after it was handed from global memory (red team, stop 26), so safe points are held off.
  const hold = (name: string): Stmt => exprStmt({ e: "call", f: { c: "rt", name }, args: [] });
  fe.emit(hold("co_sp_hold"));
  futs.forEach((f, i) => {
    const mark = f.handle ? null : stdCaller(fe, calls[i]);
    const step: Stmt[] = [...mark ? [exprStmt(mark)] : [], assign(f.done, f.poll), assign(CURRENT, frameRg)];
    fe.emit({ s: "if", cond: not(f.done), then: [{ s: "block", body: step, inline: step.length }], else_: [], short: true });
  });
  fe.emit(hold("co_sp_release"));
  // `if (!(d1 && d2 && ...)) return false;`: the flags joined flat, as the string emitter wrote them.
  const dones = futs.map((f) => f.done);
  const allDone: Expr = dones.length === 1 ? { e: "paren", x: dones[0] } : dones.reduce((a, b) => ({ e: "bin", op: "&&", l: a, r: b, flat: true }));
  fe.emit({ s: "if", cond: not(allDone), then: [ret(bool(false))], else_: [], short: true });
  const results = futs.map((f, i) => f.handle ? joinedResult(fe, f.handle, t.elems[i], f.v) : f.result);
  fe.em.defineType(t);
  return { e: "tuple", type: t, elems: results.map((r, i) => t.elems[i].k === "unit" || !r ? int(0) : typeof r === "string" ? placeIr(fe, r) : r) };
}
