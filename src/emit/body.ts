// The emitter of one function body (or closure, test, global initialiser):
// the state of the body being written (its lines, temporaries, open loops and
// region blocks, the async frame members it declared) and the core the
// concern files build on: declarations, temporaries, operand ordering,
// places and variable references, and the statement and expression dispatch.

import type * as A from "../syntax/ast.js";
import {
  T, typeEq, intRange, subst, fieldTypes, type Type, type IntName, type FnInfo, type LocalVar, type TypedProgram, type TypeParamInfo,
} from "../check/types.js";
import { cType, cRet, mangle, fieldName, cStr, RECEIVER_REGION } from "./names.js";
import { leaveRegions, returnedValue, type OpenRegion } from "./regions.js";
import type { Emitter } from "./c.js";
import { stmt, exprStmt, discard, ifStmt, ifLetStmt, arm } from "./statements.js";
import { call } from "./calls.js";
import { collectionCall, indexPtr } from "./collections.js";
import { closure } from "./closures.js";
import { match } from "./match.js";
import { checkedBinary, checkedNeg, checkedConv } from "./fail-stubs.js";
import { NEVER, locArgs, hasEffects, mayPanic, bare, isConstExpr, intLit, floatLit, zero } from "./ctext.js";
import { numberConst } from "./helpers.js";
import { spawnExpr, awaitExpr, asyncFnValue } from "./async.js";
import { spawnHandle } from "./tasks.js";
import type { RangeInput } from "../lower/ranges.js";
import { GLOBALS_CONTEXT, type Context } from "../lower/mono.js";
import { emitFormatted } from "./format.js";
import { fieldOf, tagOf, variantValue, type EnumT } from "./enum-layout.js";

/** A loop being emitted; `regions`: how many region blocks were open where it starts (break/continue leave the others). */
export interface Loop { brk: string; cont: string; regions: number }

/** Links of an operator chain emitted as one nested C expression before a temporary breaks it. */
const CHAIN_SPILL = 64;

export class FnEmitter {
  lines: string[] = [];
  private tmp = 0;
  loops: Loop[] = [];
  labels = 0;
  typed: TypedProgram;

  matches = 0;

  constructor(readonly em: Emitter, private fn: FnInfo | null, private sub: Map<TypeParamInfo, Type>) { this.typed = (em as unknown as { typed: TypedProgram }).typed; }

  /** A fresh emitter for a closure body inside this one (same type arguments). */
  child(): FnEmitter { const c = new FnEmitter(this.em, null, this.sub); c.ctx = this.ctx; return c; }

  /** The body this emitter writes, for looking up call targets in the monomorphization table (a closure: its enclosing body's). */
  ctx: Context = GLOBALS_CONTEXT;

  /** The C name of the instance the call or function value at `node` calls (src/lower/mono.ts resolved it). */
  target(node: A.Expr, unchecked = false): string { return this.em.target(this.ctx, node, unchecked); }

  /** Set when this emitter writes a closure's body. */
  closureRet: Type | null = null;
  /** Set when this emitter writes an async body (emit/async.ts): locals and temporaries are then frame members. */
  asyncMode = false;
  resumes = 0;
  /** The frame members an async body declared (name -> C type), filled by decl. */
  frame = new Map<string, string>();

  /** Nodes whose checks range analysis proved unnecessary where they are being emitted (ranges.ts). */
  unchecked: Set<A.Expr> | null = null;
  /** Set inside the unchecked copy of a versioned loop: inner loops were analysed with it. */
  noVersion = false;

  rangeInput(): RangeInput {
    const t = this.typed;
    return { typeOf: (e) => { const x = t.exprTypes.get(e); return x && this.ty(x); }, refs: t.refs, calls: t.calls, patLocals: t.patLocals, stmtLocals: t.stmtLocals };
  }

  /** `return v` (or `return` when v is null): in an async function, the result goes into the frame. */
  retLine(ind: number, v: string | null, node: A.Stmt | A.Expr): void {
    // A borrow of global state returned where callers cannot see it (a closure, a function used as a value): copied.
    const x = node.kind === "Return" ? node.value : (node as A.Expr);
    if (v !== null && x) v = this.em.returnCopy(x, this.retType(), v);
    if (this.regionStack.length) {
      // Out of region blocks: the value is copied to the caller's memory before the blocks are freed.
      if (v !== null) v = this.materializeAlways(returnedValue(this.em, node, this.regionStack, this.retType(), v), this.retType(), ind);
      for (const l of leaveRegions(this.regionStack, 0)) this.line(ind, l);
    }
    if (!this.asyncMode) { this.line(ind, v === null ? "return;" : `return ${v};`); return; }
    this.line(ind, v === null ? "{ F->st = -1; return true; }" : `{ F->result = ${v}; F->st = -1; return true; }`);
  }

  private spawnExpr(e: Extract<A.Expr, { kind: "Spawn" }>, ind: number): string { return spawnExpr(this, e, ind); }

  private awaitExpr(e: Extract<A.Expr, { kind: "Await" }>, t: Type, ind: number): string { return awaitExpr(this, e, t, ind); }

  retType(): Type {
    if (this.closureRet) return this.closureRet;
    if (!this.fn) throw new Error("internal: return outside a function");
    return this.ty(this.fn.ret);
  }

  /** A checked type, with this instance's type arguments substituted. */
  ty(t: Type): Type { return subst(t, this.sub); }

  line(indent: number, s: string): void {
    this.lines.push(s.startsWith("#") ? s : "  ".repeat(indent) + s);
  }

  /** A fresh temporary; in an async body it is a frame member, so it survives a suspension. */
  newTmp(): string { const n = `t${++this.tmp}`; return this.asyncMode ? `F->${n}` : n; }

  /** The C name of a local variable (a frame member in an async body). */
  lv(v: LocalVar): string { return this.asyncMode ? `F->${v.cname}` : v.cname; }

  /**
   * Every variable this emitter introduces is declared through here, so an
   * async body knows its frame members without reading the C it printed:
   * `ct ref` in a sync body; in an async body ref (`F->name`) is recorded as
   * a frame member of C type ct and the declaration becomes an assignment.
   */
  decl(ct: string, ref: string): string {
    if (!this.asyncMode) return `${ct} ${ref}`;
    const name = ref.slice(3);
    const had = this.frame.get(name);
    if (had !== undefined && had !== ct) throw new Error(`internal: frame member ${name} is ${had} and ${ct}`);
    this.frame.set(name, ct);
    return ref;
  }

  /** A declaration without an initialiser (in an async body only the frame member). */
  declOnly(ind: number, ct: string, ref: string): void {
    const d = this.decl(ct, ref);
    if (d !== ref) this.line(ind, `${d};`);
  }

  typeOf(e: A.Expr): Type {
    const t = this.typed.exprTypes.get(e);
    if (!t) throw new Error(`internal: expression without a type at ${e.span.file}:${e.span.line}:${e.span.col} (${e.kind})`);
    return this.ty(t);
  }

  /** Stores a C expression in a fresh temporary and returns its name. */
  materialize(c: string, t: Type, ind: number): string {
    if (isConstExpr(c) || c === NEVER) return c;
    const v = this.newTmp();
    this.em.defineType(t);
    this.line(ind, `${this.decl(cType(t), v)} = ${c};`);
    return v;
  }

  /** Emits operands in order; earlier ones are fixed in temporaries when a later one has effects. */
  operands(es: A.Expr[], targets: (Type | null)[], ind: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < es.length; i++) {
      const target = targets[i];
      let c = target ? this.value(es[i], target, ind) : this.expr(es[i], ind);
      // A later operand with effects must not run first; an operand with
      // effects (a call) must run before later operands read what it may
      // change; and of two operands that may panic, the first panics first.
      const later = es.slice(i + 1);
      if (i < es.length - 1 && (hasEffects(es[i]) || later.some(hasEffects) || (mayPanic(es[i]) && later.some(mayPanic)))) {
        c = this.materialize(c, target ?? this.typeOf(es[i]), ind);
      }
      out.push(c);
    }
    return out;
  }

  // ---------- statements (emit/statements.ts) ----------
  block(b: A.Block, ind: number): void {
    for (const s of b.stmts) this.stmt(s, ind);
  }

  stmt(s: A.Stmt, ind: number): void { stmt(this, s, ind); }

  exprStmt(e: A.Expr, ind: number): void { exprStmt(this, e, ind); }

  discard(c: string, ind: number): void { discard(this, c, ind); }

  ifStmt(e: Extract<A.Expr, { kind: "If" }>, ind: number, into: { v: string; t: Type } | null): void { ifStmt(this, e, ind, into); }

  ifLetStmt(e: Extract<A.Expr, { kind: "IfLet" }>, ind: number, into: { v: string; t: Type } | null): void { ifLetStmt(this, e, ind, into); }

  arm(b: A.Block, ind: number, into: { v: string; t: Type } | null): void { arm(this, b, ind, into); }

  materializeAlways(c: string, t: Type, ind: number): string {
    const b = bare(c);
    if (/^[tl]_?\w*$/.test(b) && (b.startsWith("t") || b.startsWith("l_"))) return c;
    const v = this.newTmp();
    this.em.defineType(t);
    this.line(ind, `${this.decl(cType(t), v)} = ${c};`);
    return v;
  }

  capture(f: () => string): { lines: string[]; value: string } {
    const saved = this.lines;
    this.lines = [];
    const value = f();
    const lines = this.lines;
    this.lines = saved;
    return { lines, value };
  }

  // ---------- places ----------
  /** An lvalue for an assignable expression. */
  /** Region blocks entered, outermost first (see regions.ts). */
  regionStack: OpenRegion[] = [];
  /** Set by place(): the region owning the place's storage when it may be older than co_current (see varOwner; for an element, its collection's owner), else null. */
  private placeOwner: string | null = null;

  /** The region a variable's storage belongs to, when older than the current one: global memory, or the region outside the region blocks entered since its declaration. */
  private varOwner(e: A.Expr): string | null {
    const r = this.typed.refs.get(e);
    if (!r) return null;
    if (r.kind === "global") return "co_global";
    if (r.kind !== "local") return null;
    // `self` of a `mut self` method lives in the region its caller passed (region analysis: "receiver"), also
    // inside a `region` block of the method.
    if (this.fn?.self?.kind === "mut" && this.fn.self.local === r.v) return RECEIVER_REGION;
    const outer = this.regionStack.find((b) => r.v.id < b.first);
    return outer ? outer.saved : null;
  }

  /** A place (assignable path) and the region owning its storage, for promotion of stored values (MEMORY.md rule 1). */
  placeWithOwner(e: A.Expr, ind: number): { place: string; owner: string | null } {
    this.placeOwner = null;
    const place = this.place(e, ind);
    return { place, owner: this.placeOwner };
  }

  private place(e: A.Expr, ind: number): string {
    switch (e.kind) {
      case "Ident": this.placeOwner = this.varOwner(e); return this.varRef(e);
      case "Field": {
        if (this.typed.refs.has(e)) { this.placeOwner = this.varOwner(e); return this.varRef(e); }
        return `${this.place(e.target, ind)}.${fieldName(e.name)}`;
      }
      case "Index": {
        const ct = this.typeOf(e.target);
        const [c, i] = this.operands([e.target, e.index], [ct, ct.k === "map" ? ct.key : T.i64], ind);
        const cm = this.materialize(c, ct, ind), im = this.materialize(i, ct.k === "map" ? ct.key : T.i64, ind);
        this.placeOwner = `${cm}->owner`;
        if (ct.k === "vec" && this.unchecked?.has(e)) return `${cm}->data[${im}]`;
        return `(*${this.indexPtr(ct, cm, im, e.span)})`;
      }
      case "TupleIndex": return `${this.place(e.target, ind)}.f${e.index}`;
      default: throw new Error(`internal: not a place: ${e.kind}`);
    }
  }

  indexPtr(ct: Type, c: string, i: string, span: A.Span): string { return indexPtr(this, ct, c, i, span); }

  varRef(e: A.Expr): string {
    const r = this.typed.refs.get(e);
    if (!r) throw new Error(`internal: unresolved name at ${e.span.line}:${e.span.col}`);
    switch (r.kind) {
      case "local": return this.localRef(r.v);
      case "global": return r.g.cname;
      case "variant": { const t = this.ty(r.type); this.em.defineType(t); return variantValue(t as EnumT, r.variant.index, null); }
      case "fn": {
        if (r.f.decl.async) return asyncFnValue(this.em, r.f, r.typeArgs.map((x) => this.ty(x)), r.f.decl.extern ? "" : this.target(e));
        // A named function as a value: a wrapper with the closure calling convention.
        const typeArgs = r.typeArgs.map((x) => this.ty(x));
        const fsub = new Map(r.f.typeParams.map((p, i) => [p, typeArgs[i]] as [TypeParamInfo, Type]));
        const ft = subst({ k: "fn", params: r.f.params.map((p) => p.type), ret: r.f.ret }, fsub) as Extract<Type, { k: "fn" }>;
        this.em.defineType(ft);
        const inst = this.target(e);
        const ps = ft.params.map((p, i) => `${cType(p)} a${i}`);
        const w = this.em.fnHelper(`fnv_${inst}`, `static ${cRet(ft.ret)} fnv_${inst}(void *env${ps.map((x) => ", " + x).join("")})`, () =>
          `  (void)env;\n  ${ft.ret.k === "unit" ? "" : "return "}${inst}(${ft.params.map((_, i) => `a${i}`).join(", ")});`);
        return `((${cType(ft)}){ ${w}, NULL })`;
      }
    }
  }

  /** Match bindings read at their uses (emit/match-bindings.ts): the C place each one names while its arm is written. */
  readInPlace = new Map<LocalVar, string>();

  localRef(v: LocalVar): string {
    const at = this.readInPlace.get(v);
    if (at !== undefined) return at;
    if (v.kind === "self" && this.fn?.self?.kind === "mut" && this.fn.self.local === v) return `(*${this.lv(v)})`;
    return this.lv(v);
  }

  // ---------- expressions ----------
  /** The value of e converted to type `target` (wrapping into optionals). */
  value(e: A.Expr, target: Type, ind: number): string {
    const t = this.typeOf(e);
    if (target.k === "unit" && t.k !== "never") {
      // The unit value is stored as a byte: run the expression for its effects.
      const c = this.expr(e, ind);
      if (c === NEVER) return NEVER;
      this.discard(c, ind);
      return "0";
    }
    if (e.kind === "NoneLit") { this.em.defineType(target); return zero(target); }
    const c = this.expr(e, ind);
    return this.coerce(c, t, target);
  }

  private coerce(c: string, from: Type, to: Type): string {
    if (c === NEVER || from.k === "never") return NEVER;
    if (to.k === "optional" && from.k !== "optional") {
      this.em.defineType(to);
      return `((${cType(to)}){ true, ${c} })`;
    }
    return c;
  }

  expr(e: A.Expr, ind: number): string {
    const t = this.typeOf(e);
    switch (e.kind) {
      case "IntLit": return t.k === "float" ? floatLit(Number(e.value), t) : intLit(e.value, t);
      case "FloatLit": return floatLit(e.value, t);
      case "BoolLit": return e.value ? "true" : "false";
      case "NoneLit": this.em.defineType(t); return zero(t);
      case "StrLit": return this.strLit(e, ind);
      case "Ident": return this.varRef(e);
      case "Unary": {
        if (e.op === "-" && e.operand.kind === "IntLit") return t.k === "float" ? floatLit(Number(-e.operand.value), t) : intLit(-e.operand.value, t);
        const v = this.expr(e.operand, ind);
        if (e.op === "not") return `(!${v})`;
        if (e.op === "~") return `((${cType(t)})~${v})`;
        if (t.k === "int") return this.unchecked?.has(e) ? `((${cType(t)})(-${v}))` : checkedNeg(this.em.fails, t.name, v, e.span);
        return `(-${v})`;
      }
      case "Binary": return this.binary(e, t, ind);
      case "Call": return this.call(e, t, ind);
      case "Field": {
        const mc = this.typed.mathConsts.get(e);
        if (mc !== undefined) return floatLit(mc, T.f64);
        const nc = this.typed.numConsts.get(e);
        if (nc !== undefined) return numberConst(nc, t);
        if (this.typed.refs.has(e)) return this.varRef(e);
        const target = this.expr(e.target, ind);
        return `${target}.${fieldName(e.name)}`;
      }
      case "Cast": return this.cast(e, t, ind);
      case "Unwrap": {
        const ot = this.typeOf(e.operand);
        if (ot.k !== "optional") return this.expr(e.operand, ind); // a narrowed binding (W0004)
        const o = this.materializeAlways(this.expr(e.operand, ind), ot, ind);
        this.line(ind, `if (!${o}.has) co_panic_at(${locArgs(e.span)}, "unwrapped none with \`!\`");`);
        return `${o}.val`;
      }
      case "StructLit": {
        const st = this.ty(this.typed.structLits.get(e)!) as Extract<Type, { k: "struct" }>;
        this.em.defineType(st);
        const fts = fieldTypes(st);
        const targets = e.fields.map((f) => fts.find((x) => x.name === f.name)!.type);
        const vals = this.operands(e.fields.map((f) => f.value), targets, ind);
        if (vals.some((v) => v === NEVER)) return NEVER;
        const inits = e.fields.map((f, i) => `.${fieldName(f.name)} = ${vals[i]}`);
        // Optional fields left out are none; strings must not be left NULL.
        for (const f of fts) if (!e.fields.some((x) => x.name === f.name)) inits.push(`.${fieldName(f.name)} = ${zero(f.type)}`);
        return `((${cType(st)}){ ${inits.join(", ")} })`;
      }
      case "TupleLit": {
        if (e.elems.length === 0) return "";
        const tt = t as Extract<Type, { k: "tuple" }>;
        this.em.defineType(tt);
        const vals = this.operands(e.elems, tt.elems, ind);
        if (vals.some((v) => v === NEVER)) return NEVER;
        return `((${cType(tt)}){ ${vals.join(", ")} })`;
      }
      case "TupleIndex": return `${this.expr(e.target, ind)}.f${e.index}`;
      case "Match": return this.match(e, t, ind);
      case "Closure": return this.closure(e, t as Extract<Type, { k: "fn" }>, ind);
      case "RegionExpr": return this.region(e, t, ind, false);
      case "Await": return this.awaitExpr(e, t, ind);
      case "Spawn": return this.spawnExpr(e, ind);
      case "VecLit": {
        this.em.defineType(t);
        const n = mangle(t);
        const elem = (t as { elem: Type }).elem;
        const vals = this.operands(e.elems, e.elems.map(() => elem), ind);
        if (vals.some((v) => v === NEVER)) return NEVER;
        const v = this.newTmp();
        if (t.k === "set") {
          this.line(ind, `${this.decl(`${n} *`, v)} = ${n}_new();`);
          for (const x of vals) this.line(ind, `${n}_insert(${v}, ${x});`);
          return v;
        }
        if (!vals.length) return `${n}_new()`;
        this.line(ind, `${this.decl(`${n} *`, v)} = ${n}_with_cap(${vals.length});`);
        for (const x of vals) this.line(ind, `${n}_push(${v}, ${x});`);
        return v;
      }
      case "MapLit": {
        const asStruct = this.typed.braceStructs.get(e);
        if (asStruct) return this.expr(asStruct, ind);
        this.em.defineType(t);
        const n = mangle(t);
        if (t.k !== "map") return `${n}_new()`;
        const es = e.entries.flatMap((x) => [x.key, x.value]);
        const vals = this.operands(es, e.entries.flatMap(() => [t.key, t.val]), ind);
        if (vals.some((v) => v === NEVER)) return NEVER;
        const v = this.newTmp();
        this.line(ind, `${this.decl(`${n} *`, v)} = ${n}_new();`);
        for (let i = 0; i < vals.length; i += 2) this.line(ind, `${n}_set(${v}, ${vals[i]}, ${vals[i + 1]});`);
        return v;
      }
      case "Index": {
        const ct = this.typeOf(e.target);
        const [c, i] = this.operands([e.target, e.index], [ct, ct.k === "map" ? ct.key : T.i64], ind);
        if (ct.k === "vec") { this.em.defineType(ct); return this.unchecked?.has(e) ? `${c}->data[${i}]` : `${mangle(ct)}_get(${c}, ${i}, ${locArgs(e.span)})`; }
        return `(*${this.indexPtr(ct, c, i, e.span)})`;
      }
      case "Try": return this.tryExpr(e, ind);
      case "If": case "IfLet": {
        if (t.k === "never") {
          if (e.kind === "If") this.ifStmt(e, ind, null); else this.ifLetStmt(e, ind, null);
          return NEVER;
        }
        this.em.defineType(t);
        const v = this.newTmp();
        this.line(ind, `${this.decl(cType(t), v)} = ${zero(t)};`);
        if (e.kind === "If") this.ifStmt(e, ind, { v, t }); else this.ifLetStmt(e, ind, { v, t });
        return v;
      }
      case "BlockExpr": {
        if (t.k === "unit" || t.k === "never") { this.line(ind, "{"); this.block(e.block, ind + 1); this.line(ind, "}"); return t.k === "never" ? NEVER : ""; }
        this.em.defineType(t);
        const v = this.newTmp();
        this.line(ind, `${this.decl(cType(t), v)} = ${zero(t)};`);
        this.line(ind, "{");
        this.arm(e.block, ind + 1, { v, t });
        this.line(ind, "}");
        return v;
      }
      default:
        throw new Error(`internal: ${e.kind} reached the emitter`);
    }
  }

  private strLit(e: Extract<A.Expr, { kind: "StrLit" }>, ind: number): string {
    if (e.parts.every((p) => p.kind === "text")) return cStr(e.parts.map((p) => (p as A.StrPart).value).join(""));
    const sb = this.newTmp();
    this.declOnly(ind, "co_sb", sb); this.line(ind, `co_sb_init(&${sb});`);
    for (const p of e.parts) {
      if (p.kind === "text") { if (p.value) this.line(ind, `co_sb_str(&${sb}, ${cStr(p.value)});`); continue; }
      const t = this.typeOf(p.expr);
      const v = this.expr(p.expr, ind);
      if (v === NEVER) return NEVER;
      if (p.spec) emitFormatted(this, t, sb, v, p.spec, ind);
      else this.line(ind, this.em.show(t, `&${sb}`, v, false));
    }
    return this.materialize(`co_sb_finish(&${sb})`, T.string, ind);
  }

  /** C nesting depth of each emitted operator chain link (see `chainLink`). */
  private chainDepth = new WeakMap<A.Expr, number>();

  /**
   * A long left-associative chain (`1 + 1 + ... + 1`) would nest one C call
   * or parenthesis per link, past clang's bracket-depth limit (256): every
   * CHAIN_SPILL links the C of the left part is fixed in a temporary. The
   * left operand is evaluated first either way, so the order is unchanged.
   */
  private chainLink(e: Extract<A.Expr, { kind: "Binary" }>, l: string, ind: number): string {
    const below = e.left.kind === "Binary" ? this.chainDepth.get(e.left) ?? 0 : 0;
    if (below < CHAIN_SPILL) { this.chainDepth.set(e, below + 1); return l; }
    this.chainDepth.set(e, 1);
    return this.materialize(l, this.typeOf(e.left), ind);
  }

  private binary(e: Extract<A.Expr, { kind: "Binary" }>, t: Type, ind: number): string {
    const op = e.op;
    if (op === "and" || op === "or") {
      const l = this.chainLink(e, this.expr(e.left, ind), ind);
      const r = this.capture(() => this.expr(e.right, ind + 1));
      if (r.lines.length === 0) return `(${l} ${op === "and" ? "&&" : "||"} ${r.value})`;
      const v = this.newTmp();
      this.line(ind, `${this.decl("bool", v)} = ${l};`);
      this.line(ind, op === "and" ? `if (${v}) {` : `if (!${v}) {`);
      this.lines.push(...r.lines);
      this.line(ind + 1, `${v} = ${r.value};`);
      this.line(ind, "}");
      return v;
    }
    if (op === "??") {
      const lt = this.typeOf(e.left);
      const o = this.materializeAlways(this.expr(e.left, ind), lt, ind);
      const r = this.capture(() => this.value(e.right, t, ind + 1));
      if (r.lines.length === 0 && r.value !== NEVER) return `(${o}.has ? ${this.coerce(`${o}.val`, (lt as { inner: Type }).inner, t)} : ${r.value})`;
      this.em.defineType(t);
      const v = this.newTmp();
      this.declOnly(ind, cType(t), v);
      this.line(ind, `if (${o}.has) ${v} = ${this.coerce(`${o}.val`, (lt as { inner: Type }).inner, t)}; else {`);
      this.lines.push(...r.lines);
      if (r.value !== NEVER) this.line(ind + 1, `${v} = ${r.value};`);
      this.line(ind, "}");
      return v;
    }
    const lt = this.typeOf(e.left), rt = this.typeOf(e.right);
    const isEq = op === "==" || op === "!=";
    const other = e.left.kind === "NoneLit" ? e.right : e.right.kind === "NoneLit" ? e.left : null;
    if (isEq && other && this.typeOf(other).k === "optional") {
      // A presence test: it works for every optional, also those whose values have no `==`.
      const o = this.expr(other, ind);
      return op === "==" ? `(!(${o}).has)` : `((${o}).has)`;
    }
    if (isEq) {
      // Mixed optional / plain comparisons compare as optionals.
      const ct = lt.k === "optional" ? lt : rt.k === "optional" ? rt : lt;
      const [l, r] = this.operands([e.left, e.right], [ct, ct], ind);
      const eq = this.em.eq(ct, l, r);
      return op === "==" ? eq : `(!${eq})`;
    }
    const [l0, r] = this.operands([e.left, e.right], [null, null], ind);
    const l = this.chainLink(e, l0, ind);
    switch (op) {
      case "<": case "<=": case ">": case ">=":
        if (lt.k === "string") return `(co_str_cmp(${l}, ${r}) ${op} 0)`;
        return `(${l} ${op} ${r})`;
      default:
        return this.arith(op, lt, l, r, e.span, this.unchecked?.has(e));
    }
  }

  /** Arithmetic `l op r` on values of type t (checked for integers unless proven unable to fail). */
  arith(op: A.BinOp, t: Type, l: string, r: string, span: A.Span, proven = false): string {
    if (t.k === "string" && op === "+") return `co_str_concat(${l}, ${r})`;
    if (t.k === "float") {
      if (op === "%") return t.name === "f64" ? `fmod(${l}, ${r})` : `fmodf(${l}, ${r})`;
      return `(${l} ${op} ${r})`;
    }
    if (t.k !== "int") throw new Error(`internal: arithmetic on ${t.k}`);
    const n = t.name;
    // Proven: no overflow, no zero divisor, shift amount in range (shl shifts the bit pattern, as the checked shift does).
    if (proven) return op === "<<" ? `((${cType(t)})((uint64_t)${l} << ${r}))` : `((${cType(t)})(${l} ${op} ${r}))`;
    if (op === "&" || op === "|" || op === "^") return `((${cType(t)})(${l} ${op} ${r}))`;
    const c = checkedBinary(this.em.fails, op, n, l, r, span);
    if (!c) throw new Error(`internal: operator ${op}`);
    return c;
  }

  private cast(e: Extract<A.Expr, { kind: "Cast" }>, to: Type, ind: number): string {
    const from = this.typeOf(e.operand);
    const v = this.expr(e.operand, ind);
    if (typeEq(from, to)) return v;
    if (to.k === "float") return `((${cType(to)})(${v}))`;
    if (to.k !== "int") throw new Error("internal: cast target");
    if (from.k === "bool") return `((${cType(to)})(${v}))`;
    if (from.k === "float") return checkedConv(this.em.fails, from.name, to.name, v, e.span);
    if (from.k !== "int") throw new Error("internal: cast source");
    if (fits(from.name, to.name)) return `((${cType(to)})(${v}))`;
    return checkedConv(this.em.fails, from.name, to.name, v, e.span);
  }

  call(e: Extract<A.Expr, { kind: "Call" }>, t: Type, ind: number): string {
    return this.typed.tasks.implicit.has(e) ? spawnHandle(this, e, ind) : call(this, e, t, ind);
  }

  collectionCall(e: Extract<A.Expr, { kind: "Call" }>, name: string, recvE: A.Expr | null, t: Type, ind: number): string { return collectionCall(this, e, name, recvE, t, ind); }

  /** `region { ... }`: allocations inside go to a fresh region, freed in one step at the end (or by an early exit, see regions.ts); what leaves it is copied out. */
  region(e: Extract<A.Expr, { kind: "RegionExpr" }>, t: Type, ind: number, stmt: boolean): string {
    const value = !stmt && t.k !== "unit" && t.k !== "never";
    let res = "";
    if (value) { this.em.defineType(t); res = this.newTmp(); this.line(ind, `${this.decl(cType(t), res)} = ${zero(t)};`); }
    const saved = this.newTmp(), r = this.newTmp();
    this.line(ind, `{ ${this.decl("co_region *", saved)} = co_current; ${this.decl("co_region *", r)} = co_region_new(); co_current = ${r};`);
    this.regionStack.push({ first: this.typed.regionFirstLocal.get(e) ?? Infinity, saved, region: r });
    this.arm(e.block, ind + 1, value ? { v: res, t } : null);
    this.regionStack.pop();
    // The block's value is copied out before its region is freed (what was made outside the block leaves as it is).
    if (value && this.em.hasHeap(t)) this.line(ind + 1, `${res} = ${this.em.stored(e, saved, t, res, r)};`);
    this.line(ind + 1, `co_current = ${saved}; co_region_free(${r});`);
    this.line(ind, "}");
    return value ? res : "";
  }

  closure(e: Extract<A.Expr, { kind: "Closure" }>, ft: Extract<Type, { k: "fn" }>, ind: number): string { return closure(this, e, ft, ind); }

  private tryExpr(e: Extract<A.Expr, { kind: "Try" }>, ind: number): string {
    const ot = this.typeOf(e.operand);
    const r = this.materializeAlways(this.expr(e.operand, ind), ot, ind);
    const ret = this.retType();
    this.em.defineType(ret);
    if (ot.k === "optional") {
      this.line(ind, `if (!${r}.has) {`);
      this.retLine(ind + 1, zero(ret), e);
      this.line(ind, "}");
      return `${r}.val`;
    }
    const rt = ot as EnumT;
    this.line(ind, `if (${tagOf(rt, r)} != 0) {`);
    this.retLine(ind + 1, variantValue(ret as EnumT, 1, [fieldOf(rt, r, 1, 0)]), e);
    this.line(ind, "}");
    return fieldOf(rt, r, 0, 0);
  }

  match(e: Extract<A.Expr, { kind: "Match" }>, t: Type, ind: number, stmt = false): string { return match(this, e, t, ind, stmt); }

}

function fits(from: IntName, to: IntName): boolean {
  const a = intRange(from), b = intRange(to);
  return a.min >= b.min && a.max <= b.max;
}
