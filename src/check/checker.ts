// The type checker: resolves every name, gives every expression a type, and
// reports what is wrong with the program (collecting diagnostics and going on,
// with a poison type to keep one mistake from causing a cascade). Its output,
// the TypedProgram, is what the later stages read.

import type * as A from "../syntax/ast.js";
import type { LoadedProgram } from "../syntax/modules.js";
import { at, type Diagnostic, type Message, type Note } from "../diagnostics.js";
import { M } from "../messages.js";
import {
  T, typeEq, showType, hasEq, hasOrd, intRange, INT_NAMES, isSigned,
  type Type, type IntName, type ModuleInfo, type StructInfo, type FnInfo, type GlobalInfo, type LocalVar,
  type TestInfo, type TypedProgram, type ValueRef, type Builtin, type StrMethod, type CallTarget,
} from "./types.js";
import { suggest } from "./suggest.js";

const BUILTINS: ReadonlySet<string> = new Set<Builtin>(["print", "println", "eprint", "eprintln", "assert", "panic"]);
const PRIMS: ReadonlyMap<string, Type> = new Map<string, Type>([
  ["int", T.i64], ["float", T.f64], ["bool", T.bool], ["string", T.string],
  ...INT_NAMES.map((n) => [n, T.int(n)] as [string, Type]),
  ["f32", T.float("f32")], ["f64", T.f64],
]);
const LATER_TYPES: ReadonlyMap<string, string> = new Map([
  ["Vec", "the collection `Vec`"], ["Map", "the collection `Map`"], ["Set", "the collection `Set`"],
  ["Result", "`Result` types"], ["StringBuilder", "`StringBuilder`"],
]);

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
]);
const STR_LATER = new Set(["split", "bytes", "chars", "lines"]);

interface FnCtx {
  fn: FnInfo | null; // null in tests and global initialisers
  ret: Type;
  name: string;
  loops: { broke: boolean }[];
  global?: GlobalInfo; // set while checking a global's initialiser
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
  private methodInfo = new Map<A.FnDecl, FnInfo>();
  private globalState = new Map<GlobalInfo, "active" | "done">();
  /** Names of type parameters of generic declarations (not supported yet): not reported as unknown types. */
  private typeParamNames = new Set<string>();
  private usedCNames = new Set<string>();

  constructor(private program: LoadedProgram) {
    this.out = {
      modules: [], entry: null as unknown as ModuleInfo, structs: [], fns: [], globals: [], tests: [], main: null,
      exprTypes: new Map(), refs: new Map(), calls: new Map(), structLits: new Map(), patLocals: new Map(), letTypes: new Map(), stmtLocals: new Map(),
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
        imports: new Map(), fns: new Map(), structs: new Map(), globals: new Map(),
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
        if (main.decl.async) this.report(M.unsupported("`async fn main` (the event loop comes with async support)"), main.decl.span);
      } else if (requireMain) {
        this.report(M.noMain(), { file: this.out.entry.file, start: 0, end: 0, line: 1, col: 1 });
      }
    }
  }

  // ---------- pass 1 ----------
  private declareNames(m: ModuleInfo): void {
    for (const d of m.ast.decls) {
      if (d.kind === "Fn" || d.kind === "Struct" || d.kind === "Enum" || d.kind === "Trait" || d.kind === "Impl") {
        for (const tp of d.typeParams) this.typeParamNames.add(tp.name);
        if (d.kind === "Impl" || d.kind === "Trait") for (const md of d.methods) for (const tp of md.typeParams) this.typeParamNames.add(tp.name);
      }
    }
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
          if (d.typeParams.length) this.report(M.unsupported("generic structs"), d.nameSpan);
          const info: StructInfo = { name: d.name, module: m, decl: d, pub: d.pub, fields: [], methods: new Map(), cname: this.cname(`T_${m.prefix}${d.name}`) };
          m.structs.set(d.name, info);
          this.out.structs.push(info);
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
        case "Enum": this.report(M.unsupported("enums"), d.nameSpan); break;
        case "Trait": this.report(M.unsupported("traits"), d.nameSpan); break;
        case "Impl": case "Import": case "Test": break;
      }
    }
  }

  private makeFn(d: A.FnDecl, m: ModuleInfo, owner: StructInfo | null): FnInfo {
    const base = owner ? `m_${owner.cname.slice(2)}_${d.name}` : `f_${m.prefix}${d.name}`;
    return { name: d.name, module: m, decl: d, pub: d.pub, params: [], ret: T.unit, self: null, owner, cname: this.cname(base) };
  }

  // ---------- pass 2 ----------
  private resolveSignatures(m: ModuleInfo): void {
    for (const d of m.ast.decls) {
      if (d.kind === "Struct") {
        const info = m.structs.get(d.name);
        if (!info || info.decl !== d) continue;
        const seen = new Set<string>();
        for (const f of d.fields) {
          if (seen.has(f.name)) { this.report(M.duplicateDefinition("field", f.name), f.span); continue; }
          seen.add(f.name);
          info.fields.push({ name: f.name, type: this.resolveType(f.type, m), span: f.span });
        }
      }
    }
    for (const d of m.ast.decls) {
      if (d.kind === "Impl") {
        if (d.trait) { this.report(M.unsupported("trait implementations (`impl Trait for Type`)"), d.trait.span); continue; }
        if (d.typeParams.length) { this.report(M.unsupported("generic impl blocks"), d.span); continue; }
        const target = this.resolveType(d.target, m);
        if (target.k === "error") continue;
        if (target.k !== "struct") { this.report(M.unsupported(`methods on \`${showType(target)}\``), d.target.span); continue; }
        const owner = target.info;
        for (const md of d.methods) {
          if (owner.methods.has(md.name) || owner.fields.some((f) => f.name === md.name && false)) {
            this.report(M.duplicateDefinition("method", md.name), md.nameSpan);
            continue;
          }
          const f = this.makeFn(md, m, owner);
          owner.methods.set(md.name, f);
          this.methodInfo.set(md, f);
          this.signature(f);
        }
      }
    }
    for (const f of m.fns.values()) this.signature(f);
    for (const g of m.globals.values()) {
      if (g.decl.type) g.type = this.resolveType(g.decl.type, m);
    }
  }

  private signature(f: FnInfo): void {
    const d = f.decl;
    if (d.typeParams.length) this.report(M.unsupported("generic functions"), d.typeParams[0].span);
    if (d.extern) this.report(M.unsupported("`extern fn` outside the standard library"), d.span);
    if (!d.body && !d.extern) this.report(M.syntax(`function \`${d.name}\` has no body`, "add `{ ... }`"), d.nameSpan);
    if (d.selfParam) {
      if (!f.owner) this.report(M.selfOutsideMethod(), d.selfParam.span);
      else {
        const kind = d.selfParam.mut ? "mut" : "self";
        f.self = { kind, local: this.newLocal("self", { k: "struct", info: f.owner }, d.selfParam.mut, "self", d.selfParam.span) };
      }
    }
    const seen = new Set<string>();
    for (const p of d.params) {
      const t = p.type ? this.resolveType(p.type, f.module) : T.error;
      if (seen.has(p.name)) this.report(M.duplicateDefinition("parameter", p.name), p.span);
      seen.add(p.name);
      f.params.push({ name: p.name, type: t, span: p.span, local: this.newLocal(p.name, t, false, "param", p.span) });
    }
    f.ret = d.ret ? this.resolveType(d.ret, f.module) : T.unit;
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
  }

  private reaches(from: StructInfo, target: StructInfo, seen: Set<StructInfo>): boolean {
    if (from === target) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return from.fields.some((f) => {
      let t = f.type;
      while (t.k === "optional") t = t.inner;
      return t.k === "struct" && this.reaches(t.info, target, seen);
    });
  }

  resolveType(te: A.TypeExpr, m: ModuleInfo): Type {
    switch (te.kind) {
      case "TOptional": {
        const inner = this.resolveType(te.inner, m);
        if (inner.k === "optional") { this.report(M.unsupported("nested optionals (`T??`)"), te.span); return T.error; }
        return inner.k === "error" ? T.error : T.optional(inner);
      }
      case "TTuple":
        if (te.elems.length === 0) return T.unit;
        this.report(M.unsupported("tuple types"), te.span);
        return T.error;
      case "TFn":
        this.report(M.unsupported("function types"), te.span);
        return T.error;
      case "TName": {
        if (te.path.length === 1) {
          const name = te.path[0];
          const prim = PRIMS.get(name);
          if (prim) {
            if (te.args.length) this.report(M.wrongTypeArgCount(name, 0, te.args.length), te.span);
            return prim;
          }
          const later = LATER_TYPES.get(name);
          if (later) { this.report(M.unsupported(later), te.span); return T.error; }
          if (this.typeParamNames.has(name)) return T.error; // generics: E0001 reported at the declaration
          const s = m.structs.get(name);
          if (s) {
            if (te.args.length) { this.report(M.wrongTypeArgCount(name, 0, te.args.length), te.span); }
            return { k: "struct", info: s };
          }
          const candidates = [...m.structs.keys(), ...PRIMS.keys()];
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
          if (!s) { this.report(M.unknownType(te.path.join("."), suggest(te.path[1], [...mod.structs.keys()])), te.span); return T.error; }
          if (!s.pub) this.report(M.notExported(s.name, mod.alias), te.span);
          return { k: "struct", info: s };
        }
        this.report(M.unknownType(te.path.join("."), undefined), te.span);
        return T.error;
      }
    }
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
        if (d.trait || d.typeParams.length) continue;
        for (const md of d.methods) {
          const f = this.methodInfo.get(md);
          if (f) this.checkFnBody(f);
        }
      } else if (d.kind === "Test") {
        const t: TestInfo = { name: d.name, module: m, decl: d, cname: this.cname(`test_${m.prefix}${this.out.tests.length}`) };
        this.out.tests.push(t);
        const ctx: FnCtx = { fn: null, ret: T.unit, name: `test "${d.name}"`, loops: [] };
        this.checkBlock(d.body, new Scope(null), ctx, m);
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
    const ctx: FnCtx = { fn: null, ret: T.unit, name: d.name, loops: [], global: g };
    const declared = d.type ? g.type : undefined;
    const t = this.checkExpr(d.value, new Scope(null), ctx, g.module, declared);
    if (declared) this.expectAssignable(declared, t, d.value);
    else g.type = this.concreteOrReport(t, d.value, `\`${d.name}\``);
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
    if (d.async) this.report(M.unsupported("`async fn` (comes with the event loop)"), d.span);
    const scope = new Scope(null);
    if (f.self) scope.vars.set("self", f.self.local);
    for (const p of f.params) scope.vars.set(p.name, p.local);
    const ctx: FnCtx = { fn: f, ret: f.ret, name: f.name, loops: [] };
    const flow = this.checkBlock(d.body, new Scope(scope), ctx, f.module);
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
    switch (s.kind) {
      case "Let": {
        const declared = s.type ? this.resolveType(s.type, m) : undefined;
        let t: Type;
        if (s.value) {
          const vt = this.checkExpr(s.value, scope, ctx, m, declared);
          if (declared) { this.expectAssignable(declared, vt, s.value); t = declared; }
          else t = this.concreteOrReport(vt, s.value, "this variable");
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
        const declared = s.type ? this.resolveType(s.type, m) : undefined;
        const vt = this.checkExpr(s.value, scope, ctx, m, declared);
        if (declared) this.expectAssignable(declared, vt, s.value);
        const t = declared ?? this.concreteOrReport(vt, s.value, `\`${s.name}\``);
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
      if (it.k !== "error") this.report(M.unsupported(`iterating over \`${showType(it)}\` (collections come next)`), s.iter.span);
      this.bindPattern(s.pattern, T.error, false, "for", inner);
    }
    ctx.loops.push({ broke: false });
    this.checkBlock(s.body, new Scope(inner), ctx, m);
    ctx.loops.pop();
    return { diverges: false };
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
      case "Index": case "TupleIndex": return e;
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
      case "PTuple": this.report(M.unsupported("tuple destructuring"), p.span); return;
      default: this.report(M.unsupported("this pattern in a binding"), p.span);
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
    this.report(M.mismatch(showType(expected), showType(found), fix), e.span);
    return false;
  }

  private assignable(expected: Type, found: Type): boolean {
    if (expected.k === "error" || found.k === "error" || found.k === "never") return true;
    if (typeEq(expected, found)) return true;
    if (expected.k === "optional" && this.assignable(expected.inner, found) && found.k !== "optional") return true;
    return false;
  }

  private concreteOrReport(t: Type, e: A.Expr, what: string): Type {
    if (t.k === "unit") { this.report(M.unitValue(), e.span); return T.error; }
    if (t.k === "never") return T.error;
    void what;
    return t;
  }

  private record(e: A.Expr, t: Type): Type { this.out.exprTypes.set(e, t); return t; }

  checkExpr(e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt = false): Type {
    return this.record(e, this.exprType(e, scope, ctx, m, expected, stmt));
  }

  private exprType(e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
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
        if (expected && expected.k !== "error") { this.report(M.mismatch(showType(expected), "none", "only optional types (`T?`) can be `none`"), e.span); return T.error; }
        this.report(M.cannotInfer("`none`", "give the variable a type, e.g. `var x: int? = none`"), e.span);
        return T.error;
      }
      case "Ident": return this.identType(e, scope, ctx, m);
      case "Unary": return this.unaryType(e, scope, ctx, m, expected);
      case "Binary": return this.binaryType(e, scope, ctx, m, expected);
      case "Call": return this.callType(e, scope, ctx, m, expected, stmt);
      case "Field": return this.fieldType(e, scope, ctx, m);
      case "Cast": return this.castType(e, scope, ctx, m);
      case "Unwrap": {
        const t = this.checkExpr(e.operand, scope, ctx, m, expected ? T.optional(expected) : undefined);
        if (t.k === "error") return T.error;
        if (t.k !== "optional") { this.report(M.notOptional("!", showType(t)), e.span); return T.error; }
        return t.inner;
      }
      case "StructLit": return this.structLitType(e, scope, ctx, m);
      case "If": return this.ifType(e, scope, ctx, m, expected, stmt);
      case "IfLet": return this.ifLetType(e, scope, ctx, m, expected, stmt);
      case "BlockExpr": {
        const t = this.blockValue(e.block, new Scope(scope), ctx, m, expected, stmt);
        return t;
      }
      case "TupleLit":
        if (e.elems.length === 0) return T.unit;
        this.report(M.unsupported("tuples"), e.span);
        for (const x of e.elems) this.checkExpr(x, scope, ctx, m, undefined);
        return T.error;
      case "TupleIndex": this.checkExpr(e.target, scope, ctx, m, undefined); this.report(M.unsupported("tuples"), e.span); return T.error;
      case "Index": {
        const t = this.checkExpr(e.target, scope, ctx, m, undefined);
        this.checkExpr(e.index, scope, ctx, m, undefined);
        if (t.k !== "error") this.report(M.unsupported(`indexing \`${showType(t)}\` (collections come next)`), e.span);
        return T.error;
      }
      case "Try": this.checkExpr(e.operand, scope, ctx, m, undefined); this.report(M.unsupported("`?` (Result types)"), e.span); return T.error;
      case "VecLit": this.report(M.unsupported("vec literals (collections come next)"), e.span); return T.error;
      case "MapLit": this.report(M.unsupported("map literals (collections come next)"), e.span); return T.error;
      case "Range": this.report(M.unsupported("ranges outside `for` loops"), e.span); return T.error;
      case "Match": this.report(M.unsupported("`match` (comes with enums)"), e.span); return T.error;
      case "Closure": this.report(M.unsupported("closures"), e.span); return T.error;
      case "Await": this.report(M.unsupported("`await` (comes with the event loop)"), e.span); return T.error;
      case "Spawn": this.report(M.unsupported("`spawn` (comes with the event loop)"), e.span); return T.error;
      case "RegionExpr": this.report(M.unsupported("`region` blocks (come with the memory model)"), e.span); return T.error;
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
    if (t.k === "unit") this.report(M.notShowable("()"), e.span);
  }

  private identType(e: Extract<A.Expr, { kind: "Ident" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    const v = scope.lookup(e.name);
    if (v) { this.out.refs.set(e, { kind: "local", v }); return v.type; }
    const g = m.globals.get(e.name);
    if (g) { this.out.refs.set(e, { kind: "global", g }); return this.useGlobal(g, e, ctx); }
    const f = m.fns.get(e.name);
    if (f) { this.report(M.unsupported("functions as values"), e.span); return T.error; }
    if (m.structs.has(e.name)) { this.report(M.typeNotValue(e.name), e.span); return T.error; }
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
      const rhint = l.k === "optional" && isCmp ? l : (l.k === "int" || l.k === "float" || l.k === "string" ? l : undefined);
      r = this.checkExpr(e.right, scope, ctx, m, rhint);
    }
    return this.binaryResult(op, l, r, e.span, e.right);
  }

  /** The result type of `l op r`, reporting operand errors. */
  private binaryResult(op: A.BinOp, l: Type, r: Type, span: A.Span, rightExpr: A.Expr): Type {
    if (l.k === "error" || r.k === "error") return op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=" ? T.bool : T.error;
    const sl = showType(l), sr = showType(r);
    switch (op) {
      case "==": case "!=": {
        if (!typeEq(l, r) && !(l.k === "optional" && this.assignable(l, r)) && !(r.k === "optional" && this.assignable(r, l))) {
          this.report(M.binaryTypes(op, sl, sr), span);
        } else if (!hasEq(l)) this.report(M.noEq(sl), span);
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
    const to = this.resolveType(e.type, m);
    const from = this.checkExpr(e.operand, scope, ctx, m, isNumLit(e.operand) && (to.k === "int" || to.k === "float") ? undefined : undefined);
    if (from.k === "error" || to.k === "error") return to;
    const ok = (from.k === "int" || from.k === "float" || from.k === "bool") && (to.k === "int" || to.k === "float")
      && !(from.k === "bool" && to.k === "float");
    if (!ok && !typeEq(from, to)) { this.report(M.badCast(showType(from), showType(to)), e.span); return T.error; }
    return to;
  }

  private fieldType(e: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
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
        if (mod.fns.has(e.name)) { this.report(M.unsupported("functions as values"), e.span); return T.error; }
        if (mod.structs.has(e.name)) { this.report(M.typeNotValue(`${e.target.name}.${e.name}`), e.span); return T.error; }
        this.report(M.unknownName(`${e.target.name}.${e.name}`, suggest(e.name, [...mod.globals.keys(), ...mod.fns.keys()])), e.nameSpan);
        return T.error;
      }
      if (this.importAliasFailed(m, e.target.name)) return T.error;
      if (m.structs.has(e.target.name)) {
        const s = m.structs.get(e.target.name)!;
        if (s.methods.has(e.name)) { this.report(M.unsupported("functions as values"), e.span); return T.error; }
        this.report(M.unknownName(`${e.target.name}.${e.name}`, undefined), e.nameSpan);
        return T.error;
      }
    }
    const t = this.checkExpr(e.target, scope, ctx, m, undefined);
    if (t.k === "error") return T.error;
    if (t.k === "struct") {
      const f = t.info.fields.find((x) => x.name === e.name);
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

  private structLitType(e: Extract<A.Expr, { kind: "StructLit" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    const te: A.TypeExpr = { kind: "TName", span: e.span, path: e.path, args: e.typeArgs };
    const t = this.resolveType(te, m);
    if (t.k !== "struct") {
      if (t.k !== "error") this.report(M.noFields(showType(t)), e.span);
      for (const f of e.fields) this.checkExpr(f.value, scope, ctx, m, undefined);
      return T.error;
    }
    const s = t.info;
    this.out.structLits.set(e, s);
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
      const vt = this.checkExpr(f.value, scope, ctx, m, fi.type);
      this.expectAssignable(fi.type, vt, f.value);
    }
    const unknownGiven = e.fields.some((f) => !s.fields.some((x) => x.name === f.name));
    const missing = s.fields.filter((f) => !given.has(f.name) && f.type.k !== "optional").map((f) => f.name);
    if (missing.length && !unknownGiven) this.report(M.missingFields(s.name, missing), e.span);
    return t;
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
  private callType(e: Extract<A.Expr, { kind: "Call" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
    const callee = e.callee;
    if (e.typeArgs.length) this.report(M.unsupported("explicit type arguments"), e.span);
    if (callee.kind === "Ident" && !scope.lookup(callee.name) && !m.globals.has(callee.name)) {
      const f = m.fns.get(callee.name);
      if (f) return this.finishCall(e, { kind: "fn", f }, f.params.map((p) => p.type), f.ret, f.name, scope, ctx, m);
      if (BUILTINS.has(callee.name)) return this.builtinCall(e, callee.name as Builtin, scope, ctx, m, stmt);
      if (m.structs.has(callee.name)) {
        this.report(M.typeNotValue(callee.name), callee.span);
        for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
        return T.error;
      }
      if (callee.name === "Vec" || callee.name === "Map" || callee.name === "Set" || callee.name === "StringBuilder" || callee.name === "Ok" || callee.name === "Err" || callee.name === "all") {
        this.report(M.unsupported(`\`${callee.name}\``), callee.span);
        return T.error;
      }
      const candidates = [...scope.allNames(), ...m.globals.keys(), ...m.fns.keys(), ...BUILTINS];
      this.report(M.unknownName(callee.name, suggest(callee.name, candidates)), callee.span);
      for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
      return T.error;
    }
    if (callee.kind === "Field") {
      // module.fn(...)
      if (callee.target.kind === "Ident" && !scope.lookup(callee.target.name) && !m.globals.has(callee.target.name)) {
        const mod = m.imports.get(callee.target.name);
        if (mod) {
          const f = mod.fns.get(callee.name);
          if (f) {
            if (!f.pub) this.report(M.notExported(f.name, mod.alias), callee.nameSpan);
            return this.finishCall(e, { kind: "fn", f }, f.params.map((p) => p.type), f.ret, `${mod.alias}.${f.name}`, scope, ctx, m);
          }
          this.report(M.unknownName(`${callee.target.name}.${callee.name}`, suggest(callee.name, [...mod.fns.keys()])), callee.nameSpan);
          for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
          return T.error;
        }
        if (this.importAliasFailed(m, callee.target.name)) { for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined); return T.error; }
        // Type.assocFn(...)
        const s = m.structs.get(callee.target.name);
        if (s) return this.assocCall(e, s, callee, scope, ctx, m);
      }
      // module.Type.assocFn(...)
      if (callee.target.kind === "Field" && callee.target.target.kind === "Ident" && !scope.lookup(callee.target.target.name)) {
        const mod = m.imports.get(callee.target.target.name);
        const s = mod?.structs.get(callee.target.name);
        if (mod && s) {
          if (!s.pub) this.report(M.notExported(s.name, mod.alias), callee.target.nameSpan);
          return this.assocCall(e, s, callee, scope, ctx, m);
        }
      }
      return this.methodCall(e, callee, scope, ctx, m);
    }
    const t = this.checkExpr(callee, scope, ctx, m, undefined);
    for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
    if (t.k !== "error") this.report(M.notCallable(showType(t)), callee.span);
    return T.error;
  }

  private assocCall(e: Extract<A.Expr, { kind: "Call" }>, s: StructInfo, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    const f = s.methods.get(callee.name);
    if (!f) {
      this.report(M.unknownMethod(s.name, callee.name, suggest(callee.name, [...s.methods.keys()])), callee.nameSpan);
      for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
      return T.error;
    }
    if (f.self) {
      this.report(M.methodOnType(s.name, f.name), callee.span);
      for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
      return T.error;
    }
    if (f.module !== m && !f.pub) this.report(M.notExported(`${s.name}.${f.name}`, f.module.alias), callee.nameSpan);
    return this.finishCall(e, { kind: "fn", f }, f.params.map((p) => p.type), f.ret, `${s.name}.${f.name}`, scope, ctx, m);
  }

  private methodCall(e: Extract<A.Expr, { kind: "Call" }>, callee: Extract<A.Expr, { kind: "Field" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    const recvT = this.checkExpr(callee.target, scope, ctx, m, undefined);
    if (recvT.k === "error") { for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined); return T.error; }
    if (recvT.k === "struct") {
      const f = recvT.info.methods.get(callee.name);
      if (!f) {
        const field = recvT.info.fields.find((x) => x.name === callee.name);
        if (field) this.report(M.unsupported("calling a field (function values)"), callee.nameSpan);
        else this.report(M.unknownMethod(showType(recvT), callee.name, suggest(callee.name, [...recvT.info.methods.keys()])), callee.nameSpan);
        for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
        return T.error;
      }
      if (!f.self) {
        this.report(M.staticOnValue(recvT.info.name, f.name), callee.nameSpan);
        for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
        return T.error;
      }
      if (f.module !== m && !f.pub) this.report(M.notExported(`${recvT.info.name}.${f.name}`, f.module.alias), callee.nameSpan);
      if (f.self.kind === "mut") this.checkMutReceiver(callee.target, f.name);
      return this.finishCall(e, { kind: "method", f, recv: callee.target }, f.params.map((p) => p.type), f.ret, `${recvT.info.name}.${f.name}`, scope, ctx, m);
    }
    if (recvT.k === "string") {
      const sig = STR_METHODS.get(callee.name as StrMethod);
      if (sig) return this.finishCall(e, { kind: "strMethod", name: callee.name as StrMethod, recv: callee.target }, sig.params, sig.ret, `string.${callee.name}`, scope, ctx, m);
      if (STR_LATER.has(callee.name)) { this.report(M.unsupported(`\`string.${callee.name}\` (returns a collection; collections come next)`), callee.nameSpan); return T.error; }
      this.report(M.unknownMethod("string", callee.name, suggest(callee.name, [...STR_METHODS.keys(), ...STR_LATER])), callee.nameSpan);
      for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
      return T.error;
    }
    const unknown = M.unknownMethod(showType(recvT), callee.name, undefined);
    if (recvT.k === "optional") unknown.fix = `unwrap it first: \`x!.${callee.name}(...)\`, \`if let v = x { v.${callee.name}(...) }\` or \`(x ?? default).${callee.name}(...)\``;
    this.report(unknown, callee.nameSpan);
    for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
    return T.error;
  }

  /** A `mut self` method needs a receiver that may be written. */
  private checkMutReceiver(recv: A.Expr, method: string): void {
    const root = this.placeRoot(recv);
    if (!root) return; // a temporary: mutation is allowed and simply lost
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

  private finishCall(e: Extract<A.Expr, { kind: "Call" }>, target: CallTarget, params: Type[], ret: Type, name: string, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
    this.out.calls.set(e, target);
    if (e.args.length !== params.length) {
      this.report(M.argCount(name, params.length, e.args.length), e.span);
      for (const a of e.args) this.checkExpr(a, scope, ctx, m, undefined);
      return ret;
    }
    e.args.forEach((a, i) => {
      const t = this.checkExpr(a, scope, ctx, m, params[i]);
      this.expectAssignable(params[i], t, a);
    });
    return ret;
  }

  private builtinCall(e: Extract<A.Expr, { kind: "Call" }>, name: Builtin, scope: Scope, ctx: FnCtx, m: ModuleInfo, stmt: boolean): Type {
    this.out.calls.set(e, { kind: "builtin", name });
    void stmt;
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
