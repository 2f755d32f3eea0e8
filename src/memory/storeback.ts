// Store-backs (tester round 11): an element read from a collection of a
// parameter (or of `self`), changed, and stored back into the same collection:
//
//   var a = self.groups[k]      // or self.groups.get(k)!, self.groups.get(k) ?? Stat { ... }
//   a.count += 1
//   a.samples.push(i)
//   self.groups[k] = a
//
// The borrow walk copies a part of a parameter stored into that parameter's
// memory (borrows.ts storeInto: the caller's struct may hold a borrow of
// global state in one part and its own collection in another, which would
// then hold the borrow). A store-back needs no such copy: the value comes
// from the collection it goes back into, so it holds nothing that collection
// did not hold, and whatever was stored into it since its read was decided
// at that store (the local holds a part of the parameter, so a store into it
// is a store into the parameter's memory). The copy was a deep copy of the
// element on every call, its old copy kept until the region ended: 16,384
// calls of such a `mut self` method held 2 GiB (docs/memory.md, "Storing an
// element back").
//
// Into a collection owned by global memory, such a store writes restore_T(old, v) (lower/derive/restore.ts):
// what is still the slot's (the same handle or string block at the same place) is kept, the rest copied and
// the old part dropped (issue 9, mem14).
//
// Syntactic, so that no flow state is needed: the collection is a path of
// fields from a parameter or local that nothing in the body assigns or calls
// a `mut self` method on (so it is the same collection at the read and the
// store), and the local read into is never assigned as a whole nor the
// receiver of a `mut self` method (whose stores from its arguments callers
// do not copy).

import type * as A from "../syntax/ast.js";
import { walkNested } from "../syntax/nested.js";
import { mutSelfReceiver } from "../check/captures.js";
import type { LocalVar, TypedProgram } from "../check/types.js";

/** The Assign statements of a function body (not of its closures) that store an element back (see above). */
export function storeBacks(p: TypedProgram, body: A.Block): Set<A.Stmt> {
  const lets = new Map<LocalVar, A.Expr>();
  const reassigned = new Set<LocalVar>();
  const written: A.Expr[] = []; // whole-value writes: Assign targets and `mut self` receivers
  const candidates: Extract<A.Stmt, { kind: "Assign" }>[] = [];
  const local = (e: A.Expr): LocalVar | null => { const r = e.kind === "Ident" ? p.refs.get(e) : undefined; return r?.kind === "local" ? r.v : null; };
  walkNested(body, {
    stmt: (s) => {
      if (s.kind === "Let" && s.pattern.kind === "PBind" && s.value) { const v = p.patLocals.get(s.pattern); if (v) lets.set(v, s.value); }
      if (s.kind !== "Assign") return;
      written.push(s.target);
      const v = local(s.target);
      if (v) reassigned.add(v);
      if (s.op === "=" && s.target.kind === "Index" && s.value.kind === "Ident") candidates.push(s);
    },
    expr: (e) => {
      const recv = e.kind === "Call" ? mutSelfReceiver(p.calls.get(e)) : null;
      if (!recv) return;
      written.push(recv);
      const v = rootLocal(p, recv);
      if (v) reassigned.add(v);
    },
  });
  const out = new Set<A.Stmt>();
  for (const s of candidates) {
    const target = s.target as Extract<A.Expr, { kind: "Index" }>;
    const coll = p.exprTypes.get(target.target)?.k;
    const v = local(s.value);
    const read = v && !reassigned.has(v) ? lets.get(v) : undefined;
    if ((coll !== "vec" && coll !== "map") || !read || !fieldPath(p, target.target)) continue;
    const from = readFrom(p, read);
    if (!from || !samePath(p, from, target.target)) continue;
    // Nothing in the body replaces the collection (or what holds it) between the read and the store.
    if (written.some((w) => fieldPath(p, w) && isPrefix(p, w, target.target))) continue;
    out.add(s);
  }
  return out;
}

/** The collection an element is read from: `c[k]`, `c.get(k)!`, `c.get(k) ?? literal`; null for anything else. */
function readFrom(p: TypedProgram, e: A.Expr): A.Expr | null {
  if (e.kind === "Index") return e.target;
  const get = (x: A.Expr): A.Expr | null => {
    const t = x.kind === "Call" ? p.calls.get(x) : undefined;
    return t?.kind === "collection" && t.name === "get" && t.recv ? t.recv : null;
  };
  if (e.kind === "Unwrap") return get(e.operand);
  // The default is made here: it points into nothing (no name, no call).
  if (e.kind === "Binary" && e.op === "??" && literal(e.right)) return get(e.left);
  return null;
}

function literal(e: A.Expr): boolean {
  switch (e.kind) {
    case "IntLit": case "FloatLit": case "BoolLit": case "NoneLit": return true;
    case "StrLit": return e.parts.every((x) => x.kind !== "interp");
    case "StructLit": return e.fields.every((f) => literal(f.value));
    case "TupleLit": case "VecLit": return e.elems.every(literal);
    case "MapLit": return e.entries.every((x) => literal(x.key) && literal(x.value));
    default: return false;
  }
}

/** Whether e is a local (or parameter) followed by fields and tuple fields only. */
function fieldPath(p: TypedProgram, e: A.Expr): boolean {
  if (e.kind === "Ident") return p.refs.get(e)?.kind === "local";
  if (e.kind === "Field") return !p.refs.has(e) && fieldPath(p, e.target);
  if (e.kind === "TupleIndex") return fieldPath(p, e.target);
  return false;
}

function samePath(p: TypedProgram, a: A.Expr, b: A.Expr): boolean {
  if (a.kind === "Ident" && b.kind === "Ident") { const x = p.refs.get(a), y = p.refs.get(b); return x?.kind === "local" && y?.kind === "local" && x.v === y.v; }
  if (a.kind === "Field" && b.kind === "Field") return a.name === b.name && samePath(p, a.target, b.target);
  if (a.kind === "TupleIndex" && b.kind === "TupleIndex") return a.index === b.index && samePath(p, a.target, b.target);
  return false;
}

/** Whether the field path w is path e or a path e goes through. */
function isPrefix(p: TypedProgram, w: A.Expr, e: A.Expr): boolean {
  for (let x: A.Expr = e; ; x = (x as { target: A.Expr }).target) {
    if (samePath(p, w, x)) return true;
    if (x.kind !== "Field" && x.kind !== "TupleIndex") return false;
  }
}

/** The local at the root of a place (`a` in `a.items[0].x`). */
function rootLocal(p: TypedProgram, e: A.Expr): LocalVar | null {
  for (;;) {
    if (e.kind === "Ident") { const r = p.refs.get(e); return r?.kind === "local" ? r.v : null; }
    if ((e.kind === "Field" && !p.refs.has(e)) || e.kind === "Index" || e.kind === "TupleIndex") { e = e.target; continue; }
    if (e.kind === "Unwrap") { e = e.operand; continue; }
    return null;
  }
}

/**
 * `a.log += piece` (a string field, through fields only) on the local a of a store-back: the Assign mapped to the
 * collection the element goes back into. The emitter appends such a piece straight into that collection's region
 * (co_str_append_in on its owner, not global memory), where the store-back would copy the whole string on every
 * store (strings carry no owner); the store's promotion then keeps the string, one of the region's append tails
 * (co_str_keeps). Each store then costs the piece, not the string (issue 9, mem13). Sound whatever path is taken:
 * the collection is the same one at the read and the store (storeBacks), and its region is the current one or
 * older, so the string lives at least as long as the local; where the local is not stored back, its string is
 * merely kept in that region rather than in the current one.
 */
export function storeBackAppends(p: TypedProgram, body: A.Block): Map<A.Stmt, A.Expr> {
  const into = new Map<LocalVar, A.Expr>();
  for (const s of storeBacks(p, body)) {
    const st = s as Extract<A.Stmt, { kind: "Assign" }>;
    const r = st.value.kind === "Ident" ? p.refs.get(st.value) : undefined;
    if (r?.kind === "local" && !into.has(r.v)) into.set(r.v, (st.target as Extract<A.Expr, { kind: "Index" }>).target);
  }
  const out = new Map<A.Stmt, A.Expr>();
  if (!into.size) return out;
  walkNested(body, {
    stmt: (s) => {
      if (s.kind !== "Assign" || s.op !== "+=" || s.target.kind !== "Field" || p.exprTypes.get(s.target)?.k !== "string") return;
      let e: A.Expr = s.target;
      while ((e.kind === "Field" && !p.refs.has(e)) || e.kind === "TupleIndex") e = e.target;
      const r = e.kind === "Ident" ? p.refs.get(e) : undefined;
      const coll = r?.kind === "local" ? into.get(r.v) : undefined;
      if (coll) out.set(s, coll);
    },
  });
  return out;
}

