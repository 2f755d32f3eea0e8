// The Colang abstract syntax tree: what the parser produces and every later
// stage reads. Nodes are plain objects, discriminated by `kind`; every node
// carries a span so that diagnostics and #line directives point at source.

import type { FormatSpec } from "./format-spec.js";

export interface Span {
  file: string; // path as given to the compiler (used in diagnostics and #line)
  start: number; // byte offset (UTF-16 index into the source string)
  end: number;
  line: number; // 1-based line of `start`
  col: number; // 1-based column of `start`
}

// ---------- types as written ----------
export type TypeExpr =
  | { kind: "TName"; span: Span; path: string[]; args: TypeExpr[] } // int, User, store.User, Vec<T>, Map<K, V>
  | { kind: "TOptional"; span: Span; inner: TypeExpr } // T?
  | { kind: "TTuple"; span: Span; elems: TypeExpr[] } // (A, B); () is the unit type
  | { kind: "TFn"; span: Span; params: TypeExpr[]; ret: TypeExpr | null; async: boolean }; // fn(A, B): R, async fn(A): R

// ---------- patterns (match arms, let destructuring, for bindings) ----------
export type Pattern =
  | { kind: "PWild"; span: Span } // _
  | { kind: "PBind"; span: Span; name: string } // x  (binds; may also name a unit enum variant, resolved by the checker)
  | { kind: "PLit"; span: Span; value: Expr } // 1, -1, "a", true, 'c'-less: literals only (IntLit, FloatLit, StrLit, BoolLit, Unary(-) of numeric)
  | { kind: "PRange"; span: Span; lo: Expr; hi: Expr; inclusive: boolean } // 1..5, 1..=5, 'a'..='z' not supported
  | { kind: "PNone"; span: Span } // none
  | { kind: "PTuple"; span: Span; elems: Pattern[] } // (a, b)
  | { kind: "PVariant"; span: Span; path: string[]; args: Pattern[]; named: { name: string; pat: Pattern }[] | null } // Circle(r), Shape.Circle(r), Ok(x), Some(x), Rect { w, h }
  | { kind: "POr"; span: Span; alts: Pattern[] }; // A | B | C (two or more alternatives)

// ---------- expressions ----------
export type BinOp =
  | "+" | "-" | "*" | "/" | "%"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "and" | "or" | "??"
  | "&" | "|" | "^" | "<<" | ">>";
export type UnOp = "-" | "not" | "~";
export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "&=" | "|=" | "^=" | "<<=" | ">>=";

export interface StrPart { kind: "text"; value: string } // already unescaped
/** `{expr}` or `{expr:spec}`; the spec's span covers the text after the `:`. */
export interface StrInterp { kind: "interp"; expr: Expr; spec?: FormatSpec & { span: Span } }

export interface Param { span: Span; name: string; type: TypeExpr | null; mut: boolean } // type null only in |x| closures
export interface FieldInit { span: Span; name: string; value: Expr } // in struct literals; shorthand `{ x }` gives value = Ident x

export type Expr =
  | { kind: "IntLit"; span: Span; value: bigint; text: string }
  | { kind: "FloatLit"; span: Span; value: number; text: string }
  | { kind: "StrLit"; span: Span; parts: (StrPart | StrInterp)[]; raw: boolean }
  | { kind: "BoolLit"; span: Span; value: boolean }
  | { kind: "NoneLit"; span: Span }
  | { kind: "Ident"; span: Span; name: string; typeArgs?: TypeExpr[] } // typeArgs: a generic type before `.`, `Stack<int>.new()`
  | { kind: "Binary"; span: Span; op: BinOp; left: Expr; right: Expr }
  | { kind: "Unary"; span: Span; op: UnOp; operand: Expr }
  | { kind: "Call"; span: Span; callee: Expr; typeArgs: TypeExpr[]; args: Expr[] } // f(x), f<T>(x), a.b(x) has callee Field
  | { kind: "Field"; span: Span; target: Expr; name: string; nameSpan: Span; typeArgs?: TypeExpr[] } // a.b (also module.name, Type.Variant); typeArgs: `mod.Stack<int>.new()`
  | { kind: "TupleIndex"; span: Span; target: Expr; index: number } // t.0
  | { kind: "Index"; span: Span; target: Expr; index: Expr } // v[i], m[k]
  | { kind: "Unwrap"; span: Span; operand: Expr } // x!
  | { kind: "Try"; span: Span; operand: Expr } // x?
  | { kind: "Cast"; span: Span; operand: Expr; type: TypeExpr } // x as T
  | { kind: "StructLit"; span: Span; path: string[]; typeArgs: TypeExpr[]; fields: FieldInit[] } // User { id: 1 }, store.User { ... }
  | { kind: "TupleLit"; span: Span; elems: Expr[] } // (a, b); () is unit
  | { kind: "VecLit"; span: Span; elems: Expr[] } // [1, 2]
  | { kind: "MapLit"; span: Span; entries: { key: Expr; value: Expr; shorthand?: true }[] } // {"a": 1}; {} is an empty map (or set) from context
  | { kind: "Range"; span: Span; lo: Expr; hi: Expr; inclusive: boolean } // a..b, a..=b (only in for loops and patterns in v0)
  | { kind: "If"; span: Span; cond: Expr; then: Block; else_: Block | Expr | null } // else_ is a Block or another If
  | { kind: "IfLet"; span: Span; pattern: Pattern; value: Expr; then: Block; else_: Block | Expr | null } // if let x = opt { }
  | { kind: "Match"; span: Span; subject: Expr; arms: MatchArm[] }
  | { kind: "BlockExpr"; span: Span; block: Block } // { ... } used as a value (the if/match arm bodies use Block directly)
  | { kind: "Closure"; span: Span; params: Param[]; ret: TypeExpr | null; body: Block | Expr; short: boolean; async: boolean } // fn(x: int): int { } and |x| x + 1, each optionally `async`
  | { kind: "Await"; span: Span; operand: Expr }
  | { kind: "Spawn"; span: Span; call: Expr }
  | { kind: "RegionExpr"; span: Span; block: Block; implicit?: boolean }; // region { ... }; implicit: an awaiting loop's body (syntax/loops.ts)

export interface MatchArm { span: Span; pattern: Pattern; guard: Expr | null; body: Expr | Block }

export interface Block { kind: "Block"; span: Span; stmts: Stmt[] } // the value of a block used as an expression is its last ExprStmt

// ---------- statements ----------
export type Stmt =
  | { kind: "Let"; span: Span; mutable: boolean; pattern: Pattern; type: TypeExpr | null; value: Expr | null } // let / var ; value null only for `var x: T` (default-initialised)
  | { kind: "Assign"; span: Span; op: AssignOp; target: Expr; value: Expr }
  | { kind: "ExprStmt"; span: Span; expr: Expr }
  | { kind: "While"; span: Span; cond: Expr; body: Block }
  | { kind: "For"; span: Span; pattern: Pattern; iter: Expr; body: Block } // iter may be Range
  | { kind: "Break"; span: Span }
  | { kind: "Continue"; span: Span }
  | { kind: "Return"; span: Span; value: Expr | null }
  | { kind: "BlockStmt"; span: Span; block: Block }
  | { kind: "ConstStmt"; span: Span; name: string; type: TypeExpr | null; value: Expr }; // const inside a function

// ---------- declarations ----------
export interface TypeParam { span: Span; name: string; bounds: TypeExpr[] } // T: Show + Eq

export interface FnDecl {
  kind: "Fn"; span: Span; name: string; nameSpan: Span; pub: boolean; async: boolean;
  typeParams: TypeParam[];
  selfParam: { span: Span; mut: boolean } | null; // methods: `self` or `mut self`
  params: Param[]; ret: TypeExpr | null; // null ret = unit
  body: Block | null; // null for trait method signatures and extern fns
  extern: boolean; // `extern fn` (std bindings to the C runtime)
}

export interface StructField { span: Span; name: string; type: TypeExpr; pub: boolean }
export interface VariantDecl { span: Span; name: string; fields: { name: string | null; type: TypeExpr; span: Span }[] } // Circle(radius: float) named; Node(Tree, Tree) positional

export type Decl =
  | FnDecl
  | { kind: "Struct"; span: Span; name: string; nameSpan: Span; pub: boolean; typeParams: TypeParam[]; fields: StructField[] }
  | { kind: "Enum"; span: Span; name: string; nameSpan: Span; pub: boolean; typeParams: TypeParam[]; variants: VariantDecl[] }
  | { kind: "Impl"; span: Span; typeParams: TypeParam[]; trait: TypeExpr | null; target: TypeExpr; methods: FnDecl[] }
  | { kind: "Trait"; span: Span; name: string; nameSpan: Span; pub: boolean; typeParams: TypeParam[]; methods: FnDecl[] }
  | { kind: "Import"; span: Span; path: string; std: boolean; alias: string } // import std/http (alias "http"), import ./store (alias "store")
  | { kind: "Global"; span: Span; pub: boolean; form: "let" | "var" | "const"; name: string; nameSpan: Span; type: TypeExpr | null; value: Expr }
  | { kind: "Test"; span: Span; name: string; body: Block };

export interface Module {
  kind: "Module";
  file: string; // path as given
  decls: Decl[];
}
