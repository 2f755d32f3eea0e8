// The borrow diagnostics' texts and fixes (borrows.ts decides when): E0301's clone, E0303 through a borrow
// (a local, an argument) and E0303 for a copy that would lose a change.

import type * as A from "../syntax/ast.js";
import { at } from "../diagnostics.js";
import { M } from "../messages.js";
import type { LocalVar, FnInfo } from "../check/types.js";
import { type Analysis, parenthesized, partSpan } from "./borrow-analysis.js";
import { type GRoot, type Root, baseOf, globalPathFix } from "./borrow-roots.js";

/** A collection changed (`recv` with roots rs, the statement or call `span`): E0303 when it is shared with a global. */
export function mutationThroughBorrow(a: Analysis, v: LocalVar, recv: A.Expr, rs: Root[], span: A.Span, place: A.Expr): void {
  const g = rs.find((r): r is GRoot => r.k === "g" && r.direct);
  if (!g) return;
  const full = a.text(span);
  const recvText = a.text(recv.span);
  const viaGlobal = full.startsWith(recvText) ? globalPathFix(g, "", full.slice(recvText.length)) : null;
  a.report(`E0303:${span.start}:${span.file}`, { ...at(M.mutateThroughBorrow(v.name, g.global, viaGlobal, copyFix(a, v, g)), place.span), label: "changed through the borrow here", labels: [{ message: "borrowed here", span: g.span }] });
}

/** E0303's other fix: change a copy, made where the borrow was bound, saying plainly that the global then stays as it
 *  was. Never for a `for` variable (tester round 13): changing each element of a copy is a change lost, not a choice, so
 *  the fix is null there and the message offers the global path alone. */
export function copyFix(a: Analysis, v: LocalVar | null, g: GRoot): string | null {
  if (v?.kind === "for") return null;
  const text = a.text(g.span);
  const keeps = `\`${g.global}\` itself then stays unchanged`;
  if (!text || text.includes("\n") || text.length > 60) return `change a copy made with \`.clone()\` of the value read from \`${g.global}\` (${keeps})`;
  const borrowed = parenthesized(text);
  return g.binder ? `change a copy: \`${g.binder.mutable ? "var" : "let"} ${g.binder.name} = ${borrowed}.clone()\` (${keeps})` : `change a copy, read with \`${borrowed}.clone()\` (${keeps})`;
}

/** A borrow held in a local (`u`) passed where the callee changes the collections inside it: E0303. A global path written
 *  at the call (`addTag(users[1], t)`) changes the global in place, as `users[1].tags.push(t)` does. */
export function argMutation(a: Analysis, f: FnInfo, pi: number, x: A.Expr, rs: Root[], call: A.Expr): void {
  const sm = a.summary(f);
  if (!sm.mutates.has(pi) || rootedAtGlobal(a, x)) return;
  // A borrow itself where the callee changes the parameter, or a fresh container or struct holding one (`[u.tags]`)
  // where the callee changes what is inside it.
  const g = rs.find((r): r is GRoot => r.k === "g" && (r.direct || (sm.mutatesInside.has(pi) && !r.frozen)));
  if (!g) return;
  const text = (s: number, e: number) => a.sources.get(x.span.file)?.slice(s, e) ?? "";
  // A container holding the borrow is not the global's value: no global path to pass instead.
  const viaGlobal = g.direct ? globalPathFix(g, text(call.span.start, x.span.start), text(x.span.end, call.span.end)) : null;
  const param = pi === -1 ? "self" : f.params[pi]?.name ?? "?";
  const base = baseOf(x), ref = base ? a.p.refs.get(base) : undefined;
  const copy = g.direct || g.binder ? copyFix(a, ref?.kind === "local" ? ref.v : null, g)
    : !g.nopath && g.place && !g.place.includes("\n") ? `change a copy: put \`${g.place}.clone()\` in \`${a.text(x.span)}\``
    : copyFix(a, null, g);
  a.report(`E0303:arg:${x.span.file}:${x.span.start}`, { ...at(M.mutateArgThroughBorrow(f.name, param, a.text(x.span), g.global, viaGlobal, copy), x.span), label: "changed through the borrow in the call", labels: [{ message: "borrowed here", span: g.direct ? g.span : partSpan(x, g.span) }] });
}

/** Whether a value is read from a global along a path written here (`users[1]`, `users.get(1)!.tags`), no local on the way. */
export function rootedAtGlobal(a: Analysis, e: A.Expr): boolean {
  switch (e.kind) {
    case "Ident": return a.p.refs.get(e)?.kind === "global";
    case "Field": return a.p.refs.has(e) ? a.p.refs.get(e)?.kind === "global" : rootedAtGlobal(a, e.target);
    case "Index": case "TupleIndex": return rootedAtGlobal(a, e.target);
    case "Unwrap": case "Try": return rootedAtGlobal(a, e.operand);
    case "Call": { const t = a.p.calls.get(e); return !!t && "recv" in t && !!t.recv && rootedAtGlobal(a, t.recv); }
    default: return false;
  }
}

/** The fix: the declaration that made the borrow, with `.clone()` added. */
export function fixFor(a: Analysis, v: LocalVar, g: GRoot): string {
  const borrowed = parenthesized(a.text(g.span));
  if (v.kind === "for") return borrowed && !borrowed.includes("\n") ? `iterate over a copy: \`for ${g.binder?.name || v.name} in ${borrowed}.clone()\`` : "iterate over a copy: `.clone()` the collection before the loop";
  if (borrowed && !borrowed.includes("\n") && borrowed.length <= 60) {
    return g.binder ? `keep a copy across the await: \`${g.binder.mutable ? "var" : "let"} ${g.binder.name} = ${borrowed}.clone()\`` : `keep a copy across the await: \`${borrowed}.clone()\``;
  }
  return `keep a copy across the await: \`.clone()\` the value read from \`${g.global}\``;
}

/** A borrowed argument copied at a call (escape or async) into a parameter the callee changes: the change would be lost. */
export function lostMutation(a: Analysis, f: FnInfo, pi: number, x: A.Expr, rs: Root[], why: string): void {
  if (!a.summary(f).mutates.has(pi)) return;
  const g = rs.find((r): r is GRoot => r.k === "g" && r.direct);
  if (!g) return;
  const param = pi === -1 ? "self" : f.params[pi]?.name ?? "?";
  // where the callee changes it (tester round 12: the change was made by a function it calls, through a field)
  const where = a.summary(f).changedAt?.get(pi);
  const labels = where ? [{ message: `\`${f.name}\` changes \`${param}\` here`, span: where }] : [];
  a.report(`E0303:arg:${x.span.file}:${x.span.start}`, { ...at(M.mutateCopiedArg(f.name, param, g.global, why), x.span), label: "copied here", labels });
}

/** A borrowed argument of a call through a function value (copied at the call) where a function or closure of that
 *  type changes the parameter: the change would be lost, as for a named callee (lostMutation; audit11 F2). */
export function lostThroughValue(a: Analysis, c: { name: string; param: string; at?: A.Span }, x: A.Expr, rs: Root[]): void {
  const g = rs.find((r): r is GRoot => r.k === "g" && r.direct);
  if (!g) return;
  const labels = c.at ? [{ message: `${c.name} changes \`${c.param}\` here`, span: c.at }] : [];
  a.report(`E0303:arg:${x.span.file}:${x.span.start}`, { ...at(M.mutateCopiedValueArg(c.name, c.param, g.global), x.span), label: "copied here", labels });
}

/** A closure's parameter that is a borrow of global state (the element a helper passes it) changed in its body. */
export function closureParamMutation(a: Analysis, name: string, g: GRoot, span: A.Span): void {
  a.report(`E0303:${span.start}:${span.file}`, { ...at(M.mutateThroughBorrow(name, g.global, null, `change \`${g.global}\` through its global path outside the closure, or pass the closure a copy made with \`.clone()\` (\`${g.global}\` itself then stays unchanged)`), span), label: "changed through the borrow here", labels: [{ message: "borrowed here", span: g.span }] });
}
