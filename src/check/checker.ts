// The type checker: resolves every name, gives every expression a type, and
// reports what is wrong with the program (collecting diagnostics and going on,
// with a poison type to keep one mistake from causing a cascade). Its output,
// the TypedProgram, is what the later stages read.

import type * as A from "../syntax/ast.js";
import type { LoadedProgram } from "../syntax/modules.js";
import { at, type Diagnostic, type Message, type Note } from "../diagnostics.js";
import { M } from "../messages.js";
import {
  T, typeEq, showType, hasEq, hasOrd, hasShow, intRange, INT_NAMES, isSigned, subst, containsError, argMap, fieldTypes, variantFields, unifyTypes, findImpl, satisfiesTrait,
  type Type, type IntName, type ModuleInfo, type StructInfo, type FnInfo, type GlobalInfo, type LocalVar,
  type TestInfo, type TypedProgram, type ValueRef, type Builtin, type StrMethod, type CallTarget,
  type EnumInfo, type TraitInfo, type TypeParamInfo, type VariantInfo, type ImplInfo,
} from "./types.js";
import { checkExhaustive, WILD, type NPat, type ArmInfo } from "./exhaustive.js";
import { suggest } from "./suggest.js";
import { asyncMismatchFix } from "./async.js";
import { walkBlock, walkExpr } from "../syntax/walk.js";
import { checkDefiniteAssignment } from "./assigned.js";
import { findCapturedWrites } from "./captures.js";
import { decides, lostValue, newReturnInference, type ReturnInference } from "./returns.js";

const BUILTINS: ReadonlySet<string> = new Set<Builtin>(["print", "println", "eprint", "eprintln", "assert", "panic"]);
const PRIMS: ReadonlyMap<string, Type> = new Map<string, Type>([
  ["int", T.i64], ["float", T.f64], ["bool", T.bool], ["string", T.string],
  ...INT_NAMES.map((n) => [n, T.int(n)] as [string, Type]),
  ["f32", T.float("f32")], ["f64", T.f64],
]);
type TypeEnv = ReadonlyMap<string, TypeParamInfo>;
const NO_ENV: TypeEnv = new Map();

interface StrMethodSig { params: Type[]; ret: Type }
const STR_METHODS: ReadonlyMap<StrMethod, StrMethodSig> = new Map<StrMethod, StrMethodSig>([
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
const MATH_FNS: ReadonlyMap<string, number> = new Map([
  ["sqrt", 1], ["cbrt", 1], ["sin", 1], ["cos", 1], ["tan", 1], ["asin", 1], ["acos", 1], ["atan", 1], ["atan2", 2],
  ["exp", 1], ["log", 1], ["log2", 1], ["log10", 1], ["pow", 2], ["floor", 1], ["ceil", 1], ["round", 1], ["trunc", 1],
  ["hypot", 2], ["abs", 1], ["min", 2], ["max", 2],
]);
const MATH_CONSTS: ReadonlyMap<string, number> = new Map([["PI", Math.PI], ["E", Math.E], ["TAU", 2 * Math.PI]]);

interface CollSig { params: Type[]; ret: Type; needs?: "Ord" | "Eq" | "Show"; vars?: TypeParamInfo[] }

const COLL_METHODS = {
  vec: ["push", "pop", "len", "isEmpty", "insert", "remove", "sort", "contains", "indexOf", "join", "slice", "reversed", "enumerate", "clear", "map", "filter", "sortBy"],
  map: ["get", "set", "has", "delete", "len", "isEmpty", "keys", "values", "clear"],
  set: ["insert", "has", "delete", "len", "isEmpty", "values", "clear"],
};
function collectionMethodNames(k: "vec" | "map" | "set"): string[] { return COLL_METHODS[k]; }

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

interface FnCtx {
  fn: FnInfo | null; // null in tests, closures and global initialisers
  closure?: boolean;
  async?: boolean; // an async closure, or a test block (which may await)
  env: TypeEnv; // type parameters in scope
  ret: Type;
  name: string;
  loops: { broke: boolean }[];
  global?: GlobalInfo; // set while checking a global's initialiser
  infer?: ReturnInference; // a closure whose `return`s decide its result type
}

class Scope {
  vars = new Map<string, LocalVar>();
  constructor(readonly parent: Scope | null) {}
  lookup(name: string): LocalVar | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    return undefined;
  }
  allNames(): string[] {
    const out: string[] = [];
    for (let s: Scope | null = this; s; s = s.parent) out.push(...s.vars.keys());
    return out;
  }
}

/** Parameter and result types for a closure passed to a generic call, where already known. */
interface ClosureHint { params: (Type | undefined)[]; ret: Type | undefined }

/** Result of checking a statement sequence: whether control can reach its end. */
interface Flow { diverges: boolean }

/** Expression statements of these kinds compute a value and do nothing else. */
const PURE_KINDS: ReadonlySet<string> = new Set(["IntLit", "FloatLit", "StrLit", "BoolLit", "NoneLit", "Ident", "Binary", "Unary", "Field", "Cast", "TupleIndex"]);

const isIntLit = (e: A.Expr): boolean =>
  e.kind === "IntLit" || (e.kind === "Unary" && e.op === "-" && e.operand.kind === "IntLit");
const isNumLit = (e: A.Expr): boolean =>
  isIntLit(e) || e.kind === "FloatLit" || (e.kind === "Unary" && e.op === "-" && e.operand.kind === "FloatLit");

export function check(program: LoadedProgram, opts: { requireMain: boolean }): { value: TypedProgram; diagnostics: Diagnostic[] } {
  const c = new Checker(program);
  c.run(opts.requireMain);
  return { value: c.out, diagnostics: c.diags };
}

class Checker {
  diags: Diagnostic[] = [];
  out: TypedProgram;
  private modules: ModuleInfo[] = [];
  private byFile = new Map<string, ModuleInfo>();
  private nextLocal = 0;
  private nextParam = 0;
  private builtinTraits = new Map<string, TraitInfo>();
  private allTraits: TraitInfo[] = [];
  resultEnum!: EnumInfo;
  private methodInfo = new Map<A.FnDecl, FnInfo>();
  private globalState = new Map<GlobalInfo, "active" | "done">();
  private usedCNames = new Set<string>();

  constructor(private program: LoadedProgram) {
    this.out = {
      modules: [], entry: null as unknown as ModuleInfo, structs: [], fns: [], globals: [], tests: [], main: null,
      exprTypes: new Map(), refs: new Map(), calls: new Map(), structLits: new Map(), patLocals: new Map(), letTypes: new Map(), stmtLocals: new Map(),
      enums: [], patVariants: new Map(), closures: new Map(), matchSubjects: new Map(), patFields: new Map(), mathConsts: new Map(),
      awaitAll: new Set(), regionFirstLocal: new Map(),
    };
  }

  private report(m: Message, span: A.Span, ...notes: Note[]): void { this.diags.push(at(m, span, ...notes)); }

  private cname(base: string): string {
    let name = base.replace(/[^A-Za-z0-9_]/g, "_");
    if (this.usedCNames.has(name)) { let i = 2; while (this.usedCNames.has(`${name}_${i}`)) i++; name = `${name}_${i}`; }
    this.usedCNames.add(name);
    return name;
  }

  run(requireMain: boolean): void {
    // Pass 1: modules and their top-level names.
    let id = 0;
    for (const lm of this.program.modules) {
      const isEntry = lm.file === this.program.entry;
      const prefix = isEntry ? "" : lm.alias.replace(/[^A-Za-z0-9_]/g, "_") + (id === 0 ? "" : String(id)) + "__";
      const mi: ModuleInfo = {
        id: id++, file: lm.file, alias: lm.alias, isEntry, isStd: lm.isStd, prefix, ast: lm.ast,
        imports: new Map(), fns: new Map(), structs: new Map(), enums: new Map(), traits: new Map(), globals: new Map(),
      };
      this.modules.push(mi);
      this.byFile.set(lm.file, mi);
    }
    for (const lm of this.program.modules) {
      const mi = this.byFile.get(lm.file)!;
      for (const [alias, file] of lm.imports) {
        const target = this.byFile.get(file);
        if (target) mi.imports.set(alias, target);
      }
    }
    this.out.modules = this.modules;
    this.out.entry = this.modules.find((m) => m.isEntry) ?? this.modules[this.modules.length - 1];
    this.makePrelude();
    for (const m of this.modules) this.declareNames(m);
    // Pass 2: signatures (types of fields, params, globals).
    for (const m of this.modules) this.resolveSignatures(m);
    this.checkRecursiveStructs();
    // Pass 3: bodies.
    for (const m of this.modules) this.checkBodies(m);
    if (this.out.entry) {
      const main = this.out.entry.fns.get("main");
      if (main) {
        this.out.main = main;
        if (main.params.length > 0 || main.ret.k !== "unit") this.report(M.badMain(), main.decl.nameSpan);
      } else if (requireMain) {
        this.report(M.noMain(), { file: this.out.entry.file, start: 0, end: 0, line: 1, col: 1 });
      }
    }
  }

  // ---------- pass 1 ----------
  private declareNames(m: ModuleInfo): void {
    const seen = new Map<string, A.Span>();
    const claim = (what: string, name: string, span: A.Span): boolean => {
      if (seen.has(name) || m.imports.has(name)) { this.report(M.duplicateDefinition(what, name), span); return false; }
      seen.set(name, span);
      return true;
    };
    for (const d of m.ast.decls) {
      switch (d.kind) {
        case "Struct": {
          if (!claim("type", d.name, d.nameSpan)) break;
          const info: StructInfo = { name: d.name, module: m, decl: d, pub: d.pub, typeParams: this.typeParams(d.typeParams), fields: [], methods: new Map(), cname: this.cname(`T_${m.prefix}${d.name}`) };
          m.structs.set(d.name, info);
          this.out.structs.push(info);
          break;
        }
        case "Enum": {
          if (!claim("type", d.name, d.nameSpan)) break;
          const info: EnumInfo = { name: d.name, module: m, decl: d, pub: d.pub, typeParams: this.typeParams(d.typeParams), variants: [], methods: new Map(), recursive: false, cname: this.cname(`E_${m.prefix}${d.name}`) };
          m.enums.set(d.name, info);
          this.out.enums.push(info);
          break;
        }
        case "Trait": {
          if (!claim("trait", d.name, d.nameSpan)) break;
          if (d.typeParams.length) this.report(M.unsupported("generic traits"), d.nameSpan);
          const info: TraitInfo = { name: d.name, module: m, builtin: null, methods: new Map(), sigs: new Map(), impls: [], cname: this.cname(`Tr_${m.prefix}${d.name}`) };
          for (const md of d.methods) {
            if (info.methods.has(md.name)) this.report(M.duplicateDefinition("method", md.name), md.nameSpan);
            else info.methods.set(md.name, md);
          }
          m.traits.set(d.name, info);
          this.allTraits.push(info);
          break;
        }
        case "Fn": {
          if (!claim("function", d.name, d.nameSpan)) break;
          const f = this.makeFn(d, m, null);
          m.fns.set(d.name, f);
          break;
        }
        case "Global": {
          if (!claim(d.form === "const" ? "constant" : "variable", d.name, d.nameSpan)) break;
          const g: GlobalInfo = { name: d.name, module: m, decl: d, pub: d.pub, mutable: d.form === "var", type: T.error, cname: this.cname(`g_${m.prefix}${d.name}`) };
          m.globals.set(d.name, g);
          break;
        }
        case "Impl": case "Import": case "Test": break;
      }
    }
  }

  private typeParams(tps: A.TypeParam[]): TypeParamInfo[] {
    return tps.map((tp) => ({ id: this.nextParam++, name: tp.name, bounds: [] }));
  }

  /** Resolves the bounds of type parameters (after all traits are declared). */
  private resolveBounds(decls: A.TypeParam[], infos: TypeParamInfo[], m: ModuleInfo): void {
    decls.forEach((tp, i) => {
      for (const b of tp.bounds) {
        const tr = this.resolveTrait(b, m);
        if (tr) infos[i].bounds.push(tr);
      }
    });
  }

  private resolveTrait(te: A.TypeExpr, m: ModuleInfo): TraitInfo | null {
    if (te.kind !== "TName") { this.report(M.unknownTrait(showTypeExpr(te), undefined), te.span); return null; }
    const name = te.path[te.path.length - 1];
    let tr: TraitInfo | undefined;
    if (te.path.length === 1) tr = m.traits.get(name) ?? this.builtinTraits.get(name);
    else if (te.path.length === 2) {
      const mod = m.imports.get(te.path[0]);
      tr = mod?.traits.get(name);
      if (tr && mod && !m.isEntry && false) void 0;
    }
    if (!tr) {
      this.report(M.unknownTrait(te.path.join("."), suggest(name, [...m.traits.keys(), ...this.builtinTraits.keys()])), te.span);
      return null;
    }
    return tr;
  }

  private envOf(infos: TypeParamInfo[], base: TypeEnv = NO_ENV): TypeEnv {
    if (!infos.length) return base;
    const env = new Map(base);
    for (const p of infos) env.set(p.name, p);
    return env;
  }

  private makeFn(d: A.FnDecl, m: ModuleInfo, owner: StructInfo | EnumInfo | null, ownerType: Type | null = null, implParams: TypeParamInfo[] = [], impl: ImplInfo | null = null): FnInfo {
    const base = owner ? `m_${owner.cname.slice(2)}_${d.name}` : `f_${m.prefix}${d.name}`;
    const own = this.typeParams(d.typeParams);
    return { name: d.name, module: m, decl: d, pub: d.pub || !!impl, params: [], ret: T.unit, self: null, owner, ownerType, typeParams: [...implParams, ...own], impl, cname: this.cname(base) };
  }

  /** Built-in traits and the `Result` enum, visible in every module. */
  private makePrelude(): void {
    for (const name of ["Eq", "Ord", "Hash", "Show"] as const) {
      this.builtinTraits.set(name, { name, module: null, builtin: name, methods: new Map(), sigs: new Map(), impls: [], cname: `Tr_${name}` });
    }
    const entry = this.out.entry;
    const tpT: TypeParamInfo = { id: this.nextParam++, name: "T", bounds: [] };
    const tpE: TypeParamInfo = { id: this.nextParam++, name: "E", bounds: [] };
    const span = { file: entry?.file ?? "<prelude>", start: 0, end: 0, line: 1, col: 1 };
    this.resultEnum = {
      name: "Result", module: { ...(entry as ModuleInfo), isStd: true }, decl: null, pub: true, typeParams: [tpT, tpE],
      variants: [
        { name: "Ok", index: 0, fields: [{ name: null, type: { k: "param", p: tpT } }], span },
        { name: "Err", index: 1, fields: [{ name: null, type: { k: "param", p: tpE } }], span },
      ],
      methods: new Map(), recursive: false, cname: "E_Result",
    };
    this.out.enums.push(this.resultEnum);
  }

  // ---------- pass 2 ----------
  private resolveSignatures(m: ModuleInfo): void {
    for (const d of m.ast.decls) {
      if (d.kind === "Struct") {
        const info = m.structs.get(d.name);
        if (!info || info.decl !== d) continue;
        this.resolveBounds(d.typeParams, info.typeParams, m);
        const env = this.envOf(info.typeParams);
        const seen = new Set<string>();
        for (const f of d.fields) {
          if (seen.has(f.name)) { this.report(M.duplicateDefinition("field", f.name), f.span); continue; }
          seen.add(f.name);
          info.fields.push({ name: f.name, type: this.resolveType(f.type, m, env), span: f.span });
        }
      } else if (d.kind === "Enum") {
        const info = m.enums.get(d.name);
        if (!info || info.decl !== d) continue;
        this.resolveBounds(d.typeParams, info.typeParams, m);
        const env = this.envOf(info.typeParams);
        const seen = new Set<string>();
        d.variants.forEach((v) => {
          if (seen.has(v.name)) { this.report(M.duplicateDefinition("variant", v.name), v.span); return; }
          seen.add(v.name);
          info.variants.push({ name: v.name, index: info.variants.length, span: v.span, fields: v.fields.map((f) => ({ name: f.name, type: this.resolveType(f.type, m, env) })) });
        });
      }
    }
    for (const tr of m.traits.values()) {
      const decl = m.ast.decls.find((d) => d.kind === "Trait" && d.name === tr.name) as Extract<A.Decl, { kind: "Trait" }> | undefined;
      const env = this.envOf(this.typeParams(decl?.typeParams ?? [])); // generic traits are E0001; their parameters are not unknown types
      for (const [name, md] of tr.methods) {
        if (md.async) this.report(M.unsupported("async methods in traits"), md.span);
        tr.sigs.set(name, {
          params: md.params.map((p) => (p.type ? this.resolveType(p.type, m, env) : T.error)),
          ret: md.ret ? this.resolveType(md.ret, m, env) : T.unit,
        });
      }
    }
    for (const d of m.ast.decls) if (d.kind === "Impl") this.declareImpl(d, m);
    for (const f of m.fns.values()) {
      this.resolveBounds(f.decl.typeParams, f.typeParams, m);
      this.signature(f);
    }
    for (const g of m.globals.values()) {
      if (g.decl.type) g.type = this.resolveType(g.decl.type, m, NO_ENV);
    }
  }

  private declareImpl(d: Extract<A.Decl, { kind: "Impl" }>, m: ModuleInfo): void {
    const implParams = this.typeParams(d.typeParams);
    this.resolveBounds(d.typeParams, implParams, m);
    const env = this.envOf(implParams);
    const target = this.resolveType(d.target, m, env);
    if (target.k === "error") return;
    const owner = target.k === "struct" || target.k === "enum" ? target.info : null;
    if (owner && owner.module !== m && !d.trait) { this.report(M.implOutsideModule(showType(target)), d.target.span); return; }
    if (!owner && !d.trait) { this.report(M.unsupported(`inherent methods on \`${showType(target)}\` (use a trait)`), d.target.span); return; }
    if (owner && !d.trait && (target as { args: Type[] }).args.some((a) => a.k !== "param")) {
      this.report(M.unsupported("methods on one instantiation of a generic type"), d.target.span);
      return;
    }
    let impl: ImplInfo | null = null;
    if (d.trait) {
      const tr = this.resolveTrait(d.trait, m);
      if (!tr) return;
      if (tr.builtin) { this.report(M.builtinTraitImpl(tr.name), d.trait.span); return; }
      if (tr.impls.some((i) => unifyTypes(i.target, target, new Map(), i.typeParams))) { this.report(M.duplicateDefinition("implementation", `${tr.name} for ${showType(target)}`), d.span); return; }
      impl = { trait: tr, target, typeParams: implParams, methods: new Map(), span: d.span };
      tr.impls.push(impl);
    }
    for (const md of d.methods) {
      if (impl) {
        if (!impl.trait.methods.has(md.name)) { this.report(M.notTraitMethod(md.name, impl.trait.name), md.nameSpan); continue; }
        if (md.async) this.report(M.unsupported("async methods in trait implementations"), md.span);
      }
      const table = impl ? impl.methods : owner!.methods;
      if (table.has(md.name) || (impl && owner?.methods.has(md.name))) {
        this.report(M.duplicateDefinition("method", md.name), md.nameSpan);
        continue;
      }
      const f = this.makeFn(md, m, owner, target, implParams, impl);
      table.set(md.name, f);
      if (impl && owner && !owner.methods.has(md.name)) owner.methods.set(md.name, f);
      this.methodInfo.set(md, f);
      this.resolveBounds(md.typeParams, f.typeParams.slice(implParams.length), m);
      this.signature(f);
    }
    if (impl) {
      const missing = [...impl.trait.methods.keys()].filter((n) => !impl!.methods.has(n));
      // Default methods (with bodies in the trait) are not supported yet; every method must be implemented.
      if (missing.length) this.report(M.missingTraitMethods(impl.trait.name, showType(target), missing), d.span);
    }
  }

  private signature(f: FnInfo): void {
    const d = f.decl;
    const env = this.envOf(f.typeParams);
    if (d.extern && !f.module.isStd) this.report(M.unsupported("`extern fn` outside the standard library"), d.span);
    if (d.async && d.selfParam?.mut) this.report(M.asyncMutSelf(d.name), d.selfParam.span);
    if (!d.body && !d.extern) this.report(M.syntax(`function \`${d.name}\` has no body`, "add `{ ... }`"), d.nameSpan);
    if (d.selfParam) {
      if (!f.ownerType) this.report(M.selfOutsideMethod(), d.selfParam.span);
      else {
        const kind = d.selfParam.mut ? "mut" : "self";
        f.self = { kind, local: this.newLocal("self", f.ownerType, d.selfParam.mut, "self", d.selfParam.span) };
      }
    }
    const seen = new Set<string>();
    for (const p of d.params) {
      const t = p.type ? this.resolveType(p.type, f.module, env) : T.error;
      if (seen.has(p.name)) this.report(M.duplicateDefinition("parameter", p.name), p.span);
      seen.add(p.name);
      f.params.push({ name: p.name, type: t, span: p.span, local: this.newLocal(p.name, t, false, "param", p.span) });
    }
    f.ret = d.ret ? this.resolveType(d.ret, f.module, env) : T.unit;
    this.out.fns.push(f);
  }

  private checkRecursiveStructs(): void {
    for (const s of this.out.structs) {
      for (const f of s.fields) {
        const t = f.type.k === "optional" ? f.type.inner : f.type;
        if (t.k === "struct" && this.reaches(t.info, s, new Set())) {
          this.report(M.recursiveStruct(s.name), s.decl.nameSpan);
          f.type = T.error;
          break;
        }
      }
    }
    // An enum whose payloads reach the enum itself by value is stored boxed.
    for (const e of this.out.enums) {
      const seen = new Set<object>();
      const reach = (t: Type): boolean => {
        switch (t.k) {
          case "enum": if (t.info === e) return true; if (seen.has(t.info)) return false; seen.add(t.info);
            return t.info.variants.some((v) => v.fields.some((f) => reach(f.type))) || t.args.some(reach);
          case "struct": if (seen.has(t.info)) return false; seen.add(t.info); return t.info.fields.some((f) => reach(f.type)) || t.args.some(reach);
          case "optional": return reach(t.inner);
          case "tuple": return t.elems.some(reach);
          default: return false; // collections and functions hold pointers already
        }
      };
      e.recursive = e.variants.some((v) => v.fields.some((f) => reach(f.type)));
    }
  }

  private reaches(from: StructInfo, target: StructInfo, seen: Set<StructInfo>): boolean {
    if (from === target) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return from.fields.some((f) => {
      let t = f.type;
      while (t.k === "optional") t = t.inner;
      if (t.k === "tuple") return t.elems.some((x) => x.k === "struct" && this.reaches(x.info, target, seen));
      return t.k === "struct" && this.reaches(t.info, target, seen);
    });
  }

  resolveType(te: A.TypeExpr, m: ModuleInfo, env: TypeEnv): Type {
    switch (te.kind) {
      case "TOptional": {
        const inner = this.resolveType(te.inner, m, env);
        if (inner.k === "optional") { this.report(M.unsupported("nested optionals (`T??`)"), te.span); return T.error; }
        return inner.k === "error" ? T.error : T.optional(inner);
      }
      case "TTuple": {
        if (te.elems.length === 0) return T.unit;
        const elems = te.elems.map((x) => this.resolveType(x, m, env));
        if (elems.length === 1) return elems[0];
        return elems.some((x) => x.k === "error") ? T.error : T.tuple(elems);
      }
      case "TFn": {
        const params = te.params.map((x) => this.resolveType(x, m, env));
        const ret = te.ret ? this.resolveType(te.ret, m, env) : T.unit;
        return params.some((x) => x.k === "error") || ret.k === "error" ? T.error : { k: "fn", params, ret, ...(te.async ? { async: true } : {}) };
      }
      case "TName": {
        const args = te.args.map((x) => this.resolveType(x, m, env));
        const arity = (name: string, n: number): boolean => {
          if (args.length === n) return true;
          this.report(M.wrongTypeArgCount(name, n, args.length), te.span);
          return false;
        };
        if (args.some((x) => x.k === "error")) return T.error;
        if (te.path.length === 1) {
          const name = te.path[0];
          const tp = env.get(name);
          if (tp) return arity(name, 0) ? { k: "param", p: tp } : T.error;
          const prim = PRIMS.get(name);
          if (prim) return arity(name, 0) ? prim : T.error;
          if (name === "Vec" || name === "Set") {
            if (!arity(name, 1)) return T.error;
            if (name === "Set" && !this.keyType(args[0], te.span)) return T.error;
            return name === "Vec" ? T.vec(args[0]) : { k: "set", elem: args[0] };
          }
          if (name === "Map") {
            if (!arity(name, 2) || !this.keyType(args[0], te.span)) return T.error;
            return { k: "map", key: args[0], val: args[1] };
          }
          if (name === "Result") return arity(name, 2) ? { k: "enum", info: this.resultEnum, args } : T.error;
          if (name === "StringBuilder") return arity(name, 0) ? { k: "builder" } : T.error;
          const s = m.structs.get(name);
          if (s) return arity(name, s.typeParams.length) ? this.checkBounds({ k: "struct", info: s, args }, s.typeParams, te.span) : T.error;
          const en = m.enums.get(name);
          if (en) return arity(name, en.typeParams.length) ? this.checkBounds({ k: "enum", info: en, args }, en.typeParams, te.span) : T.error;
          const candidates = [...env.keys(), ...m.structs.keys(), ...m.enums.keys(), ...PRIMS.keys(), "Vec", "Map", "Set", "Result"];
          this.report(M.unknownType(name, suggest(name, candidates)), te.span);
          return T.error;
        }
        if (te.path.length === 2) {
          const mod = m.imports.get(te.path[0]);
          if (!mod) {
            if (!this.importAliasFailed(m, te.path[0])) this.report(M.unknownType(te.path.join("."), undefined), te.span);
            return T.error;
          }
          const s = mod.structs.get(te.path[1]);
          const en = mod.enums.get(te.path[1]);
          if (!s && !en) { this.report(M.unknownType(te.path.join("."), suggest(te.path[1], [...mod.structs.keys(), ...mod.enums.keys()])), te.span); return T.error; }
          const info = (s ?? en)!;
          if (!info.pub) this.report(M.notExported(info.name, mod.alias), te.span);
          if (!arity(te.path.join("."), info.typeParams.length)) return T.error;
          return this.checkBounds(s ? { k: "struct", info: s, args } : { k: "enum", info: en!, args }, info.typeParams, te.span);
        }
        this.report(M.unknownType(te.path.join("."), undefined), te.span);
        return T.error;
      }
    }
  }

  private keyType(t: Type, span: A.Span): boolean {
    if (hasEq(t, true)) return true;
    this.report(M.notHashable(showType(t)), span);
    return false;
  }

  /** Reports type arguments that do not satisfy their parameter's bounds. */
  private checkBounds(t: Type, params: TypeParamInfo[], span: A.Span): Type {
    const args = (t as { args: Type[] }).args;
    params.forEach((p, i) => {
      for (const b of p.bounds) if (!satisfiesTrait(args[i], b)) this.report(M.missingImpl(b.name, showType(args[i]), showType(t)), span);
    });
    return t;
  }

  /** An import whose module failed to load: its uses are not reported again. */
  private importAliasFailed(m: ModuleInfo, alias: string): boolean {
    const lm = this.program.modules.find((x) => x.file === m.file);
    return !!lm && lm.imports.has(alias) && !m.imports.has(alias);
  }

  private newLocal(name: string, type: Type, mutable: boolean, kind: LocalVar["kind"], span: A.Span): LocalVar {
    const id = this.nextLocal++;
    return { id, name, type, mutable, kind, span, cname: `l_${name}_${id}` };
  }

  // ---------- pass 3 ----------
  private checkBodies(m: ModuleInfo): void {
    // Globals first, in order: each initialiser may use the ones before it.
    for (const d of m.ast.decls) {
      if (d.kind !== "Global") continue;
      const g = m.globals.get(d.name);
      if (!g || g.decl !== d) continue;
      this.ensureGlobal(g);
      this.out.globals.push(g);
    }
    for (const d of m.ast.decls) {
      if (d.kind === "Fn") {
        const f = m.fns.get(d.name);
        if (f && f.decl === d) this.checkFnBody(f);
      } else if (d.kind === "Impl") {
        for (const md of d.methods) {
          const f = this.methodInfo.get(md);
          if (f) this.checkFnBody(f);
        }
      } else if (d.kind === "Test") {
        const t: TestInfo = { name: d.name, module: m, decl: d, cname: this.cname(`test_${m.prefix}${this.out.tests.length}`) };
        this.out.tests.push(t);
        const ctx: FnCtx = { fn: null, async: true, env: NO_ENV, ret: T.unit, name: `test "${d.name}"`, loops: [] };
        this.checkBlock(d.body, new Scope(null), ctx, m);
        checkDefiniteAssignment(d.body, this.out, this.diags);
      }
    }
  }

  /** Checks a global's initialiser once; a use before that (a function body
   * in an earlier module, say) checks it on demand so its type is known. */
  private ensureGlobal(g: GlobalInfo): void {
    const state = this.globalState.get(g);
    if (state) return; // done, or in progress (a cycle, reported as use before definition)
    this.globalState.set(g, "active");
    const d = g.decl;
    const ctx: FnCtx = { fn: null, env: NO_ENV, ret: T.unit, name: d.name, loops: [], global: g };
    const declared = d.type ? g.type : undefined;
    const t = this.checkExpr(d.value, new Scope(null), ctx, g.module, declared);
    checkDefiniteAssignment(d.value, this.out, this.diags);
    if (declared) this.expectAssignable(declared, t, d.value);
    else g.type = this.concreteOrReport(t, d.value);
    this.globalState.set(g, "done");
  }

  /** A read of global g from expression e: its type, after checking that an
   * initialiser does not read a global that is initialised after it. */
  private useGlobal(g: GlobalInfo, e: A.Expr, ctx: FnCtx): Type {
    const cur = ctx.global;
    if (cur && cur.module === g.module && g.decl.span.start >= cur.decl.span.start) {
      this.report(M.usedBeforeDefinition(g.name), e.span, { message: `\`${g.name}\` is defined here`, span: g.decl.nameSpan });
      return T.error;
    }
    this.ensureGlobal(g);
    return g.type;
  }

  private checkFnBody(f: FnInfo): void {
    const d = f.decl;
    if (!d.body) return;
    const scope = new Scope(null);
    if (f.self) scope.vars.set("self", f.self.local);
    for (const p of f.params) scope.vars.set(p.name, p.local);
    const ctx: FnCtx = { fn: f, env: this.envOf(f.typeParams), ret: f.ret, name: f.name, loops: [] };
    const flow = this.checkBlock(d.body, new Scope(scope), ctx, f.module);
    checkDefiniteAssignment(d.body, this.out, this.diags);
    if (!flow.diverges && f.ret.k !== "unit" && f.ret.k !== "error") {
      const last = d.body.stmts[d.body.stmts.length - 1];
      const m = M.missingReturn(f.name, showType(f.ret));
      if (last && last.kind === "ExprStmt") {
        const t = this.out.exprTypes.get(last.expr);
        if (t && typeEq(t, f.ret)) { this.report({ ...m, fix: "write `return` before the last expression" }, last.span); return; }
      }
      this.report(m, { ...d.body.span, start: d.body.span.end - 1, end: d.body.span.end, ...this.endPos(d.body.span) });
    }
  }

  /** Line/col of the last character of a span (the closing brace of a body). */
  private endPos(span: A.Span): { line: number; col: number } {
    const src = this.program.sources.get(span.file);
    if (!src) return { line: span.line, col: span.col };
    let line = 1, col = 1;
    const end = Math.max(0, Math.min(span.end - 1, src.length));
    for (let i = 0; i < end; i++) { if (src.charCodeAt(i) === 10) { line++; col = 1; } else col++; }
    return { line, col };
  }

  // ---------- statements ----------
  private checkBlock(b: A.Block, scope: Scope, ctx: FnCtx, m: ModuleInfo): Flow {
    let diverges = false;
    let warned = false;
    b.stmts.forEach((s, i) => {
      if (diverges && !warned) { this.report(M.unreachable(), s.span); warned = true; }
      const f = this.checkStmt(s, scope, ctx, m);
      if (f.diverges) diverges = true;
      // The last statement is left alone: a value there is a missing `return`
      // or `else`, which have diagnostics of their own.
      if (s.kind === "ExprStmt" && i < b.stmts.length - 1 && PURE_KINDS.has(s.expr.kind)) {
        const t = this.out.exprTypes.get(s.expr);
        if (t && t.k !== "error" && t.k !== "unit") this.report(M.unusedResult(), s.span);
      }
    });
    return { diverges };
  }

  private checkStmt(s: A.Stmt, scope: Scope, ctx: FnCtx, m: ModuleInfo): Flow {
    if (s.kind === "Return" && ctx.infer) { this.inferredReturn(s, ctx.infer, scope, ctx, m); return { diverges: true }; }
    switch (s.kind) {
      case "Let": {
        const declared = s.type ? this.resolveType(s.type, m, ctx.env) : undefined;
        let t: Type;
        if (s.value) {
          const vt = this.checkExpr(s.value, scope, ctx, m, declared);
          if (declared) { this.expectAssignable(declared, vt, s.value); t = declared; }
          else t = this.concreteOrReport(vt, s.value);
        } else {
          if (!declared) { this.report(M.cannotInfer("this variable", "write its type (`var x: int`) or give it a value"), s.span); t = T.error; }
          else t = declared;
          if (!s.mutable) this.report(M.syntax("`let` needs a value", "give it a value, or use `var` for a variable set later"), s.span);
        }
        this.out.letTypes.set(s, t);
        this.bindPattern(s.pattern, t, s.mutable, s.mutable ? "var" : "let", scope);
        return { diverges: s.value ? this.out.exprTypes.get(s.value)?.k === "never" : false };
      }
      case "ConstStmt": {
        const declared = s.type ? this.resolveType(s.type, m, ctx.env) : undefined;
        const vt = this.checkExpr(s.value, scope, ctx, m, declared);
        if (declared) this.expectAssignable(declared, vt, s.value);
        const t = declared ?? this.concreteOrReport(vt, s.value);
        this.out.letTypes.set(s, t);
        const v = this.declareLocal(s.name, t, false, "const", s.span, scope);
        if (v) this.out.stmtLocals.set(s, v);
        return { diverges: false };
      }
      case "Assign": return this.checkAssign(s, scope, ctx, m);
      case "ExprStmt": {
        const t = this.checkExpr(s.expr, scope, ctx, m, undefined, true);
        return { diverges: t.k === "never" };
      }
      case "While": {
        const ct = this.checkExpr(s.cond, scope, ctx, m, T.bool);
        this.expectCond(ct, s.cond);
        ctx.loops.push({ broke: false });
        this.checkBlock(s.body, new Scope(scope), ctx, m);
        const loop = ctx.loops.pop()!;
        const infinite = s.cond.kind === "BoolLit" && s.cond.value;
        return { diverges: infinite && !loop.broke };
      }
      case "For": return this.checkFor(s, scope, ctx, m);
      case "Break": case "Continue": {
        const loop = ctx.loops[ctx.loops.length - 1];
        if (!loop) { this.report(M.breakOutside(s.kind === "Break" ? "break" : "continue"), s.span); return { diverges: false }; }
        if (s.kind === "Break") loop.broke = true;
        return { diverges: true };
      }
      case "Return": {
        if (s.value) {
          if (ctx.ret.k === "unit") {
            const t = this.checkExpr(s.value, scope, ctx, m, undefined);
            if (t.k !== "unit" && t.k !== "error" && t.k !== "never") this.report(M.returnValueInUnit(), s.value.span);
          } else {
            const t = this.checkExpr(s.value, scope, ctx, m, ctx.ret);
            this.expectAssignable(ctx.ret, t, s.value);
          }
        } else if (ctx.ret.k !== "unit" && ctx.ret.k !== "error") {
          this.report(M.returnNoValue(showType(ctx.ret)), s.span);
        }
        return { diverges: true };
      }
      case "BlockStmt": return this.checkBlock(s.block, new Scope(scope), ctx, m);
    }
  }

  /** A `return` in a closure whose result type its `return`s decide (see returns.ts). */
  private inferredReturn(s: Extract<A.Stmt, { kind: "Return" }>, inf: ReturnInference, scope: Scope, ctx: FnCtx, m: ModuleInfo): void {
    if (inf.ret === null) {
      const t = s.value ? this.checkExpr(s.value, scope, ctx, m, undefined) : T.unit;
      if (!decides(t) && t.k !== "error") return;
      this.decideReturn(inf, t, (s.value ?? s).span, ctx);
      return;
    }
    const ret = inf.ret;
    const t = s.value ? this.checkExpr(s.value, scope, ctx, m, ret.k === "unit" ? undefined : ret) : T.unit;
    const agrees = ret.k === "unit" ? t.k === "unit" || t.k === "never" || t.k === "error" : this.assignable(ret, t);
    if (!agrees) {
      this.report(M.returnsDisagree(showType(ret), showType(t)), (s.value ?? s).span, { message: `this \`return\` decided \`${showType(ret)}\``, span: inf.first! });
    }
  }

  private decideReturn(inf: ReturnInference, t: Type, span: A.Span, ctx: FnCtx): void {
    inf.ret = t;
    inf.first = span;
    ctx.ret = t;
    for (const p of inf.pendingTries) this.tryResult(p.e, p.operand, ctx);
    inf.pendingTries = [];
  }

  private checkFor(s: Extract<A.Stmt, { kind: "For" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Flow {
    const inner = new Scope(scope);
    if (s.iter.kind === "Range") {
      let lt: Type, ht: Type;
      if (isIntLit(s.iter.lo) && !isIntLit(s.iter.hi)) {
        ht = this.checkExpr(s.iter.hi, scope, ctx, m, undefined);
        lt = this.checkExpr(s.iter.lo, scope, ctx, m, ht.k === "int" ? ht : undefined);
      } else {
        lt = this.checkExpr(s.iter.lo, scope, ctx, m, undefined);
        ht = this.checkExpr(s.iter.hi, scope, ctx, m, lt.k === "int" ? lt : undefined);
      }
      let t: Type = T.error;
      if (lt.k === "error" || ht.k === "error") t = T.error;
      else if (lt.k !== "int") this.report(M.mismatch("int", showType(lt)), s.iter.lo.span);
      else if (!typeEq(lt, ht)) this.report(M.mismatch(showType(lt), showType(ht)), s.iter.hi.span);
      else t = lt;
      this.out.exprTypes.set(s.iter, t);
      this.bindPattern(s.pattern, t, false, "for", inner);
    } else {
      const it = this.checkExpr(s.iter, scope, ctx, m, undefined);
      this.bindPattern(s.pattern, this.iterElem(it, s.iter.span), false, "for", inner);
    }
    ctx.loops.push({ broke: false });
    this.checkBlock(s.body, new Scope(inner), ctx, m);
    ctx.loops.pop();
    return { diverges: false };
  }

  /** A `region` block. Stores from inside it into older memory, and its value, are copied out by the emitter (promotion). */
  private regionType(e: Extract<A.Expr, { kind: "RegionExpr" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
    this.out.regionFirstLocal.set(e, this.nextLocal);
    return stmt ? (this.checkBlock(e.block, new Scope(scope), ctx, m).diverges ? T.never : T.unit) : this.blockValue(e.block, new Scope(scope), ctx, m, expected, false);
  }

  private checkAssign(s: Extract<A.Stmt, { kind: "Assign" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Flow {
    const tt = this.checkPlace(s.target, scope, ctx, m);
    if (s.op === "=") {
      const vt = this.checkExpr(s.value, scope, ctx, m, tt.k === "error" ? undefined : tt);
      if (tt.k !== "error") this.expectAssignable(tt, vt, s.value);
    } else {
      const op = s.op.slice(0, -1) as A.BinOp;
      const vt = this.checkExpr(s.value, scope, ctx, m, tt.k === "error" ? undefined : tt);
      const rt = this.binaryResult(op, tt, vt, s.span, s.value);
      if (rt.k !== "error" && tt.k !== "error" && !typeEq(rt, tt)) this.report(M.mismatch(showType(tt), showType(rt)), s.value.span);
    }
    return { diverges: false };
  }

  /** Checks an assignable place and that it may be written; returns its type. */
  private checkPlace(e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    const t = this.checkExpr(e, scope, ctx, m, undefined);
    const root = this.placeRoot(e);
    if (!root) { if (t.k !== "error") this.report(M.notAPlace(), e.span); return t; }
    if (root.kind === "Index" || root.kind === "TupleIndex") return t;
    const ref = this.out.refs.get(root);
    if (!ref) return t;
    if (ref.kind === "local") {
      const v = ref.v;
      if (!v.mutable) {
        const kind = v.kind === "param" ? "a parameter" : v.kind === "self" ? "`self` in a method without `mut self`" :
          v.kind === "for" ? "a loop variable" : v.kind === "const" ? "a constant" : "a `let` binding";
        const d = at(M.assignImmutable(v.name, kind), e.span, { message: `\`${v.name}\` is declared here`, span: v.span });
        if (v.kind === "self") d.fix = "declare the method with `mut self`";
        if (v.kind === "param") d.fix = `copy it into a variable first: \`var ${v.name}2 = ${v.name}\``;
        this.diags.push(d);
      }
    } else if (ref.kind === "global") {
      if (!ref.g.mutable) this.report(M.assignImmutable(ref.g.name, ref.g.decl.form === "const" ? "a constant" : "a `let` binding"), e.span);
    } else {
      this.report(M.notAPlace(), e.span);
    }
    return t;
  }

  /** The variable a place expression writes into (through fields), or null if it is not a place. */
  private placeRoot(e: A.Expr): A.Expr | null {
    switch (e.kind) {
      case "Ident": return e;
      case "Field": {
        const r = this.out.refs.get(e);
        if (r) return e; // module.global
        return this.placeRoot(e.target);
      }
      case "Index": return e; // an element: collections may be changed through any reference
      case "TupleIndex": return this.placeRoot(e.target); // a tuple is a value: its element is as mutable as the tuple
      default: return null;
    }
  }

  private bindPattern(p: A.Pattern, t: Type, mutable: boolean, kind: LocalVar["kind"], scope: Scope): void {
    switch (p.kind) {
      case "PBind": {
        const v = this.declareLocal(p.name, t, mutable, kind, p.span, scope);
        if (v) this.out.patLocals.set(p, v);
        return;
      }
      case "PWild": return;
      case "PTuple": {
        if (t.k === "error") { for (const x of p.elems) this.bindPattern(x, T.error, mutable, kind, scope); return; }
        if (t.k !== "tuple" || t.elems.length !== p.elems.length) {
          this.report(t.k === "tuple" ? M.patternArity("tuple", t.elems.length, p.elems.length) : M.patternType("tuple", showType(t)), p.span);
          for (const x of p.elems) this.bindPattern(x, T.error, mutable, kind, scope);
          return;
        }
        p.elems.forEach((x, i) => this.bindPattern(x, t.elems[i], mutable, kind, scope));
        return;
      }
      default: this.report(M.unsupported("this pattern in a binding (use `match`)"), p.span);
    }
  }

  private declareLocal(name: string, t: Type, mutable: boolean, kind: LocalVar["kind"], span: A.Span, scope: Scope): LocalVar | null {
    const prev = scope.vars.get(name);
    if (prev) {
      this.report(M.alreadyInScope(name), span, { message: "first defined here", span: prev.span });
      return null;
    }
    const v = this.newLocal(name, t, mutable, kind, span);
    scope.vars.set(name, v);
    return v;
  }

  // ---------- expressions ----------
  private expectCond(t: Type, e: A.Expr): void {
    if (t.k === "optional") this.report({ ...M.conditionNotBool(showType(t)), fix: "test for a value with `if let v = x { ... }` or `x != none`" }, e.span);
    else if (t.k !== "bool" && t.k !== "error" && t.k !== "never") this.report(M.conditionNotBool(showType(t)), e.span);
  }

  /** Reports if a value of type `found` cannot be stored where `expected` is wanted. */
  private expectAssignable(expected: Type, found: Type, e: A.Expr): boolean {
    if (this.assignable(expected, found)) return true;
    let fix: string | undefined;
    if (expected.k === "float" && found.k === "int") fix = `convert it: \`(...) as ${showType(expected)}\``;
    else if (expected.k === "int" && (found.k === "int" || found.k === "float")) fix = `convert it: \`(...) as ${showType(expected)}\``;
    else if (expected.k === "string" && found.k !== "unit") fix = "interpolate it: `\"{x}\"`";
    else if (found.k === "optional" && typeEq(found.inner, expected)) fix = "unwrap it with `!`, or give a default with `?? value`";
    else if (expected.k === "fn" && found.k === "fn" && !expected.async !== !found.async) fix = asyncMismatchFix(expected, found);
    this.report(M.mismatch(showType(expected), showType(found), fix), e.span);
    return false;
  }

  private assignable(expected: Type, found: Type): boolean {
    if (expected.k === "error" || found.k === "error" || found.k === "never") return true;
    if (typeEq(expected, found)) return true;
    if (expected.k === "optional" && this.assignable(expected.inner, found) && found.k !== "optional") return true;
    return false;
  }

  private concreteOrReport(t: Type, e: A.Expr): Type {
    if (t.k === "unit") { this.report(M.unitValue(), e.span); return T.error; }
    if (t.k === "never") return T.error;
    return t;
  }

  private record(e: A.Expr, t: Type): Type { this.out.exprTypes.set(e, t); return t; }

  /** `awaited`: the expression is a call in a position that awaits or spawns it, so an async callee is fine. */
  checkExpr(e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt = false, awaited = false): Type {
    return this.record(e, this.exprType(e, scope, ctx, m, expected, stmt, awaited));
  }

  private exprType(e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean, awaited: boolean): Type {
    switch (e.kind) {
      case "IntLit": return this.intLit(e.value, e.text, e, expected);
      case "FloatLit": return expected?.k === "float" ? expected : (expected?.k === "optional" && expected.inner.k === "float" ? expected.inner : T.f64);
      case "BoolLit": return T.bool;
      case "StrLit": {
        for (const p of e.parts) {
          if (p.kind === "interp") {
            const t = this.checkExpr(p.expr, scope, ctx, m, undefined);
            this.expectShow(t, p.expr);
          }
        }
        return T.string;
      }
      case "NoneLit": {
        if (expected?.k === "optional") return expected;
        if (expected?.k === "error") return T.error;
        if (expected) { this.report(M.mismatch(showType(expected), "none", "only optional types (`T?`) can be `none`"), e.span); return T.error; }
        this.report(M.cannotInfer("`none`", "give the variable a type, e.g. `var x: int? = none`"), e.span);
        return T.error;
      }
      case "Ident": return this.identType(e, scope, ctx, m, expected);
      case "Unary": return this.unaryType(e, scope, ctx, m, expected);
      case "Binary": return this.binaryType(e, scope, ctx, m, expected);
      case "Call": {
        const t = this.callType(e, scope, ctx, m, expected, stmt);
        const name = this.asyncCallee(e);
        if (name !== null && !awaited) this.report(M.asyncCallNotAwaited(name || null), e.span);
        return t;
      }
      case "Field": return this.fieldType(e, scope, ctx, m, expected);
      case "Cast": return this.castType(e, scope, ctx, m);
      case "Unwrap": {
        const t = this.checkExpr(e.operand, scope, ctx, m, expected ? T.optional(expected) : undefined);
        if (t.k === "error") return T.error;
        if (t.k !== "optional") { this.report(M.notOptional("!", showType(t)), e.span); return T.error; }
        return t.inner;
      }
      case "StructLit": return this.structLitType(e, scope, ctx, m, expected);
      case "If": return this.ifType(e, scope, ctx, m, expected, stmt);
      case "IfLet": return this.ifLetType(e, scope, ctx, m, expected, stmt);
      case "BlockExpr": {
        const t = this.blockValue(e.block, new Scope(scope), ctx, m, expected, stmt);
        return t;
      }
      case "TupleLit": {
        if (e.elems.length === 0) return T.unit;
        const want = expected?.k === "tuple" && expected.elems.length === e.elems.length ? expected.elems : undefined;
        const elems = e.elems.map((x, i) => {
          const t = this.checkExpr(x, scope, ctx, m, want?.[i]);
          if (want) this.expectAssignable(want[i], t, x);
          return want && t.k !== "error" ? want[i] : t;
        });
        if (elems.some((x) => x.k === "error")) return T.error;
        for (const [i, x] of elems.entries()) if (x.k === "unit" || x.k === "never") { this.report(M.unitValue(), e.elems[i].span); return T.error; }
        return T.tuple(elems);
      }
      case "TupleIndex": {
        const t = this.checkExpr(e.target, scope, ctx, m, undefined);
        if (t.k === "error") return T.error;
        if (t.k !== "tuple") { this.report(M.noFields(showType(t)), e.span); return T.error; }
        if (e.index >= t.elems.length) { this.report(M.tupleIndex(e.index, showType(t)), e.span); return T.error; }
        return t.elems[e.index];
      }
      case "Index": return this.indexType(e, scope, ctx, m);
      case "Try": return this.tryType(e, scope, ctx, m);
      case "VecLit": return this.vecLitType(e, scope, ctx, m, expected);
      case "MapLit": return this.mapLitType(e, scope, ctx, m, expected);
      case "Range": this.report(M.unsupported("ranges outside `for` loops"), e.span); return T.error;
      case "Match": return this.matchType(e, scope, ctx, m, expected, stmt);
      case "Closure": return this.closureType(e, scope, ctx, m, expected);
      case "Await": return this.awaitType(e, scope, ctx, m, expected);
      case "Spawn": return this.spawnType(e, scope, ctx, m);
      case "RegionExpr": return this.regionType(e, scope, ctx, m, expected, stmt);
    }
  }

  private intLit(value: bigint, text: string, e: A.Expr, expected: Type | undefined): Type {
    let t: Type = T.i64;
    if (expected?.k === "int") t = expected;
    else if (expected?.k === "float") return expected; // an integer literal where a float is expected is that float
    else if (expected?.k === "optional" && expected.inner.k === "int") t = expected.inner;
    else if (expected?.k === "optional" && expected.inner.k === "float") return expected.inner;
    const name = (t as { name: IntName }).name;
    const r = intRange(name);
    if (value < r.min || value > r.max) { this.report(M.literalRange(text, showType(t)), e.span); return T.error; }
    return t;
  }

  private expectShow(t: Type, e: A.Expr): void {
    if (!hasShow(t)) {
      const m = M.notShowable(showType(t));
      if (t.k === "param") m.fix = `add a bound: \`${t.p.name}: Show\``;
      this.report(m, e.span);
    }
  }

  private identType(e: Extract<A.Expr, { kind: "Ident" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    const v = scope.lookup(e.name);
    if (v) { this.out.refs.set(e, { kind: "local", v }); return v.type; }
    const g = m.globals.get(e.name);
    if (g) { this.out.refs.set(e, { kind: "global", g }); return this.useGlobal(g, e, ctx); }
    const variant = this.findVariant(e.name, m, expected, e.span);
    if (variant === "reported") return T.error;
    if (variant) return this.unitVariant(e, variant.type, variant.variant, expected);
    const f = m.fns.get(e.name);
    if (f) return this.fnAsValue(e, f, expected);
    if (m.structs.has(e.name) || m.enums.has(e.name)) { this.report(M.typeNotValue(e.name), e.span); return T.error; }
    if (PRIMS.has(e.name)) { this.report({ ...M.typeNotValue(e.name), fix: undefined }, e.span); return T.error; }
    if (m.imports.has(e.name) || this.importAliasFailed(m, e.name)) {
      if (m.imports.has(e.name)) this.report(M.moduleAsValue(e.name), e.span);
      return T.error;
    }
    if (BUILTINS.has(e.name)) { this.report(M.unsupported("builtin functions as values"), e.span); return T.error; }
    if (e.name === "self") { this.report(M.selfOutsideMethod(), e.span); return T.error; }
    const candidates = [...scope.allNames(), ...m.globals.keys(), ...m.fns.keys()];
    this.report(M.unknownName(e.name, suggest(e.name, candidates)), e.span);
    return T.error;
  }

  /** The name of the async function a call runs ("" for an unnamed async function value), or null for a sync call. */
  private asyncCallee(e: A.Expr): string | null {
    if (e.kind !== "Call") return null;
    const t = this.out.calls.get(e);
    if (t && (t.kind === "fn" || t.kind === "method") && t.f.decl.async) return t.f.name;
    if (t?.kind === "closure" && this.out.exprTypes.get(t.callee)?.k === "fn" && (this.out.exprTypes.get(t.callee) as { async?: boolean }).async) {
      return t.callee.kind === "Ident" || t.callee.kind === "Field" ? t.callee.name : "";
    }
    return null;
  }

  private callName(e: A.Expr): string {
    if (e.kind !== "Call") return "this expression";
    const c = e.callee;
    const n = c.kind === "Ident" ? c.name : c.kind === "Field" ? c.name : null;
    return n ? `\`${n}(...)\` is a sync call` : "this is a sync call";
  }

  /** `await f(x)` and `await all(f(a), g(b))`: only inside an async fn. */
  private awaitType(e: Extract<A.Expr, { kind: "Await" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    if (!(ctx.fn && !ctx.closure ? ctx.fn.decl.async : ctx.async)) {
      const what = ctx.closure ? "this closure" : ctx.fn ? `\`${ctx.fn.name}\`` : ctx.global ? "a global initialiser" : ctx.name;
      this.report(ctx.closure ? M.awaitInSyncClosure() : M.awaitInSync(what, !!ctx.fn), e.span);
    }
    const op = e.operand;
    if (op.kind === "Call" && op.callee.kind === "Ident" && op.callee.name === "all" && !scope.lookup("all") && !m.fns.has("all") && !m.globals.has("all")) {
      if (op.args.length === 0) this.report(M.allArgs(), op.span);
      const elems: Type[] = [];
      for (const a of op.args) {
        const t = this.checkExpr(a, scope, ctx, m, undefined, false, true);
        if (t.k !== "error" && this.asyncCallee(a) === null) this.report(M.awaitNotAsync(a.kind === "Call" ? this.callName(a) : "this is not a function call"), a.span);
        elems.push(t);
      }
      this.out.awaitAll.add(e);
      const tt: Type = { k: "tuple", elems };
      this.out.exprTypes.set(op, tt);
      return tt;
    }
    const t = this.checkExpr(op, scope, ctx, m, expected, false, true);
    if (t.k !== "error" && this.asyncCallee(op) === null) this.report(M.awaitNotAsync(op.kind === "Call" ? this.callName(op) : "this is not a function call"), op.span);
    return t;
  }

  /** `spawn f(x)`: starts f as a detached task; its arguments are copied into the task's region. */
  private spawnType(e: Extract<A.Expr, { kind: "Spawn" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    if (ctx.global) this.report(M.spawnInGlobal(), e.span);
    const op = e.call;
    const t = this.checkExpr(op, scope, ctx, m, undefined, false, true);
    if (t.k !== "error" && this.asyncCallee(op) === null) this.report(M.spawnNotAsync(op.kind === "Call" ? this.callName(op) : "this is not a function call"), op.span);
    return ctx.global ? T.error : T.unit;
  }

  /** A named function used as a value (`list.map(double)`). */
  private fnAsValue(e: A.Expr, f: FnInfo, expected: Type | undefined): Type {
    if (f.decl.async && f.decl.extern && f.ret.k !== "unit") { this.report(M.unsupported(`\`${f.name}\` as a value`), e.span); return T.error; }
    const ft: Type = { k: "fn", params: f.params.map((p) => p.type), ret: f.ret, ...(f.decl.async ? { async: true } : {}) };
    // A generic function is instantiated by the function type the context expects.
    const map = new Map<TypeParamInfo, Type>();
    if (f.typeParams.length && (expected?.k !== "fn" || !unifyTypes(ft, expected, map, f.typeParams) || f.typeParams.some((p) => !map.has(p)))) {
      this.report(M.unsupported(`generic function \`${f.name}\` as a value where no function type is expected (give it one: \`let g: ${showType(ft)} = ${f.name}\` with the type arguments filled in)`), e.span);
      return T.error;
    }
    for (const p of f.typeParams) for (const b of p.bounds) if (!satisfiesTrait(map.get(p)!, b)) this.report(M.missingImpl(b.name, showType(map.get(p)!), f.name), e.span);
    this.out.refs.set(e, { kind: "fn", f, typeArgs: f.typeParams.map((p) => map.get(p)!) });
    return subst(ft, map);
  }

  /** A variant named without its enum: from the expected type, else unique among the module's enums. */
  private findVariant(name: string, m: ModuleInfo, expected: Type | undefined, span: A.Span): { type: Extract<Type, { k: "enum" }>; variant: VariantInfo } | "reported" | null {
    const exp = expected?.k === "optional" ? expected.inner : expected;
    if (exp?.k === "enum") {
      const v = exp.info.variants.find((x) => x.name === name);
      if (v) return { type: exp, variant: v };
    }
    const found: { info: EnumInfo; v: VariantInfo }[] = [];
    for (const en of [...m.enums.values(), this.resultEnum]) {
      const v = en.variants.find((x) => x.name === name);
      if (v) found.push({ info: en, v });
    }
    if (found.length === 0) return null;
    if (found.length > 1) { this.report(M.ambiguousVariant(name, found.map((f) => f.info.name)), span); return "reported"; }
    const { info, v } = found[0];
    return { type: { k: "enum", info, args: info.typeParams.map((p) => ({ k: "param", p }) as Type) }, variant: v };
  }

  /** A unit variant used as a value (`Empty`, `Shape.Empty`). */
  private unitVariant(e: A.Expr, t: Extract<Type, { k: "enum" }>, v: VariantInfo, expected?: Type): Type {
    if (expected?.k === "error") return T.error;
    if (v.fields.length) {
      this.report(M.argCount(v.name, v.fields.length, 0), e.span);
      return T.error;
    }
    if (t.info.typeParams.length && t.args.some((a) => a.k === "param" && t.info.typeParams.includes(a.p))) {
      this.report(M.cannotInfer(`\`${v.name}\``, `give the variable a type, e.g. \`let x: ${t.info.name}<int> = ${v.name}\``), e.span);
      return T.error;
    }
    this.out.refs.set(e, { kind: "variant", type: t, variant: v });
    return t;
  }

  private unaryType(e: Extract<A.Expr, { kind: "Unary" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    if (e.op === "-" && e.operand.kind === "IntLit") {
      // Fold so that the minimum value of each type is writable.
      const t = this.intLit(-e.operand.value, "-" + e.operand.text, e, expected);
      this.record(e.operand, t);
      if (t.k === "int" && !isSigned(t.name)) { this.report(M.literalRange("-" + e.operand.text, showType(t)), e.span); return T.error; }
      return t;
    }
    const t = this.checkExpr(e.operand, scope, ctx, m, e.op === "not" ? T.bool : expected);
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
    this.report(M.unaryType(e.op, showType(t)), e.span);
    return T.error;
  }

  private binaryType(e: Extract<A.Expr, { kind: "Binary" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    const op = e.op;
    if (op === "and" || op === "or") {
      const l = this.checkExpr(e.left, scope, ctx, m, T.bool);
      const r = this.checkExpr(e.right, scope, ctx, m, T.bool);
      if (l.k !== "bool" && l.k !== "error") this.report(M.binaryTypes(op, showType(l), showType(r)), e.left.span);
      else if (r.k !== "bool" && r.k !== "error") this.report(M.binaryTypes(op, showType(l), showType(r)), e.right.span);
      return T.bool;
    }
    if (op === "??") {
      const l = this.checkExpr(e.left, scope, ctx, m, expected ? T.optional(expected) : undefined);
      if (l.k === "error") { this.checkExpr(e.right, scope, ctx, m, undefined); return T.error; }
      if (l.k !== "optional") { this.report(M.notOptional("??", showType(l)), e.left.span); this.checkExpr(e.right, scope, ctx, m, undefined); return T.error; }
      const r = this.checkExpr(e.right, scope, ctx, m, l.inner);
      if (r.k === "optional" && typeEq(r, l)) return l;
      this.expectAssignable(l.inner, r, e.right);
      return l.inner;
    }
    const isCmp = op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";
    const isShift = op === "<<" || op === ">>";
    // Literal operands take their type from the other side.
    let l: Type, r: Type;
    const hint = isCmp ? undefined : expected;
    if (isNumLit(e.left) && !isNumLit(e.right)) {
      r = this.checkExpr(e.right, scope, ctx, m, isShift ? undefined : hint);
      l = this.checkExpr(e.left, scope, ctx, m, isShift ? hint : (r.k === "optional" ? r.inner : r));
    } else if (e.left.kind === "NoneLit") {
      r = this.checkExpr(e.right, scope, ctx, m, undefined);
      l = this.checkExpr(e.left, scope, ctx, m, r.k === "optional" ? r : undefined);
    } else {
      l = this.checkExpr(e.left, scope, ctx, m, hint);
      // The right operand takes its type from the left (literals, `none`, unqualified variants).
      const rhint = isCmp || l.k === "int" || l.k === "float" || l.k === "string" ? (l.k === "error" ? undefined : l) : undefined;
      r = this.checkExpr(e.right, scope, ctx, m, rhint);
    }
    return this.binaryResult(op, l, r, e.span, e.right, e.left.kind === "NoneLit" || e.right.kind === "NoneLit");
  }

  /** The result type of `l op r`, reporting operand errors. */
  private binaryResult(op: A.BinOp, l: Type, r: Type, span: A.Span, rightExpr: A.Expr, noneTest = false): Type {
    if (l.k === "error" || r.k === "error") return op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=" ? T.bool : T.error;
    const sl = showType(l), sr = showType(r);
    switch (op) {
      case "==": case "!=": {
        if (!typeEq(l, r) && !(l.k === "optional" && this.assignable(l, r)) && !(r.k === "optional" && this.assignable(r, l))) {
          this.report(M.binaryTypes(op, sl, sr), span);
        } else if (!hasEq(l) && !noneTest) this.report(M.noEq(sl), span); // `x == none` only tests presence
        return T.bool;
      }
      case "<": case "<=": case ">": case ">=":
        if (!typeEq(l, r)) { this.report(this.numericMismatch(op, l, r), span); return T.bool; }
        if (!hasOrd(l)) this.report(M.noOrd(sl), span);
        return T.bool;
      case "+": case "-": case "*": case "/": case "%":
        if (op === "+" && l.k === "string" && r.k === "string") return T.string;
        if ((l.k === "int" || l.k === "float") && typeEq(l, r)) {
          if ((op === "/" || op === "%") && l.k === "int" && rightExpr.kind === "IntLit" && rightExpr.value === 0n) this.report(M.divisionByZeroConst(), rightExpr.span);
          return l;
        }
        this.report(this.numericMismatch(op, l, r), span);
        return T.error;
      case "&": case "|": case "^": case "<<": case ">>":
        if (l.k === "int" && typeEq(l, r)) return l;
        this.report(M.binaryTypes(op, sl, sr), span);
        return T.error;
      case "and": case "or": case "??":
        return T.error; // handled by the caller
    }
  }

  private numericMismatch(op: string, l: Type, r: Type): Message {
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

  private castType(e: Extract<A.Expr, { kind: "Cast" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    const to = this.resolveType(e.type, m, ctx.env);
    const from = this.checkExpr(e.operand, scope, ctx, m, isNumLit(e.operand) && (to.k === "int" || to.k === "float") ? undefined : undefined);
    if (from.k === "error" || to.k === "error") return to;
    const ok = (from.k === "int" || from.k === "float" || from.k === "bool") && (to.k === "int" || to.k === "float")
      && !(from.k === "bool" && to.k === "float");
    if (!ok && !typeEq(from, to)) { this.report(M.badCast(showType(from), showType(to)), e.span); return T.error; }
    return to;
  }

  private fieldType(e: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    // module.name
    if (e.target.kind === "Ident" && !scope.lookup(e.target.name) && !m.globals.has(e.target.name)) {
      const mod = m.imports.get(e.target.name);
      if (mod) {
        const g = mod.globals.get(e.name);
        if (g) {
          if (!g.pub) this.report(M.notExported(e.name, mod.alias), e.nameSpan);
          this.out.refs.set(e, { kind: "global", g });
          return this.useGlobal(g, e, ctx);
        }
        const mf = mod.fns.get(e.name);
        if (mf) {
          if (!mf.pub) this.report(M.notExported(e.name, mod.alias), e.nameSpan);
          return this.fnAsValue(e, mf, expected);
        }
        if (mod.structs.has(e.name)) { this.report(M.typeNotValue(`${e.target.name}.${e.name}`), e.span); return T.error; }
        this.report(M.unknownName(`${e.target.name}.${e.name}`, suggest(e.name, [...mod.globals.keys(), ...mod.fns.keys()])), e.nameSpan);
        return T.error;
      }
      if (this.importAliasFailed(m, e.target.name)) return T.error;
      const en = m.enums.get(e.target.name) ?? (e.target.name === "Result" ? this.resultEnum : undefined);
      if (en) {
        const v = en.variants.find((x) => x.name === e.name);
        if (!v) { this.report(M.unknownVariant(en.name, e.name, suggest(e.name, en.variants.map((x) => x.name))), e.nameSpan); return T.error; }
        const exp = expected?.k === "optional" ? expected.inner : expected;
        const t: Extract<Type, { k: "enum" }> = exp?.k === "enum" && exp.info === en ? exp : { k: "enum", info: en, args: en.typeParams.map((p) => ({ k: "param", p }) as Type) };
        return this.unitVariant(e, t, v);
      }
      if (m.structs.has(e.target.name)) {
        const s = m.structs.get(e.target.name)!;
        if (s.methods.has(e.name)) { this.report(M.unsupported("functions as values"), e.span); return T.error; }
        this.report(M.unknownName(`${e.target.name}.${e.name}`, undefined), e.nameSpan);
        return T.error;
      }
    }
    if (e.target.kind === "Ident" && e.target.name === "math" && !scope.lookup("math") && !m.globals.has("math") && !m.imports.has("math")) {
      const c = MATH_CONSTS.get(e.name);
      if (c !== undefined) { this.out.mathConsts.set(e, c); return T.f64; }
      this.report(M.unknownName(`math.${e.name}`, suggest(e.name, [...MATH_CONSTS.keys(), ...MATH_FNS.keys()])), e.nameSpan);
      return T.error;
    }
    if (e.target.kind === "Field" && e.target.target.kind === "Ident" && !scope.lookup(e.target.target.name) && !m.globals.has(e.target.target.name)) {
      const mod = m.imports.get(e.target.target.name);
      const en = mod?.enums.get(e.target.name);
      if (mod && en) {
        if (!en.pub) this.report(M.notExported(en.name, mod.alias), e.target.nameSpan);
        const v = en.variants.find((x) => x.name === e.name);
        if (!v) { this.report(M.unknownVariant(en.name, e.name, suggest(e.name, en.variants.map((x) => x.name))), e.nameSpan); return T.error; }
        const exp = expected?.k === "optional" ? expected.inner : expected;
        const et: Extract<Type, { k: "enum" }> = exp?.k === "enum" && exp.info === en ? exp : { k: "enum", info: en, args: en.typeParams.map((p) => ({ k: "param", p }) as Type) };
        return this.unitVariant(e, et, v);
      }
    }
    const t = this.checkExpr(e.target, scope, ctx, m, undefined);
    if (t.k === "error") return T.error;
    if (t.k === "struct") {
      const f = fieldTypes(t).find((x) => x.name === e.name);
      if (f) return f.type;
      if (t.info.methods.has(e.name)) { this.report(M.methodNotField(showType(t), e.name), e.nameSpan); return T.error; }
      this.report(M.unknownField(showType(t), e.name, suggest(e.name, t.info.fields.map((x) => x.name))), e.nameSpan);
      return T.error;
    }
    if (t.k === "string" && STR_METHODS.has(e.name as StrMethod)) {
      this.report(M.methodNotField("string", e.name), e.nameSpan);
      return T.error;
    }
    this.report(M.noFields(showType(t)), e.nameSpan);
    return T.error;
  }

  private structLitType(e: Extract<A.Expr, { kind: "StructLit" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
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
      t = this.resolveType({ kind: "TName", span: e.span, path: e.path, args: e.typeArgs }, m, ctx.env);
    }
    if (t.k !== "struct") {
      if (t.k !== "error") this.report(M.noFields(showType(t)), e.span);
      for (const f of e.fields) this.checkExpr(f.value, scope, ctx, m, undefined);
      return T.error;
    }
    const s = t.info;
    const vars = info ? s.typeParams.filter((p, i) => { const a = (t as { args: Type[] }).args[i]; return a.k === "param" && a.p === p; }) : [];
    const map = new Map<TypeParamInfo, Type>();
    const given = new Set<string>();
    for (const f of e.fields) {
      const fi = s.fields.find((x) => x.name === f.name);
      if (given.has(f.name)) this.report(M.duplicateField(f.name), f.span);
      given.add(f.name);
      if (!fi) {
        this.report(M.unknownField(s.name, f.name, suggest(f.name, s.fields.map((x) => x.name))), f.span);
        this.checkExpr(f.value, scope, ctx, m, undefined);
        continue;
      }
      const declared = subst(fi.type, argMap(s.typeParams, t.args));
      if (vars.length && mentions(declared, vars, map)) {
        const vt = this.checkExpr(f.value, scope, ctx, m, undefined);
        if (!unifyTypes(declared.k === "optional" && vt.k !== "optional" ? declared.inner : declared, vt, map, vars)) this.report(M.mismatch(showType(subst(declared, map)), showType(vt)), f.value.span);
      } else {
        const want = subst(declared, map);
        const vt = this.checkExpr(f.value, scope, ctx, m, want);
        this.expectAssignable(want, vt, f.value);
      }
    }
    const unknownGiven = e.fields.some((f) => !s.fields.some((x) => x.name === f.name));
    const missing = s.fields.filter((f) => !given.has(f.name) && f.type.k !== "optional").map((f) => f.name);
    if (missing.length && !unknownGiven) this.report(M.missingFields(s.name, missing), e.span);
    if (vars.length) {
      const unbound = vars.find((v) => !map.has(v));
      if (unbound) { this.report(M.cannotInferTypeArg(unbound.name, s.name), e.span); return T.error; }
      t = { k: "struct", info: s, args: t.args.map((a) => subst(a, map)) };
      if (t.args.some(containsError)) return T.error;
      this.checkBounds(t, s.typeParams, e.span);
    }
    this.out.structLits.set(e, t);
    return t;
  }

  // ---------- collections ----------
  /** Element type of an iterable for `for x in e`. */
  private iterElem(t: Type, span: A.Span): Type {
    switch (t.k) {
      case "vec": case "set": return t.elem;
      case "map": return T.tuple([t.key, t.val]);
      case "string": this.report({ ...M.notIterable("string"), fix: "iterate over `s.chars()` or `s.bytes()`" }, span); return T.error;
      case "error": return T.error;
      default: this.report(M.notIterable(showType(t)), span); return T.error;
    }
  }

  private vecLitType(e: Extract<A.Expr, { kind: "VecLit" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    if (expected?.k === "error") { for (const x of e.elems) this.checkExpr(x, scope, ctx, m, undefined); return T.error; }
    const exp = expected?.k === "optional" ? expected.inner : expected;
    let elem: Type | undefined = exp?.k === "vec" || exp?.k === "set" ? exp.elem : undefined;
    for (const x of e.elems) {
      const t = this.checkExpr(x, scope, ctx, m, elem);
      if (elem) this.expectAssignable(elem, t, x);
      else if (t.k !== "error" && t.k !== "never") elem = t;
    }
    if (!elem) {
      if (e.elems.length) return T.error;
      this.report(M.cannotInfer("`[]`", "give the variable a type, e.g. `let v: Vec<int> = []`"), e.span);
      return T.error;
    }
    if (elem.k === "unit") { this.report(M.unitValue(), e.span); return T.error; }
    return exp?.k === "set" ? { k: "set", elem } : T.vec(elem);
  }

  private mapLitType(e: Extract<A.Expr, { kind: "MapLit" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    if (expected?.k === "error") { for (const x of e.entries) { this.checkExpr(x.key, scope, ctx, m, undefined); this.checkExpr(x.value, scope, ctx, m, undefined); } return T.error; }
    const exp = expected?.k === "optional" ? expected.inner : expected;
    if (exp?.k === "set" && e.entries.length === 0) return exp;
    if (exp?.k === "vec" && e.entries.length === 0) return exp;
    let key: Type | undefined = exp?.k === "map" ? exp.key : undefined;
    let val: Type | undefined = exp?.k === "map" ? exp.val : undefined;
    for (const en of e.entries) {
      const kt = this.checkExpr(en.key, scope, ctx, m, key);
      if (key) this.expectAssignable(key, kt, en.key); else if (kt.k !== "error") key = kt;
      const vt = this.checkExpr(en.value, scope, ctx, m, val);
      if (val) this.expectAssignable(val, vt, en.value); else if (vt.k !== "error" && vt.k !== "never") val = vt;
    }
    if (!key || !val) {
      if (e.entries.length) return T.error;
      this.report(M.cannotInfer("`{}`", "give the variable a type, e.g. `var m: Map<string, int> = {}`"), e.span);
      return T.error;
    }
    if (!exp && !this.keyType(key, e.span)) return T.error;
    return { k: "map", key, val };
  }

  private indexType(e: Extract<A.Expr, { kind: "Index" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    const t = this.checkExpr(e.target, scope, ctx, m, undefined);
    if (t.k === "vec") {
      const it = this.checkExpr(e.index, scope, ctx, m, T.i64);
      this.expectAssignable(T.i64, it, e.index);
      return t.elem;
    }
    if (t.k === "map") {
      const kt = this.checkExpr(e.index, scope, ctx, m, t.key);
      this.expectAssignable(t.key, kt, e.index);
      return t.val;
    }
    this.checkExpr(e.index, scope, ctx, m, undefined);
    if (t.k === "string") { this.report({ ...M.indexType("string"), fix: "use `s.slice(i, i + 1)` or `s.bytes()[i]`" }, e.span); return T.error; }
    if (t.k !== "error") this.report(M.indexType(showType(t)), e.span);
    return T.error;
  }

  /** `Vec()`, `Map()`, `Set()`, typed from type arguments or the expected type. */
  private collectionCtor(e: Extract<A.Expr, { kind: "Call" }>, name: string, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    if (e.args.length) { this.report(M.argCount(name, 0, e.args.length), e.span); return T.error; }
    let t: Type | undefined;
    if (e.typeArgs.length) t = this.resolveType({ kind: "TName", span: e.span, path: [name], args: e.typeArgs }, m, ctx.env);
    else {
      const exp = expected?.k === "optional" ? expected.inner : expected;
      if (exp && ((name === "Vec" && exp.k === "vec") || (name === "Map" && exp.k === "map") || (name === "Set" && exp.k === "set"))) t = exp;
    }
    if (expected?.k === "error") return T.error;
    if (!t) { this.report(M.cannotInfer(`\`${name}()\``, `write the element types: \`${name}<${name === "Map" ? "string, int" : "int"}>()\`, or annotate the variable`), e.span); return T.error; }
    if (t.k === "error") return T.error;
    this.out.calls.set(e, { kind: "collection", name: "new", recv: null });
    return t;
  }

  /** Methods of Vec, Map and Set. */
  private collectionMethod(e: Extract<A.Expr, { kind: "Call" }>, recvT: Extract<Type, { k: "vec" | "map" | "set" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type | null {
    const name = callee.name;
    const sig = collectionSig(recvT, name);
    if (!sig) return null;
    if (sig.needs === "Ord" && !hasOrd(recvT.k === "map" ? recvT.key : (recvT as { elem: Type }).elem)) {
      this.report(M.noOrd(showType((recvT as { elem: Type }).elem)), callee.nameSpan);
    }
    if (sig.needs === "Eq" && !hasEq((recvT as { elem: Type }).elem)) this.report(M.noEq(showType((recvT as { elem: Type }).elem)), callee.nameSpan);
    if (sig.needs === "Show" && !hasShow((recvT as { elem: Type }).elem)) this.report(M.notShowable(showType((recvT as { elem: Type }).elem)), callee.nameSpan);
    this.out.calls.set(e, { kind: "collection", name, recv: callee.target });
    const vars = sig.vars ?? [];
    return this.inferCall(e, vars, new Map(), sig.params, sig.ret, `${showType(recvT)}.${name}`, scope, ctx, m, expected);
  }

  // ---------- ? and match ----------
  private tryType(e: Extract<A.Expr, { kind: "Try" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    const t = this.checkExpr(e.operand, scope, ctx, m, undefined);
    if (ctx.infer && ctx.infer.ret === null && t.k !== "error") {
      // Which `?` is allowed depends on the result type, not known yet.
      ctx.infer.pendingTries.push({ e, operand: t });
      if (t.k === "optional") return t.inner;
      if (t.k === "enum" && t.info === this.resultEnum) return t.args[0];
    }
    return this.tryResult(e, t, ctx);
  }

  /** The value of `e?` with operand type t, reporting a `?` the enclosing result type does not allow. */
  private tryResult(e: Extract<A.Expr, { kind: "Try" }>, t: Type, ctx: FnCtx): Type {
    if (t.k === "error") return T.error;
    const ret = ctx.ret;
    if (t.k === "optional") {
      if (ret.k !== "optional" && ret.k !== "error") { this.report(M.tryOutsideResult(ctx.name), e.span); return T.error; }
      return t.inner;
    }
    if (t.k !== "enum" || t.info !== this.resultEnum) { this.report(M.notOptional("?", showType(t)), e.span); return T.error; }
    if (ret.k === "error") return t.args[0];
    if (ret.k !== "enum" || ret.info !== this.resultEnum || (!ctx.fn && !ctx.closure)) { this.report(M.tryOutsideResult(ctx.name), e.span); return T.error; }
    if (!typeEq(ret.args[1], t.args[1]) && t.args[1].k !== "error" && ret.args[1].k !== "error") {
      this.report(M.tryErrorMismatch(showType(t.args[1]), showType(ret.args[1])), e.span);
      return T.error;
    }
    return t.args[0];
  }

  private matchType(e: Extract<A.Expr, { kind: "Match" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
    const st = this.checkExpr(e.subject, scope, ctx, m, undefined);
    this.out.matchSubjects.set(e, st);
    const arms: ArmInfo[] = [];
    let result: Type | undefined = stmt ? T.unit : expected;
    let allDiverge = true;
    let bad = false;
    for (const arm of e.arms) {
      const inner = new Scope(scope);
      const pat = this.checkPattern(arm.pattern, st, inner, m);
      if (!pat) bad = true;
      if (arm.guard) { const gt = this.checkExpr(arm.guard, inner, ctx, m, T.bool); this.expectCond(gt, arm.guard); }
      arms.push({ pat: pat ?? WILD, guarded: !!arm.guard });
      let t: Type;
      if (arm.body.kind === "Block") {
        t = stmt ? (this.checkBlock(arm.body, new Scope(inner), ctx, m).diverges ? T.never : T.unit) : this.blockValue(arm.body, new Scope(inner), ctx, m, result, false);
      } else {
        t = this.checkExpr(arm.body, inner, ctx, m, stmt ? undefined : result, stmt);
      }
      if (t.k !== "never") allDiverge = false;
      if (stmt || t.k === "never" || t.k === "error") continue;
      if (!result) { result = t; continue; }
      if (this.assignable(result, t)) continue;
      if (t.k === "optional" && this.assignable(t, result) && !expected) { result = t; continue; }
      const span = arm.body.kind === "Block" ? this.lastExprSpan(arm.body) : arm.body.span;
      this.report(M.mismatch(showType(result), showType(t), "every arm of a `match` value must have the same type"), span);
      bad = true;
    }
    if (st.k !== "error" && !bad) {
      const r = checkExhaustive(st, arms);
      if (r.missing.length) this.report(M.nonExhaustive(r.missing), e.span);
      for (const i of r.unreachable) this.report(M.unreachableArm(), e.arms[i].span);
    }
    if (allDiverge && e.arms.length) return T.never;
    if (stmt) return T.unit;
    if (!result) { this.report(M.cannotInfer("this `match`", "give each arm a value"), e.span); return T.error; }
    return bad ? T.error : result;
  }

  /** Checks a pattern against type t, binding its names in scope; null when it cannot match. */
  private checkPattern(p: A.Pattern, t: Type, scope: Scope, m: ModuleInfo): NPat | null {
    if (t.k === "error") { this.bindAll(p, scope); return WILD; }
    switch (p.kind) {
      case "PWild": return WILD;
      case "PBind": {
        const inner = t.k === "optional" ? t.inner : t;
        if (inner.k === "enum") {
          const v = inner.info.variants.find((x) => x.name === p.name);
          if (v && v.fields.length === 0) {
            this.out.patVariants.set(p, { type: inner, variant: v });
            const c: NPat = { k: "ctor", name: v.name, args: [] };
            return t.k === "optional" ? { k: "ctor", name: "some", args: [c] } : c;
          }
        }
        const v = this.declareLocal(p.name, t, false, "let", p.span, scope);
        if (v) this.out.patLocals.set(p, v);
        return WILD;
      }
      case "PNone":
        if (t.k !== "optional") { this.report(M.patternType("`none`", showType(t)), p.span); return null; }
        return { k: "ctor", name: "none", args: [] };
      case "PLit": case "PRange": {
        const target = t.k === "optional" ? t.inner : t;
        const lits = p.kind === "PLit" ? [p.value] : [p.lo, p.hi];
        let key = "";
        for (const x of lits) {
          const lt = this.checkExpr(x, new Scope(null), { fn: null, env: NO_ENV, ret: T.unit, name: "", loops: [] }, m, target);
          if (lt.k === "error") return null;
          if (!typeEq(lt, target) || (p.kind === "PRange" && lt.k !== "int")) { this.report(M.patternType(p.kind === "PLit" ? "literal" : "range", showType(t)), p.span); return null; }
          key += "|" + litKey(x);
        }
        let np: NPat = target.k === "bool" && p.kind === "PLit" ? { k: "ctor", name: key.slice(1), args: [] } : { k: "lit", key: p.kind + key };
        if (target.k === "int") {
          const lo = intValue(lits[0]), hi0 = intValue(lits[lits.length - 1]);
          const hi = p.kind === "PRange" && !p.inclusive ? hi0 - 1n : hi0;
          np = { k: "range", lo, hi };
        }
        return t.k === "optional" ? { k: "ctor", name: "some", args: [np] } : np;
      }
      case "PTuple": {
        if (t.k !== "tuple" || t.elems.length !== p.elems.length) {
          this.report(t.k === "tuple" ? M.patternArity("tuple", t.elems.length, p.elems.length) : M.patternType("tuple", showType(t)), p.span);
          this.bindAll(p, scope);
          return null;
        }
        const args = p.elems.map((x, i) => this.checkPattern(x, t.elems[i], scope, m));
        return args.some((x) => !x) ? null : { k: "ctor", name: "tuple", args: args as NPat[] };
      }
      case "PVariant": {
        const target = t.k === "optional" ? t.inner : t;
        if (target.k !== "enum") { this.report(M.patternType(`\`${p.path.join(".")}\``, showType(t)), p.span); this.bindAll(p, scope); return null; }
        const name = p.path[p.path.length - 1];
        if (p.path.length === 2 && p.path[0] !== target.info.name) { this.report(M.patternType(`\`${p.path.join(".")}\``, showType(t)), p.span); this.bindAll(p, scope); return null; }
        const v = target.info.variants.find((x) => x.name === name);
        if (!v) {
          this.report(M.unknownVariant(target.info.name, name, suggest(name, target.info.variants.map((x) => x.name))), p.span);
          this.bindAll(p, scope);
          return null;
        }
        this.out.patVariants.set(p, { type: target, variant: v });
        const fields = variantFields(target, v);
        let subs: (A.Pattern | null)[];
        if (p.named) {
          subs = fields.map(() => null);
          for (const nf of p.named) {
            const i = fields.findIndex((f) => f.name === nf.name);
            if (i < 0) { this.report(M.unknownField(`${target.info.name}.${v.name}`, nf.name, suggest(nf.name, fields.map((f) => f.name ?? ""))), nf.pat.span); this.bindAll(nf.pat, scope); continue; }
            subs[i] = nf.pat;
          }
        } else {
          if (p.args.length !== fields.length) {
            this.report(M.patternArity(v.name, fields.length, p.args.length), p.span);
            for (const a of p.args) this.bindAll(a, scope);
            return null;
          }
          subs = p.args;
        }
        // Remember which field each sub-pattern destructures (named patterns skip fields).
        this.out.patFields.set(p, subs);
        const args = subs.map((x, i) => (x ? this.checkPattern(x, fields[i].type, scope, m) : WILD));
        if (args.some((x) => !x)) return null;
        const c: NPat = { k: "ctor", name: v.name, args: args as NPat[] };
        return t.k === "optional" ? { k: "ctor", name: "some", args: [c] } : c;
      }
    }
  }

  /** Declares the names of a pattern that failed to check, so their uses are not reported again. */
  private bindAll(p: A.Pattern, scope: Scope): void {
    switch (p.kind) {
      case "PBind": { const v = this.declareLocal(p.name, T.error, false, "let", p.span, scope); if (v) this.out.patLocals.set(p, v); return; }
      case "PTuple": for (const x of p.elems) this.bindAll(x, scope); return;
      case "PVariant": for (const x of p.args) this.bindAll(x, scope); for (const n of p.named ?? []) this.bindAll(n.pat, scope); return;
      default: return;
    }
  }

  private ifType(e: Extract<A.Expr, { kind: "If" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
    const ct = this.checkExpr(e.cond, scope, ctx, m, T.bool);
    this.expectCond(ct, e.cond);
    return this.branches(e, e.then, e.else_, new Scope(scope), scope, ctx, m, expected, stmt);
  }

  private ifLetType(e: Extract<A.Expr, { kind: "IfLet" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
    const vt = this.checkExpr(e.value, scope, ctx, m, undefined);
    const inner = new Scope(scope);
    if (vt.k === "optional") this.bindPattern(e.pattern, vt.inner, false, "let", inner);
    else {
      if (vt.k !== "error") this.report(M.notOptional("if let", showType(vt)), e.value.span);
      this.bindPattern(e.pattern, T.error, false, "let", inner);
    }
    return this.branches(e, e.then, e.else_, new Scope(inner), scope, ctx, m, expected, stmt);
  }

  /** The two arms of an if / if-let; as a statement (stmt) their values are ignored. */
  private branches(e: A.Expr, then: A.Block, else_: A.Block | A.Expr | null, thenScope: Scope, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
    if (stmt) {
      const a = this.checkBlock(then, thenScope, ctx, m);
      if (!else_) return T.unit;
      const b = else_.kind === "Block" ? this.checkBlock(else_, new Scope(scope), ctx, m) : { diverges: this.checkExpr(else_, scope, ctx, m, undefined, true).k === "never" };
      return a.diverges && b.diverges ? T.never : T.unit;
    }
    if (!else_) {
      this.report(M.ifWithoutElse(), e.span);
      this.checkBlock(then, thenScope, ctx, m);
      return T.error;
    }
    const a = this.blockValue(then, thenScope, ctx, m, expected, false);
    const want = expected ?? (a.k !== "never" && a.k !== "error" ? a : undefined);
    const b = else_.kind === "Block" ? this.blockValue(else_, new Scope(scope), ctx, m, want, false) : this.checkExpr(else_, scope, ctx, m, want);
    if (a.k === "never") return b;
    if (b.k === "never") return a;
    if (a.k === "error" || b.k === "error") return T.error;
    if (expected && this.assignable(expected, a) && this.assignable(expected, b)) return expected;
    if (typeEq(a, b)) return a;
    if (a.k === "optional" && this.assignable(a, b)) return a;
    if (b.k === "optional" && this.assignable(b, a)) return b;
    const span = else_.kind === "Block" ? this.lastExprSpan(else_) : else_.span;
    this.report(M.mismatch(showType(a), showType(b), "both branches of an `if` value must have the same type"), span);
    return T.error;
  }

  private lastExprSpan(b: A.Block): A.Span {
    const last = b.stmts[b.stmts.length - 1];
    return last ? last.span : b.span;
  }

  /** Type of a block used as a value: its last expression statement. */
  private blockValue(b: A.Block, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
    const stmts = b.stmts;
    let diverges = false;
    let warned = false;
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      if (diverges && !warned) { this.report(M.unreachable(), s.span); warned = true; }
      if (i === stmts.length - 1 && s.kind === "ExprStmt" && !stmt) {
        const t = this.checkExpr(s.expr, scope, ctx, m, expected);
        return diverges ? T.never : t;
      }
      if (this.checkStmt(s, scope, ctx, m).diverges) diverges = true;
    }
    if (diverges) return T.never;
    if (!stmt) { this.report(M.unitValue(), stmts.length ? stmts[stmts.length - 1].span : b.span); return T.error; }
    return T.unit;
  }

  // ---------- calls ----------
  private checkArgsLoose(e: Extract<A.Expr, { kind: "Call" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, awaited = false): Type {
    for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined, false, awaited);
    return T.error;
  }

  private callType(e: Extract<A.Expr, { kind: "Call" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
    const callee = e.callee;
    if (callee.kind === "Ident" && !scope.lookup(callee.name) && !m.globals.has(callee.name)) {
      const f = m.fns.get(callee.name);
      if (f) return this.callFn(e, f, [], scope, ctx, m, expected, f.name);
      if (BUILTINS.has(callee.name)) return this.builtinCall(e, callee.name as Builtin, scope, ctx, m);
      const variant = this.findVariant(callee.name, m, expected, callee.span);
      if (variant === "reported") return this.checkArgsLoose(e, scope, ctx, m);
      if (variant) return this.variantCall(e, variant.type, variant.variant, scope, ctx, m, expected);
      if (m.structs.has(callee.name) || m.enums.has(callee.name)) {
        this.report(M.typeNotValue(callee.name), callee.span);
        return this.checkArgsLoose(e, scope, ctx, m);
      }
      if (callee.name === "Vec" || callee.name === "Map" || callee.name === "Set") return this.collectionCtor(e, callee.name, ctx, m, expected);
      if (callee.name === "StringBuilder") {
        if (e.args.length) { this.report(M.argCount("StringBuilder", 0, e.args.length), e.span); return this.checkArgsLoose(e, scope, ctx, m); }
        this.out.calls.set(e, { kind: "builder", name: "new", recv: null });
        return { k: "builder" };
      }
      if (callee.name === "all") {
        this.report(M.allArgs(), callee.span);
        return this.checkArgsLoose(e, scope, ctx, m, true); // one error, not one per argument
      }
      const candidates = [...scope.allNames(), ...m.globals.keys(), ...m.fns.keys(), ...BUILTINS];
      this.report(M.unknownName(callee.name, suggest(callee.name, candidates)), callee.span);
      return this.checkArgsLoose(e, scope, ctx, m);
    }
    if (callee.kind === "Field") {
      if (callee.target.kind === "Ident" && !scope.lookup(callee.target.name) && !m.globals.has(callee.target.name)) {
        const mod = m.imports.get(callee.target.name);
        if (mod) {
          const f = mod.fns.get(callee.name);
          if (f) {
            if (!f.pub) this.report(M.notExported(f.name, mod.alias), callee.nameSpan);
            return this.callFn(e, f, [], scope, ctx, m, expected, `${mod.alias}.${f.name}`);
          }
          this.report(M.unknownName(`${callee.target.name}.${callee.name}`, suggest(callee.name, [...mod.fns.keys()])), callee.nameSpan);
          return this.checkArgsLoose(e, scope, ctx, m);
        }
        if (this.importAliasFailed(m, callee.target.name)) return this.checkArgsLoose(e, scope, ctx, m);
        if (callee.target.name === "math") return this.mathCall(e, callee, scope, ctx, m, expected);
        const s = m.structs.get(callee.target.name);
        if (s) return this.assocCall(e, s, callee, scope, ctx, m, expected);
        const en = m.enums.get(callee.target.name) ?? (callee.target.name === "Result" ? this.resultEnum : undefined);
        if (en) return this.enumPathCall(e, en, callee, scope, ctx, m, expected);
      }
      // module.Type.name(...)
      if (callee.target.kind === "Field" && callee.target.target.kind === "Ident" && !scope.lookup(callee.target.target.name)) {
        const mod = m.imports.get(callee.target.target.name);
        const s = mod?.structs.get(callee.target.name);
        const en = mod?.enums.get(callee.target.name);
        if (mod && (s || en)) {
          if (!(s ?? en)!.pub) this.report(M.notExported((s ?? en)!.name, mod.alias), callee.target.nameSpan);
          return s ? this.assocCall(e, s, callee, scope, ctx, m, expected) : this.enumPathCall(e, en!, callee, scope, ctx, m, expected);
        }
      }
      return this.methodCall(e, callee, scope, ctx, m, expected);
    }
    const t = this.checkExpr(callee, scope, ctx, m, undefined);
    if (t.k === "fn") return this.fnValueCall(e, t, callee, scope, ctx, m, expected);
    this.checkArgsLoose(e, scope, ctx, m);
    if (t.k !== "error") this.report(M.notCallable(showType(t)), callee.span);
    return T.error;
  }

  /** The prelude's `math` functions (on float; `abs`, `min`, `max` on any number). */
  private mathCall(e: Extract<A.Expr, { kind: "Call" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    const name = callee.name;
    const arity = MATH_FNS.get(name);
    if (arity === undefined) {
      this.report(M.unknownName(`math.${name}`, suggest(name, [...MATH_FNS.keys()])), callee.nameSpan);
      return this.checkArgsLoose(e, scope, ctx, m);
    }
    this.out.calls.set(e, { kind: "math", name });
    if (name === "abs" || name === "min" || name === "max") {
      const u: TypeParamInfo = { id: -2, name: "N", bounds: [] };
      const ut: Type = { k: "param", p: u };
      const r = this.inferCall(e, [u], new Map(), Array(arity).fill(ut), ut, `math.${name}`, scope, ctx, m, expected);
      if (r.k !== "int" && r.k !== "float" && r.k !== "error") { this.report(M.mismatch("a number", showType(r)), e.span); return T.error; }
      return r;
    }
    return this.inferCall(e, [], new Map(), Array(arity).fill(T.f64), T.f64, `math.${name}`, scope, ctx, m, expected);
  }

  /** Calling a function value (a closure, a parameter of function type, a function named as a value). */
  private fnValueCall(e: Extract<A.Expr, { kind: "Call" }>, t: Extract<Type, { k: "fn" }>, callee: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    this.out.calls.set(e, { kind: "closure", callee });
    const name = callee.kind === "Ident" ? callee.name : callee.kind === "Field" ? callee.name : "this function value";
    return this.inferCall(e, [], new Map(), t.params, t.ret, name, scope, ctx, m, expected);
  }

  /** A closure: parameter types from annotations or the expected function type; captures copied by value. */
  /** `hint`: parameter and result types from a generic call's partly inferred signature (inferCall). */
  private closureType(e: Extract<A.Expr, { kind: "Closure" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, hint: ClosureHint | null = null): Type {
    // An optional function type (`(fn(int): int)?`) guides the closure it wraps.
    if (expected?.k === "optional" && expected.inner.k === "fn") expected = expected.inner;
    const exp = expected?.k === "fn" && expected.params.length === e.params.length ? expected : undefined;
    if (expected?.k === "fn" && !exp && !hint) {
      // The wrong number of parameters: one mismatch, not an error per parameter.
      this.report(M.mismatch(showType(expected), `a closure with ${e.params.length} parameter${e.params.length === 1 ? "" : "s"}`), e.span);
      const inner = new Scope(scope);
      for (const p of e.params) this.declareLocal(p.name, T.error, false, "param", p.span, inner);
      if (e.body.kind === "Block") this.checkBlock(e.body, new Scope(inner), { fn: null, closure: true, async: e.async, env: ctx.env, ret: T.error, name: "closure", loops: [] }, m);
      else this.checkExpr(e.body, inner, { fn: null, closure: true, async: e.async, env: ctx.env, ret: T.error, name: "closure", loops: [] }, m, undefined);
      return T.error;
    }
    const first = this.nextLocal;
    const inner = new Scope(scope);
    const params: LocalVar[] = [];
    let ok = true;
    e.params.forEach((p, i) => {
      let t: Type | undefined = p.type ? this.resolveType(p.type, m, ctx.env) : hint ? hint.params[i] : exp?.params[i];
      if (!t) { this.report(M.closureParamType(p.name), p.span); t = T.error; ok = false; }
      const v = this.declareLocal(p.name, t, false, "param", p.span, inner);
      params.push(v ?? this.newLocal(p.name, t, false, "param", p.span));
    });
    let ret: Type | undefined = e.ret ? this.resolveType(e.ret, m, ctx.env) : hint ? hint.ret : exp?.ret;
    const cctx: FnCtx = { fn: null, closure: true, async: e.async, env: ctx.env, ret: ret ?? T.error, name: "closure", loops: [] };
    if (e.body.kind === "Block") {
      if (!ret) cctx.infer = newReturnInference(); // its `return`s decide it
      const flow = this.checkBlock(e.body, new Scope(inner), cctx, m);
      if (cctx.infer) {
        if (cctx.infer.ret === null) {
          // No `return` with a value: the result is (), and a value left last would be lost.
          const lost = lostValue(e.body, this.out.exprTypes, PURE_KINDS);
          if (lost) this.report(M.closureValueLost(), lost.span);
          this.decideReturn(cctx.infer, lost ? T.error : T.unit, e.span, cctx);
        }
        ret = cctx.infer.ret ?? T.error;
      }
      if (ret && !flow.diverges && ret.k !== "unit" && ret.k !== "error") this.report(M.missingReturn("closure", showType(ret)), e.span);
    } else {
      const bt = this.checkExpr(e.body, inner, cctx, m, ret && ret.k !== "unit" ? ret : undefined);
      if (ret && ret.k !== "unit") this.expectAssignable(ret, bt, e.body);
      else if (!ret) ret = bt.k === "never" ? T.unit : bt;
    }
    // Captures: locals declared outside the closure that its body reads.
    const captures = new Set<LocalVar>();
    const visit = (x: A.Expr) => {
      const r = this.out.refs.get(x);
      if (r?.kind === "local" && r.v.id < first) captures.add(r.v);
    };
    if (e.body.kind === "Block") walkBlock(e.body, visit); else walkExpr(e.body, visit);
    this.checkCapturedWrites(e.body, first);
    const fnT: Type = { k: "fn", params: params.map((p) => p.type), ret: ret ?? T.error, ...(e.async ? { async: true } : {}) };
    this.out.closures.set(e, { params, ret: ret ?? T.error, captures: [...captures], cname: "" });
    return ok && !containsError(fnT) ? fnT : T.error;
  }

  /** Closures capture by value: writing a captured variable would change only the copy (captures.ts). */
  private checkCapturedWrites(body: A.Block | A.Expr, first: number): void {
    findCapturedWrites(body, first, this.out, this.diags);
  }

  /** `Shape.Circle(1.0)` or `Shape.make(...)` on an enum. */
  private enumPathCall(e: Extract<A.Expr, { kind: "Call" }>, en: EnumInfo, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    const v = en.variants.find((x) => x.name === callee.name);
    const generic: Extract<Type, { k: "enum" }> = { k: "enum", info: en, args: en.typeParams.map((p) => ({ k: "param", p }) as Type) };
    if (v) return this.variantCall(e, generic, v, scope, ctx, m, expected);
    const f = en.methods.get(callee.name);
    if (f && !f.self) return this.callFn(e, f, [], scope, ctx, m, expected, `${en.name}.${f.name}`);
    if (f) { this.report(M.methodOnType(en.name, f.name), callee.span); return this.checkArgsLoose(e, scope, ctx, m); }
    this.report(M.unknownVariant(en.name, callee.name, suggest(callee.name, [...en.variants.map((x) => x.name), ...en.methods.keys()])), callee.nameSpan);
    return this.checkArgsLoose(e, scope, ctx, m);
  }

  /** A variant constructor call: its enum's type arguments are inferred like a generic function's. */
  private variantCall(e: Extract<A.Expr, { kind: "Call" }>, t: Extract<Type, { k: "enum" }>, v: VariantInfo, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    const info = t.info;
    const vars = info.typeParams;
    const generic: Type = { k: "enum", info, args: vars.map((p) => ({ k: "param", p }) as Type) };
    const map = new Map<TypeParamInfo, Type>();
    // Arguments already fixed by the context (e.g. the expected type).
    t.args.forEach((a, i) => { if (!(a.k === "param" && a.p === vars[i])) map.set(vars[i], a); });
    const ret = this.inferCall(e, vars, map, v.fields.map((f) => f.type), generic, v.name, scope, ctx, m, expected);
    if (ret.k !== "enum") return ret;
    this.out.calls.set(e, { kind: "variant", type: ret, variant: v });
    return ret;
  }

  private callFn(e: Extract<A.Expr, { kind: "Call" }>, f: FnInfo, preset: [TypeParamInfo, Type][], scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, name: string, recv?: A.Expr): Type {
    const map = new Map<TypeParamInfo, Type>(preset);
    const own = f.typeParams.slice(f.typeParams.length - f.decl.typeParams.length);
    if (e.typeArgs.length) {
      if (e.typeArgs.length !== own.length) this.report(M.wrongTypeArgCount(name, own.length, e.typeArgs.length), e.span);
      else own.forEach((p, i) => map.set(p, this.resolveType(e.typeArgs[i], m, ctx.env)));
    }
    const ret = this.inferCall(e, f.typeParams, map, f.params.map((p) => p.type), f.ret, name, scope, ctx, m, expected);
    const typeArgs = f.typeParams.map((p) => map.get(p) ?? T.error);
    this.out.calls.set(e, recv ? { kind: "method", f, recv, typeArgs } : { kind: "fn", f, typeArgs });
    return ret;
  }

  /** Checks arguments against parameter types, inferring the type variables `vars`; returns the substituted result type. */
  private inferCall(e: Extract<A.Expr, { kind: "Call" }>, vars: TypeParamInfo[], map: Map<TypeParamInfo, Type>, params: Type[], ret: Type, name: string, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    if (e.args.length !== params.length) {
      this.report(M.argCount(name, params.length, e.args.length), e.span);
      this.checkArgsLoose(e, scope, ctx, m);
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
        const t = this.checkExpr(a, scope, ctx, m, want);
        this.expectAssignable(want, t, a);
        return;
      }
      let t: Type;
      if (a.kind === "Closure" && p.k === "fn") {
        const known = (x: Type) => (mentions(x, vars, map) ? undefined : subst(x, map));
        t = this.record(a, this.closureType(a, scope, ctx, m, undefined, { params: p.params.map(known), ret: known(p.ret) }));
      } else t = this.checkExpr(a, scope, ctx, m, undefined);
      if (t.k === "error") return;
      const tryMap = new Map(map);
      const target = p.k === "optional" && t.k !== "optional" ? p.inner : p;
      if (unifyTypes(target, t, tryMap, vars)) { for (const [k, v] of tryMap) map.set(k, v); }
      else this.report(M.mismatch(showType(subst(p, map)), showType(t)), a.span);
    });
    for (const v of vars) {
      const got = map.get(v);
      if (!got) {
        if (mentionsParam(ret, v) || params.some((p) => mentionsParam(p, v))) { this.report(M.cannotInferTypeArg(v.name, name), e.span); return T.error; }
        continue;
      }
      if (containsError(got)) return T.error;
      for (const b of v.bounds) if (!satisfiesTrait(got, b)) this.report(M.missingImpl(b.name, showType(got), name), e.span);
    }
    return subst(ret, map);
  }

  private assocCall(e: Extract<A.Expr, { kind: "Call" }>, s: StructInfo, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    const f = s.methods.get(callee.name);
    if (!f) {
      this.report(M.unknownMethod(s.name, callee.name, suggest(callee.name, [...s.methods.keys()])), callee.nameSpan);
      return this.checkArgsLoose(e, scope, ctx, m);
    }
    if (f.self) {
      this.report(M.methodOnType(s.name, f.name), callee.span);
      return this.checkArgsLoose(e, scope, ctx, m);
    }
    if (f.module !== m && !f.pub) this.report(M.notExported(`${s.name}.${f.name}`, f.module.alias), callee.nameSpan);
    return this.callFn(e, f, [], scope, ctx, m, expected, `${s.name}.${f.name}`);
  }

  /** Finds method `name` for receiver type t: inherent or trait methods of structs and enums, trait impls, and bounds. */
  private lookupMethod(t: Type, name: string): { f: FnInfo; preset: [TypeParamInfo, Type][] } | { trait: TraitInfo } | null {
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
    for (const tr of this.allTraits) {
      if (!tr.methods.has(name)) continue;
      const found = findImpl(tr, t);
      const f = found?.impl.methods.get(name);
      if (found && f) return { f, preset: [...found.args] };
    }
    return null;
  }

  private methodCall(e: Extract<A.Expr, { kind: "Call" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
    const recvT = this.checkExpr(callee.target, scope, ctx, m, undefined);
    if (recvT.k === "error") return this.checkArgsLoose(e, scope, ctx, m);
    const found = this.lookupMethod(recvT, callee.name);
    if (found && "f" in found) {
      const f = found.f;
      if (!f.self) {
        this.report(M.staticOnValue(showType(recvT), f.name), callee.nameSpan);
        return this.checkArgsLoose(e, scope, ctx, m);
      }
      if (f.module !== m && !f.pub) this.report(M.notExported(`${showType(recvT)}.${f.name}`, f.module.alias), callee.nameSpan);
      if (f.self.kind === "mut") this.checkMutReceiver(callee.target, f.name);
      return this.callFn(e, f, found.preset, scope, ctx, m, expected, `${showType(recvT)}.${f.name}`, callee.target);
    }
    if (found && "trait" in found) {
      const decl = found.trait.methods.get(callee.name)!;
      const { params, ret } = found.trait.sigs.get(callee.name) ?? { params: [], ret: T.error };
      if (decl.selfParam?.mut) this.checkMutReceiver(callee.target, callee.name);
      this.out.calls.set(e, { kind: "traitMethod", trait: found.trait, name: callee.name, recv: callee.target, recvType: recvT });
      return this.inferCall(e, [], new Map(), params, ret, `${showType(recvT)}.${callee.name}`, scope, ctx, m, expected);
    }
    if (recvT.k === "vec" || recvT.k === "map" || recvT.k === "set") {
      const r = this.collectionMethod(e, recvT, callee, scope, ctx, m, expected);
      if (r) return r;
      this.report(M.unknownMethod(showType(recvT), callee.name, suggest(callee.name, collectionMethodNames(recvT.k))), callee.nameSpan);
      return this.checkArgsLoose(e, scope, ctx, m);
    }
    if (recvT.k === "builder") {
      const name = callee.name;
      const sigs: Record<string, { params: Type[]; ret: Type }> = {
        append: { params: [T.string], ret: T.unit }, len: { params: [], ret: T.i64 }, toString: { params: [], ret: T.string }, clear: { params: [], ret: T.unit },
      };
      if (name === "append" && e.args.length === 1) {
        // append takes any printable value, as interpolation does
        this.out.calls.set(e, { kind: "builder", name, recv: callee.target });
        const t = this.checkExpr(e.args[0], scope, ctx, m, undefined);
        this.expectShow(t, e.args[0]);
        return T.unit;
      }
      const sig = sigs[name];
      if (!sig) { this.report(M.unknownMethod("StringBuilder", name, suggest(name, Object.keys(sigs))), callee.nameSpan); return this.checkArgsLoose(e, scope, ctx, m); }
      this.out.calls.set(e, { kind: "builder", name, recv: callee.target });
      return this.inferCall(e, [], new Map(), sig.params, sig.ret, `StringBuilder.${name}`, scope, ctx, m, expected);
    }
    if (recvT.k === "string") {
      const sig = STR_METHODS.get(callee.name as StrMethod);
      if (sig) {
        this.out.calls.set(e, { kind: "strMethod", name: callee.name as StrMethod, recv: callee.target });
        return this.inferCall(e, [], new Map(), sig.params, sig.ret, `string.${callee.name}`, scope, ctx, m, expected);
      }
      this.report(M.unknownMethod("string", callee.name, suggest(callee.name, [...STR_METHODS.keys()])), callee.nameSpan);
      return this.checkArgsLoose(e, scope, ctx, m);
    }
    if (recvT.k === "enum" && recvT.info === this.resultEnum && (callee.name === "isOk" || callee.name === "isErr")) {
      this.out.calls.set(e, { kind: "resultMethod", name: callee.name, recv: callee.target });
      return this.inferCall(e, [], new Map(), [], T.bool, `Result.${callee.name}`, scope, ctx, m, expected);
    }
    if (recvT.k === "struct") {
      const field = fieldTypes(recvT).find((x) => x.name === callee.name);
      if (field && field.type.k === "fn") {
        this.record(callee, field.type);
        return this.fnValueCall(e, field.type, callee, scope, ctx, m, expected);
      }
      if (field) {
        this.report(M.notCallable(showType(field.type)), callee.span);
        return this.checkArgsLoose(e, scope, ctx, m);
      }
    }
    const unknown = recvT.k === "param" ? M.noMethodOnParam(recvT.p.name, callee.name)
      : M.unknownMethod(showType(recvT), callee.name, recvT.k === "struct" || recvT.k === "enum" ? suggest(callee.name, [...recvT.info.methods.keys()]) : undefined);
    if (recvT.k === "optional") unknown.fix = `unwrap it first: \`x!.${callee.name}(...)\`, \`if let v = x { v.${callee.name}(...) }\` or \`(x ?? default).${callee.name}(...)\``;
    this.report(unknown, callee.nameSpan);
    return this.checkArgsLoose(e, scope, ctx, m);
  }

  /** A `mut self` method needs a receiver that may be written. */
  private checkMutReceiver(recv: A.Expr, method: string): void {
    const root = this.placeRoot(recv);
    if (!root) { this.report(M.mutMethodOnTemporary(method), recv.span); return; }
    const ref = this.out.refs.get(root);
    if (!ref) return;
    if (ref.kind === "local" && !ref.v.mutable) {
      const d = at(M.mutMethodOnImmutable(ref.v.name, method), recv.span, { message: `\`${ref.v.name}\` is declared here`, span: ref.v.span });
      if (ref.v.kind === "self") d.fix = "declare this method with `mut self` too";
      else if (ref.v.kind === "param") d.fix = `copy it into a variable first: \`var ${ref.v.name}2 = ${ref.v.name}\``;
      this.diags.push(d);
    } else if (ref.kind === "global" && !ref.g.mutable) {
      this.report(M.mutMethodOnImmutable(ref.g.name, method), recv.span);
    }
  }

  private builtinCall(e: Extract<A.Expr, { kind: "Call" }>, name: Builtin, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    this.out.calls.set(e, { kind: "builtin", name });
    const args = e.args;
    switch (name) {
      case "print": case "println": case "eprint": case "eprintln": {
        const max = 1;
        const min = name === "println" || name === "eprintln" ? 0 : 1;
        if (args.length < min || args.length > max) {
          this.report({ ...M.argCount(name, max, args.length), fix: args.length > 1 ? "interpolate several values into one string: `\"{a} {b}\"`" : undefined }, e.span);
        }
        for (const a of args) { const t = this.checkExpr(a, scope, ctx, m, undefined); this.expectShow(t, a); }
        return T.unit;
      }
      case "assert": {
        if (args.length < 1 || args.length > 2) this.report({ ...M.argCount("assert", 1, args.length), message: `\`assert\` takes a condition and an optional message, but ${args.length} arguments were given` }, e.span);
        if (args[0]) { const t = this.checkExpr(args[0], scope, ctx, m, T.bool); this.expectCond(t, args[0]); }
        if (args[1]) { const t = this.checkExpr(args[1], scope, ctx, m, T.string); this.expectAssignable(T.string, t, args[1]); }
        for (const a of args.slice(2)) this.checkExpr(a, scope, ctx, m, undefined);
        return T.unit;
      }
      case "panic": {
        if (args.length !== 1) this.report(M.argCount("panic", 1, args.length), e.span);
        for (const a of args) { const t = this.checkExpr(a, scope, ctx, m, undefined); this.expectShow(t, a); }
        return T.never;
      }
    }
  }
}

/** Does t mention one of vars that `map` has not bound yet? */
function mentions(t: Type, vars: TypeParamInfo[], map: Map<TypeParamInfo, Type>): boolean {
  return vars.some((v) => !map.has(v) && mentionsParam(t, v));
}

function mentionsParam(t: Type, v: TypeParamInfo): boolean {
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

function intValue(e: A.Expr): bigint {
  if (e.kind === "IntLit") return e.value;
  if (e.kind === "Unary" && e.op === "-" && e.operand.kind === "IntLit") return -e.operand.value;
  return 0n;
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

function showTypeExpr(te: A.TypeExpr): string {
  switch (te.kind) {
    case "TName": return te.path.join(".") + (te.args.length ? `<${te.args.map(showTypeExpr).join(", ")}>` : "");
    case "TOptional": return showTypeExpr(te.inner) + "?";
    case "TTuple": return `(${te.elems.map(showTypeExpr).join(", ")})`;
    case "TFn": return `fn(${te.params.map(showTypeExpr).join(", ")})` + (te.ret ? `: ${showTypeExpr(te.ret)}` : "");
  }
}
