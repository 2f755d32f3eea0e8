// The roots and flow states of the borrow walk (borrows.ts), and the helpers
// that read the typed tree for it: what a value may point into (a global read
// at some span, or a parameter or captured local of the body being walked),
// the state at a point of a body (which locals hold what, which went stale at
// an await), and how states merge where branches and loops join.

import type * as A from "../syntax/ast.js";
import { walkNested } from "../syntax/nested.js";
import { walkBlock, walkExpr } from "../syntax/walk.js";
import type { Type, TypedProgram, LocalVar, FnInfo } from "../check/types.js";

/** A borrow of a global: where it was read (`span`), the global path read (`sessions[id]`), and the `let` that first bound it. */
/**
 * A borrow of a global: where it was read (`span`), the global path read (`sessions[id]`), and the `let` that first bound it.
 * `place` reads the same value again only when `nopath` is unset: a `values()` element, `find`'s result or a function's
 * result has no such path. A `for` variable over a global vec has `loop` (the vec's path; `place` is `vec[i]`, valid
 * inside `for i in 0..vec.len()`, `index` the name used for `i`, one the loop does not use; `frozen`: a part of a literal holding no collection, which nothing can change through); a value behind `??` or `unwrapOr` (`guarded`) has its path only where `has` holds.
 */
export type GRoot = { k: "g"; global: string; span: A.Span; place: string; direct: boolean; binder?: { name: string; mutable: boolean }; nopath?: boolean; loop?: string; keys?: boolean; index?: string; has?: string; guarded?: boolean; frozen?: boolean;
  /** taken out of the global (`pop`, `remove`): its memory is freed at the end of the turn (docs/memory.md) */
  removed?: boolean };
/** Parameter i of the function being summarised (-1: self; -2 - k: a closure body's k-th captured local); `inner`: a part of
 *  it (an element, entry or field), so a change through the root changes what the caller's argument holds, not the argument. */
export type PRoot = { k: "p"; i: number; direct: boolean; inner?: boolean };
/** The root of a closure body's k-th captured local, and whether a root index is one. */
export const captureRoot = (k: number): number => -2 - k;
export const isCapture = (i: number): boolean => i <= -2;
export type Root = GRoot | PRoot;

export interface Stale { root: Root; roots: Root[]; await: A.Span }
export interface State { vars: Map<number, Root[]>; stale: Map<number, Stale>; dead: boolean }

/**
 * What a function's result may point into, which parameters it uses after an await, and which parameters
 * escape: stored into memory the function does not own (another parameter's collection or fields, `self`),
 * passed to a function value or to a callee's escaping parameter. A borrow passed there is copied at the call.
 */
/** changesColl: parameters (-1: `self`) a collection reachable from which the function changes (push, element or entry
 *  stored, ...), not only fields written: a `mut self` method in it on a borrow is E0303. */
export interface Summary {
  ret: Root[]; acrossAwait: Set<number>; escapes: Set<number>; mutates: Set<number>; mutatesInside: Set<number>; changesColl: Set<number>;
  /** Where each parameter in `mutates` is first changed (the statement or call), for E0303's "changes it here". */
  changedAt?: Map<number, A.Span>;
}

export const MUTATORS = new Set(["push", "pop", "insert", "remove", "sort", "sortBy", "clear", "set", "delete"]);
/** Collection methods whose result holds the receiver's elements in a fresh container. */
export const CONTAINERS = new Set(["keys", "values", "slice", "reversed", "enumerate", "filter", "sorted", "sortedBy", "dedup", "take", "skip", "chunks"]);
/** Collection methods whose result is one of the receiver's elements. */
export const ELEMENTS = new Set(["get", "pop", "remove", "find", "first", "last", "min", "max", "minBy", "maxBy"]);
/** String methods that may return a view of the receiver's bytes. */
export const STR_VIEWS = new Set(["trim", "trimStart", "trimEnd", "slice", "split", "lines", "chars"]);

/** Whether a value of type t surely holds no collection or builder, whatever its type arguments are (a string, a struct
 *  of plain fields): nothing a callee does reaches its caller through it. A type parameter, a generic struct or enum, a
 *  function or a task may hold one. */
export function holdsNoCollection(t: Type, seen = new Set<object>()): boolean {
  switch (t.k) {
    case "int": case "float": case "bool": case "string": case "unit": case "never": return true;
    case "optional": return holdsNoCollection(t.inner, seen);
    case "tuple": return t.elems.every((e) => holdsNoCollection(e, seen));
    case "struct": case "enum":
      if (t.args.length) return false;
      if (seen.has(t.info)) return true;
      seen.add(t.info);
      return t.k === "struct" ? t.info.fields.every((f) => holdsNoCollection(f.type, seen))
        : t.info.variants.every((v) => v.fields.every((f) => holdsNoCollection(f.type, seen)));
    default: return false;
  }
}

export function containsCollection(t: Type, seen = new Set<object>()): boolean {
  switch (t.k) {
    case "vec": case "map": case "set": case "builder": return true;
    case "optional": return containsCollection(t.inner, seen);
    case "tuple": return t.elems.some((e) => containsCollection(e, seen));
    case "struct": case "enum":
      if (seen.has(t.info)) return false;
      seen.add(t.info);
      return t.k === "struct" ? t.info.fields.some((f) => containsCollection(f.type, seen))
        : t.info.variants.some((v) => v.fields.some((f) => containsCollection(f.type, seen)));
    default: return false;
  }
}

export const indirect = (rs: Root[]): Root[] => rs.map((r) => (r.direct ? { ...r, direct: false } : r));
export const direct = (rs: Root[]): Root[] => rs.map((r) => (r.direct ? r : { ...r, direct: true }));

export function cloneState(s: State): State { return { vars: new Map(s.vars), stale: new Map(s.stale), dead: s.dead }; }

export function merge(a: State, b: State): State {
  if (a.dead) return cloneState(b);
  if (b.dead) return cloneState(a);
  const out = cloneState(a);
  for (const [k, v] of b.vars) out.vars.set(k, union(out.vars.get(k) ?? [], v));
  for (const [k, v] of b.stale) { const o = out.stale.get(k); out.stale.set(k, o ? { ...o, roots: union(o.roots, v.roots) } : v); }
  return out;
}

export function union(a: Root[], b: Root[]): Root[] {
  if (!a.length) return b;
  if (!b.length) return a;
  const out = [...a];
  for (const r of b) if (!out.some((x) => sameRoot(x, r))) out.push(r);
  return out;
}

export function sameRoot(a: Root, b: Root): boolean {
  return a.k === "g" ? b.k === "g" && a.global === b.global && a.span === b.span && a.direct === b.direct : b.k === "p" && a.i === b.i && a.direct === b.direct && !a.inner === !b.inner;
}

export function sameState(a: State, b: State): boolean {
  if (a.dead !== b.dead || a.vars.size !== b.vars.size || a.stale.size !== b.stale.size) return false;
  for (const [k, v] of a.vars) { const w = b.vars.get(k); if (!w || w.length !== v.length) return false; }
  for (const [k, v] of a.stale) { const w = b.stale.get(k); if (!w || w.roots.length !== v.roots.length) return false; }
  return true;
}

/** Borrows first read in expression `e` are pointed at as the whole of `e` (`sessions.get(id)!`), bound by `binder`. */
export function respan(rs: Root[], e: A.Expr, binder?: { name: string; mutable: boolean }): Root[] {
  const made = (r: GRoot) => r.span.file === e.span.file && r.span.start >= e.span.start && r.span.end <= e.span.end;
  return rs.map((r) => (r.k === "g" && made(r) ? { ...r, span: e.span, binder } : r));
}

/** The roots of parameters (and `self`) of the function being summarised, not a closure body's captures. */
export function paramRoots(rs: Root[]): PRoot[] { return rs.filter((r): r is PRoot => r.k === "p" && !isCapture(r.i)); }


/** The variable at the root of a place (`u` in `u.tags[0]`), or null. */
export function baseOf(e: A.Expr): A.Expr | null {
  switch (e.kind) {
    case "Ident": return e;
    case "Field": return e.target.kind === "Ident" || e.target.kind === "Field" || e.target.kind === "Index" || e.target.kind === "TupleIndex" || e.target.kind === "Unwrap" ? baseOf(e.target) ?? null : null;
    case "Index": case "TupleIndex": return baseOf(e.target);
    case "Unwrap": return baseOf(e.operand);
    default: return null;
  }
}

export function patternLocals(p: TypedProgram, pat: A.Pattern): LocalVar[] {
  const out: LocalVar[] = [];
  const walk = (x: A.Pattern): void => {
    const v = p.patLocals.get(x);
    if (v) out.push(v);
    if (x.kind === "PTuple") x.elems.forEach(walk);
    if (x.kind === "PVariant") { x.args.forEach(walk); x.named?.forEach((n) => walk(n.pat)); }
    if (x.kind === "POr") walk(x.alts[0]); // every alternative binds the same locals
  };
  walk(pat);
  return out;
}

/** The first `await` in a block, outside closures. */
export function firstAwait(b: A.Block): A.Span | null {
  let found: A.Span | null = null;
  walkNested(b, { expr: (e) => { if (!found && e.kind === "Await") found = e.span; } });
  return found;
}


/**
 * Functions whose callers cannot treat the result as a borrow valid until their own next await, so the function
 * copies what it returns from global state: named (and module) functions used as values, whose calls see no
 * summary; and async functions called inside `await all(...)` or `await race(...)`, where a call that completes
 * first holds its result while the others run (and other tasks may free what it points into); and async calls started
 * as tasks (below).
 */
export function fnsReturningUnseen(p: TypedProgram, bodies: FnInfo[], held: Set<FnInfo> = new Set()): Set<FnInfo> {
  const out = new Set<FnInfo>();
  const callees = new Set<A.Expr>();
  const visit = (e: A.Expr): void => {
    if (e.kind === "Call") callees.add(e.callee); // visited before its callee
    if (e.kind === "Await" && e.operand.kind === "Call" && (p.awaitAll.has(e) || p.tasks.race.has(e))) {
      for (const c of e.operand.args) {
        const t = c.kind === "Call" ? p.calls.get(c) : undefined;
        if (t?.kind === "fn" || t?.kind === "method") { out.add(t.f); held.add(t.f); }
      }
    }
    // A spawned call, or an async call handed to another call (`time.timeout(ms, load(id))`), completes on its own
    // and its result waits (in the task, in the future) until someone awaits it, a turn later or more: what it
    // returns from global state is copied when it returns (red team, stop 25: `(await h).name` read a freed entry).
    const asyncCall = (c: A.Expr) => {
      const t = c.kind === "Call" ? p.calls.get(c) : undefined;
      if ((t?.kind === "fn" || t?.kind === "method") && t.f.decl.async) { out.add(t.f); held.add(t.f); }
    };
    // So does an async call started where a `Task<T>` is expected, whatever the place: a typed `let`, a vec
    // literal, a `return`, a struct field (check/tasks.ts implicitSpawn; red team round 2, `let h: Task<User> = take(1)`).
    if (e.kind === "Spawn") asyncCall(e.call);
    if (e.kind === "Call") for (const a of e.args) asyncCall(a);
    if (p.tasks.implicit.has(e)) asyncCall(e);
    if ((e.kind === "Ident" || e.kind === "Field") && !callees.has(e)) {
      const r = p.refs.get(e);
      if (r?.kind === "fn") out.add(r.f);
    }
  };
  for (const f of bodies) walkBlock(f.decl.body!, visit);
  for (const t of p.tests) walkBlock(t.decl.body, visit);
  for (const g of p.globals) walkExpr(g.decl.value, visit);
  return out;
}

/** A part of a value with roots rs (a field, an element, a destructured binding), at `suffix` from a direct root's place.
 *  A part of a fresh container of borrows is one of them: its place is the one it was read from, when there is one. */
export function partOf(rs: Root[], suffix: string | null): Root[] {
  const several = rs.filter((r) => r.k === "g" && !r.direct).length > 1;
  return rs.map((r) => {
    // A part of a parameter is inside it; a part of a container holding a parameter (`[ls][0]`) is the parameter.
    if (r.k !== "g") return r.direct ? (r.inner ? r : { ...r, inner: true }) : { ...r, direct: true };
    if (r.direct) return suffix === null ? { ...r, nopath: true } : { ...r, place: r.place + suffix };
    return several ? { ...r, direct: true, nopath: true } : { ...r, direct: true };
  });
}

/** The global path that reaches the value again, with `before`/`after` around it (the rest of the statement), or null. */
export function globalPathFix(g: GRoot, before: string, after: string): string | null {
  if (g.nopath) return null;
  const via = before + g.place + after;
  if (g.guarded) return g.has ? `if ${g.has} { ${via} }` : null;
  if (g.loop && g.keys) return `for ${g.index ?? "k"} in ${g.loop}.keys() { ${via} }`;
  return g.loop ? `for ${g.index ?? "i"} in 0..${g.loop}.len() { ${via} }` : via;
}

/** What another task may change while this one waits: the path when it names the borrowed value, else the global. */
export const replaced = (g: GRoot): string => (g.nopath || g.loop || g.guarded ? `change \`${g.global}\`` : `replace \`${g.place}\``);

/** The collection whose memory an assignment to this place writes (the last `[...]`'s target), or null. */
export function containerOf(e: A.Expr): A.Expr | null {
  switch (e.kind) {
    case "Index": return e.target;
    case "Field": case "TupleIndex": return containerOf(e.target);
    case "Unwrap": return containerOf(e.operand);
    default: return null;
  }
}
