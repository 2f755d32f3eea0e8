// Calls of collection and string methods as IR where the string emitter
// (collections.ts, calls.ts strMethod) wrote one call of a collection
// instance's operation (`{ c: "coll" }`: `V_i64_push(v, x)`) or of the
// runtime (`{ c: "rt" }`: `co_str_trim(s)`), with the operands it wrote
// (a source location as `"file", line, col`), or a collection's length:
// Vec/Map/Set `new`, `push`, `insert`, `set`, `has`, `delete`, `clear`,
// `remove`, `slice`, `reversed`, `sort`, `len`, `isEmpty`, `get`, `pop`
// (a store of a value with heap parts copies it into the collection's
// region, a removal from global memory drops what it removes: the helpers
// of expr-ir-collections.ts, which also takes the methods a generated
// helper serves) and the string methods that return a string or a bool.
// Everything else stays text (the string methods that build collections).
//
// The printing builtins (`print`, `println`, `eprint`, `eprintln`) of a
// string, number or bool are one runtime call too: `co_println(s)`, a
// number or bool shown by the runtime's `co_str_from_i64` and its kin
// (calls.ts showStr); other values print through a builder (text).
//
// The operands are ordered as the string emitter ordered them
// (expr-ir-order.ts): the receiver first, except a global collection named
// directly, which is read after the arguments (collections.ts says why).

import type * as A from "../syntax/ast.js";
import { T, isSigned, typeEq, type Type } from "../check/types.js";
import type { CollOp, Expr, IrType, Local, Stmt } from "../lower/ir.js";
import { cType, mangle } from "./names.js";
import { strFn } from "./collections.js";
import { VEC_HELPERS } from "../check/helpers.js";
import type { FnEmitter } from "./body.js";
import { exprIr, irExpr, own } from "./expr-ir.js";
import { anyFixed, fixIr, operandsIr } from "./expr-ir-order.js";
import { HELPED, heapStoreIr, heapStoreOk, helpedExprIr, helpedTargets, isVecHelper, removing, vecHelperExprIr, vecHelperIr } from "./expr-ir-collections.js";

type Call = Extract<A.Expr, { kind: "Call" }>;
type Coll = Extract<Type, { k: "vec" | "map" | "set" }>;

/** The string methods written as one runtime call, by their runtime symbol (`loc`: the call's location last). */
const STR_CALLS: Record<string, { rt: string; loc?: boolean }> = {
  trim: { rt: "co_str_trim" }, trimStart: { rt: "co_str_trim_start" }, trimEnd: { rt: "co_str_trim_end" },
  contains: { rt: "co_str_contains" }, startsWith: { rt: "co_str_starts_with" }, endsWith: { rt: "co_str_ends_with" },
  replace: { rt: "co_str_replace" }, toUpper: { rt: "co_str_to_upper" }, toLower: { rt: "co_str_to_lower" },
  slice: { rt: "co_str_slice", loc: true }, repeat: { rt: "co_str_repeat", loc: true },
  compare: { rt: "co_str_compare" }, charCount: { rt: "co_str_char_count" },
};

const PRINTS: Record<string, string> = { print: "co_print", println: "co_println", eprint: "co_eprint", eprintln: "co_eprintln" };

/** The runtime call showing a value of type t as a string (calls.ts showStr), "" for a string itself, or null (a builder). */
function shown(t: Type): string | null {
  switch (t.k) {
    case "string": return "";
    case "int": return isSigned(t.name) ? "co_str_from_i64" : "co_str_from_u64";
    case "float": return t.name === "f64" ? "co_str_from_f64" : "co_str_from_f32";
    case "bool": return "co_str_from_bool";
    default: return null;
  }
}

/** The printing builtin call e (see above): its runtime symbol and argument, or null. */
function printParts(fe: FnEmitter, e: Call): { rt: string; arg: A.Expr | null } | null {
  const target = fe.typed.calls.get(e);
  if (target?.kind !== "builtin" || !PRINTS[target.name] || e.args.length > 1) return null;
  const arg = e.args[0] ?? null;
  return arg && shown(fe.typeOf(arg)) === null ? null : { rt: PRINTS[target.name], arg };
}

/** A method call's receiver and arguments, each of its type; `recvLast`: a global collection read after the arguments. */
interface Parts { recv: A.Expr; args: A.Expr[]; targets: Type[]; recvLast: boolean }

/** The collection method call e as one operation of the instance (or its length), or null. */
function collParts(fe: FnEmitter, e: Call): (Parts & { ct: Coll; name: string }) | null {
  const target = fe.typed.calls.get(e);
  if (target?.kind !== "collection" || !target.recv || VEC_HELPERS.includes(target.name)) return null;
  const recv = target.recv, name = target.name, ct = fe.typeOf(recv) as Coll;
  const elem = ct.k === "map" ? ct.key : ct.elem;
  const targets = ((): Type[] | null => {
    switch (name) {
      case "len": case "isEmpty": case "reversed": case "sort": return [];
      case "has": return [elem];
      case "slice": return [T.i64, T.i64];
      // Stores and removals: no copy into the collection's region, nothing to drop (collections.ts, drops.ts).
      // A store of a value with heap parts copies it into the collection's region (expr-ir-collections.ts heapStoreIr).
      case "push": return [elem];
      // A removal from a collection owned by global memory drops what it removes (expr-ir-collections.ts removing).
      case "delete": return [elem];
      case "clear": return [];
      case "remove": return ct.k !== "vec" ? null : [T.i64];
      case "insert": return ct.k === "vec" ? [T.i64, elem] : [elem];
      case "set": return ct.k !== "map" ? null : [elem, ct.val];
      // Results built in statements (a pointer, a flag and a value).
      case "get": return ct.k === "map" ? [elem] : null;
      case "pop": return ct.k === "vec" ? [] : null;
      default: return HELPED.has(name) ? helpedTargets(fe, e, name, ct) : null;
    }
  })();
  if (!targets) return null;
  return { recv, args: e.args, targets, recvLast: fe.typed.refs.get(recv)?.kind === "global", ct, name };
}

const scalar = (t: Type): boolean => t.k === "int" || t.k === "float" || t.k === "bool";

/** The zero a missing value reads as (collections.ts `zero`): the placeholder spells a number's or bool's the same. */
const zeroIr = (t: Type): Expr => (scalar(t) ? { e: "zero", t } : { e: "default", t });

/** The string methods whose result the string emitter built in statements or from a temporary (calls.ts strMethod). */
const STR_OWN = new Set(["len", "isEmpty", "find", "parseInt", "parseFloat"]);
/** The string methods that build a Vec through a generated helper (`str_split(s, sep)`: src/lower/coll-fns.ts). */
const STR_HELPERS = new Set(["split", "lines", "chars", "bytes"]);

/** The string method call e as one runtime call (or `len`, `isEmpty`, `find`: `rt` empty), or null. */
function strParts(fe: FnEmitter, e: Call): (Parts & { rt: string; loc: boolean; name: string }) | null {
  const target = fe.typed.calls.get(e);
  if (target?.kind !== "strMethod" || (!STR_CALLS[target.name] && !STR_OWN.has(target.name) && !STR_HELPERS.has(target.name))) return null;
  const sig = [target.recv, ...e.args];
  const targets = sig.map((x) => (fe.typeOf(x).k === "int" ? T.i64 : T.string));
  const c = STR_CALLS[target.name];
  return { recv: target.recv, args: e.args, targets: targets.slice(1), recvLast: false, rt: c?.rt ?? "", loc: !!c?.loc, name: target.name };
}

/** Whether the method call e emits statements (a temporary, a pointer, a flag): IR only where statements may precede. */
function needsStmts(fe: FnEmitter, e: Call): boolean {
  const target = fe.typed.calls.get(e);
  if (target?.kind === "collection") return ["len", "isEmpty", "get", "pop", "contains", "indexOf"].includes(target.name);
  return target?.kind === "strMethod" && STR_OWN.has(target.name);
}

/** A temporary of C type ct (IR type t) declared now with init (FnEmitter.decl: a frame member in an async body). */
function declTmp(fe: FnEmitter, ct: string, t: IrType, init: Expr): { s: Stmt; x: Expr } {
  const l: Local = { id: 0, name: fe.newTmp(), type: t };
  return { s: fe.decl(ct, l.name) === l.name ? { s: "assign", to: { e: "local", l }, v: init } : { s: "decl", l, init }, x: { e: "local", l } };
}

/** The operands in the order the string emitter evaluated them, with their types. */
function ordered(p: Parts, recvT: Type): { es: A.Expr[]; ts: Type[] } {
  return p.recvLast ? { es: p.args, ts: p.targets } : { es: [p.recv, ...p.args], ts: [recvT, ...p.targets] };
}

/** Whether e is a collection or string method call built as IR (`ordered`: as irExpr's). */
export function methodIr(fe: FnEmitter, e: Call, order: boolean): boolean {
  if (fe.typed.tasks.implicit.has(e)) return false;
  const target = fe.typed.calls.get(e);
  if (target?.kind === "collection" && !target.recv) return true; // Vec(), Map(), Set(): `N_new()`
  const pr = printParts(fe, e);
  if (pr) return !pr.arg || irExpr(fe, pr.arg, order);
  const p = collParts(fe, e) ?? strParts(fe, e);
  if (!p) return order && vecHelperIr(fe, e);
  // A generated helper's call (expr-ir-collections.ts): statements first.
  if (!order && target?.kind === "collection" && HELPED.has(target.name)) return false;
  if (target?.kind === "collection" && !heapStoreOk(fe, e, target.name, fe.typeOf(p.recv) as Coll, order)) return false;
  // A length is read from the collection fixed in a temporary (FnEmitter.materialize), a result built in a
  // temporary: statements first.
  if (!order && needsStmts(fe, e)) return false;
  const { es, ts } = ordered(p, fe.typeOf(p.recv));
  if (!order && anyFixed(es)) return false;
  // A global receiver read last is read as it is.
  if (p.recvLast && !irExpr(fe, p.recv)) return false;
  return es.every((a, i) => irExpr(fe, a, order) && typeEq(fe.typeOf(a), ts[i]));
}

/** Whether the method call e, as a statement, is a call (`len`, `isEmpty` are not: the string emitter wrote `(void)(...)`). */
export function methodStmt(fe: FnEmitter, e: Call): boolean { return !needsStmts(fe, e); }

/** Whether e is a collection or string method call (methodIr decides whether it is IR). */
export function isMethodCall(fe: FnEmitter, e: Call): boolean {
  const k = fe.typed.calls.get(e)?.kind;
  return k === "collection" || k === "strMethod" || !!printParts(fe, e);
}

/** The IR of the method call e, which methodIr accepted. */
export function methodExprIr(fe: FnEmitter, e: Call): Expr {
  const t = fe.typeOf(e);
  const target = fe.typed.calls.get(e)!;
  if (target.kind === "collection" && !target.recv) { fe.em.defineType(t); return { e: "call", f: { c: "coll", op: "new", type: t }, args: [] }; }
  const pr = printParts(fe, e);
  if (pr) {
    if (!pr.arg) return { e: "call", f: { c: "rt", name: pr.rt }, args: [{ e: "lit", t: T.string, v: "" }] };
    const x = own(exprIr(fe, pr.arg)), show = shown(fe.typeOf(pr.arg))!;
    return { e: "call", f: { c: "rt", name: pr.rt }, args: [show ? { e: "call", f: { c: "rt", name: show }, args: [x] } : x] };
  }
  const loc = (): Expr[] => [{ e: "cstr", v: e.span.file }, { e: "int", v: e.span.line, t: T.int("i32") }, { e: "int", v: e.span.col, t: T.int("i32") }];
  const c = collParts(fe, e);
  if (c) {
    // The instance is defined before its operands are emitted (collections.ts).
    fe.em.defineType(c.ct);
    const { es, ts } = ordered(c, c.ct);
    const xs = operandsIr(fe, es, ts, own);
    const [recv, ...args] = c.recvLast ? [exprIr(fe, c.recv), ...xs] : xs;
    const op = (o: CollOp, ...more: Expr[]): Expr => ({ e: "call", f: { c: "coll", op: o, type: c.ct }, args: [recv, ...args, ...more] });
    const store = heapStoreIr(fe, e, c.name, c.ct, recv, args);
    if (store) return store;
    switch (c.name) {
      case "len": return { e: "len", of: fixIr(fe, recv, c.ct) };
      case "isEmpty": return { e: "bin", op: "==", l: { e: "len", of: fixIr(fe, recv, c.ct) }, r: { e: "int", v: 0, t: T.i64 } };
      case "insert": return c.ct.k === "vec" ? op("insert", ...loc()) : op("insert");
      case "remove": return { e: "call", f: removing(fe, c.ct, "remove"), args: [recv, ...args, ...loc()] };
      case "slice": return op(c.name, ...loc());
      case "delete": case "clear": return { e: "call", f: removing(fe, c.ct, c.name), args: [recv, ...args] };
      case "get": {
        // `V *p = M_get(m, k);` and `((O){ p != NULL, p ? *p : 0 })`, as collections.ts wrote it.
        const vt = (c.ct as Extract<Type, { k: "map" }>).val;
        fe.em.defineType(t);
        const ct = `${cType(vt)} *`;
        const p = declTmp(fe, ct, ct.endsWith("* *") ? { k: "ctype", c: ct } : { k: "ptr", to: vt }, op("get"));
        fe.emit(p.s);
        const v: Expr = { e: "cond", c: p.x, a: { e: "deref", p: p.x, bare: true }, b: zeroIr(vt), own: true };
        return { e: "optional", t, has: { e: "bin", op: "!=", l: p.x, r: { e: "null" } }, v };
      }
      case "pop": {
        // `T x = 0; bool ok = V_pop(v, &x);` on one line, and `((O){ ok, x })`.
        const elem = (c.ct as Extract<Type, { k: "vec" }>).elem;
        fe.em.defineType(t);
        const xl: Local = { id: 0, name: fe.newTmp(), type: elem }, okl: Local = { id: 0, name: fe.newTmp(), type: T.bool };
        const x: Expr = { e: "local", l: xl }, ok: Expr = { e: "local", l: okl };
        const d = (l: Local, ct: string, init: Expr): Stmt => (fe.decl(ct, l.name) === l.name ? { s: "assign", to: { e: "local", l }, v: init } : { s: "decl", l, init });
        const pop = removing(fe, c.ct, "pop");
        fe.emit({ s: "row", body: [d(xl, cType(elem), zeroIr(elem)), d(okl, "bool", { e: "call", f: pop, args: [recv, { e: "addr", of: x, bare: true }] })] });
        return { e: "optional", t, has: ok, v: x };
      }
      default: return HELPED.has(c.name) ? helpedExprIr(fe, c.name, c.ct, t, recv, args, c.targets, e.span) : op(c.name as CollOp);
    }
  }
  if (isVecHelper(fe, e)) return vecHelperExprIr(fe, e);
  const s = strParts(fe, e)!;
  const { es, ts } = ordered(s, T.string);
  const xs = operandsIr(fe, es, ts, own);
  switch (s.name) {
    case "len": return { e: "strLen", of: fixIr(fe, xs[0], T.string) };
    case "isEmpty": return { e: "bin", op: "==", l: { e: "strLen", of: fixIr(fe, xs[0], T.string) }, r: { e: "int", v: 0, t: T.i64 } };
    case "find": {
      // `int64_t i = co_str_find(s, x);` and `((O){ i >= 0, i })`.
      fe.em.defineType(t);
      const i = declTmp(fe, "int64_t", T.i64, { e: "call", f: { c: "rt", name: "co_str_find" }, args: xs });
      fe.emit(i.s);
      return { e: "optional", t, has: { e: "bin", op: ">=", l: i.x, r: { e: "int", v: 0, t: T.i64 } }, v: i.x };
    }
    case "parseInt": case "parseFloat": {
      // `int64_t v = 0; bool ok = co_str_parse_int(s, &v);` (a double for parseFloat) on one line, and `((O){ ok, v })`.
      fe.em.defineType(t);
      const vt = s.name === "parseInt" ? T.i64 : T.f64;
      const vl: Local = { id: 0, name: fe.newTmp(), type: vt }, okl: Local = { id: 0, name: fe.newTmp(), type: T.bool };
      const v: Expr = { e: "local", l: vl }, ok: Expr = { e: "local", l: okl };
      const d = (l: Local, ct: string, init: Expr): Stmt => (fe.decl(ct, l.name) === l.name ? { s: "assign", to: { e: "local", l }, v: init } : { s: "decl", l, init });
      const parse: Expr = { e: "call", f: { c: "rt", name: s.name === "parseInt" ? "co_str_parse_int" : "co_str_parse_float" }, args: [xs[0], { e: "addr", of: v, bare: true }] };
      fe.emit({ s: "row", body: [d(vl, cType(vt), { e: "int", v: 0, t: T.i64 }), d(okl, "bool", parse)] });
      return { e: "optional", t, has: ok, v };
    }
    case "split": case "lines": case "chars": case "bytes": {
      return { e: "call", f: { c: "helper", name: strFn(fe, s.name, t) }, args: xs };
    }
  }
  return { e: "call", f: { c: "rt", name: s.rt }, args: [...xs, ...(s.loc ? loc() : [])] };
}
