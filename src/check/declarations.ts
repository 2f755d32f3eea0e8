// Passes 1 and 2 of the checker: collecting the top-level names of every module
// (structs, enums, traits, impls, functions, globals, tests), the prelude, and
// resolving signatures and type expressions to Types.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, showType, hasEq, INT_NAMES, unifyTypes, satisfiesTrait, applyTrait, baseTrait, traitSig, type Type, type ModuleInfo, type StructInfo, type FnInfo, type GlobalInfo, type EnumInfo, type TraitInfo, type TypeParamInfo, type ImplInfo } from "./types.js";
import { unmetBound, builtinImpl } from "./builtin-bounds.js";
import { importedName, suggest } from "./suggest.js";
import { type TypeEnv, NO_ENV, report, newLocal, type CheckContext } from "./context.js";
import { typeArgsFixForType } from "./static-calls.js";
import { foreignType } from "./habits.js";
import { builtinMethodNames } from "./builtin-methods.js";

export const PRIMS: ReadonlyMap<string, Type> = new Map<string, Type>([
  ["int", T.i64], ["float", T.f64], ["bool", T.bool], ["string", T.string],
  ...INT_NAMES.map((n) => [n, T.int(n)] as [string, Type]),
  ["f32", T.float("f32")], ["f64", T.f64],
]);

/** `Self` outside a trait or an impl names no type. */
const SELF_TYPE = M.unknownType("Self", undefined);
const SELF_FIX = "`Self` names the implementing type inside a trait or an `impl` only: write the type's name here";

export function declareNames(cx: CheckContext, m: ModuleInfo): void {
  const seen = new Map<string, A.Span>();
  const claim = (what: string, name: string, span: A.Span): boolean => {
    if (seen.has(name) || m.imports.has(name)) { report(cx, M.duplicateDefinition(what, name), span); return false; }
    seen.set(name, span);
    return true;
  };
  for (const d of m.ast.decls) {
    switch (d.kind) {
      case "Struct": {
        if (!claim("type", d.name, d.nameSpan)) break;
        const info: StructInfo = { name: d.name, module: m, decl: d, pub: d.pub, typeParams: typeParams(cx, d.typeParams), fields: [], methods: new Map(), cname: "" };
        m.structs.set(d.name, info);
        cx.out.structs.push(info);
        break;
      }
      case "Enum": {
        if (!claim("type", d.name, d.nameSpan)) break;
        const info: EnumInfo = { name: d.name, module: m, decl: d, pub: d.pub, typeParams: typeParams(cx, d.typeParams), variants: [], methods: new Map(), recursive: false, cname: "" };
        m.enums.set(d.name, info);
        cx.out.enums.push(info);
        break;
      }
      case "Trait": {
        if (!claim("trait", d.name, d.nameSpan)) break;
        const info: TraitInfo = { name: d.name, module: m, builtin: null, pub: d.pub, methods: new Map(), sigs: new Map(), impls: [], typeParams: typeParams(cx, d.typeParams) };
        info.selfParam = { id: cx.nextParam++, name: "Self", bounds: [info] };
        for (const md of d.methods) {
          if (info.methods.has(md.name)) report(cx, M.duplicateDefinition("method", md.name), md.nameSpan);
          else info.methods.set(md.name, md);
          // A default body (`fn hi(self): string { return "hi" }`) is taken by each impl that leaves the method out.
        }
        m.traits.set(d.name, info);
        cx.allTraits.push(info);
        break;
      }
      case "Fn": {
        // A second function of the same name is an overload (told apart by its
        // first parameter's type, checked once signatures are resolved).
        const first = m.fns.get(d.name);
        if (first && first.decl.nameSpan === seen.get(d.name)) {
          (first.overloads ??= []).push(makeFn(cx, d, m, null));
          break;
        }
        if (!claim("function", d.name, d.nameSpan)) break;
        const f = makeFn(cx, d, m, null);
        m.fns.set(d.name, f);
        break;
      }
      case "Global": {
        if (!claim(d.form === "const" ? "constant" : "variable", d.name, d.nameSpan)) break;
        const g: GlobalInfo = { name: d.name, module: m, decl: d, pub: d.pub, mutable: d.form === "var", type: T.error, cname: "" };
        m.globals.set(d.name, g);
        break;
      }
      case "Impl": case "Import": case "Test": break;
    }
  }
}

export function typeParams(cx: CheckContext, tps: A.TypeParam[]): TypeParamInfo[] {
  return tps.map((tp) => ({ id: cx.nextParam++, name: tp.name, bounds: [] }));
}

/** Resolves the bounds of type parameters (after all traits are declared); a generic trait's arguments may name
 *  these parameters (`<T: Into<U>, U>`) and those of `outer` (an impl's, for its methods'). */
function resolveBounds(cx: CheckContext, decls: A.TypeParam[], infos: TypeParamInfo[], m: ModuleInfo, outer: TypeEnv = NO_ENV): void {
  const env = envOf(cx, infos, outer);
  decls.forEach((tp, i) => {
    for (const b of tp.bounds) {
      const tr = resolveTrait(cx, b, m, env);
      if (tr) infos[i].bounds.push(tr);
    }
  });
}

/** A trait as a bound or an impl names it; a generic one applied to its type arguments (`Into<string>`). */
function resolveTrait(cx: CheckContext, te: A.TypeExpr, m: ModuleInfo, env: TypeEnv = NO_ENV): TraitInfo | null {
  const tr = lookupTrait(cx, te, m);
  if (!tr || te.kind !== "TName") return tr;
  const want = tr.typeParams?.length ?? 0;
  if (te.args.length !== want) {
    const fix = want ? `write \`${tr.name}<${tr.typeParams!.map((p) => p.name).join(", ")}>\` with ${want} type argument${want === 1 ? "" : "s"}` : `remove the type arguments: \`${tr.name}\``;
    report(cx, M.wrongTypeArgCount(tr.name, want, te.args.length, fix), te.span);
    return null;
  }
  return applyTrait(tr, te.args.map((a) => resolveType(cx, a, m, env)));
}

function lookupTrait(cx: CheckContext, te: A.TypeExpr, m: ModuleInfo): TraitInfo | null {
  if (te.kind !== "TName") { report(cx, M.unknownTrait(showTypeExpr(te), undefined), te.span); return null; }
  const name = te.path[te.path.length - 1];
  let tr: TraitInfo | undefined;
  if (te.path.length === 1) tr = m.traits.get(name) ?? cx.builtinTraits.get(name);
  else if (te.path.length === 2) {
    const mod = m.imports.get(te.path[0]);
    tr = mod?.traits.get(name);
    // A private trait cannot be implemented or used as a bound from another module, as a private struct cannot be named.
    if (tr && mod && !tr.pub) report(cx, M.notExported(name, mod.alias), te.span);
  }
  if (!tr) {
    report(cx, M.unknownTrait(te.path.join("."), (te.path.length === 1 ? importedName(m, name, "trait") : undefined) ?? suggest(name, [...m.traits.keys(), ...cx.builtinTraits.keys()])), te.span);
    return null;
  }
  return tr;
}

export function envOf(cx: CheckContext, infos: TypeParamInfo[], base: TypeEnv = NO_ENV): TypeEnv {
  if (!infos.length) return base;
  const env = new Map(base);
  for (const p of infos) env.set(p.name, p);
  return env;
}

/** The type names a function's signature and body see: its type parameters (an impl's first), and in a method `Self`,
 *  the impl's target (a trait's default body over `Self: Trait` has `Self` among its parameters already). */
export function fnEnv(cx: CheckContext, f: FnInfo): TypeEnv {
  let env = envOf(cx, f.typeParams);
  // A generic trait's default body copied for `impl Into<string> for A`: the trait's `T` names `string`.
  if (f.copied && f.impl) env = envOf(cx, (f.impl.trait.typeParams ?? []).map((p, i) => ({ ...p, alias: f.impl!.traitArgs[i] ?? T.error })), env);
  if (!f.ownerType || env.has("Self")) return env;
  return envOf(cx, [{ id: cx.nextParam++, name: "Self", bounds: [], alias: f.ownerType }], env);
}

/** A fresh copy of a trait method's declaration for one impl: the checker's side tables are keyed by syntax node, and each
 *  impl's copy of a default body has types of its own. Spans are kept, so diagnostics point into the trait. */
function copyFnDecl(d: A.FnDecl): A.FnDecl {
  return structuredClone(d);
}

function makeFn(cx: CheckContext, d: A.FnDecl, m: ModuleInfo, owner: StructInfo | EnumInfo | null, ownerType: Type | null = null, implParams: TypeParamInfo[] = [], impl: ImplInfo | null = null): FnInfo {
  const own = typeParams(cx, d.typeParams);
  return { name: d.name, module: m, decl: d, pub: d.pub || !!impl, params: [], ret: T.unit, self: null, owner, ownerType, typeParams: [...implParams, ...own], impl, cname: "" };
}

/** Built-in traits and the `Result` enum, visible in every module. */
export function makePrelude(cx: CheckContext): void {
  for (const name of ["Eq", "Ord", "Hash", "Show", "Json"] as const) {
    cx.builtinTraits.set(name, { name, module: null, builtin: name, pub: true, methods: new Map(), sigs: new Map(), impls: [] });
  }
  const entry = cx.out.entry;
  const tpT: TypeParamInfo = { id: cx.nextParam++, name: "T", bounds: [] };
  const tpE: TypeParamInfo = { id: cx.nextParam++, name: "E", bounds: [] };
  const span = { file: entry?.file ?? "<prelude>", start: 0, end: 0, line: 1, col: 1 };
  cx.resultEnum = {
    name: "Result", module: { ...(entry as ModuleInfo), isStd: true }, decl: null, pub: true, typeParams: [tpT, tpE],
    variants: [
      { name: "Ok", index: 0, fields: [{ name: null, type: { k: "param", p: tpT } }], span },
      { name: "Err", index: 1, fields: [{ name: null, type: { k: "param", p: tpE } }], span },
    ],
    methods: new Map(), recursive: false, cname: "", // named by emit/names.ts
  };
  cx.out.enums.push(cx.resultEnum);
}

export function resolveSignatures(cx: CheckContext, m: ModuleInfo): void {
  for (const d of m.ast.decls) {
    if (d.kind === "Struct") {
      const info = m.structs.get(d.name);
      if (!info || info.decl !== d) continue;
      resolveBounds(cx, d.typeParams, info.typeParams, m);
      const env = envOf(cx, info.typeParams);
      const seen = new Set<string>();
      for (const f of d.fields) {
        if (seen.has(f.name)) { report(cx, M.duplicateDefinition("field", f.name), f.span); continue; }
        seen.add(f.name);
        info.fields.push({ name: f.name, type: resolveType(cx, f.type, m, env), span: f.span });
      }
    } else if (d.kind === "Enum") {
      const info = m.enums.get(d.name);
      if (!info || info.decl !== d) continue;
      resolveBounds(cx, d.typeParams, info.typeParams, m);
      const env = envOf(cx, info.typeParams);
      const seen = new Set<string>();
      d.variants.forEach((v) => {
        if (seen.has(v.name)) { report(cx, M.duplicateDefinition("variant", v.name), v.span); return; }
        seen.add(v.name);
        info.variants.push({ name: v.name, index: info.variants.length, span: v.span, fields: v.fields.map((f) => ({ name: f.name, type: resolveType(cx, f.type, m, env) })) });
      });
    }
  }
  for (const tr of m.traits.values()) {
    const decl = m.ast.decls.find((d) => d.kind === "Trait" && d.name === tr.name) as Extract<A.Decl, { kind: "Trait" }> | undefined;
    // A generic trait's parameters (`trait Into<T>`) and `Self`, the implementing type.
    resolveBounds(cx, decl?.typeParams ?? [], tr.typeParams ?? [], m);
    const env = envOf(cx, [...(tr.typeParams ?? []), tr.selfParam!]);
    for (const [name, md] of tr.methods) {
      const own = typeParams(cx, md.typeParams);
      resolveBounds(cx, md.typeParams, own, m);
      const menv = envOf(cx, own, env);
      tr.sigs.set(name, {
        params: md.params.map((p) => (p.type ? resolveType(cx, p.type, m, menv) : T.error)),
        ret: md.ret ? resolveType(cx, md.ret, m, menv) : T.unit,
        typeParams: own,
      });
      if (md.body) {
        const self = tr.selfParam!;
        const outer = [self, ...(tr.typeParams ?? [])];
        const f = makeFn(cx, md, m, null, { k: "param", p: self }, outer);
        resolveBounds(cx, md.typeParams, f.typeParams.slice(outer.length), m, envOf(cx, outer));
        cx.traitDefaults.set(md, { fn: f, checked: false });
        signature(cx, f);
      }
    }
  }
  for (const d of m.ast.decls) if (d.kind === "Impl") declareImpl(cx, d, m);
  for (const f of m.fns.values()) {
    for (const g of [f, ...(f.overloads ?? [])]) {
      resolveBounds(cx, g.decl.typeParams, g.typeParams, m);
      signature(cx, g);
    }
    if (f.overloads) checkOverloads(cx, f);
  }
  for (const g of m.globals.values()) {
    if (g.decl.type) g.type = resolveType(cx, g.decl.type, m, NO_ENV);
  }
}

function declareImpl(cx: CheckContext, d: Extract<A.Decl, { kind: "Impl" }>, m: ModuleInfo): void {
  let implParams = typeParams(cx, d.typeParams);
  resolveBounds(cx, d.typeParams, implParams, m);
  let env = envOf(cx, implParams);
  const undeclared = undeclaredImplParams(cx, d, m, env);
  if (undeclared) {
    // Reported once; the impl goes on as if they were declared (with the type's bounds), so its methods exist
    // and calls of them are not E0107 too.
    implParams = [...implParams, ...undeclared];
    env = envOf(cx, implParams);
  }
  const target = resolveType(cx, d.target, m, env);
  if (target.k === "error") return;
  const owner = target.k === "struct" || target.k === "enum" ? target.info : null;
  if (owner && owner.module !== m && !d.trait) { report(cx, M.implOutsideModule(showType(target)), d.target.span); return; }
  if (!owner && !d.trait) { report(cx, M.unsupported(`inherent methods on \`${showType(target)}\` (use a trait)`), d.target.span); return; }
  if (owner && !d.trait && (target as { args: Type[] }).args.some((a) => a.k !== "param")) {
    report(cx, M.unsupported("methods on one instantiation of a generic type"), d.target.span);
    return;
  }
  let impl: ImplInfo | null = null;
  if (d.trait) {
    const applied = resolveTrait(cx, d.trait, m, env);
    if (!applied) return;
    const tr = baseTrait(applied);
    if (tr.builtin) { report(cx, builtinImpl(tr.name, target), d.trait.span); return; }
    // One impl per type, and for a generic trait per type and trait arguments (`Into<string>` and `Into<int>` for A).
    const args = applied.args ?? [];
    const overlaps = (i: ImplInfo) => { const u = new Map(); return unifyTypes(i.target, target, u, i.typeParams) && args.every((a, k) => unifyTypes(i.traitArgs[k], a, u, i.typeParams)); };
    if (tr.impls.some(overlaps)) { report(cx, M.implementedTwice(args.length ? `${tr.name}<${args.map((a) => showType(a)).join(", ")}>` : tr.name, showType(target)), d.span); return; }
    impl = { trait: tr, traitArgs: args, target, typeParams: implParams, methods: new Map(), span: d.span };
    tr.impls.push(impl);
  }
  const shadowing = new Set<string>();
  for (const md of d.methods) {
    if (impl) {
      if (!impl.trait.methods.has(md.name)) { report(cx, M.notTraitMethod(md.name, impl.trait.name), md.nameSpan); continue; }
    }
    const table = impl ? impl.methods : owner!.methods;
    const found = owner?.methods.get(md.name);
    // Another impl of the same generic trait for this type (other arguments): its method keeps the type's table
    // entry, this one is found through the impl (calls.ts picks among them by the expected type).
    const sibling = !!impl?.trait.typeParams?.length && found?.impl?.trait === impl.trait;
    const first = sibling ? undefined : found;
    if (impl ? impl.methods.has(md.name) : first && !first.impl) { report(cx, M.duplicateDefinition("method", md.name), md.nameSpan); continue; }
    if (first && impl && first.impl?.trait === impl.trait && owner!.typeParams.length === 0) {
      report(cx, M.implementedTwice(impl.trait.name, owner!.name), d.span);
      return;
    }
    if (first && impl && first.impl?.trait === impl.trait) {
      const ps = owner!.typeParams.map((p) => p.name).join(", ");
      report(cx, M.unsupported(`implementing a trait for more than one instantiation of a generic type (\`${impl.trait.name}\` for \`${showType(first.impl.target)}\` and \`${showType(target)}\`); implement it once, for all of them: \`impl<${ps}> ${impl.trait.name} for ${owner!.name}<${ps}>\``), d.span);
      return;
    }
    // Methods are not overloaded: one name per type, across its inherent impl, the traits it implements and
    // the methods built into it (which a trait method would replace at every call, std's included).
    if (builtinMethodNames(cx, target).includes(md.name)) {
      report(cx, M.builtinMethodTaken(showType(target), md.name, impl?.trait.name ?? null), md.nameSpan);
      shadowing.add(md.name);
      continue;
    }
    if (first) {
      report(cx, M.methodNameTaken(showType(target), md.name, first.impl?.trait.name ?? null, impl?.trait.name ?? null), md.nameSpan);
      if (!impl) continue;
    }
    const f = makeFn(cx, md, m, owner, target, implParams, impl);
    table.set(md.name, f);
    if (impl && owner && !owner.methods.has(md.name)) owner.methods.set(md.name, f);
    cx.methodInfo.set(md, f);
    resolveBounds(cx, md.typeParams, f.typeParams.slice(implParams.length), m, env);
    signature(cx, f);
  }
  if (impl) {
    // A method the impl leaves out takes the trait's default body, copied for this impl's type.
    const defaults: FnInfo[] = [];
    for (const [name, td] of impl.trait.methods) {
      if (!td.body || impl.methods.has(name) || shadowing.has(name)) continue;
      if (builtinMethodNames(cx, target).includes(name)) {
        report(cx, M.builtinMethodTaken(showType(target), name, impl.trait.name), d.span);
        shadowing.add(name);
        continue;
      }
      const taken = owner?.methods.get(name);
      if (taken && !(impl.trait.typeParams?.length && taken.impl?.trait === impl.trait)) { report(cx, M.methodNameTaken(showType(target), name, taken.impl?.trait.name ?? null, impl.trait.name), d.span); shadowing.add(name); continue; }
      const f = makeFn(cx, copyFnDecl(td), impl.trait.module ?? m, owner, target, implParams, impl);
      f.copied = true;
      impl.methods.set(name, f);
      if (owner && !owner.methods.has(name)) owner.methods.set(name, f);
      defaults.push(f);
      resolveBounds(cx, f.decl.typeParams, f.typeParams.slice(implParams.length), impl.trait.module ?? m, fnEnv(cx, f));
      signature(cx, f);
    }
    if (defaults.length) cx.implDefaults.set(d, defaults);
    // Every method must be implemented (one that would shadow a built-in method is already reported).
    const missing = [...impl.trait.methods.keys()].filter((n) => !impl!.methods.has(n) && !shadowing.has(n));
    if (missing.length) report(cx, M.missingTraitMethods(impl.trait.name, showType(target), missing, missing.map((n) => missingSig(impl!, n, target))), d.span);
  }
}

export function signature(cx: CheckContext, f: FnInfo): void {
  const d = f.decl;
  const env = fnEnv(cx, f);
  if (d.extern && !f.module.isStd) report(cx, M.unsupported("`extern fn` outside the standard library"), d.span);
  if (d.async && d.selfParam?.mut) report(cx, M.asyncMutSelf(d.name), d.selfParam.span);
  if (!d.body && !d.extern) report(cx, M.syntax(`function \`${d.name}\` has no body`, "add `{ ... }`"), d.nameSpan);
  if (d.selfParam) {
    if (!f.ownerType) report(cx, M.selfOutsideMethod(), d.selfParam.span);
    else {
      const kind = d.selfParam.mut ? "mut" : "self";
      f.self = { kind, local: newLocal(cx, "self", f.ownerType, d.selfParam.mut, "self", d.selfParam.span) };
    }
  }
  const seen = new Set<string>();
  const viaTrait = traitParams(cx, d, f.module, env);
  for (const p of d.params) {
    const tr = viaTrait?.names.get(p);
    if (tr) report(cx, M.traitAsParam(tr, viaTrait!.fix), p.type!.span);
    const t = tr ? T.error : p.type ? resolveType(cx, p.type, f.module, env) : T.error;
    if (seen.has(p.name)) report(cx, M.duplicateDefinition("parameter", p.name), p.span);
    seen.add(p.name);
    f.params.push({ name: p.name, type: t, span: p.span, local: newLocal(cx, p.name, t, false, "param", p.span) });
  }
  f.ret = d.ret ? resolveType(cx, d.ret, f.module, env) : T.unit;
  cx.out.fns.push(f);
}

/**
 * `impl Cache<K, V> { ... }` without `<K, V>` after `impl` (Rust's form, and Colang's): the names are undeclared.
 * One E0101 with the declaration, not one per name; when reported, the parameters it declares (with the type's
 * bounds), else null.
 */
function undeclaredImplParams(cx: CheckContext, d: Extract<A.Decl, { kind: "Impl" }>, m: ModuleInfo, env: TypeEnv): TypeParamInfo[] | null {
  const te = d.target;
  if (te.kind !== "TName" || te.path.length !== 1 || te.args.length === 0) return null;
  const owner = m.structs.get(te.path[0]) ?? m.enums.get(te.path[0]);
  const isName = (a: A.TypeExpr) => a.kind === "TName" && a.path.length === 1 && a.args.length === 0;
  const known = (n: string) => env.has(n) || m.structs.has(n) || m.enums.has(n) || PRIMS.has(n) || m.traits.has(n) || ["Vec", "Map", "Set", "Result", "Task", "StringBuilder"].includes(n);
  const missing = te.args.filter((a) => isName(a) && !known((a as { path: string[] }).path[0]));
  if (!owner || owner.typeParams.length !== te.args.length || missing.length === 0) return null;
  const names = te.args.map((a) => isName(a) ? (a as { path: string[] }).path[0] : null);
  const decl = names.map((n, i) => {
    if (n === null || known(n)) return null;
    const bounds = owner.typeParams[i].bounds.map((b) => b.name);
    return bounds.length ? `${n}: ${bounds.join(" + ")}` : n;
  }).filter((x) => x !== null);
  const src = cx.program.sources.get(te.span.file)?.slice(te.span.start, te.span.end) ?? te.path[0];
  const tr = d.trait ? `${cx.program.sources.get(d.trait.span.file)?.slice(d.trait.span.start, d.trait.span.end)} for ` : "";
  const first = (missing[0] as { path: string[] }).path[0];
  const declared = names.flatMap((n, i) => n !== null && !known(n) && !names.slice(0, i).includes(n) ? [{ id: cx.nextParam++, name: n, bounds: [...owner.typeParams[i].bounds] }] : []);
  report(cx, M.unknownTypeFix(first, `declare the type parameters after \`impl\`: \`impl<${[...d.typeParams.map((p) => cx.program.sources.get(p.span.file)?.slice(p.span.start, p.span.end) ?? p.name), ...decl].join(", ")}> ${tr}${src}\``), missing[0].span);
  return declared;
}

/**
 * Parameters whose type is a trait (`fn lookup(r: Repo, id: int)`, the interface habit): each is E0150, whose fix
 * makes the function generic over it, `fn lookup<T: Repo>(r: T, id: int)`; null when there are none.
 */
function traitParams(cx: CheckContext, d: A.FnDecl, m: ModuleInfo, env: TypeEnv): { names: Map<A.Param, string>; fix: string } | null {
  const names = new Map<A.Param, string>();
  for (const p of d.params) {
    const te = p.type;
    if (te?.kind !== "TName" || te.path.length !== 1 || te.args.length > 0) continue;
    const n = te.path[0];
    if (env.has(n) || m.structs.has(n) || m.enums.has(n) || !(m.traits.get(n) ?? cx.builtinTraits.get(n))) continue;
    names.set(p, n);
  }
  if (names.size === 0) return null;
  const src = (sp: A.Span) => cx.program.sources.get(sp.file)?.slice(sp.start, sp.end) ?? "x";
  const taken = new Set([...d.typeParams.map((tp) => tp.name), ...m.structs.keys(), ...m.enums.keys()]);
  const fresh = ["T", "U", "V", "W", "T1", "T2", "T3", "T4"].filter((x) => !taken.has(x));
  const tps = d.typeParams.map((tp) => src(tp.span));
  const params = d.params.map((p) => {
    const tr = names.get(p);
    if (!tr || fresh.length === 0) return src(p.span);
    const x = fresh.shift()!;
    tps.push(`${x}: ${tr}`);
    return `${p.mut ? "mut " : ""}${p.name}: ${x}`;
  });
  if (d.selfParam) params.unshift(d.selfParam.mut ? "mut self" : "self");
  const fix = `fn ${d.name}<${tps.join(", ")}>(${params.join(", ")})${d.ret ? `: ${src(d.ret.span)}` : ""}`;
  return { names, fix: fix.length <= 140 && !fix.includes("\n") ? fix : `fn ${d.name}<T: ${[...names.values()][0]}>(x: T, ...)` };
}

/**
 * Overloads must differ in their first parameter's type, so a call can pick
 * one from its first argument alone; generic first parameters and overloaded
 * `main` are not allowed.
 */
function checkOverloads(cx: CheckContext, f: FnInfo): void {
  const usable = (g: FnInfo) => g.params.length > 0 && g.params[0].type.k !== "param" && g.params[0].type.k !== "error" && f.name !== "main";
  const keep: FnInfo[] = usable(f) ? [f] : [];
  for (const g of f.overloads!) {
    if (keep.length && usable(g) && !keep.some((k) => sameType(k.params[0].type, g.params[0].type))) { keep.push(g); continue; }
    report(cx, { ...M.duplicateDefinition("function", g.name), fix: "rename one of them, or give them first parameters of different types (overloads are told apart by their first argument)" }, g.decl.nameSpan);
  }
  f.overloads = keep.filter((g) => g !== f);
  if (!f.overloads.length) delete f.overloads;
}

function sameType(a: Type, b: Type): boolean {
  return showType(a) === showType(b);
}

export function resolveType(cx: CheckContext, te: A.TypeExpr, m: ModuleInfo, env: TypeEnv): Type {
  switch (te.kind) {
    case "TOptional": {
      const inner = resolveType(cx, te.inner, m, env);
      if (inner.k === "optional") { report(cx, M.unsupported("nested optionals (`T??`)"), te.span); return T.error; }
      return inner.k === "error" ? T.error : T.optional(inner);
    }
    case "TTuple": {
      if (te.elems.length === 0) return T.unit;
      const elems = te.elems.map((x) => resolveType(cx, x, m, env));
      if (elems.length === 1) return elems[0];
      return elems.some((x) => x.k === "error") ? T.error : T.tuple(elems);
    }
    case "TFn": {
      const params = te.params.map((x) => resolveType(cx, x, m, env));
      const ret = te.ret ? resolveType(cx, te.ret, m, env) : T.unit;
      return params.some((x) => x.k === "error") || ret.k === "error" ? T.error : { k: "fn", params, ret, ...(te.async ? { async: true } : {}) };
    }
    case "TName": {
      const args = te.args.map((x) => resolveType(cx, x, m, env));
      const arity = (name: string, n: number, params?: TypeParamInfo[]): boolean => {
        if (args.length === n) return true;
        const declared = params ? params.map((p) => p.name + (p.bounds.length ? `: ${p.bounds.map((b) => b.name).join(" + ")}` : "")) : name === "Map" ? ["K: Hash", "V"] : name === "Vec" ? ["T"] : name === "Set" ? ["T: Hash"] : ["T", "E"];
        let names = params ? params.map((p) => p.name) : name === "Map" ? ["K", "V"] : name === "Vec" || name === "Set" ? ["T"] : name === "Result" ? ["T", "E"] : [];
        // Outside a generic function or impl with those parameter names, `Cache<K, V>` names nothing: concrete ones.
        let example = false;
        if (names.length > 0 && names.length === n && !names.every((x) => env.has(x))) {
          example = true;
          names = params ? params.map((p) => p.bounds.length ? "string" : "int") : name === "Map" ? ["string", "int"] : name === "Result" ? ["int", "string"] : ["int"];
        }
        const fix = typeArgsFixForType(name, names);
        report(cx, M.wrongTypeArgCount(name, n, args.length, example ? `write the types it holds, e.g. \`${name}<${names.join(", ")}>\`; or, in a generic function, its type parameters: \`fn f<${declared.join(", ")}>(...): ${name}<${declared.map((x) => x.split(":")[0]).join(", ")}>\`` : fix), te.span);
        return false;
      };
      if (args.some((x) => x.k === "error")) return T.error;
      if (te.path.length === 1) {
        const name = te.path[0];
        const tp = env.get(name);
        if (tp) return arity(name, 0) ? tp.alias ?? { k: "param", p: tp } : T.error;
        const prim = PRIMS.get(name);
        if (prim) return arity(name, 0) ? prim : T.error;
        if (name === "Vec" || name === "Set") {
          if (!arity(name, 1)) return T.error;
          if (name === "Set" && !keyType(cx, args[0], te.span)) return T.error;
          return name === "Vec" ? T.vec(args[0]) : { k: "set", elem: args[0] };
        }
        if (name === "Map") {
          if (!arity(name, 2) || !keyType(cx, args[0], te.span)) return T.error;
          return { k: "map", key: args[0], val: args[1] };
        }
        if (name === "Result") return arity(name, 2) ? { k: "enum", info: cx.resultEnum, args } : T.error;
        if (name === "StringBuilder") return arity(name, 0) ? { k: "builder" } : T.error;
        // A program's own `Task` type (a scheduler's task, say) shadows the built-in handle type.
        if (name === "Task" && !m.structs.has(name) && !m.enums.has(name)) return arity(name, 1) ? { k: "task", inner: args[0] } : T.error;
        const s = m.structs.get(name);
        if (s) return arity(name, s.typeParams.length, s.typeParams) ? checkBounds(cx, { k: "struct", info: s, args }, s.typeParams, te.span) : T.error;
        const en = m.enums.get(name);
        if (en) return arity(name, en.typeParams.length, en.typeParams) ? checkBounds(cx, { k: "enum", info: en, args }, en.typeParams, te.span) : T.error;
        const candidates = [...env.keys(), ...m.structs.keys(), ...m.enums.keys(), ...PRIMS.keys(), "Vec", "Map", "Set", "Result"];
        const trait = m.traits.get(name) ?? cx.builtinTraits.get(name);
        if (name === "Self") report(cx, { ...SELF_TYPE, fix: SELF_FIX }, te.span);
        else if (trait) report(cx, M.traitAsType(name, [...new Set(trait.impls.map((i) => showType(i.target)).filter((t) => /^\w+$/.test(t)))].slice(0, 3)), te.span);
        else report(cx, foreignType(name) ?? M.unknownType(name, importedName(m, name, "type") ?? suggest(name, candidates)), te.span);
        return T.error;
      }
      if (te.path.length === 2) {
        const mod = m.imports.get(te.path[0]);
        if (!mod) {
          if (!importAliasFailed(cx, m, te.path[0])) report(cx, M.unknownType(te.path.join("."), undefined), te.span);
          return T.error;
        }
        const s = mod.structs.get(te.path[1]);
        const en = mod.enums.get(te.path[1]);
        if (!s && !en) { report(cx, M.unknownType(te.path.join("."), suggest(te.path[1], [...mod.structs.keys(), ...mod.enums.keys()])), te.span); return T.error; }
        const info = (s ?? en)!;
        if (!info.pub) report(cx, M.notExported(info.name, mod.alias), te.span);
        if (!arity(te.path.join("."), info.typeParams.length, info.typeParams)) return T.error;
        return checkBounds(cx, s ? { k: "struct", info: s, args } : { k: "enum", info: en!, args }, info.typeParams, te.span);
      }
      report(cx, M.unknownType(te.path.join("."), undefined), te.span);
      return T.error;
    }
  }
}

export function keyType(cx: CheckContext, t: Type, span: A.Span): boolean {
  if (hasEq(t, true)) return true;
  const msg = M.notHashable(showType(t));
  if (t.k === "param") msg.fix = `add a bound where \`${t.p.name}\` is declared: \`<${t.p.name}: Hash>\``;
  report(cx, msg, span);
  return false;
}

/** Reports type arguments that do not satisfy their parameter's bounds. */
export function checkBounds(cx: CheckContext, t: Type, params: TypeParamInfo[], span: A.Span): Type {
  const args = (t as { args: Type[] }).args;
  params.forEach((p, i) => {
    for (const b of p.bounds) if (!satisfiesTrait(args[i], b)) report(cx, unmetBound(b, args[i], showType(t), cx.byFile.get(span.file)), span);
  });
  return t;
}

/** An import whose module failed to load: its uses are not reported again. */
export function importAliasFailed(cx: CheckContext, m: ModuleInfo, alias: string): boolean {
  const lm = cx.program.modules.find((x) => x.file === m.file);
  return !!lm && lm.imports.has(alias) && !m.imports.has(alias);
}

/** A type as written, for messages: an optional function type keeps its parentheses, `(fn(int): int)?`. */
export function showTypeExpr(te: A.TypeExpr): string {
  switch (te.kind) {
    case "TName": return te.path.join(".") + (te.args.length ? `<${te.args.map(showTypeExpr).join(", ")}>` : "");
    case "TOptional": return te.inner.kind === "TFn" ? `(${showTypeExpr(te.inner)})?` : showTypeExpr(te.inner) + "?";
    case "TTuple": return `(${te.elems.map(showTypeExpr).join(", ")})`;
    case "TFn": return `${te.async ? "async " : ""}fn(${te.params.map(showTypeExpr).join(", ")})` + (te.ret ? `: ${showTypeExpr(te.ret)}` : "");
  }
}

/** E0126's fix: a missing method's signature as the impl must write it, the trait's arguments and `Self` filled in
 *  (tester round 13: `fn put(mut self, v: string)`). */
function missingSig(impl: ImplInfo, name: string, target: Type): string {
  const td = impl.trait.methods.get(name)!;
  const sig = traitSig(applyTrait(impl.trait.base ?? impl.trait, impl.traitArgs), name, target);
  const params = td.params.map((p, i) => `${p.mut ? "mut " : ""}${p.name}: ${sig ? showType(sig.params[i] ?? T.error) : "?"}`);
  if (td.selfParam) params.unshift(td.selfParam.mut ? "mut self" : "self");
  const tps = td.typeParams.length ? `<${td.typeParams.map((t) => t.name).join(", ")}>` : "";
  const ret = sig && sig.ret.k !== "unit" ? `: ${showType(sig.ret)}` : "";
  return `${td.async ? "async " : ""}fn ${name}${tps}(${params.join(", ")})${ret} { ... }`;
}
