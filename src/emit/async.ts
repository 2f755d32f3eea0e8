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

import { assign, bool, exprStmt, int, ret, rt, type Callee, type Expr, type Func, type IrType, type Local, type Stmt } from "../lower/ir.js";
import { irCType, printFunc } from "./print.js";
import { wrapFunc } from "../lower/helper-fns.js";
import type * as A from "../syntax/ast.js";
import { subst, T, type Type, type FnInfo, type LocalVar, type TypedProgram, type TypeParamInfo } from "../check/types.js";
import { cType, cRet, frameType, resultViewName } from "./names.js";
import { membersToZero } from "./frame-zero.js";

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
  /** Every frame's constructor and poll function as IR (for `coc dump --stage=ir`). */
  frames: Func[];
  /** The C name of a function instance. */
  called(f: FnInfo, typeArgs: Type[], unchecked?: boolean): string;
}

/** What the async lowering needs from the emitter of one body. */
export interface AsyncBody {
  em: AsyncEmitter;
  typed: TypedProgram;
  asyncMode: boolean;
  resumes: number;
  frame: Map<string, string>;
  /** The body's IR statements (emit/body.ts), for the poll function that holds them. */
  finished(): Stmt[];
  emit(s: Stmt): void;
  assign(to: string, v: string): void;
  shortIf(cond: string, s: Stmt): void;
  newTmp(): string;
  decl(ct: string, ref: string): string;
  declare(ct: string, ref: string, init: string | Expr): void;
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
  const n = resultViewName(ret);
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
  params: Member[];
  /** The body, already emitted in async mode. */
  body: AsyncBody;
  /** A constructor NAME returning `co_fut *` (closures, tests) instead of `F_NAME *NAME_new(params)`: its leading
   *  parameters (a closure's environment), the statements after the frame's allocation, more frame members. */
  futCtor?: { params: Member[]; prelude: Stmt[]; members?: Member[]; held?: boolean };
}

/** A parameter or capture stored into the frame member of its name: its C type, and its IR type (a Colang type, or `void *`). */
export interface Member { cname: string; ct: string; t: IrType }

const ctype = (c: string): IrType => ({ k: "ctype", c });
const cLocal = (name: string, c: string): Local => ({ id: 0, name, type: ctype(c) });

/**
 * Builds the frame of an async body: the struct (its members are the
 * parameters and every local and temporary the body declared), the
 * constructor (allocates the frame in the current region and stores the
 * arguments) and the poll function (dispatch to the recorded resume point,
 * the body, done) as IR functions; records them for `coc dump --stage=ir`
 * and returns their C definitions.
 */
export function emitFrame(em: AsyncEmitter, s: FrameSpec): string {
  const F = frameType(s.name);
  const unit = s.ret.k === "unit" || s.ret.k === "never";
  const stored = new Set([...s.params, ...(s.futCtor?.members ?? [])].map((p) => p.cname));
  const members: Local[] = [
    cLocal("hdr", "co_fut"),
    ...(unit ? [] : [cLocal("result", cType(s.ret))]),
    cLocal("st", "int32_t"), cLocal("rg", "co_region *"),
    ...[...s.params, ...(s.futCtor?.members ?? [])].map((p) => cLocal(p.cname, p.ct)),
    ...[...s.body.frame].filter(([n]) => !stored.has(n)).map(([n, ct]) => cLocal(n, ct)),
  ];
  em.frameTypedefs.push(`typedef struct ${F} ${F};`);
  em.frameDefs.push(`struct ${F} {\n${members.map((m) => `  ${irCType(m.type)} ${m.name};`).join("\n")}\n};`);
  const FT: IrType = { k: "frame", name: s.name };
  const fr: Local = { id: 0, name: "F", type: { k: "ptr", to: FT } }, FV: Expr = { e: "local", l: fr };
  const param = (p: Member): Local => ({ id: 0, name: p.cname, type: p.t });
  const params = s.params.map(param);
  // Zeroed but for the parameters and captures, which the constructor stores
  // at once (they follow `rg` and come before the body's members): a frame
  // is mostly its parameters (an http.Request is 80 bytes), and a smaller
  // memset is a few stores where the whole one became `rep stos`.
  // Of the body's members, only those the poll function may read before it
  // writes them (frame-zero.ts), in runs of neighbours: one memset each.
  const storedList = [...s.params, ...(s.futCtor?.members ?? [])];
  const rest = [...s.body.frame].filter(([n]) => !stored.has(n)).map(([n]) => n);
  const body = s.body.finished();
  const need = membersToZero(body, rest);
  const size: Expr = { e: "sizeofDeref", p: FV };
  const offset = (field: string): Expr => ({ e: "offsetof", t: FT, field });
  const first = storedList[0]?.cname ?? rest[0];
  const zero: Stmt[] = [exprStmt(rt("memset", FV, int(0), first === undefined ? size : offset(first)))];
  for (let i = 0; i < rest.length; i++) {
    if (!need.has(rest[i])) continue;
    let j = i;
    while (j + 1 < rest.length && need.has(rest[j + 1])) j++;
    const end: Expr = j + 1 < rest.length ? offset(rest[j + 1]) : size;
    zero.push(exprStmt(rt("memset", { e: "addr", of: { e: "arrow", p: FV, field: rest[i] } }, int(0), { e: "bin", op: "-", l: end, r: offset(rest[i]) })));
    i = j;
  }
  const alloc: Stmt[] = [
    { s: "decl", l: fr, init: rt("co_alloc", { e: "sizeofDeref", p: FV }) },
    ...zero,
    assign({ e: "dot", of: { e: "arrow", p: FV, field: "hdr" }, field: "poll" }, { e: "fnref", f: { c: "frame", name: s.name, part: "poll" } }),
    ...params.map((p) => assign({ e: "arrow", p: FV, field: p.name }, { e: "local", l: p })),
  ];
  const ctor: Func = s.futCtor
    ? { name: { c: "frame", name: s.name, part: "fut" }, params: [...s.futCtor.params.map(param), ...params], ret: { k: "ptr", to: { k: "fut" } },
        body: [...alloc, ...s.futCtor.prelude, ret({ e: "addr", of: { e: "arrow", p: FV, field: "hdr" } })] }
    : { name: { c: "frame", name: s.name, part: "new" }, params, ret: fr.type, body: [...alloc, ret(FV)] };
  const F_: Local = { id: 0, name: "F_", type: { k: "voidp" } };
  const poll: Func = {
    name: { c: "frame", name: s.name, part: "poll" }, params: [F_], ret: T.bool,
    body: [{ s: "decl", l: fr, init: { e: "local", l: F_ } }, { s: "dispatch", resumes: s.body.resumes }, ...body,
      assign({ e: "arrow", p: FV, field: "st" }, int(-1)), ret(bool(true))],
  };
  const ctx = { instance: (f: FnInfo, args: Type[], unchecked?: boolean) => em.called(f, args, unchecked) };
  const funcs = [ctor, poll, ...s.futCtor?.held ? [heldPoll(s.name, fr)] : []];
  const printed = funcs.map((f) => printFunc(f, ctx));
  em.frameProtos.push(...printed.map((x) => `${x.proto};`));
  em.frames.push(...funcs);
  return printed.map((x) => x.def).join("");
}

/**
 * The poll function of an async closure's frame that holds its environment in global memory (the constructor
 * sets it in place of NAME_poll when co_env_hold gave a hold: env_hold.c): polls the frame, and releases the
 * hold once it completed (a panic or cancel ends the hold with the task).
 */
function heldPoll(name: string, fr: Local): Func {
  const F_: Local = { id: 0, name: "F_", type: { k: "voidp" } }, d: Local = { id: 0, name: "d", type: T.bool };
  const FV: Expr = { e: "local", l: fr };
  return {
    name: { c: "frame", name, part: "held" }, params: [F_], ret: T.bool,
    body: [{ s: "decl", l: d, init: { e: "call", f: { c: "frame", name, part: "poll" }, args: [{ e: "local", l: F_ }] } },
      { s: "if", cond: { e: "local", l: d }, then: [{ s: "decl", l: fr, init: { e: "local", l: F_ } }, exprStmt(rt("co_env_release", { e: "arrow", p: FV, field: "hold_" }))], else_: [] },
      ret({ e: "local", l: d })],
  };
}

/** A frame member holding a parameter or capture: its C type. */
export function memberOf(v: LocalVar, t: Type): Member {
  return { cname: v.cname, ct: cType(t), t };
}

/** The wrapper that makes a named async function (or an instance of a generic one) a value: it creates the frame in the current region. */
export function asyncFnValue(em: AsyncEmitter & { irFunc(name: Callee, build: () => Func): string }, f: FnInfo, typeArgs: Type[], inst: string): Expr {
  const sub = new Map(f.typeParams.map((p, i) => [p, typeArgs[i]] as [TypeParamInfo, Type]));
  const ps = f.params.map((p) => subst(p.type, sub));
  const ft: Extract<Type, { k: "fn" }> = { k: "fn", params: ps, ret: subst(f.ret, sub), async: true };
  em.defineType(ft);
  // the frame's constructor (an extern's: std's C symbol)
  const ctor: Callee = f.decl.extern ? { c: "extern", f, part: "new" } : { c: "frame", name: inst, part: "new" };
  const w: Callee = { c: "wrap", of: ctor, async: true };
  em.irFunc(w, () => wrapFunc(ctor, ps, ft.ret, true));
  return { e: "fnValue", t: ft, fn: w, env: { e: "null" } };
}

/** The C function-pointer member of a function value type: `R (*fn)(void *, A...)`, or for an async one `co_fut *(*fn)(void *, A...)`. */
export function fnPointer(t: Extract<Type, { k: "fn" }>): string {
  return `${t.async ? "co_fut *" : cRet(t.ret)} (*fn)(void *${t.params.map((p) => ", " + cType(p)).join("")})`;
}
