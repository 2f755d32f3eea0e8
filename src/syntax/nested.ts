// Traversal of one function body that reaches every statement and expression
// in every nested position (if/else, match arms, loops, blocks, region
// blocks, short-circuit operands) but stops at nested closures: a closure is
// visited, its body is not, since it is a function of its own. Checks about
// "this body" (assignments to captured variables, returns) use it so that no
// nesting shape is forgotten.

import type * as A from "./ast.js";

export interface NestedVisitor {
  stmt?: (s: A.Stmt) => void;
  expr?: (e: A.Expr) => void;
}

export function walkNested(body: A.Block | A.Expr, v: NestedVisitor): void {
  const block = (b: A.Block): void => { for (const s of b.stmts) stmt(s); };
  const either = (b: A.Block | A.Expr): void => { if (b.kind === "Block") block(b); else expr(b); };
  const stmt = (s: A.Stmt): void => {
    v.stmt?.(s);
    switch (s.kind) {
      case "Let": if (s.value) expr(s.value); return;
      case "ConstStmt": expr(s.value); return;
      case "Assign": expr(s.target); expr(s.value); return;
      case "ExprStmt": expr(s.expr); return;
      case "While": expr(s.cond); block(s.body); return;
      case "For": expr(s.iter); block(s.body); return;
      case "Return": if (s.value) expr(s.value); return;
      case "BlockStmt": block(s.block); return;
      case "Break": case "Continue": return;
    }
  };
  const expr = (e: A.Expr): void => {
    v.expr?.(e);
    switch (e.kind) {
      case "IntLit": case "FloatLit": case "BoolLit": case "NoneLit": case "Ident": case "Closure": return;
      case "StrLit": for (const p of e.parts) if (p.kind === "interp") expr(p.expr); return;
      case "Binary": expr(e.left); expr(e.right); return;
      case "Unary": expr(e.operand); return;
      case "Call": expr(e.callee); e.args.forEach(expr); return;
      case "Field": case "TupleIndex": expr(e.target); return;
      case "Index": expr(e.target); expr(e.index); return;
      case "Unwrap": case "Try": case "Cast": case "Await": expr(e.operand); return;
      case "Spawn": expr(e.call); return;
      case "StructLit": for (const f of e.fields) expr(f.value); return;
      case "TupleLit": case "VecLit": e.elems.forEach(expr); return;
      case "MapLit": for (const x of e.entries) { expr(x.key); expr(x.value); } return;
      case "Range": expr(e.lo); expr(e.hi); return;
      case "If": expr(e.cond); block(e.then); if (e.else_) either(e.else_); return;
      case "IfLet": expr(e.value); block(e.then); if (e.else_) either(e.else_); return;
      case "Match": expr(e.subject); for (const a of e.arms) { if (a.guard) expr(a.guard); either(a.body); } return;
      case "BlockExpr": case "RegionExpr": block(e.block); return;
    }
  };
  either(body);
}
