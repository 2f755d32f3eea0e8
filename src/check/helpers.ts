// The standard helper methods the compiler builds in (docs/language.md, "Standard
// helpers"): on integers (wrapping, checked and saturating arithmetic), on
// optionals and `Result` (unwrapOr, map, andThen, expect, ...), the Vec
// helpers beyond the core collection methods (fold, find, sum, min, sorted,
// chunks, zip, ...), and the number constants `i64.MAX`, `f64.EPSILON`.
//
// Why built in rather than written in Colang in a std file: these are methods
// of built-in types (a std file cannot add methods to `T?`, `Vec<T>` or `u64`),
// some need constraints the trait system cannot say (`sum` wants a number type),
// and `unwrap`/`expect` must panic at the caller's line, as `!` does. Their
// signatures are ordinary generic signatures checked by inferCall, so closures
// get their parameter types from the receiver and mistakes are the usual E0200.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, showType, hasOrd, hasEq, intRange, type Type, type ModuleInfo, type TypeParamInfo } from "./types.js";
import { keyClosure, sortFix } from "./builtin-bounds.js";
import { suggest } from "./suggest.js";
import { PRIMS, resolveType } from "./declarations.js";
import { type FnCtx, Scope, report, type CheckContext } from "./context.js";
import { inferCall } from "./calls.js";

export const INT_HELPERS = ["wrappingAdd", "wrappingSub", "wrappingMul", "checkedAdd", "checkedSub", "checkedMul", "checkedDiv", "checkedRem", "saturatingAdd", "saturatingSub", "saturatingMul"];
export const OPT_HELPERS = ["isSome", "isNone", "unwrap", "expect", "unwrapOr", "unwrapOrElse", "map", "andThen", "okOr"];
export const RESULT_HELPERS = ["isOk", "isErr", "ok", "err", "unwrap", "expect", "unwrapOr", "unwrapOrElse", "map", "mapErr", "andThen"];
/** Vec methods defined here (the core ones are in calls.ts). */
export const VEC_HELPERS = ["reduce", "fold", "find", "findIndex", "any", "all", "sum", "min", "max", "minBy", "maxBy", "first", "last", "sorted", "sortedBy", "dedup", "chunks", "zip", "take", "skip"];

/** Names for "did you mean" on an optional, a Result or an integer. */
export function helperNames(t: Type, isResult: boolean): string[] {
  return t.k === "optional" ? OPT_HELPERS : isResult ? RESULT_HELPERS : t.k === "int" ? INT_HELPERS : [];
}

/** A fresh type variable of a helper's signature, its id from the check's own counter (no state across checks). */
const typeVar = (cx: CheckContext, name: string): [TypeParamInfo, Type] => {
  const p: TypeParamInfo = { id: cx.nextVar--, name, bounds: [] };
  return [p, { k: "param", p }];
};
const fnT = (params: Type[], ret: Type): Type => ({ k: "fn", params, ret });

/** `i64.MAX`, `u8.MIN`, `int.MAX`, `f64.EPSILON`, ...: the value, or null when e is not such a constant. */
export function numberConst(cx: CheckContext, e: Extract<A.Expr, { kind: "Field" }>, scope: Scope, m: ModuleInfo): Type | null {
  if (e.target.kind !== "Ident" || scope.lookup(e.target.name) || m.globals.has(e.target.name) || m.imports.has(e.target.name)) return null;
  const t = PRIMS.get(e.target.name);
  if (!t || (t.k !== "int" && t.k !== "float")) return null;
  const consts = t.k === "int" ? INT_CONSTS : FLOAT_CONSTS;
  if (!consts.includes(e.name)) {
    report(cx, M.unknownName(`${e.target.name}.${e.name}`, suggest(e.name, consts)), e.nameSpan);
    return T.error;
  }
  let v: bigint | number;
  if (t.k === "int") v = e.name === "MAX" ? intRange(t.name).max : e.name === "MIN" ? intRange(t.name).min : BigInt(Number(t.name.slice(1)));
  else {
    const f32 = t.name === "f32";
    const max = f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
    v = { MAX: max, MIN: -max, MIN_POSITIVE: f32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308, EPSILON: f32 ? 1.1920928955078125e-7 : Number.EPSILON,
      INFINITY: Infinity, NEG_INFINITY: -Infinity, NAN: NaN }[e.name]!;
  }
  cx.out.numConsts.set(e, v);
  return e.name === "BITS" ? T.i64 : t; // an int, to count and shift with
}
const INT_CONSTS = ["MIN", "MAX", "BITS"];
const FLOAT_CONSTS = ["MIN", "MAX", "MIN_POSITIVE", "EPSILON", "INFINITY", "NEG_INFINITY", "NAN"];

/** How messages name the method: after the receiver variable when there is one (`o.map`, so the
 *  fix `o.map<...>(...)` is code to write), else after its type (`int?.map`). */
function receiverLabel(callee: Extract<A.Expr, { kind: "Field" }>, recvT: Type): string {
  return callee.target.kind === "Ident" ? callee.target.name : showType(recvT);
}

/** `o.andThen<int>(...)`: the helper's type variable given explicitly (the fix E0131 suggests). */
function explicitArgs(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, vars: TypeParamInfo[], what: string, ctx: FnCtx, m: ModuleInfo): Map<TypeParamInfo, Type> {
  const map = new Map<TypeParamInfo, Type>();
  if (!e.typeArgs.length) return map;
  if (e.typeArgs.length !== vars.length) report(cx, M.wrongTypeArgCount(what, vars.length, e.typeArgs.length), e.span);
  else vars.forEach((v, i) => map.set(v, resolveType(cx, e.typeArgs[i], m, ctx.env)));
  return map;
}

/** A helper method on an integer, an optional or a Result; null when `callee.name` is none of them. */
export function valueHelper(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recvT: Type, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type | null {
  const name = callee.name;
  const call = (vars: TypeParamInfo[], params: Type[], ret: Type, on: "int" | "optional" | "result"): Type => {
    cx.out.calls.set(e, { kind: "helper", on, name, recv: callee.target });
    const what = `${receiverLabel(callee, recvT)}.${name}`;
    const fix = (v: TypeParamInfo) => `write the type argument: \`${what}<int>(...)\` with the type the closure's result holds in place of \`int\` (type parameter \`${v.name}\`)`;
    return inferCall(cx, e, vars, explicitArgs(cx, e, vars, what, ctx, m), params, ret, what, scope, ctx, m, expected, fix);
  };
  if (recvT.k === "float" && INT_HELPERS.includes(name)) {
    report(cx, M.intMethodOnFloat(name, showType(recvT)), callee.nameSpan);
    return T.error;
  }
  if (recvT.k === "int" && INT_HELPERS.includes(name)) {
    return call([], [recvT], name.startsWith("checked") ? T.optional(recvT) : recvT, "int");
  }
  if (recvT.k === "optional" && OPT_HELPERS.includes(name)) {
    const t = recvT.inner;
    const [u, ut] = typeVar(cx, "U");
    switch (name) {
      case "isSome": case "isNone": return call([], [], T.bool, "optional");
      case "unwrap": return call([], [], t, "optional");
      case "expect": return call([], [T.string], t, "optional");
      case "unwrapOr": return call([], [t], t, "optional");
      case "unwrapOrElse": return call([], [fnT([], t)], t, "optional");
      case "map": return call([u], [fnT([t], ut)], T.optional(ut), "optional");
      case "andThen": return call([u], [fnT([t], T.optional(ut))], T.optional(ut), "optional");
      case "okOr": return call([u], [ut], { k: "enum", info: cx.resultEnum, args: [t, ut] }, "optional");
    }
  }
  if (recvT.k === "enum" && recvT.info === cx.resultEnum && RESULT_HELPERS.includes(name)) {
    const [t, er] = recvT.args;
    const [u, ut] = typeVar(cx, "U");
    const res = (a: Type, b: Type): Type => ({ k: "enum", info: cx.resultEnum, args: [a, b] });
    switch (name) {
      case "isOk": case "isErr": return call([], [], T.bool, "result");
      case "ok": return call([], [], T.optional(t), "result");
      case "err": return call([], [], T.optional(er), "result");
      case "unwrap": return call([], [], t, "result");
      case "expect": return call([], [T.string], t, "result");
      case "unwrapOr": return call([], [t], t, "result");
      case "unwrapOrElse": return call([], [fnT([er], t)], t, "result");
      case "map": return call([u], [fnT([t], ut)], res(ut, er), "result");
      case "mapErr": return call([u], [fnT([er], ut)], res(t, ut), "result");
      case "andThen": return call([u], [fnT([t], res(ut, er))], res(ut, er), "result");
    }
  }
  return null;
}

/** The Vec helpers of VEC_HELPERS (recorded as collection calls, like the core Vec methods). */
export function vecHelper(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recvT: Extract<Type, { k: "vec" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type | null {
  const name = callee.name;
  if (!VEC_HELPERS.includes(name)) return null;
  const t = recvT.elem;
  const what = `${receiverLabel(callee, recvT)}.${name}`;
  const call = (vars: TypeParamInfo[], params: Type[], ret: Type): Type => {
    cx.out.calls.set(e, { kind: "collection", name, recv: callee.target });
    const fix = (v: TypeParamInfo) => `write the type argument: \`${what}<int>(...)\` with the type the closure's result holds in place of \`int\` (type parameter \`${v.name}\`)`;
    return inferCall(cx, e, vars, explicitArgs(cx, e, vars, what, ctx, m), params, ret, what, scope, ctx, m, expected, fix);
  };
  const needOrd = () => {
    if (hasOrd(t)) return;
    const d = M.noOrd(showType(t));
    const key = keyClosure(t);
    d.fix = name === "sorted" ? sortFix(t, "sorted")
      : key ? `\`${name}\` compares elements with \`<\`, and only numbers and strings have an order; use \`${name}By(${key})\``
      : `\`${name}\` compares elements with \`<\`; use \`${name}By(|x| key)\` with a key that has an order (a number or a string)`;
    report(cx, d, callee.nameSpan);
  };
  const [u, ut] = typeVar(cx, "U");
  switch (name) {
    case "reduce": return call([], [fnT([t, t], t)], T.optional(t));
    case "fold": return call([u], [ut, fnT([ut, t], ut)], ut);
    case "find": return call([], [fnT([t], T.bool)], T.optional(t));
    case "findIndex": return call([], [fnT([t], T.bool)], T.optional(T.i64));
    case "any": case "all": return call([], [fnT([t], T.bool)], T.bool);
    case "sum":
      if (t.k !== "int" && t.k !== "float" && t.k !== "error") { report(cx, M.sumNotNumeric(showType(t), t.k === "string", t.k === "optional" && (t.inner.k === "int" || t.inner.k === "float") ? (t.inner.k === "float" ? "0.0" : "0") : undefined), callee.nameSpan); return T.error; }
      return call([], [], t);
    case "min": case "max": needOrd(); return call([], [], T.optional(t));
    case "minBy": case "maxBy": {
      const r = call([u], [fnT([t], ut)], T.optional(t));
      const ft = cx.out.exprTypes.get(e.args[0]);
      const key = ft?.k === "fn" ? ft.ret : null;
      if (key && key.k !== "error" && !hasOrd(key)) {
        const d = M.noOrd(showType(key));
        d.fix = `the key \`${name}\` compares must be a number or a string`;
        report(cx, d, e.args[0].span);
      }
      return r;
    }
    case "first": case "last": return call([], [], T.optional(t));
    case "sorted": needOrd(); return call([], [], recvT);
    case "sortedBy": return call([], [fnT([t, t], T.i64)], recvT);
    case "dedup":
      if (!hasEq(t)) report(cx, M.noEq(showType(t)), callee.nameSpan);
      return call([], [], recvT);
    case "chunks": return call([], [T.i64], T.vec(recvT));
    case "zip": return call([u], [T.vec(ut)], T.vec(T.tuple([t, ut])));
    case "take": case "skip": return call([], [T.i64], recvT);
  }
  return null;
}
