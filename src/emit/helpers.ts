// The built-in helper methods on integers, optionals and `Result`
// (check/helpers.ts types them): inline C at the call, so a closure argument is
// a direct call the C compiler can inline; only the cold panic path of
// `Result.unwrap`/`expect` is a generated function per error type. Also the
// number constants (`i64.MAX`, `f64.NAN`).

import type * as A from "../syntax/ast.js";
import { unwrapFailFunc } from "../lower/helper-fns.js";
import { T, hasShow, type Type, type CallTarget } from "../check/types.js";
import { cType, mangle } from "./names.js";
import { NEVER, intLit, floatLit } from "./ctext.js";
import type { FnEmitter } from "./body.js";
import { C } from "./body-ir.js";
import type { Expr } from "../lower/ir.js";
import { placeIr } from "./frames-ir.js";
import { helperShapeIr } from "./expr-ir-helpers.js";
import { fieldOf, tagOf, variantValue, type EnumT } from "./enum-layout.js";

/** `i64.MAX`, `u8.MIN`, `f64.EPSILON`, `f32.NAN` (`((float)NAN)`: ctext.ts floatLit), ... as C. */
export function numberConst(v: bigint | number, t: Type): string {
  if (typeof v === "bigint") return intLit(v, t);
  return floatLit(v, t);
}

/** A call of function value f (a materialized `{fn, env}`) used as a value: a unit result is the byte 0. */
export function callValue(f: string, args: string[], ret: Type): string {
  const c = `${f}.fn(${[`${f}.env`, ...args].join(", ")})`;
  return ret.k === "unit" || ret.k === "never" ? `(${c}, ((uint8_t)0))` : c;
}

export function helperCall(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, target: Extract<CallTarget, { kind: "helper" }>, t: Type): string {
  const rt = fe.typeOf(target.recv);
  const name = target.name;
  // Parameter types the arguments convert to (a default may need wrapping into an optional).
  const inner = rt.k === "optional" ? rt.inner : rt.k === "enum" ? rt.args[0] : rt;
  const targets = e.args.map((a) => (name === "unwrapOr" ? inner : name === "expect" ? T.string : target.on === "int" ? rt : fe.typeOf(a)));
  const vals = fe.operands([target.recv, ...e.args], [rt, ...targets]);
  if (vals.some((v) => v === NEVER)) return NEVER;
  const [r, a] = vals;
  if (target.on === "int") return intHelper(fe, name, rt, t, r, a);
  fe.em.defineType(rt);
  fe.em.defineType(t);
  const o = fe.materializeAlways(r, rt);
  // Eager arguments are evaluated before the helper decides whether it needs them, as any call's are (each fixed
  // once: the IR the text is recorded with reads the same temporaries).
  const fixed = new Map<string, string>();
  const once = (k: string, f: () => string): string => { if (!fixed.has(k)) fixed.set(k, f()); return fixed.get(k)!; };
  const eager = (x: string, xt: Type) => once("eager", () => fe.materialize(x, xt));
  const fnArg = () => once("fn", () => fe.materializeAlways(a, fe.typeOf(e.args[0])));
  const text = helperText(fe, e, target, t, rt, o, a, eager, fnArg);
  // `unwrap`/`expect` read the value or the Ok payload after their checks.
  if (name === "unwrap" || name === "expect") return fe.recorded(text, target.on === "optional" ? { e: "val", of: C(o) } : { e: "payload", of: C(o), type: rt as EnumT, variant: 0, i: 0 });
  // The text recorded with its IR over the fixed operands (text-ir.ts; expr-ir-helpers.ts builds the same shapes).
  const x = helperShapeIr(target.on, name, rt, t, C(o), () => C(fixed.get("eager") ?? ""), () => C(fixed.get("fn") ?? ""));
  return x ? fe.recorded(text, x) : text;
}

/** The text of helper call e on the fixed receiver o (`eager` and `fnArg` fix the arguments). */
function helperText(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, target: Extract<CallTarget, { kind: "helper" }>, t: Type, rt: Type,
  o: string, a: string, eager: (x: string, xt: Type) => string, fnArg: () => string): string {
  const name = target.name;
  const ct = cType(t);
  if (target.on === "optional") {
    const ot = rt as Extract<Type, { k: "optional" }>;
    switch (name) {
      case "isSome": return `${o}.has`;
      case "isNone": return `(!${o}.has)`;
      case "unwrap":
        fe.shortIf({ e: "not", x: { e: "has", of: placeIr(fe, o, cType(rt)) } }, { s: "panic", at: { file: e.span.file, line: e.span.line, col: e.span.col }, msg: "unwrap() on none" });
        return `${o}.val`;
      case "expect": {
        const msg = eager(a, T.string);
        const I32 = T.int("i32");
        fe.shortIf({ e: "not", x: { e: "has", of: placeIr(fe, o, cType(rt)) } }, { s: "expr", x: { e: "call", f: { c: "rt", name: "co_panic_str_at" }, args: [
          placeIr(fe, msg, cType(T.string)), { e: "cstr", v: e.span.file }, { e: "int", v: e.span.line, t: I32 }, { e: "int", v: e.span.col, t: I32 }] } });
        return `${o}.val`;
      }
      case "unwrapOr": return `(${o}.has ? ${o}.val : ${eager(a, ot.inner)})`;
      case "unwrapOrElse": { const f = fnArg(); return `(${o}.has ? ${o}.val : ${callValue(f, [], ot.inner)})`; }
      case "map": {
        const f = fnArg();
        return `(${o}.has ? ((${ct}){ true, ${callValue(f, [`${o}.val`], (t as Extract<Type, { k: "optional" }>).inner)} }) : ((${ct}){0}))`;
      }
      case "andThen": { const f = fnArg(); return `(${o}.has ? ${f}.fn(${f}.env, ${o}.val) : ((${ct}){0}))`; }
      case "okOr": {
        const err = eager(a, fe.typeOf(e.args[0]));
        const res = t as EnumT;
        return `(${o}.has ? ${variantValue(res, 0, [`${o}.val`])} : ${variantValue(res, 1, [err])})`;
      }
    }
  } else {
    const [okT, errT] = (rt as Extract<Type, { k: "enum" }>).args;
    const ot = rt as EnumT;
    const ok = fieldOf(ot, o, 0, 0), err = fieldOf(ot, o, 1, 0);
    const isOk = `${tagOf(ot, o)} == 0`;
    const res = t as EnumT;
    switch (name) {
      case "isOk": return `(${isOk})`;
      case "isErr": return `(${tagOf(ot, o)} != 0)`;
      case "ok": return `(${isOk} ? ((${ct}){ true, ${ok} }) : ((${ct}){0}))`;
      case "err": return `(${isOk} ? ((${ct}){0}) : ((${ct}){ true, ${err} }))`;
      case "unwrap": case "expect": {
        const msg = name === "expect" ? eager(a, T.string) : null;
        // `if (tag != 0) unwrap_fail_E(err, has msg, msg, loc);` as IR (expr-ir-helpers.ts builds the same where o is IR).
        unwrapFail(fe, errT);
        const oX = placeIr(fe, o, cType(rt)), I32 = T.int("i32");
        const fail: Expr = { e: "call", f: { c: "unwrapFail", err: errT }, args: [
          { e: "payload", of: oX, type: ot, variant: 1, i: 0 }, { e: "bool", v: !!msg }, msg ? placeIr(fe, msg, cType(T.string)) : { e: "lit", t: T.string, v: "" },
          { e: "cstr", v: e.span.file }, { e: "int", v: e.span.line, t: I32 }, { e: "int", v: e.span.col, t: I32 }] };
        fe.shortIf({ e: "bin", op: "!=", l: { e: "tag", of: oX, type: ot }, r: { e: "int", v: 0, t: I32 } }, { s: "expr", x: fail });
        return ok;
      }
      case "unwrapOr": return `(${isOk} ? ${ok} : ${eager(a, okT)})`;
      case "unwrapOrElse": { const f = fnArg(); return `(${isOk} ? ${ok} : ${callValue(f, [err], okT)})`; }
      case "map": {
        const f = fnArg();
        const u = (t as Extract<Type, { k: "enum" }>).args[0];
        return `(${isOk} ? ${variantValue(res, 0, [callValue(f, [ok], u)])} : ${variantValue(res, 1, [err])})`;
      }
      case "mapErr": {
        const f = fnArg();
        const u = (t as Extract<Type, { k: "enum" }>).args[1];
        return `(${isOk} ? ${variantValue(res, 0, [ok])} : ${variantValue(res, 1, [callValue(f, [err], u)])})`;
      }
      case "andThen": { const f = fnArg(); return `(${isOk} ? ${f}.fn(${f}.env, ${ok}) : ${variantValue(res, 1, [err])})`; }
    }
  }
  throw new Error(`internal: helper ${target.on}.${name}`);
}

function intHelper(fe: FnEmitter, name: string, rt: Type, t: Type, a: string, b: string): string {
  if (rt.k !== "int") throw new Error("internal: int helper");
  const op = name.replace(/^(wrapping|checked|saturating)/, "").toLowerCase();
  const rtText = (f: string): string => fe.recorded(`${f}(${a}, ${b})`, { e: "call", f: { c: "rt", name: f }, args: [C(a), C(b)] });
  if (name.startsWith("wrapping")) return rtText(`co_w${op}_${rt.name}`);
  if (name.startsWith("saturating")) return rtText(`co_s${op}_${rt.name}`);
  fe.em.defineType(t);
  const v = fe.newTmp(), ok = fe.newTmp();
  fe.emit({ s: "row", body: [fe.declStmt(cType(rt), v, "0"), fe.declStmt("bool", ok, `co_c${op}_${rt.name}(${a}, ${b}, &${v})`)] });
  return fe.recorded(`((${cType(t)}){ ${ok}, ${v} })`, { e: "optional", t, has: C(ok), v: C(v) });
}

/** The cold path of `Result.unwrap()`/`expect(msg)`: panics with the message and the error's text (when it has
 *  one). Its C name (src/lower/helper-fns.ts unwrapFailFunc). */
export function unwrapFail(fe: FnEmitter, errT: Type): string {
  return fe.em.irFunc({ c: "unwrapFail", err: errT }, () => unwrapFailFunc(errT, hasShow(errT), fe.em.helperHost));
}
