// Semantic types and the symbol tables the checker builds: what a name means,
// what type an expression has. Later stages read these; they never re-derive.

import type * as A from "../syntax/ast.js";

export type IntName = "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64";
export type FloatName = "f32" | "f64";

export type Type =
  | { k: "int"; name: IntName }
  | { k: "float"; name: FloatName }
  | { k: "bool" }
  | { k: "string" }
  | { k: "unit" }
  | { k: "never" } // the type of panic(), and of blocks that always leave
  | { k: "struct"; info: StructInfo }
  | { k: "optional"; inner: Type }
  | { k: "error" }; // poison: already reported, suppresses follow-on errors

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
};

export const INT_NAMES: readonly IntName[] = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];

export function intRange(n: IntName): { min: bigint; max: bigint } {
  const bits = BigInt(Number(n.slice(1)));
  if (n[0] === "u") return { min: 0n, max: (1n << bits) - 1n };
  return { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n };
}

export function isSigned(n: IntName): boolean { return n[0] === "i"; }
export function intBits(n: IntName): number { return Number(n.slice(1)); }

export function typeEq(a: Type, b: Type): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case "int": return a.name === (b as typeof a).name;
    case "float": return a.name === (b as typeof a).name;
    case "struct": return a.info === (b as typeof a).info;
    case "optional": return typeEq(a.inner, (b as typeof a).inner);
    case "bool": case "string": case "unit": case "never": case "error": return true;
  }
}

export function showType(t: Type): string {
  switch (t.k) {
    case "int": return t.name === "i64" ? "int" : t.name;
    case "float": return t.name === "f64" ? "float" : t.name;
    case "bool": return "bool";
    case "string": return "string";
    case "unit": return "()";
    case "never": return "never";
    case "struct": return t.info.module.isEntry ? t.info.name : `${t.info.module.alias}.${t.info.name}`;
    case "optional": return `${showType(t.inner)}?`;
    case "error": return "<error>";
  }
}

export const isNumeric = (t: Type) => t.k === "int" || t.k === "float";
export const isPoison = (t: Type) => t.k === "error";

/** Types that `==` compares by value (built-in Eq). */
export function hasEq(t: Type): boolean {
  switch (t.k) {
    case "int": case "float": case "bool": case "string": case "unit": return true;
    case "struct": return t.info.fields.every((f) => hasEq(f.type));
    case "optional": return hasEq(t.inner);
    case "never": case "error": return true;
  }
}

/** Types with a built-in order (`<` etc.). */
export function hasOrd(t: Type): boolean {
  return t.k === "int" || t.k === "float" || t.k === "string";
}

// ---------- symbols ----------
export interface ModuleInfo {
  id: number;
  file: string;
  alias: string; // how importers name it ("" for the entry module)
  isEntry: boolean;
  isStd: boolean;
  prefix: string; // C name prefix, deterministic from the import path
  ast: A.Module;
  imports: Map<string, ModuleInfo>;
  fns: Map<string, FnInfo>;
  structs: Map<string, StructInfo>;
  globals: Map<string, GlobalInfo>;
}

export interface FieldInfo { name: string; type: Type; span: A.Span }

export interface StructInfo {
  name: string;
  module: ModuleInfo;
  decl: Extract<A.Decl, { kind: "Struct" }>;
  pub: boolean;
  fields: FieldInfo[];
  methods: Map<string, FnInfo>;
  cname: string;
}

export interface ParamInfo { name: string; type: Type; span: A.Span; local: LocalVar }

export interface FnInfo {
  name: string;
  module: ModuleInfo;
  decl: A.FnDecl;
  pub: boolean;
  params: ParamInfo[];
  ret: Type;
  self: { kind: "self" | "mut"; local: LocalVar } | null;
  owner: StructInfo | null; // methods and associated functions
  cname: string;
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

export interface TestInfo { name: string; module: ModuleInfo; decl: Extract<A.Decl, { kind: "Test" }>; cname: string }

/** What an identifier or `module.name` expression refers to. */
export type ValueRef =
  | { kind: "local"; v: LocalVar }
  | { kind: "global"; g: GlobalInfo }
  | { kind: "fn"; f: FnInfo };

export type Builtin = "print" | "println" | "eprint" | "eprintln" | "assert" | "panic";
export type StrMethod =
  | "len" | "trim" | "contains" | "startsWith" | "endsWith" | "replace" | "toUpper" | "toLower"
  | "slice" | "find" | "parseInt" | "parseFloat" | "repeat" | "isEmpty";

export type CallTarget =
  | { kind: "fn"; f: FnInfo }
  | { kind: "method"; f: FnInfo; recv: A.Expr }
  | { kind: "builtin"; name: Builtin }
  | { kind: "strMethod"; name: StrMethod; recv: A.Expr };

export interface TypedProgram {
  modules: ModuleInfo[]; // imported modules first, entry last
  entry: ModuleInfo;
  structs: StructInfo[];
  fns: FnInfo[];
  globals: GlobalInfo[]; // in initialisation order
  tests: TestInfo[];
  main: FnInfo | null;
  exprTypes: Map<A.Expr, Type>;
  refs: Map<A.Expr, ValueRef>; // Ident and Field (module.name) expressions that name values
  calls: Map<A.Expr, CallTarget>; // Call expressions
  structLits: Map<A.Expr, StructInfo>;
  patLocals: Map<A.Pattern, LocalVar>; // PBind patterns that introduce locals
  letTypes: Map<A.Stmt, Type>; // declared type of let/var/const statements
  stmtLocals: Map<A.Stmt, LocalVar>; // locals introduced by `const` statements inside functions
}
