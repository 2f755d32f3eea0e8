// `match` and patterns: typing patterns against the subject, binding their
// locals, and handing the arms to the exhaustiveness check (exhaustive.ts).

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, typeEq, containsError, showType, variantFields, type Type, type ModuleInfo, type LocalVar } from "./types.js";
import { checkExhaustive } from "./exhaustive.js";
import { buildDecision, WILD, type NPat, type RowIn } from "./decision.js";
import { suggest } from "./suggest.js";
import { NO_ENV, type FnCtx, Scope, report, type CheckContext } from "./context.js";
import { checkBlock, declareLocal } from "./statements.js";
import { expectCond, assignable, checkExpr, lastExprSpan, blockValue, intValue } from "./expressions.js";
import { joinOpenBranches, blockTail, widenForNone, type Branch } from "./branch-join.js";
import { bindingNameProblem, foreignPatternName, isConstantPath } from "./pattern-names.js";
import { recordPatternVars } from "./habits.js";
import { checkOr, checkSome, coversNone, narrowedBind, checkIfLetPattern } from "./pattern-forms.js";

export function bindPattern(cx: CheckContext, p: A.Pattern, t: Type, mutable: boolean, kind: LocalVar["kind"], scope: Scope): void {
  switch (p.kind) {
    case "PBind": {
      const foreign = foreignPatternName(p.name, false);
      if (foreign) report(cx, foreign, p.span);
      const v = declareLocal(cx, p.name, foreign ? T.error : t, mutable, kind, p.span, scope);
      if (v) cx.out.patLocals.set(p, v);
      return;
    }
    case "PWild": return;
    case "PTuple": {
      if (t.k === "error") { for (const x of p.elems) bindPattern(cx, x, T.error, mutable, kind, scope); return; }
      if (t.k !== "tuple" || t.elems.length !== p.elems.length) {
        report(cx, t.k === "tuple" ? M.patternArity("tuple", t.elems.length, p.elems.length) : M.patternType("tuple", showType(t)), p.span);
        for (const x of p.elems) bindPattern(cx, x, T.error, mutable, kind, scope);
        return;
      }
      p.elems.forEach((x, i) => bindPattern(cx, x, t.elems[i], mutable, kind, scope));
      return;
    }
    default: report(cx, M.unsupported("this pattern in a binding (use `match`)"), p.span);
  }
}

export function matchType(cx: CheckContext, e: Extract<A.Expr, { kind: "Match" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  const st = checkExpr(cx, e.subject, scope, ctx, m, undefined);
  cx.out.matchSubjects.set(e, st);
  const arms: RowIn[] = [];
  // An expected type with holes (a closure's shape) guides the arms until the first arm's value decides the type.
  const shape = !stmt && expected !== undefined && containsError(expected) ? expected : undefined;
  if (shape) expected = undefined;
  let result: Type | undefined = stmt ? T.unit : expected;
  let allDiverge = true;
  let bad = false;
  let noneDone = false; // an earlier unguarded arm matched `none`: a binding arm binds the present value
  const mark = cx.diags.length;
  const values: Branch[] = [];
  for (const arm of e.arms) {
    const inner = new Scope(scope);
    const narrowed = noneDone ? narrowedBind(cx, arm.pattern, st, inner, checkPattern, m) : undefined;
    const pat = narrowed !== undefined ? narrowed : checkPattern(cx, arm.pattern, st, inner, m);
    if (!pat) bad = true;
    recordPatternVars(cx, inner.vars.values(), e.subject);
    if (!arm.guard && coversNone(arm.pattern)) noneDone = true;
    if (arm.guard) { const gt = checkExpr(cx, arm.guard, inner, ctx, m, T.bool); expectCond(cx, gt, arm.guard); }
    arms.push({ pat: pat ?? WILD, guarded: !!arm.guard });
    let t: Type;
    const armScope = arm.body.kind === "Block" ? new Scope(inner) : inner;
    if (arm.body.kind === "Block") {
      t = stmt ? (checkBlock(cx, arm.body, armScope, ctx, m).diverges ? T.never : T.unit) : blockValue(cx, arm.body, armScope, ctx, m, (expected ? result : widenForNone(blockTail(arm.body), result)) ?? shape, false);
    } else {
      t = checkExpr(cx, arm.body, inner, ctx, m, stmt ? undefined : (expected ? result : widenForNone(arm.body, result)) ?? shape, stmt);
    }
    if (!stmt) values.push({ tail: blockTail(arm.body), scope: armScope, type: t });
    if (t.k !== "never") allDiverge = false;
    if (stmt || t.k === "never" || t.k === "error") continue;
    if (!result) { result = shape?.k === "optional" && t.k !== "optional" ? T.optional(t) : t; continue; }
    if (assignable(cx, result, t)) continue;
    if (t.k === "optional" && assignable(cx, t, result) && !expected) { result = t; continue; }
    const span = arm.body.kind === "Block" ? lastExprSpan(cx, arm.body) : arm.body.span;
    report(cx, M.mismatch(showType(result), showType(t), "every arm of a `match` value must have the same type"), span);
    bad = true;
  }
  if (!stmt && !expected && !bad && values.some((v) => containsError(v.type))) {
    // `match k { A => Err("a"), B => Ok(1) }`: the arms' open type parameters decided together.
    const joined = joinOpenBranches(cx, ctx, m, values, mark);
    if (joined && (!result || containsError(result))) result = joined;
  }
  if (st.k !== "error" && !bad) {
    const dt = buildDecision(st, arms);
    cx.out.decisions.set(e, dt);
    const r = checkExhaustive(dt);
    if (r.missing.length) report(cx, M.nonExhaustive(r.missing), e.span);
    for (const i of r.unreachable) report(cx, M.unreachableArm(), e.arms[i].span);
  }
  if (allDiverge && e.arms.length) return T.never;
  if (stmt) return T.unit;
  if (!result) { report(cx, M.cannotInfer("this `match`", "give each arm a value"), e.span); return T.error; }
  return bad ? T.error : result;
}

/** `if let PATTERN = value`: binds the pattern's names in scope (see pattern-forms.ts). */
export function ifLetPattern(cx: CheckContext, e: Extract<A.Expr, { kind: "IfLet" }>, vt: Type, scope: Scope, m: ModuleInfo): void {
  const np = checkIfLetPattern(cx, e.pattern, vt, e.value.span, scope, m, checkPattern);
  recordPatternVars(cx, scope.vars.values(), e.value);
  if (np && vt.k !== "error") cx.out.decisions.set(e, buildDecision(vt, [{ pat: np, guarded: false }]));
}

/** Checks a pattern against type t, binding its names in scope; null when it cannot match. */
function checkPattern(cx: CheckContext, p: A.Pattern, t: Type, scope: Scope, m: ModuleInfo): NPat | null {
  if (t.k === "error") { bindAll(cx, p, scope); return WILD; }
  switch (p.kind) {
    case "PWild": return WILD;
    case "PBind": {
      const inner = t.k === "optional" ? t.inner : t;
      if (inner.k === "enum") {
        const v = inner.info.variants.find((x) => x.name === p.name);
        if (v && v.fields.length === 0) {
          cx.out.patVariants.set(p, { type: inner, variant: v });
          const c: NPat = { k: "ctor", name: v.name, args: [] };
          return t.k === "optional" ? { k: "ctor", name: "some", args: [c] } : c;
        }
        if (v) {
          const n = v.fields.length;
          report(cx, { ...M.patternArity(v.name, n, 0), fix: `write \`${v.name}(${Array(n).fill("_").join(", ")})\`` }, p.span);
          return null;
        }
      }
      const problem = bindingNameProblem(p.name, t, scope, m);
      if (problem) {
        report(cx, problem, p.span);
        // An upper-case name the programmer may use as a binding in the arm: declared, so its uses are not reported again.
        if (problem.code === "E0129" || problem.code === "E0231") bindAll(cx, p, scope);
        return null;
      }
      const v = declareLocal(cx, p.name, t, false, "let", p.span, scope);
      if (v) cx.out.patLocals.set(p, v);
      return v ? { k: "wild", bind: v } : WILD;
    }
    case "PNone":
      if (t.k !== "optional") { report(cx, M.patternType("`none`", showType(t)), p.span); return null; }
      return { k: "ctor", name: "none", args: [] };
    case "PLit": case "PRange": {
      const target = t.k === "optional" ? t.inner : t;
      const lits = p.kind === "PLit" ? [p.value] : [p.lo, p.hi];
      let key = "";
      for (const x of lits) {
        const lt = checkExpr(cx, x, new Scope(null), { fn: null, env: NO_ENV, ret: T.unit, name: "", loops: [] }, m, target);
        if (lt.k === "error") return null;
        if (!typeEq(lt, target) || (p.kind === "PRange" && lt.k !== "int")) { report(cx, M.patternType(p.kind === "PLit" ? "literal" : "range", showType(t)), p.span); return null; }
        key += "|" + litKey(x);
      }
      let np: NPat = target.k === "bool" && p.kind === "PLit" ? { k: "ctor", name: key.slice(1), args: [] } : { k: "lit", key: p.kind + key, value: litValue(lits[0]) };
      if (target.k === "int") {
        const lo = intValue(lits[0]), hi0 = intValue(lits[lits.length - 1]);
        const hi = p.kind === "PRange" && !p.inclusive ? hi0 - 1n : hi0;
        np = { k: "range", lo, hi };
      }
      return t.k === "optional" ? { k: "ctor", name: "some", args: [np] } : np;
    }
    case "PTuple": {
      // `()` matches the unit value, the only one of its type (`Ok(())` on a `Result<(), E>`).
      if (p.elems.length === 0 && t.k === "unit") return WILD;
      if (t.k !== "tuple" || t.elems.length !== p.elems.length) {
        report(cx, t.k === "tuple" ? M.patternArity("tuple", t.elems.length, p.elems.length) : M.patternType("tuple", showType(t)), p.span);
        bindAll(cx, p, scope);
        return null;
      }
      const args = p.elems.map((x, i) => checkPattern(cx, x, t.elems[i], scope, m));
      return args.some((x) => !x) ? null : { k: "ctor", name: "tuple", args: args as NPat[] };
    }
    case "POr": return checkOr(cx, p, t, scope, m, checkPattern);
    case "PVariant": {
      const some = checkSome(cx, p, t, scope, m, checkPattern);
      if (some !== undefined) return some;
      const target = t.k === "optional" ? t.inner : t;
      if (target.k !== "enum" && isConstantPath(p, m)) { report(cx, M.patternConstantPath(p.path.join(".")), p.span); return null; }
      if (target.k !== "enum") { report(cx, M.patternType(`\`${p.path.join(".")}\``, showType(t)), p.span); bindAll(cx, p, scope); return null; }
      const name = p.path[p.path.length - 1];
      if (p.path.length === 2 && p.path[0] !== target.info.name) { report(cx, M.patternType(`\`${p.path.join(".")}\``, showType(t)), p.span); bindAll(cx, p, scope); return null; }
      const v = target.info.variants.find((x) => x.name === name);
      if (!v) {
        report(cx, M.unknownVariant(target.info.name, name, suggest(name, target.info.variants.map((x) => x.name))), p.span);
        bindAll(cx, p, scope);
        return null;
      }
      cx.out.patVariants.set(p, { type: target, variant: v });
      const fields = variantFields(target, v);
      let subs: (A.Pattern | null)[];
      if (p.named) {
        subs = fields.map(() => null);
        for (const nf of p.named) {
          const i = fields.findIndex((f) => f.name === nf.name);
          if (i < 0) { report(cx, M.unknownField(`${target.info.name}.${v.name}`, nf.name, suggest(nf.name, fields.map((f) => f.name ?? ""))), nf.pat.span); bindAll(cx, nf.pat, scope); continue; }
          subs[i] = nf.pat;
        }
      } else {
        if (p.args.length !== fields.length) {
          report(cx, M.patternArity(v.name, fields.length, p.args.length), p.span);
          for (const a of p.args) bindAll(cx, a, scope);
          return null;
        }
        subs = p.args;
      }
      // Remember which field each sub-pattern destructures (named patterns skip fields).
      cx.out.patFields.set(p, subs);
      const args = subs.map((x, i) => (x ? checkPattern(cx, x, fields[i].type, scope, m) : WILD));
      if (args.some((x) => !x)) return null;
      const c: NPat = { k: "ctor", name: v.name, args: args as NPat[] };
      return t.k === "optional" ? { k: "ctor", name: "some", args: [c] } : c;
    }
  }
}

/** Declares the names of a pattern that failed to check, so their uses are not reported again. */
function bindAll(cx: CheckContext, p: A.Pattern, scope: Scope): void {
  switch (p.kind) {
    case "PBind": { const v = declareLocal(cx, p.name, T.error, false, "let", p.span, scope); if (v) cx.out.patLocals.set(p, v); return; }
    case "PTuple": for (const x of p.elems) bindAll(cx, x, scope); return;
    case "PVariant": for (const x of p.args) bindAll(cx, x, scope); for (const n of p.named ?? []) bindAll(cx, n.pat, scope); return;
    case "POr": bindAll(cx, p.alts[0], scope); return;
    default: return;
  }
}

/** A string or float literal pattern's value (the code generator compares with it). */
function litValue(e: A.Expr): string | number {
  switch (e.kind) {
    case "StrLit": return e.parts.map((x) => (x.kind === "text" ? x.value : "")).join("");
    case "IntLit": return Number(e.value);
    case "FloatLit": return e.value;
    case "Unary": { const v = litValue(e.operand); return typeof v === "number" ? -v : v; }
    default: return 0;
  }
}

/** A literal pattern's identity, for telling equal literals apart in exhaustiveness checking. */
function litKey(e: A.Expr): string {
  switch (e.kind) {
    case "IntLit": return String(e.value);
    case "FloatLit": return String(e.value);
    case "BoolLit": return String(e.value);
    case "StrLit": return JSON.stringify(e.parts.map((x) => (x.kind === "text" ? x.value : "{}")).join(""));
    case "Unary": return "-" + litKey(e.operand);
    default: return e.kind;
  }
}
