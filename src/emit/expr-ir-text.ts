// The bridge the other way: where the string emitter is handed an expression
// whole (FnEmitter.expr) and that expression is IR (expr-ir.ts, with
// statements allowed before it: the string emitter may always emit them
// there), the expression is built as IR — its statements (temporaries, a
// literal's pushes, a closure's environment) are IR statements — and the
// string emitter gets its value as the printed IR, the text it would have
// written. Only the value's line stays C text in the enclosing expression.

import type * as A from "../syntax/ast.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { printExpr } from "./print.js";
import { knownIr } from "./frames-ir.js";
import { own } from "./expr-ir.js";

/** The kinds of expression built through the IR when the string emitter is handed one. */
export const TEXT_VIA_IR: ReadonlySet<A.Expr["kind"]> = new Set<A.Expr["kind"]>(["Call", "VecLit", "MapLit", "Binary", "Unary", "Cast", "Field", "TupleIndex", "Index", "Unwrap", "Try", "StructLit", "TupleLit", "StrLit", "Closure"]);

/** x printed as the string emitter writes an operand (parenthesised where it is an operator). */
export function irText(fe: FnEmitter, x: Expr): string {
  return printExpr(x, { instance: (f, args, unchecked) => fe.em.called(f, args, unchecked) });
}

/**
 * x's text (irText), remembered with x (frames-ir.ts knownIr): where the string emitter declares, stores or
 * returns that text whole (a temporary fixing an operand, `materialize`), the statement gets x back as IR.
 * Only where x, as such a statement's whole value (`own`: the parentheses the text has), prints back to the text.
 */
export function irValueText(fe: FnEmitter, x: Expr): string {
  const text = irText(fe, x), y = own(x);
  return printExpr(y, { instance: (f, args, unchecked) => fe.em.called(f, args, unchecked) }, true) === text ? knownIr(fe, text, y) : text;
}
