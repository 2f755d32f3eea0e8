// The string emitter's own temporaries where a condition emits statements,
// as IR (src/lower/ir.ts), placed where statements.ts and body.ts put them:
//
// - the right operand of `and`/`or` that emits statements (an operand fixed
//   in a temporary, `x!`, `x?`, ...): it runs only when needed, so the value
//   goes through a `bool` temporary: `bool t1 = l; if (t1) { ...; t1 = r; }`
//   (`if (!t1)` for `or`), the expression reads t1;
// - a `while` condition that emits statements: `for (;;) { ...; if (!(c))
//   break; body }` (the statements run before each test).
//
// Both only where the whole expression is IR (irExpr with `ordered`: the
// statements are built where they run).

import type * as A from "../syntax/ast.js";
import { T } from "../check/types.js";
import type { Expr, Local, Stmt } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { exprIr, irExpr, own } from "./expr-ir.js";
import { chainLinkIr } from "./expr-ir-chain.js";

type Binary = Extract<A.Expr, { kind: "Binary" }>;

/** Whether the right operand of `and`/`or` is IR: as it is, or (where statements may precede) with its statements inside an `if`. */
export function rightIr(fe: FnEmitter, e: Binary, ordered: boolean): boolean {
  return irExpr(fe, e.right) || (ordered && irExpr(fe, e.right, true));
}

/** The IR of `l and r` / `l or r` (binaryIr accepted it): `l && r`, or through a `bool` temporary when r emits statements. */
export function andOrIr(fe: FnEmitter, e: Binary): Expr {
  const l = chainLinkIr(fe, e, exprIr(fe, e.left));
  let r: Expr = l;
  const stmts = fe.nest(() => { r = exprIr(fe, e.right); });
  if (!stmts.length) return { e: "bin", op: e.op === "and" ? "&&" : "||", l, r };
  const v: Local = { id: 0, name: fe.newTmp(), type: T.bool };
  fe.emit(fe.decl("bool", v.name) === v.name ? { s: "assign", to: { e: "local", l: v }, v: own(l) } : { s: "decl", l: v, init: own(l) });
  const t: Expr = { e: "local", l: v };
  fe.emit({ s: "if", cond: e.op === "and" ? t : { e: "not", x: t }, then: [...stmts, { s: "assign", to: t, v: own(r) }], else_: [] });
  return t;
}

/**
 * A `while` condition that is IR where statements precede it: its statements
 * (collected now, to run before each test) and its value, or null.
 */
export function whileCondIr(fe: FnEmitter, cond: A.Expr): { stmts: Stmt[]; x: Expr } | null {
  if (!irExpr(fe, cond, true)) return null;
  let x: Expr | null = null;
  const stmts = fe.nest(() => { x = exprIr(fe, cond); });
  return { stmts, x: x! };
}

/** The test that leaves the loop: `if (!(c)) break;` as the string emitter wrote it. */
export function breakUnless(x: Expr): Stmt {
  return { s: "if", cond: { e: "not", x: { e: "paren", x: own(x) } }, then: [{ s: "break" }], else_: [], short: true };
}
