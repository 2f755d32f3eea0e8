// Calls: of functions (monomorphized instances, extern std functions), of
// methods and trait methods (a `mut self` receiver on older memory runs with
// that memory current), of variants, closures and function values, and of the
// builtins (print, assert, panic, math, string and builder methods).

import { locIr, withCaller } from "./caller.js";
import { pinsReceiver } from "./pins.js";
import type * as A from "../syntax/ast.js";
import {
  T, subst, variantFields, type Type, type FnInfo, type TypeParamInfo, type VariantInfo,
} from "../check/types.js";
import { cType, mangle, cStr, externName } from "./names.js";
import { strFn } from "./collections.js";
import { NEVER, locArgs } from "./ctext.js";
import { fixes } from "./expr-ir-order.js";
import { exprIr, irExpr } from "./expr-ir.js";
import { checkedNeg } from "./fail-stubs.js";
import type { FnEmitter } from "./body.js";
import { C } from "./body-ir.js";
import { allocIr, memberLocal, placeIr, wholeIr } from "./frames-ir.js";
import { ownerIr } from "./drops-ir.js";
import { CURRENT, regionVar } from "./regions.js";
import { assign, type Expr } from "../lower/ir.js";
import { showIr, showStrIr } from "./expr-ir-show.js";
import { assertIr } from "./expr-ir-builtins.js";
import { withCallerIr } from "./expr-ir-std.js";
import { irValueText } from "./expr-ir-text.js";
import { jsonIntrinsic } from "./json.js";
import { helperCall } from "./helpers.js";
import { formatMethod } from "./format.js";
import { isBoxed, payloadType, variantValue } from "./enum-layout.js";

/** A value's printed text (a co_str) as IR, of the string emitter's text c of a value of type t (expr-ir-show.ts showStrIr). */
function showStrOf(fe: FnEmitter, c: string, t: Type): Expr {
  return showStrIr(fe, t, placeIr(fe, c, cType(t)));
}

export function call(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, t: Type): string {
  const target = fe.typed.calls.get(e);
  if (!target) throw new Error("internal: unresolved call");
  switch (target.kind) {
    case "fn": {
      const f = target.f;
      const typeArgs = target.typeArgs.map((x) => fe.ty(x));
      const fsub = new Map(f.typeParams.map((p, i) => [p, typeArgs[i]] as [TypeParamInfo, Type]));
      const args = fe.operands(e.args, f.params.map((p) => subst(p.type, fsub)));
      if (args.some((a) => a === NEVER)) return NEVER;
      if (f.decl.extern) {
        const intrinsic = typeArgs.length ? jsonIntrinsic(fe.em, f, typeArgs, subst(f.ret, fsub), args) : null;
        if (intrinsic !== null) return intrinsic;
        // Function values handed to the runtime outlive fe task: copied into global memory, passed as (fn, env).
        const cargs = args.map((a, i) => {
          const pt = f.params[i].type;
          if (pt.k !== "fn") return a;
          // Its promotion into global memory as IR (the temporary's value: expr-ir-text.ts irValueText).
          const promoted = fe.em.storeCopy(e, "co_global", pt) === "promote" ? irValueText(fe, fe.em.storedIr(e, "co_global", { e: "sym", name: "co_global" }, pt, placeIr(fe, a, cType(pt)))!) : null;
          const g = fe.materializeAlways(promoted ?? fe.em.stored(e, "co_global", pt, a), pt);
          return `${g}.fn, ${g}.env`;
        });
        const text = withCaller(e, f, `${externName(f)}(${cargs.join(", ")})`);
        // Recorded with its IR (text-ir.ts) where no argument is a function value's pair.
        return f.params.some((p) => p.type.k === "fn") ? text : fe.recorded(text, withCallerIr(e, f, { e: "call", f: { c: "extern", f }, args: args.map(C) }));
      }
      // Recorded with its IR (text-ir.ts): the instance the mono pass recorded at this call (expr-ir-calls.ts callExprIr).
      const unchecked = !!fe.unchecked?.has(e), i = fe.em.site(fe.ctx, e, unchecked);
      const x: Expr = { e: "call", f: { c: "instance", f: i.f, typeArgs: i.args, ...(unchecked ? { unchecked } : {}) }, args: args.map(C) };
      return fe.recorded(withCaller(e, f, `${fe.target(e, unchecked)}(${args.join(", ")})`), withCallerIr(e, i.f, x));
    }
    case "variant": return construct(fe, fe.ty(target.type) as Extract<Type, { k: "enum" }>, target.variant, e.args);
    case "clone": {
      const v = fe.expr(target.recv);
      if (v === NEVER) return NEVER;
      return fe.em.hasHeap(t) ? fe.em.clone(t, v) : v;
    }
    case "helper": return helperCall(fe, e, target, t);
    case "traitMethod": {
      // Resolved statically for this instance's receiver type by the mono pass (src/lower/mono.ts); `T.zero()`
      // (no receiver) calls the impl's associated function.
      const inst = fe.em.site(fe.ctx, e);
      if (!target.recv) {
        const fsub = new Map(inst.f.typeParams.map((p, i) => [p, inst.args[i]] as [TypeParamInfo, Type]));
        const args = fe.operands(e.args, inst.f.params.map((p) => subst(p.type, fsub)));
        if (args.some((a) => a === NEVER)) return NEVER;
        return fe.recorded(withCaller(e, inst.f, `${fe.target(e)}(${args.join(", ")})`), withCallerIr(e, inst.f, { e: "call", f: { c: "instance", f: inst.f, typeArgs: inst.args }, args: args.map(C) }));
      }
      return methodCall(fe, e, inst.f, inst.args, target.recv);
    }
    case "method": return methodCall(fe, e, target.f, target.typeArgs.map((x) => fe.ty(x)), target.recv);
    case "builtin": return builtin(fe, e, target.name);
    case "collection": return fe.collectionCall(e, target.name, target.recv, t);
    case "task": {
      // h.wait(ms) is awaited: emit/tasks.ts
      // The handle as IR where the IR builder has it (expr-ir.ts), else its text taken back.
      const h = irExpr(fe, target.recv, true) ? null : fe.expr(target.recv);
      if (h === NEVER) return NEVER;
      const hx = h === null ? exprIr(fe, target.recv) : placeIr(fe, h, "co_handle");
      if (target.name === "isDone") return irValueText(fe, { e: "call", f: { c: "rt", name: "co_task_done" }, args: [hx] });
      fe.emit({ s: "expr", x: { e: "call", f: { c: "rt", name: "co_task_cancel" }, args: [hx] } });
      return "";
    }
    case "builder": {
      if (!target.recv) return "co_sb_new()";
      const b = fe.materialize(fe.expr(target.recv), fe.typeOf(target.recv));
      switch (target.name) {
        case "append": {
          const at = fe.typeOf(e.args[0]);
          const v = fe.expr(e.args[0]);
          if (v === NEVER) return NEVER;
          showIr(fe, at, placeIr(fe, b, "co_sb *"), placeIr(fe, v, cType(at)), false);
          return "";
        }
        case "len": return fe.recorded(`${b}->len`, { e: "arrow", p: C(b), field: "len" });
        case "clear": return fe.recorded(`(${b}->len = 0)`, { e: "paren", x: { e: "set", to: { e: "arrow", p: C(b), field: "len" }, v: { e: "int", v: 0, t: T.i64 } } });
        case "toString": return fe.recorded(`co_sb_snapshot(${b})`, { e: "call", f: { c: "rt", name: "co_sb_snapshot" }, args: [C(b)] });
      }
      throw new Error("internal: builder method");
    }
    case "math": {
      const vals = fe.operands(e.args, e.args.map(() => t));
      if (vals.some((v) => v === NEVER)) return NEVER;
      if (t.k === "int") {
        const [a, b] = vals;
        if (target.name === "abs") return `((${a}) < 0 ? ${checkedNeg(fe.em.fails, t.name, a, e.span)} : (${a}))`;
        const x = fe.materialize(a, t), y = fe.materialize(b, t);
        const op = target.name === "min" ? "<" : ">";
        return fe.recorded(`(${x} ${op} ${y} ? ${x} : ${y})`, { e: "cond", c: { e: "bin", op, l: C(x), r: C(y) }, a: C(x), b: C(y), flat: true });
      }
      const f32 = t.k === "float" && t.name === "f32";
      const cname = target.name === "abs" ? "fabs" : target.name === "min" ? "fmin" : target.name === "max" ? "fmax" : target.name;
      return fe.recorded(`${cname}${f32 ? "f" : ""}(${vals.join(", ")})`, { e: "call", f: { c: "rt", name: `${cname}${f32 ? "f" : ""}` }, args: vals.map(C) });
    }
    case "closure": {
      const ft = fe.typeOf(target.callee) as Extract<Type, { k: "fn" }>;
      const vals = fe.operands([target.callee, ...e.args], [ft, ...ft.params]);
      if (vals.some((v) => v === NEVER)) return NEVER;
      const f = fe.materializeAlways(vals[0], ft);
      // Recorded with its IR (text-ir.ts): `{ c: "value" }` over the fixed function value.
      return fe.recorded(`${f}.fn(${[`${f}.env`, ...vals.slice(1)].join(", ")})`, { e: "call", f: { c: "value", fn: C(f) }, args: vals.slice(1).map(C) });
    }
    case "fmtMethod": return formatMethod(fe, e, target.name, target.recv);
    case "strMethod": {
      const sig = [target.recv, ...e.args];
      const vals = fe.operands(sig, sig.map((x) => fe.typeOf(x).k === "int" ? T.i64 : T.string));
      const [s, a, b] = vals;
      // A runtime call `name(args[, loc])`, its text recorded with its IR (text-ir.ts).
      const LOC = "\0loc";
      const rtText = (name: string, ...args: string[]): string => {
        const xs = args.flatMap((x): Expr[] => x === LOC ? locIr(e.span) : [C(x)]);
        return fe.recorded(`${name}(${args.map((x) => x === LOC ? locArgs(e.span) : x).join(", ")})`, { e: "call", f: { c: "rt", name }, args: xs });
      };
      switch (target.name) {
        case "len": { const m = fe.materialize(s, T.string); return fe.recorded(`${m}.len`, { e: "strLen", of: C(m) }); }
        case "isEmpty": { const m = fe.materialize(s, T.string); return fe.recorded(`(${m}.len == 0)`, { e: "bin", op: "==", l: { e: "strLen", of: C(m) }, r: { e: "int", v: 0, t: T.i64 } }); }
        case "trim": return rtText("co_str_trim", s);
        case "trimStart": return rtText("co_str_trim_start", s);
        case "trimEnd": return rtText("co_str_trim_end", s);
        case "contains": return rtText("co_str_contains", s, a);
        case "startsWith": return rtText("co_str_starts_with", s, a);
        case "endsWith": return rtText("co_str_ends_with", s, a);
        case "replace": return rtText("co_str_replace", s, a, b);
        case "toUpper": return rtText("co_str_to_upper", s);
        case "toLower": return rtText("co_str_to_lower", s);
        case "compare": return rtText("co_str_compare", s, a);
        case "charCount": return rtText("co_str_char_count", s);
        case "slice": return rtText("co_str_slice", s, a, b, LOC);
        case "repeat": return rtText("co_str_repeat", s, a, LOC);
        case "split": case "lines": case "chars": case "bytes": {
          const h = strFn(fe, target.name, t);
          return `${h}(${s}${target.name === "split" ? `, ${a}` : ""})`;
        }
        case "find": {
          fe.em.defineType(t);
          const i = fe.newTmp();
          fe.declare("int64_t", i, rtText("co_str_find", s, a));
          return fe.recorded(`((${cType(t)}){ ${i} >= 0, ${i} })`, { e: "optional", t, has: { e: "bin", op: ">=", l: C(i), r: { e: "int", v: 0, t: T.i64 } }, v: C(i) });
        }
        case "parseInt": case "parseFloat": {
          fe.em.defineType(t);
          const ct = target.name === "parseInt" ? "int64_t" : "double";
          const v = fe.newTmp(), ok = fe.newTmp();
          fe.emit({ s: "row", body: [fe.declStmt(ct, v, "0"), fe.declStmt("bool", ok, `co_str_parse_${target.name === "parseInt" ? "int" : "float"}(${s}, &${v})`)] });
          return fe.recorded(`((${cType(t)}){ ${ok}, ${v} })`, { e: "optional", t, has: C(ok), v: C(v) });
        }
      }
    }
  }
  throw new Error("internal: call kind");
}

export function methodCall(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, f: FnInfo, typeArgs: Type[], recvE: A.Expr): string {
  const fsub = new Map(f.typeParams.map((p, i) => [p, typeArgs[i]] as [TypeParamInfo, Type]));
  let recv: string;
  const effects = fixes([recvE, ...e.args], 0);
  let owner: string | null = null;
  if (f.self!.kind === "mut") {
    let root: string;
    if (isPlace(fe, recvE)) ({ place: root, owner } = fe.placeWithOwner(recvE));
    else root = fe.materializeAlways(fe.expr(recvE), fe.typeOf(recvE));
    recv = fe.recorded(`&${root}`, { e: "addr", of: receiverIr(fe, recvE, root), bare: true });
  } else {
    // A borrowed receiver the method keeps (stores `self` or a part of it) is copied first (rule 3).
    recv = fe.em.borrowArg(recvE, fe.typeOf(recvE), fe.expr(recvE));
    if (effects) recv = fe.materialize(recv, fe.typeOf(recvE));
  }
  const ptypes = f.params.map((p) => subst(p.type, fsub));
  let args = fe.operands(e.args, ptypes);
  if (args.some((a) => a === NEVER)) return NEVER;
  const inst = fe.target(e), site = fe.em.site(fe.ctx, e);
  const call = (as: string[], rg?: string) => {
    const all = [recv, ...(rg ? [rg] : []), ...as];
    return fe.recorded(withCaller(e, f, `${inst}(${all.join(", ")})`), withCallerIr(e, f, { e: "call", f: { c: "instance", f: site.f, typeArgs: site.args }, args: all.map(C) }));
  };
  if (f.self!.kind !== "mut") return call(args);
  // A receiver inside a collection element is pinned while the method runs (when it may change a collection): an
  // operation that would move or remove it panics instead of leaving `self` where the element was (pins.ts).
  const pin = pinsReceiver(fe, f, recvE);
  // A `mut self` method gets the region its receiver lives in, and what it stores through `self` is copied
  // there (docs/memory.md, "mut self methods"). A receiver in global memory: the method runs in the caller's
  // region, so its locals and temporaries are the caller's (a local collection holding values of the global
  // tree is not owned by global memory, and removing from it frees nothing), and every store through `self`
  // copies into global memory (rule 2). A receiver in an older region (a collection element, a local outside a
  // region block): the method runs with that region current, so what it builds and stores needs no copy, and
  // its arguments are copied there first (rule 1).
  if (owner && owner !== "co_global") {
    args = args.map((a, i) => {
      if (!fe.em.hasHeap(ptypes[i])) return a;
      const pt = ptypes[i], m = fe.materialize(a, pt);
      // The argument (its temporary, or the constant left in place) copied into the receiver's region unless that
      // is global memory, as IR over the temporary: the copy (Emitter.storedAsIr) is not a recorded text.
      const mx = m === a ? placeIr(fe, m, cType(pt)) : { e: "local", l: memberLocal(m, cType(pt)) } as Expr;
      const o = ownerIr(fe, owner);
      const x: Expr = { e: "cond", c: { e: "bin", op: "==", l: o, r: { e: "sym", name: "co_global" } }, a: mx, b: fe.em.storedAsIr(e, owner, o, pt, mx), flat: true };
      const r = fe.newTmp();
      fe.em.defineType(pt);
      fe.declare(cType(pt), r, x);
      return r;
    });
  }
  const ret = subst(f.ret, fsub);
  if (pin) {
    // The element's address after the arguments (which may still change the collection), then the pin.
    const p = fe.newTmp();
    fe.declare(`${cType(fe.typeOf(recvE))} *`, p, recv);
    recv = p;
    const name = f.owner ? `${f.owner.name}.${f.name}` : f.name;
    fe.emit({ s: "expr", x: { e: "call", f: { c: "rt", name: "co_pin_elem" }, args: [placeIr(fe, p), { e: "cstr", v: name }, ...locIr(e.span)] } });
    fe.em.pinned = true;
  }
  const unpin = () => { if (pin) fe.emit({ s: "expr", x: { e: "call", f: { c: "rt", name: "co_unpin" }, args: [] } }); };
  // The call as a statement (its value in a temporary), then what must follow it.
  const stmt = (rg: string, after: () => void): string => {
    let res = "";
    if (ret.k === "unit" || ret.k === "never") fe.emit({ s: "expr", x: wholeIr(fe, call(args, rg)) });
    else { res = fe.newTmp(); fe.em.defineType(ret); fe.declare(cType(ret), res, `${call(args, rg)}`); }
    after();
    return res;
  };
  if (!owner) return pin ? stmt("co_current", unpin) : call(args, "co_current");
  if (owner === "co_global") return pin ? stmt(owner, unpin) : call(args, owner);
  const rg = fe.newTmp(), saved = fe.newTmp();
  fe.declare("co_region *", rg, ownerIr(fe, owner));
  fe.declare("co_region *", saved, CURRENT);
  fe.emit({ s: "if", cond: { e: "bin", op: "!=", l: regionVar(rg), r: { e: "sym", name: "co_global" } }, then: [assign(CURRENT, regionVar(rg))], else_: [], short: true });
  return stmt(rg, () => { fe.emit(assign(CURRENT, regionVar(saved))); unpin(); });
}

/** A `mut self` receiver's place (text root) as IR where it is a path of names (`self`, `self.inner`: nothing to
 *  emit) that prints as the text, else the text. */
function receiverIr(fe: FnEmitter, recvE: A.Expr, root: string): Expr {
  const names = (x: A.Expr): boolean => x.kind === "Ident" || ((x.kind === "Field" || x.kind === "TupleIndex") && names(x.target));
  if (!names(recvE) || !irExpr(fe, recvE)) return C(root);
  const x = exprIr(fe, recvE);
  return fe.printTop(x) === root ? x : C(root);
}

/** A variant value; payloads of recursive enums are boxed in the current region. */
export function construct(fe: FnEmitter, t: Extract<Type, { k: "enum" }>, v: VariantInfo, argEs: A.Expr[]): string {
  fe.em.defineType(t);
  const fs = variantFields(t, v);
  // A box is taken before the fields are evaluated, so a tree built by recursion lies in memory in the
  // order it is walked (a node before its children: docs/memory.md "Enum layout").
  let box: Expr | null = null;
  if (fs.length && isBoxed(t)) {
    const name = fe.newTmp();
    box = { e: "local", l: memberLocal(name, `${payloadType(t, v.index)} *`) };
    fe.declare(`${payloadType(t, v.index)} *`, name, allocIr(box));
  }
  const vals = fe.operands(argEs, fs.map((f) => f.type));
  if (vals.some((x) => x === NEVER)) return NEVER;
  if (!fs.length) return fe.recorded(variantValue(t, v.index, null), { e: "variant", type: t, variant: v.index, fields: [] });
  if (!box) return fe.recorded(variantValue(t, v.index, vals), { e: "variant", type: t, variant: v.index, fields: vals.map(C) });
  const b = box;
  vals.forEach((x, i) => fe.emit({ s: "assign", to: { e: "arrow", p: b, field: `f${i}` }, v: placeIr(fe, x, cType(fs[i].type)) }));
  return fe.recorded(variantValue(t, v.index, fe.printTop(b)), { e: "variant", type: t, variant: v.index, fields: [], box: b });
}

/** Whether a `mut self` receiver is storage the method can change in place (see place()). */
export function isPlace(fe: FnEmitter, e: A.Expr): boolean {
  if (e.kind === "Ident") return true;
  if (e.kind === "Field") return fe.typed.refs.has(e) || isPlace(fe, e.target);
  if (e.kind === "TupleIndex") return isPlace(fe, e.target);
  if (e.kind === "Index") { const k = fe.typeOf(e.target).k; return k === "vec" || k === "map"; }
  return false;
}

export function builtin(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, name: string): string {
  switch (name) {
    case "print": case "println": case "eprint": case "eprintln": {
      const fn = { print: "co_print", println: "co_println", eprint: "co_eprint", eprintln: "co_eprintln" }[name]!;
      if (e.args.length === 0) return `${fn}(${cStr("")})`;
      const a = e.args[0];
      const v = fe.expr(a);
      if (v === NEVER) return NEVER;
      return irValueText(fe, { e: "call", f: { c: "rt", name: fn }, args: [showStrOf(fe, v, fe.typeOf(a))] });
    }
    case "assert": assertIr(fe, e); return "";
    case "panic": {
      const a = e.args[0];
      const v = fe.expr(a);
      if (v !== NEVER) fe.emit({ s: "expr", x: { e: "call", f: { c: "rt", name: "co_panic_str_at" }, args: [showStrOf(fe, v, fe.typeOf(a)), ...locIr(e.span)] } });
      return NEVER;
    }
  }
  throw new Error(`internal: builtin ${name}`);
}
