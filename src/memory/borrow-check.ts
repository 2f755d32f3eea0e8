// The borrow analysis's driver (MEMORY.md rule 3; the walk itself is Flow, borrows.ts): function summaries to a
// fixpoint, then the checking pass over every body and test, then the copies it decided, as the region
// analysis's store facts, and the loops that are safe points.

import type * as A from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import type { TypedProgram, FnInfo } from "../check/types.js";
import { mayHoldHeap, type StoreFact } from "./regions.js";
import { Analysis } from "./borrow-analysis.js";
import { holdsNoCollection, fnsReturningUnseen, union } from "./borrow-roots.js";
import { Flow } from "./borrows.js";
import { safeLoops } from "./safepoint-callers.js";
import { quietFns } from "./borrow-loops.js";
import { storeBacks } from "./storeback.js";

/** More rounds than any program needs (one per level of the longest call chain, plus one): a guard, not a limit. */
const MAX_ROUNDS = 10_000;

/**
 * The summary that assumes the worst of f: every parameter (and `self`) kept across an await, escaping and changed,
 * inside too; and f copies what it returns from global state or its parameters (as a function used as a value
 * does), so its result is a borrow of nothing the caller cannot see.
 */
function conservative(a: Analysis, f: FnInfo, asValues: Set<FnInfo>, held: Set<FnInfo>): void {
  const all = new Set([-1, ...f.params.map((_, i) => i)]);
  a.summaries.set(f, { ret: [], acrossAwait: all, escapes: all, mutates: all, mutatesInside: all, changesColl: all });
  asValues.add(f);
  held.add(f);
}

export function checkBorrows(p: TypedProgram, sources: ReadonlyMap<string, string>): { diagnostics: Diagnostic[]; copies: Map<A.Expr, StoreFact>; safepoints: Set<A.Stmt> } {
  const a = new Analysis(p, sources);
  const bodies = p.fns.filter((f) => f.decl.body && !f.decl.extern);
  const held = new Set<FnInfo>();
  const asValues = fnsReturningUnseen(p, bodies, held);
  // One walk of f's body: what it returns from global state (or, held, from its parameters) is copied
  // (fnsReturningUnseen); a `mut self` body copies what it stores from itself.
  const storeBackSets = new Map<FnInfo, Set<A.Stmt>>();
  const flowOf = (f: FnInfo, check: boolean): Flow => {
    const flow = new Flow(a, check);
    flow.copyReturns = asValues.has(f);
    flow.copyParamReturns = held.has(f);
    flow.mutSelf = f.self?.kind === "mut";
    // A parameter holding no collection (a string, a struct of plain fields) is never changed for its caller: a change
    // reaching it through shared roots (`u.name = n; u.tags.push(..)`) is a change of something else (audit11 F4).
    flow.changeable = (i) => i === -1 || !f.params[i] || !holdsNoCollection(f.params[i].type);
    let sb = storeBackSets.get(f);
    if (!sb) storeBackSets.set(f, sb = storeBacks(p, f.decl.body!));
    flow.storeBacks = sb;
    return flow;
  };
  const run = (f: FnInfo, check: boolean, record = false) => {
    const flow = flowOf(f, check);
    if (record) flow.record = f;
    f.params.forEach((x, i) => { flow.scope.add(x.local.id); if (mayHoldHeap(x.type)) flow.st.vars.set(x.local.id, [{ k: "p", i, direct: true }]); });
    if (f.self) flow.scope.add(f.self.local.id);
    if (f.self && mayHoldHeap(f.self.local.type)) flow.st.vars.set(f.self.local.id, [{ k: "p", i: -1, direct: true }]);
    const v = flow.block(f.decl.body!);
    if (!flow.st.dead) flow.ret = union(flow.ret, v);
    return flow;
  };
  // Summaries to a fixpoint: what each function's result points into, which parameters it keeps across an await.
  // One round per level of a chain of callers declared before their callees (red team round 2: a cap of 8 rounds lost
  // the borrow of a chain of 9). The summaries only grow over finite sets (Analysis.setSummary), so the rounds end;
  // MAX_ROUNDS only guards against a bug, and reaching it gives every body the conservative summary.
  let round = 0;
  do {
    a.changed = false;
    for (const f of bodies) {
      const flow = run(f, false);
      a.setSummary(f, { ret: mayHoldHeap(f.ret) ? flow.ret : [], acrossAwait: flow.acrossAwait, escapes: flow.escapes, mutates: flow.mutates, mutatesInside: flow.mutatesInside, changesColl: flow.changesColl, changedAt: flow.changedAt });
    }
  } while (a.changed && ++round < MAX_ROUNDS);
  if (a.changed) for (const f of bodies) conservative(a, f, asValues, held);
  // The safe points (safepoint-callers.ts): one more walk with the summaries settled records each loop and direct call
  // with what it needs; no caller can hold a borrow under a root: `main`, or an async function without heap
  // parameters or receiver (its callers await it, and E0301 keeps them from holding a borrow across that await).
  a.quiet = quietFns(p, (f) => a.summary(f));
  for (const f of bodies) run(f, false, true);
  // `main` called by the program itself is a helper like any other (its calls are checked).
  const called = new Set([...p.calls.values()].flatMap((t) => (t.kind === "fn" ? [t.f] : [])));
  const roots = new Set(bodies.filter((f) => (f === p.main && !called.has(f)) || (f.decl.async && !f.params.some((x) => mayHoldHeap(x.type)) && !(f.self && mayHoldHeap(f.self.local.type)))));
  a.safepoints = safeLoops(p, a, roots, asValues);
  for (const f of bodies) flowOf(f, true).block(f.decl.body!);
  for (const t of p.tests) new Flow(a, true).block(t.decl.body);
  const copies = new Map<A.Expr, StoreFact>();
  for (const [x, t] of a.copies) copies.set(x, { rule: "borrow-arg", span: x.span, target: { kind: "current" }, value: "current", types: [t], when: "static" });
  for (const [x, t] of a.storeCopies) copies.set(x, { rule: "borrow-store", span: x.span, target: { kind: "current" }, value: "current", types: [t], when: "static" });
  for (const [x, t] of a.returnCopies) copies.set(x, { rule: "borrow-return", span: x.span, target: { kind: "current" }, value: "current", types: [t], when: "static" });
  for (const [x, c] of a.captureCopies) copies.set(x, { rule: "capture-frame", span: x.span, target: { kind: "frame" }, value: "current", types: c.types, when: "static", captures: c.captures });
  return { diagnostics: a.diagnostics, copies, safepoints: a.safepoints };
}
