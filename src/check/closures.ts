// Closures: parameter and result types from annotations, the expected type or a
// generic call's hint; their captures (by value) and the writes to them.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, showType, typeEq, containsError, type Type, type ModuleInfo, type LocalVar } from "./types.js";
import { walkBlock, walkExpr } from "../syntax/walk.js";
import { findCapturedWrites } from "./captures.js";
import { lostValue, newReturnInference, lastValueFix } from "./returns.js";
import { resolveType } from "./declarations.js";
import { type FnCtx, Scope, type ClosureHint, PURE_KINDS, report, newLocal, type CheckContext } from "./context.js";
import { checkBlock, decideReturn, declareLocal } from "./statements.js";
import { closureParamHint, comparatorFix, sourceText, syncLoopFix } from "./habits.js";
import { expectAssignable, checkExpr } from "./expressions.js";

/** A closure: parameter types from annotations or the expected function type; captures copied by value. */
/** `hint`: parameter and result types from a generic call's partly inferred signature (inferCall). */
export function closureType(cx: CheckContext, e: Extract<A.Expr, { kind: "Closure" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, hint: ClosureHint | null = null): Type {
  // An optional function type (`(fn(int): int)?`) guides the closure it wraps.
  if (expected?.k === "optional" && expected.inner.k === "fn") expected = expected.inner;
  const exp = expected?.k === "fn" && expected.params.length === e.params.length ? expected : undefined;
  if (expected?.k === "fn" && !exp && !hint) {
    // The wrong number of parameters: one mismatch, not an error per parameter.
    report(cx, M.mismatch(showType(expected), `a closure with ${e.params.length} parameter${e.params.length === 1 ? "" : "s"}`), e.span);
    const inner = new Scope(scope);
    for (const p of e.params) declareLocal(cx, p.name, T.error, false, "param", p.span, inner);
    if (e.body.kind === "Block") checkBlock(cx, e.body, new Scope(inner), { fn: null, closure: true, async: e.async, env: ctx.env, ret: T.error, name: "closure", loops: [] }, m);
    else checkExpr(cx, e.body, inner, { fn: null, closure: true, async: e.async, env: ctx.env, ret: T.error, name: "closure", loops: [] }, m, undefined);
    return T.error;
  }
  const first = cx.nextLocal;
  const inner = new Scope(scope);
  const params: LocalVar[] = [];
  let ok = true;
  e.params.forEach((p, i) => {
    const trait = p.type?.kind === "TName" && p.type.path.length === 1 && p.type.args.length === 0 && !ctx.env.has(p.type.path[0]) && !m.structs.has(p.type.path[0]) && !m.enums.has(p.type.path[0])
      ? m.traits.get(p.type.path[0]) : undefined;
    if (trait) report(cx, M.traitAsClosureParam(trait.name, p.name, trait.impls.map((im) => showType(im.target)).filter((x) => /^\w+$/.test(x))), p.type!.span);
    let t: Type | undefined = trait ? T.error : p.type ? resolveType(cx, p.type, m, ctx.env) : hint ? hint.params[i] : exp?.params[i];
    if (!t) { report(cx, M.closureParamType(p.name, closureParamHint(cx, e, i)), p.span); t = T.error; ok = false; }
    const v = declareLocal(cx, p.name, t, false, "param", p.span, inner);
    params.push(v ?? newLocal(cx, p.name, t, false, "param", p.span));
  });
  let ret: Type | undefined = e.ret ? resolveType(cx, e.ret, m, ctx.env) : hint ? hint.ret : exp?.ret;
  const cctx: FnCtx = { fn: null, closure: true, async: e.async, env: ctx.env, ret: ret ?? T.error, name: "closure", loops: [] };
  if (!e.async) cctx.awaitFix = syncLoopFix(cx, e) ?? (exp && !exp.async ? syncTypeFix(cx, exp, e) : undefined);
  if (e.body.kind === "Block") {
    if (!ret) cctx.infer = newReturnInference(hint?.shape); // its `return`s decide it
    const flow = checkBlock(cx, e.body, new Scope(inner), cctx, m);
    if (cctx.infer) {
      if (cctx.infer.ret === null) {
        // No `return` with a value: the result is (), and a value left last would be lost.
        const lost = lostValue(e.body, cx.out.exprTypes, PURE_KINDS);
        if (lost) report(cx, M.closureValueLost(lostValueFix(cx, e, lost)), lost.span);
        decideReturn(cx, cctx.infer, lost ? T.error : T.unit, e.span, cctx);
      }
      ret = cctx.infer.ret ?? T.error;
    }
    if (ret && !flow.diverges && ret.k !== "unit" && ret.k !== "error") {
      const fix = lastValueFix(e.body, ret, cx.out.exprTypes, typeEq);
      report(cx, fix ? { ...M.missingReturn(null, showType(ret)), fix } : M.missingReturn(null, showType(ret)), fix ? e.body.stmts[e.body.stmts.length - 1].span : e.span);
    }
  } else {
    // A shape that is all hole (the result is a type variable still to infer) gives the body no expectation:
    // an expected error would silence a literal (`map(|x| [x, x * 2])`).
    const shape = hint?.shape?.k === "error" ? undefined : hint?.shape;
    // An `if` or `match` body that is a statement (an `if` without `else`, a branch that is an empty block or
    // ends in a statement), or any such body where the closure returns nothing, is checked as a statement:
    // the closure returns () (audit8: `|x| if x > 0 { println(x) }` was E0213, a match with a `{}` arm E0223).
    const asStmt = (e.body.kind === "If" || e.body.kind === "Match") && ((ret !== undefined && ret.k === "unit") || (ret === undefined && statementShaped(e.body)));
    const bt = asStmt ? (checkExpr(cx, e.body, inner, cctx, m, undefined, true), T.unit)
      : checkExpr(cx, e.body, inner, cctx, m, ret ? (ret.k !== "unit" ? ret : undefined) : shape);
    if (ret && ret.k !== "unit" && exp && (bt.k === "float" || bt.k === "bool") && isComparator(exp) && comparesOrSubtracts(e.body)) {
      report(cx, M.mismatch(showType(ret), showType(bt), comparatorFix(cx, e.body, bt)), e.body.span);
    } else if (ret && ret.k !== "unit") expectAssignable(cx, ret, bt, e.body);
    else if (!ret) ret = bt.k === "never" ? T.unit : bt;
  }
  // Captures: locals declared outside the closure that its body reads.
  const captures = new Set<LocalVar>();
  const visit = (x: A.Expr) => {
    const r = cx.out.refs.get(x);
    if (r?.kind === "local" && r.v.id < first) captures.add(r.v);
  };
  if (e.body.kind === "Block") walkBlock(e.body, visit); else walkExpr(e.body, visit);
  checkCapturedWrites(cx, e.body, first);
  const fnT: Type = { k: "fn", params: params.map((p) => p.type), ret: ret ?? T.error, ...(e.async ? { async: true } : {}) };
  cx.out.closures.set(e, { params, ret: ret ?? T.error, captures: [...captures], cname: "" });
  return ok && !containsError(fnT) ? fnT : T.error;
}

/** An `if` without `else`, or an `if`/`match` one of whose branches is a block without a value (empty, or
 *  ending in a statement): it can only be a statement. */
function statementShaped(e: A.Expr): boolean {
  const noValue = (b: A.Expr | A.Block): boolean => b.kind === "Block" && (b.stmts.length === 0 || b.stmts[b.stmts.length - 1].kind !== "ExprStmt");
  if (e.kind === "If") return e.else_ === null || noValue(e.then) || (e.else_.kind === "Block" ? noValue(e.else_) : statementShaped(e.else_));
  if (e.kind === "Match") return e.arms.some((a) => noValue(a.body));
  return false;
}

/** `fn(T, T): int`, what `sortBy` and `sortedBy` take: the int of a comparison. */
function isComparator(t: Extract<Type, { k: "fn" }>): boolean {
  return t.params.length === 2 && typeEq(t.params[0], t.params[1]) && t.ret.k === "int";
}

/** `a.x - b.x`, `a.x < b.x`: a body that orders its two operands. */
function comparesOrSubtracts(body: A.Expr): boolean {
  return body.kind === "Binary" && ["-", "<", "<=", ">", ">="].includes(body.op);
}

/** Closures capture by value: writing a captured variable would change only the copy (captures.ts). */
function checkCapturedWrites(cx: CheckContext, body: A.Block | A.Expr, first: number): void {
  findCapturedWrites(body, first, cx.out, cx.diags);
}

/** E0243's fix in the programmer's own closure: `|a: int, b: int| a * b` when the lost value is the whole body,
 * else `return` before it (tester round 10: the fix showed `|x| x + 1`). */
function lostValueFix(cx: CheckContext, e: Extract<A.Expr, { kind: "Closure" }>, lost: A.Expr): string | undefined {
  if (e.body.kind !== "Block") return undefined;
  const value = sourceText(cx, lost.span);
  if (value.includes("\n") || value.length > 80) return undefined;
  const only = e.body.stmts.length === 1 && e.body.stmts[0].kind === "ExprStmt" && e.body.stmts[0].expr === lost;
  const head = (cx.program.sources.get(e.span.file) ?? "").slice(e.span.start, e.body.span.start).trimEnd();
  if (only && head.length <= 80 && !head.includes("\n") && !/[{]/.test(head)) return `use an expression body, \`${head} ${value}\`, or write \`return ${value}\` in the block`;
  return `write \`return ${value}\`, so the closure returns it`;
}

/** E0401's fix for a closure written where a sync function type is expected (a parameter, field or variable of
 * type `fn(A): R`): `async |...|` alone would not fit that type, so the type must become async too. */
function syncTypeFix(cx: CheckContext, exp: Extract<Type, { k: "fn" }>, e: Extract<A.Expr, { kind: "Closure" }>): string {
  const t = showType(exp);
  // The first awaited call, started as a task instead (what std's `time.every` and `os.onSignal` callbacks do, whose
  // type the program cannot change; tester round 8: the fix said to change it).
  let call: string | null = null;
  const find = (x: A.Expr): void => { if (!call && x.kind === "Await" && x.operand.kind === "Call") call = sourceText(cx, x.operand.span); };
  if (e.body.kind === "Block") walkBlock(e.body, find); else walkExpr(e.body, find);
  const spawned = call !== null && (call as string).length <= 60 && !(call as string).includes("\n") ? `\`spawn ${call}\`` : "`spawn f(...)`";
  return `it is written where \`${t}\` is expected, a sync function type, whose calls cannot wait: start the async work as a task of its own, ${spawned} instead of \`await\`; or, if that type is the program's own, change it to \`async ${t}\`, write \`async |...|\` here, and \`await\` its calls`;
}
