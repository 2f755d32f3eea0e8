// The helper functions the emitter generates around the program's own, built
// here as IR functions the printer writes (emit/print.ts) and names
// (emit/names.ts helperFnName):
//   - a closure environment's deep-copy and drop functions (emit/closures.ts):
//     an environment starts with pointers to both;
//   - the wrappers that make a named function a value (`fnv_`, and `afv_` of
//     an async one, which creates its frame): the closure calling convention,
//     the environment unused;
//   - the collection operations that drop what they remove from (or replace
//     in) a collection in global memory (emit/drops.ts: `setd_`, `deleted_`,
//     `insertd_`, `popd_`, `removed_`, `cleard_`);
//   - the cold path of `Result.unwrap()`/`expect(msg)` (emit/helpers.ts);
//   - the zero value of a recursive enum whose first variant has fields
//     (emit/zero.ts): its payload box allocated in the current region;
//   - the hash and equality functions a map or set instance is defined with;
//   - `co__make_main`, the future of an async `main` the runtime runs.

import { variantFields, type Type } from "../check/types.js";
import {
  Locals, assign, bin, bool, call, cstr, exprStmt, local, not, ret, rt,
  type Callee, type DroppingOp, type Expr, type Func, type IrType, type Local, type Stmt,
} from "./ir.js";

type CollT = Extract<Type, { k: "vec" | "map" | "set" }>;
type EnumT = Extract<Type, { k: "enum" }>;

/** What the builders need from the emitter: derived copies, drops, printing, hashing and equality of a type
 *  (their derived functions scheduled), and the zero value of a type (emit/zero.ts). */
export interface HelperFnHost {
  hasHeap(t: Type): boolean;
  clone(t: Type, v: Expr): Expr;
  drop(t: Type, v: Expr): Stmt[];
  show(t: Type, sb: Expr, v: Expr, nested: boolean): Stmt[];
  hash(t: Type, v: Expr): Expr;
  eq(t: Type, a: Expr, b: Expr): Expr;
  zero(t: Type): Expr;
}

const INT: IrType = { k: "cint" };
const GLOBAL: Expr = { e: "sym", name: "co_global" };
const decl = (l: Local, init: Expr | null): Stmt => ({ s: "decl", l, init });
/** Statements on one line of C (the drops the string emitter wrote as one line); none for none. */
const row = (ss: Stmt[]): Stmt[] => ss.length > 1 ? [{ s: "row", body: ss }] : ss;

/** The deep-copy (`clone`) or drop function of the environment of closure `closure` capturing values of types caps. */
export function envFunc(closure: string, part: "clone" | "drop", caps: Type[], host: HelperFnHost): Func {
  const L = new Locals();
  const envT: IrType = { k: "ptr", to: { k: "env", closure } };
  const e_ = L.make("e_", { k: "voidp" }), e = L.make("e", envT), E = local(e);
  const member = (p: Expr, i: number): Expr => ({ e: "arrow", p, field: `c${i}` });
  const body: Stmt[] = [decl(e, local(e_))];
  if (part === "clone") {
    const r = L.make("r", envT), R = local(r);
    // the copy's header word says where it lives (a promotion clones with co_global current) and holds nothing
    body.push(decl(r, rt("co_alloc", { e: "sizeofDeref", p: R })), assign({ e: "deref", p: R, bare: true }, { e: "deref", p: E, bare: true }), exprStmt(rt("co_env_init", R)));
    caps.forEach((t, i) => { if (host.hasHeap(t)) body.push(assign(member(R, i), host.clone(t, member(E, i)))); });
    body.push(ret(R));
  } else {
    caps.forEach((t, i) => { if (host.hasHeap(t)) body.push(...row(host.drop(t, member(E, i)))); });
    body.push(exprStmt(rt("co_gfree", E)));
  }
  return { name: { c: "envfn", closure, part }, params: [e_], ret: part === "clone" ? { k: "voidp" } : null, body };
}

/**
 * The wrapper making a named function a value: `fnv_F(void *env, A a0, ...)` calls F (`of`, an instance) with
 * the arguments; `afv_` of an async one (`of`: its frame's or extern's constructor) returns the new frame as a
 * `co_fut *`.
 */
export function wrapFunc(of: Callee, params: Type[], ret_: Type, async: boolean): Func {
  const L = new Locals();
  const env = L.make("env", { k: "voidp" });
  const args = params.map((t, i) => L.make(`a${i}`, t));
  const c = call(of, ...args.map(local));
  const body: Stmt[] = [{ s: "unused", x: local(env) }];
  if (async) body.push(ret({ e: "view", to: { k: "ptr", to: { k: "fut" } }, p: c, bare: true }));
  else body.push(ret_.k === "unit" || ret_.k === "never" ? exprStmt(c) : ret(c));
  return { name: { c: "wrap", of, async }, params: [env, ...args], ret: async ? { k: "ptr", to: { k: "fut" } } : ret_, body };
}

/**
 * A collection operation on ct that drops what it removes when the collection is in global memory (MEMORY.md
 * rule 2; emit/drops.ts): the same parameters as the operation. `set` (a map's): the old value and the copied
 * key, when the key is present; `clear`: the contents move to a detached header the drop queue frees a few
 * elements per step, so clearing a huge collection is O(1) in the loop turn.
 */
export function droppingFunc(op: DroppingOp, ct: CollT, host: HelperFnHost): Func {
  const L = new Locals();
  const E = ct.k === "map" ? ct.key : ct.elem;
  const coll = (o: "set" | "slot" | "delete" | "lookup" | "insert" | "pop" | "remove" | "clear", ...args: Expr[]): Expr => call({ c: "coll", op: o, type: ct }, ...args);
  const c = L.make(op === "insert" ? "s" : op === "pop" || op === "remove" ? "v" : op === "clear" ? "c" : "m", ct), C = local(c);
  const params: Local[] = [c];
  const param = (name: string, t: IrType): Expr => { const l = L.make(name, t); params.push(l); return local(l); };
  const owner: Expr = { e: "arrow", p: C, field: "owner" };
  const inGlobal = bin("==", owner, GLOBAL), notGlobal = bin("!=", owner, GLOBAL);
  const deref = (p: Expr): Expr => ({ e: "deref", p, bare: true });
  const body: Stmt[] = [];
  let result: IrType | null = T_BOOL;
  switch (op) {
    case "set": {
      const mt = ct as Extract<Type, { k: "map" }>;
      const K = param("k", mt.key), V = param("v", mt.val);
      const ins = L.make("ins", T_BOOL), p = L.make("p", { k: "ptr", to: mt.val }), P = local(p), old = L.make("old", mt.val);
      body.push(
        { s: "if", cond: notGlobal, then: [exprStmt(coll("set", C, K, V)), ret()], else_: [] },
        { s: "row", body: [decl(ins, null), decl(p, coll("slot", C, K, { e: "addr", of: local(ins), bare: true }))] },
        { s: "if", cond: local(ins), then: [assign(deref(P), V), ret()], else_: [] },
        { s: "row", body: [decl(old, deref(P)), assign(deref(P), V)] },
        ...row([...host.drop(mt.key, K), ...host.drop(mt.val, local(old))]),
      );
      result = null;
      break;
    }
    case "delete": {
      const K = param("k", E);
      const ent: IrType = { k: "entry", type: ct as Extract<Type, { k: "map" | "set" }> };
      const e = L.make("e", { k: "ptr", to: ent }), old = L.make("old", ent), O = local(old);
      body.push(
        { s: "if", cond: notGlobal, then: [ret(coll("delete", C, K))], else_: [], short: true },
        decl(e, coll("lookup", C, K)),
        { s: "if", cond: not(local(e)), then: [ret(bool(false))], else_: [], short: true },
        decl(old, deref(local(e))),
        exprStmt(coll("delete", C, K)),
        ...row([...host.drop(E, { e: "dot", of: O, field: "key" }), ...ct.k === "map" ? host.drop(ct.val, { e: "dot", of: O, field: "val" }) : []]),
        ret(bool(true)),
      );
      break;
    }
    case "insert": {
      const K = param("k", E);
      const r = L.make("r", T_BOOL);
      body.push(decl(r, coll("insert", C, K)), { s: "if", cond: bin("&&", not(local(r)), inGlobal), then: row(host.drop(E, K)), else_: [] }, ret(local(r)));
      break;
    }
    case "pop": {
      const out = param("out", { k: "ptr", to: E });
      const ok = L.make("ok", T_BOOL);
      body.push(decl(ok, coll("pop", C, out)), { s: "if", cond: bin("&&", local(ok), inGlobal), then: row(host.drop(E, { e: "deref", p: out })), else_: [] }, ret(local(ok)));
      break;
    }
    case "remove": {
      const i = param("i", { k: "int", name: "i64" }), file = param("file", { k: "cstr" }), line = param("line", INT), col = param("col", INT);
      const x = L.make("x", E);
      body.push(decl(x, coll("remove", C, i, file, line, col)), { s: "if", cond: inGlobal, then: row(host.drop(E, local(x))), else_: [] }, ret(local(x)));
      result = E;
      break;
    }
    case "clear": {
      const hdr: IrType = { k: "header", type: ct };
      const d = L.make("d", ct), D = local(d);
      const arrow = (field: string): Expr => ({ e: "arrow", p: C, field });
      const zeroes = (ct.k === "vec" ? ["data", "len", "cap"] : ["slots", "entries", "mask", "nent", "ecap", "len"])
        .map((f) => assign(arrow(f), f === "data" || f === "slots" || f === "entries" ? { e: "null" } : { e: "int", v: 0, t: { k: "int", name: "i64" } }));
      body.push(
        { s: "if", cond: notGlobal, then: [exprStmt(coll("clear", C)), ret()], else_: [] },
        exprStmt(rt(ct.k === "vec" ? "CO__VEC_PIN" : "CO__MAP_PIN", C, cstr("clear"))),
        decl(d, { e: "view", to: ct, bare: true, p: rt("co_region_alloc", GLOBAL, { e: "sizeof", t: hdr }, { e: "sizeof", t: hdr, align: true }) }),
        assign(deref(D), deref(C)),
        { s: "row", body: zeroes },
        ...row(host.drop(ct, D)),
      );
      result = null;
      break;
    }
  }
  return { name: { c: "dropping", op, type: ct }, params, ret: result, body };
}

const T_BOOL: Type = { k: "bool" };

/** The cold path of `Result.unwrap()`/`expect(msg)` on error type errT: panics at the caller's location with the
 *  message (or "unwrap() on Err") and, when errT has a text (`show`), the error's. */
export function unwrapFailFunc(errT: Type, shows: boolean, host: HelperFnHost): Func {
  const L = new Locals();
  const e = L.make("e", errT), hasMsg = L.make("has_msg", T_BOOL), msg = L.make("msg", { k: "string" });
  const file = L.make("file", { k: "cstr" }), line = L.make("line", INT), col = L.make("col", INT);
  const sb = L.make("sb", { k: "sb" }), SB: Expr = { e: "addr", of: local(sb), bare: true };
  return {
    name: { c: "unwrapFail", err: errT }, params: [e, hasMsg, msg, file, line, col], ret: null, noreturn: true,
    body: [
      { s: "row", body: [decl(sb, null), exprStmt(rt("co_sb_init", SB))] },
      { s: "if", cond: local(hasMsg), then: [exprStmt(rt("co_sb_str", SB, local(msg)))], else_: [exprStmt(rt("co_sb_cstr", SB, cstr("unwrap() on Err")))] },
      ...shows ? [exprStmt(rt("co_sb_cstr", SB, cstr(": "))), ...row(host.show(errT, SB, local(e), false))] : [{ s: "unused", x: local(e) } as Stmt],
      exprStmt(rt("co_panic_str_at", rt("co_sb_finish", SB), local(file), local(line), local(col))),
    ],
  };
}

/** The zero value of recursive enum t (its first variant has fields): the variant with a new box of zero values. */
export function zeroFunc(t: EnumT, host: HelperFnHost): Func {
  const L = new Locals();
  const b = L.make("b", { k: "ptr", to: { k: "payload", type: t, variant: 0 } }), B = local(b);
  return {
    name: { c: "zero", type: t }, params: [], ret: t,
    body: [
      decl(b, rt("co_alloc", { e: "sizeofDeref", p: B })),
      ...variantFields(t, t.info.variants[0]).map((f, i) => assign({ e: "arrow", p: B, field: `f${i}` }, host.zero(f.type))),
      ret({ e: "variant", type: t, variant: 0, fields: [], box: B }),
    ],
  };
}

/** The hash (`hk_K`) or equality (`ek_K`) function of key type k a map or set instance is defined with. */
export function keyFunc(kind: "hash" | "eq", k: Type, host: HelperFnHost): Func {
  const L = new Locals();
  if (kind === "hash") {
    const v = L.make("k", k);
    return { name: { c: "key", kind, type: k }, params: [v], ret: { k: "int", name: "u64" }, body: [ret(host.hash(k, local(v)))] };
  }
  const a = L.make("a", k), b = L.make("b", k);
  return { name: { c: "key", kind, type: k }, params: [a, b], ret: T_BOOL, body: [ret(host.eq(k, local(a), local(b)))] };
}

/** `co__make_main`: a new frame of the async `main` (ctor: its constructor) as the future the runtime runs. */
export function asyncMainFunc(ctor: Callee): Func {
  return {
    name: { c: "asyncMain", of: ctor }, params: [], ret: { k: "ptr", to: { k: "fut" } },
    body: [ret({ e: "addr", bare: true, of: { e: "arrow", p: call(ctor), field: "hdr" } })],
  };
}
