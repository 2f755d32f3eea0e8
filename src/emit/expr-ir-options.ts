// `x!`, `x?` and `a ?? b` as IR (src/lower/ir.ts), built as the string
// emitter (body.ts `expr` "Unwrap", `tryExpr`, `binary` "??") wrote them:
// the operand is fixed in a temporary (FnEmitter.materializeAlways' rule:
// a Colang local or a temporary stays as it is), then
//
// - `x!`: `if (!t1.has) co_panic_at("file", line, col, "unwrapped none
//   with `!`");` (a short `if` of a `panic` statement), the value `t1.val`;
//   an `x!` of a value the checker narrowed is x;
// - `x?` of an optional: `if (!t1.has) { return none; }`, the value
//   `t1.val`; of a Result: `if (t1.tag != 0) { return Err(payload); }`
//   (`{ e: "variant" }`), the value the Ok payload (`{ e: "payload" }`);
//   only where the return is a plain `return` or an async body's `done`
//   (no region block open, no copy of the returned value: FnEmitter.retLine);
// - `a ?? b`: `(t1.has ? t1.val : b)` (`{ e: "cond" }`) where b emits no
//   statements (it runs only when a is none) and needs no coercion.
//
// `x!` and `x?` emit statements, so they are IR only where statements may
// precede the expression (`ordered`, as irExpr's); `a ?? b` too unless a is
// a local (no temporary).

import type * as A from "../syntax/ast.js";
import { typeEq, type Type } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { exprIr, irExpr, own } from "./expr-ir.js";
import { fixIr } from "./expr-ir-order.js";
import type { EnumT } from "./enum-layout.js";

type Unwrap = Extract<A.Expr, { kind: "Unwrap" }>;
type Try = Extract<A.Expr, { kind: "Try" }>;
type Binary = Extract<A.Expr, { kind: "Binary" }>;

const loc = (span: A.Span) => ({ file: span.file, line: span.line, col: span.col });

/** Whether `x!` is built as IR. */
export function unwrapIr(fe: FnEmitter, e: Unwrap, ordered: boolean): boolean {
  if (fe.typeOf(e.operand).k !== "optional") return irExpr(fe, e.operand, ordered);
  return ordered && irExpr(fe, e.operand, true);
}

/** The IR of `x!`, which unwrapIr accepted: the test and panic are emitted now. */
export function unwrapExprIr(fe: FnEmitter, e: Unwrap): Expr {
  const ot = fe.typeOf(e.operand);
  if (ot.k !== "optional") return exprIr(fe, e.operand);
  const o = fixIr(fe, exprIr(fe, e.operand), ot, true);
  fe.emit({ s: "if", cond: { e: "not", x: { e: "has", of: o } }, then: [{ s: "panic", at: loc(e.span), msg: "unwrapped none with `!`" }], else_: [], short: true });
  return { e: "val", of: o };
}

/** Whether `x?` is built as IR (see above). */
export function tryIr(fe: FnEmitter, e: Try, ordered: boolean): boolean {
  if (!ordered || fe.regionStack.length || !irExpr(fe, e.operand, true)) return false;
  const ot = fe.typeOf(e.operand), ret = fe.retType();
  if (fe.em.copiesReturn(e, ret)) return false;
  if (ot.k === "optional") return ret.k === "optional";
  return ot.k === "enum" && ret.k === "enum" && !ot.info.recursive && !ret.info.recursive;
}

/** The IR of `x?`, which tryIr accepted: the test and the early return are emitted now. */
export function tryExprIr(fe: FnEmitter, e: Try): Expr {
  const ot = fe.typeOf(e.operand);
  const r = fixIr(fe, exprIr(fe, e.operand), ot, true);
  const ret = fe.retType();
  fe.em.defineType(ret);
  if (ot.k === "optional") {
    fe.emit({ s: "if", cond: { e: "not", x: { e: "has", of: r } }, then: fe.nest(() => fe.retLine({ e: "none", t: ret }, e)), else_: [] });
    return { e: "val", of: r };
  }
  const rt = ot as EnumT, err: Expr = { e: "payload", of: r, type: rt, variant: 1, i: 0 };
  const cond: Expr = { e: "bin", op: "!=", l: { e: "tag", of: r, type: rt }, r: { e: "int", v: 0, t: { k: "int", name: "i32" } } };
  fe.emit({ s: "if", cond, then: fe.nest(() => fe.retLine({ e: "variant", type: ret as EnumT, variant: 1, fields: [err] }, e)), else_: [] });
  return { e: "payload", of: r, type: rt, variant: 0, i: 0 };
}

/** Whether `a ?? b` is built as IR (see above). */
export function coalesceIr(fe: FnEmitter, e: Binary, t: Type, ordered: boolean): boolean {
  const lt = fe.typeOf(e.left);
  if (lt.k !== "optional" || !typeEq(lt.inner, t) || !typeEq(fe.typeOf(e.right), t)) return false;
  if (!ordered && !localVar(fe, e.left)) return false;
  return irExpr(fe, e.left, ordered) && irExpr(fe, e.right);
}

function localVar(fe: FnEmitter, e: A.Expr): boolean { return e.kind === "Ident" && fe.typed.refs.get(e)?.kind === "local"; }

/** The IR of `a ?? b`, which coalesceIr accepted. */
export function coalesceExprIr(fe: FnEmitter, e: Binary): Expr {
  const o = fixIr(fe, exprIr(fe, e.left), fe.typeOf(e.left), true);
  return { e: "cond", c: { e: "has", of: o }, a: { e: "val", of: o }, b: own(exprIr(fe, e.right)), own: true };
}
