// The type checker's entry: resolves every name, gives every expression a type,
// and reports what is wrong with the program (collecting diagnostics and going
// on, with a poison type to keep one mistake from causing a cascade). Its
// output, the TypedProgram, is what the later stages read. The passes live in
// the files beside it, one per concern (docs/compiler.md lists them).

import type * as A from "../syntax/ast.js";
import type { LoadedProgram } from "../syntax/modules.js";
import { at, type Diagnostic, type Message } from "../diagnostics.js";
import { M } from "../messages.js";
import { T, typeEq, showType, hasEq, hasOrd, hasShow, intRange, isSigned, subst, containsError, argMap, fieldTypes, unifyTypes, findImpl, satisfiesTrait, type Type, type IntName, type ModuleInfo, type StructInfo, type FnInfo, type TypedProgram, type Builtin, type StrMethod, type EnumInfo, type TraitInfo, type TypeParamInfo, type VariantInfo } from "./types.js";
import { suggest } from "./suggest.js";
import { PRIMS, declareNames, typeParams, makePrelude, resolveSignatures, checkRecursiveStructs, resolveType, keyType, checkBounds, importAliasFailed } from "./declarations.js";
import { type FnCtx, Scope, isNumLit, report, record, type CheckContext, newContext } from "./context.js";
import { checkBodies, useGlobal, checkBlock, checkStmt, regionType, placeRoot } from "./statements.js";
import { bindPattern, matchType } from "./patterns.js";
import { asyncCallee, awaitType, spawnType, asyncMismatchFix } from "./async.js";
import { closureType } from "./closures.js";

export function check(program: LoadedProgram, opts: { requireMain: boolean }): { value: TypedProgram; diagnostics: Diagnostic[] } {
  const cx = newContext(program);
  run(cx, opts.requireMain);
  return { value: cx.out, diagnostics: cx.diags };
}

export const BUILTINS: ReadonlySet<string> = new Set<Builtin>(["print", "println", "eprint", "eprintln", "assert", "panic"]);

export interface StrMethodSig { params: Type[]; ret: Type }

export const STR_METHODS: ReadonlyMap<StrMethod, StrMethodSig> = new Map<StrMethod, StrMethodSig>([
  ["len", { params: [], ret: T.i64 }],
  ["isEmpty", { params: [], ret: T.bool }],
  ["trim", { params: [], ret: T.string }],
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
]);

export const MATH_FNS: ReadonlyMap<string, number> = new Map([
  ["sqrt", 1], ["cbrt", 1], ["sin", 1], ["cos", 1], ["tan", 1], ["asin", 1], ["acos", 1], ["atan", 1], ["atan2", 2],
  ["exp", 1], ["log", 1], ["log2", 1], ["log10", 1], ["pow", 2], ["floor", 1], ["ceil", 1], ["round", 1], ["trunc", 1],
  ["hypot", 2], ["abs", 1], ["min", 2], ["max", 2],
]);

export const MATH_CONSTS: ReadonlyMap<string, number> = new Map([["PI", Math.PI], ["E", Math.E], ["TAU", 2 * Math.PI]]);

export interface CollSig { params: Type[]; ret: Type; needs?: "Ord" | "Eq" | "Show"; vars?: TypeParamInfo[] }

export const COLL_METHODS = {
  vec: ["push", "pop", "len", "isEmpty", "insert", "remove", "sort", "contains", "indexOf", "join", "slice", "reversed", "enumerate", "clear", "map", "filter", "sortBy"],
  map: ["get", "set", "has", "delete", "len", "isEmpty", "keys", "values", "clear"],
  set: ["insert", "has", "delete", "len", "isEmpty", "values", "clear"],
};

export function collectionMethodNames(k: "vec" | "map" | "set"): string[] { return COLL_METHODS[k]; }

/** Signatures of the built-in collection methods (closure-taking ones come with closures). */
export function collectionSig(t: Extract<Type, { k: "vec" | "map" | "set" }>, name: string): CollSig | null {
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

function run(cx: CheckContext, requireMain: boolean): void {
  // Pass 1: modules and their top-level names.
  let id = 0;
  for (const lm of cx.program.modules) {
    const isEntry = lm.file === cx.program.entry;
    const prefix = isEntry ? "" : lm.alias.replace(/[^A-Za-z0-9_]/g, "_") + (id === 0 ? "" : String(id)) + "__";
    const mi: ModuleInfo = {
      id: id++, file: lm.file, alias: lm.alias, isEntry, isStd: lm.isStd, prefix, ast: lm.ast,
      imports: new Map(), fns: new Map(), structs: new Map(), enums: new Map(), traits: new Map(), globals: new Map(),
    };
    cx.modules.push(mi);
    cx.byFile.set(lm.file, mi);
  }
  for (const lm of cx.program.modules) {
    const mi = cx.byFile.get(lm.file)!;
    for (const [alias, file] of lm.imports) {
      const target = cx.byFile.get(file);
      if (target) mi.imports.set(alias, target);
    }
  }
  cx.out.modules = cx.modules;
  cx.out.entry = cx.modules.find((m) => m.isEntry) ?? cx.modules[cx.modules.length - 1];
  makePrelude(cx);
  for (const m of cx.modules) declareNames(cx, m);
  // Pass 2: signatures (types of fields, params, globals).
  for (const m of cx.modules) resolveSignatures(cx, m);
  checkRecursiveStructs(cx);
  // Pass 3: bodies.
  for (const m of cx.modules) checkBodies(cx, m);
  if (cx.out.entry) {
    const main = cx.out.entry.fns.get("main");
    if (main) {
      cx.out.main = main;
      if (main.params.length > 0 || main.ret.k !== "unit") report(cx, M.badMain(), main.decl.nameSpan);
    } else if (requireMain) {
      report(cx, M.noMain(), { file: cx.out.entry.file, start: 0, end: 0, line: 1, col: 1 });
    }
  }
}

export function expectCond(cx: CheckContext, t: Type, e: A.Expr): void {
  if (t.k === "optional") report(cx, { ...M.conditionNotBool(showType(t)), fix: "test for a value with `if let v = x { ... }` or `x != none`" }, e.span);
  else if (t.k !== "bool" && t.k !== "error" && t.k !== "never") report(cx, M.conditionNotBool(showType(t)), e.span);
}

/** Reports if a value of type `found` cannot be stored where `expected` is wanted. */
export function expectAssignable(cx: CheckContext, expected: Type, found: Type, e: A.Expr): boolean {
  if (assignable(cx, expected, found)) return true;
  let fix: string | undefined;
  if (expected.k === "float" && found.k === "int") fix = `convert it: \`(...) as ${showType(expected)}\``;
  else if (expected.k === "int" && (found.k === "int" || found.k === "float")) fix = `convert it: \`(...) as ${showType(expected)}\``;
  else if (expected.k === "string" && found.k !== "unit") fix = "interpolate it: `\"{x}\"`";
  else if (found.k === "optional" && typeEq(found.inner, expected)) fix = "unwrap it with `!`, or give a default with `?? value`";
  else if (expected.k === "fn" && found.k === "fn" && !expected.async !== !found.async) fix = asyncMismatchFix(expected, found);
  report(cx, M.mismatch(showType(expected), showType(found), fix), e.span);
  return false;
}

export function assignable(cx: CheckContext, expected: Type, found: Type): boolean {
  if (expected.k === "error" || found.k === "error" || found.k === "never") return true;
  if (typeEq(expected, found)) return true;
  if (expected.k === "optional" && assignable(cx, expected.inner, found) && found.k !== "optional") return true;
  return false;
}

export function concreteOrReport(cx: CheckContext, t: Type, e: A.Expr): Type {
  if (t.k === "unit") { report(cx, M.unitValue(), e.span); return T.error; }
  if (t.k === "never") return T.error;
  return t;
}

/** `awaited`: the expression is a call in a position that awaits or spawns it, so an async callee is fine. */
export function checkExpr(cx: CheckContext, e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt = false, awaited = false): Type {
  return record(cx, e, exprType(cx, e, scope, ctx, m, expected, stmt, awaited));
}

export function exprType(cx: CheckContext, e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean, awaited: boolean): Type {
  switch (e.kind) {
    case "IntLit": return intLit(cx, e.value, e.text, e, expected);
    case "FloatLit": return expected?.k === "float" ? expected : (expected?.k === "optional" && expected.inner.k === "float" ? expected.inner : T.f64);
    case "BoolLit": return T.bool;
    case "StrLit": {
      for (const p of e.parts) {
        if (p.kind === "interp") {
          const t = checkExpr(cx, p.expr, scope, ctx, m, undefined);
          expectShow(cx, t, p.expr);
        }
      }
      return T.string;
    }
    case "NoneLit": {
      if (expected?.k === "optional") return expected;
      if (expected?.k === "error") return T.error;
      if (expected) { report(cx, M.mismatch(showType(expected), "none", "only optional types (`T?`) can be `none`"), e.span); return T.error; }
      report(cx, M.cannotInfer("`none`", "give the variable a type, e.g. `var x: int? = none`"), e.span);
      return T.error;
    }
    case "Ident": return identType(cx, e, scope, ctx, m, expected);
    case "Unary": return unaryType(cx, e, scope, ctx, m, expected);
    case "Binary": return binaryType(cx, e, scope, ctx, m, expected);
    case "Call": {
      const t = callType(cx, e, scope, ctx, m, expected, stmt);
      const name = asyncCallee(cx, e);
      if (name !== null && !awaited) report(cx, M.asyncCallNotAwaited(name || null), e.span);
      return t;
    }
    case "Field": return fieldType(cx, e, scope, ctx, m, expected);
    case "Cast": return castType(cx, e, scope, ctx, m);
    case "Unwrap": {
      const t = checkExpr(cx, e.operand, scope, ctx, m, expected ? T.optional(expected) : undefined);
      if (t.k === "error") return T.error;
      if (t.k !== "optional") { report(cx, M.notOptional("!", showType(t)), e.span); return T.error; }
      return t.inner;
    }
    case "StructLit": return structLitType(cx, e, scope, ctx, m, expected);
    case "If": return ifType(cx, e, scope, ctx, m, expected, stmt);
    case "IfLet": return ifLetType(cx, e, scope, ctx, m, expected, stmt);
    case "BlockExpr": {
      const t = blockValue(cx, e.block, new Scope(scope), ctx, m, expected, stmt);
      return t;
    }
    case "TupleLit": {
      if (e.elems.length === 0) return T.unit;
      const want = expected?.k === "tuple" && expected.elems.length === e.elems.length ? expected.elems : undefined;
      const elems = e.elems.map((x, i) => {
        const t = checkExpr(cx, x, scope, ctx, m, want?.[i]);
        if (want) expectAssignable(cx, want[i], t, x);
        return want && t.k !== "error" ? want[i] : t;
      });
      if (elems.some((x) => x.k === "error")) return T.error;
      for (const [i, x] of elems.entries()) if (x.k === "unit" || x.k === "never") { report(cx, M.unitValue(), e.elems[i].span); return T.error; }
      return T.tuple(elems);
    }
    case "TupleIndex": {
      const t = checkExpr(cx, e.target, scope, ctx, m, undefined);
      if (t.k === "error") return T.error;
      if (t.k !== "tuple") { report(cx, M.noFields(showType(t)), e.span); return T.error; }
      if (e.index >= t.elems.length) { report(cx, M.tupleIndex(e.index, showType(t)), e.span); return T.error; }
      return t.elems[e.index];
    }
    case "Index": return indexType(cx, e, scope, ctx, m);
    case "Try": return tryType(cx, e, scope, ctx, m);
    case "VecLit": return vecLitType(cx, e, scope, ctx, m, expected);
    case "MapLit": return mapLitType(cx, e, scope, ctx, m, expected);
    case "Range": report(cx, M.unsupported("ranges outside `for` loops"), e.span); return T.error;
    case "Match": return matchType(cx, e, scope, ctx, m, expected, stmt);
    case "Closure": return closureType(cx, e, scope, ctx, m, expected);
    case "Await": return awaitType(cx, e, scope, ctx, m, expected);
    case "Spawn": return spawnType(cx, e, scope, ctx, m);
    case "RegionExpr": return regionType(cx, e, scope, ctx, m, expected, stmt);
  }
}

export function intLit(cx: CheckContext, value: bigint, text: string, e: A.Expr, expected: Type | undefined): Type {
  let t: Type = T.i64;
  if (expected?.k === "int") t = expected;
  else if (expected?.k === "float") return expected; // an integer literal where a float is expected is that float
  else if (expected?.k === "optional" && expected.inner.k === "int") t = expected.inner;
  else if (expected?.k === "optional" && expected.inner.k === "float") return expected.inner;
  const name = (t as { name: IntName }).name;
  const r = intRange(name);
  if (value < r.min || value > r.max) { report(cx, M.literalRange(text, showType(t)), e.span); return T.error; }
  return t;
}

export function expectShow(cx: CheckContext, t: Type, e: A.Expr): void {
  if (!hasShow(t)) {
    const m = M.notShowable(showType(t));
    if (t.k === "param") m.fix = `add a bound: \`${t.p.name}: Show\``;
    report(cx, m, e.span);
  }
}

export function identType(cx: CheckContext, e: Extract<A.Expr, { kind: "Ident" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const v = scope.lookup(e.name);
  if (v) { cx.out.refs.set(e, { kind: "local", v }); return v.type; }
  const g = m.globals.get(e.name);
  if (g) { cx.out.refs.set(e, { kind: "global", g }); return useGlobal(cx, g, e, ctx); }
  const variant = findVariant(cx, e.name, m, expected, e.span);
  if (variant === "reported") return T.error;
  if (variant) return unitVariant(cx, e, variant.type, variant.variant, expected);
  const f = m.fns.get(e.name);
  if (f) return fnAsValue(cx, e, f, expected);
  if (m.structs.has(e.name) || m.enums.has(e.name)) { report(cx, M.typeNotValue(e.name), e.span); return T.error; }
  if (PRIMS.has(e.name)) { report(cx, { ...M.typeNotValue(e.name), fix: undefined }, e.span); return T.error; }
  if (m.imports.has(e.name) || importAliasFailed(cx, m, e.name)) {
    if (m.imports.has(e.name)) report(cx, M.moduleAsValue(e.name), e.span);
    return T.error;
  }
  if (BUILTINS.has(e.name)) { report(cx, M.unsupported("builtin functions as values"), e.span); return T.error; }
  if (e.name === "self") { report(cx, M.selfOutsideMethod(), e.span); return T.error; }
  const candidates = [...scope.allNames(), ...m.globals.keys(), ...m.fns.keys()];
  report(cx, M.unknownName(e.name, suggest(e.name, candidates)), e.span);
  return T.error;
}

/** A named function used as a value (`list.map(double)`). */
export function fnAsValue(cx: CheckContext, e: A.Expr, f: FnInfo, expected: Type | undefined): Type {
  if (f.decl.async && f.decl.extern && f.ret.k !== "unit") { report(cx, M.unsupported(`\`${f.name}\` as a value`), e.span); return T.error; }
  const ft: Type = { k: "fn", params: f.params.map((p) => p.type), ret: f.ret, ...(f.decl.async ? { async: true } : {}) };
  // A generic function is instantiated by the function type the context expects.
  const map = new Map<TypeParamInfo, Type>();
  if (f.typeParams.length && (expected?.k !== "fn" || !unifyTypes(ft, expected, map, f.typeParams) || f.typeParams.some((p) => !map.has(p)))) {
    report(cx, M.unsupported(`generic function \`${f.name}\` as a value where no function type is expected (give it one: \`let g: ${showType(ft)} = ${f.name}\` with the type arguments filled in)`), e.span);
    return T.error;
  }
  for (const p of f.typeParams) for (const b of p.bounds) if (!satisfiesTrait(map.get(p)!, b)) report(cx, M.missingImpl(b.name, showType(map.get(p)!), f.name), e.span);
  cx.out.refs.set(e, { kind: "fn", f, typeArgs: f.typeParams.map((p) => map.get(p)!) });
  return subst(ft, map);
}

/** A variant named without its enum: from the expected type, else unique among the module's enums. */
export function findVariant(cx: CheckContext, name: string, m: ModuleInfo, expected: Type | undefined, span: A.Span): { type: Extract<Type, { k: "enum" }>; variant: VariantInfo } | "reported" | null {
  const exp = expected?.k === "optional" ? expected.inner : expected;
  if (exp?.k === "enum") {
    const v = exp.info.variants.find((x) => x.name === name);
    if (v) return { type: exp, variant: v };
  }
  const found: { info: EnumInfo; v: VariantInfo }[] = [];
  for (const en of [...m.enums.values(), cx.resultEnum]) {
    const v = en.variants.find((x) => x.name === name);
    if (v) found.push({ info: en, v });
  }
  if (found.length === 0) return null;
  if (found.length > 1) { report(cx, M.ambiguousVariant(name, found.map((f) => f.info.name)), span); return "reported"; }
  const { info, v } = found[0];
  return { type: { k: "enum", info, args: info.typeParams.map((p) => ({ k: "param", p }) as Type) }, variant: v };
}

/** A unit variant used as a value (`Empty`, `Shape.Empty`). */
export function unitVariant(cx: CheckContext, e: A.Expr, t: Extract<Type, { k: "enum" }>, v: VariantInfo, expected?: Type): Type {
  if (expected?.k === "error") return T.error;
  if (v.fields.length) {
    report(cx, M.argCount(v.name, v.fields.length, 0), e.span);
    return T.error;
  }
  if (t.info.typeParams.length && t.args.some((a) => a.k === "param" && t.info.typeParams.includes(a.p))) {
    report(cx, M.cannotInfer(`\`${v.name}\``, `give the variable a type, e.g. \`let x: ${t.info.name}<int> = ${v.name}\``), e.span);
    return T.error;
  }
  cx.out.refs.set(e, { kind: "variant", type: t, variant: v });
  return t;
}

export function unaryType(cx: CheckContext, e: Extract<A.Expr, { kind: "Unary" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  if (e.op === "-" && e.operand.kind === "IntLit") {
    // Fold so that the minimum value of each type is writable.
    const t = intLit(cx, -e.operand.value, "-" + e.operand.text, e, expected);
    record(cx, e.operand, t);
    if (t.k === "int" && !isSigned(t.name)) { report(cx, M.literalRange("-" + e.operand.text, showType(t)), e.span); return T.error; }
    return t;
  }
  const t = checkExpr(cx, e.operand, scope, ctx, m, e.op === "not" ? T.bool : expected);
  if (t.k === "error") return T.error;
  switch (e.op) {
    case "-":
      if ((t.k === "int" && isSigned(t.name)) || t.k === "float") return t;
      break;
    case "not":
      if (t.k === "bool") return t;
      break;
    case "~":
      if (t.k === "int") return t;
      break;
  }
  report(cx, M.unaryType(e.op, showType(t)), e.span);
  return T.error;
}

export function binaryType(cx: CheckContext, e: Extract<A.Expr, { kind: "Binary" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const op = e.op;
  if (op === "and" || op === "or") {
    const l = checkExpr(cx, e.left, scope, ctx, m, T.bool);
    const r = checkExpr(cx, e.right, scope, ctx, m, T.bool);
    if (l.k !== "bool" && l.k !== "error") report(cx, M.binaryTypes(op, showType(l), showType(r)), e.left.span);
    else if (r.k !== "bool" && r.k !== "error") report(cx, M.binaryTypes(op, showType(l), showType(r)), e.right.span);
    return T.bool;
  }
  if (op === "??") {
    const l = checkExpr(cx, e.left, scope, ctx, m, expected ? T.optional(expected) : undefined);
    if (l.k === "error") { checkExpr(cx, e.right, scope, ctx, m, undefined); return T.error; }
    if (l.k !== "optional") { report(cx, M.notOptional("??", showType(l)), e.left.span); checkExpr(cx, e.right, scope, ctx, m, undefined); return T.error; }
    const r = checkExpr(cx, e.right, scope, ctx, m, l.inner);
    if (r.k === "optional" && typeEq(r, l)) return l;
    expectAssignable(cx, l.inner, r, e.right);
    return l.inner;
  }
  const isCmp = op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";
  const isShift = op === "<<" || op === ">>";
  // Literal operands take their type from the other side.
  let l: Type, r: Type;
  const hint = isCmp ? undefined : expected;
  if (isNumLit(e.left) && !isNumLit(e.right)) {
    r = checkExpr(cx, e.right, scope, ctx, m, isShift ? undefined : hint);
    l = checkExpr(cx, e.left, scope, ctx, m, isShift ? hint : (r.k === "optional" ? r.inner : r));
  } else if (e.left.kind === "NoneLit") {
    r = checkExpr(cx, e.right, scope, ctx, m, undefined);
    l = checkExpr(cx, e.left, scope, ctx, m, r.k === "optional" ? r : undefined);
  } else {
    l = checkExpr(cx, e.left, scope, ctx, m, hint);
    // The right operand takes its type from the left (literals, `none`, unqualified variants).
    const rhint = isCmp || l.k === "int" || l.k === "float" || l.k === "string" ? (l.k === "error" ? undefined : l) : undefined;
    r = checkExpr(cx, e.right, scope, ctx, m, rhint);
  }
  return binaryResult(cx, op, l, r, e.span, e.right, e.left.kind === "NoneLit" || e.right.kind === "NoneLit");
}

/** The result type of `l op r`, reporting operand errors. */
export function binaryResult(cx: CheckContext, op: A.BinOp, l: Type, r: Type, span: A.Span, rightExpr: A.Expr, noneTest = false): Type {
  if (l.k === "error" || r.k === "error") return op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=" ? T.bool : T.error;
  const sl = showType(l), sr = showType(r);
  switch (op) {
    case "==": case "!=": {
      if (!typeEq(l, r) && !(l.k === "optional" && assignable(cx, l, r)) && !(r.k === "optional" && assignable(cx, r, l))) {
        report(cx, M.binaryTypes(op, sl, sr), span);
      } else if (!hasEq(l) && !noneTest) report(cx, M.noEq(sl), span); // `x == none` only tests presence
      return T.bool;
    }
    case "<": case "<=": case ">": case ">=":
      if (!typeEq(l, r)) { report(cx, numericMismatch(cx, op, l, r), span); return T.bool; }
      if (!hasOrd(l)) report(cx, M.noOrd(sl), span);
      return T.bool;
    case "+": case "-": case "*": case "/": case "%":
      if (op === "+" && l.k === "string" && r.k === "string") return T.string;
      if ((l.k === "int" || l.k === "float") && typeEq(l, r)) {
        if ((op === "/" || op === "%") && l.k === "int" && rightExpr.kind === "IntLit" && rightExpr.value === 0n) report(cx, M.divisionByZeroConst(), rightExpr.span);
        return l;
      }
      report(cx, numericMismatch(cx, op, l, r), span);
      return T.error;
    case "&": case "|": case "^": case "<<": case ">>":
      if (l.k === "int" && typeEq(l, r)) return l;
      report(cx, M.binaryTypes(op, sl, sr), span);
      return T.error;
    case "and": case "or": case "??":
      return T.error; // handled by the caller
  }
}

export function numericMismatch(cx: CheckContext, op: string, l: Type, r: Type): Message {
  if ((l.k === "int" || l.k === "float") && (r.k === "int" || r.k === "float")) {
    // Suggest the conversion that loses nothing: to the float side, or to the wider integer.
    const wider = (a: Type, b: Type): Type => {
      if (a.k === "float") return b.k === "float" && b.name === "f64" ? b : a;
      if (b.k === "float") return b;
      const ra = intRange((a as { name: IntName }).name), rb = intRange((b as { name: IntName }).name);
      if (ra.min <= rb.min && ra.max >= rb.max) return a;
      if (rb.min <= ra.min && rb.max >= ra.max) return b;
      return T.i64;
    };
    const to = wider(l, r);
    const narrow = typeEq(to, l) ? "right" : typeEq(to, r) ? "left" : "both";
    return { ...M.mixedNumeric(op, showType(l), showType(r)), fix: `convert the ${narrow === "both" ? "operands" : narrow + " side"} explicitly: \`(...) as ${showType(to)}\`` };
  }
  if (op === "+" && (l.k === "string" || r.k === "string")) {
    return M.binaryTypes(op, showType(l), showType(r), "interpolate instead: `\"{a}{b}\"`");
  }
  return M.binaryTypes(op, showType(l), showType(r));
}

export function castType(cx: CheckContext, e: Extract<A.Expr, { kind: "Cast" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
  const to = resolveType(cx, e.type, m, ctx.env);
  const from = checkExpr(cx, e.operand, scope, ctx, m, isNumLit(e.operand) && (to.k === "int" || to.k === "float") ? undefined : undefined);
  if (from.k === "error" || to.k === "error") return to;
  const ok = (from.k === "int" || from.k === "float" || from.k === "bool") && (to.k === "int" || to.k === "float")
    && !(from.k === "bool" && to.k === "float");
  if (!ok && !typeEq(from, to)) { report(cx, M.badCast(showType(from), showType(to)), e.span); return T.error; }
  return to;
}

export function fieldType(cx: CheckContext, e: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  // module.name
  if (e.target.kind === "Ident" && !scope.lookup(e.target.name) && !m.globals.has(e.target.name)) {
    const mod = m.imports.get(e.target.name);
    if (mod) {
      const g = mod.globals.get(e.name);
      if (g) {
        if (!g.pub) report(cx, M.notExported(e.name, mod.alias), e.nameSpan);
        cx.out.refs.set(e, { kind: "global", g });
        return useGlobal(cx, g, e, ctx);
      }
      const mf = mod.fns.get(e.name);
      if (mf) {
        if (!mf.pub) report(cx, M.notExported(e.name, mod.alias), e.nameSpan);
        return fnAsValue(cx, e, mf, expected);
      }
      if (mod.structs.has(e.name)) { report(cx, M.typeNotValue(`${e.target.name}.${e.name}`), e.span); return T.error; }
      report(cx, M.unknownName(`${e.target.name}.${e.name}`, suggest(e.name, [...mod.globals.keys(), ...mod.fns.keys()])), e.nameSpan);
      return T.error;
    }
    if (importAliasFailed(cx, m, e.target.name)) return T.error;
    const en = m.enums.get(e.target.name) ?? (e.target.name === "Result" ? cx.resultEnum : undefined);
    if (en) {
      const v = en.variants.find((x) => x.name === e.name);
      if (!v) { report(cx, M.unknownVariant(en.name, e.name, suggest(e.name, en.variants.map((x) => x.name))), e.nameSpan); return T.error; }
      const exp = expected?.k === "optional" ? expected.inner : expected;
      const t: Extract<Type, { k: "enum" }> = exp?.k === "enum" && exp.info === en ? exp : { k: "enum", info: en, args: en.typeParams.map((p) => ({ k: "param", p }) as Type) };
      return unitVariant(cx, e, t, v);
    }
    if (m.structs.has(e.target.name)) {
      const s = m.structs.get(e.target.name)!;
      if (s.methods.has(e.name)) { report(cx, M.unsupported("functions as values"), e.span); return T.error; }
      report(cx, M.unknownName(`${e.target.name}.${e.name}`, undefined), e.nameSpan);
      return T.error;
    }
  }
  if (e.target.kind === "Ident" && e.target.name === "math" && !scope.lookup("math") && !m.globals.has("math") && !m.imports.has("math")) {
    const c = MATH_CONSTS.get(e.name);
    if (c !== undefined) { cx.out.mathConsts.set(e, c); return T.f64; }
    report(cx, M.unknownName(`math.${e.name}`, suggest(e.name, [...MATH_CONSTS.keys(), ...MATH_FNS.keys()])), e.nameSpan);
    return T.error;
  }
  if (e.target.kind === "Field" && e.target.target.kind === "Ident" && !scope.lookup(e.target.target.name) && !m.globals.has(e.target.target.name)) {
    const mod = m.imports.get(e.target.target.name);
    const en = mod?.enums.get(e.target.name);
    if (mod && en) {
      if (!en.pub) report(cx, M.notExported(en.name, mod.alias), e.target.nameSpan);
      const v = en.variants.find((x) => x.name === e.name);
      if (!v) { report(cx, M.unknownVariant(en.name, e.name, suggest(e.name, en.variants.map((x) => x.name))), e.nameSpan); return T.error; }
      const exp = expected?.k === "optional" ? expected.inner : expected;
      const et: Extract<Type, { k: "enum" }> = exp?.k === "enum" && exp.info === en ? exp : { k: "enum", info: en, args: en.typeParams.map((p) => ({ k: "param", p }) as Type) };
      return unitVariant(cx, e, et, v);
    }
  }
  const t = checkExpr(cx, e.target, scope, ctx, m, undefined);
  if (t.k === "error") return T.error;
  if (t.k === "struct") {
    const f = fieldTypes(t).find((x) => x.name === e.name);
    if (f) return f.type;
    if (t.info.methods.has(e.name)) { report(cx, M.methodNotField(showType(t), e.name), e.nameSpan); return T.error; }
    report(cx, M.unknownField(showType(t), e.name, suggest(e.name, t.info.fields.map((x) => x.name))), e.nameSpan);
    return T.error;
  }
  if (t.k === "string" && STR_METHODS.has(e.name as StrMethod)) {
    report(cx, M.methodNotField("string", e.name), e.nameSpan);
    return T.error;
  }
  report(cx, M.noFields(showType(t)), e.nameSpan);
  return T.error;
}

export function structLitType(cx: CheckContext, e: Extract<A.Expr, { kind: "StructLit" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  // A generic struct written without type arguments has them inferred from its fields.
  let info: StructInfo | undefined;
  if (!e.typeArgs.length && e.path.length <= 2) {
    const mod = e.path.length === 2 ? m.imports.get(e.path[0]) : m;
    const cand = mod?.structs.get(e.path[e.path.length - 1]);
    if (cand && cand.typeParams.length) info = cand;
  }
  let t: Type;
  if (info) {
    const exp = expected?.k === "optional" ? expected.inner : expected;
    t = exp?.k === "struct" && exp.info === info ? exp : { k: "struct", info, args: info.typeParams.map((p) => ({ k: "param", p }) as Type) };
  } else {
    t = resolveType(cx, { kind: "TName", span: e.span, path: e.path, args: e.typeArgs }, m, ctx.env);
  }
  if (t.k !== "struct") {
    if (t.k !== "error") report(cx, M.noFields(showType(t)), e.span);
    for (const f of e.fields) checkExpr(cx, f.value, scope, ctx, m, undefined);
    return T.error;
  }
  const s = t.info;
  const vars = info ? s.typeParams.filter((p, i) => { const a = (t as { args: Type[] }).args[i]; return a.k === "param" && a.p === p; }) : [];
  const map = new Map<TypeParamInfo, Type>();
  const given = new Set<string>();
  for (const f of e.fields) {
    const fi = s.fields.find((x) => x.name === f.name);
    if (given.has(f.name)) report(cx, M.duplicateField(f.name), f.span);
    given.add(f.name);
    if (!fi) {
      report(cx, M.unknownField(s.name, f.name, suggest(f.name, s.fields.map((x) => x.name))), f.span);
      checkExpr(cx, f.value, scope, ctx, m, undefined);
      continue;
    }
    const declared = subst(fi.type, argMap(s.typeParams, t.args));
    if (vars.length && mentions(declared, vars, map)) {
      const vt = checkExpr(cx, f.value, scope, ctx, m, undefined);
      if (!unifyTypes(declared.k === "optional" && vt.k !== "optional" ? declared.inner : declared, vt, map, vars)) report(cx, M.mismatch(showType(subst(declared, map)), showType(vt)), f.value.span);
    } else {
      const want = subst(declared, map);
      const vt = checkExpr(cx, f.value, scope, ctx, m, want);
      expectAssignable(cx, want, vt, f.value);
    }
  }
  const unknownGiven = e.fields.some((f) => !s.fields.some((x) => x.name === f.name));
  const missing = s.fields.filter((f) => !given.has(f.name) && f.type.k !== "optional").map((f) => f.name);
  if (missing.length && !unknownGiven) report(cx, M.missingFields(s.name, missing), e.span);
  if (vars.length) {
    const unbound = vars.find((v) => !map.has(v));
    if (unbound) { report(cx, M.cannotInferTypeArg(unbound.name, s.name), e.span); return T.error; }
    t = { k: "struct", info: s, args: t.args.map((a) => subst(a, map)) };
    if (t.args.some(containsError)) return T.error;
    checkBounds(cx, t, s.typeParams, e.span);
  }
  cx.out.structLits.set(e, t);
  return t;
}

/** Element type of an iterable for `for x in e`. */
export function iterElem(cx: CheckContext, t: Type, span: A.Span): Type {
  switch (t.k) {
    case "vec": case "set": return t.elem;
    case "map": return T.tuple([t.key, t.val]);
    case "string": report(cx, { ...M.notIterable("string"), fix: "iterate over `s.chars()` or `s.bytes()`" }, span); return T.error;
    case "error": return T.error;
    default: report(cx, M.notIterable(showType(t)), span); return T.error;
  }
}

export function vecLitType(cx: CheckContext, e: Extract<A.Expr, { kind: "VecLit" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  if (expected?.k === "error") { for (const x of e.elems) checkExpr(cx, x, scope, ctx, m, undefined); return T.error; }
  const exp = expected?.k === "optional" ? expected.inner : expected;
  let elem: Type | undefined = exp?.k === "vec" || exp?.k === "set" ? exp.elem : undefined;
  for (const x of e.elems) {
    const t = checkExpr(cx, x, scope, ctx, m, elem);
    if (elem) expectAssignable(cx, elem, t, x);
    else if (t.k !== "error" && t.k !== "never") elem = t;
  }
  if (!elem) {
    if (e.elems.length) return T.error;
    report(cx, M.cannotInfer("`[]`", "give the variable a type, e.g. `let v: Vec<int> = []`"), e.span);
    return T.error;
  }
  if (elem.k === "unit") { report(cx, M.unitValue(), e.span); return T.error; }
  return exp?.k === "set" ? { k: "set", elem } : T.vec(elem);
}

export function mapLitType(cx: CheckContext, e: Extract<A.Expr, { kind: "MapLit" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  if (expected?.k === "error") { for (const x of e.entries) { checkExpr(cx, x.key, scope, ctx, m, undefined); checkExpr(cx, x.value, scope, ctx, m, undefined); } return T.error; }
  const exp = expected?.k === "optional" ? expected.inner : expected;
  if (exp?.k === "set" && e.entries.length === 0) return exp;
  if (exp?.k === "vec" && e.entries.length === 0) return exp;
  let key: Type | undefined = exp?.k === "map" ? exp.key : undefined;
  let val: Type | undefined = exp?.k === "map" ? exp.val : undefined;
  for (const en of e.entries) {
    const kt = checkExpr(cx, en.key, scope, ctx, m, key);
    if (key) expectAssignable(cx, key, kt, en.key); else if (kt.k !== "error") key = kt;
    const vt = checkExpr(cx, en.value, scope, ctx, m, val);
    if (val) expectAssignable(cx, val, vt, en.value); else if (vt.k !== "error" && vt.k !== "never") val = vt;
  }
  if (!key || !val) {
    if (e.entries.length) return T.error;
    report(cx, M.cannotInfer("`{}`", "give the variable a type, e.g. `var m: Map<string, int> = {}`"), e.span);
    return T.error;
  }
  if (!exp && !keyType(cx, key, e.span)) return T.error;
  return { k: "map", key, val };
}

export function indexType(cx: CheckContext, e: Extract<A.Expr, { kind: "Index" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
  const t = checkExpr(cx, e.target, scope, ctx, m, undefined);
  if (t.k === "vec") {
    const it = checkExpr(cx, e.index, scope, ctx, m, T.i64);
    expectAssignable(cx, T.i64, it, e.index);
    return t.elem;
  }
  if (t.k === "map") {
    const kt = checkExpr(cx, e.index, scope, ctx, m, t.key);
    expectAssignable(cx, t.key, kt, e.index);
    return t.val;
  }
  checkExpr(cx, e.index, scope, ctx, m, undefined);
  if (t.k === "string") { report(cx, { ...M.indexType("string"), fix: "use `s.slice(i, i + 1)` or `s.bytes()[i]`" }, e.span); return T.error; }
  if (t.k !== "error") report(cx, M.indexType(showType(t)), e.span);
  return T.error;
}

/** `Vec()`, `Map()`, `Set()`, typed from type arguments or the expected type. */
export function collectionCtor(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, name: string, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
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
export function collectionMethod(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recvT: Extract<Type, { k: "vec" | "map" | "set" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type | null {
  const name = callee.name;
  const sig = collectionSig(recvT, name);
  if (!sig) return null;
  if (sig.needs === "Ord" && !hasOrd(recvT.k === "map" ? recvT.key : (recvT as { elem: Type }).elem)) {
    report(cx, M.noOrd(showType((recvT as { elem: Type }).elem)), callee.nameSpan);
  }
  if (sig.needs === "Eq" && !hasEq((recvT as { elem: Type }).elem)) report(cx, M.noEq(showType((recvT as { elem: Type }).elem)), callee.nameSpan);
  if (sig.needs === "Show" && !hasShow((recvT as { elem: Type }).elem)) report(cx, M.notShowable(showType((recvT as { elem: Type }).elem)), callee.nameSpan);
  cx.out.calls.set(e, { kind: "collection", name, recv: callee.target });
  const vars = sig.vars ?? [];
  return inferCall(cx, e, vars, new Map(), sig.params, sig.ret, `${showType(recvT)}.${name}`, scope, ctx, m, expected);
}

export function tryType(cx: CheckContext, e: Extract<A.Expr, { kind: "Try" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
  const t = checkExpr(cx, e.operand, scope, ctx, m, undefined);
  if (ctx.infer && ctx.infer.ret === null && t.k !== "error") {
    // Which `?` is allowed depends on the result type, not known yet.
    ctx.infer.pendingTries.push({ e, operand: t });
    if (t.k === "optional") return t.inner;
    if (t.k === "enum" && t.info === cx.resultEnum) return t.args[0];
  }
  return tryResult(cx, e, t, ctx);
}

/** The value of `e?` with operand type t, reporting a `?` the enclosing result type does not allow. */
export function tryResult(cx: CheckContext, e: Extract<A.Expr, { kind: "Try" }>, t: Type, ctx: FnCtx): Type {
  if (t.k === "error") return T.error;
  const ret = ctx.ret;
  if (t.k === "optional") {
    if (ret.k !== "optional" && ret.k !== "error") { report(cx, M.tryOutsideResult(ctx.name), e.span); return T.error; }
    return t.inner;
  }
  if (t.k !== "enum" || t.info !== cx.resultEnum) { report(cx, M.notOptional("?", showType(t)), e.span); return T.error; }
  if (ret.k === "error") return t.args[0];
  if (ret.k !== "enum" || ret.info !== cx.resultEnum || (!ctx.fn && !ctx.closure)) { report(cx, M.tryOutsideResult(ctx.name), e.span); return T.error; }
  if (!typeEq(ret.args[1], t.args[1]) && t.args[1].k !== "error" && ret.args[1].k !== "error") {
    report(cx, M.tryErrorMismatch(showType(t.args[1]), showType(ret.args[1])), e.span);
    return T.error;
  }
  return t.args[0];
}

export function ifType(cx: CheckContext, e: Extract<A.Expr, { kind: "If" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  const ct = checkExpr(cx, e.cond, scope, ctx, m, T.bool);
  expectCond(cx, ct, e.cond);
  return branches(cx, e, e.then, e.else_, new Scope(scope), scope, ctx, m, expected, stmt);
}

export function ifLetType(cx: CheckContext, e: Extract<A.Expr, { kind: "IfLet" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  const vt = checkExpr(cx, e.value, scope, ctx, m, undefined);
  const inner = new Scope(scope);
  if (vt.k === "optional") bindPattern(cx, e.pattern, vt.inner, false, "let", inner);
  else {
    if (vt.k !== "error") report(cx, M.notOptional("if let", showType(vt)), e.value.span);
    bindPattern(cx, e.pattern, T.error, false, "let", inner);
  }
  return branches(cx, e, e.then, e.else_, new Scope(inner), scope, ctx, m, expected, stmt);
}

/** The two arms of an if / if-let; as a statement (stmt) their values are ignored. */
export function branches(cx: CheckContext, e: A.Expr, then: A.Block, else_: A.Block | A.Expr | null, thenScope: Scope, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  if (stmt) {
    const a = checkBlock(cx, then, thenScope, ctx, m);
    if (!else_) return T.unit;
    const b = else_.kind === "Block" ? checkBlock(cx, else_, new Scope(scope), ctx, m) : { diverges: checkExpr(cx, else_, scope, ctx, m, undefined, true).k === "never" };
    return a.diverges && b.diverges ? T.never : T.unit;
  }
  if (!else_) {
    report(cx, M.ifWithoutElse(), e.span);
    checkBlock(cx, then, thenScope, ctx, m);
    return T.error;
  }
  const a = blockValue(cx, then, thenScope, ctx, m, expected, false);
  const want = expected ?? (a.k !== "never" && a.k !== "error" ? a : undefined);
  const b = else_.kind === "Block" ? blockValue(cx, else_, new Scope(scope), ctx, m, want, false) : checkExpr(cx, else_, scope, ctx, m, want);
  if (a.k === "never") return b;
  if (b.k === "never") return a;
  if (a.k === "error" || b.k === "error") return T.error;
  if (expected && assignable(cx, expected, a) && assignable(cx, expected, b)) return expected;
  if (typeEq(a, b)) return a;
  if (a.k === "optional" && assignable(cx, a, b)) return a;
  if (b.k === "optional" && assignable(cx, b, a)) return b;
  const span = else_.kind === "Block" ? lastExprSpan(cx, else_) : else_.span;
  report(cx, M.mismatch(showType(a), showType(b), "both branches of an `if` value must have the same type"), span);
  return T.error;
}

export function lastExprSpan(cx: CheckContext, b: A.Block): A.Span {
  const last = b.stmts[b.stmts.length - 1];
  return last ? last.span : b.span;
}

/** Type of a block used as a value: its last expression statement. */
export function blockValue(cx: CheckContext, b: A.Block, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  const stmts = b.stmts;
  let diverges = false;
  let warned = false;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    if (diverges && !warned) { report(cx, M.unreachable(), s.span); warned = true; }
    if (i === stmts.length - 1 && s.kind === "ExprStmt" && !stmt) {
      const t = checkExpr(cx, s.expr, scope, ctx, m, expected);
      return diverges ? T.never : t;
    }
    if (checkStmt(cx, s, scope, ctx, m).diverges) diverges = true;
  }
  if (diverges) return T.never;
  if (!stmt) { report(cx, M.unitValue(), stmts.length ? stmts[stmts.length - 1].span : b.span); return T.error; }
  return T.unit;
}

export function checkArgsLoose(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, awaited = false): Type {
  for (const a of e.args) checkExpr(cx, a, scope, ctx, m, undefined, false, awaited);
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
    if (callee.name === "all") {
      report(cx, M.allArgs(), callee.span);
      return checkArgsLoose(cx, e, scope, ctx, m, true); // one error, not one per argument
    }
    const candidates = [...scope.allNames(), ...m.globals.keys(), ...m.fns.keys(), ...BUILTINS];
    report(cx, M.unknownName(callee.name, suggest(callee.name, candidates)), callee.span);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  if (callee.kind === "Field") {
    if (callee.target.kind === "Ident" && !scope.lookup(callee.target.name) && !m.globals.has(callee.target.name)) {
      const mod = m.imports.get(callee.target.name);
      if (mod) {
        const f = mod.fns.get(callee.name);
        if (f) {
          if (!f.pub) report(cx, M.notExported(f.name, mod.alias), callee.nameSpan);
          return callFn(cx, e, f, [], scope, ctx, m, expected, `${mod.alias}.${f.name}`);
        }
        report(cx, M.unknownName(`${callee.target.name}.${callee.name}`, suggest(callee.name, [...mod.fns.keys()])), callee.nameSpan);
        return checkArgsLoose(cx, e, scope, ctx, m);
      }
      if (importAliasFailed(cx, m, callee.target.name)) return checkArgsLoose(cx, e, scope, ctx, m);
      if (callee.target.name === "math") return mathCall(cx, e, callee, scope, ctx, m, expected);
      const s = m.structs.get(callee.target.name);
      if (s) return assocCall(cx, e, s, callee, scope, ctx, m, expected);
      const en = m.enums.get(callee.target.name) ?? (callee.target.name === "Result" ? cx.resultEnum : undefined);
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
export function mathCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
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
export function fnValueCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, t: Extract<Type, { k: "fn" }>, callee: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  cx.out.calls.set(e, { kind: "closure", callee });
  const name = callee.kind === "Ident" ? callee.name : callee.kind === "Field" ? callee.name : "this function value";
  return inferCall(cx, e, [], new Map(), t.params, t.ret, name, scope, ctx, m, expected);
}

/** `Shape.Circle(1.0)` or `Shape.make(...)` on an enum. */
export function enumPathCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, en: EnumInfo, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const v = en.variants.find((x) => x.name === callee.name);
  const generic: Extract<Type, { k: "enum" }> = { k: "enum", info: en, args: en.typeParams.map((p) => ({ k: "param", p }) as Type) };
  if (v) return variantCall(cx, e, generic, v, scope, ctx, m, expected);
  const f = en.methods.get(callee.name);
  if (f && !f.self) return callFn(cx, e, f, [], scope, ctx, m, expected, `${en.name}.${f.name}`);
  if (f) { report(cx, M.methodOnType(en.name, f.name), callee.span); return checkArgsLoose(cx, e, scope, ctx, m); }
  report(cx, M.unknownVariant(en.name, callee.name, suggest(callee.name, [...en.variants.map((x) => x.name), ...en.methods.keys()])), callee.nameSpan);
  return checkArgsLoose(cx, e, scope, ctx, m);
}

/** A variant constructor call: its enum's type arguments are inferred like a generic function's. */
export function variantCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, t: Extract<Type, { k: "enum" }>, v: VariantInfo, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const info = t.info;
  const vars = info.typeParams;
  const generic: Type = { k: "enum", info, args: vars.map((p) => ({ k: "param", p }) as Type) };
  const map = new Map<TypeParamInfo, Type>();
  // Arguments already fixed by the context (e.g. the expected type).
  t.args.forEach((a, i) => { if (!(a.k === "param" && a.p === vars[i])) map.set(vars[i], a); });
  const ret = inferCall(cx, e, vars, map, v.fields.map((f) => f.type), generic, v.name, scope, ctx, m, expected);
  if (ret.k !== "enum") return ret;
  cx.out.calls.set(e, { kind: "variant", type: ret, variant: v });
  return ret;
}

export function callFn(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, f: FnInfo, preset: [TypeParamInfo, Type][], scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, name: string, recv?: A.Expr): Type {
  const map = new Map<TypeParamInfo, Type>(preset);
  const own = f.typeParams.slice(f.typeParams.length - f.decl.typeParams.length);
  if (e.typeArgs.length) {
    if (e.typeArgs.length !== own.length) report(cx, M.wrongTypeArgCount(name, own.length, e.typeArgs.length), e.span);
    else own.forEach((p, i) => map.set(p, resolveType(cx, e.typeArgs[i], m, ctx.env)));
  }
  const ret = inferCall(cx, e, f.typeParams, map, f.params.map((p) => p.type), f.ret, name, scope, ctx, m, expected);
  const typeArgs = f.typeParams.map((p) => map.get(p) ?? T.error);
  cx.out.calls.set(e, recv ? { kind: "method", f, recv, typeArgs } : { kind: "fn", f, typeArgs });
  return ret;
}

/** Checks arguments against parameter types, inferring the type variables `vars`; returns the substituted result type. */
export function inferCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, vars: TypeParamInfo[], map: Map<TypeParamInfo, Type>, params: Type[], ret: Type, name: string, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  if (e.args.length !== params.length) {
    report(cx, M.argCount(name, params.length, e.args.length), e.span);
    checkArgsLoose(cx, e, scope, ctx, m);
    return vars.length ? T.error : ret;
  }
  const open = (t: Type) => vars.length > 0 && mentions(t, vars, map);
  if (expected && open(ret)) unifyTypes(ret, expected.k === "optional" && ret.k !== "optional" ? expected.inner : expected, map, vars);
  // Arguments whose type comes from context (`none`, `[]`, a unit variant of a
  // generic enum) are checked after the others have fixed the type variables.
  const contextual = (a: A.Expr) => a.kind === "NoneLit" || ((a.kind === "VecLit" || a.kind === "MapLit") && (a.kind === "VecLit" ? a.elems : a.entries).length === 0)
    || (a.kind === "Ident" && /^[A-Z]/.test(a.name)) || (a.kind === "Field" && /^[A-Z]/.test(a.name)) || a.kind === "Closure";
  const order = e.args.map((a, i) => i).sort((x, y) => Number(contextual(e.args[x])) - Number(contextual(e.args[y])));
  order.forEach((i) => {
    const a = e.args[i];
    const p = params[i];
    if (!open(p)) {
      const want = subst(p, map);
      const t = checkExpr(cx, a, scope, ctx, m, want);
      expectAssignable(cx, want, t, a);
      return;
    }
    let t: Type;
    if (a.kind === "Closure" && p.k === "fn") {
      const known = (x: Type) => (mentions(x, vars, map) ? undefined : subst(x, map));
      t = record(cx, a, closureType(cx, a, scope, ctx, m, undefined, { params: p.params.map(known), ret: known(p.ret) }));
    } else t = checkExpr(cx, a, scope, ctx, m, undefined);
    if (t.k === "error") return;
    const tryMap = new Map(map);
    const target = p.k === "optional" && t.k !== "optional" ? p.inner : p;
    if (unifyTypes(target, t, tryMap, vars)) { for (const [k, v] of tryMap) map.set(k, v); }
    else report(cx, M.mismatch(showType(subst(p, map)), showType(t)), a.span);
  });
  for (const v of vars) {
    const got = map.get(v);
    if (!got) {
      if (mentionsParam(ret, v) || params.some((p) => mentionsParam(p, v))) { report(cx, M.cannotInferTypeArg(v.name, name), e.span); return T.error; }
      continue;
    }
    if (containsError(got)) return T.error;
    for (const b of v.bounds) if (!satisfiesTrait(got, b)) report(cx, M.missingImpl(b.name, showType(got), name), e.span);
  }
  return subst(ret, map);
}

export function assocCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, s: StructInfo, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
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
  return callFn(cx, e, f, [], scope, ctx, m, expected, `${s.name}.${f.name}`);
}

/** Finds method `name` for receiver type t: inherent or trait methods of structs and enums, trait impls, and bounds. */
export function lookupMethod(cx: CheckContext, t: Type, name: string): { f: FnInfo; preset: [TypeParamInfo, Type][] } | { trait: TraitInfo } | null {
  if (t.k === "struct" || t.k === "enum") {
    const f = t.info.methods.get(name);
    if (f && f.ownerType) {
      const map = new Map<TypeParamInfo, Type>();
      unifyTypes(f.ownerType, t, map, f.typeParams);
      return { f, preset: [...map] };
    }
  }
  if (t.k === "param") {
    for (const b of t.p.bounds) if (b.methods.has(name)) return { trait: b };
    return null;
  }
  for (const tr of cx.allTraits) {
    if (!tr.methods.has(name)) continue;
    const found = findImpl(tr, t);
    const f = found?.impl.methods.get(name);
    if (found && f) return { f, preset: [...found.args] };
  }
  return null;
}

export function methodCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const recvT = checkExpr(cx, callee.target, scope, ctx, m, undefined);
  if (recvT.k === "error") return checkArgsLoose(cx, e, scope, ctx, m);
  const found = lookupMethod(cx, recvT, callee.name);
  if (found && "f" in found) {
    const f = found.f;
    if (!f.self) {
      report(cx, M.staticOnValue(showType(recvT), f.name), callee.nameSpan);
      return checkArgsLoose(cx, e, scope, ctx, m);
    }
    if (f.module !== m && !f.pub) report(cx, M.notExported(`${showType(recvT)}.${f.name}`, f.module.alias), callee.nameSpan);
    if (f.self.kind === "mut") checkMutReceiver(cx, callee.target, f.name);
    return callFn(cx, e, f, found.preset, scope, ctx, m, expected, `${showType(recvT)}.${f.name}`, callee.target);
  }
  if (found && "trait" in found) {
    const decl = found.trait.methods.get(callee.name)!;
    const { params, ret } = found.trait.sigs.get(callee.name) ?? { params: [], ret: T.error };
    if (decl.selfParam?.mut) checkMutReceiver(cx, callee.target, callee.name);
    cx.out.calls.set(e, { kind: "traitMethod", trait: found.trait, name: callee.name, recv: callee.target, recvType: recvT });
    return inferCall(cx, e, [], new Map(), params, ret, `${showType(recvT)}.${callee.name}`, scope, ctx, m, expected);
  }
  if (recvT.k === "vec" || recvT.k === "map" || recvT.k === "set") {
    const r = collectionMethod(cx, e, recvT, callee, scope, ctx, m, expected);
    if (r) return r;
    report(cx, M.unknownMethod(showType(recvT), callee.name, suggest(callee.name, collectionMethodNames(recvT.k))), callee.nameSpan);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
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
    if (!sig) { report(cx, M.unknownMethod("StringBuilder", name, suggest(name, Object.keys(sigs))), callee.nameSpan); return checkArgsLoose(cx, e, scope, ctx, m); }
    cx.out.calls.set(e, { kind: "builder", name, recv: callee.target });
    return inferCall(cx, e, [], new Map(), sig.params, sig.ret, `StringBuilder.${name}`, scope, ctx, m, expected);
  }
  if (recvT.k === "string") {
    const sig = STR_METHODS.get(callee.name as StrMethod);
    if (sig) {
      cx.out.calls.set(e, { kind: "strMethod", name: callee.name as StrMethod, recv: callee.target });
      return inferCall(cx, e, [], new Map(), sig.params, sig.ret, `string.${callee.name}`, scope, ctx, m, expected);
    }
    report(cx, M.unknownMethod("string", callee.name, suggest(callee.name, [...STR_METHODS.keys()])), callee.nameSpan);
    return checkArgsLoose(cx, e, scope, ctx, m);
  }
  if (recvT.k === "enum" && recvT.info === cx.resultEnum && (callee.name === "isOk" || callee.name === "isErr")) {
    cx.out.calls.set(e, { kind: "resultMethod", name: callee.name, recv: callee.target });
    return inferCall(cx, e, [], new Map(), [], T.bool, `Result.${callee.name}`, scope, ctx, m, expected);
  }
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
  const unknown = recvT.k === "param" ? M.noMethodOnParam(recvT.p.name, callee.name)
    : M.unknownMethod(showType(recvT), callee.name, recvT.k === "struct" || recvT.k === "enum" ? suggest(callee.name, [...recvT.info.methods.keys()]) : undefined);
  if (recvT.k === "optional") unknown.fix = `unwrap it first: \`x!.${callee.name}(...)\`, \`if let v = x { v.${callee.name}(...) }\` or \`(x ?? default).${callee.name}(...)\``;
  report(cx, unknown, callee.nameSpan);
  return checkArgsLoose(cx, e, scope, ctx, m);
}

/** A `mut self` method needs a receiver that may be written. */
export function checkMutReceiver(cx: CheckContext, recv: A.Expr, method: string): void {
  const root = placeRoot(cx, recv);
  if (!root) { report(cx, M.mutMethodOnTemporary(method), recv.span); return; }
  const ref = cx.out.refs.get(root);
  if (!ref) return;
  if (ref.kind === "local" && !ref.v.mutable) {
    const d = at(M.mutMethodOnImmutable(ref.v.name, method), recv.span, { message: `\`${ref.v.name}\` is declared here`, span: ref.v.span });
    if (ref.v.kind === "self") d.fix = "declare this method with `mut self` too";
    else if (ref.v.kind === "param") d.fix = `copy it into a variable first: \`var ${ref.v.name}2 = ${ref.v.name}\``;
    cx.diags.push(d);
  } else if (ref.kind === "global" && !ref.g.mutable) {
    report(cx, M.mutMethodOnImmutable(ref.g.name, method), recv.span);
  }
}

export function builtinCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, name: Builtin, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
  cx.out.calls.set(e, { kind: "builtin", name });
  const args = e.args;
  switch (name) {
    case "print": case "println": case "eprint": case "eprintln": {
      const max = 1;
      const min = name === "println" || name === "eprintln" ? 0 : 1;
      if (args.length < min || args.length > max) {
        report(cx, { ...M.argCount(name, max, args.length), fix: args.length > 1 ? "interpolate several values into one string: `\"{a} {b}\"`" : undefined }, e.span);
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

export function mentionsParam(t: Type, v: TypeParamInfo): boolean {
  switch (t.k) {
    case "param": return t.p === v;
    case "struct": case "enum": return t.args.some((x) => mentionsParam(x, v));
    case "optional": return mentionsParam(t.inner, v);
    case "tuple": return t.elems.some((x) => mentionsParam(x, v));
    case "fn": return t.params.some((x) => mentionsParam(x, v)) || mentionsParam(t.ret, v);
    case "vec": case "set": return mentionsParam(t.elem, v);
    case "map": return mentionsParam(t.key, v) || mentionsParam(t.val, v);
    default: return false;
  }
}

export function intValue(e: A.Expr): bigint {
  if (e.kind === "IntLit") return e.value;
  if (e.kind === "Unary" && e.op === "-" && e.operand.kind === "IntLit") return -e.operand.value;
  return 0n;
}
