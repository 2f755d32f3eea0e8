// Generic traversal of the AST: calls `visit` on every expression inside a
// statement, block or expression, in source order. Passes that only need to
// find things (calls, captures) use this instead of their own recursion.

import type * as A from "./ast.js";

export function walkBlock(b: A.Block, visit: (e: A.Expr) => void): void {
  for (const s of b.stmts) walkStmt(s, visit);
}

export function walkStmt(s: A.Stmt, visit: (e: A.Expr) => void): void {
  switch (s.kind) {
    case "Let": if (s.value) walkExpr(s.value, visit); return;
    case "ConstStmt": walkExpr(s.value, visit); return;
    case "Assign": walkExpr(s.target, visit); walkExpr(s.value, visit); return;
    case "ExprStmt": walkExpr(s.expr, visit); return;
    case "While": walkExpr(s.cond, visit); walkBlock(s.body, visit); return;
    case "For": walkExpr(s.iter, visit); walkBlock(s.body, visit); return;
    case "Return": if (s.value) walkExpr(s.value, visit); return;
    case "BlockStmt": walkBlock(s.block, visit); return;
    case "Break": case "Continue": return;
  }
}

function walkBody(b: A.Block | A.Expr, visit: (e: A.Expr) => void): void {
  if (b.kind === "Block") walkBlock(b, visit);
  else walkExpr(b, visit);
}

export function walkExpr(e: A.Expr, visit: (e: A.Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case "IntLit": case "FloatLit": case "BoolLit": case "NoneLit": case "Ident": return;
    case "StrLit": for (const p of e.parts) if (p.kind === "interp") walkExpr(p.expr, visit); return;
    case "Binary": walkExpr(e.left, visit); walkExpr(e.right, visit); return;
    case "Unary": walkExpr(e.operand, visit); return;
    case "Call": walkExpr(e.callee, visit); for (const a of e.args) walkExpr(a, visit); return;
    case "Field": case "TupleIndex": walkExpr(e.target, visit); return;
    case "Index": walkExpr(e.target, visit); walkExpr(e.index, visit); return;
    case "Unwrap": case "Try": case "Cast": case "Await": walkExpr(e.operand, visit); return;
    case "Spawn": walkExpr(e.call, visit); return;
    case "StructLit": for (const f of e.fields) walkExpr(f.value, visit); return;
    case "TupleLit": case "VecLit": for (const x of e.elems) walkExpr(x, visit); return;
    case "MapLit": for (const x of e.entries) { walkExpr(x.key, visit); walkExpr(x.value, visit); } return;
    case "Range": walkExpr(e.lo, visit); walkExpr(e.hi, visit); return;
    case "If": walkExpr(e.cond, visit); walkBlock(e.then, visit); if (e.else_) walkBody(e.else_, visit); return;
    case "IfLet": walkExpr(e.value, visit); walkBlock(e.then, visit); if (e.else_) walkBody(e.else_, visit); return;
    case "Match": walkExpr(e.subject, visit); for (const a of e.arms) { if (a.guard) walkExpr(a.guard, visit); walkBody(a.body, visit); } return;
    case "BlockExpr": case "RegionExpr": walkBlock(e.block, visit); return;
    case "Closure": walkBody(e.body, visit); return;
  }
}

/** Does a block await? A test block that does runs as a task (an await only inside an async closure makes it one too, harmlessly). */
export function awaits(b: A.Block): boolean {
  let found = false;
  const visit = (e: A.Expr): void => { if (e.kind === "Await") found = true; };
  for (const s of b.stmts) walkStmt(s, visit);
  return found;
}
