// Which loops are safe points (docs/memory.md, "Safe points"): at a loop's back-edge the runtime may free global
// values replaced since the last safe point (co_drop_safepoint()), so no borrow of global state may be live there, in
// the function or in any caller below it. The borrow walk (Flow, borrows.ts) records, for every loop that may queue
// drops and every direct call of a program's function, what must hold for no borrow to be live at that point (a Need);
// this pass decides, once over the whole program, which functions run only where no caller holds a borrow:
//   - a root: `main` (unless the program calls it itself: it is then checked as a helper, the runtime's call being
//     safe), or an async function without heap-holding parameters or receiver (its callers await it, and E0301 keeps
//     them from holding a borrow across that await);
//   - a sync helper every call of which is known (a direct call from a body the walk recorded: never used as a
//     function value, not a trait method's implementation, not `toString` (called by printing), not called from a
//     closure, a test, a global's initialiser or `spawn`), where every caller is eligible, no borrow of the caller is
//     live at the call (the test of a loop's back-edge: locals in scope, held temporaries of the enclosing
//     expression, enclosing `for` loops iterating borrowed values), and reachable from a root.
// It is a greatest fixpoint over the call graph: every candidate starts eligible and each round removes the ones with
// a call that fails, so mutual recursion and chains (main -> a -> b -> loop) qualify, and anything unknown does not.
// A parameter is fresh when every call passes it a value that is no borrow (or a fresh parameter of an eligible
// caller): its roots inside the function are then no borrow; a borrow passed in makes every point where that
// parameter is in scope (and every call made there) unsafe.

import type * as A from "../syntax/ast.js";
import type { TypedProgram, FnInfo } from "../check/types.js";
import type { Analysis } from "./borrow-analysis.js";

/** What must hold for no borrow to be live at a point of a function's body: no borrow of a global reaches it
 *  (`blocked` otherwise), and the parameters in `deps` (-1: `self`) received only fresh values. */
export interface Need { blocked: boolean; deps: Set<number> }
/** A direct call of a program's function: the caller's Need at the call, and each argument's (-1: the receiver). */
export interface Site { caller: FnInfo; callee: FnInfo; at: Need; args: Map<number, Need> }

/** The loops recorded by the walk that are safe points. */
export function safeLoops(p: TypedProgram, a: Analysis, roots: Set<FnInfo>, asValues: Set<FnInfo>): Set<A.Stmt> {
  const sitesOf = new Map<FnInfo, Site[]>();
  for (const s of a.sites.values()) { const l = sitesOf.get(s.callee); if (l) l.push(s); else sitesOf.set(s.callee, [s]); }
  // A call the walk did not record (in a closure, a test, a global's initialiser, `spawn`): its caller is not known.
  const unknown = new Set<FnInfo>();
  for (const [e, t] of p.calls) if ((t.kind === "fn" || t.kind === "method") && !a.sites.has(e)) unknown.add(t.f);
  const eligible = new Set(p.fns.filter((f) => !roots.has(f) && !f.decl.async && !!f.decl.body && !f.decl.extern && !asValues.has(f) && !f.impl
    && !(f.self && f.name === "toString") && !unknown.has(f)));
  const fresh = new Map<FnInfo, Set<number>>();
  for (const f of eligible) fresh.set(f, new Set([...(f.self ? [-1] : []), ...f.params.map((_, i) => i)]));
  const ok = (caller: FnInfo, n: Need | undefined): boolean => !!n && !n.blocked && [...n.deps].every((i) => fresh.get(caller)?.has(i));
  let changed = true;
  while (changed) {
    changed = false;
    for (const f of eligible) {
      const sites = sitesOf.get(f) ?? [];
      if (sites.every((s) => (roots.has(s.caller) || eligible.has(s.caller)) && ok(s.caller, s.at))) continue;
      eligible.delete(f);
      changed = true;
    }
    for (const f of eligible) {
      const ps = fresh.get(f)!;
      for (const i of ps) if (!(sitesOf.get(f) ?? []).every((s) => ok(s.caller, s.args.get(i)))) { ps.delete(i); changed = true; }
    }
  }
  // Only what a root reaches runs at all; a cycle of helpers nothing calls stays out.
  const reached = new Set([...roots, ...(p.main && eligible.has(p.main) ? [p.main] : [])]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of a.sites.values()) if (reached.has(s.caller) && eligible.has(s.callee) && !reached.has(s.callee)) { reached.add(s.callee); grew = true; }
  }
  const out = new Set<A.Stmt>();
  for (const [stmt, l] of a.loopNeeds) if (reached.has(l.f) && ok(l.f, l.at)) out.add(stmt);
  return out;
}
