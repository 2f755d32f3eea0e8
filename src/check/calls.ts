// Calls: free functions, methods (lookup through impls and trait bounds),
// associated functions, variants, builtins, `math`, function values; generic
// inference over arguments; the signature tables of the built-in string,
// collection and math methods.

import { sourceText, postfixOperand } from "./habits.js";
import type * as A from "../syntax/ast.js";
import { walkBlock } from "../syntax/walk.js";
import { at, type Message } from "../diagnostics.js";
import { M } from "../messages.js";
import { T, showType, typeEq, hasEq, hasOrd, hasShow, showProblem, subst, containsError, fieldTypes, traitSig, unifyTypes, findImpl, findImpls, satisfiesTrait, substTrait, type Type, type ModuleInfo, type StructInfo, type FnInfo, type Builtin, type StrMethod, type EnumInfo, type TraitInfo, type TypeParamInfo, type VariantInfo } from "./types.js";
import { unmetBound, sortFix } from "./builtin-bounds.js";
import { importedName, suggest } from "./suggest.js";
import { resolveType, importAliasFailed, PRIMS } from "./declarations.js";
import { type FnCtx, Scope, report, record, type CheckContext } from "./context.js";
import { placeRoot } from "./statements.js";
import { expectCond, expectAssignable, assignable, checkExpr, expectShow, findVariant } from "./expressions.js";
import { closureType } from "./closures.js";
import { foreignName, loopVarMutFix, methodSuggestion, forEachHabit, entriesHabit, hintCollectionClosures, hintSyncClosureLoops, syncLoopFix } from "./habits.js";
import { VEC_HELPERS, valueHelper, vecHelper, helperNames } from "./helpers.js";
import { typedTarget, inferFix, typeArgCountFix, typeFix, knownTypeArgs } from "./static-calls.js";
import { taskMethod } from "./tasks.js";
import { inferFromBounds } from "./bound-infer.js";
import { formatMethodFor, formatMethodCall } from "./format.js";
import { assocThroughParam, assocOfImplType, boundCall, siblings, pickImpl, candidateSig, candidateTrait, showTrait, type Candidate } from "./trait-calls.js";

export const BUILTINS: ReadonlySet<string> = new Set<Builtin>(["print", "println", "eprint", "eprintln", "assert", "panic"]);

interface StrMethodSig { params: Type[]; ret: Type }

export const STR_METHODS: ReadonlyMap<StrMethod, StrMethodSig> = new Map<StrMethod, StrMethodSig>([
  ["len", { params: [], ret: T.i64 }],
  ["isEmpty", { params: [], ret: T.bool }],
  ["trim", { params: [], ret: T.string }],
  ["trimStart", { params: [], ret: T.string }],
  ["trimEnd", { params: [], ret: T.string }],
  ["contains", { params: [T.string], ret: T.bool }],
  ["startsWith", { params: [T.string], ret: T.bool }],
  ["endsWith", { params: [T.string], ret: T.bool }],
  ["replace", { params: [T.string, T.string], ret: T.string }],
  ["toUpper", { params: [], ret: T.string }],
  ["toLower", { params: [], ret: T.string }],
  ["slice", { params: [T.i64, T.i64], ret: T.string }],
  ["find", { params: [T.string], ret: T.optional(T.i64) }],
  ["parseInt", { params: [], ret: T.optional(T.i64) }],
  ["parseFloat", { params: [], ret: T.optional(T.f64) }],
  ["repeat", { params: [T.i64], ret: T.string }],
  ["split", { params: [T.string], ret: T.vec(T.string) }],
  ["lines", { params: [], ret: T.vec(T.string) }],
  ["chars", { params: [], ret: T.vec(T.string) }],
  ["bytes", { params: [], ret: T.vec(T.int("u8")) }],
  ["compare", { params: [T.string], ret: T.i64 }],
  ["charCount", { params: [], ret: T.i64 }],
]);

export const MATH_FNS: ReadonlyMap<string, number> = new Map([
  ["sqrt", 1], ["cbrt", 1], ["sin", 1], ["cos", 1], ["tan", 1], ["asin", 1], ["acos", 1], ["atan", 1], ["atan2", 2],
  ["exp", 1], ["log", 1], ["log2", 1], ["log10", 1], ["pow", 2], ["floor", 1], ["ceil", 1], ["round", 1], ["trunc", 1],
  ["hypot", 2], ["abs", 1], ["min", 2], ["max", 2],
]);

export const MATH_CONSTS: ReadonlyMap<string, number> = new Map([["PI", Math.PI], ["E", Math.E], ["TAU", 2 * Math.PI]]);

interface CollSig { params: Type[]; ret: Type; needs?: "Ord" | "Eq" | "Show"; vars?: TypeParamInfo[] }

export const COLL_METHODS = {
  vec: ["push", "pop", "len", "isEmpty", "insert", "remove", "sort", "contains", "indexOf", "join", "slice", "reversed", "enumerate", "clear", "map", "filter", "sortBy"],
  map: ["get", "set", "has", "delete", "len", "isEmpty", "keys", "values", "clear"],
  set: ["insert", "has", "delete", "len", "isEmpty", "values", "clear"],
};

function collectionMethodNames(k: "vec" | "map" | "set"): string[] { return k === "vec" ? [...COLL_METHODS.vec, ...VEC_HELPERS] : COLL_METHODS[k]; }

/** Signatures of the built-in collection methods (closure-taking ones come with closures). */
function collectionSig(t: Extract<Type, { k: "vec" | "map" | "set" }>, name: string): CollSig | null {
  if (!(COLL_METHODS[t.k] as string[]).includes(name)) return null;
  if (t.k === "vec") {
    const e = t.elem;
    switch (name) {
      case "push": return { params: [e], ret: T.unit };
      case "pop": return { params: [], ret: T.optional(e) };
      case "len": return { params: [], ret: T.i64 };
      case "isEmpty": return { params: [], ret: T.bool };
      case "insert": return { params: [T.i64, e], ret: T.unit };
      case "remove": return { params: [T.i64], ret: e };
      case "sort": return { params: [], ret: T.unit, needs: "Ord" };
      case "contains": return { params: [e], ret: T.bool, needs: "Eq" };
      case "indexOf": return { params: [e], ret: T.optional(T.i64), needs: "Eq" };
      case "join": return { params: [T.string], ret: T.string, needs: "Show" };
      case "slice": return { params: [T.i64, T.i64], ret: t };
      case "reversed": return { params: [], ret: t };
      case "enumerate": return { params: [], ret: T.vec(T.tuple([T.i64, e])) };
      case "map": {
        const u: TypeParamInfo = { id: -1, name: "U", bounds: [] };
        const ut: Type = { k: "param", p: u };
        return { params: [{ k: "fn", params: [e], ret: ut }], ret: T.vec(ut), vars: [u] };
      }
      case "filter": return { params: [{ k: "fn", params: [e], ret: T.bool }], ret: t };
      case "sortBy": return { params: [{ k: "fn", params: [e, e], ret: T.i64 }], ret: T.unit };
      case "clear": return { params: [], ret: T.unit };
    }
  } else if (t.k === "map") {
    switch (name) {
      case "get": return { params: [t.key], ret: T.optional(t.val) };
      case "set": return { params: [t.key, t.val], ret: T.unit };
      case "has": return { params: [t.key], ret: T.bool };
      case "delete": return { params: [t.key], ret: T.bool };
      case "len": return { params: [], ret: T.i64 };
      case "isEmpty": return { params: [], ret: T.bool };
      case "keys": return { params: [], ret: T.vec(t.key) };
      case "values": return { params: [], ret: T.vec(t.val) };
      case "clear": return { params: [], ret: T.unit };
    }
  } else {
    switch (name) {
      case "insert": return { params: [t.elem], ret: T.bool };
      case "has": return { params: [t.elem], ret: T.bool };
      case "delete": return { params: [t.elem], ret: T.bool };
      case "len": return { params: [], ret: T.i64 };
      case "isEmpty": return { params: [], ret: T.bool };
      case "values": return { params: [], ret: T.vec(t.elem) };
      case "clear": return { params: [], ret: T.unit };
    }
  }
  return null;
}

/** `Vec()`, `Map()`, `Set()`, typed from type arguments or the expected type. */
function collectionCtor(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, name: string, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  if (e.args.length) { report(cx, M.argCount(name, 0, e.args.length), e.span); return T.error; }
  let t: Type | undefined;
  if (e.typeArgs.length) t = resolveType(cx, { kind: "TName", span: e.span, path: [name], args: e.typeArgs }, m, ctx.env);
  else {
    const exp = expected?.k === "optional" ? expected.inner : expected;
    if (exp && ((name === "Vec" && exp.k === "vec") || (name === "Map" && exp.k === "map") || (name === "Set" && exp.k === "set"))) t = exp;
  }
  if (expected?.k === "error") return T.error;
  if (!t) { report(cx, M.cannotInfer(`\`${name}()\``, `write the element types: \`${name}<${name === "Map" ? "string, int" : "int"}>()\`, or annotate the variable`), e.span); return T.error; }
  if (t.k === "error") return T.error;
  cx.out.calls.set(e, { kind: "collection", name: "new", recv: null });
  return t;
}

/** Methods of Vec, Map and Set. */
function collectionMethod(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recvT: Extract<Type, { k: "vec" | "map" | "set" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type | null {
  const name = callee.name;
  const sig = collectionSig(recvT, name);
  if (!sig) return null;
  if (sig.needs === "Ord" && !hasOrd(recvT.k === "map" ? recvT.key : (recvT as { elem: Type }).elem)) {
    const elem = (recvT as { elem: Type }).elem;
    report(cx, { ...M.noOrd(showType(elem)), ...(name === "sort" ? { fix: sortFix(elem) } : {}) }, callee.nameSpan);
  }
  if (sig.needs === "Eq" && !hasEq((recvT as { elem: Type }).elem)) report(cx, M.noEq(showType((recvT as { elem: Type }).elem)), callee.nameSpan);
  if (sig.needs === "Show" && !hasShow((recvT as { elem: Type }).elem)) {
    const elem = (recvT as { elem: Type }).elem;
    report(cx, M.notShowable(showType(elem), elem.k === "struct" || elem.k === "enum" ? showProblem(elem) : null), callee.nameSpan);
  }
  cx.out.calls.set(e, { kind: "collection", name, recv: callee.target });
  const vars = sig.vars ?? [];
  return inferCall(cx, e, vars, new Map(), sig.params, sig.ret, `${showType(recvT)}.${name}`, scope, ctx, m, expected);
}

/** The fix for a wrong argument count where another language's signature explains it. */
function arityFix(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, name: string, params: Type[] = []): string | undefined {
  // JavaScript's `reduce(f, init)`: Colang's `reduce(f)` has no starting value, `fold(init, f)` has one
  if (name.endsWith(".reduce") && e.args.length === 2)
    return `with a starting value, use \`fold\`, which takes it first: \`fold(${sourceText(cx, e.args[1].span)}, ${sourceText(cx, e.args[0].span)})\``;
  // an options struct left out (`http.fetch(url)`, as in JavaScript): Colang has no default
  // arguments, but a struct whose fields are all optional is written `{}` for its defaults
  const missing = params.slice(e.args.length);
  if (e.args.length < params.length && missing.every((t) => t.k === "struct" && t.info.fields.every((f) => f.type.k === "optional"))) {
    const args = [...e.args.map((a) => sourceText(cx, a.span)), ...missing.map(() => "{}")].join(", ");
    const what = missing.length === 1 ? `\`${showType(missing[0])}\` has only optional fields` : "these options have only optional fields";
    return `${what}: pass \`{}\` for the defaults: \`${name}(${args})\``;
  }
  return undefined;
}

export function checkArgsLoose(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, awaited = false): Type {
  // The call is already reported: a closure argument whose parameter types only the callee could have given
  // is a consequence of that, not news (E0238; tester round 12: `r.patch("/x", async |req| ...)`).
  const mark = cx.diags.length;
  for (const a of e.args) checkExpr(cx, a, scope, ctx, m, undefined, false, awaited);
  // (One whose fix names the type, known from the receiver as for `users.forEach(|u| ...)`, stays: it is news.)
  for (let i = cx.diags.length - 1; i >= mark; i--) if (cx.diags[i].code === "E0238" && cx.diags[i].fix?.includes(": Type|")) cx.diags.splice(i, 1);
  return T.error;
}

export function callType(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  const callee = e.callee;
  if (callee.kind === "Ident" && !scope.lookup(callee.name) && !m.globals.has(callee.name)) {
    const f = m.fns.get(callee.name);
    if (f) return callFn(cx, e, f, [], scope, ctx, m, expected, f.name);
    if (BUILTINS.has(callee.name)) return builtinCall(cx, e, callee.name as Builtin, scope, ctx, m);
    const variant = findVariant(cx, callee.name, m, expected, callee.span);
    if (variant === "reported") return checkArgsLoose(cx, e, scope, ctx, m);
    if (variant) return variantCall(cx, e, variant.type, variant.variant, scope, ctx, m, expected);
    const ctor = m.structs.get(callee.name)?.methods.get("new");
    if (ctor && !ctor.self) return callFn(cx, e, ctor, [], scope, ctx, m, expected, `${callee.name}.new`);
    if (m.structs.has(callee.name) || m.enums.has(callee.name)) {
      report(cx, M.typeNotValue(callee.name), callee.span);
      return checkArgsLoose(cx, e, scope, ctx, m);
    }
    if (callee.name === "Vec" || callee.name === "Map" || callee.name === "Set") return collectionCtor(cx, e, callee.name, ctx, m, expected);
    if (callee.name === "StringBuilder") {
      if (e.args.length) { report(cx, M.argCount("StringBuilder", 0, e.args.length), e.span); return checkArgsLoose(cx, e, scope, ctx, m); }
      cx.out.calls.set(e, { kind: "builder", name: "new", recv: null });
      return { k: "builder" };
    }
    if (callee.name === "all" || callee.name === "race") {
      // One error, not one per argument; when the racers agree, all that is missing is `await` (tester round 10).
      const mark = cx.diags.length;
      checkArgsLoose(cx, e, scope, ctx, m, true);
      const ts = e.args.map((a) => { const t = cx.out.exprTypes.get(a); return t?.k === "task" ? t.inner : t; });
      const agree = cx.diags.length === mark && ts.length > 0 && ts.every((t) => t !== undefined && !containsError(t) && (callee.name === "all" || typeEq(t, ts[0]!)));
      const whole = sourceText(cx, e.span);
      const fix = agree && whole.length <= 80 && !whole.includes("\n") ? `write \`await ${whole}\`${(ctx.fn && !ctx.closure ? ctx.fn.decl.async : ctx.async) ? "" : " in an `async fn`"}` : undefined;
      const msg = callee.name === "all" ? M.allArgs() : M.raceArgs();
      report(cx, fix ? { ...msg, fix } : msg, callee.span);
      return T.error;
    }
    const candidates = [...scope.allNames(), ...m.globals.keys(), ...m.fns.keys(), ...BUILTINS];
    report(cx, foreignName(callee.name) ?? M.unknownName(callee.name, importedName(m, callee.name, "value") ?? suggest(callee.name, candidates)), callee.span);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  if (callee.kind === "Field") {
    const owner = typedTarget(cx, callee.target, m, ctx);
    if (owner !== undefined) {
      // `Stack<int>.new()`, `Tree<int>.Leaf(1)`
      if (owner.k === "struct") return assocCall(cx, e, owner.info, callee, scope, ctx, m, expected, owner);
      if (owner.k === "enum") return enumPathCall(cx, e, owner.info, callee, scope, ctx, m, expected, owner);
      // `Self.zero()` in `impl Zero for int` (a default body's copy for that impl included).
      const cands = owner.k !== "error" ? assocOfImplType(cx, owner, callee.name) : [];
      if (cands.length) return implFnCall(cx, e, cands, showType(owner), callee.name, scope, ctx, m, expected);
      if (owner.k !== "error") report(cx, M.unknownMethod(showType(owner), callee.name, undefined), callee.nameSpan);
      return checkArgsLoose(cx, e, scope, ctx, m);
    }
    if (callee.target.kind === "Ident" && !scope.lookup(callee.target.name) && !m.globals.has(callee.target.name)) {
      const mod = m.imports.get(callee.target.name);
      if (mod) {
        const f = mod.fns.get(callee.name);
        if (f) {
          // Named as this call writes it (`j.decode` after `import std/json as j`).
          const written = callee.target.name;
          if (!f.pub) report(cx, M.notExported(f.name, written), callee.nameSpan);
          return callFn(cx, e, f, [], scope, ctx, m, expected, `${written}.${f.name}`);
        }
        // `http.Router()` is `http.Router.new()`.
        const s = mod.structs.get(callee.name);
        const ctor = s?.methods.get("new");
        if (s && ctor && !ctor.self) {
          if (!s.pub || !ctor.pub) report(cx, M.notExported(`${s.name}.new`, callee.target.name), callee.nameSpan);
          return callFn(cx, e, ctor, [], scope, ctx, m, expected, `${callee.target.name}.${s.name}.new`);
        }
        report(cx, M.unknownName(`${callee.target.name}.${callee.name}`, suggest(callee.name, [...mod.fns.keys()])), callee.nameSpan);
        return checkArgsLoose(cx, e, scope, ctx, m);
      }
      if (importAliasFailed(cx, m, callee.target.name)) return checkArgsLoose(cx, e, scope, ctx, m);
      if (callee.target.name === "math") return mathCall(cx, e, callee, scope, ctx, m, expected);
      // `T.zero()` through a bound of type parameter T (`Self.zero()` in a trait's default body).
      const tp = ctx.env.get(callee.target.name);
      if (tp && !tp.alias) return assocThroughParam(cx, e, callee, tp, scope, ctx, m, expected);
      // `int.zero()`: the associated function of a trait implemented for a built-in type.
      const prim = PRIMS.get(callee.target.name);
      const cands = prim && !m.structs.has(callee.target.name) ? assocOfImplType(cx, prim, callee.name) : [];
      if (cands.length) return implFnCall(cx, e, cands, callee.target.name, callee.name, scope, ctx, m, expected);
      // `Self.origin()` in an impl: the impl's target type.
      const self = callee.target.name === "Self" ? ctx.env.get("Self")?.alias : undefined;
      const s = self ? (self.k === "struct" ? self.info : undefined) : m.structs.get(callee.target.name);
      if (s) return assocCall(cx, e, s, callee, scope, ctx, m, expected);
      const en = self ? (self.k === "enum" ? self.info : undefined) : m.enums.get(callee.target.name) ?? (callee.target.name === "Result" ? cx.resultEnum : undefined);
      if (en) return enumPathCall(cx, e, en, callee, scope, ctx, m, expected);
    }
    // module.Type.name(...)
    if (callee.target.kind === "Field" && callee.target.target.kind === "Ident" && !scope.lookup(callee.target.target.name)) {
      const mod = m.imports.get(callee.target.target.name);
      const s = mod?.structs.get(callee.target.name);
      const en = mod?.enums.get(callee.target.name);
      if (mod && (s || en)) {
        if (!(s ?? en)!.pub) report(cx, M.notExported((s ?? en)!.name, mod.alias), callee.target.nameSpan);
        return s ? assocCall(cx, e, s, callee, scope, ctx, m, expected) : enumPathCall(cx, e, en!, callee, scope, ctx, m, expected);
      }
    }
    return methodCall(cx, e, callee, scope, ctx, m, expected);
  }
  const t = checkExpr(cx, callee, scope, ctx, m, undefined);
  if (t.k === "fn") return fnValueCall(cx, e, t, callee, scope, ctx, m, expected);
  checkArgsLoose(cx, e, scope, ctx, m);
  if (t.k !== "error") report(cx, M.notCallable(showType(t)), callee.span);
  return T.error;
}

/** The prelude's `math` functions (on float; `abs`, `min`, `max` on any number). */
function mathCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const name = callee.name;
  const arity = MATH_FNS.get(name);
  if (arity === undefined) {
    report(cx, M.unknownName(`math.${name}`, suggest(name, [...MATH_FNS.keys()])), callee.nameSpan);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  cx.out.calls.set(e, { kind: "math", name });
  if (name === "abs" || name === "min" || name === "max") {
    const u: TypeParamInfo = { id: -2, name: "N", bounds: [] };
    const ut: Type = { k: "param", p: u };
    const r = inferCall(cx, e, [u], new Map(), Array(arity).fill(ut), ut, `math.${name}`, scope, ctx, m, expected);
    if (r.k !== "int" && r.k !== "float" && r.k !== "error") { report(cx, M.mismatch("a number", showType(r)), e.span); return T.error; }
    return r;
  }
  return inferCall(cx, e, [], new Map(), Array(arity).fill(T.f64), T.f64, `math.${name}`, scope, ctx, m, expected);
}

/** Calling a function value (a closure, a parameter of function type, a function named as a value). */
function fnValueCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, t: Extract<Type, { k: "fn" }>, callee: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  cx.out.calls.set(e, { kind: "closure", callee });
  const name = callee.kind === "Ident" ? callee.name : callee.kind === "Field" ? callee.name : "this function value";
  return inferCall(cx, e, [], new Map(), t.params, t.ret, name, scope, ctx, m, expected);
}

/** `Shape.Circle(1.0)` or `Shape.make(...)` on an enum. */
function enumPathCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, en: EnumInfo, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, owner?: Extract<Type, { k: "enum" }>): Type {
  const v = en.variants.find((x) => x.name === callee.name);
  const generic: Extract<Type, { k: "enum" }> = owner ?? { k: "enum", info: en, args: en.typeParams.map((p) => ({ k: "param", p }) as Type) };
  if (v) return variantCall(cx, e, generic, v, scope, ctx, m, expected);
  const f = en.methods.get(callee.name);
  if (f && !f.self) return callFn(cx, e, f, ownerPreset(f, owner), scope, ctx, m, expected, `${en.name}.${f.name}`);
  if (f) { report(cx, M.methodOnType(en.name, f.name), callee.span); return checkArgsLoose(cx, e, scope, ctx, m); }
  report(cx, M.unknownVariant(en.name, callee.name, suggest(callee.name, [...en.variants.map((x) => x.name), ...en.methods.keys()])), callee.nameSpan);
  return checkArgsLoose(cx, e, scope, ctx, m);
}

/** A variant constructor call: its enum's type arguments are inferred like a generic function's. */
function variantCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, t: Extract<Type, { k: "enum" }>, v: VariantInfo, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const info = t.info;
  const vars = info.typeParams;
  const generic: Type = { k: "enum", info, args: vars.map((p) => ({ k: "param", p }) as Type) };
  const map = new Map<TypeParamInfo, Type>();
  // Arguments already fixed by the context (e.g. the expected type).
  // A hole (`error`, from a closure's shape) fixes nothing: the arguments decide it.
  t.args.forEach((a, i) => { if (!(a.k === "param" && a.p === vars[i]) && a.k !== "error") map.set(vars[i], a); });
  const ret = inferCall(cx, e, vars, map, v.fields.map((f) => f.type), generic, v.name, scope, ctx, m, expected,
    () => typeFix(info.name, knownTypeArgs(vars, map), (list) => `${list}.${v.name}(...)`));
  if (ret.k !== "enum") return ret;
  cx.out.calls.set(e, { kind: "variant", type: ret, variant: v });
  return ret;
}

function callFn(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, f0: FnInfo, preset: [TypeParamInfo, Type][], scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, name: string, recv?: A.Expr): Type {
  const f = f0.overloads ? pickOverload(cx, e, f0, scope, ctx, m, name) : f0;
  if (!f) return checkArgsLoose(cx, e, scope, ctx, m);
  const map = new Map<TypeParamInfo, Type>(preset);
  const own = f.typeParams.slice(f.typeParams.length - f.decl.typeParams.length);
  if (e.typeArgs.length) {
    if (e.typeArgs.length !== own.length) {
      report(cx, M.wrongTypeArgCount(name, own.length, e.typeArgs.length, typeArgCountFix(f, e.typeArgs, name)), e.span);
      return checkArgsLoose(cx, e, scope, ctx, m);
    }
    own.forEach((p, i) => map.set(p, resolveType(cx, e.typeArgs[i], m, ctx.env)));
  }
  const ret = inferCall(cx, e, f.typeParams, map, f.params.map((p) => p.type), f.ret, name, scope, ctx, m, expected, (v) => inferFix(f, v, name, map));
  const typeArgs = f.typeParams.map((p) => map.get(p) ?? T.error);
  cx.out.calls.set(e, recv ? { kind: "method", f, recv, typeArgs } : { kind: "fn", f, typeArgs });
  return ret;
}

/**
 * Picks among overloads by the first argument: braces with field names pick
 * the overload that takes a struct there; otherwise the argument's own type
 * (checked once without an expected type, its diagnostics dropped: the call
 * checks it again against the chosen parameter) picks the overload whose
 * first parameter accepts it.
 */
function pickOverload(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, f: FnInfo, scope: Scope, ctx: FnCtx, m: ModuleInfo, name: string): FnInfo | null {
  const all = [f, ...f.overloads!];
  const a0 = e.args[0];
  if (!a0) return f;
  const first = (g: FnInfo) => { const t = g.params[0].type; return t.k === "optional" ? t.inner : t; };
  if (a0.kind === "MapLit" && a0.entries.length && a0.entries.every((x) => x.key.kind === "Ident")) {
    const g = all.find((x) => first(x).k === "struct");
    if (g) return g;
  }
  const mark = cx.diags.length;
  const t = checkExpr(cx, a0, scope, ctx, m, undefined);
  cx.diags.length = mark;
  if (t.k === "error") return f;
  const g = all.find((x) => typeEq(x.params[0].type, t)) ?? all.find((x) => assignable(cx, x.params[0].type, t))
    ?? (a0.kind === "IntLit" ? all.find((x) => first(x).k === "int") : undefined);
  if (g) return g;
  report(cx, M.noOverload(name, showType(t), all.map((x) => showType(x.params[0].type))), a0.span);
  return null;
}

/** Checks arguments against parameter types, inferring the type variables `vars`; returns the substituted result type. */
export function inferCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, vars: TypeParamInfo[], map: Map<TypeParamInfo, Type>, params: Type[], ret: Type, name: string, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, fix?: (v: TypeParamInfo) => string): Type {
  if (e.args.length !== params.length) {
    report(cx, { ...M.argCount(name, params.length, e.args.length), fix: arityFix(cx, e, name, params) }, e.span);
    // The arguments still get the parameter types where those are known, and a closure whose
    // parameter types cannot be inferred here is a consequence of the count, not news (E0238).
    const mark = cx.diags.length;
    e.args.forEach((a, i) => {
      const p = i < params.length ? params[i] : undefined;
      checkExpr(cx, a, scope, ctx, m, p && !(vars.length > 0 && mentions(p, vars, map)) ? subst(p, map) : undefined);
    });
    cx.diags.splice(mark, cx.diags.length - mark, ...cx.diags.slice(mark).filter((d) => d.code !== "E0238"));
    return vars.length ? T.error : ret;
  }
  const open = (t: Type) => vars.length > 0 && mentions(t, vars, map);
  // Type variables bound by the expected type alone: an argument that disagrees decides instead
  // (`let x: string = first([1, 2])` is one E0200 at the call, not one per element).
  const fromExpected = new Set<TypeParamInfo>();
  if (expected && open(ret)) {
    const before = new Set(map.keys());
    unifyTypes(ret, expected.k === "optional" && ret.k !== "optional" ? expected.inner : expected, map, vars);
    for (const k of map.keys()) if (!before.has(k)) fromExpected.add(k);
  }
  // Arguments whose type comes from context (`none`, `[]`, a unit variant of a
  // generic enum) are checked after the others have fixed the type variables.
  const contextual = (a: A.Expr) => a.kind === "NoneLit" || ((a.kind === "VecLit" || a.kind === "MapLit") && (a.kind === "VecLit" ? a.elems : a.entries).length === 0)
    || (a.kind === "Ident" && /^[A-Z]/.test(a.name)) || (a.kind === "Field" && /^[A-Z]/.test(a.name)) || a.kind === "Closure";
  let poisoned = false; // an argument already reported: an unbound type variable is a consequence, not news
  // Among those, a closure with parameter types written out fixes type variables itself (`fold({}, |acc:
  // Map<K, V>, x| ...)`), so it goes before the empty literals that need them.
  // A function named as the argument of a function-typed parameter goes with them (`apply(ident, 3)`: 3 fixes T).
  const rank = (a: A.Expr, i: number) => (a.kind === "Ident" || a.kind === "Field") && params[i]?.k === "fn" ? 1
    : !contextual(a) ? 0 : a.kind === "Closure" && a.params.some((p) => p.type) ? 1 : 2;
  const order = e.args.map((a, i) => i).sort((x, y) => rank(e.args[x], x) - rank(e.args[y], y));
  order.forEach((i) => {
    const a = e.args[i];
    const p = params[i];
    if (!open(p)) {
      const want = subst(p, map);
      const soft = fromExpected.size > 0 && !contextual(a) && [...fromExpected].some((v) => mentionsParam(p, v));
      const mark = cx.diags.length;
      const t = checkExpr(cx, a, scope, ctx, m, want);
      if (soft && (cx.diags.length > mark || !assignable(cx, want, t))) {
        const saved = cx.diags.splice(mark);
        const own = checkExpr(cx, a, scope, ctx, m, undefined);
        const argMap = new Map([...map].filter(([k]) => !fromExpected.has(k)));
        if (cx.diags.length === mark && own.k !== "error" && unifyTypes(p.k === "optional" && own.k !== "optional" ? p.inner : p, own, argMap, vars)) {
          // The argument decides; the caller reports its expected type against the result.
          map.clear();
          for (const [k, v] of argMap) map.set(k, v);
          fromExpected.clear();
          return;
        }
        cx.diags.length = mark;
        cx.diags.push(...saved);
      }
      expectAssignable(cx, want, t, a);
      return;
    }
    let t: Type;
    if (a.kind === "Closure" && p.k === "fn") {
      const known = (x: Type) => (mentions(x, vars, map) ? undefined : subst(x, map));
      const holes = new Map(map);
      for (const v of vars) if (!holes.has(v)) holes.set(v, T.error);
      const mark = cx.diags.length;
      t = record(cx, a, closureType(cx, a, scope, ctx, m, undefined, { params: p.params.map(known), ret: known(p.ret), shape: subst(p.ret, holes) }));
      // An error inside the body (a misspelt method) is the news; the result it left unknown is its consequence.
      if (cx.diags.slice(mark).some((d) => d.severity === "error")) poisoned = true;
    } else if ((a.kind === "Ident" || a.kind === "Field") && p.k === "fn") {
      // a named (generic) function as the argument (`v.map(Stat.of)`): the parameter types known so far fix its
      // type arguments; what is still open is a hole its own type fills in below
      const holes = new Map(map);
      for (const v of vars) if (!holes.has(v)) holes.set(v, T.error);
      t = checkExpr(cx, a, scope, ctx, m, subst(p, holes));
    } else t = checkExpr(cx, a, scope, ctx, m, p.k === "task" ? p : undefined); // an async call where a Task is expected is spawned
    // A closure whose body failed to type (often a `none` branch with nothing to give it a type) still gets
    // the E0131 below: its fix, the type argument written out, is what makes such a closure check.
    if (t.k === "error") { if (a.kind !== "Closure") poisoned = true; return; }
    const tryMap = new Map(map);
    const target = p.k === "optional" && t.k !== "optional" ? p.inner : p;
    if (containsError(t) && a.kind !== "Closure") poisoned = true;
    if (unifyTypes(target, t, tryMap, vars)) { for (const [k, v] of tryMap) map.set(k, v); }
    else { report(cx, M.mismatch(showType(subst(p, map)), showType(t), t.k === "fn" && t.async ? syncLoopFix(cx, a) : undefined), a.span); poisoned = true; }
  });
  // A variable named only in another's bound (`S: Store<T>`): the impls of the bound for the argument decide it.
  for (const { v, options } of poisoned ? [] : inferFromBounds(vars, map)) {
    if (!fix) continue;
    map.set(v, options[0]);
    const how = fix(v);
    map.delete(v);
    report(cx, M.cannotInferTypeArg(v.name, name, `several implementations fit (\`${v.name}\` = ${options.map((o) => `\`${showType(o)}\``).join(" or ")}): ${how}`), e.span);
    return T.error;
  }
  for (const v of vars) {
    const got = map.get(v);
    if (!got) {
      if (mentionsParam(ret, v) || params.some((p) => mentionsParam(p, v))) { if (!poisoned) report(cx, M.cannotInferTypeArg(v.name, name, fix ? fix(v) : "annotate the variable that receives the result with its full type"), e.span); return T.error; }
      continue;
    }
    if (containsError(got)) return T.error;
    for (const b of v.bounds) {
      const tb = substTrait(b, map);
      if (satisfiesTrait(got, tb)) continue;
      const msg = unmetBound(tb, got, name, cx.byFile.get(e.span.file));
      // A trait argument still open (no impl for any argument decided it): the impl to add is for the one the call needs.
      const open = vars.filter((x) => !map.has(x) && tb.args?.some((a) => mentionsParam(a, x))).map((x) => `\`${x.name}\``);
      report(cx, open.length ? { ...msg, fix: `${msg.fix} (with the type ${open.join(", ")} that \`${name}\` should use, e.g. \`string\`), or pass a value whose type implements \`${b.name}\`` } : msg, e.span);
    }
  }
  return subst(ret, map);
}

/** The impl's type parameters fixed by `Stack<int>.` before a static call. */
export function ownerPreset(f: FnInfo, owner: Type | undefined): [TypeParamInfo, Type][] {
  if (!owner || !f.ownerType) return [];
  const map = new Map<TypeParamInfo, Type>();
  unifyTypes(f.ownerType, owner, map, f.typeParams);
  return [...map];
}

function assocCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, s: StructInfo, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, owner?: Type): Type {
  const f = s.methods.get(callee.name);
  if (!f) {
    report(cx, M.unknownMethod(s.name, callee.name, suggest(callee.name, [...s.methods.keys()])), callee.nameSpan);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  if (f.self) {
    report(cx, M.methodOnType(s.name, f.name), callee.span);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  if (f.module !== m && !f.pub) report(cx, M.notExported(`${s.name}.${f.name}`, f.module.alias), callee.nameSpan);
  if (f.impl?.trait.typeParams?.length) {
    // `A.from(1)` where A implements `From<int>` and `From<string>`: the impl is picked by the call.
    const generic: Type = owner ?? { k: "struct", info: s, args: s.typeParams.map((p) => ({ k: "param", p }) as Type) };
    return implFnCall(cx, e, siblings(f, ownerPreset(f, owner), generic), s.name, f.name, scope, ctx, m, expected);
  }
  return callFn(cx, e, f, ownerPreset(f, owner), scope, ctx, m, expected, `${s.name}.${f.name}`);
}

/** A function of one of several impls of a generic trait for a type (one candidate: that impl's). */
function implFnCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, cands: Candidate[], type: string, name: string, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, recv?: A.Expr): Type {
  const c = pickImpl(cx, e, cands, candidateSig, candidateTrait, `${type}.${name}`, type, scope, ctx, m, expected);
  if (!c) return checkArgsLoose(cx, e, scope, ctx, m);
  if (recv && !c.f.self) { report(cx, M.staticOnValue(type, name), e.callee.kind === "Field" ? e.callee.nameSpan : e.span); return checkArgsLoose(cx, e, scope, ctx, m); }
  if (c.f.self?.kind === "mut" && recv) checkMutReceiver(cx, recv, name);
  return callFn(cx, e, c.f, c.preset, scope, ctx, m, expected, `${type}.${name}`, recv);
}

/** Finds method `name` for receiver type t: inherent or trait methods of structs and enums, trait impls, and bounds. */
function lookupMethod(cx: CheckContext, t: Type, name: string): { f: FnInfo; preset: [TypeParamInfo, Type][]; cands: Candidate[] } | { trait: TraitInfo; bounds: TraitInfo[] } | null {
  if (t.k === "struct" || t.k === "enum") {
    const f = t.info.methods.get(name);
    if (f && f.ownerType) {
      const map = new Map<TypeParamInfo, Type>();
      unifyTypes(f.ownerType, t, map, f.typeParams);
      // A method of a generic trait implemented for t more than once (`Into<string>`, `Into<int>`): all of them.
      return { f, preset: [...map], cands: siblings(f, [...map], t) };
    }
  }
  if (t.k === "param") {
    // Bounds by one generic trait with different arguments (`T: Into<string> + Into<int>`) each give the method.
    const bounds = t.p.bounds.filter((b) => b.methods.has(name));
    const b = bounds[0];
    if (b) return { trait: b, bounds };
    return null;
  }
  for (const tr of cx.allTraits) {
    if (!tr.methods.has(name)) continue;
    const cands = findImpls(tr, t).flatMap((found) => { const f = found.impl.methods.get(name); return f ? [{ f, preset: [...found.args] as [TypeParamInfo, Type][] }] : []; });
    if (cands.length) return { ...cands[0], cands };
  }
  return null;
}

/** Methods whose result is the receiver's value (a `Result`'s or an optional's): the expected type of the call is
 *  the value's, which may fix a generic receiver call's type arguments (`let c: Cfg = json.decode(s).unwrap()`). */
const VALUE_OF = new Set(["unwrap", "expect", "unwrapOr", "unwrapOrElse"]);

/** The receiver of a method call. A generic call whose type arguments nothing fixed (E0131) is checked again
 *  with the value the method gives as its expected `Result`'s, then optional's, value (tester round 12). */
function receiverType(cx: CheckContext, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const mark = cx.diags.length;
  const t = checkExpr(cx, callee.target, scope, ctx, m, undefined);
  if (t.k !== "error" || !expected || expected.k === "error" || !VALUE_OF.has(callee.name) || (callee.target.kind !== "Call" && callee.target.kind !== "Await")) return t;
  if (!cx.diags.slice(mark).some((d) => d.code === "E0131" || d.code === "E0219")) return t;
  const first = cx.diags.splice(mark);
  for (const hint of [{ k: "enum", info: cx.resultEnum, args: [expected, T.error] } as Type, T.optional(expected)]) {
    const u = checkExpr(cx, callee.target, scope, ctx, m, hint);
    // only a Result (an optional) for the Result's (optional's) hint: a call returning a bare `T` would take the
    // hint's value type (inferCall reads an expected optional's inner type) and the method would not exist (review)
    const kindOk = hint.k === "optional" ? u.k === "optional" : u.k === "enum" && u.info === cx.resultEnum;
    if (kindOk && cx.diags.length === mark) return u;
    cx.diags.length = mark;
  }
  // neither fixed them: the first check's diagnostics stand (the side tables are the last check's, all errors)
  cx.diags.push(...first);
  return T.error;
}

function methodCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const recvT = receiverType(cx, callee, scope, ctx, m, expected);
  if (recvT.k === "error") return checkArgsLoose(cx, e, scope, ctx, m);
  const found = lookupMethod(cx, recvT, callee.name);
  if (found && "f" in found && found.cands.length > 1) return implFnCall(cx, e, found.cands, showType(recvT), callee.name, scope, ctx, m, expected, callee.target);
  if (found && "f" in found) {
    const f = found.f;
    if (!f.self) {
      // A body that uses `self` already has E0114 (the receiver was forgotten): this call is its consequence.
      if (!usesSelf(f)) report(cx, M.staticOnValue(showType(recvT), f.name), callee.nameSpan);
      return checkArgsLoose(cx, e, scope, ctx, m);
    }
    if (f.module !== m && !f.pub) report(cx, M.notExported(`${showType(recvT)}.${f.name}`, f.module.alias), callee.nameSpan);
    if (f.self.kind === "mut") checkMutReceiver(cx, callee.target, f.name);
    return callFn(cx, e, f, found.preset, scope, ctx, m, expected, `${showType(recvT)}.${f.name}`, callee.target);
  }
  if (found && "trait" in found) {
    const bounds = found.bounds;
    const tr = bounds.length > 1 ? pickImpl(cx, e, bounds, (b) => traitSig(b, callee.name, recvT)!, (b) => showTrait(b), `${showType(recvT)}.${callee.name}`, showType(recvT), scope, ctx, m, expected) : found.trait;
    if (!tr) return checkArgsLoose(cx, e, scope, ctx, m);
    const decl = tr.methods.get(callee.name)!;
    // An associated function of the trait is called through the type parameter: `T.zero()`.
    if (!decl.selfParam) { report(cx, M.staticOnValue(showType(recvT), callee.name), callee.nameSpan); return checkArgsLoose(cx, e, scope, ctx, m); }
    if (decl.selfParam.mut) checkMutReceiver(cx, callee.target, callee.name);
    // `Self` in the trait's signature is the receiver's type (a type parameter bounded by the trait).
    return boundCall(cx, e, tr, callee.name, callee.target, recvT, scope, ctx, m, expected);
  }
  if (callee.name === "clone") {
    // Every value can be deep-copied (the copy promotion makes): how a borrow of global state is kept across an `await`.
    if (e.args.length) { report(cx, M.argCount(`${showType(recvT)}.clone`, 0, e.args.length), e.span); checkArgsLoose(cx, e, scope, ctx, m); }
    cx.out.calls.set(e, { kind: "clone", recv: callee.target });
    return recvT;
  }
  const fm = formatMethodFor(recvT, callee.name);
  if (fm) {
    cx.out.calls.set(e, { kind: "fmtMethod", name: fm, recv: callee.target });
    return formatMethodCall(cx, e, recvT, fm, scope, ctx, m, expected);
  }
  if (recvT.k === "vec" || recvT.k === "map" || recvT.k === "set") {
    hintSyncClosureLoops(cx, e, recvT);
    const r = collectionMethod(cx, e, recvT, callee, scope, ctx, m, expected) ?? (recvT.k === "vec" ? vecHelper(cx, e, recvT, callee, scope, ctx, m, expected) : null);
    if (r) return r;
    report(cx, forEachHabit(cx, e, recvT) ?? entriesHabit(cx, e, recvT) ?? vecGetHabit(cx, e, recvT, callee) ?? M.unknownMethod(showType(recvT), callee.name, methodSuggestion(recvT, callee.name, suggest(callee.name, collectionMethodNames(recvT.k)))), callee.nameSpan);
    hintCollectionClosures(cx, e.args, recvT);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  if (recvT.k === "task") return taskMethod(cx, e, callee, recvT, scope, ctx, m, expected);
  if (recvT.k === "builder") {
    const name = callee.name;
    const sigs: Record<string, { params: Type[]; ret: Type }> = {
      append: { params: [T.string], ret: T.unit }, len: { params: [], ret: T.i64 }, toString: { params: [], ret: T.string }, clear: { params: [], ret: T.unit },
    };
    if (name === "append" && e.args.length === 1) {
      // append takes any printable value, as interpolation does
      cx.out.calls.set(e, { kind: "builder", name, recv: callee.target });
      const t = checkExpr(cx, e.args[0], scope, ctx, m, undefined);
      expectShow(cx, t, e.args[0]);
      return T.unit;
    }
    const sig = sigs[name];
    if (!sig) { report(cx, M.unknownMethod("StringBuilder", name, methodSuggestion(recvT, name, suggest(name, Object.keys(sigs)))), callee.nameSpan); return checkArgsLoose(cx, e, scope, ctx, m); }
    cx.out.calls.set(e, { kind: "builder", name, recv: callee.target });
    return inferCall(cx, e, [], new Map(), sig.params, sig.ret, `StringBuilder.${name}`, scope, ctx, m, expected);
  }
  if (recvT.k === "string") {
    const sig = STR_METHODS.get(callee.name as StrMethod);
    if (sig) {
      cx.out.calls.set(e, { kind: "strMethod", name: callee.name as StrMethod, recv: callee.target });
      return inferCall(cx, e, [], new Map(), sig.params, sig.ret, `string.${callee.name}`, scope, ctx, m, expected);
    }
    report(cx, M.unknownMethod("string", callee.name, methodSuggestion(recvT, callee.name, suggest(callee.name, [...STR_METHODS.keys()]))), callee.nameSpan);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  const helper = valueHelper(cx, e, recvT, callee, scope, ctx, m, expected);
  if (helper) return helper;
  if (recvT.k === "struct") {
    const field = fieldTypes(recvT).find((x) => x.name === callee.name);
    if (field && field.type.k === "fn") {
      record(cx, callee, field.type);
      return fnValueCall(cx, e, field.type, callee, scope, ctx, m, expected);
    }
    if (field) {
      report(cx, M.notCallable(showType(field.type)), callee.span);
      return checkArgsLoose(cx, e, scope, ctx, m);
    }
  }
  const unknown = recvT.k === "param" ? { ...M.noMethodOnParam(recvT.p.name, callee.name), fix: paramBoundFix(cx, recvT.p, callee.name) }
    : M.unknownMethod(showType(recvT), callee.name, recvT.k === "struct" || recvT.k === "enum" ? suggest(callee.name, [...recvT.info.methods.keys(), ...helperNames(recvT, recvT.info === cx.resultEnum)])
      : suggest(callee.name, helperNames(recvT, false)));
  if (recvT.k === "struct" && recvT.info.name === "Request" && recvT.info.module.isStd && callee.name === "json" && !unknown.fix) {
    const ty = e.typeArgs.length === 1 ? sourceText(cx, e.typeArgs[0].span) : "T";
    unknown.fix = `decode the body with std/json: \`json.decode<${ty}>(${postfixOperand(sourceText(cx, callee.target.span))}.body)\`${m.imports.has("json") ? "" : " (with `import std/json`)"}, which gives a \`Result\``;
  }
  if (recvT.k === "enum" && recvT.info === cx.resultEnum && !unknown.fix) {
    // `fs.readFile(p).len()`: the value is inside `Ok`.
    const x = postfixOperand(sourceText(cx, callee.target.span));
    unknown.fix = `a \`Result\` holds the value only when it is \`Ok\`: pass the error on with \`?\` (\`${x}?.${callee.name}(...)\`, in a function that returns \`Result\`), or test it: \`match ${x} { Ok(v) => ... v.${callee.name}(...) ..., Err(e) => ... }\``;
  }
  if (recvT.k === "optional" && !unknown.fix) unknown.fix = `unwrap it first: \`x!.${callee.name}(...)\`, \`if let v = x { v.${callee.name}(...) }\` or \`(x ?? default).${callee.name}(...)\``;
  report(cx, unknown, callee.nameSpan);
  return checkArgsLoose(cx, e, scope, ctx, m);
}

/** E0235's fix: the bound naming the program's trait(s) that declare the method. */
function paramBoundFix(cx: CheckContext, p: TypeParamInfo, method: string): string {
  // `self` in a trait's default body: the implementing type, known only through the trait.
  if (p.name === "Self" && p.bounds.length === 1) {
    const tr = p.bounds[0];
    const near = suggest(method, [...tr.methods.keys()]);
    return `${near ? `did you mean \`${near}\`? ` : ""}a default body can call on \`self\` the methods \`${tr.name}\` declares (${[...tr.methods.keys()].map((n) => `\`${n}\``).join(", ")}); declare \`${method}\` in \`${tr.name}\` to use it`;
  }
  const traits = cx.allTraits.filter((t) => t.methods.has(method) && !p.bounds.includes(t)).map((t) => `\`${p.name}: ${t.name}\``);
  if (traits.length) return `add a bound that provides it: ${traits.length === 1 ? traits[0] : `${traits.slice(0, -1).join(", ")} or ${traits[traits.length - 1]}`}`;
  return `no trait in this program declares \`${method}\`: declare one (\`trait Has${method[0].toUpperCase()}${method.slice(1)} { fn ${method}(self) ... }\`), implement it for the types, and bound \`${p.name}\` by it`;
}

/** A `mut self` method needs a receiver that may be written. */
function checkMutReceiver(cx: CheckContext, recv: A.Expr, method: string): void {
  const root = placeRoot(cx, recv);
  if (!root) { report(cx, M.mutMethodOnTemporary(method), recv.span); return; }
  const ref = cx.out.refs.get(root);
  if (!ref) return;
  if (ref.kind === "local" && !ref.v.mutable) {
    const d = at(M.mutMethodOnImmutable(ref.v.name, method), recv.span, { message: `\`${ref.v.name}\` is declared here`, span: ref.v.span });
    if (ref.v.kind === "self") d.fix = "declare this method with `mut self` too";
    else if (ref.v.kind === "for") d.fix = loopVarMutFix(cx, ref.v, method) ?? d.fix;
    else if (ref.v.kind === "param") d.fix = `copy it into a variable first: \`var ${ref.v.name}2 = ${ref.v.name}\``;
    cx.diags.push(d);
  } else if (ref.kind === "global" && !ref.g.mutable) {
    report(cx, M.mutMethodOnImmutable(ref.g.name, method), recv.span);
  }
}

function builtinCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, name: Builtin, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
  cx.out.calls.set(e, { kind: "builtin", name });
  const args = e.args;
  switch (name) {
    case "print": case "println": case "eprint": case "eprintln": {
      const max = 1;
      const min = name === "println" || name === "eprintln" ? 0 : 1;
      if (args.length < min || args.length > max) {
        report(cx, { ...M.argCount(name, max, args.length, min), fix: args.length > 1 ? "interpolate several values into one string: `\"{a} {b}\"`" : undefined }, e.span);
      }
      for (const a of args) { const t = checkExpr(cx, a, scope, ctx, m, undefined); expectShow(cx, t, a); }
      return T.unit;
    }
    case "assert": {
      if (args.length < 1 || args.length > 2) report(cx, { ...M.argCount("assert", 1, args.length), message: `\`assert\` takes a condition and an optional message, but ${args.length} arguments were given` }, e.span);
      if (args[0]) { const t = checkExpr(cx, args[0], scope, ctx, m, T.bool); expectCond(cx, t, args[0]); }
      if (args[1]) { const t = checkExpr(cx, args[1], scope, ctx, m, T.string); expectAssignable(cx, T.string, t, args[1]); }
      for (const a of args.slice(2)) checkExpr(cx, a, scope, ctx, m, undefined);
      return T.unit;
    }
    case "panic": {
      if (args.length !== 1) report(cx, M.argCount("panic", 1, args.length), e.span);
      for (const a of args) { const t = checkExpr(cx, a, scope, ctx, m, undefined); expectShow(cx, t, a); }
      return T.never;
    }
  }
}

/** Does t mention one of vars that `map` has not bound yet? */
export function mentions(t: Type, vars: TypeParamInfo[], map: Map<TypeParamInfo, Type>): boolean {
  return vars.some((v) => !map.has(v) && mentionsParam(t, v));
}

function mentionsParam(t: Type, v: TypeParamInfo): boolean {
  switch (t.k) {
    case "param": return t.p === v;
    case "struct": case "enum": return t.args.some((x) => mentionsParam(x, v));
    case "optional": case "task": return mentionsParam(t.inner, v);
    case "tuple": return t.elems.some((x) => mentionsParam(x, v));
    case "fn": return t.params.some((x) => mentionsParam(x, v)) || mentionsParam(t.ret, v);
    case "vec": case "set": return mentionsParam(t.elem, v);
    case "map": return mentionsParam(t.key, v) || mentionsParam(t.val, v);
    default: return false;
  }
}

/** Whether a function's body names `self` (outside closures' own bodies too: a closure captures it). */
function usesSelf(f: FnInfo): boolean {
  if (!f.decl.body) return false;
  let found = false;
  walkBlock(f.decl.body, (x) => { if (x.kind === "Ident" && x.name === "self") found = true; });
  return found;
}

/** `v.get(i)` on a Vec (Java's, Rust's `get`): index it, or take `first()`. */
function vecGetHabit(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recvT: Type, callee: Extract<A.Expr, { kind: "Field" }>): Message | null {
  if (recvT.k !== "vec" || callee.name !== "get" || e.args.length !== 1) return null;
  const v = postfixOperand(sourceText(cx, callee.target.span)), i = sourceText(cx, e.args[0].span);
  const first = i === "0" ? `, or \`${v}.first()\` for an optional (\`none\` when it is empty)` : `; test \`${i} < ${v}.len()\` first where it may be out of range`;
  return { ...M.unknownMethod(showType(recvT), "get"), fix: `index it: \`${v}[${i}]\` (bounds-checked: out of range panics)${first}` };
}
