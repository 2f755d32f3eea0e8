// The built-in helper methods on integers, optionals and `Result` (helpers.ts
// writes them as text) as IR, in the same shapes:
//
// - integers: `wrapping*`/`saturating*` are one runtime call
//   (`co_wadd_i64(a, b)`); `checked*` is the row `T v = 0; bool ok =
//   co_cadd_i64(a, b, &v);` and the optional `((O_T){ ok, v })`;
// - optionals: the receiver fixed as materializeAlways fixes it, then
//   `isSome`/`isNone` read `has`, `unwrap`/`expect` are a short `if` that
//   panics (`{ s: "panic" }`, `co_panic_str_at(msg, loc)`) and read `val`,
//   `unwrapOr`, `unwrapOrElse`, `map`, `andThen`, `okOr` a `cond` (`own`, as
//   the text's parentheses) of `has`, a function value's call, `some`/`none`,
//   `Ok`/`Err` variants;
// - `Result`: `isOk`/`isErr` compare the tag with 0, `unwrap`/`expect` are a
//   short `if` calling the error type's cold path (`unwrap_fail_E`) and read
//   the Ok payload; `ok`, `err`, `unwrapOr`, `unwrapOrElse`, `map`, `mapErr`,
//   `andThen` a `cond` on `tag == 0` (`flat`: the text wrote that test
//   without parentheses) of the payloads, a function value's call,
//   `some`/`none`, `Ok`/`Err` variants.
//
// Operands are ordered as FnEmitter.operands ordered them; an eager argument
// is fixed as `materialize` fixed it, a function argument as
// `materializeAlways`. A call of a function value returning unit is followed
// by the unit byte (`(f(), ((uint8_t)0))`, a `seq`). Everything but `wrapping*`/`saturating*` emits
// statements, so it is IR only where statements may precede.

import type * as A from "../syntax/ast.js";
import { T, type Type, type CallTarget } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import { cType } from "./names.js";
import type { FnEmitter } from "./body.js";
import { anyFixed, fixIr } from "./expr-ir-order.js";
import { valueOk, valuesIr } from "./expr-ir-literals.js";
import { placeIr } from "./frames-ir.js";
import { unwrapFail } from "./helpers.js";
import type { EnumT } from "./enum-layout.js";

type Call = Extract<A.Expr, { kind: "Call" }>;
type Helper = Extract<CallTarget, { kind: "helper" }>;

const rt = (name: string, ...args: Expr[]): Expr => ({ e: "call", f: { c: "rt", name }, args });
const I32 = T.int("i32");
const zero: Expr = { e: "int", v: 0, t: I32 };
const loc = (e: A.Expr): Expr[] => [{ e: "cstr", v: e.span.file }, { e: "int", v: e.span.line, t: I32 }, { e: "int", v: e.span.col, t: I32 }];

function helperOf(fe: FnEmitter, e: Call): Helper | null {
  if (fe.typed.tasks.implicit.has(e)) return null;
  const t = fe.typed.calls.get(e);
  return t?.kind === "helper" ? t : null;
}

/** Whether e calls a helper method (helperIr decides whether it is IR). */
export function isHelperCall(fe: FnEmitter, e: Call): boolean { return helperOf(fe, e) !== null; }

/** The operands' types (the receiver's first), as helpers.ts converts them. */
function targets(fe: FnEmitter, e: Call, h: Helper): Type[] {
  const rt0 = fe.typeOf(h.recv);
  const inner = rt0.k === "optional" ? rt0.inner : rt0.k === "enum" ? rt0.args[0] : rt0;
  return [rt0, ...e.args.map((a) => (h.name === "unwrapOr" ? inner : h.name === "expect" ? T.string : h.on === "int" ? rt0 : fe.typeOf(a)))];
}

/** Whether the helper call e (isHelperCall) is built as IR (`ordered`: as irExpr's). */
export function helperIr(fe: FnEmitter, e: Call, ordered: boolean): boolean {
  const h = helperOf(fe, e)!;
  const es = [h.recv, ...e.args], ts = targets(fe, e, h);
  const pure = h.on === "int" && /^(wrapping|saturating)/.test(h.name);
  if (!pure && !ordered) return false;
  if (!ordered && anyFixed(es)) return false;
  return es.every((a, i) => valueOk(fe, a, ts[i], ordered));
}

/** The IR of the helper call e, which helperIr accepted. */
export function helperExprIr(fe: FnEmitter, e: Call): Expr {
  const h = helperOf(fe, e)!, name = h.name;
  const es = [h.recv, ...e.args], ts = targets(fe, e, h);
  const [r, a] = valuesIr(fe, es, ts);
  const recvT = ts[0], t = fe.typeOf(e);
  if (h.on === "int") return intHelperIr(fe, name, recvT, t, r, a);
  fe.em.defineType(recvT);
  fe.em.defineType(t);
  const o = fixIr(fe, r, recvT, true);
  const eager = (x: Expr, xt: Type): Expr => fixIr(fe, x, xt);
  if (name === "unwrap" || name === "expect") {
    const msg = name === "expect" ? eager(a, T.string) : null;
    if (h.on === "optional") {
      const has: Expr = { e: "has", of: o };
      fe.emit({ s: "if", cond: { e: "not", x: has }, then: [msg ? { s: "expr", x: rt("co_panic_str_at", msg, ...loc(e)) } : { s: "panic", at: { file: e.span.file, line: e.span.line, col: e.span.col }, msg: "unwrap() on none" }], else_: [], short: true });
      return { e: "val", of: o };
    }
    const ot = recvT as EnumT, tag: Expr = { e: "tag", of: o, type: ot };
    unwrapFail(fe, ot.args[1]);
    const fail: Expr = { e: "call", f: { c: "unwrapFail", err: ot.args[1] }, args: [
      { e: "payload", of: o, type: ot, variant: 1, i: 0 }, { e: "bool", v: !!msg }, msg ?? { e: "lit", t: T.string, v: "" }, ...loc(e)] };
    fe.emit({ s: "if", cond: { e: "bin", op: "!=", l: tag, r: zero }, then: [{ s: "expr", x: fail }], else_: [], short: true });
    return { e: "payload", of: o, type: ot, variant: 0, i: 0 };
  }
  return helperShapeIr(h.on, name, recvT, t, o, () => eager(a, ts[1]), () => fixIr(fe, a, fe.typeOf(e.args[0]), true))!;
}

/**
 * The value of helper `name` (on an optional or a `Result`, other than
 * `unwrap`/`expect`, which emit their checks) on the fixed receiver o of type
 * recvT, as IR: `eager()` gives the eager argument fixed (`materialize`), `fnArg()`
 * the function argument fixed (each asked once, in the order the string
 * emitter fixed them; helpers.ts records its text with this IR). Null for a
 * name that is not one of these.
 */
export function helperShapeIr(on: Helper["on"], name: string, recvT: Type, t: Type, o: Expr, eager: () => Expr, fnArg: () => Expr): Expr | null {
  // A call of the function argument as a value (helpers.ts callValue): one returning unit is followed by the unit byte.
  const callV = (ret: Type) => (f: Expr, ...args: Expr[]): Expr => {
    const x: Expr = { e: "call", f: { c: "value", fn: f }, args };
    return ret.k === "unit" || ret.k === "never" ? { e: "seq", first: x, then: { e: "default", t: T.unit } } : x;
  };
  const callF = (f: Expr, ...args: Expr[]): Expr => ({ e: "call", f: { c: "value", fn: f }, args });
  const cond = (c: Expr, x: Expr, y: Expr): Expr => ({ e: "cond", c, a: x, b: y, own: true });
  const inner = (x: Type, i: number): Type => x.k === "optional" ? x.inner : (x as EnumT).args[i];
  if (on === "optional") {
    const ot = recvT as Extract<Type, { k: "optional" }>;
    const has: Expr = { e: "has", of: o }, val: Expr = { e: "val", of: o };
    switch (name) {
      case "isSome": return has;
      case "isNone": return { e: "unop", op: "!", x: has };
      case "unwrapOr": return cond(has, val, eager());
      case "unwrapOrElse": { const f = fnArg(); return cond(has, val, callV(ot.inner)(f)); }
      case "map": { const f = fnArg(); return cond(has, { e: "some", t, x: callV(inner(t, 0))(f, val) }, { e: "none", t }); }
      case "andThen": { const f = fnArg(); return cond(has, callF(f, val), { e: "none", t }); }
      case "okOr": {
        const res = t as EnumT;
        return cond(has, { e: "variant", type: res, variant: 0, fields: [val] }, { e: "variant", type: res, variant: 1, fields: [eager()] });
      }
    }
    return null;
  }
  if (on !== "result") return null;
  const ot = recvT as EnumT;
  const tag: Expr = { e: "tag", of: o, type: ot };
  switch (name) {
    case "isOk": return { e: "bin", op: "==", l: tag, r: zero };
    case "isErr": return { e: "bin", op: "!=", l: tag, r: zero };
  }
  const res = t as EnumT, isOk: Expr = { e: "bin", op: "==", l: tag, r: zero };
  const ok: Expr = { e: "payload", of: o, type: ot, variant: 0, i: 0 }, err: Expr = { e: "payload", of: o, type: ot, variant: 1, i: 0 };
  const on_ = (x: Expr, y: Expr): Expr => ({ e: "cond", c: isOk, a: x, b: y, own: true, flat: true });
  const variant = (k: number, x: Expr): Expr => ({ e: "variant", type: res, variant: k, fields: [x] });
  switch (name) {
    case "ok": return on_({ e: "some", t, x: ok }, { e: "none", t });
    case "err": return on_({ e: "none", t }, { e: "some", t, x: err });
    case "unwrapOr": return on_(ok, eager());
    case "unwrapOrElse": { const f = fnArg(); return on_(ok, callV(ot.args[0])(f, err)); }
    case "map": { const f = fnArg(); return on_(variant(0, callV(inner(t, 0))(f, ok)), variant(1, err)); }
    case "mapErr": { const f = fnArg(); return on_(variant(0, ok), variant(1, callV(inner(t, 1))(f, err))); }
    case "andThen": { const f = fnArg(); return on_(callF(f, ok), variant(1, err)); }
  }
  return null;
}

/** `wrapping*`, `saturating*`: one runtime call; `checked*`: the row declaring the value and the flag, then the optional. */
function intHelperIr(fe: FnEmitter, name: string, recvT: Type, t: Type, a: Expr, b: Expr): Expr {
  if (recvT.k !== "int") throw new Error("internal: int helper");
  const op = name.replace(/^(wrapping|checked|saturating)/, "").toLowerCase();
  if (name.startsWith("wrapping")) return rt(`co_w${op}_${recvT.name}`, a, b);
  if (name.startsWith("saturating")) return rt(`co_s${op}_${recvT.name}`, a, b);
  fe.em.defineType(t);
  const v = fe.newTmp(), ok = fe.newTmp();
  const vt = cType(recvT);
  const vDecl = fe.declStmt(vt, v, { e: "int", v: 0, t: recvT });
  const vx = placeIr(fe, v, vt);
  const okDecl = fe.declStmt("bool", ok, rt(`co_c${op}_${recvT.name}`, a, b, { e: "addr", of: vx, bare: true }));
  fe.emit({ s: "row", body: [vDecl, okDecl] });
  return { e: "optional", t, has: placeIr(fe, ok, "bool"), v: vx };
}
