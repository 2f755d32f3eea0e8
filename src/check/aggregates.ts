// Aggregate values: struct literals, field access (including enum and module
// paths), vector and map literals, and indexing.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, showType, subst, containsError, argMap, fieldTypes, unifyTypes, type Type, type ModuleInfo, type StructInfo, type StrMethod, type TypeParamInfo, type FnInfo } from "./types.js";
import { suggest } from "./suggest.js";
import { STR_METHODS, MATH_FNS, MATH_CONSTS, mentions, ownerPreset } from "./calls.js";
import { resolveType, keyType, checkBounds, importAliasFailed } from "./declarations.js";
import { joinOpenBranches, widenForNone, type Branch } from "./branch-join.js";
import { type FnCtx, Scope, report, record, type CheckContext } from "./context.js";
import { useGlobal } from "./statements.js";
import { numberConst } from "./helpers.js";
import { sourceText, postfixOperand } from "./habits.js";
import { expectAssignable, assignable, checkExpr, fnAsValue, unitVariant } from "./expressions.js";
import { unknownBareKey, objectLiteralFix } from "./object-literal.js";
import { lengthAlias } from "./habits.js";
import { typedTarget, typeFix, knownTypeArgs } from "./static-calls.js";
import { closureType } from "./closures.js";

/** `|x, a| x.m(a)`: a closure calling method f (which takes `self`) on its first parameter. */
function selfClosure(f: FnInfo): string {
  const args = f.params.filter((p) => p.name !== "self").map((p) => p.name);
  return `|x${args.map((a) => `, ${a}`).join("")}| x.${f.name}(${args.join(", ")})`;
}

export function fieldType(cx: CheckContext, e: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const owner = typedTarget(cx, e.target, m, ctx);
  if (owner !== undefined) {
    // `Tree<int>.Empty`
    const v = owner.k === "enum" ? owner.info.variants.find((x) => x.name === e.name) : undefined;
    if (owner.k === "enum" && v) return unitVariant(cx, e, owner, v);
    // `Stat<int>.of`: a static method of the type with its arguments written, a function value
    const sm = owner.k === "struct" ? owner.info.methods.get(e.name) : owner.k === "enum" ? owner.info.methods.get(e.name) : undefined;
    if (sm && !sm.self) return fnAsValue(cx, e, sm, expected, ownerPreset(sm, owner));
    if (sm && (owner.k === "struct" || owner.k === "enum")) { report(cx, M.methodAsValue(owner.info.name, e.name, selfClosure(sm), null), e.span); return T.error; }
    if (owner.k !== "error") report(cx, M.unknownName(`${showType(owner)}.${e.name}`, undefined), e.nameSpan);
    return T.error;
  }
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
      const em = v ? undefined : en.methods.get(e.name);
      if (em && !em.self) return fnAsValue(cx, e, em, expected);
      if (em) { report(cx, M.methodAsValue(en.name, e.name, selfClosure(em), null), e.span); return T.error; }
      if (!v) { report(cx, M.unknownVariant(en.name, e.name, suggest(e.name, en.variants.map((x) => x.name))), e.nameSpan); return T.error; }
      const exp = expected?.k === "optional" ? expected.inner : expected;
      const t: Extract<Type, { k: "enum" }> = exp?.k === "enum" && exp.info === en ? exp : { k: "enum", info: en, args: en.typeParams.map((p) => ({ k: "param", p }) as Type) };
      return unitVariant(cx, e, t, v);
    }
    if (m.structs.has(e.target.name)) {
      const s = m.structs.get(e.target.name)!;
      const sm = s.methods.get(e.name);
      // `Stat.empty`, a static method (no `self`), is a function value like a named function (tester round 11)
      if (sm && !sm.self) return fnAsValue(cx, e, sm, expected);
      if (sm) { report(cx, M.methodAsValue(e.target.name, e.name, selfClosure(sm), null), e.span); return T.error; }
      report(cx, M.unknownName(`${e.target.name}.${e.name}`, undefined), e.nameSpan);
      return T.error;
    }
  }
  const nc = numberConst(cx, e, scope, m);
  if (nc) return nc;
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
    const method = t.info.methods.get(e.name);
    if (method) { report(cx, methodAsValue(cx, e, showType(t), method), e.nameSpan); return T.error; }
    report(cx, M.unknownField(showType(t), e.name, suggest(e.name, t.info.fields.map((x) => x.name)), t.info.fields.map((x) => x.name)), e.nameSpan);
    return T.error;
  }
  if (t.k === "string" && STR_METHODS.has(e.name as StrMethod)) {
    report(cx, M.methodNotField("string", e.name), e.nameSpan);
    return T.error;
  }
  if (t.k === "param" && t.p.name === "Self" && t.p.bounds.length === 1) { // a trait's default body (tester round 10)
    report(cx, M.selfField(t.p.bounds[0].name, e.name, [...t.p.bounds[0].methods.keys()]), e.nameSpan);
    return T.error;
  }
  const optFix = t.k === "optional" && (t.inner.k === "struct" || t.inner.k === "tuple")
    ? optionalFieldFix(sourceText(cx, e.target.span), e.name) : undefined;
  const resFix = t.k === "enum" && t.info === cx.resultEnum ? resultFieldFix(sourceText(cx, e.target.span), e.name) : undefined;
  report(cx, M.noFields(showType(t), lengthAlias(t, e.name) ? "call `.len()`" : optFix ?? resFix), e.nameSpan);
  return T.error;
}

/**
 * `svc.handle` where a value is wanted (a call goes through calls.ts): the
 * closure that calls the method, written with the receiver as the program
 * wrote it and the method's own parameter names.
 */
function methodAsValue(cx: CheckContext, e: Extract<A.Expr, { kind: "Field" }>, type: string, f: FnInfo) {
  const src = cx.program.sources.get(e.target.span.file);
  const written = src?.slice(e.target.span.start, e.target.span.end);
  const recv = written?.trim() || "x";
  const root = /^[A-Za-z_]\w*/.exec(recv)?.[0];
  // A parameter named like the receiver would shadow it inside the closure.
  const ps = f.params.map((p) => (p.name === root ? `${p.name}2` : p.name)).join(", ");
  const call = `${recv}.${f.name}(${ps})`;
  const closure = f.decl.async ? `async |${ps}| await ${call}` : `|${ps}| ${call}`;
  return M.methodAsValue(type, e.name, closure, f.params.length === 0 ? `${recv}.${f.name}()` : null);
}

export function structLitType(cx: CheckContext, e: Extract<A.Expr, { kind: "StructLit" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, known?: Extract<Type, { k: "struct" }>): Type {
  // A generic struct written without type arguments has them inferred from its fields.
  let info: StructInfo | undefined;
  if (!known && !e.typeArgs.length && e.path.length <= 2) {
    const mod = e.path.length === 2 ? m.imports.get(e.path[0]) : m;
    const cand = mod?.structs.get(e.path[e.path.length - 1]);
    if (cand && cand.typeParams.length) info = cand;
  }
  let t: Type;
  if (known) t = known;
  else if (info) {
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
  const mark = cx.diags.length;
  for (const f of e.fields) {
    const fi = s.fields.find((x) => x.name === f.name);
    if (given.has(f.name)) report(cx, M.duplicateField(f.name), f.span);
    given.add(f.name);
    if (!fi) {
      report(cx, M.unknownField(s.name, f.name, suggest(f.name, s.fields.map((x) => x.name)), s.fields.map((x) => x.name)), f.span);
      checkExpr(cx, f.value, scope, ctx, m, undefined);
      continue;
    }
    const declared = subst(fi.type, argMap(s.typeParams, t.args));
    if (vars.length && mentions(declared, vars, map)) {
      // A closure takes what is known of the field's function type (`op: async fn(int): Result<T, E>` gives `|i|` an int).
      const fnT = declared.k === "optional" && declared.inner.k === "fn" ? declared.inner : declared;
      const known = (x: Type) => (mentions(x, vars, map) ? undefined : subst(x, map));
      const holes = new Map(map);
      for (const v of vars) if (!holes.has(v)) holes.set(v, T.error);
      const vt = f.value.kind === "Closure" && fnT.k === "fn" && fnT.params.length === f.value.params.length
        ? record(cx, f.value, closureType(cx, f.value, scope, ctx, m, undefined, { params: fnT.params.map(known), ret: known(fnT.ret), shape: subst(fnT.ret, holes) }))
        : checkExpr(cx, f.value, scope, ctx, m, undefined);
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
    if (unbound) {
      // What its fields could not infer (a closure's parameter, `{}`, `Err(...)`) follows from the same missing type.
      for (let i = cx.diags.length - 1; i >= mark; i--) if (["E0131", "E0219", "E0238"].includes(cx.diags[i].code)) cx.diags.splice(i, 1);
      // Where an error was already reported (a field of a struct rejected by E0113), the type was never known.
      if (expected?.k !== "error") report(cx, M.cannotInferTypeArg(unbound.name, s.name, typeFix(s.name, knownTypeArgs(vars, map), (list) => `${list} { ... }`)), e.span);
      return T.error;
    }
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
  const given = elem !== undefined;
  const mark = cx.diags.length;
  const items: Branch[] = [];
  for (const x of e.elems) {
    // `[1, none]`: a `none` after values makes the element type optional (the values are wrapped).
    if (!given && elem) elem = widenForNone(x, elem);
    const t = checkExpr(cx, x, scope, ctx, m, elem);
    if (!given) items.push({ tail: x, scope, type: t });
    if (elem) expectAssignable(cx, elem, t, x);
    else if (t.k !== "error" && t.k !== "never") elem = t;
  }
  if (!given && elem && items.some((b) => b.type.k === "error")) {
    // `[none, "b"]`: an element left open (E0219) takes the others' type, optional for a `none`.
    const joined = joinOpenBranches(cx, ctx, m, items, mark);
    if (joined) elem = joined;
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
  // `{ port: 8080 }` where a struct is expected is that struct's literal.
  if (exp?.k === "struct" && e.entries.every((x) => x.key.kind === "Ident")) {
    const lit: Extract<A.Expr, { kind: "StructLit" }> = {
      kind: "StructLit", span: e.span, path: [exp.info.name], typeArgs: [],
      fields: e.entries.map((x) => ({ span: { ...x.key.span, end: x.value.span.end }, name: (x.key as Extract<A.Expr, { kind: "Ident" }>).name, value: x.value })),
    };
    cx.out.braceStructs.set(e, lit);
    return record(cx, lit, structLitType(cx, lit, scope, ctx, m, expected, exp));
  }
  // `{ error: "bad", code: 42 }`: a TypeScript object literal (its keys name nothing here).
  const bare = exp?.k !== "map" || exp.key.k === "string" ? unknownBareKey(e, scope, m) : null;
  if (bare) {
    const types = e.entries.map((x) => checkExpr(cx, x.value, scope, ctx, m, exp?.k === "map" ? exp.val : undefined));
    const mixed = exp?.k !== "map" && new Set(types.map((t) => showType(t))).size > 1;
    report(cx, M.bareMapKeys(bare.name, objectLiteralFix(cx, e, types, m, mixed, exp?.k === "map"), exp?.k === "map" ? showType(exp, m) : null), bare.span);
    return exp?.k === "map" ? exp : T.error;
  }
  const short = e.entries.find((x) => x.shorthand);
  if (short) report(cx, M.mapShorthand(exp ? showType(exp) : null, (short.key as Extract<A.Expr, { kind: "Ident" }>).name), short.key.span);
  if (exp?.k === "set" && e.entries.length === 0) return exp;
  if (exp?.k === "vec" && e.entries.length === 0) return exp;
  let key: Type | undefined = exp?.k === "map" ? exp.key : undefined;
  let val: Type | undefined = exp?.k === "map" ? exp.val : undefined;
  const types: Type[] = [];
  let mixed: A.Expr | null = null, mixedFound: Type | null = null;
  for (const en of e.entries) {
    if (en.shorthand) continue;
    const kt = checkExpr(cx, en.key, scope, ctx, m, key);
    if (key) expectAssignable(cx, key, kt, en.key); else if (kt.k !== "error") key = kt;
    const vt = checkExpr(cx, en.value, scope, ctx, m, val);
    types.push(vt);
    if (mixed) continue;
    if (val && exp?.k !== "map" && !assignable(cx, val, vt)) {
      // `{ "id": 1, "name": "x" }` where no map type is expected: a JSON object, whose values differ in type.
      mixed = en.value;
      mixedFound = vt;
    } else if (val) expectAssignable(cx, val, vt, en.value); else if (vt.k !== "error" && vt.k !== "never") val = vt;
  }
  if (mixed) {
    report(cx, M.mismatch(showType(val!), showType(mixedFound!), `a map's values have one type; ${objectLiteralFix(cx, e, types, m, true)}`), mixed.span);
    return T.error;
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
  // `p[0]` on a tuple (TypeScript's habit): its parts are fields, `p.0` (tester round 13); the index must be a literal.
  if (t.k === "tuple") {
    const i = e.index.kind === "IntLit" ? Number(sourceText(cx, e.index.span).replace(/_/g, "")) : NaN;
    const base = sourceText(cx, e.target.span);
    const shown = base.length <= 40 && !base.includes("\n") ? postfixOperand(base) : "p";
    const fix = Number.isInteger(i) && i >= 0 && i < t.elems.length ? `a tuple's parts are read as fields: \`${shown}.${i}\``
      : `a tuple's parts are read as fields with a literal index, \`${shown}.0\` to \`${shown}.${t.elems.length - 1}\`; to pick one at run time, \`match\` on the index`;
    report(cx, { ...M.indexType(showType(t)), fix }, e.span);
    return T.error;
  }
  if (t.k !== "error") report(cx, M.indexType(showType(t)), e.span);
  return T.error;
}

/** The fix for a field read on an optional: unwrap it first (`x` is the optional's source text). */
function optionalFieldFix(x: string, field: string): string {
  const v = x.length <= 40 && !x.includes("\n") ? x : "x";
  return `the value may be \`none\`: unwrap it first (\`${postfixOperand(v)}!.${field}\` panics on none; \`if let v = ${v} { ... v.${field} ... }\` tests it)`;
}

/** E0207 on `r.body` of a `Result`: the value is inside `Ok`. */
function resultFieldFix(target: string, field: string): string {
  const x = postfixOperand(target);
  return `a \`Result\` holds the value only when it is \`Ok\`: pass the error on with \`?\` (\`${x}?.${field}\`, in a function that returns \`Result\`), or test it: \`match ${x} { Ok(v) => ... v.${field} ..., Err(e) => ... }\` or \`if let Ok(v) = ${x} { ... v.${field} ... }\``;
}
