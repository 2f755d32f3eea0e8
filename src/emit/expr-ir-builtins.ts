// Builtins as IR, where the string emitter (calls.ts builtin, the builder
// and format methods of calls.ts/format.ts) wrote runtime calls:
//
// - `print`/`println`/`eprint`/`eprintln` of a value other than a string,
//   number or bool (those are expr-ir-methods.ts's): the value fixed in a
//   temporary, shown into a builder (expr-ir-show.ts), `co_println(co_sb_finish(&tN))`;
// - `panic(v)` as a statement: `co_panic_str_at(text, loc)`, the value's text
//   as showStr made it; `assert(c)` and `assert(c, msg)` as statements: a short
//   `if` of `__builtin_expect(!(c), 0)` (`{ e: "unlikely" }`) calling
//   `co_assert_fail(loc)`, or an `if` whose body builds the message and calls
//   `co_assert_fail_msg(msg, loc)` (the location as `cstr` and two ints); an
//   operand that is not IR is the string emitter's text taken back (assertIr);
// - StringBuilder: `StringBuilder()` is `co_sb_new()`; `sb.append(v)` (a
//   statement) shows v into the builder fixed in a temporary; `sb.len()` reads
//   `t->len` (not as a statement: the text wrote `(void)(...)` there);
//   `sb.toString()` is `co_sb_snapshot(t)`;
// - the format methods `padStart`, `padEnd`, `toFixed`, `toString`: one runtime
//   call each (`co_str_pad_start(s, n, fill, loc)`, `co_str_to_fixed((double)(x),
//   n, loc)`, `co_str_from_i64(x)`, `co_str_radix_i64(x, r, loc)`).
//
// Each operand is IR of the type the string emitter converted it to (no
// coercion), ordered as FnEmitter.operands ordered it (expr-ir-order.ts).
// Forms that emit statements are IR only where statements may precede.
// The `math` builtins on floats are calls of C's math functions (in the ABI
// table: `sqrt`, `fabs`, `fminf`, ...); on integers, conditionals: `min`/`max`
// on their operands fixed in temporaries (`(x < y ? x : y)`), `abs` the
// checked negation of a negative value (`((a) < 0 ? co_neg_i64(a, stub) : (a))`,
// the operand as the string emitter read it, not fixed).

import type * as A from "../syntax/ast.js";
import { T, isSigned, typeEq, type Type } from "../check/types.js";
import type { Expr, Stmt } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { checkedCall, exprIr, irExpr, own } from "./expr-ir.js";
import { checkedNegCall } from "./fail-stubs.js";
import { anyFixed, fixIr, operandsIr } from "./expr-ir-order.js";
import { showIr, showStrIr } from "./expr-ir-show.js";
import { MATH_C } from "./runtime-abi.js";
import { placeIr } from "./frames-ir.js";
import { NEVER } from "./ctext.js";

type Call = Extract<A.Expr, { kind: "Call" }>;

const PRINTS: Record<string, string> = { print: "co_print", println: "co_println", eprint: "co_eprint", eprintln: "co_eprintln" };
const scalar = (t: Type): boolean => t.k === "string" || t.k === "int" || t.k === "float" || t.k === "bool";
const rt = (name: string, ...args: Expr[]): Expr => ({ e: "call", f: { c: "rt", name }, args });
const loc = (e: A.Expr): Expr[] => [{ e: "cstr", v: e.span.file }, { e: "int", v: e.span.line, t: T.int("i32") }, { e: "int", v: e.span.col, t: T.int("i32") }];

/** The call's target when it is one of the value forms above, else null. */
function target(fe: FnEmitter, e: Call) {
  if (fe.typed.tasks.implicit.has(e)) return null;
  const t = fe.typed.calls.get(e);
  if (t?.kind === "builtin" && PRINTS[t.name] && e.args.length === 1 && !scalar(fe.typeOf(e.args[0]))) return t;
  if (t?.kind === "builder" && (!t.recv || t.name === "len" || t.name === "toString")) return t;
  if (t?.kind === "fmtMethod") return t;
  if (t?.kind === "math" && (fe.typeOf(e).k === "float" || fe.typeOf(e).k === "int")) return t;
  return null;
}

/** Whether e is a builtin call of the value forms above (builtinIr decides whether it is IR). */
export function isBuiltinCall(fe: FnEmitter, e: Call): boolean { return target(fe, e) !== null; }

/** The format method's operands (the receiver first) and the types the string emitter converted them to. */
function fmtOperands(fe: FnEmitter, recv: A.Expr, e: Call): { es: A.Expr[]; ts: Type[] } {
  return { es: [recv, ...e.args], ts: [fe.typeOf(recv), ...e.args.map((a) => (fe.typeOf(a).k === "string" ? T.string : T.i64))] };
}

/** Whether the builtin call e (isBuiltinCall) is built as IR (`ordered`: as irExpr's). */
export function builtinIr(fe: FnEmitter, e: Call, ordered: boolean): boolean {
  const t = target(fe, e)!;
  switch (t.kind) {
    case "builtin": return ordered && irExpr(fe, e.args[0], true);
    case "builder": return !t.recv || (ordered && irExpr(fe, t.recv, true));
    case "fmtMethod": {
      const { es, ts } = fmtOperands(fe, t.recv, e);
      if (!ordered && anyFixed(es)) return false;
      return es.every((a, i) => irExpr(fe, a, ordered) && typeEq(fe.typeOf(a), ts[i]));
    }
    case "math": {
      const ty = fe.typeOf(e);
      if (!ordered && anyFixed(e.args)) return false;
      return e.args.every((a) => irExpr(fe, a, ordered) && typeEq(fe.typeOf(a), ty));
    }
    default: return false;
  }
}

/** The IR of the builtin call e, which builtinIr accepted. */
export function builtinExprIr(fe: FnEmitter, e: Call): Expr {
  const t = target(fe, e)!;
  switch (t.kind) {
    case "builtin": return rt(PRINTS[t.name], showStrIr(fe, fe.typeOf(e.args[0]), exprIr(fe, e.args[0])));
    case "builder": {
      if (!t.recv) return rt("co_sb_new");
      const b = fixIr(fe, exprIr(fe, t.recv), fe.typeOf(t.recv));
      return t.name === "len" ? { e: "arrow", p: b, field: "len" } : rt("co_sb_snapshot", b);
    }
    case "math": {
      const ty = fe.typeOf(e) as Extract<Type, { k: "float" | "int" }>;
      if (ty.k === "int") {
        const vals = operandsIr(fe, e.args, e.args.map(() => ty), own);
        if (t.name === "abs") {
          const a: Expr = { e: "paren", x: vals[0] };
          return { e: "cond", flat: true, c: { e: "bin", op: "<", l: a, r: { e: "int", v: 0, t: ty } }, a: checkedCall(checkedNegCall(fe.em.fails, ty.name, e.span), vals[0]), b: a };
        }
        const x = fixIr(fe, vals[0], ty), y = fixIr(fe, vals[1], ty);
        return { e: "cond", flat: true, c: { e: "bin", op: t.name === "min" ? "<" : ">", l: x, r: y }, a: x, b: y };
      }
      return rt(MATH_C[t.name] + (ty.name === "f32" ? "f" : ""), ...operandsIr(fe, e.args, e.args.map(() => ty), own));
    }
    case "fmtMethod": {
      const { es, ts } = fmtOperands(fe, t.recv, e);
      const [s, a, b] = operandsIr(fe, es, ts, own);
      const rtT = ts[0];
      switch (t.name) {
        case "padStart": case "padEnd":
          return rt(t.name === "padStart" ? "co_str_pad_start" : "co_str_pad_end", s, a, b ?? { e: "lit", t: T.string, v: " " }, ...loc(e));
        case "toFixed": return rt("co_str_to_fixed", { e: "cast", to: T.f64, x: s, bare: true }, a, ...loc(e));
        case "toString":
          if (rtT.k === "float") return rt(rtT.name === "f64" ? "co_str_from_f64" : "co_str_from_f32", s);
          if (rtT.k === "int" && a === undefined) return rt(isSigned(rtT.name) ? "co_str_from_i64" : "co_str_from_u64", s);
          if (rtT.k === "int") return rt(isSigned(rtT.name) ? "co_str_radix_i64" : "co_str_radix_u64", s, a, ...loc(e));
      }
    }
  }
  throw new Error("internal: a builtin call that is not IR");
}

/**
 * The builtin call e as a statement (`panic`, `assert`, `sb.append(v)`):
 * "done" when it was emitted as IR, "text" when the string emitter must write
 * it (also `sb.len()`, which it discards as `(void)(...)`), null when e is not
 * one of these (the caller goes on).
 */
export function builtinStmtIr(fe: FnEmitter, e: Call): "done" | "text" | null {
  if (fe.typed.tasks.implicit.has(e)) return null;
  const t = fe.typed.calls.get(e);
  if (t?.kind === "builder" && t.recv && t.name === "len") return "text";
  if (t?.kind === "builder" && t.recv && t.name === "append") {
    const v = e.args[0];
    if (!irExpr(fe, t.recv, true) || !irExpr(fe, v, true)) return "text";
    // The builder is fixed before the value is evaluated (calls.ts), whatever the value's effects.
    const b = fixIr(fe, exprIr(fe, t.recv), fe.typeOf(t.recv));
    showIr(fe, fe.typeOf(v), b, own(exprIr(fe, v)), false);
    return "done";
  }
  if (t?.kind !== "builtin") return null;
  if (t.name === "panic") {
    const a = e.args[0];
    if (!irExpr(fe, a, true)) return "text";
    fe.emit({ s: "expr", x: rt("co_panic_str_at", showStrIr(fe, fe.typeOf(a), exprIr(fe, a)), ...loc(e)) });
    return "done";
  }
  if (t.name === "assert") { assertIr(fe, e); return "done"; }
  return null;
}

/**
 * `assert(c)` / `assert(c, msg)`: each operand IR where it is one, else the string emitter's text taken back
 * (frames-ir.ts placeIr: a value it built, a temporary) — the condition first, the message inside the `if`.
 */
export function assertIr(fe: FnEmitter, e: Call): void {
  const [c, m] = e.args;
  const cx = irExpr(fe, c, true) ? own(exprIr(fe, c)) : placeIr(fe, fe.expr(c), "bool");
  const cond: Expr = { e: "unlikely", x: { e: "not", x: { e: "paren", x: cx } } };
  if (!m) { fe.emit({ s: "if", cond, then: [{ s: "expr", x: rt("co_assert_fail", ...loc(e)) }], else_: [], short: true }); return; }
  const then: Stmt[] = fe.nest(() => {
    if (irExpr(fe, m, true) && typeEq(fe.typeOf(m), T.string)) { fe.emit({ s: "expr", x: rt("co_assert_fail_msg", own(exprIr(fe, m)), ...loc(e)) }); return; }
    const v = fe.value(m, T.string);
    if (v !== NEVER) fe.emit({ s: "expr", x: rt("co_assert_fail_msg", placeIr(fe, v, "co_str"), ...loc(e)) });
  });
  fe.emit({ s: "if", cond, then, else_: [] });
}
