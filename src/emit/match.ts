// `match`: a chain of `if (test) { bind; [guard;] arm; goto end; }` over the
// subject held in a temporary, ending in a panic when no arm matched. Pattern
// tests and bindings follow the pattern's shape (optionals, tuples, variants,
// literals, ranges).

import type * as A from "../syntax/ast.js";
import { intRange, variantFields, type Type, type LocalVar } from "../check/types.js";
import { cType, cStr } from "./names.js";
import { NEVER, lineDirective, locArgs, unparen, intLit, floatLit, zero } from "./ctext.js";
import type { FnEmitter } from "./body.js";

export function match(fe: FnEmitter, e: Extract<A.Expr, { kind: "Match" }>, t: Type, ind: number, stmt = false): string {
  const st = fe.ty(fe.typed.matchSubjects.get(e)!);
  const subj = fe.materializeAlways(fe.expr(e.subject, ind), st, ind);
  const value = !stmt && t.k !== "unit" && t.k !== "never";
  let res = "";
  if (value) { fe.em.defineType(t); res = fe.newTmp(); fe.line(ind, `${fe.decl(cType(t), res)} = ${zero(t)};`); }
  const end = `match_end_${++fe.matches}`;
  for (const arm of e.arms) {
    fe.line(ind, lineDirective(arm.span));
    const cond = patTest(fe, arm.pattern, subj, st);
    fe.line(ind, `if (${unparen(cond)}) {`);
    patBind(fe, arm.pattern, subj, st, ind + 1);
    let inner = ind + 1;
    if (arm.guard) {
      const g = fe.expr(arm.guard, ind + 1);
      fe.line(ind + 1, `if (${unparen(g)}) {`);
      inner = ind + 2;
    }
    if (arm.body.kind === "Block") fe.arm(arm.body, inner, value ? { v: res, t } : null);
    else if (value) { const v = fe.value(arm.body, t, inner); if (v !== NEVER) fe.line(inner, `${res} = ${v};`); }
    else fe.exprStmt(arm.body, inner);
    fe.line(inner, `goto ${end};`);
    if (arm.guard) fe.line(ind + 1, "}");
    fe.line(ind, "}");
  }
  fe.line(ind, `co_panic_at(${locArgs(e.span)}, "no match arm matched");`);
  fe.line(ind, `${end}:;`);
  return value ? res : t.k === "never" ? NEVER : "";
}

/** The C condition under which value v (type t) matches pattern p. */
export function patTest(fe: FnEmitter, p: A.Pattern, v: string, t: Type): string {
  if (t.k === "optional" && fe.typed.patSome.has(p)) {
    const c = p.kind === "PVariant" ? patTest(fe, p.args[0], `${v}.val`, t.inner) : patTestOwn(fe, p, `${v}.val`, t.inner);
    return c === "1" ? `${v}.has` : `(${v}.has && ${c})`;
  }
  return patTestOwn(fe, p, v, t);
}

function patTestOwn(fe: FnEmitter, p: A.Pattern, v: string, t: Type): string {
  if (t.k === "optional" && p.kind !== "PWild" && p.kind !== "PNone" && p.kind !== "POr" && !(p.kind === "PBind" && !fe.typed.patVariants.has(p))) {
    return `(${v}.has && ${patTest(fe, p, `${v}.val`, t.inner)})`;
  }
  switch (p.kind) {
    case "PWild": return "1";
    case "PNone": return `(!${v}.has)`;
    case "PBind": {
      const pv = fe.typed.patVariants.get(p);
      return pv ? `(${v}.tag == ${pv.variant.index})` : "1";
    }
    case "POr": {
      const parts = p.alts.map((x) => patTest(fe, x, v, t));
      return parts.includes("1") ? "1" : `(${parts.join(" || ")})`;
    }
    case "PLit": {
      const lit = litC(fe, p.value, t);
      return t.k === "string" ? `co_str_eq(${v}, ${lit})` : `(${v} == ${lit})`;
    }
    case "PRange": {
      // Bounds at the type's own limits are left out (the comparison would always hold).
      const parts: string[] = [];
      const r = t.k === "int" ? intRange(t.name) : null;
      const lo = p.lo.kind === "IntLit" ? p.lo.value : p.lo.kind === "Unary" && p.lo.operand.kind === "IntLit" ? -p.lo.operand.value : null;
      const hi = p.hi.kind === "IntLit" ? p.hi.value : p.hi.kind === "Unary" && p.hi.operand.kind === "IntLit" ? -p.hi.operand.value : null;
      if (!(r && lo !== null && lo <= r.min)) parts.push(`${v} >= ${litC(fe, p.lo, t)}`);
      if (!(r && hi !== null && p.inclusive && hi >= r.max)) parts.push(`${v} ${p.inclusive ? "<=" : "<"} ${litC(fe, p.hi, t)}`);
      return parts.length ? `(${parts.join(" && ")})` : "1";
    }
    case "PTuple": {
      if (t.k !== "tuple") throw new Error("internal: tuple pattern");
      const parts = p.elems.map((x, i) => patTest(fe, x, `${v}.f${i}`, t.elems[i])).filter((c) => c !== "1");
      return parts.length ? `(${parts.join(" && ")})` : "1";
    }
    case "PVariant": {
      const pv = fe.typed.patVariants.get(p)!;
      const et = t as Extract<Type, { k: "enum" }>;
      const fs = variantFields(et, pv.variant);
      const subs = fe.typed.patFields.get(p) ?? [];
      const parts = [`${v}.tag == ${pv.variant.index}`];
      subs.forEach((x, i) => {
        if (!x) return;
        const c = patTest(fe, x, `${v}.u.v${pv.variant.index}${et.info.recursive ? "->" : "."}f${i}`, fs[i].type);
        if (c !== "1") parts.push(c);
      });
      return `(${parts.join(" && ")})`;
    }
  }
}

/**
 * Declares the locals a matching pattern binds (with `assign`, only assigns
 * them: an or-pattern declares its locals once, then assigns them from the
 * alternative that matched).
 */
export function patBind(fe: FnEmitter, p: A.Pattern, v: string, t: Type, ind: number, assign = false): void {
  if (t.k === "optional" && fe.typed.patSome.has(p)) {
    if (p.kind === "PVariant") patBind(fe, p.args[0], `${v}.val`, t.inner, ind, assign);
    else patBindOwn(fe, p, `${v}.val`, t.inner, ind, assign);
    return;
  }
  patBindOwn(fe, p, v, t, ind, assign);
}

function patBindOwn(fe: FnEmitter, p: A.Pattern, v: string, t: Type, ind: number, assign: boolean): void {
  if (t.k === "optional" && p.kind !== "PWild" && p.kind !== "PNone" && p.kind !== "POr" && !(p.kind === "PBind" && !fe.typed.patVariants.has(p))) {
    patBind(fe, p, `${v}.val`, t.inner, ind, assign);
    return;
  }
  switch (p.kind) {
    case "PBind": {
      const local = fe.typed.patLocals.get(p);
      if (!local) return;
      fe.em.defineType(t);
      if (assign) fe.line(ind, `${fe.lv(local)} = ${v};`);
      else fe.line(ind, `${fe.decl(cType(t), fe.lv(local))} = ${v};`);
      return;
    }
    case "POr": orBind(fe, p, v, t, ind, assign); return;
    case "PTuple":
      if (t.k === "tuple") p.elems.forEach((x, i) => patBind(fe, x, `${v}.f${i}`, t.elems[i], ind, assign));
      return;
    case "PVariant": {
      const pv = fe.typed.patVariants.get(p)!;
      const et = t as Extract<Type, { k: "enum" }>;
      const fs = variantFields(et, pv.variant);
      (fe.typed.patFields.get(p) ?? []).forEach((x, i) => {
        if (x) patBind(fe, x, `${v}.u.v${pv.variant.index}${et.info.recursive ? "->" : "."}f${i}`, fs[i].type, ind, assign);
      });
      return;
    }
    default: return;
  }
}

/** `A | B` binds the same locals in every alternative: declare them, then assign them from the alternative that matched. */
function orBind(fe: FnEmitter, p: Extract<A.Pattern, { kind: "POr" }>, v: string, t: Type, ind: number, assign: boolean): void {
  const locals = new Set<LocalVar>();
  const walk = (x: A.Pattern): void => {
    const l = fe.typed.patLocals.get(x);
    if (l) locals.add(l);
    if (x.kind === "PTuple") x.elems.forEach(walk);
    else if (x.kind === "PVariant") { x.args.forEach(walk); x.named?.forEach((n) => walk(n.pat)); }
    else if (x.kind === "POr") walk(x.alts[0]);
  };
  walk(p.alts[0]);
  if (!locals.size) return;
  if (!assign) {
    for (const l of locals) {
      const lt = fe.ty(l.type);
      fe.em.defineType(lt);
      fe.line(ind, `${fe.decl(cType(lt), fe.lv(l))} = ${zero(lt)};`);
    }
  }
  p.alts.forEach((a, i) => {
    fe.line(ind, `${i ? "else " : ""}if (${unparen(patTest(fe, a, v, t))}) {`);
    patBind(fe, a, v, t, ind + 1, true);
    fe.line(ind, "}");
  });
}

/** A literal pattern's C value. */
export function litC(fe: FnEmitter, e: A.Expr, t: Type): string {
  if (e.kind === "StrLit") return cStr(e.parts.map((x) => (x.kind === "text" ? x.value : "")).join(""));
  if (e.kind === "BoolLit") return e.value ? "true" : "false";
  if (e.kind === "IntLit") return t.k === "float" ? floatLit(Number(e.value), t) : intLit(e.value, t);
  if (e.kind === "FloatLit") return floatLit(e.value, t);
  if (e.kind === "Unary" && e.operand.kind === "IntLit") return t.k === "float" ? floatLit(-Number(e.operand.value), t) : intLit(-e.operand.value, t);
  if (e.kind === "Unary" && e.operand.kind === "FloatLit") return floatLit(-e.operand.value, t);
  throw new Error("internal: pattern literal");
}
