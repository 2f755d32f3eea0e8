// The async lowering: every async body (a named `async fn`, an async method,
// an async closure, a `test` block that awaits) becomes a frame struct and a
// poll function that resumes at the await it stopped at. The body is emitted
// by an ordinary FnEmitter in async mode, which declares every local and
// temporary through `decl`: so the frame's members are known structurally,
// and the body names them `F->name` from the start.
//
// Frame layout: `co_fut hdr; R result; int32_t st; co_region *rg; ...`. Every
// frame (and every std future of a unit-returning operation) starts with
// `co_fut hdr` followed by its result, so a future made through an async
// function VALUE is read through the view `AR_R { co_fut hdr; R result; }`
// whatever frame it really is.

import { callerMark } from "./caller.js";
import type { Stmt } from "../lower/ir.js";
import type * as A from "../syntax/ast.js";
import { C } from "./body-ir.js";
import { subst, type Type, type FnInfo, type LocalVar, type TypedProgram, type TypeParamInfo } from "../check/types.js";
import { cType, cRet, mangle } from "./names.js";
import { spawnHandle, waitFuture, awaitTask, awaitAllVec, awaitRace, joinHandle, joinedResult, checkJoinHandles } from "./tasks.js";

const NEVER = "/*never*/0";

/** What the async lowering needs from the C emitter. */
export interface AsyncEmitter {
  defineType(t: Type): void;
  clone(t: Type, v: string): string;
  cloneOut(t: Type, v: string): string;
  stored(node: A.Expr, owner: string | null, t: Type, v: string): string;
  borrowArg(node: A.Expr, t: Type, v: string): string;
  futureNames(f: FnInfo, inst: string): { ctor: string; poll: string; ftype: string };
  frameTypedefs: string[];
  frameDefs: string[];
  frameProtos: string[];
}

/** What the async lowering needs from the emitter of one body. */
export interface AsyncBody {
  em: AsyncEmitter;
  typed: TypedProgram;
  asyncMode: boolean;
  resumes: number;
  frame: Map<string, string>;
  /** The body as C lines (emit/body.ts), recorded under this C name for `coc dump --stage=ir`. */
  printed(name: string): string[];
  line(s: string): void;
  emit(s: Stmt): void;
  assign(to: string, v: string): void;
  shortIf(cond: string, s: Stmt): void;
  newTmp(): string;
  decl(ct: string, ref: string): string;
  declare(ct: string, ref: string, init: string): void;
  ty(t: Type): Type;
  typeOf(e: A.Expr): Type;
  operands(es: A.Expr[], targets: (Type | null)[]): string[];
  materialize(c: string, t: Type): string;
  expr(e: A.Expr): string;
  /** The C name of the instance a call calls (src/lower/mono.ts). */
  target(node: A.Expr): string;
}

/** A C type name for a future's result view (see the layout note above). */
export function resultView(em: AsyncEmitter & { typeDefs: string[]; defined: Set<string> }, ret: Type): string {
  const n = `AR_${mangle(ret)}`;
  if (!em.defined.has(n)) {
    em.defined.add(n);
    em.defineType(ret);
    em.typeDefs.push(`typedef struct ${n} { co_fut hdr; ${cType(ret)} result; } ${n};`);
  }
  return n;
}

export interface FrameSpec {
  /** Base C name: struct F_NAME, NAME_poll, and (by default) NAME_new. */
  name: string;
  ret: Type;
  /** Values the constructor stores into same-named frame members: its parameters. */
  params: { cname: string; ct: string }[];
  /** The body, already emitted in async mode. */
  body: AsyncBody;
  /** A constructor returning `co_fut *` under this signature (closures, tests) instead of `F_NAME *NAME_new(params)`. */
  futCtor?: { sig: string; prelude: string[]; members?: { cname: string; ct: string }[] };
}

/**
 * Writes the frame struct, the constructor (allocates the frame in the
 * current region and stores the arguments) and the poll function of an
 * async body; returns the C definitions.
 */
export function emitFrame(em: AsyncEmitter, s: FrameSpec): string {
  const F = `F_${s.name}`;
  const unit = s.ret.k === "unit" || s.ret.k === "never";
  const stored = new Set([...s.params, ...(s.futCtor?.members ?? [])].map((p) => p.cname));
  const members = [
    "co_fut hdr;",
    ...(unit ? [] : [`${cType(s.ret)} result;`]),
    "int32_t st;", "co_region *rg;",
    ...s.params.map((p) => `${p.ct} ${p.cname};`),
    ...(s.futCtor?.members ?? []).map((p) => `${p.ct} ${p.cname};`),
    ...[...s.body.frame].filter(([n]) => !stored.has(n)).map(([n, ct]) => `${ct} ${n};`),
  ];
  em.frameTypedefs.push(`typedef struct ${F} ${F};`);
  em.frameDefs.push(`struct ${F} {\n${members.map((m) => "  " + m).join("\n")}\n};`);
  const ps = s.params.map((p) => `${p.ct} ${p.cname}`).join(", ") || "void";
  const alloc = [`  ${F} *F = co_alloc(sizeof *F);`, "  memset(F, 0, sizeof *F);", `  F->hdr.poll = ${s.name}_poll;`,
    ...s.params.map((p) => `  F->${p.cname} = ${p.cname};`)];
  let ctor: string[];
  if (s.futCtor) {
    em.frameProtos.push(`${s.futCtor.sig};`, `static bool ${s.name}_poll(void *F_);`);
    ctor = [`${s.futCtor.sig} {`, ...alloc, ...s.futCtor.prelude, "  return &F->hdr;", "}"];
  } else {
    em.frameProtos.push(`static ${F} *${s.name}_new(${ps});`, `static bool ${s.name}_poll(void *F_);`);
    ctor = [`static ${F} *${s.name}_new(${ps}) {`, ...alloc, "  return F;", "}"];
  }
  const cases = Array.from({ length: s.body.resumes }, (_, i) => `case ${i + 1}: goto R_${i + 1};`).join(" ");
  const poll = [`static bool ${s.name}_poll(void *F_) {`, `  ${F} *F = F_;`, `  switch (F->st) { case 0: break; ${cases}${cases ? " " : ""}default: return true; }`,
    ...s.body.printed(`${s.name}_poll`), "  F->st = -1;", "  return true;", "}"];
  return ctor.join("\n") + "\n" + poll.join("\n") + "\n";
}

/** A frame member holding a parameter or capture: its C type. */
export function memberOf(v: LocalVar, t: Type): { cname: string; ct: string } {
  return { cname: v.cname, ct: cType(t) };
}

export interface Future { v: string; poll: string; result: string | null; task?: string }

/**
 * Evaluates the callee and the arguments of a call of an async function (a
 * named one, a method, or a value of async fn type) and creates its future;
 * for spawn, in a new task whose region gets copies of the arguments (and of
 * the function value with its environment).
 */
export function startFuture(b: AsyncBody, call: A.Expr, spawn: boolean): Future | typeof NEVER {
  const target = call.kind === "Call" ? b.typed.calls.get(call) : undefined;
  if (!target || call.kind !== "Call") throw new Error("internal: awaited expression is not a call");
  if (target.kind === "task") return waitFuture(b, call, target.recv);
  const em = b.em;
  let task: string | undefined, saved = "";
  const enterTask = () => {
    task = b.newTmp(); saved = b.newTmp();
    b.declare("co_task *", task, `co_task_new()`);
    b.declare("co_region *", saved, `co_current`);
    b.assign("co_current", `co_task_region(${task})`);
  };
  if (target.kind === "closure") {
    const ft = b.typeOf(target.callee) as Extract<Type, { k: "fn" }>;
    const vals = b.operands([target.callee, ...call.args], [ft, ...ft.params]);
    if (vals.some((x) => x === NEVER)) return NEVER;
    let f = b.materialize(vals[0], ft);
    let args = vals.slice(1); // borrowed arguments were copied by operands (FnEmitter.value)
    if (spawn) {
      args = args.map((a, i) => b.materialize(a, ft.params[i]));
      enterTask();
      const g = b.newTmp();
      b.declare(cType(ft), g, `${em.cloneOut(ft, f)}`);
      f = g;
      args = args.map((a, i) => em.cloneOut(ft.params[i], a));
    }
    const v = b.newTmp();
    b.declare("co_fut *", v, `${f}.fn(${[`${f}.env`, ...args].join(", ")})`);
    if (spawn) b.assign("co_current", saved);
    const unit = ft.ret.k === "unit" || ft.ret.k === "never";
    const view = unit ? "" : resultView(em as AsyncEmitter & { typeDefs: string[]; defined: Set<string> }, ft.ret);
    return { v, poll: `${v}->poll(${v})`, result: unit ? null : `((${view} *)${v})->result`, task };
  }
  if (target.kind !== "fn" && target.kind !== "method") throw new Error("internal: awaited call is not of an async function");
  const f = target.f;
  const typeArgs = target.typeArgs.map((x) => b.ty(x));
  const fsub = new Map(f.typeParams.map((p, i) => [p, typeArgs[i]] as [TypeParamInfo, Type]));
  const ptypes = f.params.map((p) => subst(p.type, fsub));
  const es = [...call.args];
  if (target.kind === "method") { es.unshift(target.recv); ptypes.unshift(b.ty(b.typeOf(target.recv))); }
  let args = b.operands(es, ptypes);
  if (args.some((a) => a === NEVER)) return NEVER;
  const names = em.futureNames(f, f.decl.extern ? "" : b.target(call));
  const v = b.newTmp();
  const ret = subst(f.ret, fsub);
  const result = ret.k === "unit" || ret.k === "never" ? null : `${v}->result`;
  if (!spawn) {
    b.declare(`${names.ftype} *`, v, `${names.ctor}(${args.join(", ")})`);
    return { v, poll: `${names.poll}(${v})`, result };
  }
  args = args.map((a, i) => b.materialize(a, ptypes[i]));
  enterTask();
  b.declare(`${names.ftype} *`, v, `${names.ctor}(${args.map((a, i) => em.cloneOut(ptypes[i], a)).join(", ")})`);
  b.assign("co_current", saved);
  return { v, poll: `${names.poll}(${v})`, result, task };
}

/** `spawn call`: the task is queued and first runs on a later loop turn. */
export function spawnExpr(b: AsyncBody, e: Extract<A.Expr, { kind: "Spawn" }>): string {
  if (b.typed.tasks.handles.has(e)) return spawnHandle(b, e.call);
  const fut = startFuture(b, e.call, true);
  if (fut === NEVER) return NEVER;
  b.emit({ s: "expr", x: C(`co_task_start(${fut.task}, (co_fut *)${fut.v})`) });
  return "";
}

/** `await call`: records the resume point and the region, polls, and returns from the poll function while the future is not ready. */
export function awaitExpr(b: AsyncBody, e: Extract<A.Expr, { kind: "Await" }>, t: Type): string {
  if (!b.asyncMode) throw new Error("internal: await outside an async body");
  if (b.typed.awaitAll.has(e)) return awaitAll(b, e, t as Extract<Type, { k: "tuple" }>);
  const tk = b.typed.tasks;
  if (tk.awaitTask.has(e)) return awaitTask(b, e, t);
  if (tk.allVec.has(e)) return awaitAllVec(b, e, t as Extract<Type, { k: "vec" }>);
  if (tk.race.has(e)) return awaitRace(b, e, t);
  const fut = startFuture(b, e.operand, false);
  if (fut === NEVER) return NEVER;
  const k = ++b.resumes;
  b.emit({ s: "suspend", k });
  b.emit({ s: "resume", k });
  const mark = stdCallerMark(b, e.operand);   // on every resume: other tasks ran in between
  if (mark) b.emit({ s: "expr", x: C(mark) });
  b.shortIf(`!${fut.poll}`, { s: "return", v: C("false") });
  return t.k === "unit" || t.k === "never" || !fut.result ? "" : fut.result;
}

/** The record of an awaited call into std made from the program (emit/caller.ts), or null. */
function stdCallerMark(b: AsyncBody, call: A.Expr): string | null {
  const target = call.kind === "Call" ? b.typed.calls.get(call) : undefined;
  return target && (target.kind === "fn" || target.kind === "method") ? callerMark(call, target.f) : null;
}

/** `await all(f(a), g(b))`: polls every future until all are done; the results form a tuple. */
function awaitAll(b: AsyncBody, e: Extract<A.Expr, { kind: "Await" }>, t: Extract<Type, { k: "tuple" }>): string {
  const calls = (e.operand as Extract<A.Expr, { kind: "Call" }>).args;
  const futs: (Future & { done: string; handle?: A.Expr })[] = [];
  for (const c of calls) {
    if (b.typed.tasks.allHandles.has(c)) {
      const h = joinHandle(b, c);
      if (h === NEVER) return NEVER;
      const done = b.newTmp();
      b.declare("bool", done, `false`);
      futs.push({ ...h, done, handle: c });
      continue;
    }
    const f = startFuture(b, c, false);
    if (f === NEVER) return NEVER;
    const done = b.newTmp();
    b.declare("bool", done, `false`);
    futs.push({ ...f, done });
  }
  checkJoinHandles(b, e, futs.filter((f) => f.handle).map((f) => f.v));
  const k = ++b.resumes;
  b.emit({ s: "suspend", k });
  b.emit({ s: "resume", k });
  futs.forEach((f, i) => {
    const mark = f.handle ? null : stdCallerMark(b, calls[i]);
    const step: Stmt[] = [...mark ? [{ s: "expr", x: C(mark) } as Stmt] : [], { s: "assign", to: C(f.done), v: C(f.poll) }, { s: "assign", to: C("co_current"), v: C("F->rg") }];
    b.shortIf(`!${f.done}`, { s: "block", body: step, inline: step.length });
  });
  b.shortIf(`!(${futs.map((f) => f.done).join(" && ")})`, { s: "return", v: C("false") });
  futs.forEach((f, i) => { if (f.handle) f.result = joinedResult(b, f.handle, t.elems[i], f.v); });
  b.em.defineType(t);
  return `((${cType(t)}){ ${futs.map((f, i) => t.elems[i].k === "unit" || !f.result ? "0" : f.result).join(", ")} })`;
}

/** The wrapper that makes a named async function (or an instance of a generic one) a value: it creates the frame in the current region. */
export function asyncFnValue(em: AsyncEmitter & { fnHelper(name: string, proto: string, body: () => string): string }, f: FnInfo, typeArgs: Type[], inst: string): string {
  const sub = new Map(f.typeParams.map((p, i) => [p, typeArgs[i]] as [TypeParamInfo, Type]));
  const ps = f.params.map((p) => subst(p.type, sub));
  const names = em.futureNames(f, inst);
  const ft: Type = { k: "fn", params: ps, ret: subst(f.ret, sub), async: true };
  em.defineType(ft);
  const w = em.fnHelper(`afv_${names.ctor}`, `static co_fut *afv_${names.ctor}(void *env${ps.map((p, i) => `, ${cType(p)} a${i}`).join("")})`, () =>
    `  (void)env;\n  return (co_fut *)${names.ctor}(${ps.map((_, i) => `a${i}`).join(", ")});`);
  return `((${cType(ft)}){ ${w}, NULL })`;
}

/** The C function-pointer member of a function value type: `R (*fn)(void *, A...)`, or for an async one `co_fut *(*fn)(void *, A...)`. */
export function fnPointer(t: Extract<Type, { k: "fn" }>): string {
  return `${t.async ? "co_fut *" : cRet(t.ret)} (*fn)(void *${t.params.map((p) => ", " + cType(p)).join("")})`;
}
