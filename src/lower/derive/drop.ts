// Derived drops (MEMORY.md rule 2): global memory is a tree of unique
// ownership, so a value replaced in or removed from it frees exactly what it
// owns. drop<T>(v) frees v's strings and builders (co_gfree) and hands each
// collection and boxed enum payload in it to the runtime's queue as a step
// function with a cursor (co_drop_defer): the queue runs when the loop turn
// ends, a few elements per step within a time budget, so a huge collection is
// freed over several turns and nothing recurses — a recursive enum's tail is
// a queued step of its own, so a long list is freed in a loop, not on the C
// stack. Values without region pointers have nothing to drop.

import { fieldTypes, variantFields, type Type } from "../../check/types.js";
import { hasHeap } from "../../memory/regions.js";
import { Locals, assign, bin, call, exprStmt, int, local, ret, rt, type Callee, type Expr, type Func, type Stmt } from "../ir.js";

/** Elements (or map entries) dropped per step of a collection. */
export const DROP_STEP_ELEMS = 64;

const I64: Type = { k: "int", name: "i64" };

/** Statements dropping v (type t): none when t owns nothing. */
export function dropStmts(t: Type, v: Expr): Stmt[] {
  if (!hasHeap(t)) return [];
  if (t.k === "string") return [exprStmt(rt("co_gfree_str", v))];
  return [exprStmt(call({ c: "derive", kind: "drop", type: t }, v))];
}

function stepRef(t: Type): Expr { return { e: "fnref", f: { c: "derive", kind: "dropStep", type: t } as Callee }; }

function defer(t: Type, p: Expr, i: Expr): Stmt {
  return exprStmt(rt("co_drop_defer", stepRef(t), { e: "cast", to: { k: "voidp" }, x: p }, i));
}

export function dropFunc(t: Type): Func {
  const L = new Locals();
  const v = L.make("v", t), V = local(v);
  const body: Stmt[] = [];
  switch (t.k) {
    case "struct":
      for (const f of fieldTypes(t)) body.push(...dropStmts(f.type, { e: "field", of: V, name: f.name }));
      break;
    case "tuple":
      t.elems.forEach((e, i) => body.push(...dropStmts(e, { e: "elem", of: V, i })));
      break;
    case "optional":
      body.push({ s: "if", cond: { e: "has", of: V }, then: dropStmts(t.inner, { e: "val", of: V }), else_: [] });
      break;
    case "enum": {
      const cases = t.info.variants.filter((vr) => vr.fields.length).map((vr) => {
        const out: Stmt[] = [];
        if (t.info.recursive) out.push(defer(t, { e: "box", of: V, type: t, variant: vr.index }, int(vr.index)));
        else variantFields(t, vr).forEach((f, i) => out.push(...dropStmts(f.type, { e: "payload", of: V, type: t, variant: vr.index, i })));
        out.push({ s: "break" });
        return { v: vr.index, body: out };
      }).filter((c) => c.body.length > 1);
      if (cases.length) body.push({ s: "switch", on: { e: "tag", of: V, type: t }, cases, default_: [{ s: "break" }] });
      break;
    }
    case "vec": case "map": case "set":
      body.push(defer(t, V, int(0)));
      break;
    case "builder":
      body.push(exprStmt(rt("co_gfree", { e: "arrow", p: V, field: "buf" })), exprStmt(rt("co_gfree", V)));
      break;
    case "fn":
      // A closure environment starts with its clone and drop functions (emit/closures.ts): the drop frees
      // what the closure captured and the environment itself.
      body.push(exprStmt(rt("co_env_drop", { e: "env", of: V })));
      break;
    default: throw new Error(`internal: derived drop of ${t.k}`);
  }
  body.push(ret());
  return { name: { c: "derive", kind: "drop", type: t }, params: [v], ret: null, body };
}

/** int64_t dropstep<T>(void *p, int64_t i): drops part of the object at p from cursor i, and returns the next
 *  cursor, or -1 once the object and its buffers are freed. For a recursive enum, p is a payload box and i its
 *  variant. */
export function dropStepFunc(t: Type): Func {
  const L = new Locals();
  const p = L.make("p", { k: "voidp" }), i = L.make("i", I64), P = local(p), I = local(i);
  const body: Stmt[] = [];
  const free = (x: Expr) => exprStmt(rt("co_gfree", x));
  switch (t.k) {
    case "vec": {
      const v = L.make("v", t), V = local(v);
      body.push({ s: "decl", l: v, init: { e: "cast", to: t, x: P } });
      if (hasHeap(t.elem)) {
        const n = L.make("n", I64), N = local(n), j = L.make("j", I64), J = local(j);
        const lim = bin("+", I, int(DROP_STEP_ELEMS));
        body.push({ s: "decl", l: n, init: { e: "cond", c: bin("<", lim, { e: "len", of: V }), a: lim, b: { e: "len", of: V } } });
        body.push({ s: "for", l: j, from: I, cond: bin("<", J, N), next: bin("+", J, int(1)), body: dropStmts(t.elem, { e: "at", of: V, i: J }) });
        body.push({ s: "if", cond: bin("<", N, { e: "len", of: V }), then: [ret(N)], else_: [] });
      }
      body.push(free({ e: "arrow", p: V, field: "data" }), free(V), ret(int(-1)));
      break;
    }
    case "map": case "set": {
      const m = L.make("m", t), M = local(m);
      body.push({ s: "decl", l: m, init: { e: "cast", to: t, x: P } });
      const kt = t.k === "map" ? t.key : t.elem;
      if (hasHeap(kt) || (t.k === "map" && hasHeap(t.val))) {
        const it = L.make("it", I64), IT = local(it), lim = L.make("lim", I64), k = L.make("k", I64);
        const next = (x: Expr) => call({ c: "coll", op: "next", type: t }, M, x);
        const each: Stmt[] = [...dropStmts(kt, { e: "deref", p: call({ c: "coll", op: "key", type: t }, M, IT) })];
        if (t.k === "map") each.push(...dropStmts(t.val, { e: "deref", p: call({ c: "coll", op: "val", type: t }, M, IT) }));
        each.push(assign(IT, next(bin("+", IT, int(1)))));
        body.push({ s: "decl", l: lim, init: bin("+", I, int(DROP_STEP_ELEMS)) });
        body.push({ s: "decl", l: it, init: next(I) });
        body.push({ s: "for", l: k, from: int(0), cond: bin("&&", bin(">=", IT, int(0)), bin("<", IT, local(lim))), next: bin("+", local(k), int(1)), body: each });
        body.push({ s: "if", cond: bin(">=", IT, int(0)), then: [ret(IT)], else_: [] });
      }
      body.push(free({ e: "arrow", p: M, field: "entries" }), free({ e: "arrow", p: M, field: "slots" }), free(M), ret(int(-1)));
      break;
    }
    case "enum": {
      const cases = t.info.variants.filter((vr) => vr.fields.length).map((vr) => {
        const b = L.make("b", { k: "ptr", to: { k: "payload", type: t, variant: vr.index } }), B = local(b);
        const out: Stmt[] = [{ s: "decl", l: b, init: { e: "cast", to: b.type, x: P } }];
        variantFields(t, vr).forEach((f, fi) => out.push(...dropStmts(f.type, { e: "arrow", p: B, field: `f${fi}` })));
        out.push(free(B), { s: "break" });
        return { v: vr.index, body: out };
      });
      body.push({ s: "switch", on: I, cases, default_: [{ s: "break" }] }, ret(int(-1)));
      break;
    }
    default: throw new Error(`internal: derived drop step of ${t.k}`);
  }
  return { name: { c: "derive", kind: "dropStep", type: t }, params: [p, i], ret: I64, body };
}
