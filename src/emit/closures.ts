// Closure values: a C function taking its environment (the captured values,
// copied) as first argument, paired with that environment in the fn struct.
// An environment starts with its deep-copy function; an async closure becomes
// a frame (emit/async.ts) whose constructor copies the captures.

import type * as A from "../syntax/ast.js";
import { subst, type Type, type TypeParamInfo, type ValueRef } from "../check/types.js";
import { cType, cRet, closureEnv, frameType } from "./names.js";
import { asyncFnValue, emitFrame, memberOf } from "./async.js";
import type { FnEmitter } from "./body.js";
import { assign, exprStmt, rt, type Callee, type Expr, type Local, type Stmt } from "../lower/ir.js";
import { envFunc, wrapFunc } from "../lower/helper-fns.js";
import { allocIr, memberLocal, placeIr } from "./frames-ir.js";
import { printExpr } from "./print.js";

/** A closure's environment parameter, `void *env_`. */
const ENV_: Expr = { e: "local", l: { id: 0, name: "env_", type: { k: "voidp" } } };

/** A closure value's C text (the string emitter's; closureIr builds it). */
export function closure(fe: FnEmitter, e: Extract<A.Expr, { kind: "Closure" }>, ft: Extract<Type, { k: "fn" }>): string {
  return printExpr(closureIr(fe, e, ft), NO_CALLS, true);
}

export const NO_CALLS = { instance: (): string => { throw new Error("internal: a call in a closure value"); } };

/** Whether the closure literal e is an IR value (`ordered`: statements may precede it; one with captures fills an environment). */
export function closureOk(fe: FnEmitter, e: Extract<A.Expr, { kind: "Closure" }>, ordered: boolean): boolean {
  return ordered || !fe.typed.closures.get(e)!.captures.length;
}

/**
 * A closure value: a C function taking its environment (the captured values, copied) as first argument, paired
 * with that environment (`{ e: "fnValue" }`: `((Fn_..){ clo_1, t1 })`, NULL without captures); the environment is
 * allocated and filled by statements emitted now.
 */
export function closureIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Closure" }>, ft: Extract<Type, { k: "fn" }>): Expr {
  const info = fe.typed.closures.get(e)!;
  fe.em.defineType(ft);
  const name = fe.em.closureName();
  const caps = info.captures.map((v) => ({ v, t: fe.ty(v.type), c: fe.localRef(v) }));
  const envT = closureEnv(name);
  const body = fe.child();
  body.closureRet = ft.ret;
  // An async closure's captures are frame members, copied from the environment by its constructor.
  body.asyncMode = !!ft.async;
  if (!ft.async) {
    const envL: Local = { id: 0, name: "env", type: { k: "ctype", c: `${envT} *` } }, env: Expr = { e: "local", l: envL };
    if (caps.length) body.emit({ s: "decl", l: envL, init: ENV_ });
    else body.emit({ s: "unused", x: ENV_ });
    caps.forEach((c, i) => { fe.em.defineType(c.t); body.declare(cType(c.t), c.v.cname, { e: "arrow", p: env, field: `c${i}` }); });
  }
  if (e.body.kind === "Block") body.block(e.body);
  else {
    body.at(e.body.span);
    if (ft.ret.k === "unit") body.exprStmt(e.body);
    else body.returnValue(e.body, e.body);
  }
  const params = info.params.map((p, i) => `${cType(ft.params[i])} ${p.cname}`);
  const sig = `static ${ft.async ? "co_fut *" : cRet(ft.ret)} ${name}(void *env_${params.map((x) => ", " + x).join("")})`;
  // An environment starts with its deep-copy and drop functions (Emitter.clone copies function values through
  // the first; a function value in global memory, a timer's, is dropped through the second: co_env_drop), then
  // the runtime's word: where it lives and its frames' holds (the header type in co_global.h; co_env_init sets it).
  const envDef = caps.length ? `typedef struct ${envT} { void *(*clone_)(void *); void (*drop_)(void *); uint32_t global_, holds_; ${caps.map((c, i) => `${cType(c.t)} c${i};`).join(" ")} } ${envT};\n` : "";
  if (ft.async) {
    caps.forEach((c) => fe.em.defineType(c.t));
    const envL: Local = { id: 0, name: "env_", type: { k: "ctype", c: "void *" } }, envV: Local = { id: 0, name: "env", type: { k: "ctype", c: `${envT} *` } };
    const frameV: Expr = { e: "local", l: { id: 0, name: "F", type: { k: "ctype", c: `${frameType(name)} *` } } };
    // A frame that can wait (its body awaits) holds an environment in global memory until it completes: the
    // captures are read from the environment, so a captured collection stays the task's shared handle (env_hold.c).
    const held = caps.length > 0 && body.resumes > 0;
    const hold: Expr = { e: "arrow", p: frameV, field: "hold_" };
    const prelude: Stmt[] = caps.length
      ? [{ s: "decl", l: envV, init: { e: "local", l: envL } },
        ...caps.map((c, i): Stmt => ({ s: "assign", to: { e: "arrow", p: frameV, field: c.v.cname }, v: captured(fe, e, i, c.t, { e: "arrow", p: { e: "local", l: envV }, field: `c${i}` }) })),
        ...held ? [assign(hold, rt("co_env_hold", { e: "local", l: envL })),
          { s: "if", cond: hold, then: [assign({ e: "dot", of: { e: "arrow", p: frameV, field: "hdr" }, field: "poll" }, { e: "fnref", f: { c: "frame", name, part: "held" } })], else_: [], short: true } as Stmt] : []]
      : [{ s: "unused", x: ENV_ }];
    fe.em.addAsyncClosure(envDef, emitFrame(fe.em, {
      name, ret: ft.ret, body, params: info.params.map((p, i) => memberOf(p, ft.params[i])),
      futCtor: { params: [{ cname: "env_", ct: "void *", t: { k: "voidp" } }], prelude, held,
        members: [...caps.map((c) => memberOf(c.v, c.t)), ...held ? [{ cname: "hold_", ct: "void *", t: { k: "voidp" } as const }] : []] },
    }));
  } else fe.em.addClosure(envDef, sig, body.printed(name).join("\n"));
  if (!caps.length) return { e: "fnValue", t: ft, fn: { c: "helper", name }, env: { e: "null" } };
  const capTs = caps.map((c) => c.t);
  const envFn = (part: "clone" | "drop"): Expr => {
    const f: Callee = { c: "envfn", closure: name, part };
    fe.em.irFunc(f, () => envFunc(name, part, capTs, fe.em.helperHost));
    return { e: "fnref", f };
  };
  const [cloneFn, dropFn] = [envFn("clone"), envFn("drop")];
  const env = fe.newTmp(), envX: Expr = { e: "local", l: memberLocal(env, `${envT} *`) };
  fe.declare(`${envT} *`, env, allocIr(envX));
  const member = (field: string): Expr => ({ e: "arrow", p: envX, field });
  fe.emit({ s: "row", body: [assign(member("clone_"), cloneFn), assign(member("drop_"), dropFn), exprStmt(rt("co_env_init", envX))] });
  // A capture read as it is (a Colang local, in the frame in an async body) or through its text (a match binding in place, `*self`).
  caps.forEach((c, i) => fe.emit(assign(member(`c${i}`), c.c === fe.lv(c.v) ? { e: "var", v: c.v, frame: fe.asyncMode } : placeIr(fe, c.c))));
  return { e: "fnValue", t: ft, fn: { c: "helper", name }, env: envX };
}

/** Whether the name e is a function named as a value (an IR value, async or not). */
export function namedFnOk(fe: FnEmitter, e: A.Expr): boolean {
  return fe.typed.refs.get(e)?.kind === "fn";
}

/**
 * A function named as a value: the wrapper `fnv_NAME` with the closure calling convention (its environment
 * unused), registered once per instance, paired with no environment (`{ e: "fnValue" }`); an async function's
 * wrapper `afv_NAME_new` creates its frame (async.ts asyncFnValue).
 */
export function namedFnIr(fe: FnEmitter, e: A.Expr, r: Extract<ValueRef, { kind: "fn" }>): Expr {
  const typeArgs = r.typeArgs.map((x) => fe.ty(x));
  if (r.f.decl.async) return asyncFnValue(fe.em, r.f, typeArgs, r.f.decl.extern ? "" : fe.target(e));
  const fsub = new Map(r.f.typeParams.map((p, i) => [p, typeArgs[i]] as [TypeParamInfo, Type]));
  const ft = subst({ k: "fn", params: r.f.params.map((p) => p.type), ret: r.f.ret }, fsub) as Extract<Type, { k: "fn" }>;
  fe.em.defineType(ft);
  const site = fe.em.site(fe.ctx, e);
  const w: Callee = { c: "wrap", of: { c: "instance", f: site.f, typeArgs: site.args, ...site.unchecked ? { unchecked: true } : {} } };
  fe.em.irFunc(w, () => wrapFunc((w as Extract<Callee, { c: "wrap" }>).of, ft.params, ft.ret, false));
  return { e: "fnValue", t: ft, fn: w, env: { e: "null" } };
}

/**
 * A capture of an async closure, read from its environment into a new frame: the value itself (a Vec, Map,
 * Set or StringBuilder is the same handle as the environment's, shared within the task), the environment kept
 * alive while the frame is in flight (co_env_hold). A capture that held a borrow of a global where the closure
 * was made and is used after an await is copied into the frame's region (MEMORY.md rule 3: the global may be
 * replaced while the frame waits; the region analysis, rule capture-frame, says which), unless the debug switch
 * COLANG_NO_BORROW_COPY=1 is on (prove-memory shows what it prevents).
 */
function captured(fe: FnEmitter, e: A.Expr, k: number, t: Type, v: Expr): Expr {
  if (!fe.em.copiesCaptures(e).has(k)) return v;
  if (!fe.em.hasHeap(t)) throw new Error(`internal: the region analysis copies a capture without heap memory at ${e.span.line}:${e.span.col}`);
  return { e: "cond", c: { e: "sym", name: "co_borrow_copy_off" }, a: v, b: fe.em.derived.cloneIr(t, v) };
}
