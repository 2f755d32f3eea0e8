// Derived deep copies (MEMORY.md): clone copies a value into the current
// region, sharing nothing that lives in a region; promote copies it into an
// older region (a store into long-lived memory). Values without region
// pointers are returned as they are.

import { fieldTypes, variantFields, type Type } from "../../check/types.js";
import { hasHeap, looksInside } from "../../memory/regions.js";
import { Locals, assign, bin, call, exprStmt, int, local, ret, rt, type Expr, type Func, type Stmt } from "../ir.js";
import { spineField } from "./spine.js";
import { eachPart } from "./parts.js";

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
  const dst = L.make("dst", { k: "region" }), v = L.make("v", t), V = local(v), D = local(dst);
  const CUR: Expr = { e: "sym", name: "co_current" };
  // Into global memory a store always copies, even while a `mut self` method runs there: global memory shares
  // nothing (rule 2). COLANG_NO_PROMOTE=1 (a debug switch) turns promotion off: the sanitizer must then
  // catch the corpora.
  const body: Stmt[] = [{ s: "if", cond: bin("||", bin("&&", bin("==", D, CUR), bin("!=", D, { e: "sym", name: "co_global" })), { e: "sym", name: "co_promote_off" }), then: [ret(V)], else_: [] }];
  // The copy into dst: a clone made with dst current.
  const copy = (): Stmt[] => {
    const saved = L.make("saved", { k: "region" }), r = L.make("r", t);
    return [{ s: "decl", l: saved, init: CUR }, assign(CUR, D), { s: "decl", l: r, init: cloneExpr(t, V) }, assign(CUR, local(saved)), ret(local(r))];
  };
  // What already lives in dst stays as it is (docs/memory.md, "Promotion keeps what already lives in the
  // destination"): a collection or builder that dst owns (its header says so; rule 1: all it reaches is then in dst
  // or older) is shared, as a store into the current region shares it, unless dst is global memory or a carry
  // region (co_region_keeps). Structs, tuples, optionals and enums with inline payloads are decided field by field,
  // so storing back a struct read from a collection copies its numbers and strings, not its vectors. What carries
  // no owner (strings, closures, boxed enums) is copied.
  const part = (place: Expr, ft: Type): Stmt[] => (hasHeap(ft) ? [assign(place, promoteExpr(D, ft, place))] : []);
  const inside = looksInside(t, new Set(), true) && t.k !== "string";
  const parts = inside ? eachPart(t, V, part) : null;
  if (parts) { body.push(...parts, ret(V)); return fn(); }
  if (inside && (t.k === "vec" || t.k === "map" || t.k === "set" || t.k === "builder")) {
    body.push({ s: "if", cond: rt("co_region_keeps", { e: "arrow", p: V, field: "owner" }, D), then: [ret(V)], else_: [] }, ...copy());
    return fn();
  }
  // A string that is exactly one of dst's append tails lies in dst already: kept, so that a store-back whose
  // string grew by `+=` there (statements.ts, storeback.ts appends) does not copy it per store (issue 9, mem13).
  if (t.k === "string") body.push({ s: "if", cond: rt("co_str_keeps", D, V), then: [ret(V)], else_: [] });
  body.push(...copy());
  return fn();
  function fn(): Func { return { name: { c: "derive", kind: "promote", type: t }, params: [dst, v], ret: t, body }; }
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
