// Bounded memory for long-lived tasks (MEMORY.md; issue: a consumer or poller
// that loops forever must not keep what every iteration allocated). In an
// async body, a `while` or `for` loop whose body awaits gets a region of its
// own per iteration, exactly as if the body were written `region { ... }`:
// what an iteration allocates is freed when it ends, and what it stores into
// older variables is copied out (the region analysis records each copy, and
// `--explain-copies` names the loop). Loops that do not await are left alone:
// they run within one turn and cost nothing extra.

import type * as A from "./ast.js";
import { walkNested } from "./nested.js";

function awaits(b: A.Block): boolean {
  let found = false;
  walkNested(b, { expr: (e) => { if (e.kind === "Await") found = true; } });
  return found;
}

function awaitsExpr(e: A.Expr): boolean {
  return awaits({ kind: "Block", span: e.span, stmts: [{ kind: "ExprStmt", span: e.span, expr: e }] });
}

function wrapLoops(body: A.Block | A.Expr): void {
  walkNested(body, {
    stmt: (s) => {
      // `while (await next()).len() > 0 { ... }`: the condition allocates every iteration too (red team, stop 25: it
      // grew without bound). It becomes the body's first statement, `while true { if cond {} else { break } ... }`,
      // so it runs inside the iteration's region.
      // A condition that does not await but may allocate (`while "item-{i}".len() > 0`, a call, a concatenation) in
      // an awaiting loop goes the same way (stop 29: it grew the task's memory by 2.8 MB over 190,000 iterations).
      if (s.kind === "While" && (awaitsExpr(s.cond) || (mayAllocate(s.cond) && awaits(s.body)))) {
        const c = s.cond, span = c.span;
        s.cond = { kind: "BoolLit", span, value: true };
        // `if cond {} else { break }`: the condition is checked as a condition (E0208 stays E0208).
        const exit: A.Stmt = { kind: "ExprStmt", span, expr: { kind: "If", span, cond: c, then: { kind: "Block", span, stmts: [] }, else_: { kind: "Block", span, stmts: [{ kind: "Break", span }] } } };
        s.body.stmts = [exit, ...s.body.stmts];
      }
      if ((s.kind === "While" || s.kind === "For") && awaits(s.body) && !isImplicitRegion(s.body)) {
        const inner: A.Block = { kind: "Block", span: s.body.span, stmts: s.body.stmts };
        s.body.stmts = [{ kind: "ExprStmt", span: s.body.span, expr: { kind: "RegionExpr", span: s.body.span, block: inner, implicit: true } }];
      }
    },
  });
}

/** Whether evaluating e may allocate: a call, an interpolated string, a `+` (of strings), a literal that builds a
 *  collection, struct or tuple, a closure. Names, fields, indexing, numbers and comparisons do not. */
function mayAllocate(e: A.Expr): boolean {
  let found = false;
  walkNested({ kind: "Block", span: e.span, stmts: [{ kind: "ExprStmt", span: e.span, expr: e }] }, {
    expr: (x) => {
      switch (x.kind) {
        case "Call": case "Closure": case "VecLit": case "MapLit": case "StructLit": case "TupleLit": case "Spawn": found = true; return;
        case "StrLit": if (x.parts.some((p) => p.kind === "interp")) found = true; return;
        case "Binary": if (x.op === "+") found = true; return;
        default: return;
      }
    },
  });
  return found;
}

function isImplicitRegion(b: A.Block): boolean {
  const s = b.stmts[0];
  return b.stmts.length === 1 && s.kind === "ExprStmt" && s.expr.kind === "RegionExpr" && !!s.expr.implicit;
}

/** Gives every awaiting loop in the module's async functions and async closures its own region per iteration. */
export function regionPerAwaitingLoop(m: A.Module): void {
  const visit = (n: unknown): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) { for (const x of n) visit(x); return; }
    const o = n as { kind?: string };
    if (o.kind === "Fn") { const f = n as A.FnDecl; if (f.async && f.body) wrapLoops(f.body); }
    if (o.kind === "Closure") { const c = n as Extract<A.Expr, { kind: "Closure" }>; if (c.async) wrapLoops(c.body); }
    for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "nameSpan") visit(v);
  };
  visit(m.decls);
}
