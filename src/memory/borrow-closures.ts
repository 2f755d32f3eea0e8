// borrow-closures.ts — closures in the borrow flow (borrows.ts): the roots a closure value holds through its
// environment, its body walked for the borrow checks (and, for an async closure, for the summaries: a capture
// used after an await), and what a closure returns when the flow calls it (map/andThen on a receiver).

import type * as A from "../syntax/ast.js";
import { mayHoldHeap } from "./regions.js";
import { Flow } from "./borrows.js";
import { captureRoot, containsCollection, holdsNoCollection, type GRoot, type Root, indirect, union } from "./borrow-roots.js";
import { closureParamMutation } from "./borrow-diags.js";
import { showType, type Type } from "../check/types.js";

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

/** The parameters closure c's body changes for its caller (a collection inside one; a parameter without a collection
 *  never is). Its captures are not seeded: this asks only what happens to the arguments. */
export function closureChanges(f: Flow, c: Extract<A.Expr, { kind: "Closure" }>): Map<number, A.Span> {
  const memo = f.a.closureChanged.get(c);
  if (memo) return memo;
  const out = new Map<number, A.Span>();
  f.a.closureChanged.set(c, out); // a closure reached again inside its own body changes nothing more
  const info = f.a.p.closures.get(c);
  if (!info) return out;
  const inner = new Flow(f.a, false);
  inner.closureBody = true;
  inner.changeable = (i) => i >= 0 && i < info.params.length && !holdsNoCollection(info.params[i].type);
  info.params.forEach((v, i) => { if (mayHoldHeap(v.type)) inner.st.vars.set(v.id, [{ k: "p", i, direct: true }]); });
  if (c.body.kind === "Block") inner.block(c.body);
  else inner.expr(c.body);
  for (const i of inner.mutates) if (i >= 0) out.set(i, inner.changedAt.get(i) ?? c.span);
  return out;
}

/** A function or closure that may be called through a function value of type t and changes parameter i of it: its
 *  name as the message gives it, the parameter's name and where it changes it (audit11 F2). Candidates are the named
 *  functions used as values and the closures written in the program, of the same type. */
export function valueCalleeChanging(f: Flow, callee: A.Expr, t: Type, i: number): { name: string; param: string; at?: A.Span } | null {
  const named = (node: A.Expr): { name: string; param: string; at?: A.Span } | null => {
    const ref = f.a.p.refs.get(node);
    if (ref?.kind !== "fn" || ref.f.self || !f.a.summary(ref.f).mutates.has(i)) return null;
    return { name: `\`${ref.f.name}\``, param: ref.f.params[i]?.name ?? "?", at: f.a.summary(ref.f).changedAt?.get(i) };
  };
  const literal = (node: Extract<A.Expr, { kind: "Closure" }>): { name: string; param: string; at?: A.Span } | null => {
    const at = closureChanges(f, node).get(i);
    return at ? { name: `the closure at line ${node.span.line}`, param: f.a.p.closures.get(node)?.params[i]?.name ?? "?", at } : null;
  };
  // A local bound once to a closure or a named function calls exactly that.
  const local = callee.kind === "Ident" ? f.a.p.refs.get(callee) : undefined;
  const known = local?.kind === "local" ? f.a.fnValueOf.get(local.v.id) : undefined;
  if (known) return known.kind === "Closure" ? literal(known) : named(known);
  const want = showType(t);
  for (const [node, ref] of f.a.p.refs) if (ref.kind === "fn" && showType(f.a.typeOf(node)) === want) { const c = named(node); if (c) return c; }
  for (const node of f.a.p.closures.keys()) if (node.kind === "Closure" && showType(f.a.typeOf(node)) === want) { const c = literal(node); if (c) return c; }
  return null;
}


/** Closures written as arguments of a call on a receiver borrowed from global state (`users.get(1).map(|u| {
 *  u.tags.push("z"); ... })`, `items.find(|x| ...)` on a global vec): the closure's parameter of the element's type is
 *  that borrow, so changing a collection inside it changes the global through the borrow — E0303, as `if let u =
 *  users.get(1) { u.tags.push("z") }` is (audit11 F3). */
export function closureArgsChanging(f: Flow, recvType: Type, recv: Root[], args: readonly A.Expr[]): void {
  const g = recv.find((r): r is GRoot => r.k === "g" && r.direct);
  const elem = recvType.k === "vec" || recvType.k === "set" ? recvType.elem : recvType.k === "optional" ? recvType.inner : null;
  if (!f.check || !g || !elem || !containsCollection(elem)) return;
  for (const x of args) {
    if (x.kind !== "Closure") continue;
    const info = f.a.p.closures.get(x);
    for (const [i, at] of closureChanges(f, x)) {
      const p = info?.params[i];
      if (p && showType(p.type) === showType(elem)) closureParamMutation(f.a, p.name, g, at);
    }
  }
}
