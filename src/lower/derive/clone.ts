// Derived deep copies (MEMORY.md): clone copies a value into the current
// region, sharing nothing that lives in a region; promote copies it into an
// older region (a store into long-lived memory). Values without region
// pointers are returned as they are.

import { fieldTypes, variantFields, type Type } from "../../check/types.js";
import { hasHeap } from "../../memory/regions.js";
import { Locals, assign, bin, call, exprStmt, int, local, ret, rt, type Expr, type Func, type Stmt } from "../ir.js";
import { spineField } from "./spine.js";

/** A deep copy of v (type t) in the current region. */
export function cloneExpr(t: Type, v: Expr): Expr {
  if (!hasHeap(t)) return v;
  if (t.k === "string") return rt("co_str_copy", v);
  return call({ c: "derive", kind: "clone", type: t }, v);
}

/** v deep-copied into region dst (older than the value's); no copy when dst is the current region. */
export function promoteExpr(dst: Expr, t: Type, v: Expr): Expr {
  if (!hasHeap(t)) return v;
  return call({ c: "derive", kind: "promote", type: t }, dst, v);
}

export function promoteFunc(t: Type): Func {
  const L = new Locals();
  const dst = L.make("dst", { k: "region" }), v = L.make("v", t);
  const saved = L.make("saved", { k: "region" }), r = L.make("r", t);
  const CUR: Expr = { e: "sym", name: "co_current" };
  return {
    name: { c: "derive", kind: "promote", type: t }, params: [dst, v], ret: t,
    body: [
      // Into global memory a store always copies, even while a `mut self` method runs there: global memory shares
      // nothing (rule 2). COLANG_NO_PROMOTE=1 (a debug switch) turns promotion off: the sanitizer must then
      // catch the corpora.
      { s: "if", cond: bin("||", bin("&&", bin("==", local(dst), CUR), bin("!=", local(dst), { e: "sym", name: "co_global" })), { e: "sym", name: "co_promote_off" }), then: [ret(local(v))], else_: [] },
      { s: "decl", l: saved, init: CUR },
      assign(CUR, local(dst)),
      { s: "decl", l: r, init: cloneExpr(t, local(v)) },
      assign(CUR, local(saved)),
      ret(local(r)),
    ],
  };
}

export function cloneFunc(t: Type): Func {
  const L = new Locals();
  const v = L.make("v", t), V = local(v);
  const body: Stmt[] = [];
  const copyField = (place: Expr, ft: Type) => { if (hasHeap(ft)) body.push(assign(place, cloneExpr(ft, place))); };
  switch (t.k) {
    case "struct":
      for (const f of fieldTypes(t)) copyField({ e: "field", of: V, name: f.name }, f.type);
      body.push(ret(V));
      break;
    case "tuple":
      t.elems.forEach((e, i) => copyField({ e: "elem", of: V, i }, e));
      body.push(ret(V));
      break;
    case "optional":
      if (hasHeap(t.inner)) body.push({ s: "if", cond: { e: "has", of: V }, then: [assign({ e: "val", of: V }, cloneExpr(t.inner, { e: "val", of: V }))], else_: [] });
      body.push(ret(V));
      break;
    case "enum": {
      // `slot` points at the value being copied: first v itself, then, down a
      // spine (spine.ts), the last field of the box just copied, so a list is
      // copied in a loop, each new box linked where the old one was.
      const slot = L.make("slot", { k: "ptr", to: t }), S: Expr = { e: "deref", p: local(slot) };
      const spine = t.info.variants.some((vr) => spineField(t, vr) >= 0);
      const cases = t.info.variants.filter((vr) => vr.fields.length).map((vr) => {
        const fs = variantFields(t, vr);
        const last = spineField(t, vr);
        const out: Stmt[] = [];
        if (t.info.recursive) {
          // A boxed payload: a new box in the current region, then its fields copied.
          const b = L.make("b", { k: "ptr", to: { k: "payload", type: t, variant: vr.index } });
          const box: Expr = { e: "box", of: S, type: t, variant: vr.index };
          out.push({ s: "decl", l: b, init: rt("co_alloc", { e: "sizeofDeref", p: local(b) }) });
          out.push(assign({ e: "deref", p: local(b) }, { e: "deref", p: box }));
          fs.forEach((f, i) => { if (hasHeap(f.type) && i !== last) { const p: Expr = { e: "arrow", p: local(b), field: `f${i}` }; out.push(assign(p, cloneExpr(f.type, p))); } });
          out.push(assign(box, local(b)));
          if (last >= 0) {
            out.push(assign(local(slot), { e: "addr", of: { e: "arrow", p: local(b), field: `f${last}` } }), { s: "continue" });
            return { v: vr.index, body: out };
          }
        } else {
          fs.forEach((f, i) => {
            if (!hasHeap(f.type)) return;
            const p: Expr = { e: "payload", of: S, type: t, variant: vr.index, i };
            out.push(assign(p, cloneExpr(f.type, p)));
          });
        }
        out.push({ s: "break" });
        return { v: vr.index, body: out };
      });
      const sw: Stmt = { s: "switch", on: { e: "tag", of: S, type: t }, cases, default_: [{ s: "break" }] };
      body.push({ s: "decl", l: slot, init: { e: "addr", of: V } });
      body.push(spine ? { s: "loop", body: [sw, { s: "break" }] } : sw, ret(V));
      break;
    }
    case "vec": {
      if (!hasHeap(t.elem)) { body.push(ret(call({ c: "coll", op: "from", type: t }, { e: "arrow", p: V, field: "data" }, { e: "len", of: V }))); break; }
      const r = L.make("r", t), i = L.make("i", { k: "int", name: "i64" }), I = local(i);
      body.push({ s: "decl", l: r, init: call({ c: "coll", op: "with_cap", type: t }, { e: "len", of: V }) });
      body.push({
        s: "for", l: i, from: int(0), cond: bin("<", I, { e: "len", of: V }), next: bin("+", I, int(1)),
        body: [exprStmt(call({ c: "coll", op: "push", type: t }, local(r), cloneExpr(t.elem, { e: "at", of: V, i: I })))],
      });
      body.push(ret(local(r)));
      break;
    }
    case "map": case "set": {
      const r = L.make("r", t), it = L.make("it", { k: "int", name: "i64" }), IT = local(it);
      const key = cloneExpr(t.k === "map" ? t.key : t.elem, { e: "deref", p: call({ c: "coll", op: "key", type: t }, V, IT) });
      const add = t.k === "map"
        ? call({ c: "coll", op: "set", type: t }, local(r), key, cloneExpr(t.val, { e: "deref", p: call({ c: "coll", op: "val", type: t }, V, IT) }))
        : call({ c: "coll", op: "insert", type: t }, local(r), key);
      body.push({ s: "decl", l: r, init: call({ c: "coll", op: "new", type: t }) });
      body.push({
        s: "for", l: it, from: call({ c: "coll", op: "next", type: t }, V, int(0)), cond: bin(">=", IT, int(0)),
        next: call({ c: "coll", op: "next", type: t }, V, bin("+", IT, int(1))), body: [exprStmt(add)],
      });
      body.push(ret(local(r)));
      break;
    }
    case "builder": {
      const r = L.make("r", t);
      body.push({ s: "decl", l: r, init: rt("co_sb_new") }, exprStmt(rt("co_sb_str", local(r), rt("co_sb_snapshot", V))), ret(local(r)));
      break;
    }
    case "fn":
      // A closure's environment is copied by the clone function it starts with (closures.ts writes it).
      body.push({ s: "if", cond: { e: "env", of: V }, then: [assign({ e: "env", of: V }, { e: "envClone", fnv: V })], else_: [] }, ret(V));
      break;
    default: throw new Error(`internal: derived clone of ${t.k}`);
  }
  return { name: { c: "derive", kind: "clone", type: t }, params: [v], ret: t, body };
}
