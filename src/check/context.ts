// The checker's shared state (CheckContext) and the small types every check
// file uses: scopes, the per-function context, reporting and recording.

import type * as A from "../syntax/ast.js";
import type { LoadedProgram } from "../syntax/modules.js";
import { at, type Diagnostic, type Message, type Note } from "../diagnostics.js";
import type { Type, ModuleInfo, FnInfo, GlobalInfo, LocalVar, TypedProgram, EnumInfo, TraitInfo, TypeParamInfo } from "./types.js";
import type { ReturnInference } from "./returns.js";

/**
 * Everything the checker's passes share, passed explicitly as `cx` to every
 * checking function (there are no hidden fields): the program being checked,
 * the TypedProgram tables being filled (`out`, which later stages read), the
 * diagnostics, and the bookkeeping that spans passes. Per-function state is
 * not here: it travels as `FnCtx` and `Scope` parameters; anything one check
 * hands to another travels as a parameter or a return value.
 */
export interface CheckContext {
  readonly program: LoadedProgram;
  readonly out: TypedProgram;
  readonly diags: Diagnostic[];
  /** Modules in load order, and by file (pass 1). */
  readonly modules: ModuleInfo[];
  readonly byFile: Map<string, ModuleInfo>;
  /** Next ids for locals and type parameters; `nextLocal` also marks where a closure's own locals start. */
  nextLocal: number;
  nextParam: number;
  /** Next id of a fresh type variable of a built-in helper's signature (`opt.map<U>`, `v.fold<U>`): counts down from -100, apart from declared type parameters. */
  nextVar: number;
  /** The prelude: built-in traits (Eq, Ord, Show, ...) and the `Result` enum. */
  readonly builtinTraits: Map<string, TraitInfo>;
  resultEnum: EnumInfo;
  /** Every user trait, for method lookup through bounds. */
  readonly allTraits: TraitInfo[];
  /** FnInfo of each impl method, made in pass 1 and checked in pass 3. */
  readonly methodInfo: Map<A.FnDecl, FnInfo>;
  /** A trait method's default body checked once over `Self: Trait` (never emitted), by the trait's method declaration. */
  readonly traitDefaults: Map<A.FnDecl, { fn: FnInfo; checked: boolean }>;
  /** The default methods an impl takes from its trait: a copy of the body per impl, checked against its type (pass 3). */
  readonly implDefaults: Map<A.Decl, FnInfo[]>;
  /** Globals whose initialisers are being checked or are done, to check them in dependency order and find cycles. */
  readonly globalState: Map<GlobalInfo, "active" | "done">;
  /** Bindings of match arms after `none =>`, which bind the present value (`v!` on one is only a warning). */
  readonly narrowedLocals: Set<LocalVar>;
  /** What habits.ts remembers while checking, for the fixes of later diagnostics (habits.ts says what each is). */
  readonly habits: HabitNotes;
}

/** habits.ts's notes about this program's locals and closures, kept with the check (never across programs). */
export interface HabitNotes {
  /** The iterated expression of each `for` loop variable (E0220's fix). */
  readonly loopIters: Map<LocalVar, A.Expr>;
  /** The key's name of a `for (k, v) in map` value variable (E0202's `map[k].f = ...`). */
  readonly loopKeys: Map<LocalVar, string>;
  /** Locals bound by a `match` arm's or an `if let`'s pattern, with the matched expression (E0202's fix). */
  readonly patternSubjects: Map<LocalVar, A.Expr>;
  /** Closures passed to a method a collection does not have: what their parameters would receive (E0238's fix). */
  readonly closureParamHints: Map<A.Expr, Type[]>;
  /** Closures passed to a collection's method: the `for` loop that can await instead (E0401, E0200). */
  readonly syncLoopFixes: Map<A.Expr, string>;
}

export function newContext(program: LoadedProgram): CheckContext {
  return {
    program,
    out: {
      modules: [], entry: null as unknown as ModuleInfo, structs: [], fns: [], globals: [], tests: [], main: null, locals: [],
      exprTypes: new Map(), refs: new Map(), calls: new Map(), structLits: new Map(), braceStructs: new Map(), patLocals: new Map(), patSome: new Set(), decisions: new Map(), letTypes: new Map(), stmtLocals: new Map(),
      enums: [], patVariants: new Map(), closures: new Map(), matchSubjects: new Map(), patFields: new Map(), mathConsts: new Map(),
      awaitAll: new Set(), regionFirstLocal: new Map(), numConsts: new Map(),
      tasks: { handles: new Set(), implicit: new Set(), awaitTask: new Set(), awaitResult: new Set(), allVec: new Set(), allHandles: new Set(), race: new Set() },
    },
    diags: [],
    modules: [],
    byFile: new Map(),
    nextLocal: 0,
    nextParam: 0,
    nextVar: -100,
    builtinTraits: new Map(),
    resultEnum: null as unknown as EnumInfo, // set by makePrelude before anything reads it
    allTraits: [],
    methodInfo: new Map(),
    traitDefaults: new Map(),
    implDefaults: new Map(),
    globalState: new Map(),
    narrowedLocals: new Set(),
    habits: { loopIters: new Map(), loopKeys: new Map(), patternSubjects: new Map(), closureParamHints: new Map(), syncLoopFixes: new Map() },
  };
}

export type TypeEnv = ReadonlyMap<string, TypeParamInfo>;

export const NO_ENV: TypeEnv = new Map();

export interface FnCtx {
  fn: FnInfo | null; // null in tests, closures and global initialisers
  closure?: boolean;
  async?: boolean; // an async closure, or a test block (which may await)
  env: TypeEnv; // type parameters in scope
  ret: Type;
  name: string;
  loops: { broke: boolean }[];
  global?: GlobalInfo; // set while checking a global's initialiser
  infer?: ReturnInference; // a closure whose `return`s decide its result type
  awaitFix?: string; // a sync closure a collection's method calls: E0401's fix is a `for` loop
}

export class Scope {
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
/** What a generic call knows of a closure argument: parameter types, the result type when fully known, and
 *  otherwise its shape (the result with every type variable still open replaced by a hole, `error`), which only
 *  guides the body: `r.andThen(|p| Ok(p * 2))` gives `Ok` the error type it cannot see. */
export interface ClosureHint { params: (Type | undefined)[]; ret: Type | undefined; shape?: Type }

/** Result of checking a statement sequence: whether control can reach its end. */
export interface Flow { diverges: boolean }

/** Expression statements of these kinds compute a value and do nothing else. */
export const PURE_KINDS: ReadonlySet<string> = new Set(["IntLit", "FloatLit", "StrLit", "BoolLit", "NoneLit", "Ident", "Binary", "Unary", "Field", "Cast", "TupleIndex"]);

export const isIntLit = (e: A.Expr): boolean =>
  e.kind === "IntLit" || (e.kind === "Unary" && e.op === "-" && e.operand.kind === "IntLit");

export const isNumLit = (e: A.Expr): boolean =>
  isIntLit(e) || e.kind === "FloatLit" || (e.kind === "Unary" && e.op === "-" && e.operand.kind === "FloatLit");

export function report(cx: CheckContext, m: Message, span: A.Span, ...notes: Note[]): void { cx.diags.push(at(m, span, ...notes)); }

export function newLocal(cx: CheckContext, name: string, type: Type, mutable: boolean, kind: LocalVar["kind"], span: A.Span): LocalVar {
  const id = cx.nextLocal++;
  const v: LocalVar = { id, name, type, mutable, kind, span, cname: "" }; // named by emit/names.ts
  cx.out.locals.push(v);
  return v;
}

export function record(cx: CheckContext, e: A.Expr, t: Type): Type { cx.out.exprTypes.set(e, t); return t; }

/** How a binding was declared, for E0103's fix: a `var` is assigned, a `let` becomes `var`, others cannot be. */
export function bindingKind(v: LocalVar): "var" | "let" | "other" {
  return v.mutable ? "var" : v.kind === "let" ? "let" : "other";
}
