// String operators and interpolation as IR, where the string emitter
// (body.ts binary/arith, strLit) wrote runtime calls: `a + b` is
// `co_str_concat(a, b)`, `a < b` (and `<=`, `>`, `>=`) is `co_str_cmp(a, b)
// < 0`, `a == b` is `co_str_eq(a, b)` (`!=` its negation), the operands
// ordered as FnEmitter.operands ordered them (expr-ir-order.ts) and
// parenthesised as its text was inside a call (`own`).
//
// An interpolation `"x {a} y {b:>8}"` builds its string in statements
// (expr-ir-show.ts): a builder temporary, `co_sb_str` of each literal
// piece, each value shown (`Emitter.show`'s derived statements) or
// formatted by its spec, and `co_sb_finish` fixed in a string temporary. It
// emits statements, so it is IR only where statements may precede the
// expression (`ordered`), and only when every interpolated value is IR.

import type * as A from "../syntax/ast.js";
import { T, typeEq } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { hasEffects } from "./ctext.js";
import { exprIr, irExpr, own, placeIr } from "./expr-ir.js";
import { fixIr, operandsIr } from "./expr-ir-order.js";
import { chainLinkIr } from "./expr-ir-chain.js";
import { appendText, finishBuilder, formattedIr, newBuilder, showIr } from "./expr-ir-show.js";

type Binary = Extract<A.Expr, { kind: "Binary" }>;
type StrLit = Extract<A.Expr, { kind: "StrLit" }>;

const STR_OPS = new Set<A.BinOp>(["+", "<", "<=", ">", ">=", "==", "!="]);

/** Whether the binary e on two strings (its operands IR, checked by the caller) is one of the forms above. */
export function strBinaryOk(fe: FnEmitter, e: Binary): boolean {
  return STR_OPS.has(e.op) && typeEq(fe.typeOf(e.left), fe.typeOf(e.right));
}

/** The IR of the string binary e, which strBinaryOk accepted. */
export function strBinaryExprIr(fe: FnEmitter, e: Binary): Expr {
  const [l0, r] = operandsIr(fe, [e.left, e.right], [null, null], own);
  // == and != are no links of a chain (expr-ir-chain.ts).
  const l = e.op === "==" || e.op === "!=" ? l0 : chainLinkIr(fe, e, l0);
  const rt = (name: string): Expr => ({ e: "call", f: { c: "rt", name }, args: [l, r] });
  switch (e.op) {
    case "+": return rt("co_str_concat");
    case "==": return rt("co_str_eq");
    case "!=": return { e: "unop", op: "!", x: rt("co_str_eq") };
    default: return { e: "bin", op: e.op as "<" | "<=" | ">" | ">=", l: rt("co_str_cmp"), r: { e: "int", v: 0, t: { k: "int", name: "i64" } } };
  }
}

/** Whether the interpolation e is built as IR (see above). */
export function interpIr(fe: FnEmitter, e: StrLit, ordered: boolean): boolean {
  return ordered && e.parts.every((p) => p.kind === "text" || irExpr(fe, p.expr, true));
}

/** The IR of the interpolation e, which interpIr accepted: its statements emitted, the string a temporary. */
export function interpExprIr(fe: FnEmitter, e: StrLit): Expr {
  const b = newBuilder(fe);
  for (const p of e.parts) {
    if (p.kind === "text") { if (p.value) appendText(fe, b, p.value); continue; }
    const t = fe.typeOf(p.expr);
    const v = own(exprIr(fe, p.expr));
    if (p.spec) formattedIr(fe, t, b, v, p.spec);
    else showIr(fe, t, b.addr, v, false);
  }
  return finishBuilder(fe, b);
}

/**
 * `s += t` on a string at a path of the current region's memory (a local
 * declared outside no open region block, or a field or element of one: its
 * owner is null, statements.ts assign): `s = co_str_concat(s, t)`, as
 * Emitter.appendedIr builds it where the store copies nothing; t runs first when
 * it has effects (fixed in a temporary, as `x op= e` fixes it). Emits it and
 * says so, or emits nothing and returns false (a place that may be in global
 * memory or in an older region appends there or replaces: text).
 */
export function strAppendIr(fe: FnEmitter, s: Extract<A.Stmt, { kind: "Assign" }>): boolean {
  if (s.op !== "+=" || !typeEq(fe.typeOf(s.value), T.string) || !placeIr(fe, s.target) || !irExpr(fe, s.value, true)) return false;
  // A path's owner is found without emitting anything (FnEmitter.place fixes operands only through an index).
  if (fe.placeWithOwner(s.target).owner !== null) return false;
  // A store-back's local appends in its collection's region (text: statements.ts).
  if (fe.em.appendsInto(s)) return false;
  const to = exprIr(fe, s.target);
  let v = exprIr(fe, s.value);
  if (hasEffects(s.value)) v = fixIr(fe, v, T.string, true);
  fe.emit({ s: "assign", to, v: { e: "call", f: { c: "rt", name: "co_str_concat" }, args: [own(to), own(v)] } });
  return true;
}
