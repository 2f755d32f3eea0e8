// Expressions of function bodies as IR (src/lower/ir.ts): literals,
// variables, field and tuple-element paths, the operators the string emitter
// writes as plain C operators (comparisons, `and`/`or`, `not`, `==` on
// numbers and bools, float arithmetic, integer arithmetic range analysis
// proved unable to fail), checked integer arithmetic, negation and numeric
// casts (the runtime's checked calls, their failure stubs as operands), and
// calls (expr-ir-calls.ts: function instances, function values, `mut self`
// methods; expr-ir-methods.ts: collection and string methods; expr-ir-builtins.ts:
// printing, assert, panic, builders, format methods; expr-ir-std.ts: externs and
// calls into std), string operators and interpolation (expr-ir-strings.ts),
// float `%` (`fmod`), and an operator's operand that is an `if`, `match` or
// block where statements may precede (its result temporary: branchOk).
//
// An expression is built as IR only when the whole of it is one of these
// forms (`irExpr` says so before anything is emitted), so a part never has
// to be printed to text to be glued into a bridge. Where statements may come
// before it (`ordered`: an initialiser, a stored or returned value, an `if`
// condition, a call statement) the operands the string emitter fixed in
// temporaries are fixed the same way (expr-ir-order.ts: the same rule, the
// same temporaries in the same order); elsewhere (a `while` condition, the
// right operand of `and`/`or`) the expression emits nothing. Long operator
// chains are split into temporaries (expr-ir-chain.ts) where statements may
// precede, and are text elsewhere. Everything else
// stays text (`{ e: "c" }`) from FnEmitter.expr. The printer writes the same
// C the string emitter wrote for these forms, parenthesised the same way
// (`own`, `eqOperand`: the `paren` layout node).

import type * as A from "../syntax/ast.js";
import { T, typeEq, isSigned, type IntName, type LocalVar, type Type } from "../check/types.js";
import type { BinOp, Expr } from "../lower/ir.js";
import { isBoxed, type EnumT } from "./enum-layout.js";
import { CHAIN_SPILL, fits, type FnEmitter } from "./body.js";
import { floatLit, intLit } from "./ctext.js";
import { callExprIr, callIr } from "./expr-ir-calls.js";
import { anyFixed, operandsIr } from "./expr-ir-order.js";
import { indexExprIr, indexIr } from "./expr-ir-index.js";
import { andOrIr, rightIr } from "./expr-ir-cond.js";
import { literalExprIr, literalIr, valueExprIr, valueOk } from "./expr-ir-literals.js";
import { collLiteralExprIr, collLiteralIr } from "./expr-ir-literals-coll.js";
import { coalesceExprIr, coalesceIr, tryExprIr, tryIr, unwrapExprIr, unwrapIr } from "./expr-ir-options.js";
import { interpExprIr, interpIr, strBinaryExprIr, strBinaryOk } from "./expr-ir-strings.js";
import { awaitExprIr, awaitIr, spawnExprIr, spawnIr } from "./futures.js";
import { readInPlaceIr } from "./match-ir.js";
import { eqExprIr, eqIr, isDerivedEq } from "./expr-ir-eq.js";
import { closureIr, closureOk, namedFnIr, namedFnOk } from "./closures.js";
import { chainLinkIr } from "./expr-ir-chain.js";
import { wholeIr } from "./frames-ir.js";
import { checkedBinaryCall, checkedConvCall, checkedNegCall, type Checked } from "./fail-stubs.js";

const COMPARE = new Set<A.BinOp>(["<", "<=", ">", ">="]);
/** Integer operators the string emitter writes as `((T)(l op r))` once proven (`<<` shifts the bit pattern as u64: `((T)(((uint64_t)(l)) << r))`). */
const PROVEN_INT = new Set<A.BinOp>(["+", "-", "*", "/", "%", ">>", "<<"]);
/** Integer operators the string emitter writes as the runtime's checked call when not proven. */
const CHECKED_INT = new Set<A.BinOp>(["+", "-", "*", "/", "%", "<<", ">>"]);
const BITS = new Set<A.BinOp>(["&", "|", "^"]);
const FLOAT_ARITH = new Set<A.BinOp>(["+", "-", "*", "/", "%"]);

/**
 * Whether e is built as IR (see above): every part of it is one of the forms
 * of this file. `ordered`: where statements may come before the expression
 * (an initialiser, a stored or returned value, an `if` condition, a call
 * statement), operands the string emitter fixed in temporaries are IR too
 * (expr-ir-order.ts declares them); else (a `while` condition, the right
 * operand of `and`/`or`) the expression emits no statements.
 */
export function irExpr(fe: FnEmitter, e: A.Expr, ordered = false, uncopied = false): boolean {
  const t = fe.typed.exprTypes.get(e);
  if (!t) return false;
  const ty = fe.ty(t);
  if (ty.k === "never" || ty.k === "unit") return false;
  // A borrow copied where it is passed or stored (FnEmitter.value) is written by the string emitter; `uncopied`:
  // e's own value is asked for without that copy (FnEmitter.expr, whose caller value() copies its text).
  if (!uncopied && fe.em.copiesBorrow(e)) return false;
  switch (e.kind) {
    case "IntLit": return ty.k === "int" || ty.k === "float";
    case "FloatLit": return ty.k === "float";
    case "BoolLit": return true;
    case "StrLit": return e.parts.every((p) => p.kind === "text") || interpIr(fe, e, ordered);
    case "Ident": return isVar(fe, e);
    case "Field":
      if (fe.typed.mathConsts.has(e)) return true;
      // `i64.MAX`, `f64.EPSILON`, `f64.NAN`: a literal (helpers.ts numberConst spells it the same).
      if (fe.typed.numConsts.has(e)) return numConstOk(fe.typed.numConsts.get(e)!, ty);
      if (fe.typed.refs.has(e)) return isVar(fe, e);
      return isPath(fe, e.target) || throughIndex(fe, e.target, ordered);
    case "TupleIndex": return isPath(fe, e.target) || throughIndex(fe, e.target, ordered);
    case "Unary":
      if (e.op === "-" && e.operand.kind === "IntLit") return ty.k === "int" || ty.k === "float";
      if (!irExpr(fe, e.operand, ordered)) return false;
      if (e.op === "not") return true;
      if (e.op === "~") return ty.k === "int";
      // An integer negation range analysis did not prove is the runtime's checked call (signed types only have one).
      if (e.op === "-") return ty.k === "float" || (ty.k === "int" && (!!fe.unchecked?.has(e) || isSigned(ty.name)));
      return false;
    case "Binary": return binaryIr(fe, e, ordered);
    case "Cast": return castIr(fe, e, ty, ordered);
    case "Call": return callIr(fe, e, ordered);
    case "Index": return indexIr(fe, e, ordered);
    case "Unwrap": return unwrapIr(fe, e, ordered);
    case "Try": return tryIr(fe, e, ordered);
    case "StructLit": case "TupleLit": return literalIr(fe, e, ordered);
    case "NoneLit": return ty.k === "optional";
    case "VecLit": case "MapLit": return collLiteralIr(fe, e, ordered);
    case "Await": return awaitIr(fe, e, ordered);
    case "Spawn": return spawnIr(fe, e, ordered);
    case "Closure": return closureOk(fe, e, ordered);
    default: return false;
  }
}

/** Whether a number constant of type t is a literal node: an integer's a bigint, a float's a number other than NaN. */
function numConstOk(v: bigint | number, t: Type): boolean {
  return typeof v === "bigint" ? t.k === "int" : t.k === "float";
}

function isVar(fe: FnEmitter, e: A.Expr): boolean {
  const r = fe.typed.refs.get(e);
  if (r?.kind === "global") return true;
  // A function named as a value (not async): a `fnValue` of its wrapper (closures.ts).
  if (r?.kind === "fn") return namedFnOk(fe, e);
  // A unit variant named as a value (`Dot`, `Red`, a recursive enum's `Leaf`): a `variant` node (FnEmitter.varRef).
  if (r?.kind === "variant") return true;
  if (r?.kind !== "local") return false;
  // A match binding read in place: the place (match-ir.ts); `self` of a `mut self` method (a pointer): `(*l_self_N)`.
  if (fe.readInPlace.has(r.v)) return !!readInPlaceIr(fe, r.v);
  return fe.localRef(r.v) === fe.lv(r.v) || mutSelf(fe, r.v);
}

/** Whether v is `self` of a `mut self` method, read through its pointer (FnEmitter.localRef: `(*l_self_N)`). */
function mutSelf(fe: FnEmitter, v: LocalVar): boolean { return fe.localRef(v) === `(*${fe.lv(v)})`;
}

/** A variable, field or tuple element path: what the string emitter writes bare before `.name`. */
export function isPath(fe: FnEmitter, e: A.Expr): boolean {
  return pathShape(fe, e) && irExpr(fe, e) && !(e.kind === "Field" && (fe.typed.mathConsts.has(e) || fe.typed.numConsts.has(e)));
}

function pathShape(fe: FnEmitter, e: A.Expr): boolean {
  if (e.kind === "Ident" || (e.kind === "Field" && fe.typed.refs.has(e))) { const k = fe.typed.refs.get(e)?.kind; return k !== "variant" && k !== "fn"; }
  return (e.kind === "Field" || e.kind === "TupleIndex") && pathShape(fe, e.target);
}

/** A field or element read of an element (`v[i].f`, `m[k].0`, `v[i].a.b`) or of a call's result (`stats().bytes`):
 *  the string emitter wrote it after the read's or the call's text. */
function throughIndex(fe: FnEmitter, e: A.Expr, ordered: boolean): boolean {
  return (e.kind === "Index" || e.kind === "Field" || e.kind === "TupleIndex" || e.kind === "Call") && irExpr(fe, e, ordered);
}

/** How many left-nested operator links end at e: the most the string emitter's chain spilling can count. */
function chainBound(e: A.Expr): number { return e.kind === "Binary" ? chainBound(e.left) + 1 : 0; }

function binaryIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Binary" }>, ordered: boolean): boolean {
  // Past the spill depth the left part is fixed in a temporary (expr-ir-chain.ts): only where statements may precede.
  if (!ordered && chainBound(e) > CHAIN_SPILL) return false;
  const op = e.op, lt = fe.typeOf(e.left);
  // The right operand of `and`/`or` runs only when needed: one that emits statements is an `if` of the string emitter's.
  if (op === "and" || op === "or") return irExpr(fe, e.left, ordered) && rightIr(fe, e, ordered);
  if (op === "??") return coalesceIr(fe, e, fe.typeOf(e), ordered);
  if (isDerivedEq(fe, e)) return eqIr(fe, e, ordered);
  if (!operandOk(fe, e.left, ordered) || !operandOk(fe, e.right, ordered)) return false;
  // Operands the string emitter fixes in temporaries (effects, two that may panic): only where statements may precede.
  if (!ordered && anyFixed([e.left, e.right])) return false;
  // `==` on numbers and bools (exprIr parenthesises an operand as the derived `==` of the string emitter did).
  if (lt.k === "string") return strBinaryOk(fe, e);
  if (op === "==" || op === "!=") return typeEq(lt, fe.typeOf(e.right)) && (lt.k === "int" || lt.k === "float" || lt.k === "bool");
  if (COMPARE.has(op)) return lt.k === "int" || lt.k === "float" || lt.k === "bool";
  if (lt.k === "float") return FLOAT_ARITH.has(op);
  if (lt.k === "int") return BITS.has(op) || (fe.unchecked?.has(e) ? PROVEN_INT.has(op) : CHECKED_INT.has(op));
  return false;
}

/** An operator's operand as IR: an IR expression, or where statements may precede a branch's value (branchOk). */
function operandOk(fe: FnEmitter, e: A.Expr, ordered: boolean): boolean { return irExpr(fe, e, ordered) || branchOk(fe, e, ordered); }

/**
 * An `if`, `if let`, `match` or block whose value an operator reads (`1 + (if c { 2 } else { 3 })`), where
 * statements may precede: the body emitter writes it as statements storing into a result temporary (match-ir.ts
 * resultTmp) and the operator reads that temporary (branchValueIr). Not at the top of an initialiser or a stored
 * value (irExpr never accepts one), where the branches store into the place itself.
 */
function branchOk(fe: FnEmitter, e: A.Expr, ordered: boolean): boolean {
  if (!ordered || (e.kind !== "If" && e.kind !== "IfLet" && e.kind !== "Match" && e.kind !== "BlockExpr")) return false;
  const t = fe.typeOf(e);
  return t.k !== "unit" && t.k !== "never" && !fe.em.copiesBorrow(e);
}

/** The value of a branch branchOk accepted: its statements emitted now, the result temporary they store into. */
function branchValueIr(fe: FnEmitter, e: A.Expr, t: Type): Expr {
  return { e: "local", l: { id: 0, name: fe.expr(e), type: t } };
}

/** `v as T` between numbers (and bool to an integer): a C cast, or the runtime's checked conversion when the value may not fit. */
function castIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Cast" }>, to: Type, ordered: boolean): boolean {
  if (!irExpr(fe, e.operand, ordered)) return false;
  const from = fe.typeOf(e.operand);
  if (typeEq(from, to)) return true;
  if (to.k === "float") return from.k === "int" || from.k === "float";
  return to.k === "int" && (from.k === "bool" || from.k === "float" || from.k === "int");
}

/** The IR of e, which irExpr accepted. */
export function exprIr(fe: FnEmitter, e: A.Expr): Expr {
  const t = fe.typeOf(e);
  switch (e.kind) {
    case "IntLit": return { e: "lit", t, v: e.value };
    case "FloatLit": return { e: "lit", t, v: e.value };
    case "BoolLit": return { e: "bool", v: e.value };
    case "StrLit":
      if (!e.parts.every((p) => p.kind === "text")) return interpExprIr(fe, e);
      return { e: "lit", t, v: e.parts.map((p) => (p as A.StrPart).value).join("") };
    case "Ident": return varIr(fe, e);
    case "Field": {
      const mc = fe.typed.mathConsts.get(e);
      if (mc !== undefined) return { e: "lit", t: T.f64, v: mc };
      const nc = fe.typed.numConsts.get(e);
      if (nc !== undefined) return { e: "lit", t, v: nc };
      if (fe.typed.refs.has(e)) return varIr(fe, e);
      return { e: "field", of: exprIr(fe, e.target), name: e.name };
    }
    case "TupleIndex": return { e: "elem", of: exprIr(fe, e.target), i: e.index };
    case "Unary": {
      if (e.op === "-" && e.operand.kind === "IntLit") return { e: "lit", t, v: -e.operand.value };
      const v = exprIr(fe, e.operand);
      if (e.op === "~") return { e: "bitnot", t, x: v };
      if (t.k === "int" && e.op === "-" && !fe.unchecked?.has(e)) return checkedCall(checkedNegCall(fe.em.fails, t.name, e.span), own(v));
      const x: Expr = { e: "unop", op: e.op === "not" ? "!" : "-", x: v };
      return t.k === "int" ? { e: "cast", to: t, x } : x;
    }
    case "Binary": {
      if (e.op === "??") return coalesceExprIr(fe, e);
      if (e.op === "and" || e.op === "or") return andOrIr(fe, e);
      if (isDerivedEq(fe, e)) return eqExprIr(fe, e);
      if (fe.typeOf(e.left).k === "string") return strBinaryExprIr(fe, e);
      // Operands fixed in temporaries where the string emitter fixed them (expr-ir-order.ts), of their own types.
      const [l0, r] = operandsIr(fe, [e.left, e.right], [null, null]);
      if (e.op === "==" || e.op === "!=") {
        const eq: Expr = { e: "bin", op: "==", l: eqOperand(l0), r: eqOperand(r) };
        return e.op === "==" ? eq : { e: "unop", op: "!", x: eq };
      }
      const l = chainLinkIr(fe, e, l0);
      const lt = fe.typeOf(e.left);
      // Checked integer arithmetic: the stubs are requested after both operands', as the string emitter did (their numbering).
      if (lt.k === "int" && CHECKED_INT.has(e.op) && !fe.unchecked?.has(e)) return checkedCall(checkedBinaryCall(fe.em.fails, e.op, lt.name, e.span)!, own(l), own(r));
      if (lt.k === "float" && e.op === "%") return fmodIr(lt, l, r);
      const x: Expr = e.op === "<<" ? { e: "bin", op: "<<", l: { e: "cast", to: T.int("u64"), x: own(l) }, r } : { e: "bin", op: e.op as BinOp, l, r };
      return COMPARE.has(e.op) || lt.k !== "int" ? x : { e: "cast", to: lt, x };
    }
    case "Cast": {
      const x = exprIr(fe, e.operand), from = fe.typeOf(e.operand);
      if (typeEq(from, t)) return x;
      const v = own(x);
      if (t.k === "int" && (from.k === "float" || (from.k === "int" && !fits(from.name, t.name)))) {
        return checkedCall(checkedConvCall(fe.em.fails, (from as { name: IntName | "f64" | "f32" }).name, t.name, e.span), v);
      }
      return { e: "cast", to: t, x: v };
    }
    case "Call": return callExprIr(fe, e);
    case "Index": return indexExprIr(fe, e);
    case "Unwrap": return unwrapExprIr(fe, e);
    case "Try": return tryExprIr(fe, e);
    case "StructLit": case "TupleLit": return literalExprIr(fe, e);
    case "NoneLit": return valueExprIr(fe, e, t);
    case "VecLit": case "MapLit": return collLiteralExprIr(fe, e);
    case "Await": return awaitExprIr(fe, e);
    case "Spawn": return spawnExprIr(fe, e);
    case "Closure": return closureIr(fe, e, t as Extract<Type, { k: "fn" }>);
    case "If": case "IfLet": case "Match": case "BlockExpr": return branchValueIr(fe, e, t);
    default: throw new Error(`internal: ${e.kind} is not an IR expression`);
  }
}

/** A float's `l % r`: C's `fmod` (`fmodf` for f32), the operands as a call's arguments. */
export function fmodIr(t: Type, l: Expr, r: Expr): Expr {
  return { e: "call", f: { c: "rt", name: t.k === "float" && t.name === "f32" ? "fmodf" : "fmod" }, args: [own(l), own(r)] };
}

/**
 * x where the string emitter wrote an operand's text inside its own syntax (a
 * call's argument, a cast's operand, an initialiser): an operator there kept
 * the parentheses the string emitter gave every operator, which the printer
 * leaves out where an operator stands whole.
 */
export function own(x: Expr): Expr { return x.e === "bin" || x.e === "unop" || x.e === "seq" || (x.e === "cond" && x.own) ? { e: "paren", x } : x; }

/** An operand of `==`: the string emitter's derived `==` parenthesised its operand's text unless a name or path (print.ts, "c"). */
function eqOperand(x: Expr): Expr { return plain(x) ? x : { e: "paren", x: own(x) }; }

const plain = (x: Expr): boolean => x.e === "var" || x.e === "local" || x.e === "bool" || ((x.e === "field" || x.e === "elem" || x.e === "len" || x.e === "val" || x.e === "strLen") && plain(x.of))
  || (x.e === "payload" && !isBoxed(x.type) && plain(x.of)) // a match binding read in place (`s.u.v0.f0`)
  || (x.e === "lit" && typeof x.v !== "string" && /^[A-Za-z_]\w*$/.test(x.t.k === "float" ? floatLit(Number(x.v), x.t) : intLit(BigInt(x.v), x.t))); // a number constant spelled as a name (`HUGE_VAL`, `INT64_MAX`)

/** The runtime's checked call on these operands, its failure stubs last. */
export function checkedCall(c: Checked, ...operands: Expr[]): Expr {
  return { e: "call", f: { c: "rt", name: c.fn }, args: [...operands, ...c.stubs.map((stub): Expr => ({ e: "fail", stub }))] };
}

function varIr(fe: FnEmitter, e: A.Expr): Expr {
  const r = fe.typed.refs.get(e)!;
  if (r.kind === "global") return { e: "var", v: r.g, frame: false };
  if (r.kind === "fn") return namedFnIr(fe, e, r);
  if (r.kind === "variant") { const t = fe.ty(r.type) as EnumT; fe.em.defineType(t); return { e: "variant", type: t, variant: r.variant.index, fields: [] }; }
  if (r.kind !== "local") throw new Error("internal: not a variable");
  const x: Expr = readInPlaceIr(fe, r.v) ?? { e: "var", v: r.v, frame: fe.asyncMode };
  return !fe.readInPlace.has(r.v) && mutSelf(fe, r.v) ? { e: "deref", p: x } : x;
}

/** e as the whole of a condition: IR when it can be, else the string emitter's text without outer parentheses. */
export function condIr(fe: FnEmitter, e: A.Expr, text: (c: string) => string): Expr {
  if (irExpr(fe, e, true)) return exprIr(fe, e);
  // The text as IR where it was built from IR (frames-ir.ts wholeIr), printed without its outer parentheses.
  const c = fe.expr(e);
  return wholeIr(fe, c, text(c));
}

/**
 * e as a value of type `target` written where the string emitter put its text
 * as it was (an initialiser, a stored or returned value), or null: an operator
 * at the top keeps its parentheses there.
 */
export function valueIr(fe: FnEmitter, e: A.Expr, target: Type): Expr | null {
  if (!valueOk(fe, e, target, true)) return null;
  return own(valueExprIr(fe, e, target));
}

/**
 * e as a value of type target stored or returned whole (an initialiser, an assignment's value, a returned value,
 * a branch's value): valueIr, or for an `if`, `if let`, `match` or block with a value (branchStored) its
 * statements emitted now and the result temporary they store into (match-ir.ts resultTmp), converted and copied
 * as FnEmitter.value converts and copies its text. Null (nothing emitted) for anything else.
 */
export function storedValueIr(fe: FnEmitter, e: A.Expr, target: Type): Expr | null {
  return valueIr(fe, e, target) ?? (branchStored(fe, e, target) ? own(valueExprIr(fe, e, target)) : null);
}

/** Whether e is an `if`, `if let`, `match` or block whose value (of e's type, or wrapped into the optional target) is stored whole. */
function branchStored(fe: FnEmitter, e: A.Expr, target: Type): boolean {
  if (e.kind !== "If" && e.kind !== "IfLet" && e.kind !== "Match" && e.kind !== "BlockExpr") return false;
  const t = fe.typeOf(e);
  if (t.k === "unit" || t.k === "never") return false;
  return typeEq(t, target) || (target.k === "optional" && t.k !== "optional" && typeEq(t, target.inner));
}

/** An assignment's target as IR when it is a variable, field or tuple-element path (as FnEmitter.place writes it), or null. */
export function placeIr(fe: FnEmitter, e: A.Expr): Expr | null {
  return isPath(fe, e) ? exprIr(fe, e) : null;
}
