// The roots of what a call or a loop head gives the borrow walk (borrows.ts) without a body of its own to walk:
// the element a collection method returns, a standard-library extern's result, and the worst-case loop head that
// ends the walks of a loop body. Pure functions of the roots and the typed program.

import type * as A from "../syntax/ast.js";
import type { Type, FnInfo } from "../check/types.js";
import { type Analysis, returnsView } from "./borrow-analysis.js";
import { type Root, type State, cloneState, indirect, partOf, union } from "./borrow-roots.js";

/** A loop head that assumes the worst: every local holding a root holds every root any local holds, stale where any is. */
export function saturate(s: State): State {
  const all = [...s.vars.values()].reduce((acc, rs) => union(acc, rs), [] as Root[]);
  const out = cloneState(s);
  for (const k of out.vars.keys()) out.vars.set(k, all);
  const st = [...s.stale.values()][0];
  if (st) for (const k of out.vars.keys()) if (!out.stale.has(k)) out.stale.set(k, st);
  return out;
}

/**
 * The result of a sync `extern fn` of the standard library (no body to summarise) may share the bytes of its string
 * arguments: a percent-decoded string without escapes is its input, `json.decode`'s strings are views of the
 * document. So it points into what those arguments point into (directly for a string result). An async extern's
 * result is made by the runtime when the operation completes, and arguments of other types are not viewed.
 */
export function externResult(f: FnInfo, as: Root[][], rt: Type): Root[] {
  if (f.decl.async || !returnsView(f)) return [];
  let out: Root[] = [];
  f.params.forEach((p, i) => { if (p.type.k === "string" && as[i]?.length) out = union(out, rt.k === "string" ? as[i] : indirect(as[i])); });
  return out;
}

/** The element `recv.name(...)` returns (`get`, `first`, `find`, ...): its path from each root's (`[k]` for `get(k)`,
 *  present where `m.has(k)`; `[0]` for `first()`, `[v.len() - 1]` for `last()`; none for `find`, `pop`, `min`, ...). */
export function elementRoots(a: Analysis, recv: Root[], e: Extract<A.Expr, { kind: "Call" }>, recvExpr: A.Expr, name: string): Root[] {
  const t = a.typeOf(recvExpr).k;
  const key = e.args.length ? a.text(e.args[0].span) : null;
  return partOf(recv, "").map((r, i): Root => {
    const from = recv[i];
    if (r.k !== "g" || from.k !== "g" || !from.direct) return r;
    const p = from.place;
    if (name === "get" && key !== null) return { ...r, place: `${p}[${key}]`, has: t === "map" ? `${p}.has(${key})` : t === "vec" ? `${p}.len() > ${key}` : undefined };
    if (t === "vec" && key === null && (name === "first" || name === "last")) return { ...r, place: name === "first" ? `${p}[0]` : `${p}[${p}.len() - 1]` };
    // `pop`/`remove` take the value out: it is freed at the end of the turn whatever other tasks do (E0301 says so)
    return { ...r, nopath: true, ...(name === "pop" || name === "remove" ? { removed: true } : {}) };
  });
}
