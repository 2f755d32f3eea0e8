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
// - no closure made outside the loop captures a collection in it (mem15:
//   closures capture by value; one made inside dies with the iteration or is
//   copied where it is stored; mem17: one made outside is another holder of
//   its vec's header, and the vec may still move, below), and a `for` loop
//   being carried does not iterate it (the loop keeps reading the collection
//   it started with);
// - when its type holds a collection, its initialiser is fresh and nothing
//   between its declaration and the loop (including the enclosing statements
//   around the loop, but not what runs after the loop within an enclosing
//   awaiting iteration) makes a second holder of a collection in it
//   (carry-sharing.ts): no other holder can share the collection the loop's
//   copy-in replaces. A parameter (mem15) counts as declared before the
//   body's first statement, with a fresh value when every caller hands its
//   collection over (carry-handover.ts).

import type * as A from "../syntax/ast.js";
import { walkExpr } from "../syntax/walk.js";
import { walkNested } from "../syntax/nested.js";
import { fieldTypes, variantFields, type FnInfo, type Type, type TypedProgram, type LocalVar } from "../check/types.js";
import { hasHeap } from "./regions.js";
import { MUTATORS } from "./borrow-roots.js";
import { Sharing, holdsCollection } from "./carry-sharing.js";
import { Handover } from "./carry-handover.js";

/** For each awaiting loop (its While or For statement) with carried locals: those locals. */
export type Carries = Map<A.Stmt, LocalVar[]>;

/** A carried collection that a parameter's callers hand over (carry-handover.ts): the parameter itself, or a local
 *  initialised by it. The loop's copy-in is then the one copy that makes it the loop's own (`--explain-copies`). */
export interface Handed { loop: A.Stmt; local: LocalVar; param: LocalVar; fn: string }

/** The implicit region block that is an awaiting loop's body (syntax/loops.ts), if the statement is such a loop. */
export function awaitingBody(s: A.Stmt): Extract<A.Expr, { kind: "RegionExpr" }> | null {
  if (s.kind !== "While" && s.kind !== "For") return null;
  const b = s.body.stmts;
  const x = b.length === 1 && b[0].kind === "ExprStmt" ? b[0].expr : null;
  return x?.kind === "RegionExpr" && x.implicit ? x : null;
}

/** For each awaiting loop with shared collections whose contents move into its carry region (mem16): those locals. */
export type Moves = Map<A.Stmt, LocalVar[]>;

export function findCarries(p: TypedProgram, handed: Handed[] = [], copiedAtStore: ReadonlySet<A.Expr> = new Set(), moves: Moves = new Map()): Carries {
  const out: Carries = new Map();
  const iterations = new Set<A.Block>(); // the blocks that are an awaiting loop's iteration (its implicit region's)
  // Where each local is captured: the closure expressions (closures capture by value, when they are made).
  const captured = new Map<number, A.Expr[]>();
  for (const [e, c] of p.closures) for (const v of c.captures) captured.set(v.id, [...(captured.get(v.id) ?? []), e]);
  const sharing = new Sharing(p, copiedAtStore);
  const handover = new Handover(p, sharing);
  sharing.soleParam = (v) => handover.soleParam(v);
  sharing.handedParam = (v) => handover.handedOver(v);
  // A function's parameters are declared before its body's first statement (a closure's are not considered: its
  // callers are not known).
  const params = new Map<A.Block, LocalVar[]>();
  const fnOf = new Map<LocalVar, string>();
  for (const f of p.fns) {
    if (!f.decl.body || f.decl.extern) continue;
    params.set(f.decl.body, f.params.map((x) => x.local));
    for (const x of f.params) fnOf.set(x.local, f.owner ? `${f.owner.name}.${f.name}` : f.name);
  }
  // The blocks enclosing the statement being visited, outermost first, each with the index of the statement in it
  // that holds the visit; a closure's body starts afresh (what it uses from outside is captured).
  type Frame = { b: A.Block; j: number };
  const consider = (s: A.Stmt, frames: Frame[]): void => {
    const ks: LocalVar[] = [], ms: LocalVar[] = [];
    frames.forEach(({ b, j }, k) => {
      const decls: { v: LocalVar; i: number; init: A.Expr | null }[] = [];
      if (k === 0) for (const v of params.get(b) ?? []) decls.push({ v, i: -1, init: null });
      for (let i = 0; i < j; i++) {
        const d = b.stmts[i];
        if (d.kind !== "Let" || d.pattern.kind !== "PBind") continue;
        const v = p.patLocals.get(d.pattern);
        if (v) decls.push({ v, i, init: d.value });
      }
      for (const { v, i, init } of decls) {
        const changed = carriable(v.type) ? changedIn(p, sharing, s, v) : false;
        if (!changed) continue;
        if (s.kind === "For" && mentions(p, [s.iter], v)) continue;
        // A closure made outside the loop holding a collection in it is one more holder of its header (mem17): the
        // contents can still move under the header, which the closure's environment keeps naming.
        if (!capturesAllow(captured.get(v.id) ?? [], s, v)) { if (movable(p, sharing, s, v)) ms.push(v); continue; }
        // A collection: given to the loop by no other holder. Its value is fresh (a parameter: every caller hands
        // it over, carry-handover.ts), and nothing between its declaration and the loop — the statements after it
        // in its block, and the enclosing statements around the loop (an outer loop's body runs again before the
        // loop does), but not what runs after the loop within an enclosing awaiting loop's iteration — makes a
        // second holder.
        if (holdsCollection(v.type)) {
          const around = k < frames.length - 1 ? [b.stmts[j]] : [];
          const sole = (v.kind === "param" ? handover.handedOver(v) : !init || sharing.fresh(init))
            && sharing.aliasFree([...b.stmts.slice(i + 1, j), ...around], v, s, afterInIteration(frames.slice(k + 1), iterations));
          // Another holder may share it: a vec of values holding no collection can still have its contents moved.
          if (!sole) { if (movable(p, sharing, s, v)) ms.push(v); continue; }
        }
        ks.push(v);
        const r = init?.kind === "Ident" ? p.refs.get(init) : undefined;
        const param = v.kind === "param" ? v : r?.kind === "local" && r.v.kind === "param" ? r.v : null;
        if (holdsCollection(v.type) && param) handed.push({ loop: s, local: v, param, fn: fnOf.get(param) ?? "" });
      }
    });
    if (ks.length) out.set(s, ks);
    if (ms.length) moves.set(s, ms);
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
        const body = awaitingBody(s);
        if (body) { iterations.add(body.block); consider(s, fs); }
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

/** A part of a moved local (mem17): the path from the local to it (field names, tuple indices; empty: the local
 *  itself) and its type. */
export interface Part { path: (string | number)[]; type: Type }

/** How a local of type t is moved (mem16, mem17, mem18; docs/memory.md "Loop-carried locals"): the collections whose
 *  contents move under their headers (`heads`: each a `Vec` whose elements hold no collection, or, mem18, a `Map` or
 *  `Set` whose keys and values hold none, moved by a copy keeping its entry layout, lower/derive/keep.ts), and the
 *  parts holding heap memory but no collection that are copied like a carried local's value (`copies`: a struct's
 *  strings); null when a collection in t lies anywhere else (in an optional, an enum, a collection of collections:
 *  not moved). A collection is reached only through the fields of structs and the elements of tuples, which are held
 *  inline (the local's own storage), so each path names one header slot of the local. */
export function moveParts(t: Type): { heads: Part[]; copies: Part[] } | null {
  const heads: Part[] = [], copies: Part[] = [];
  const walk = (t: Type, path: (string | number)[]): boolean => {
    if (t.k === "vec" && !holdsCollection(t.elem)) { heads.push({ path, type: t }); return true; }
    if (t.k === "set" && !holdsCollection(t.elem)) { heads.push({ path, type: t }); return true; }
    if (t.k === "map" && !holdsCollection(t.key) && !holdsCollection(t.val)) { heads.push({ path, type: t }); return true; }
    if (!holdsCollection(t)) { if (hasHeap(t)) copies.push({ path, type: t }); return true; }
    if (t.k === "struct") return fieldTypes(t).every((f) => walk(f.type, [...path, f.name]));
    if (t.k === "tuple") return t.elems.every((e, i) => walk(e, [...path, i]));
    return false;
  };
  return walk(t, []) ? { heads, copies } : null;
}

/** Whether a moved local is carried too (mem17): a struct or tuple, whose parts other than its vecs are copied into
 *  the carry region like a carried local's value, or a vec the loop replaces (replacedIn); their stores go there. */
export function movedWhole(p: TypedProgram, loop: A.Stmt, v: LocalVar): boolean { return v.type.k !== "vec" || replacedIn(p, loop, v, []); }

/** Whether the loop's body assigns the moved vec at `path` in v (the local itself, `batch = []`, or mem18 a struct's
 *  or tuple's vec slot, `st.lines = []`; movable lets only fresh values be assigned): it then names a vec of its own,
 *  made in the carry region, until the loop ends (emit/carry.ts keeps the header it started with apart, `orig`, whose
 *  contents move as before for its other holders). */
export function replacedIn(p: TypedProgram, loop: A.Stmt, v: LocalVar, path: readonly (string | number)[]): boolean {
  let found = false;
  walkNested((loop as Extract<A.Stmt, { kind: "While" }>).body, { stmt: (x) => { if (x.kind === "Assign" && samePath(pathIn(p, x.target, v), path)) found = true; } });
  return found;
}

/** The path from v to the place e (`st.a.lines` -> ["a", "lines"], `t.0` -> [0], v itself -> []), through struct
 *  fields and tuple elements only; null when e is not such a place rooted at v. */
function pathIn(p: TypedProgram, e: A.Expr, v: LocalVar): (string | number)[] | null {
  const out: (string | number)[] = [];
  for (;;) {
    if (isLocal(p, e, v)) return out.reverse();
    if (e.kind === "Field" && !p.refs.has(e)) { out.push(e.name); e = e.target; continue; }
    if (e.kind === "TupleIndex") { out.push(e.index); e = e.target; continue; }
    return null;
  }
}

function samePath(a: readonly (string | number)[] | null, b: readonly (string | number)[]): boolean {
  return !!a && a.length === b.length && a.every((k, i) => k === b[i]);
}

/** Whether the loop s can keep the contents of v's collections in its carry region while other holders share their
 *  headers (mem16, mem17; docs/memory.md "Loop-carried locals", *Decision (mem16)* and *(mem17)*): each header stays
 *  where it is and the loop copies its contents in when it starts, at each compaction and back on every way out
 *  (emit/carry.ts), so every holder keeps seeing one collection. Only
 *  - a `Vec` whose elements hold no collection, a `Map` or `Set` whose keys and values hold none (mem18), or a struct
 *    or tuple whose collections are all such held inline (moveParts): an element that held one would be a header of
 *    its own, which a holder of the element (`let inner = batch[0]`) would stop seeing once the copy replaced it; a
 *    vec's copy keeps its length and order, and a map's or set's (lower/derive/keep.ts) every entry at its index,
 *    removed ones included, so a `for` over it around the loop (which reads through the header at each step, by
 *    index) goes on as before (a map's clone, dropping removed entries, would skip or repeat entries);
 *  - no header slot of v assigned in the loop (`st.lines = []`, `st = other`: the variable would then name another
 *    header, whose contents' region the loop would have to follow), by the loop's body or by a `mut self` method
 *    called on a path in v (keepsHeaders), and no trait method called on one (its implementation is not known here);
 *    but a vec local itself may be assigned a fresh value (`batch = []`, mem17): from then on it names a vec no one
 *    else holds, made in the carry region and carried like a carried local's, while the header it started with
 *    keeps having its contents moved for its other holders (replacedIn, emit/carry.ts);
 *  - a `return` (or `?`) from inside the loop may return the vec or a value holding it (mem17): the contents go back
 *    under the header before the returned value is copied out (emit/regions.ts carryRestores), so the header's
 *    owner is then the region it came from, which the copy out leaves as it is, and the caller gets the header its
 *    other holders see (until mem17 such a return kept v unmoved: the copy out saw the carry region as the
 *    header's owner and gave the caller a copy). */
function movable(p: TypedProgram, sharing: Sharing, s: A.Stmt, v: LocalVar): boolean {
  const parts = moveParts(v.type);
  if (!parts) return false;
  // The vec slots that may be given a fresh vec in the loop (mem17: the local itself; mem18: a struct's or tuple's).
  const vecSlot = (e: A.Expr) => { const at = pathIn(p, e, v); return parts.heads.some((x) => x.type.k === "vec" && samePath(at, x.path)); };
  const keeps = new Map<FnInfo, boolean>();
  let ok = true;
  walkNested((s as Extract<A.Stmt, { kind: "While" }>).body, {
    stmt: (x) => {
      const replaced = x.kind === "Assign" && vecSlot(x.target) && x.op === "=" && sharing.fresh(x.value);
      if (x.kind === "Assign" && !replaced && rootIs(p, x.target, v) && holdsCollection(p.exprTypes.get(x.target) ?? { k: "error" })) ok = false;
    },
    expr: (e) => {
      const t = e.kind === "Call" ? p.calls.get(e) : undefined;
      if (t?.kind === "traitMethod" && t.recv && rootIs(p, t.recv, v)) ok = false;
      if (t?.kind === "method" && t.f.self?.kind === "mut" && rootIs(p, t.recv, v) && !keepsHeaders(p, t.f, keeps)) ok = false;
    },
  });
  return ok;
}

/** Whether the `mut self` method f leaves every collection slot of its receiver holding the header it held: it
 *  assigns no collection-holding place rooted at `self` (`self.lines = []`), calls on a path in `self` only `mut
 *  self` methods that do the same (a cycle counts as keeping: each assignment is still checked where it is written)
 *  and no trait method, and makes no closure (its body runs later, wherever it is called). */
function keepsHeaders(p: TypedProgram, f: FnInfo, seen: Map<FnInfo, boolean>): boolean {
  const known = seen.get(f);
  if (known !== undefined) return known;
  const me = f.self?.local;
  if (!f.decl.body || f.decl.extern || !me) return false;
  seen.set(f, true);
  let ok = true;
  walkNested(f.decl.body, {
    stmt: (x) => { if (x.kind === "Assign" && rootIs(p, x.target, me) && holdsCollection(p.exprTypes.get(x.target) ?? { k: "error" })) ok = false; },
    expr: (e) => {
      if (e.kind === "Closure") { ok = false; return; }
      const t = e.kind === "Call" ? p.calls.get(e) : undefined;
      if (t?.kind === "traitMethod" && t.recv && rootIs(p, t.recv, me)) ok = false;
      if (t?.kind === "method" && t.f.self?.kind === "mut" && rootIs(p, t.recv, me) && !keepsHeaders(p, t.f, seen)) ok = false;
    },
  });
  seen.set(f, ok);
  return ok;
}

/** Whether the closures capturing v (`closures`) leave it carriable by the loop s. A closure takes the value when it
 *  is made: one made inside the loop dies with its iteration, or is copied with its environment where it is stored
 *  into older memory (rule 1) or handed to another task or the runtime (rule 4), before the carry region is
 *  compacted; one made elsewhere holds v's value as it was then, which for a value holding no collection is the same
 *  value however often v's is copied. Only a closure made outside the loop holding v's collection would stop
 *  seeing the loop's changes to it (mem15; before, any capture kept v uncarried). */
function capturesAllow(closures: A.Expr[], s: A.Stmt, v: LocalVar): boolean {
  const inside = (e: A.Expr) => e.span.file === s.span.file && e.span.start >= s.span.start && e.span.end <= s.span.end;
  return closures.every((e) => inside(e) || !holdsCollection(v.type));
}

/** The statements that run after the loop within the same iteration of the innermost awaiting loop enclosing it, when
 *  no other loop lies between (`frames`: the blocks from inside the declaring one down to the loop's). What they make
 *  of a carried collection dies with that iteration's region, or is copied when stored into older memory (rule 1),
 *  before the loop runs again and copies the variable in: such a second holder never sees the loop's copy. Empty
 *  when there is no such enclosing loop or a loop that is not awaiting comes first (its next pass would run them
 *  before the loop again). */
function afterInIteration(frames: { b: A.Block; j: number }[], iterations: Set<A.Block>): Set<A.Stmt> {
  const after: A.Stmt[] = [];
  for (let m = frames.length - 1; m >= 0; m--) {
    const { b, j } = frames[m];
    after.push(...b.stmts.slice(j + 1));
    if (iterations.has(b)) return new Set(after);
    // The frame's block is a loop's body (the statement holding it in the enclosing frame): another pass would come.
    const up = m > 0 ? frames[m - 1].b.stmts[frames[m - 1].j] : null;
    if (up && (up.kind === "While" || up.kind === "For") && up.body === b) return new Set();
  }
  return new Set();
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
