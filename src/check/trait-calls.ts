// Calls through a trait bound, resolved per instance by the mono pass (lower/mono.ts traitCall): a method on a
// receiver whose type is a type parameter (`x.describe()` in `fn show<T: Describe>(x: T)`), and an associated
// function through the type parameter itself (`T.zero()` in `fn sum<T: Zero>(xs: Vec<T>)`, `Self.zero()` in a
// trait's default body). Both are typed by the trait's declaration with `Self` read as the type parameter; a
// method's own type parameters (`fn apply<U>(self, f: fn(int): U): Vec<U>`) are inferred at the call like a
// generic function's, and recorded on the call for the instance of the impl's method.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, showType, traitSig, findImpls, baseTrait, typeEq, subst, type Type, type ModuleInfo, type TraitInfo, type TypeParamInfo, type FnInfo } from "./types.js";
import { resolveType } from "./declarations.js";
import { type FnCtx, type Scope, report, type CheckContext } from "./context.js";
import { knownTypeArgs } from "./static-calls.js";
import { sourceText, postfixOperand } from "./habits.js";
import { checkArgsLoose, inferCall } from "./calls.js";
import { checkExpr } from "./expressions.js";

type Call = Extract<A.Expr, { kind: "Call" }>;
type Field = Extract<A.Expr, { kind: "Field" }>;

/**
 * `x.name(...)` (recv: the receiver) or `T.name(...)` (recv null) through bound `tr` of the type parameter recvT:
 * the trait's signature with `Self` read as recvT and the method's own type parameters inferred.
 */
export function boundCall(cx: CheckContext, e: Call, tr: TraitInfo, name: string, recv: A.Expr | null, recvT: Type, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const sig = traitSig(tr, name, recvT) ?? { params: [], ret: T.error, typeParams: [] };
  const shown = `${showType(recvT)}.${name}`;
  const written = `${recv ? postfixOperand(sourceText(cx, recv.span)) : showType(recvT)}.${name}`; // as the call writes it
  const dots = e.args.length ? "..." : "";
  const vars = sig.typeParams;
  const map = new Map<TypeParamInfo, Type>();
  if (e.typeArgs.length) {
    if (e.typeArgs.length !== vars.length) {
      const fix = vars.length ? `write ${vars.length} type argument${vars.length === 1 ? "" : "s"}: \`${written}<${knownTypeArgs(vars, new Map()).join(", ")}>(${dots})\`` : `remove the type arguments: \`${written}(${dots})\``;
      report(cx, M.wrongTypeArgCount(shown, vars.length, e.typeArgs.length, fix), e.span);
      return checkArgsLoose(cx, e, scope, ctx, m);
    }
    vars.forEach((v, i) => map.set(v, resolveType(cx, e.typeArgs[i], m, ctx.env)));
  }
  const fix = () => `write the type argument${vars.length === 1 ? "" : "s"}, e.g. \`${written}<${knownTypeArgs(vars, map, "int").join(", ")}>(${dots})\`, or annotate the variable that receives the result`;
  const ret = inferCall(cx, e, vars, map, sig.params, sig.ret, shown, scope, ctx, m, expected, fix);
  cx.out.calls.set(e, { kind: "traitMethod", trait: tr, name, recv, recvType: recvT, typeArgs: vars.map((v) => map.get(v) ?? T.error) });
  return ret;
}

/** `T.name(...)` where T is a type parameter (or `Self` in a trait's default body): the associated function `name`
 *  of the one trait among T's bounds that declares it. */
export function assocThroughParam(cx: CheckContext, e: Call, callee: Field, tp: TypeParamInfo, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const name = callee.name;
  const withIt = tp.bounds.filter((b) => b.methods.has(name));
  if (withIt.length === 0) {
    report(cx, M.noAssocOnParam(tp.name, name, assocBoundFix(cx, tp, name)), callee.nameSpan);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  // Bounds by one generic trait with different arguments (`T: From<int> + From<string>`): picked by the call.
  if (withIt.length > 1 && withIt.every((b) => baseTrait(b) === baseTrait(withIt[0])) && !withIt[0].methods.get(name)!.selfParam) {
    const tr = pickImpl(cx, e, withIt, (b) => traitSig(b, name, { k: "param", p: tp })!, showTrait, `${tp.name}.${name}`, tp.name, scope, ctx, m, expected);
    return tr ? boundCall(cx, e, tr, name, null, { k: "param", p: tp }, scope, ctx, m, expected) : checkArgsLoose(cx, e, scope, ctx, m);
  }
  if (withIt.length > 1) {
    const [a] = withIt;
    const u = tp.name === "U" ? "V" : "U";
    const fix = `call it through a function bounded by one of them: \`fn ${name}Of<${u}: ${a.name}>(): ${u} { return ${u}.${name}() }\`, then \`${name}Of<${tp.name}>()\` (or rename \`${name}\` in one of the traits)`;
    report(cx, M.ambiguousAssoc(tp.name, name, withIt.map((t) => t.name), fix), callee.nameSpan);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  const tr = withIt[0];
  if (tr.methods.get(name)!.selfParam) {
    report(cx, { ...M.methodOnType(tp.name, name), fix: `call it on a value of type \`${tp.name}\`: \`x.${name}(...)\`` }, callee.span);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  return boundCall(cx, e, tr, name, null, { k: "param", p: tp }, scope, ctx, m, expected);
}

/** `Self.name(...)` in an impl's copy of a trait's default body (or any impl) whose type is no struct or enum (`int`):
 *  the associated function of the trait impl for that type. */
export function assocOfImplType(cx: CheckContext, t: Type, name: string): Candidate[] {
  const out: Candidate[] = [];
  for (const tr of cx.allTraits) {
    if (!tr.methods.has(name)) continue;
    for (const found of findImpls(tr, t)) {
      const f = found.impl.methods.get(name);
      if (f && !f.self) out.push({ f, preset: [...found.args] });
    }
  }
  return out;
}

/** E0273's fix: the bound to add (a trait of the program that declares `name` without `self`), else a trait to declare. */
function assocBoundFix(cx: CheckContext, tp: TypeParamInfo, name: string): string {
  const traits = cx.allTraits.filter((t) => { const d = t.methods.get(name); return !!d && !d.selfParam; }).map((t) => t.name);
  if (tp.name === "Self" && tp.bounds.length === 1) {
    return `declare it in \`${tp.bounds[0].name}\` to call it on the implementing type: \`fn ${name}(): Self\``;
  }
  if (traits.length) {
    const bound = [...tp.bounds.map((b) => b.name), traits[0]].join(" + ");
    return `add a bound that declares it: \`${tp.name}: ${bound}\`${traits.length > 1 ? ` (or ${traits.slice(1).map((t) => `\`${t}\``).join(", ")})` : ""}`;
  }
  const cap = name[0].toUpperCase() + name.slice(1);
  return `no trait in this program declares \`${name}\`: declare one (\`trait Has${cap} { fn ${name}(): Self }\`), implement it for the types, and bound \`${tp.name}\` by it`;
}

/** A method or associated function found in one impl, with the impl's type arguments. */
export interface Candidate { f: FnInfo; preset: [TypeParamInfo, Type][] }

/** The same method of every impl of f's generic trait for type t (`impl Into<string> for A`, `impl Into<int> for A`);
 *  just f's own otherwise. */
export function siblings(f: FnInfo, preset: [TypeParamInfo, Type][], t: Type): Candidate[] {
  const tr = f.impl?.trait;
  if (!tr?.typeParams?.length) return [{ f, preset }];
  const out: Candidate[] = [];
  for (const found of findImpls(tr, t)) {
    const g = found.impl.methods.get(f.name);
    if (g) out.push({ f: g, preset: [...found.args] });
  }
  return out.length ? out : [{ f, preset }];
}

/**
 * Several impls of one generic trait give the called function: the one whose result is the expected type
 * (`let n: int = a.into()`), else the one whose parameters take the arguments' types (`A.from(1)`); E0275 when
 * neither decides. `sigOf`: a candidate's parameter and result types; `traitOf`: how it names its trait.
 */
export function pickImpl<C>(cx: CheckContext, e: Call, cands: C[], sigOf: (c: C) => { params: Type[]; ret: Type }, traitOf: (c: C) => string, call: string, type: string, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): C | null {
  if (cands.length === 1) return cands[0];
  const want = expected?.k === "optional" && !cands.some((c) => sigOf(c).ret.k === "optional") ? expected.inner : expected;
  if (want && want.k !== "error") {
    const hits = cands.filter((c) => typeEq(sigOf(c).ret, want));
    if (hits.length === 1) return hits[0];
  }
  if (e.args.length) {
    // The arguments' own types (checked once more against the chosen parameters by the call; these diagnostics dropped).
    const mark = cx.diags.length;
    const ts = e.args.map((a) => checkExpr(cx, a, scope, ctx, m, undefined));
    cx.diags.length = mark;
    const hits = cands.filter((c) => sigOf(c).params.length === ts.length && sigOf(c).params.every((p, i) => typeEq(p, ts[i])));
    if (hits.length === 1) return hits[0];
  }
  const rets = cands.map((c) => showType(sigOf(c).ret));
  const fix = new Set(rets).size === rets.length
    ? `say which result you want: \`let x: ${rets[0]} = ${sourceText(cx, e.span)}\``
    : `pass arguments of the types one of them takes`;
  report(cx, M.ambiguousImpl(call, type, cands.map(traitOf), fix), e.callee.kind === "Field" ? e.callee.nameSpan : e.span);
  return null;
}

/** A candidate's parameter and result types with its impl's type arguments. */
export function candidateSig(c: Candidate): { params: Type[]; ret: Type } {
  const map = new Map(c.preset);
  return { params: c.f.params.map((p) => subst(p.type, map)), ret: subst(c.f.ret, map) };
}

/** How a candidate's impl names its trait: `Into<string>`. */
export function candidateTrait(c: Candidate): string {
  const i = c.f.impl;
  if (!i) return "?";
  const map = new Map(c.preset);
  return i.traitArgs.length ? `${i.trait.name}<${i.traitArgs.map((a) => showType(subst(a, map))).join(", ")}>` : i.trait.name;
}

/** A trait as a bound names it: `Into<string>`. */
export function showTrait(tr: TraitInfo): string {
  return tr.args ? `${tr.name}<${tr.args.map((a) => showType(a)).join(", ")}>` : tr.name;
}
