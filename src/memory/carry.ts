// Loop-carried locals (issue 9 item 4; docs/memory.md "Loop-carried locals").
// The body of an awaiting loop has a region per iteration (syntax/loops.ts),
// and a value stored into a variable declared before the loop is copied out:
// until now into the task's region, where a variable replaced on every
// iteration, or a collection cleared and refilled, left every old value until
// the task ended. Here a local declared before an awaiting loop, in the same
// block, and changed inside it is *carried*: the emitter keeps its value in a
// region of its own for the loop's run (the carry region), copies it there
// when the loop starts and back out when the loop ends, and at the start of
// an iteration, once the carry region holds twice what it held after the last
// copy, copies the carried locals into a fresh region and frees the old one
// (emit/carry.ts). No pointer into the carry region can be live there except
// the carried locals themselves: the previous iteration's locals are gone
// with its region, every store into older memory copies (rule 1), the loop
// is a statement of the block, so no enclosing expression holds one, and the
// region is never the current one, so nothing is allocated in it but the
// copies stored into the carried locals and their collections.
//
// A local is carried when
// - it is bound by a `let` or `var` of a plain name before the loop, in the
//   block that holds the loop or in a block enclosing it in the same body
//   (stop 29: the loop inside an `if`, a `region` block, another loop: each
//   awaiting loop on the way may carry it, and stores go to the innermost
//   one's carry region, whose values go back to the variable's region when
//   it ends), and its type holds heap memory but no function value, builder
//   or type parameter (a copy of a closure's environment or of a builder
//   would be seen by its other holders as a different value);
// - the loop's body assigns to it, calls a method that changes it (or a
//   path in it) or passes a collection in it to a function: a local only
//   read needs no carry; when it holds a collection, every `mut self` method
//   called on it is sharing-free (carry-sharing.ts: the method runs with the
//   carry region current, where a store of one field's collection into
//   another would make them share one);
// - no closure captures it, and a `for` loop being carried does not iterate
//   it (the loop keeps reading the collection it started with);
// - when its type holds a collection, its initialiser is fresh and nothing
//   between its declaration and the loop (including the enclosing statements
//   around the loop) makes a second holder of a collection in it
//   (carry-sharing.ts): no other holder can share the collection the loop's
//   copy-in replaces.

import type * as A from "../syntax/ast.js";
import { walkExpr } from "../syntax/walk.js";
import { walkNested } from "../syntax/nested.js";
import { fieldTypes, variantFields, type Type, type TypedProgram, type LocalVar } from "../check/types.js";
import { hasHeap } from "./regions.js";
import { MUTATORS } from "./borrow-roots.js";
import { Sharing, holdsCollection } from "./carry-sharing.js";

/** For each awaiting loop (its While or For statement) with carried locals: those locals. */
export type Carries = Map<A.Stmt, LocalVar[]>;

/** The implicit region block that is an awaiting loop's body (syntax/loops.ts), if the statement is such a loop. */
export function awaitingBody(s: A.Stmt): Extract<A.Expr, { kind: "RegionExpr" }> | null {
  if (s.kind !== "While" && s.kind !== "For") return null;
  const b = s.body.stmts;
  const x = b.length === 1 && b[0].kind === "ExprStmt" ? b[0].expr : null;
  return x?.kind === "RegionExpr" && x.implicit ? x : null;
}

export function findCarries(p: TypedProgram): Carries {
  const out: Carries = new Map();
  const captured = new Set<number>();
  for (const c of p.closures.values()) for (const v of c.captures) captured.add(v.id);
  const sharing = new Sharing(p);
  // The blocks enclosing the statement being visited, outermost first, each with the index of the statement in it
  // that holds the visit; a closure's body starts afresh (what it uses from outside is captured).
  type Frame = { b: A.Block; j: number };
  const consider = (s: A.Stmt, frames: Frame[]): void => {
    const ks: LocalVar[] = [];
    frames.forEach(({ b, j }, k) => {
      for (let i = 0; i < j; i++) {
        const d = b.stmts[i];
        if (d.kind !== "Let" || d.pattern.kind !== "PBind") continue;
        const v = p.patLocals.get(d.pattern);
        const changed = v && !captured.has(v.id) && carriable(v.type) ? changedIn(p, sharing, s, v) : false;
        if (!v || !changed) continue;
        if (s.kind === "For" && mentions(p, [s.iter], v)) continue;
        // A collection: given to the loop by no other holder. Its value is fresh, and nothing between its
        // declaration and the loop — the statements after it in its block, and the enclosing statements around
        // the loop (an outer loop's body runs again before the loop does) — makes a second holder.
        if (holdsCollection(v.type) && ((d.value && !sharing.fresh(d.value)) || !sharing.aliasFree([...b.stmts.slice(i + 1, j), ...(k < frames.length - 1 ? [b.stmts[j]] : [])], v, s))) continue;
        ks.push(v);
      }
    });
    if (ks.length) out.set(s, ks);
  };
  const visit = (n: unknown, frames: Frame[]): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) { for (const x of n) visit(x, frames); return; }
    const o = n as { kind?: string };
    if (o.kind === "Closure") { visit((n as Extract<A.Expr, { kind: "Closure" }>).body, []); return; }
    if (o.kind === "Block") {
      const b = n as A.Block;
      b.stmts.forEach((s, j) => {
        const fs = [...frames, { b, j }];
        if (awaitingBody(s)) consider(s, fs);
        visit(s, fs);
      });
      return;
    }
    for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "nameSpan") visit(v, frames);
  };
  // An awaiting loop only exists in an async body: an async function's, or an async closure's anywhere (in a sync
  // function, a global's initialiser), reached through the closures of the bodies that hold them.
  for (const f of p.fns) if (f.decl.body && !f.decl.extern) visit(f.decl.body, []);
  for (const g of p.globals) visit(g.decl.value, []);
  return out;
}

function isLocal(p: TypedProgram, e: A.Expr, v: LocalVar): boolean {
  const r = p.refs.get(e);
  return e.kind === "Ident" && r?.kind === "local" && r.v === v;
}

function mentions(p: TypedProgram, es: A.Expr[], v: LocalVar): boolean {
  let found = false;
  for (const e of es) walkExpr(e, (x) => { if (isLocal(p, x, v)) found = true; });
  return found;
}


/** The local a place or receiver path is rooted at (`a.b[i].c` -> `a`). */
function rootIs(p: TypedProgram, e: A.Expr, v: LocalVar): boolean {
  for (;;) {
    if (isLocal(p, e, v)) return true;
    if ((e.kind === "Field" && !p.refs.has(e)) || e.kind === "Index" || e.kind === "TupleIndex") { e = e.target; continue; }
    return false;
  }
}

/** Whether the loop's body assigns to v (or a path in it), calls a method that changes it, or passes a collection in
 *  it to a function. A `mut self` method called on it runs with the carry region current, where its stores are not
 *  copied: when v holds a collection, such a method must not be able to make two places share one
 *  (carry-sharing.ts sharingFree), or v is not carried. */
function changedIn(p: TypedProgram, sharing: Sharing, loop: A.Stmt, v: LocalVar): boolean {
  let changed = false, shares = false;
  walkNested((loop as Extract<A.Stmt, { kind: "While" }>).body, {
    stmt: (s) => { if (s.kind === "Assign" && rootIs(p, s.target, v)) changed = true; },
    expr: (e) => {
      const t = e.kind === "Call" ? p.calls.get(e) : undefined;
      const method = t?.kind === "method" && t.f.self?.kind === "mut";
      if (((t?.kind === "collection" && MUTATORS.has(t.name)) || method) && rootIs(p, t.recv!, v)) {
        changed = true;
        if (method && holdsCollection(v.type) && !sharing.sharingFree(t.f)) shares = true;
      }
      // A collection in it passed to a function, which may change it (`fill(batch)`, `await flush(batch)`).
      const callee = t?.kind === "fn" || t?.kind === "method" || t?.kind === "traitMethod" || t?.kind === "closure";
      if (callee && e.kind === "Call" && e.args.some((x) => rootIs(p, x, v) && holdsCollection(p.exprTypes.get(x) ?? { k: "error" }))) changed = true;
    },
  });
  return changed && !shares;
}

/** Heap memory to carry, and nothing whose copy its other holders would notice (functions, builders) or that is
 *  decided per instance (type parameters). */
function carriable(t: Type): boolean { return hasHeap(t) && plain(t, new Set()); }

function plain(t: Type, seen: Set<unknown>): boolean {
  switch (t.k) {
    case "int": case "float": case "bool": case "unit": case "string": case "task": return true;
    case "param": case "fn": case "builder": case "never": case "error": return false;
    case "optional": return plain(t.inner, seen);
    case "tuple": return t.elems.every((e) => plain(e, seen));
    case "vec": case "set": return plain(t.elem, seen);
    case "map": return plain(t.key, seen) && plain(t.val, seen);
    case "struct": case "enum": {
      if (seen.has(t.info)) return true;
      seen.add(t.info);
      const fts = t.k === "struct" ? fieldTypes(t).map((f) => f.type) : t.info.variants.flatMap((vr) => variantFields(t, vr).map((f) => f.type));
      return fts.every((ft) => plain(ft, seen));
    }
  }
}
