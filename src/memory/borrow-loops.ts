// The borrow checks of `for` loops whose body awaits (src/memory/borrows.ts walks the body): a global collection
// iterated directly is E0302; any other iterated value holding borrows is E0301 at the loop, since each iteration
// reads its next element after the await (a local holding borrows is a use of that local: Flow.reIterate).

import type * as A from "../syntax/ast.js";
import { at } from "../diagnostics.js";
import { M } from "../messages.js";
import { mayHoldHeap } from "./regions.js";
import { Analysis, parenthesized } from "./borrow-analysis.js";
import { type GRoot, type PRoot, type Root, type Summary, baseOf, firstAwait, patternLocals } from "./borrow-roots.js";
import type { TypedProgram, FnInfo } from "../check/types.js";
import { walkBlock } from "../syntax/walk.js";

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

/**
 * An iterated value other than a local (a call's result, `users.values()`, `tags.filter(...)`) holding borrows, whose
 * body awaits: each iteration reads its next element after the await. A global's borrow is E0301 (when `check`);
 * returned are the parameters (`self`, captures: every PRoot) whose elements it holds, kept across the await, so
 * callers copy them (red team round 2: `for t in tags.filter(...)` over a parameter read a freed argument).
 */
export function iteratedAcrossAwait(a: Analysis, s: For, iter: Root[], check: boolean): number[] {
  if (s.iter.kind === "Range") return [];
  const base = baseOf(s.iter);
  if (base && a.p.refs.get(base)?.kind === "local") return [];
  const aw = iter.length ? awaitBeforeNext(s.body) : null;
  if (!aw || !patternLocals(a.p, s.pattern).some((v) => mayHoldHeap(v.type))) return [];
  const kept = iter.filter((r): r is PRoot => r.k === "p").map((r) => r.i);
  const g = iter.find((r): r is GRoot => r.k === "g");
  if (!check || !g || iter.some((r) => r.k === "g" && r.direct) || loopVarReported(a, s)) return kept;
  a.report(`E0301:iter:${s.iter.span.file}:${s.iter.span.start}`, {
    ...at(M.loopOverBorrowsAwaits(g.global, parenthesized(a.text(s.iter.span)) || "(...)", a.text(s.pattern.span)), s.iter.span),
    label: "iterated here",
    labels: [{ message: `another task may change \`${g.global}\` while this one waits`, span: aw }],
  });
  return kept;
}

/**
 * The first await of a loop body after which the loop may go on to its next iteration, which reads the iterated
 * value again: one on a path that reaches the body's end or a `continue`. An await whose every path then leaves the
 * loop (`await reject(n); return false`, `...; break`) is not one (tester round 8: E0302 on that idiom). Awaits
 * inside nested loops and inside expressions count wherever they are (conservative); `?` may leave too but is not
 * relied on.
 */
export function awaitBeforeNext(body: A.Block): A.Span | null {
  let found: A.Span | null = null;
  const inExpr = (e: A.Expr | null): A.Span | null => (e ? firstAwait({ kind: "Block", span: e.span, stmts: [{ kind: "ExprStmt", span: e.span, expr: e }] }) : null);
  interface Path { falls: boolean; pending: A.Span | null }
  const join = (xs: Path[]): Path => {
    const falling = xs.filter((x) => x.falls);
    return { falls: falling.length > 0, pending: falling.find((x) => x.pending)?.pending ?? null };
  };
  const expr = (e: A.Expr, pending: A.Span | null): Path => {
    switch (e.kind) {
      case "If": case "IfLet": {
        const p = pending ?? inExpr(e.kind === "If" ? e.cond : e.value);
        const then = block(e.then, p);
        const other = e.else_ === null ? { falls: true, pending: p } : e.else_.kind === "Block" ? block(e.else_, p) : expr(e.else_, p);
        return join([then, other]);
      }
      case "Match": {
        const p = pending ?? inExpr(e.subject);
        return join(e.arms.map((arm) => {
          const g = p ?? inExpr(arm.guard);
          return arm.body.kind === "Block" ? block(arm.body, g) : { falls: true, pending: g ?? inExpr(arm.body) };
        }));
      }
      case "RegionExpr": case "BlockExpr": return block(e.block, pending);
      default: return { falls: true, pending: pending ?? inExpr(e) };
    }
  };
  const stmt = (st: A.Stmt, pending: A.Span | null): Path => {
    switch (st.kind) {
      case "Return": case "Break": return { falls: false, pending: null };
      case "Continue": found ??= pending; return { falls: false, pending: null };
      case "ExprStmt": return expr(st.expr, pending);
      case "BlockStmt": return block(st.block, pending);
      case "While": case "For": return { falls: true, pending: pending ?? firstAwait({ kind: "Block", span: st.span, stmts: [st] }) };
      case "Let": return { falls: true, pending: pending ?? inExpr(st.value) };
      case "Assign": return { falls: true, pending: pending ?? inExpr(st.target) ?? inExpr(st.value) };
      case "ConstStmt": return { falls: true, pending: pending ?? inExpr(st.value) };
    }
  };
  const block = (b: A.Block, pending: A.Span | null): Path => {
    let p: Path = { falls: true, pending };
    for (const st of b.stmts) {
      if (!p.falls) break;
      p = stmt(st, p.pending);
    }
    return p;
  };
  const end = block(body, null);
  if (end.falls) found ??= end.pending;
  return found;
}

export function forOverGlobal(a: Analysis, s: For, iter: Root[]): void {
  const g = iter.find((r): r is GRoot => r.k === "g" && r.direct);
  if (!g) return;
  const aw = awaitBeforeNext(s.body);
  if (!aw) return;
  const it = a.text(s.iter.span);
  a.report(`E0302:${s.span.start}:${s.span.file}`, { ...at(M.loopOverGlobalAwaits(g.global, it, a.p.globals.find((x) => x.name === g.global)?.type.k === "map"), s.iter.span), label: "iterated here", labels: [{ message: `another task may change \`${g.global}\` while this one waits`, span: aw }] });
}

/**
 * Whether a loop body may queue drops of global memory, so that its back-edge is worth a safe point: it names a
 * `var` global (a store may replace a value) or calls a function value, a trait method, an async function or a
 * program's function or method that is not quiet (quietFns). A loop of arithmetic and local collections
 * (mandelbrot's inner `while`, spectral-norm's `sum += a(i, j) * u[j]`) gets no check.
 */
export function mayQueueDrops(p: TypedProgram, body: A.Block, quiet: ReadonlySet<FnInfo>): boolean {
  let yes = false;
  walkBlock(body, (e) => {
    if (yes) return;
    const r = e.kind === "Ident" || e.kind === "Field" ? p.refs.get(e) : undefined;
    if (r?.kind === "global" && r.g.mutable) yes = true;
    const t = e.kind === "Call" ? p.calls.get(e) : undefined;
    if (t && (t.kind === "closure" || t.kind === "traitMethod" || ((t.kind === "fn" || t.kind === "method") && !t.f.decl.extern && !quiet.has(t.f)))) yes = true;
  });
  return yes;
}

/**
 * The sync functions whose calls cannot queue a drop of global memory (a greatest fixpoint over the call graph):
 * the body names no `var` global, changes no parameter or receiver (the summary's `mutates`, `mutatesInside`,
 * `changesColl`: a global collection passed by its path would be changed in place), and calls no function value,
 * trait method, async function or program function that is not quiet itself. Wrong only costs a safe point.
 */
export function quietFns(p: TypedProgram, summary: (f: FnInfo) => Summary): Set<FnInfo> {
  const quiet = new Set(p.fns.filter((f) => {
    if (f.decl.async || !f.decl.body || f.decl.extern) return false;
    const s = summary(f);
    return !s.mutates.size && !s.mutatesInside.size && !s.changesColl.size;
  }));
  for (let changed = true; changed;) {
    changed = false;
    for (const f of quiet) if (mayQueueDrops(p, f.decl.body!, quiet)) { quiet.delete(f); changed = true; }
  }
  return quiet;
}
