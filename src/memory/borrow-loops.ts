// The borrow checks of `for` loops whose body awaits (src/memory/borrows.ts walks the body): a global collection
// iterated directly is E0302; any other iterated value holding borrows is E0301 at the loop, since each iteration
// reads its next element after the await (a local holding borrows is a use of that local: Flow.reIterate).

import type * as A from "../syntax/ast.js";
import { at } from "../diagnostics.js";
import { M } from "../messages.js";
import { mayHoldHeap } from "./regions.js";
import { Analysis, parenthesized } from "./borrow-analysis.js";
import { type GRoot, type Root, baseOf, firstAwait, patternLocals } from "./borrow-roots.js";

type For = Extract<A.Stmt, { kind: "For" }>;

/**
 * A loop variable already used after the await is that error; one is enough. Elements that hold no pointer
 * (`for id in users.keys()` of int keys) are read safely: true too.
 */
export function loopVarReported(a: Analysis, s: For): boolean {
  const locals = patternLocals(a.p, s.pattern);
  if (!locals.some((v) => mayHoldHeap(v.type))) return true;
  const vars = locals.map((v) => `E0301:${v.id}:`);
  return [...a.reported].some((k) => vars.some((v) => k.startsWith(v)));
}

/** An iterated value other than a local (a call's result, `users.values()`) holding borrows, whose body awaits. */
export function iteratedAcrossAwait(a: Analysis, s: For, iter: Root[]): void {
  if (s.iter.kind === "Range" || iter.some((r) => r.k === "g" && r.direct)) return;
  const base = baseOf(s.iter);
  if (base && a.p.refs.get(base)?.kind === "local") return;
  const g = iter.find((r): r is GRoot => r.k === "g");
  const aw = g ? firstAwait(s.body) : null;
  if (!g || !aw || loopVarReported(a, s)) return;
  a.report(`E0301:iter:${s.iter.span.file}:${s.iter.span.start}`, {
    ...at(M.loopOverBorrowsAwaits(g.global, parenthesized(a.text(s.iter.span)) || "(...)", a.text(s.pattern.span)), s.iter.span),
    label: "iterated here",
    labels: [{ message: `another task may change \`${g.global}\` while this one waits`, span: aw }],
  });
}

export function forOverGlobal(a: Analysis, s: For, iter: Root[]): void {
  const g = iter.find((r): r is GRoot => r.k === "g" && r.direct);
  if (!g) return;
  const aw = firstAwait(s.body);
  if (!aw) return;
  const it = a.text(s.iter.span);
  a.report(`E0302:${s.span.start}:${s.span.file}`, { ...at(M.loopOverGlobalAwaits(g.global, it, a.p.globals.find((x) => x.name === g.global)?.type.k === "map"), s.iter.span), label: "iterated here", labels: [{ message: `another task may change \`${g.global}\` while this one waits`, span: aw }] });
}
