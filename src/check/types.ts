// Semantic types and the symbol tables the checker builds: what a name means,
// what type an expression has. Later stages read these; they never re-derive.

import type * as A from "../syntax/ast.js";
import type { DecisionTree } from "./decision.js";

export type IntName = "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64";
export type FloatName = "f32" | "f64";

export type Type =
  | { k: "int"; name: IntName }
  | { k: "float"; name: FloatName }
  | { k: "bool" }
  | { k: "string" }
  | { k: "unit" }
  | { k: "never" } // the type of panic(), and of blocks that always leave
  | { k: "struct"; info: StructInfo; args: Type[] }
  | { k: "enum"; info: EnumInfo; args: Type[] }
  | { k: "optional"; inner: Type }
  | { k: "tuple"; elems: Type[] }
  | { k: "fn"; params: Type[]; ret: Type; async?: boolean } // async: calling gives a future to await or spawn
  | { k: "vec"; elem: Type }
  | { k: "map"; key: Type; val: Type }
  | { k: "set"; elem: Type }
  | { k: "param"; p: TypeParamInfo } // a type parameter of a generic declaration
  | { k: "builder" } // StringBuilder: a handle to a growable string buffer
  | { k: "task"; inner: Type } // Task<T>: the handle `spawn` gives; `await h` is the task's result
  | { k: "error" }; // poison: already reported, suppresses follow-on errors

export interface TypeParamInfo {
  id: number;
  name: string;
  bounds: TraitInfo[];
  /** `Self` inside an impl: a name for the impl's target type, not a parameter (declarations.ts, fnEnv). */
  alias?: Type;
}

export const T = {
  i64: { k: "int", name: "i64" } as Type,
  f64: { k: "float", name: "f64" } as Type,
  bool: { k: "bool" } as Type,
  string: { k: "string" } as Type,
  unit: { k: "unit" } as Type,
  never: { k: "never" } as Type,
  error: { k: "error" } as Type,
  int: (name: IntName): Type => ({ k: "int", name }),
  float: (name: FloatName): Type => ({ k: "float", name }),
  optional: (inner: Type): Type => ({ k: "optional", inner }),
  tuple: (elems: Type[]): Type => ({ k: "tuple", elems }),
  vec: (elem: Type): Type => ({ k: "vec", elem }),
};

export const INT_NAMES: readonly IntName[] = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];

export function intRange(n: IntName): { min: bigint; max: bigint } {
  const bits = BigInt(Number(n.slice(1)));
  if (n[0] === "u") return { min: 0n, max: (1n << bits) - 1n };
  return { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n };
}

export function isSigned(n: IntName): boolean { return n[0] === "i"; }
export function intBits(n: IntName): number { return Number(n.slice(1)); }

const listEq = (a: Type[], b: Type[]) => a.length === b.length && a.every((x, i) => typeEq(x, b[i]));

export function typeEq(a: Type, b: Type): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case "int": return a.name === (b as typeof a).name;
    case "float": return a.name === (b as typeof a).name;
    case "struct": return a.info === (b as typeof a).info && listEq(a.args, (b as typeof a).args);
    case "enum": return a.info === (b as typeof a).info && listEq(a.args, (b as typeof a).args);
    case "optional": case "task": return typeEq(a.inner, (b as typeof a).inner);
    case "tuple": return listEq(a.elems, (b as typeof a).elems);
    case "fn": return !a.async === !(b as typeof a).async && listEq(a.params, (b as typeof a).params) && typeEq(a.ret, (b as typeof a).ret);
    case "vec": case "set": return typeEq(a.elem, (b as typeof a).elem);
    case "map": return typeEq(a.key, (b as typeof a).key) && typeEq(a.val, (b as typeof a).val);
    case "param": return a.p === (b as typeof a).p;
    case "bool": case "string": case "unit": case "never": case "error": case "builder": return true;
  }
}

/** Replaces type parameters by their arguments. */
export function subst(t: Type, m: ReadonlyMap<TypeParamInfo, Type>): Type {
  if (m.size === 0) return t;
  switch (t.k) {
    case "param": return m.get(t.p) ?? t;
    case "struct": return t.args.length ? { k: "struct", info: t.info, args: t.args.map((x) => subst(x, m)) } : t;
    case "enum": return t.args.length ? { k: "enum", info: t.info, args: t.args.map((x) => subst(x, m)) } : t;
    case "optional": return { k: "optional", inner: subst(t.inner, m) };
    case "task": return { k: "task", inner: subst(t.inner, m) };
    case "tuple": return { k: "tuple", elems: t.elems.map((x) => subst(x, m)) };
    case "fn": return { k: "fn", params: t.params.map((x) => subst(x, m)), ret: subst(t.ret, m), ...(t.async ? { async: true } : {}) };
    case "vec": return { k: "vec", elem: subst(t.elem, m) };
    case "set": return { k: "set", elem: subst(t.elem, m) };
    case "map": return { k: "map", key: subst(t.key, m), val: subst(t.val, m) };
    default: return t;
  }
}

export function containsError(t: Type): boolean {
  switch (t.k) {
    case "error": return true;
    case "struct": case "enum": return t.args.some(containsError);
    case "optional": case "task": return containsError(t.inner);
    case "tuple": return t.elems.some(containsError);
    case "fn": return t.params.some(containsError) || containsError(t.ret);
    case "vec": case "set": return containsError(t.elem);
    case "map": return containsError(t.key) || containsError(t.val);
    default: return false;
  }
}

/** The substitution from a generic declaration's parameters to a type's arguments. */
export function argMap(params: TypeParamInfo[], args: Type[]): Map<TypeParamInfo, Type> {
  const m = new Map<TypeParamInfo, Type>();
  params.forEach((p, i) => { if (args[i]) m.set(p, args[i]); });
  return m;
}

export function fieldTypes(t: Extract<Type, { k: "struct" }>): FieldInfo[] {
  if (!t.args.length) return t.info.fields;
  const m = argMap(t.info.typeParams, t.args);
  return t.info.fields.map((f) => ({ ...f, type: subst(f.type, m) }));
}

export function variantFields(t: Extract<Type, { k: "enum" }>, v: VariantInfo): { name: string | null; type: Type }[] {
  if (!t.args.length) return v.fields;
  const m = argMap(t.info.typeParams, t.args);
  return v.fields.map((f) => ({ ...f, type: subst(f.type, m) }));
}

/**
 * How a type is written. With `from`, as that module writes it: a type of another
 * module by the alias it imports that module under (a fix text must compile there).
 */
export function showType(t: Type, from?: ModuleInfo): string {
  const show = (x: Type) => showType(x, from);
  switch (t.k) {
    case "int": return t.name === "i64" ? "int" : t.name;
    case "float": return t.name === "f64" ? "float" : t.name;
    case "bool": return "bool";
    case "string": return "string";
    case "unit": return "()";
    case "never": return "never";
    case "struct": case "enum": {
      const mod = t.info.module;
      const alias = from && mod !== from && !mod.isStd ? [...from.imports].find(([, im]) => im === mod)?.[0] : undefined;
      const base = from ? (alias ? `${alias}.${t.info.name}` : t.info.name)
        : mod.isEntry || mod.isStd ? t.info.name : `${mod.alias}.${t.info.name}`;
      return t.args.length ? `${base}<${t.args.map(show).join(", ")}>` : base;
    }
    case "optional": return t.inner.k === "fn" ? `(${show(t.inner)})?` : `${show(t.inner)}?`;
    case "tuple": return `(${t.elems.map(show).join(", ")})`;
    case "fn": return `${t.async ? "async " : ""}fn(${t.params.map(show).join(", ")})${t.ret.k === "unit" ? "" : ": " + show(t.ret)}`;
    case "vec": return `Vec<${show(t.elem)}>`;
    case "set": return `Set<${show(t.elem)}>`;
    case "map": return `Map<${show(t.key)}, ${show(t.val)}>`;
    case "param": return t.p.name;
    case "builder": return "StringBuilder";
    case "task": return `Task<${show(t.inner)}>`;
    case "error": return "<error>";
  }
}

export const isNumeric = (t: Type) => t.k === "int" || t.k === "float";
export const isPoison = (t: Type) => t.k === "error";

/** Types that `==` compares by value (built-in Eq); with `hash`, the ones usable as map keys (Hash). */
export function hasEq(t: Type, hash = false, seen = new Set<object>()): boolean {
  switch (t.k) {
    case "int": case "bool": case "string": case "unit": return true;
    case "float": return !hash;
    case "struct": {
      if (seen.has(t.info)) return true;
      seen.add(t.info);
      return fieldTypes(t).every((f) => hasEq(f.type, hash, seen));
    }
    case "enum": {
      if (seen.has(t.info)) return true;
      seen.add(t.info);
      return t.info.variants.every((v) => variantFields(t, v).every((f) => hasEq(f.type, hash, seen)));
    }
    case "optional": return hasEq(t.inner, hash, seen);
    case "tuple": return t.elems.every((x) => hasEq(x, hash, seen));
    case "vec": return !hash && hasEq(t.elem, hash, seen);
    case "param": return t.p.bounds.some((b) => b.builtin === (hash ? "Hash" : "Eq") || (!hash && b.builtin === "Ord"));
    // Maps and sets compare their entries (in any order); they cannot be hashed.
    case "map": return !hash && hasEq(t.val, hash, seen);
    case "set": return !hash;
    case "fn": case "builder": case "task": return false;
    case "never": case "error": return true;
  }
}

/** Types with a built-in order (`<` etc.). */
export function hasOrd(t: Type): boolean {
  if (t.k === "param") return t.p.bounds.some((b) => b.builtin === "Ord");
  return t.k === "int" || t.k === "float" || t.k === "string";
}

/** Types that can be printed and interpolated (Show). */
export function hasShow(t: Type): boolean { return showProblem(t) === null; }

/** A struct or enum printed through its own `fn toString(self): string` (src/lower/derive/show.ts uses the same test). */
export function ownToString(t: Extract<Type, { k: "struct" | "enum" }>): FnInfo | null {
  const f = t.info.methods.get("toString");
  return f && f.self?.kind === "self" && f.params.length === 0 && f.ret.k === "string" && f.typeParams.length === t.args.length ? f : null;
}

/**
 * Why values of type t cannot be printed, or null when they can: functions,
 * builders and task handles have no text, also inside a struct, enum or
 * collection, unless the struct or enum prints through its own toString.
 */
export function showProblem(t: Type, seen = new Set<object>(), inField = false): string | null {
  switch (t.k) {
    case "fn": return `it is a function (\`${showType(t)}\`)`;
    case "unit": return inField ? null : "it is `()`"; // `Ok(())` prints; a bare `()` has no text
    case "builder": return "it is a `StringBuilder` (print `sb.toString()`)";
    case "task": return "it is a task handle (print what `await` gives)";
    case "param": return t.p.bounds.some((b) => b.builtin === "Show" || b.methods.has("show")) ? null : `type parameter \`${t.p.name}\` is not bounded by \`Show\``;
    case "optional": return showProblem(t.inner, seen, inField);
    case "tuple": for (const e of t.elems) { const p = showProblem(e, seen, inField); if (p) return p; } return null;
    case "vec": case "set": return showProblem(t.elem, seen, inField);
    case "map": return showProblem(t.key, seen, inField) ?? showProblem(t.val, seen, inField);
    case "struct": {
      if (ownToString(t) || seen.has(t.info)) return null;
      seen.add(t.info);
      for (const f of fieldTypes(t)) {
        const p = showProblem(f.type, seen, true);
        if (p) return `its field \`${f.name}\` cannot be printed: ${p}`;
      }
      return null;
    }
    case "enum": {
      if (ownToString(t) || seen.has(t.info)) return null;
      seen.add(t.info);
      for (const v of t.info.variants) for (const f of variantFields(t, v)) {
        const p = showProblem(f.type, seen, true);
        if (p) return `its variant \`${v.name}\` cannot be printed: ${p}`;
      }
      return null;
    }
    default: return null;
  }
}


/**
 * Why std/json cannot encode and decode t (built-in `Json`), or null when it can:
 * functions and builders have no JSON form, and map keys are strings or integers.
 */
/** Whether a map key type has a JSON object-key form: a string, an integer or a bool as text, a unit-only enum's variant name. */
export function jsonKey(t: Type): boolean {
  return t.k === "string" || t.k === "int" || t.k === "bool" || (t.k === "enum" && t.info.variants.every((v) => !v.fields.length));
}

export function jsonProblem(t: Type, seen = new Set<object>()): string | null {
  switch (t.k) {
    case "int": case "float": case "bool": case "string": case "unit": case "never": case "error": return null;
    case "fn": return `it contains a function (\`${showType(t)}\`)`;
    case "builder": return "it contains a `StringBuilder`";
    case "task": return "it contains a task handle (`Task<...>`)";
    case "param": return t.p.bounds.some((b) => b.builtin === "Json") ? null : `type parameter \`${t.p.name}\` is not bounded by \`Json\``;
    case "optional": return jsonProblem(t.inner, seen);
    case "tuple": for (const e of t.elems) { const p = jsonProblem(e, seen); if (p) return p; } return null;
    case "vec": case "set": return jsonProblem(t.elem, seen);
    case "map":
      if (!jsonKey(t.key)) {
        return `its map keys are \`${showType(t.key)}\` (JSON object keys are strings: use string, integer or bool keys, or an enum whose variants have no fields)`;
      }
      return jsonProblem(t.val, seen);
    case "struct": {
      if (seen.has(t.info)) return null;
      seen.add(t.info);
      for (const f of fieldTypes(t)) { const p = jsonProblem(f.type, seen); if (p) return p; }
      return null;
    }
    case "enum": {
      if (seen.has(t.info)) return null;
      seen.add(t.info);
      for (const v of t.info.variants) for (const f of variantFields(t, v)) { const p = jsonProblem(f.type, seen); if (p) return p; }
      return null;
    }
  }
}

// ---------- symbols ----------
export interface ModuleInfo {
  id: number;
  file: string;
  alias: string; // how importers name it ("" for the entry module)
  isEntry: boolean;
  isStd: boolean;
  prefix: string; // C name prefix, deterministic from the import path: set by emit/names.ts `nameProgram`
  ast: A.Module;
  imports: Map<string, ModuleInfo>;
  fns: Map<string, FnInfo>;
  structs: Map<string, StructInfo>;
  enums: Map<string, EnumInfo>;
  traits: Map<string, TraitInfo>;
  globals: Map<string, GlobalInfo>;
}

export interface FieldInfo { name: string; type: Type; span: A.Span }

export interface StructInfo {
  name: string;
  module: ModuleInfo;
  decl: Extract<A.Decl, { kind: "Struct" }>;
  pub: boolean;
  typeParams: TypeParamInfo[];
  fields: FieldInfo[];
  methods: Map<string, FnInfo>;
  cname: string;
}

export interface VariantInfo { name: string; index: number; fields: { name: string | null; type: Type }[]; span: A.Span }

export interface EnumInfo {
  name: string;
  module: ModuleInfo;
  decl: Extract<A.Decl, { kind: "Enum" }> | null; // null for built-in enums (Result)
  pub: boolean;
  typeParams: TypeParamInfo[];
  variants: VariantInfo[];
  methods: Map<string, FnInfo>;
  recursive: boolean; // refers to itself: payloads are boxed in the current region
  cname: string;
}

export interface TraitInfo {
  name: string;
  module: ModuleInfo | null;
  builtin: "Eq" | "Ord" | "Hash" | "Show" | "Json" | null;
  pub: boolean; // visible to importers (built-in traits: always)
  methods: Map<string, A.FnDecl>; // signatures; `self` is the implementing type
  sigs: Map<string, TraitSig>; // their parameter and result types
  impls: ImplInfo[];
  /** `Self` in the trait's signatures and default bodies: the implementing type (user traits only). */
  selfParam?: TypeParamInfo;
  /** A generic trait's type parameters (`trait Into<T>`); empty otherwise. */
  typeParams?: TypeParamInfo[];
  /** A generic trait applied to arguments, as a bound names it (`T: Into<string>`): the trait itself (`base`, which
   *  holds the methods and impls this object shares) and its type arguments. Absent: the trait as declared. */
  base?: TraitInfo;
  args?: Type[];
}

/** A trait method's parameter and result types, and its own type parameters (`fn apply<U>`, with their bounds). */
export interface TraitSig { params: Type[]; ret: Type; typeParams: TypeParamInfo[] }

/** A trait method's signature with `Self` read as `self` (an impl's target, or a bound's receiver) and, for a generic
 *  trait applied to arguments (`Into<string>`), its type parameters as those arguments. */
export function traitSig(tr: TraitInfo, name: string, self: Type): TraitSig | undefined {
  const sig = tr.sigs.get(name);
  const base = tr.base ?? tr;
  if (!sig || !base.selfParam) return sig;
  const m = new Map<TypeParamInfo, Type>([[base.selfParam, self]]);
  if (tr.args) base.typeParams?.forEach((p, i) => m.set(p, tr.args![i] ?? T.error));
  return { params: sig.params.map((t) => subst(t, m)), ret: subst(sig.ret, m), typeParams: sig.typeParams };
}

/** Generic trait `base` applied to `args` (a bound `T: Into<string>`, an impl's `impl Into<string> for A`); the trait
 *  itself when it has no type parameters. The object shares the trait's methods, signatures and impls. */
export function applyTrait(base: TraitInfo, args: Type[]): TraitInfo {
  if (!base.typeParams?.length) return base;
  return { ...base, base, args };
}

/** The trait as declared, for an applied one. */
export const baseTrait = (tr: TraitInfo): TraitInfo => tr.base ?? tr;

/** The same trait with the same arguments (a bound of a type parameter against a trait asked for). */
export function sameTrait(a: TraitInfo, b: TraitInfo): boolean {
  if (a === b) return true;
  if (baseTrait(a) !== baseTrait(b)) return false;
  const x = a.args ?? baseTrait(a).typeParams?.map((p) => ({ k: "param", p }) as Type) ?? [];
  const y = b.args ?? baseTrait(b).typeParams?.map((p) => ({ k: "param", p }) as Type) ?? [];
  return x.length === y.length && x.every((t, i) => typeEq(t, y[i]));
}

/** An applied trait's arguments substituted (the bound `T: Into<U>` of an instance, U known). */
export function substTrait(tr: TraitInfo, m: Map<TypeParamInfo, Type>): TraitInfo {
  return tr.args && m.size ? { ...tr, args: tr.args.map((t) => subst(t, m)) } : tr;
}

/** `impl Into<string> for A`: `traitArgs` are the trait's type arguments (empty for a trait without parameters). */
export interface ImplInfo { trait: TraitInfo; traitArgs: Type[]; target: Type; typeParams: TypeParamInfo[]; methods: Map<string, FnInfo>; span: A.Span }

export interface ParamInfo { name: string; type: Type; span: A.Span; local: LocalVar }

export interface FnInfo {
  name: string;
  module: ModuleInfo;
  decl: A.FnDecl;
  pub: boolean;
  params: ParamInfo[];
  ret: Type;
  self: { kind: "self" | "mut"; local: LocalVar } | null;
  owner: StructInfo | EnumInfo | null; // methods and associated functions
  ownerType: Type | null; // the impl target, e.g. Pair<T>
  typeParams: TypeParamInfo[]; // the impl's and the function's own
  impl: ImplInfo | null; // for trait method implementations
  cname: string;
  /** A trait's default body copied for an impl that leaves the method out (declarations.ts). */
  copied?: boolean;
  /** Other top-level functions of the same name, told apart by their first parameter's type. */
  overloads?: FnInfo[];
}

export interface GlobalInfo {
  name: string;
  module: ModuleInfo;
  decl: Extract<A.Decl, { kind: "Global" }>;
  pub: boolean;
  mutable: boolean;
  type: Type;
  cname: string;
}

export interface LocalVar {
  id: number;
  name: string;
  type: Type;
  mutable: boolean;
  kind: "param" | "self" | "let" | "var" | "for" | "const";
  span: A.Span;
  cname: string;
}

export interface ClosureInfo {
  params: LocalVar[];
  ret: Type;
  captures: LocalVar[]; // outer locals the body reads, copied into the closure's environment
  cname: string;
}

export interface TestInfo { name: string; module: ModuleInfo; decl: Extract<A.Decl, { kind: "Test" }>; cname: string }

/** What an identifier or `module.name` expression refers to. */
export type ValueRef =
  | { kind: "local"; v: LocalVar }
  | { kind: "global"; g: GlobalInfo }
  | { kind: "fn"; f: FnInfo; typeArgs: Type[] }
  | { kind: "variant"; type: Extract<Type, { k: "enum" }>; variant: VariantInfo }; // a unit variant used as a value

export type Builtin = "print" | "println" | "eprint" | "eprintln" | "assert" | "panic";
export type StrMethod =
  | "len" | "trim" | "trimStart" | "trimEnd" | "contains" | "startsWith" | "endsWith" | "replace" | "toUpper" | "toLower"
  | "slice" | "find" | "parseInt" | "parseFloat" | "repeat" | "isEmpty" | "split" | "lines" | "chars" | "bytes" | "compare" | "charCount";

export type CallTarget =
  | { kind: "fn"; f: FnInfo; typeArgs: Type[] }
  | { kind: "method"; f: FnInfo; recv: A.Expr; typeArgs: Type[] }
  /** Through a bound, resolved per instance to the impl for the concrete type (lower/mono.ts): a method on a receiver
   *  (`x.describe()`), or with `recv` null an associated function through the type parameter (`T.zero()`), `recvType`
   *  then the type parameter. `typeArgs`: the method's own type parameters (`fn apply<U>`), as inferred at the call. */
  | { kind: "traitMethod"; trait: TraitInfo; name: string; recv: A.Expr | null; recvType: Type; typeArgs: Type[] }
  | { kind: "variant"; type: Extract<Type, { k: "enum" }>; variant: VariantInfo } // Circle(2.0)
  | { kind: "closure"; callee: A.Expr } // calling a function value
  | { kind: "collection"; name: string; recv: A.Expr | null } // Vec(), v.push(x), m.get(k), ...
  | { kind: "helper"; on: "int" | "optional" | "result"; name: string; recv: A.Expr } // check/helpers.ts: x.wrappingAdd(y), opt.unwrapOr(d), r.map(f), ...
  | { kind: "math"; name: string }
  | { kind: "builder"; name: string; recv: A.Expr | null }
  | { kind: "task"; name: string; recv: A.Expr } // h.cancel(), h.isDone(), h.wait(ms)
  | { kind: "builtin"; name: Builtin }
  | { kind: "strMethod"; name: StrMethod; recv: A.Expr }
  | { kind: "fmtMethod"; name: "padStart" | "padEnd" | "toFixed" | "toString"; recv: A.Expr } // check/format.ts
  | { kind: "clone"; recv: A.Expr }; // x.clone() on a type without a `clone` method of its own: a deep copy in the current region

export interface TypedProgram {
  modules: ModuleInfo[]; // imported modules first, entry last
  entry: ModuleInfo;
  structs: StructInfo[];
  fns: FnInfo[];
  globals: GlobalInfo[]; // in initialisation order
  tests: TestInfo[];
  main: FnInfo | null;
  /** Every local the checker made (parameters, bindings, closure parameters), in the order made: emit/names.ts names them. */
  locals: LocalVar[];
  exprTypes: Map<A.Expr, Type>;
  refs: Map<A.Expr, ValueRef>; // Ident and Field (module.name) expressions that name values
  calls: Map<A.Expr, CallTarget>; // Call expressions
  structLits: Map<A.Expr, Extract<Type, { k: "struct" }>>;
  /** `{ port: 8080 }` written where a struct is expected: the struct literal it stands for. */
  braceStructs: Map<A.Expr, Extract<A.Expr, { kind: "StructLit" }>>;
  enums: EnumInfo[];
  patVariants: Map<A.Pattern, { type: Extract<Type, { k: "enum" }>; variant: VariantInfo }>; // variant patterns (and bare names that are unit variants)
  closures: Map<A.Expr, ClosureInfo>;
  matchSubjects: Map<A.Expr, Type>; // match expressions: the subject's type
  patFields: Map<A.Pattern, (A.Pattern | null)[]>;
  numConsts: Map<A.Expr, bigint | number>; // i64.MAX, f64.EPSILON (check/helpers.ts)
  mathConsts: Map<A.Expr, number>; // math.PI and friends // variant patterns: the sub-pattern for each field (null: not matched)
  patLocals: Map<A.Pattern, LocalVar>; // PBind patterns that introduce locals
  /** Every `match` and `if let` (the expression node): its decision tree (check/decision.ts), read by the exhaustiveness check and the code generator. */
  decisions: Map<A.Expr, DecisionTree>;
  patSome: Set<A.Pattern>; // patterns that match an optional's value: `Some(p)`, `if let x = opt`, a binding arm after `none =>`
  letTypes: Map<A.Stmt, Type>; // declared type of let/var/const statements
  stmtLocals: Map<A.Stmt, LocalVar>; // locals introduced by `const` statements inside functions
  awaitAll: Set<A.Expr>;
  tasks: TaskFacts;
  regionFirstLocal: Map<A.Expr, number>; // region blocks: the id of the first local declared inside (older locals live outside) // `await all(...)` expressions (their operand is not a call of a function named all)
}

/** Task handles (check/tasks.ts): which spawns make one, and which awaits take one. */
export interface TaskFacts {
  handles: Set<A.Expr>; // Spawn nodes (and implicitly spawned Calls) whose handle is used: their task is joinable
  implicit: Set<A.Expr>; // async Calls where a `Task<T>` is expected: spawned, giving the handle
  awaitTask: Set<A.Expr>; // `await h` on a handle
  awaitResult: Set<A.Expr>; // `await h.result()`: a `Result<T, string>`, Err when the task panicked or was cancelled
  allVec: Set<A.Expr>; // `await all(v)` on a Vec<Task<T>>
  allHandles: Set<A.Expr>; // handles among the arguments of the tuple form `await all(h, f(x))`
  race: Set<A.Expr>; // `await race(...)`
}

/**
 * Matches pattern type `pat` (whose parameters in `vars` may be bound) against `t`,
 * extending `out`. Returns false on a mismatch.
 */
export function unifyTypes(pat: Type, t: Type, out: Map<TypeParamInfo, Type>, vars: readonly TypeParamInfo[]): boolean {
  if (t.k === "error" || pat.k === "error") return true;
  if (pat.k === "param" && vars.includes(pat.p)) {
    const prev = out.get(pat.p);
    if (prev) return typeEq(prev, t) || prev.k === "error" || t.k === "never";
    if (t.k === "never") return true;
    out.set(pat.p, t);
    return true;
  }
  if (pat.k !== t.k) return false;
  const u = t as typeof pat;
  switch (pat.k) {
    case "struct": case "enum": { const v = u as typeof pat; return pat.info === v.info && pat.args.every((a, i) => unifyTypes(a, v.args[i], out, vars)); }
    case "optional": case "task": return unifyTypes(pat.inner, (u as typeof pat).inner, out, vars);
    case "tuple": { const v = u as typeof pat; return pat.elems.length === v.elems.length && pat.elems.every((a, i) => unifyTypes(a, v.elems[i], out, vars)); }
    case "fn": { const v = u as typeof pat; return !pat.async === !v.async && pat.params.length === v.params.length && pat.params.every((a, i) => unifyTypes(a, v.params[i], out, vars)) && unifyTypes(pat.ret, v.ret, out, vars); }
    case "vec": case "set": return unifyTypes(pat.elem, (u as typeof pat).elem, out, vars);
    case "map": { const v = u as typeof pat; return unifyTypes(pat.key, v.key, out, vars) && unifyTypes(pat.val, v.val, out, vars); }
    default: return typeEq(pat, t);
  }
}

/** The implementation of trait tr that applies to type t, with the impl's type arguments. */
export function findImpl(tr: TraitInfo, t: Type, depth = 0): { impl: ImplInfo; args: Map<TypeParamInfo, Type> } | null {
  return findImpls(tr, t, depth)[0] ?? null;
}

/** Every implementation of tr for t: one at most, but a generic trait named without its arguments (a method looked up
 *  on a value) may have one per argument list (`impl Into<string> for A`, `impl Into<int> for A`). */
export function findImpls(tr: TraitInfo, t: Type, depth = 0): { impl: ImplInfo; args: Map<TypeParamInfo, Type> }[] {
  if (depth > 50) return [];
  const out: { impl: ImplInfo; args: Map<TypeParamInfo, Type> }[] = [];
  for (const i of baseTrait(tr).impls) {
    const m = new Map<TypeParamInfo, Type>();
    if (!unifyTypes(i.target, t, m, i.typeParams)) continue;
    // An applied trait (`Into<string>`): the impl's trait arguments must be those.
    if (tr.args && !tr.args.every((a, k) => i.traitArgs[k] && unifyTypes(i.traitArgs[k], a, m, i.typeParams))) continue;
    // A conditional impl (`impl<T: Describe> Describe for Opt<T>`) applies only when its bounds hold.
    if (i.typeParams.every((p) => p.bounds.every((b) => satisfiesTrait(m.get(p) ?? { k: "error" }, substTrait(b, m), depth + 1)))) out.push({ impl: i, args: m });
  }
  return out;
}

/** Does type t satisfy trait tr? Built-in traits structurally, user traits by an impl (or a bound on a type parameter). */
export function satisfiesTrait(t: Type, tr: TraitInfo, depth = 0): boolean {
  if (t.k === "error" || t.k === "never") return true;
  if (t.k === "param") return t.p.bounds.some((b) => sameTrait(b, tr)) || (tr.builtin === "Eq" && t.p.bounds.some((b) => b.builtin === "Ord" || b.builtin === "Hash"));
  switch (tr.builtin) {
    case "Eq": return hasEq(t);
    case "Hash": return hasEq(t, true);
    case "Ord": return hasOrd(t);
    case "Show": return hasShow(t);
    case "Json": return jsonProblem(t) === null;
    default: return findImpl(tr, t, depth) !== null;
  }
}
