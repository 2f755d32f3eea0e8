// Pass 3 of the checker over statements: function, test and global bodies,
// blocks, `let`, assignment and places, loops, returns and regions.

import type * as A from "../syntax/ast.js";
import { at, lineCol } from "../diagnostics.js";
import { M } from "../messages.js";
import { leadingOperatorFix } from "../syntax/habits-layout.js";
import { T, typeEq, showType, type Type, type ModuleInfo, type FnInfo, type GlobalInfo, type LocalVar, type TestInfo } from "./types.js";
import { checkDefiniteAssignment } from "./assigned.js";
import { decides, lastValueFix, type ReturnInference } from "./returns.js";
import { envOf, fnEnv, resolveType } from "./declarations.js";
import { NO_ENV, type FnCtx, Scope, type Flow, PURE_KINDS, isIntLit, report, newLocal, bindingKind, type CheckContext } from "./context.js";
import { bindPattern } from "./patterns.js";
import { isConstantConst } from "./init-order.js";
import { expectCond, expectAssignable, assignable, concreteOrReport, checkExpr, binaryResult, tryResult, blockValue } from "./expressions.js";
import { iterElem } from "./aggregates.js";
import { forIndexPairFix, isPatternBinding, loopVarAssignFix, patternBindAssignFix, recordLoopVars } from "./habits.js";

export function checkBodies(cx: CheckContext, m: ModuleInfo): void {
  // Globals first, in order: each initialiser may use the ones before it.
  for (const d of m.ast.decls) {
    if (d.kind !== "Global") continue;
    const g = m.globals.get(d.name);
    if (!g || g.decl !== d) continue;
    ensureGlobal(cx, g);
    cx.out.globals.push(g);
  }
  for (const d of m.ast.decls) {
    if (d.kind === "Fn") {
      const first = m.fns.get(d.name);
      const f = first && [first, ...(first.overloads ?? [])].find((g) => g.decl === d);
      if (f) checkFnBody(cx, f);
    } else if (d.kind === "Impl") {
      for (const md of d.methods) {
        const f = cx.methodInfo.get(md);
        if (f) checkFnBody(cx, f);
      }
      for (const f of cx.implDefaults.get(d) ?? []) checkDefaultCopy(cx, f);
    } else if (d.kind === "Trait") {
      // A default body, checked once over `Self: Trait`: what it may do with `self` is what the trait declares.
      for (const md of d.methods) checkTraitDefault(cx, md);
    } else if (d.kind === "Test") {
      const t: TestInfo = { name: d.name, module: m, decl: d, cname: "" };
      cx.out.tests.push(t);
      const ctx: FnCtx = { fn: null, async: true, env: NO_ENV, ret: T.unit, name: `test "${d.name}"`, loops: [] };
      checkBlock(cx, d.body, new Scope(null), ctx, m);
      checkDefiniteAssignment(d.body, cx.out, cx.diags);
    }
  }
}

/** Checks a global's initialiser once; a use before that (a function body
 * in an earlier module, say) checks it on demand so its type is known. */
function ensureGlobal(cx: CheckContext, g: GlobalInfo): void {
  const state = cx.globalState.get(g);
  if (state) return; // done, or in progress (a cycle, reported as use before definition)
  cx.globalState.set(g, "active");
  const d = g.decl;
  const ctx: FnCtx = { fn: null, env: NO_ENV, ret: T.unit, name: d.name, loops: [], global: g };
  const declared = d.type ? g.type : undefined;
  const t = checkExpr(cx, d.value, new Scope(null), ctx, g.module, declared);
  checkDefiniteAssignment(d.value, cx.out, cx.diags);
  if (declared) expectAssignable(cx, declared, t, d.value);
  else g.type = concreteOrReport(cx, t, d.value);
  cx.globalState.set(g, "done");
}

/** A read of global g from expression e: its type, after checking that an
 * initialiser does not read a global that is initialised after it. */
export function useGlobal(cx: CheckContext, g: GlobalInfo, e: A.Expr, ctx: FnCtx): Type {
  const cur = isConstantConst(g) ? undefined : ctx.global; // a constant `const` is initialised before every other global
  if (cur && cur.module === g.module && g.decl.span.start >= cur.decl.span.start) {
    report(cx, M.usedBeforeDefinition(g.name), e.span, { message: `\`${g.name}\` is defined here`, span: g.decl.nameSpan });
    return T.error;
  }
  // Modules are initialised imports first; only an import cycle puts g's module after cur's.
  if (cur && cur.module !== g.module && cx.modules.indexOf(g.module) > cx.modules.indexOf(cur.module)) {
    report(cx, M.globalInitCycle(g.name, modName(g.module), cur.name, modName(cur.module)), e.span, { message: `\`${g.name}\` is defined here`, span: g.decl.nameSpan });
    return T.error;
  }
  ensureGlobal(cx, g);
  return g.type;
}

function checkFnBody(cx: CheckContext, f: FnInfo): void {
  const d = f.decl;
  if (!d.body) return;
  const scope = new Scope(null);
  if (f.self) scope.vars.set("self", f.self.local);
  for (const p of f.params) scope.vars.set(p.name, p.local);
  const ctx: FnCtx = { fn: f, env: fnEnv(cx, f), ret: f.ret, name: f.name, loops: [] };
  const flow = checkBlock(cx, d.body, new Scope(scope), ctx, f.module);
  checkDefiniteAssignment(d.body, cx.out, cx.diags);
  if (!flow.diverges && f.ret.k !== "unit" && f.ret.k !== "error") {
    const last = d.body.stmts[d.body.stmts.length - 1];
    const m = M.missingReturn(f.name, showType(f.ret));
    const fix = lastValueFix(d.body, f.ret, cx.out.exprTypes, typeEq);
    if (fix) { report(cx, { ...m, fix }, last.span); return; }
    report(cx, m, { ...d.body.span, start: d.body.span.end - 1, end: d.body.span.end, ...endPos(cx, d.body.span) });
  }
}

/**
 * An impl's copy of a trait's default body, checked against the impl's type. The body was checked over `Self: Trait`
 * already (its module's pass 3, or this one: traits come before impls that use them, or are reported here first); a
 * diagnostic the copy gives where one was given already is dropped, so each error in a default body is reported once.
 */
function checkDefaultCopy(cx: CheckContext, f: FnInfo): void {
  const td = f.impl?.trait.methods.get(f.name);
  if (td) checkTraitDefault(cx, td);
  const mark = cx.diags.length;
  checkFnBody(cx, f);
  const seen = new Set(cx.diags.slice(0, mark).map((x) => `${x.span.file}:${x.span.start}`));
  for (let i = cx.diags.length - 1; i >= mark; i--) {
    const x = cx.diags[i];
    const key = `${x.span.file}:${x.span.start}`;
    if (seen.has(key)) cx.diags.splice(i, 1);
    else seen.add(key);
  }
}

/** A trait method's default body over `Self: Trait`, once. */
function checkTraitDefault(cx: CheckContext, md: A.FnDecl): void {
  const d = cx.traitDefaults.get(md);
  if (!d || d.checked) return;
  d.checked = true;
  checkFnBody(cx, d.fn);
}

/** A value checked against a declared type that was already an error (`fn make(): Cache`, E0119): what could not be inferred without it follows from that error. */
function dropInferenceCascade(cx: CheckContext, mark: number): void {
  for (let i = cx.diags.length - 1; i >= mark; i--) if (["E0131", "E0219", "E0238"].includes(cx.diags[i].code)) cx.diags.splice(i, 1);
}

/** Line/col of the last character of a span (the closing brace of a body). */
function endPos(cx: CheckContext, span: A.Span): { line: number; col: number } {
  const src = cx.program.sources.get(span.file);
  if (!src) return { line: span.line, col: span.col };
  const end = Math.max(0, Math.min(span.end - 1, src.length));
  return lineCol(src, end);
}

/**
 * `let b = x` and on the next line `|| a` or `- 3`: a line starting with `||` or `-` parses as a statement of its own
 * (a closure never called, a negation whose value is dropped), so the program ran silently without the operand.
 * Only a trailing operator continues a line: E0068, as the parser gives for `??`, `+` and `&&` there.
 */
function continuedLine(cx: CheckContext, prev: A.Stmt, s: A.Stmt): boolean {
  if (s.kind !== "ExprStmt") return false;
  const e = s.expr;
  const isNeg = e.kind === "Unary" && e.op === "-";
  const isOr = e.kind === "Closure" && e.short && e.params.length === 0;
  if (!isNeg && !isOr) return false;
  const src = cx.program.sources.get(s.span.file);
  if (!src || prev.span.file !== s.span.file) return false;
  const lineStart = src.lastIndexOf("\n", e.span.start - 1) + 1;
  if (src.slice(lineStart, e.span.start).trim() !== "") return false;
  const op = isNeg ? "-" : "||";
  if (!src.startsWith(op, e.span.start)) return false;
  // the statement before ends on the line before, with a value
  const prevEnd = Math.max(0, prev.span.end - 1);
  const prevLineStart = src.lastIndexOf("\n", prevEnd) + 1;
  if (src.lastIndexOf("\n", lineStart - 2) + 1 !== prevLineStart) return false;
  const fix = prev.kind === "Return" ? null : leadingOperatorFix(src.slice(prevLineStart, lineStart - 1), op);
  if (fix === null) return false;
  report(cx, M.leadingOperator(op, fix), { ...e.span, end: e.span.start + op.length });
  return true;
}

export function checkBlock(cx: CheckContext, b: A.Block, scope: Scope, ctx: FnCtx, m: ModuleInfo): Flow {
  let diverges = false;
  let warned = false;
  b.stmts.forEach((s, i) => {
    if (diverges && !warned) { report(cx, M.unreachable(), s.span); warned = true; }
    const f = checkStmt(cx, s, scope, ctx, m);
    if (f.diverges) diverges = true;
    if (i > 0 && i < b.stmts.length - 1 && continuedLine(cx, b.stmts[i - 1], s)) return;   // the last may be the block's value (`-t`)
    // The last statement is left alone: a value there is a missing `return`
    // or `else`, which have diagnostics of their own.
    if (s.kind === "ExprStmt" && i < b.stmts.length - 1 && PURE_KINDS.has(s.expr.kind)) {
      const t = cx.out.exprTypes.get(s.expr);
      if (t && t.k !== "error" && t.k !== "unit") report(cx, M.unusedResult(), s.span);
    }
  });
  return { diverges };
}

export function checkStmt(cx: CheckContext, s: A.Stmt, scope: Scope, ctx: FnCtx, m: ModuleInfo): Flow {
  if (s.kind === "Return" && ctx.infer) { inferredReturn(cx, s, ctx.infer, scope, ctx, m); return { diverges: true }; }
  switch (s.kind) {
    case "Let": {
      const declared = s.type ? resolveType(cx, s.type, m, ctx.env) : undefined;
      let t: Type;
      if (s.value) {
        const mark = cx.diags.length;
        const vt = checkExpr(cx, s.value, scope, ctx, m, declared);
        if (declared?.k === "error") dropInferenceCascade(cx, mark);
        if (declared) { expectAssignable(cx, declared, vt, s.value); t = declared; }
        else if (vt.k === "unit" && s.value.kind === "Call") { report(cx, M.unitValue("call it as a statement of its own, without `let`: a call that returns nothing gives nothing to bind"), s.value.span); t = T.error; }
        else t = concreteOrReport(cx, vt, s.value);
      } else {
        if (!declared) { report(cx, M.cannotInfer("this variable", "write its type (`var x: int`) or give it a value"), s.span); t = T.error; }
        else t = declared;
        if (!s.mutable) report(cx, M.syntax("`let` needs a value", "give it a value, or use `var` for a variable set later"), s.span);
      }
      cx.out.letTypes.set(s, t);
      bindPattern(cx, s.pattern, t, s.mutable, s.mutable ? "var" : "let", scope);
      return { diverges: s.value ? cx.out.exprTypes.get(s.value)?.k === "never" : false };
    }
    case "ConstStmt": {
      const declared = s.type ? resolveType(cx, s.type, m, ctx.env) : undefined;
      const vt = checkExpr(cx, s.value, scope, ctx, m, declared);
      if (declared) expectAssignable(cx, declared, vt, s.value);
      const t = declared ?? concreteOrReport(cx, vt, s.value);
      cx.out.letTypes.set(s, t);
      const v = declareLocal(cx, s.name, t, false, "const", s.span, scope);
      if (v) cx.out.stmtLocals.set(s, v);
      return { diverges: false };
    }
    case "Assign": return checkAssign(cx, s, scope, ctx, m);
    case "ExprStmt": {
      const t = checkExpr(cx, s.expr, scope, ctx, m, undefined, true);
      return { diverges: t.k === "never" };
    }
    case "While": {
      const ct = checkExpr(cx, s.cond, scope, ctx, m, T.bool);
      expectCond(cx, ct, s.cond);
      ctx.loops.push({ broke: false });
      checkBlock(cx, s.body, new Scope(scope), ctx, m);
      const loop = ctx.loops.pop()!;
      const infinite = s.cond.kind === "BoolLit" && s.cond.value;
      return { diverges: infinite && !loop.broke };
    }
    case "For": return checkFor(cx, s, scope, ctx, m);
    case "Break": case "Continue": {
      const loop = ctx.loops[ctx.loops.length - 1];
      if (!loop) { report(cx, M.breakOutside(s.kind === "Break" ? "break" : "continue"), s.span); return { diverges: false }; }
      if (s.kind === "Break") loop.broke = true;
      return { diverges: true };
    }
    case "Return": {
      if (s.value) {
        if (ctx.ret.k === "unit") {
          const t = checkExpr(cx, s.value, scope, ctx, m, undefined);
          if (t.k !== "unit" && t.k !== "error" && t.k !== "never") report(cx, M.returnValueInUnit(), s.value.span);
        } else {
          const mark = cx.diags.length;
          const t = checkExpr(cx, s.value, scope, ctx, m, ctx.ret);
          expectAssignable(cx, ctx.ret, t, s.value);
          if (ctx.ret.k === "error") dropInferenceCascade(cx, mark);
        }
      } else if (ctx.ret.k !== "unit" && ctx.ret.k !== "error") {
        report(cx, M.returnNoValue(showType(ctx.ret)), s.span);
      }
      return { diverges: true };
    }
    case "BlockStmt": return checkBlock(cx, s.block, new Scope(scope), ctx, m);
  }
}

/** A `return` in a closure whose result type its `return`s decide (see returns.ts). */
function inferredReturn(cx: CheckContext, s: Extract<A.Stmt, { kind: "Return" }>, inf: ReturnInference, scope: Scope, ctx: FnCtx, m: ModuleInfo): void {
  if (inf.ret === null) {
    const t = s.value ? checkExpr(cx, s.value, scope, ctx, m, inf.shape) : T.unit;
    if (!decides(t) && t.k !== "error") return;
    decideReturn(cx, inf, t, (s.value ?? s).span, ctx);
    return;
  }
  const ret = inf.ret;
  const t = s.value ? checkExpr(cx, s.value, scope, ctx, m, ret.k === "unit" ? undefined : ret) : T.unit;
  const agrees = ret.k === "unit" ? t.k === "unit" || t.k === "never" || t.k === "error" : assignable(cx, ret, t);
  if (!agrees) {
    report(cx, M.returnsDisagree(showType(ret), showType(t)), (s.value ?? s).span, { message: `this \`return\` decided \`${showType(ret)}\``, span: inf.first! });
  }
}

export function decideReturn(cx: CheckContext, inf: ReturnInference, t: Type, span: A.Span, ctx: FnCtx): void {
  inf.ret = t;
  inf.first = span;
  ctx.ret = t;
  for (const p of inf.pendingTries) tryResult(cx, p.e, p.operand, ctx);
  inf.pendingTries = [];
}

function checkFor(cx: CheckContext, s: Extract<A.Stmt, { kind: "For" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Flow {
  const inner = new Scope(scope);
  if (s.iter.kind === "Range") {
    let lt: Type, ht: Type;
    if (isIntLit(s.iter.lo) && !isIntLit(s.iter.hi)) {
      ht = checkExpr(cx, s.iter.hi, scope, ctx, m, undefined);
      lt = checkExpr(cx, s.iter.lo, scope, ctx, m, ht.k === "int" ? ht : undefined);
    } else {
      lt = checkExpr(cx, s.iter.lo, scope, ctx, m, undefined);
      ht = checkExpr(cx, s.iter.hi, scope, ctx, m, lt.k === "int" ? lt : undefined);
    }
    let t: Type = T.error;
    if (lt.k === "error" || ht.k === "error") t = T.error;
    else if (lt.k !== "int") report(cx, M.mismatch("int", showType(lt)), s.iter.lo.span);
    else if (!typeEq(lt, ht)) report(cx, M.mismatch(showType(lt), showType(ht)), s.iter.hi.span);
    else t = lt;
    cx.out.exprTypes.set(s.iter, t);
    bindPattern(cx, s.pattern, t, false, "for", inner);
  } else {
    const it = checkExpr(cx, s.iter, scope, ctx, m, undefined);
    const elem = iterElem(cx, it, s.iter.span);
    const pairFix = forIndexPairFix(cx, s.pattern, s.iter, elem);
    if (pairFix !== null) report(cx, { ...M.patternType("tuple", showType(elem)), fix: pairFix }, s.pattern.span);
    bindPattern(cx, s.pattern, pairFix !== null ? T.error : elem, false, "for", inner);
  }
  recordLoopVars(cx, inner.vars.values(), s.iter, s.pattern);
  ctx.loops.push({ broke: false });
  checkBlock(cx, s.body, new Scope(inner), ctx, m);
  ctx.loops.pop();
  return { diverges: false };
}

/** A `region` block. Stores from inside it into older memory, and its value, are copied out by the emitter (promotion). */
export function regionType(cx: CheckContext, e: Extract<A.Expr, { kind: "RegionExpr" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  cx.out.regionFirstLocal.set(e, cx.nextLocal);
  return stmt ? (checkBlock(cx, e.block, new Scope(scope), ctx, m).diverges ? T.never : T.unit) : blockValue(cx, e.block, new Scope(scope), ctx, m, expected, false);
}

function checkAssign(cx: CheckContext, s: Extract<A.Stmt, { kind: "Assign" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Flow {
  const tt = checkPlace(cx, s.target, scope, ctx, m, s.op, s.value);
  if (s.op === "=") {
    const vt = checkExpr(cx, s.value, scope, ctx, m, tt.k === "error" ? undefined : tt);
    if (tt.k !== "error") expectAssignable(cx, tt, vt, s.value);
  } else {
    const op = s.op.slice(0, -1) as A.BinOp;
    const vt = checkExpr(cx, s.value, scope, ctx, m, tt.k === "error" ? undefined : tt);
    const rt = binaryResult(cx, op, tt, vt, s.span, s.value);
    if (rt.k !== "error" && tt.k !== "error" && !typeEq(rt, tt)) report(cx, M.mismatch(showType(tt), showType(rt)), s.value.span);
  }
  return { diverges: false };
}

/** Checks an assignable place and that it may be written; returns its type. */
function checkPlace(cx: CheckContext, e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, op: string, value: A.Expr): Type {
  const t = checkExpr(cx, e, scope, ctx, m, undefined);
  const root = placeRoot(cx, e);
  if (!root) { if (t.k !== "error") report(cx, M.notAPlace(), e.span); return t; }
  if (root.kind === "Index" || root.kind === "TupleIndex") return t;
  const ref = cx.out.refs.get(root);
  if (!ref) return t;
  if (ref.kind === "local") {
    const v = ref.v;
    if (!v.mutable) {
      const kind = v.kind === "param" ? "a parameter" : v.kind === "self" ? "`self` in a method without `mut self`" :
        v.kind === "for" ? "a loop variable" : v.kind === "const" ? "a constant" : isPatternBinding(cx, v) ? "bound by a pattern" : "a `let` binding";
      const d = at(M.assignImmutable(v.name, kind), e.span, { message: `\`${v.name}\` is declared here`, span: v.span });
      if (v.kind === "self") d.fix = "declare the method with `mut self`";
      if (v.kind === "param") d.fix = `copy it into a variable first: \`var ${v.name}2 = ${v.name}\``;
      if (v.kind === "for") d.fix = loopVarAssignFix(cx, v, e, op, value);
      const bound = v.kind === "let" ? patternBindAssignFix(cx, v, e, op, value) : undefined;
      if (bound) d.fix = bound;
      cx.diags.push(d);
    }
  } else if (ref.kind === "global") {
    if (!ref.g.mutable) report(cx, M.assignImmutable(ref.g.name, ref.g.decl.form === "const" ? "a constant" : "a `let` binding"), e.span);
  } else {
    report(cx, M.notAPlace(), e.span);
  }
  return t;
}

/** The variable a place expression writes into (through fields), or null if it is not a place. */
export function placeRoot(cx: CheckContext, e: A.Expr): A.Expr | null {
  switch (e.kind) {
    case "Ident": return e;
    case "Field": {
      const r = cx.out.refs.get(e);
      if (r) return e; // module.global
      return placeRoot(cx, e.target);
    }
    case "Index": return e; // an element: collections may be changed through any reference
    case "TupleIndex": return placeRoot(cx, e.target); // a tuple is a value: its element is as mutable as the tuple
    default: return null;
  }
}

export function declareLocal(cx: CheckContext, name: string, t: Type, mutable: boolean, kind: LocalVar["kind"], span: A.Span, scope: Scope): LocalVar | null {
  const prev = scope.vars.get(name);
  if (prev) {
    report(cx, M.alreadyInScope(name, bindingKind(prev)), span, { message: "first defined here", span: prev.span });
    return null;
  }
  const v = newLocal(cx, name, t, mutable, kind, span);
  scope.vars.set(name, v);
  return v;
}

const modName = (m: ModuleInfo): string => m.file.split(/[\\/]/).pop()!.replace(/\.co$/, "");
