// The collection operations that are one generated function per collection
// type (and closure or argument type): the Vec helpers find, findIndex, any,
// all, reduce, fold, sum, min, max, minBy, maxBy, dedup, chunks, zip, take,
// skip (check/helpers.ts types them); the Vec methods contains/indexOf, join,
// enumerate, map, filter and sortBy's comparator; a Map's or Set's keys and
// values; and `m[k]` (a pointer to the value, panicking when k is missing).
// Each is built here as an IR function, most one loop; the printer names it
// (emit/names.ts collFnName) and writes it. Results are new vecs in
// the current region, like `filter`. A closure argument may change the vec it
// is called on (a push through an alias moves the buffer): the loops re-read
// `v->len` and `v->data` after every call and copy the element into a local
// before calling.

import { T, type Type } from "../check/types.js";
import {
  Locals, assign, bin, bool, call, cstr, exprStmt, int, local, not, ret, rt,
  type Callee, type CollFn, type Expr, type Func, type IrType, type Local, type Stmt,
} from "./ir.js";

type VecT = Extract<Type, { k: "vec" }>;
type CollT = Extract<Type, { k: "vec" | "map" | "set" }>;
type FnT = Extract<Type, { k: "fn" }>;

/** What the builder needs from the emitter: `==` on two values of a type, and the statements appending a value's
 *  text to a builder (their derived functions scheduled). */
export interface CollFnHost {
  eq(t: Type, a: Expr, b: Expr): Expr;
  show(t: Type, sb: Expr, v: Expr, nested: boolean): Stmt[];
}

/** The callee of collection function op on collection type ct with argument types ats (the closures', zip's other vec). */
export function collFnCallee(op: CollFn, ct: CollT | Extract<Type, { k: "string" }>, ats: Type[]): Extract<Callee, { c: "collfn" }> {
  return { c: "collfn", op, on: ct, args: ats };
}

const INT: IrType = { k: "cint" };
const LINE = INT;
const FAIL: IrType = { k: "fail" };
const LONG: IrType = { k: "clong" };
const SB: IrType = { k: "sb" };

/** sortBy's C comparator (`int (*)(const T *, const T *, void *)`): the closure (of type ft) behind ctx, its
 *  result's sign. */
function comparator(vt: VecT, ft: Type): Func {
  const L = new Locals();
  const elem: IrType = { k: "ptr", to: vt.elem, const: true };
  const a = L.make("a", elem), b = L.make("b", elem), ctx = L.make("ctx", { k: "voidp" });
  const f = L.make("f", { k: "ptr", to: ft }), r = L.make("r", T.i64), R = local(r);
  return {
    name: { c: "collfn", op: "cmp", on: vt, args: [ft] }, params: [a, b, ctx], ret: INT,
    body: [
      { s: "decl", l: f, init: local(ctx) },
      { s: "decl", l: r, init: call({ c: "value", fn: { e: "deref", p: local(f) } }, { e: "deref", p: local(a) }, { e: "deref", p: local(b) }) },
      ret({ e: "cond", c: bin("<", R, int(0)), a: int(-1), b: { e: "cond", c: bin(">", R, int(0)), a: int(1), b: int(0) } }),
    ],
  };
}

/** A string method that builds a Vec (of type t): split (empty separator: the characters), lines, chars, bytes. */
function strFn(op: "split" | "lines" | "chars" | "bytes", t: VecT): Func {
  const L = new Locals();
  const s = L.make("s", T.string), S = local(s);
  const params = [s];
  const r = L.make("r", t), R = local(r);
  const ptr: Expr = { e: "strPtr", of: S }, slen: Expr = { e: "strLen", of: S };
  const push = (x: Expr): Stmt => exprStmt(call({ c: "coll", op: "push", type: t }, R, x));
  const piece = (from: Expr, n: Expr): Expr => ({ e: "strOf", ptr: bin("+", ptr, from), len: n });
  const decl = (l: Local, init: Expr | null): Stmt => ({ s: "decl", l, init });
  /** each character (a UTF-8 sequence) of s pushed */
  const chars = (): Stmt[] => {
    const i = L.make("i", T.i64), I = local(i), n = L.make("n", T.i64), N = local(n);
    return [{ s: "block", body: [decl(i, int(0)), { s: "while", cond: bin("<", I, slen), body: [
      decl(n, rt("co_utf8_seq", bin("+", ptr, I), bin("-", slen, I))), push(piece(I, N)), assign(I, bin("+", I, N)),
    ] }] }];
  };
  const body: Stmt[] = [];
  switch (op) {
    case "split": {
      const sep = L.make("sep", T.string), SEP = local(sep);
      params.push(sep);
      const start = L.make("start", T.i64), ST = local(start), j = L.make("j", T.i64), J = local(j);
      body.push(
        decl(r, call({ c: "coll", op: "new", type: t })),
        { s: "if", cond: bin("==", { e: "strLen", of: SEP }, int(0)), then: [...chars(), ret(R)], else_: [] },
        decl(start, int(0)),
        { s: "loop", body: [
          decl(j, rt("co_str_find", piece(ST, bin("-", slen, ST)), SEP)),
          { s: "if", cond: bin("<", J, int(0)), then: [{ s: "break" }], else_: [], short: true },
          push(piece(ST, J)),
          assign(ST, bin("+", ST, bin("+", J, { e: "strLen", of: SEP }))),
        ] },
        push(piece(ST, bin("-", slen, ST))),
        ret(R),
      );
      break;
    }
    case "lines": {
      const start = L.make("start", T.i64), ST = local(start), i = L.make("i", T.i64), I = local(i), end = L.make("end", T.i64);
      const byte = (k: Expr): Expr => ({ e: "index", of: ptr, i: k });
      body.push(
        decl(r, call({ c: "coll", op: "new", type: t })),
        decl(start, int(0)),
        { s: "cfor", init: decl(i, int(0)), cond: bin("<", I, slen), step: { e: "inc", x: I }, body: [
          { s: "if", cond: bin("==", byte(I), int(10)), else_: [], then: [
            // a CR before the LF belongs to the line break
            decl(end, { e: "cond", c: bin("&&", bin(">", I, ST), bin("==", byte(bin("-", I, int(1))), int(13))), a: bin("-", I, int(1)), b: I }),
            push(piece(ST, bin("-", local(end), ST))),
            assign(ST, bin("+", I, int(1))),
          ] },
        ] },
        { s: "if", cond: bin("<", ST, slen), then: [push(piece(ST, bin("-", slen, ST)))], else_: [], short: true },
        ret(R),
      );
      break;
    }
    case "chars":
      body.push(decl(r, call({ c: "coll", op: "new", type: t })), ...chars(), ret(R));
      break;
    case "bytes": {
      const i = L.make("i", T.i64), I = local(i);
      body.push(
        decl(r, call({ c: "coll", op: "with_cap", type: t }, slen)),
        { s: "cfor", init: decl(i, int(0)), cond: bin("<", I, slen), step: { e: "inc", x: I }, short: true, body: [
          push({ e: "cast", to: T.int("u8"), x: { e: "index", of: ptr, i: I }, bare: true }),
        ] },
        ret(R),
      );
      break;
    }
  }
  return { name: { c: "collfn", op, on: T.string as Extract<Type, { k: "string" }>, args: [] }, params, ret: t, body };
}

/** keys/values of a map or set of type ct (a new vec of type t), or `m[k]`'s pointer to the value of key k. */
function mapFn(op: "keys" | "values" | "index", ct: Extract<Type, { k: "map" | "set" }>, t: Type, host: CollFnHost): Func {
  const L = new Locals();
  const m = L.make("m", ct), M = local(m);
  if (op === "index") {
    const mt = ct as Extract<Type, { k: "map" }>;
    const k = L.make("k", mt.key), file = L.make("file", { k: "cstr" }), line = L.make("line", INT), col = L.make("col", INT);
    const p = L.make("p", { k: "ptr", to: mt.val }), P = local(p);
    const sb = L.make("sb", SB), SBp: Expr = { e: "addr", of: local(sb), bare: true };
    const dot = (field: string): Expr => ({ e: "dot", of: local(sb), field });
    return {
      name: { c: "collfn", op, on: ct, args: [] }, params: [m, k, file, line, col], ret: { k: "ptr", to: mt.val },
      body: [
        { s: "decl", l: p, init: call({ c: "coll", op: "get", type: ct }, M, local(k)) },
        { s: "if", cond: { e: "unlikely", x: bin("==", P, { e: "null" }) }, else_: [], then: [
          { s: "decl", l: sb, init: null }, exprStmt(rt("co_sb_init", SBp)), ...host.show(mt.key, SBp, local(k), true),
          exprStmt(rt("co_panic_at", local(file), local(line), local(col), cstr("key %.*s not found in map"), { e: "cast", to: INT, x: dot("len") }, dot("buf"))),
        ] },
        ret(P),
      ],
    };
  }
  const it = L.make("it", T.i64), IT = local(it), r = L.make("r", t), R = local(r);
  const next = (from: Expr): Expr => call({ c: "coll", op: "next", type: ct }, M, from);
  const elem = call({ c: "coll", op: op === "keys" || ct.k === "set" ? "key" : "val", type: ct }, M, IT);
  return {
    name: { c: "collfn", op, on: ct, args: [] }, params: [m], ret: t,
    body: [
      { s: "decl", l: r, init: call({ c: "coll", op: "with_cap", type: t }, { e: "len", of: M }) },
      { s: "for", l: it, from: next(int(0)), cond: bin(">=", IT, int(0)), next: next(bin("+", IT, int(1))), body: [
        exprStmt(call({ c: "coll", op: "push", type: t }, R, { e: "deref", p: elem, bare: true })),
      ] },
      ret(R),
    ],
  };
}

/** The IR function of collection function op on collection type ct, with argument types ats, returning t. */
export function collFnFunc(op: CollFn, ct: CollT | Extract<Type, { k: "string" }>, t: Type, ats: Type[], host: CollFnHost): Func {
  if (ct.k === "string") return strFn(op as "split" | "lines" | "chars" | "bytes", t as VecT);
  if (op === "keys" || op === "values" || op === "index") return mapFn(op, ct as Extract<Type, { k: "map" | "set" }>, t, host);
  const L = new Locals();
  const vt = ct as VecT;
  const E = vt.elem;
  const v = L.make("v", vt);
  const params: Local[] = [v];
  const param = (name: string, ty: IrType): Expr => { const l = L.make(name, ty); params.push(l); return local(l); };
  const V = local(v);
  const len = (of: Expr): Expr => ({ e: "len", of });
  const at = (of: Expr, i: Expr): Expr => ({ e: "at", of, i });
  const has = (of: Expr): Expr => ({ e: "has", of });
  const val = (of: Expr): Expr => ({ e: "val", of });
  const coll = (ct: Type, o: "new" | "with_cap" | "push" | "from", ...args: Expr[]): Expr => call({ c: "coll", op: o, type: ct }, ...args);
  const decl = (l: Local, init: Expr | null): Stmt => ({ s: "decl", l, init });
  const i = L.make("i", T.i64);
  const I = local(i);
  /** for (int64_t i = 0; i < v->len; i++) { E x = v->data[i]; body(x) } */
  const loop = (body: (x: Expr) => Stmt[]): Stmt => {
    const x = L.make("x", E);
    return {
      s: "cfor", init: decl(i, int(0)), cond: bin("<", I, len(V)), step: { e: "inc", x: I },
      body: [decl(x, at(V, I)), ...body(local(x))],
    };
  };
  const shortIf = (cond: Expr, then: Stmt): Stmt => ({ s: "if", cond, then: [then], else_: [], short: true });
  /** A call of the function value f; a unit result is the byte 0. */
  const callF = (f: Expr, args: Expr[], r: Type): Expr => {
    const c = call({ c: "value", fn: f }, ...args);
    return r.k === "unit" || r.k === "never" ? { e: "paren", x: { e: "seq", first: c, then: { e: "cast", to: T.int("u8"), x: int(0, T.int("u8")), bare: true } } } : c;
  };
  const less = (ty: Type, a: Expr, b: Expr): Expr => rt(ty.k === "string" ? "CO_LESS_STR" : ty.k === "float" ? "CO_LESS_F64" : "CO_LESS", a, b);
  const fnRet = (ft: Type): Type => (ft as FnT).ret;
  const loc = (): Expr[] => [param("file", { k: "cstr" }), param("line", LINE), param("col", LINE)];
  const panic = (locs: Expr[], msg: string, n: Expr): Stmt => exprStmt(rt("co_panic_at", ...locs, cstr(msg), { e: "cast", to: LONG, x: n }));
  const body: Stmt[] = [];
  /** for (int64_t i = 0; i < v->len; i++) one statement */
  const shortLoop = (st: Stmt): Stmt => ({ s: "cfor", init: decl(i, int(0)), cond: bin("<", I, len(V)), step: { e: "inc", x: I }, short: true, body: [st] });
  switch (op) {
    case "indexOf": {
      const x = param("x", E);
      body.push(shortLoop(shortIf(host.eq(E, at(V, I), x), ret(I))), ret(int(-1)));
      break;
    }
    case "join": {
      const sep = param("sep", T.string);
      const sb = L.make("sb", SB), SBp: Expr = { e: "addr", of: local(sb), bare: true };
      body.push(decl(sb, null), exprStmt(rt("co_sb_init", SBp)), {
        s: "cfor", init: decl(i, int(0)), cond: bin("<", I, len(V)), step: { e: "inc", x: I },
        body: [shortIf(bin("!=", I, int(0)), exprStmt(rt("co_sb_str", SBp, sep))), ...host.show(E, SBp, at(V, I), false)],
      }, ret(rt("co_sb_finish", SBp)));
      break;
    }
    case "enumerate": {
      const r = L.make("r", t), R = local(r);
      const pair = (t as VecT).elem as Extract<Type, { k: "tuple" }>;
      body.push(decl(r, coll(t, "with_cap", len(V))), shortLoop(exprStmt(coll(t, "push", R, { e: "tuple", type: pair, elems: [I, at(V, I)] }))), ret(R));
      break;
    }
    case "map": case "filter": {
      const f = param("f", ats[0]);
      const r = L.make("r", t), R = local(r);
      const each: Stmt = op === "map"
        ? exprStmt(coll(t, "push", R, callF(f, [at(V, I)], fnRet(ats[0]))))
        : shortIf(callF(f, [at(V, I)], T.bool), exprStmt(coll(t, "push", R, at(V, I))));
      body.push(decl(r, op === "map" ? coll(t, "with_cap", len(V)) : coll(t, "new")), shortLoop(each), ret(R));
      break;
    }
    case "find": case "findIndex": case "any": case "all": {
      const f = param("f", ats[0]);
      const test = (x: Expr) => callF(f, [x], fnRet(ats[0]));
      if (op === "all") {
        body.push(loop((x) => [shortIf(not(test(x)), ret(bool(false)))]), ret(bool(true)));
        break;
      }
      const hit = (x: Expr): Expr => op === "find" ? { e: "some", t, x } : op === "findIndex" ? { e: "some", t, x: I } : bool(true);
      body.push(loop((x) => [shortIf(test(x), ret(hit(x)))]), ret(op === "any" ? bool(false) : { e: "none", t }));
      break;
    }
    case "reduce": {
      const f = param("f", ats[0]);
      const r = L.make("r", t), R = local(r);
      body.push(decl(r, { e: "none", t }), loop((x) => [{
        s: "if", cond: not(has(R)),
        then: [assign(has(R), bool(true)), assign(val(R), x)],
        else_: [assign(val(R), callF(f, [val(R), x], E))],
      }]), ret(R));
      break;
    }
    case "fold": {
      const acc = param("acc", t), f = param("f", ats[1]);
      body.push(loop((x) => [assign(acc, callF(f, [acc, x], t))]), ret(acc));
      break;
    }
    case "sum": {
      const ovf = E.k === "int" ? param("ovf", FAIL) : null;
      const s = L.make("s", E), S = local(s);
      const zero: Expr = E.k === "int" ? int(0, E) : { e: "lit", t: E, v: 0 };
      body.push(decl(s, zero), loop((x) => [assign(S, ovf ? rt(`co_add_${(E as { name: string }).name}`, S, x, ovf) : bin("+", S, x))]), ret(S));
      break;
    }
    case "min": case "max": {
      const r = L.make("r", t), R = local(r);
      body.push(decl(r, { e: "none", t }), loop((x) => [{
        s: "if", cond: bin("||", not(has(R)), op === "min" ? less(E, x, val(R)) : less(E, val(R), x)),
        then: [assign(has(R), bool(true)), assign(val(R), x)], else_: [],
      }]), ret(R));
      break;
    }
    case "minBy": case "maxBy": {
      const f = param("f", ats[0]);
      const K = fnRet(ats[0]);
      const r = L.make("r", t), R = local(r), best = L.make("best", K), B = local(best);
      body.push(decl(r, { e: "none", t }), decl(best, { e: "default", t: K }), loop((x) => {
        const k = L.make("k", K), Kx = local(k);
        return [decl(k, callF(f, [x], K)), {
          s: "if", cond: bin("||", not(has(R)), op === "minBy" ? less(K, Kx, B) : less(K, B, Kx)),
          then: [assign(has(R), bool(true)), assign(val(R), x), assign(B, Kx)], else_: [],
        }];
      }), ret(R));
      break;
    }
    case "dedup": {
      const r = L.make("r", vt), R = local(r);
      body.push(decl(r, coll(vt, "with_cap", len(V))), loop((x) => [shortIf(
        bin("||", bin("==", len(R), int(0)), not(host.eq(E, at(R, bin("-", len(R), int(1))), x))),
        exprStmt(coll(vt, "push", R, x)),
      )]), ret(R));
      break;
    }
    case "chunks": {
      const size = param("size", T.i64), locs = loc();
      const r = L.make("r", t), R = local(r), m = L.make("m", T.i64), M = local(m);
      const rest = bin("-", len(V), I);
      body.push(
        shortIf(bin("<=", size, int(0)), panic(locs, "chunks: size must be positive, got %lld", size)),
        decl(r, coll(t, "new")),
        decl(i, int(0)),
        { s: "while", cond: bin("<", I, len(V)), body: [
          decl(m, { e: "cond", c: bin("<", rest, size), a: rest, b: size }),
          exprStmt(coll(t, "push", R, coll(vt, "from", bin("+", { e: "arrow", p: V, field: "data" }, I), M))),
          assign(I, bin("+", I, M)),
        ] },
        ret(R),
      );
      break;
    }
    case "zip": {
      const w = ats[0] as VecT, W = param("w", w);
      const pair = (t as VecT).elem;
      const m = L.make("m", T.i64), M = local(m), r = L.make("r", t), R = local(r);
      body.push(
        decl(m, { e: "cond", c: bin("<", len(V), len(W)), a: len(V), b: len(W) }),
        decl(r, coll(t, "with_cap", M)),
        { s: "cfor", init: decl(i, int(0)), cond: bin("<", I, M), step: { e: "inc", x: I }, short: true, body: [
          exprStmt(coll(t, "push", R, { e: "tuple", type: pair as Extract<Type, { k: "tuple" }>, elems: [at(V, I), at(W, I)] })),
        ] },
        ret(R),
      );
      break;
    }
    case "take": case "skip": {
      const count = param("count", T.i64), locs = loc();
      const m = L.make("m", T.i64), M = local(m);
      const data: Expr = { e: "arrow", p: V, field: "data" };
      body.push(
        shortIf(bin("<", count, int(0)), panic(locs, `${op}: negative count %lld`, count)),
        decl(m, { e: "cond", c: bin("<", count, len(V)), a: count, b: len(V) }),
        ret(op === "take" ? coll(vt, "from", data, M) : coll(vt, "from", bin("+", data, M), bin("-", len(V), M))),
      );
      break;
    }
  }
  if (op === "cmp") return comparator(vt, ats[0]);
  // a unit result (fold over `()`) is the byte 0, as every unit value
  return { name: collFnCallee(op, vt, ats), params, ret: t.k === "unit" || t.k === "never" ? { k: "int", name: "u8" } : t, body };
}
