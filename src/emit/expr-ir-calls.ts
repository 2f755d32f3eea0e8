// Calls as IR (src/lower/ir.ts): of Colang function instances (`{ c:
// "instance" }`: a function, a static method, a method taking `self` by value
// (also one a trait bound resolves per instance: the mono pass recorded it),
// the unchecked copy a versioned loop's fast copy calls); of `mut self`
// methods on a path of the caller's or of global memory (`m(&place, region,
// arg, ...)`); of closures and function values (`{ c: "value" }`: `f.fn(f.env,
// arg, ...)`); collection and string methods are expr-ir-methods.ts's,
// builtins expr-ir-builtins.ts's. Only where the string emitter wrote exactly
// that: no async callee, no implicit task, an extern only as one call of its C
// symbol and a call into std after the record of its location
// (expr-ir-std.ts), every argument of its parameter's type (no coercion). Operands the ordering fixes in
// temporaries (a method's receiver counts as the first operand, as
// methodCall orders it; a `mut self` receiver never) are fixed by
// expr-ir-order.ts where statements may precede. Everything else stays
// text (calls.ts).

import type * as A from "../syntax/ast.js";
import { subst, typeEq, type FnInfo, type Type, type TypeParamInfo } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import { externArgsIr, externFnArgsOk, externOk, withCallerIr } from "./expr-ir-std.js";
import { exprIr, irExpr, own, placeIr } from "./expr-ir.js";
import { anyFixed, fixIr, operandsIr } from "./expr-ir-order.js";
import { isMethodCall, methodExprIr, methodIr, methodStmt } from "./expr-ir-methods.js";
import type { FnEmitter } from "./body.js";
import { pinsReceiver } from "./pins.js";
import { builtinExprIr, builtinIr, isBuiltinCall } from "./expr-ir-builtins.js";
import { isJsonIntrinsic, jsonIntrinsicIr } from "./json.js";
import { helperExprIr, helperIr, isHelperCall } from "./expr-ir-helpers.js";
import { boxedExprIr, boxedIr, isBoxedCall } from "./expr-ir-boxed.js";
import { isVariantCall, valueOk, valuesIr, variantExprIr, variantIr } from "./expr-ir-literals.js";

type Call = Extract<A.Expr, { kind: "Call" }>;

/** The callee and the operands (a method's receiver first) of a call written `name(arg, ...)`, or null. */
function parts(fe: FnEmitter, e: Call, ordered: boolean): { f: FnInfo; typeArgs: Type[]; operands: A.Expr[]; recv: boolean } | null {
  if (fe.typed.tasks.implicit.has(e)) return null;
  const target = fe.typed.calls.get(e);
  switch (target?.kind) {
    case "fn": return { f: target.f, typeArgs: target.typeArgs.map((t) => fe.ty(t)), operands: e.args, recv: false };
    case "method": return { f: target.f, typeArgs: target.typeArgs.map((t) => fe.ty(t)), operands: [target.recv, ...e.args], recv: true };
    case "traitMethod": {
      // Resolved per instance by the mono pass: asked only once the operands are known to be IR (a call after a
      // diverging operand is not written, and the table has no site for it).
      // `T.zero()` has no receiver.
      const operands = target.recv ? [target.recv, ...e.args] : e.args;
      if (!operands.every((a) => irExpr(fe, a, ordered))) return null;
      const inst = fe.em.site(fe.ctx, e);
      return { f: inst.f, typeArgs: inst.args, operands, recv: !!target.recv };
    }
    default: return null;
  }
}

/** The handle of a call `h.isDone()`, or null. */
function taskDone(fe: FnEmitter, e: Call): A.Expr | null {
  const t = fe.typed.calls.get(e);
  return t?.kind === "task" && t.name === "isDone" && !fe.typed.tasks.implicit.has(e) ? t.recv : null;
}

/** Whether the call e is built as IR (see above; `ordered`: as irExpr's). */
export function callIr(fe: FnEmitter, e: Call, ordered = false): boolean {
  if (isMethodCall(fe, e)) return methodIr(fe, e, ordered);
  if (isBuiltinCall(fe, e)) return builtinIr(fe, e, ordered);
  if (isHelperCall(fe, e)) return helperIr(fe, e, ordered);
  // `h.isDone()`: `co_task_done(h)` (calls.ts).
  const task = taskDone(fe, e);
  if (task) return irExpr(fe, task, ordered);
  if (isVariantCall(fe, e)) return isBoxedCall(fe, e) ? boxedIr(fe, e, ordered) : variantIr(fe, e, ordered);
  const fv = valueCall(fe, e);
  // A callee other than a local is fixed in a temporary (callExprIr): only where statements may precede.
  if (fv) return argsIr(fe, fv.operands, fv.targets, ordered) && (ordered || (fv.operands[0].kind === "Ident" && fe.typed.refs.get(fv.operands[0])?.kind === "local"));
  const c = parts(fe, e, ordered);
  if (!c) return false;
  const f = c.f;
  if (f.decl.async || (f.decl.extern && !externOk(f, c.typeArgs) && !isJsonIntrinsic(f))) return false;
  if (f.decl.extern && !externFnArgsOk(fe, e, f, ordered)) return false;
  const params = paramTypes(f, c.typeArgs);
  // A `mut self` method gets its receiver's address and region (calls.ts methodCall), never fixed in a temporary:
  // IR for a path of the caller's memory or of global memory (no region switch, no copies of the arguments).
  // One that is pinned around the call is the text path's (calls.ts methodCall, pins.ts).
  if (c.recv && f.self?.kind === "mut") return !pinsReceiver(fe, f, c.operands[0]) && mutReceiver(fe, c.operands[0]) !== null && argsIr(fe, c.operands.slice(1), params, ordered);
  if (c.recv && f.self?.kind !== "self") return false;
  // The receiver is passed as it is (no parameter type to convert to); an argument is converted to its
  // parameter's type (wrapped into an optional: expr-ir-literals.ts valueOk).
  return argsIr(fe, c.operands, c.recv ? [null, ...params] : params, ordered, true);
}

/**
 * Operands written as they are: IR, of their parameter's type (`convert`: or
 * converted to it); fixed in temporaries only where statements may precede.
 */
function argsIr(fe: FnEmitter, es: A.Expr[], targets: (Type | null)[], ordered: boolean, convert = false): boolean {
  if (!ordered && anyFixed(es)) return false;
  return es.every((a, i) => {
    const t = targets[i];
    if (t && convert) return valueOk(fe, a, t, ordered);
    return irExpr(fe, a, ordered) && (!t || typeEq(fe.typeOf(a), t));
  });
}

/** The parameter types of the function or method a call by name calls (parts), with its type arguments. */
function paramTypes(f: FnInfo, typeArgs: Type[]): Type[] {
  const fsub = new Map(f.typeParams.map((p, i) => [p, typeArgs[i]] as [TypeParamInfo, Type]));
  return f.params.map((p) => subst(p.type, fsub));
}

/**
 * A call of a closure or function value (a local, parameter, global or
 * field): its operands, the callee first, and their types (calls.ts writes
 * `f.fn(f.env, arg, ...)`), or null.
 */
function valueCall(fe: FnEmitter, e: Call): { operands: A.Expr[]; targets: Type[]; ft: Type } | null {
  const target = fe.typed.calls.get(e);
  if (target?.kind !== "closure" || fe.typed.tasks.implicit.has(e)) return null;
  const ft = fe.typeOf(target.callee) as Extract<Type, { k: "fn" }>;
  return { operands: [target.callee, ...e.args], targets: [ft, ...ft.params], ft };
}

/** Whether the call e is a call by name as a statement (a function value's call, a collection's length: `(void)(...)` text). */
export function namedCall(fe: FnEmitter, e: Call): boolean {
  const k = fe.typed.calls.get(e)?.kind;
  // A helper method's value may be a read (`r.unwrap()` reads the payload): expr-ir-discard.ts writes it as the text did.
  return k !== "closure" && k !== "helper" && methodStmt(fe, e);
}

/**
 * The region a `mut self` receiver's storage is in when the method is called
 * as `m(&place, region, ...)` without a switch of the current region: the
 * current one (a local of the caller's memory) or global memory; null when
 * it is not an IR path or lives elsewhere (`self` of a `mut self` method, a
 * local outside an open region block: calls.ts switches regions there).
 */
function mutReceiver(fe: FnEmitter, recv: A.Expr): "co_current" | "co_global" | null {
  if (!placeIr(fe, recv)) return null;
  const { owner } = fe.placeWithOwner(recv);
  return owner === null ? "co_current" : owner === "co_global" ? owner : null;
}

/** The IR of the call e, which callIr accepted. */
export function callExprIr(fe: FnEmitter, e: Call): Expr {
  if (isMethodCall(fe, e)) return methodExprIr(fe, e);
  if (isBuiltinCall(fe, e)) return builtinExprIr(fe, e);
  if (isHelperCall(fe, e)) return helperExprIr(fe, e);
  const task = taskDone(fe, e);
  if (task) return { e: "call", f: { c: "rt", name: "co_task_done" }, args: [own(exprIr(fe, task))] };
  if (isVariantCall(fe, e)) return isBoxedCall(fe, e) ? boxedExprIr(fe, e) : variantExprIr(fe, e);
  const fv = valueCall(fe, e);
  if (fv) {
    // The callee is called by name: a field or a global is fixed in a temporary first (FnEmitter.materializeAlways).
    const [f, ...args] = operandsIr(fe, fv.operands, fv.targets, own);
    return { e: "call", f: { c: "value", fn: fixIr(fe, f, fv.ft, true) }, args };
  }
  const target = fe.typed.calls.get(e)!;
  if ((target.kind === "method" || target.kind === "traitMethod") && target.recv && (target.kind === "method" ? target.f : fe.em.site(fe.ctx, e).f).self?.kind === "mut") {
    // `m(&place, region, arg, ...)`: the place is read first and never fixed; the arguments in order.
    const region = mutReceiver(fe, target.recv)!;
    const recv: Expr = { e: "addr", of: exprIr(fe, target.recv), bare: true };
    const args = operandsIr(fe, e.args, e.args.map(() => null), own);
    const i = fe.em.site(fe.ctx, e);
    return withCallerIr(e, i.f, { e: "call", f: { c: "instance", f: i.f, typeArgs: i.args }, args: [recv, { e: "sym", name: region }, ...args] });
  }
  // The receiver is fixed as its own type, an argument converted to its parameter's type and fixed as it.
  const c = parts(fe, e, true)!;
  const params = paramTypes(c.f, c.typeArgs);
  const args = valuesIr(fe, c.operands, c.recv ? [null, ...params] : params);
  // std/json's encode and decode are the codecs derived for their type (json.ts).
  if (isJsonIntrinsic(c.f)) return jsonIntrinsicIr(fe.em, c.f, c.typeArgs, subst(c.f.ret, new Map(c.f.typeParams.map((p, i) => [p, c.typeArgs[i]] as [TypeParamInfo, Type]))), args);
  // An extern is called by its C symbol (expr-ir-std.ts).
  if (c.f.decl.extern) return withCallerIr(e, c.f, { e: "call", f: { c: "extern", f: c.f }, args: externArgsIr(fe, e, c.f, args) });
  // The instance the mono pass recorded at this call (a function's unchecked copy in a versioned loop's fast copy).
  const unchecked = target.kind === "fn" && !!fe.unchecked?.has(e);
  const i = fe.em.site(fe.ctx, e, unchecked);
  return withCallerIr(e, i.f, { e: "call", f: { c: "instance", f: i.f, typeArgs: i.args, ...(unchecked ? { unchecked } : {}) }, args });
}
