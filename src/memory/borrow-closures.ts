// borrow-closures.ts — closures in the borrow flow (borrows.ts): the roots a closure value holds through its
// environment, its body walked for the borrow checks (and, for an async closure, for the summaries: a capture
// used after an await), and what a closure returns when the flow calls it (map/andThen on a receiver).

import type * as A from "../syntax/ast.js";
import { mayHoldHeap } from "./regions.js";
import { Flow } from "./borrows.js";
import { captureRoot, type Root, indirect, union } from "./borrow-roots.js";

export function closureRoots(f: Flow, e: Extract<A.Expr, { kind: "Closure" }>): Root[] {
  const info = f.a.p.closures.get(e);
  if (!info) return [];
  // The closure's environment holds copies of the captured locals' values (pointers into global memory, if borrowed).
  let env: Root[] = [];
  for (const c of info.captures) { f.use(c, e); env = union(env, f.st.vars.get(c.id) ?? []); }
  // An async closure's body is walked in the summaries' rounds too: a capture holding a parameter's value and used
  // after an await keeps that parameter across it (below), which the callers read from the summary.
  if (f.check || e.async) {
    const inner = new Flow(f.a, f.check);
    inner.copyReturns = true;
    inner.closureBody = true;
    info.captures.forEach((c, k) => inner.st.vars.set(c.id, union(f.st.vars.get(c.id) ?? [], mayHoldHeap(c.type) ? [{ k: "p", i: captureRoot(k), direct: true }] : [])));
    if (e.async) info.captures.forEach((c) => { if (mayHoldHeap(c.type)) inner.frameCopied.set(c.id, f.st.vars.get(c.id) ?? []); });
    info.params.forEach((v, i) => { if (mayHoldHeap(v.type)) inner.st.vars.set(v.id, [{ k: "p", i, direct: true }]); });
    if (e.body.kind === "Block") inner.block(e.body);
    else inner.returned(e.body, inner.expr(e.body));
    // An async closure's frame runs across awaits and reads its captures from the environment, which each frame
    // holds while it is in flight (env_hold.c): a captured collection stays the task's shared handle. A capture
    // used after an await that holds a borrow where the closure is made is still copied into each new frame (the
    // global may be replaced while the frame waits); one holding a parameter's value keeps that parameter across
    // the await, so the callers copy a borrowed argument (rule capture-frame).
    const kept = info.captures.map((_, k) => k).filter((k) => inner.acrossAwait.has(captureRoot(k)));
    if (e.async) {
      for (const k of kept) for (const r of f.st.vars.get(info.captures[k].id) ?? []) if (r.k === "p") f.acrossAwait.add(r.i);
      const copied = kept.filter((k) => (f.st.vars.get(info.captures[k].id) ?? []).some((r) => r.k === "g"));
      if (copied.length && f.check) f.a.captureCopies.set(e, { types: copied.map((k) => info.captures[k].type), captures: copied });
    }
  }
  return indirect(env);
}

/** What closure c returns when called with arguments of these roots (its captures as they are here). */
export function closureResult(f: Flow, c: Extract<A.Expr, { kind: "Closure" }>, args: Root[][]): Root[] {
  const info = f.a.p.closures.get(c);
  if (!info) return args.reduce((acc, x) => union(acc, x), [] as Root[]);
  const inner = new Flow(f.a, false);
  for (const v of info.captures) { const rs = f.st.vars.get(v.id); if (rs?.length) inner.st.vars.set(v.id, rs); }
  info.params.forEach((v, i) => { if (mayHoldHeap(v.type) && args[i]?.length) inner.st.vars.set(v.id, args[i]); });
  const last = c.body.kind === "Block" ? inner.block(c.body) : inner.expr(c.body);
  return inner.st.dead ? inner.ret : union(inner.ret, last);
}
