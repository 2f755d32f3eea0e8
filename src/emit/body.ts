// The emitter of one function body (or closure, test, global initialiser):
// the state of the body being written (its IR statements, temporaries, open loops and
// region blocks, the async frame members it declared) and the core the
// concern files build on: declarations, temporaries, operand ordering,
// places and variable references, and the statement and expression dispatch.

import type * as A from "../syntax/ast.js";
import {
  T, typeEq, intRange, subst, fieldTypes, type Type, type IntName, type FnInfo, type LocalVar, type GlobalInfo, type TypedProgram, type TypeParamInfo,
} from "../check/types.js";
import { cType, mangle, fieldName, cStr, RECEIVER_REGION, varName } from "./names.js";
import { carryRestores, CURRENT, enterRegion, leaveRegion, leaveRegions, regionVar, returnedValue, returnedValueIr, type OpenRegion } from "./regions.js";
import { carryCompact } from "./carry.js";
import type { Emitter } from "./c.js";
import { stmt, exprStmt, discard, ifStmt, ifLetStmt, arm } from "./statements.js";
import { call } from "./calls.js";
import { collectionCall, indexPtr, indexPtrOf } from "./collections.js";
import { closure, namedFnIr, NO_CALLS } from "./closures.js";
import { match } from "./match.js";
import { checkedBinaryCall, checkedNegCall, checkedConvCall, type Checked } from "./fail-stubs.js";
import { NEVER, locArgs, bare, isConstExpr, intLit, floatLit, zero } from "./ctext.js";
import { numberConst } from "./helpers.js";
import { spawnExpr, awaitExpr } from "./futures.js";
import { spawnHandle } from "./tasks.js";
import type { RangeInput } from "../lower/ranges.js";
import { GLOBALS_CONTEXT, type Context } from "../lower/mono.js";
import { fieldOf, isBoxed, variantValue, type EnumT } from "./enum-layout.js";
import { BodyIr, C } from "./body-ir.js";
import { placeLines, printExpr, printStmts } from "./print.js";
import { appendText, formattedIr, newBuilder, showIr } from "./expr-ir-show.js";
import { checkedCall, exprIr, fmodIr, irExpr, storedValueIr } from "./expr-ir.js";
import { irValueText, TEXT_VIA_IR } from "./expr-ir-text.js";
import { resultTmp } from "./match-ir.js";
import { fixes } from "./expr-ir-order.js";
import { chainDepth } from "./expr-ir-chain.js";
import { knownIr, memberLocal, placeIr, wholeIr } from "./frames-ir.js";
import { placeOperandsIr } from "./expr-ir-index.js";
import type { BuiltTexts } from "./text-ir.js";
import { rt as rtCall, type BinOp, type Expr, type Stmt } from "../lower/ir.js";
import { locIr } from "./caller.js";

/** A loop being emitted; `regions`: how many region blocks were open where it starts (break/continue leave the others). */
/** `safepoint`: the drop queue may be flushed at its back-edge (the region analysis's MemoryFacts.safepoints). */
export interface Loop { brk: string; cont: string; regions: number; safepoint: boolean }

/** Links of an operator chain emitted as one nested C expression before a temporary breaks it. */
export const CHAIN_SPILL = 64;

export class FnEmitter {
  /** The IR statements of the body (body-ir.ts). */
  readonly ir = new BodyIr();
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
  /** The variables the body declared (name -> C type; in an async body its frame members), filled by decl; the Colang locals it names, filled by lv (frames-ir.ts). */
  frame = new Map<string, string>();
  frameVars = new Map<string, LocalVar>();
  /** The globals the body names, by C name (varRef; frames-ir.ts). */
  globalVars = new Map<string, GlobalInfo>();
  /** The texts built from IR over text operands (text-ir.ts; frames-ir.ts placeIr reads them). */
  get built(): BuiltTexts { return this.em.derived.built; }
  /** x as this body prints it as a statement's whole value. */
  /** The runtime's checked call c on the operand texts (recorded with its IR). */
  checked(c: Checked, ...operands: string[]): string {
    return this.recorded(`${c.fn}(${[...operands, ...c.stubs].join(", ")})`, checkedCall(c, ...operands.map(C)));
  }

  /** text, which the string emitter built as x over text operands, recorded with x (text-ir.ts). */
  recorded(text: string, x: Expr): string { return this.built.record(text, x); }
  printTop(x: Expr, top = true): string { return printExpr(x, { instance: (f, args, unchecked) => this.em.called(f, args, unchecked) }, top); }

  /** Nodes whose checks range analysis proved unnecessary where they are being emitted (ranges.ts). */
  unchecked: Set<A.Expr> | null = null;
  /** Set inside the unchecked copy of a versioned loop: inner loops were analysed with it. */
  noVersion = false;

  rangeInput(): RangeInput {
    const t = this.typed;
    return { typeOf: (e) => { const x = t.exprTypes.get(e); return x && this.ty(x); }, refs: t.refs, calls: t.calls, patLocals: t.patLocals, stmtLocals: t.stmtLocals };
  }

  /** `return v` (or `return` when v is null): in an async function, the result goes into the frame.
   *  An IR value (returnValue) is returned as it is: no copy, no region blocks to leave. */
  retLine(v: string | Expr | null, node: A.Stmt | A.Expr): void {
    // A borrow of global state returned where callers cannot see it (a closure, a function used as a value): copied.
    const x = node.kind === "Return" ? node.value : (node as A.Expr);
    if (typeof v === "string" && x) v = this.em.returnCopy(x, this.retType(), v);
    if (this.regionStack.length) {
      // Out of region blocks: the value is copied to the caller's memory before the blocks are freed. The shared
      // vecs an open carry region moved go back under their headers first (the region current around it kept), so a
      // returned header leaves as it is (emit/regions.ts carryRestores).
      const restores = carryRestores(this.regionStack);
      if (v !== null && restores.length) v = typeof v === "string" ? this.materializeAlways(v, this.retType()) : this.fixedIr(v, this.retType());
      if (restores.length) {
        const cur = this.newTmp();
        this.declare("co_region *", cur, CURRENT);
        this.ir.addAll([...restores, { s: "assign", to: CURRENT, v: regionVar(cur) }]);
      }
      if (typeof v === "string") v = this.materializeAlways(returnedValue(this.em, node, this.regionStack, this.retType(), v), this.retType());
      else if (v !== null) v = this.fixedIr(returnedValueIr(this.em, node, this.regionStack, this.retType(), v), this.retType());
      this.ir.addAll(leaveRegions(this.regionStack, 0, restores.length > 0));
    }
    const val = v === null ? null : typeof v === "string" ? placeIr(this, v, cType(this.retType())) : v;
    if (!this.asyncMode) { this.emit({ s: "return", v: val }); return; }
    this.emit({ s: "block", body: [{ s: "done", v: val }], inline: 1 });
  }

  /** `return e` for a value e of the return type (at node: the `return` statement, or a closure's body expression). */
  returnValue(e: A.Expr, node: A.Stmt | A.Expr): void {
    const ret = this.retType();
    // IR where it is one (storedValueIr), its copies (returnCopy, the region exits) IR over it.
    const x = storedValueIr(this, e, ret);
    if (x) { this.retLine(this.em.returnCopyIr(e, ret, x), node); return; }
    const v = this.value(e, ret);
    if (v !== NEVER) this.retLine(v, node);
  }

  retType(): Type {
    if (this.closureRet) return this.closureRet;
    if (!this.fn) throw new Error("internal: return outside a function");
    return this.ty(this.fn.ret);
  }

  /** A checked type, with this instance's type arguments substituted. */
  ty(t: Type): Type { return subst(t, this.sub); }

  emit(s: Stmt): void { this.ir.add(s); }

  /** `to = v;` */
  assign(to: string, v: string): void { this.emit({ s: "assign", to: placeIr(this, to, ""), v: placeIr(this, v, "") }); }

  /** `if (cond) s` on one line, without braces. */
  shortIf(cond: string | Expr, s: Stmt): void { this.emit({ s: "if", cond: typeof cond === "string" ? wholeIr(this, cond) : cond, then: [s], else_: [], short: true }); }

  /** The location of the Colang statement or arm about to be emitted (a `#line` before its first C statement). */
  at(span: A.Span): void { this.ir.at(span); }

  /** The statements f emits, as a list of their own. */
  nest(f: () => void): Stmt[] { return this.ir.nest(f); }

  /** `ct ref = init;` as an IR declaration (through decl: in an async body an assignment to the frame member). */
  declare(ct: string, ref: string, init: string | Expr): void { this.emit(this.declStmt(ct, ref, init)); }

  /** `ct ref = init();` with ref declared before init runs (an async frame lists its members in declaration order). */
  declareFirst(ct: string, ref: string, init: () => string): void { this.emit(this.declStmt(ct, ref, init)); }

  /** The statement `declare` emits, for a place that holds one (a `for` header, a row). */
  declStmt(ct: string, ref: string, init: string | (() => string) | Expr): Stmt {
    const d = this.decl(ct, ref);
    const v = typeof init === "string" ? placeIr(this, init, ct) : typeof init === "function" ? placeIr(this, init(), ct) : init;
    return d === ref ? { s: "assign", to: this.declared(ref, ct), v } : { s: "decl", l: { id: 0, name: ref, type: { k: "ctype", c: ct } }, init: v };
  }

  /**
   * The frame member an async body's declaration of ref (`F->name`) assigns, built from the declaration as a
   * sync body's declared local is (no text looked up): the Colang local this body named so (lv), else the temporary.
   */
  private declared(ref: string, ct: string): Expr {
    const v = this.frameVars.get(ref.slice(3));
    return v ? { e: "var", v, frame: true } : { e: "local", l: memberLocal(ref, ct) };
  }

  /** The body's IR statements, for the function that holds them (an async body's poll function, emit/async.ts). */
  finished(): Stmt[] { return this.ir.finish(); }

  /** The body as C lines (indented one level), recorded under this C name for `coc dump --stage=ir`. */
  printed(name: string): string[] {
    const body = this.ir.finish();
    this.em.bodies.push({ name, body });
    return placeLines(printStmts(body, 1, { instance: (f, args, unchecked) => this.em.called(f, args, unchecked) }, null));
  }

  /** A fresh temporary; in an async body it is a frame member, so it survives a suspension. */
  newTmp(): string { const n = `t${++this.tmp}`; return this.asyncMode ? `F->${n}` : n; }

  /** The C name of a local variable (a frame member in an async body). */
  lv(v: LocalVar): string { this.frameVars.set(v.cname, v); return varName(v.cname, this.asyncMode); }

  /**
   * Every variable this emitter introduces is declared through here, so an
   * async body knows its frame members without reading the C it printed:
   * `ct ref` in a sync body; in an async body ref (`F->name`) is recorded as
   * a frame member of C type ct and the declaration becomes an assignment.
   */
  decl(ct: string, ref: string): string {
    if (!this.asyncMode) { this.frame.set(ref, ct); return `${ct} ${ref}`; }
    const name = ref.slice(3);
    const had = this.frame.get(name);
    if (had !== undefined && had !== ct) throw new Error(`internal: frame member ${name} is ${had} and ${ct}`);
    this.frame.set(name, ct);
    return ref;
  }

  /** A declaration without an initialiser (in an async body only the frame member). */
  declOnly(ct: string, ref: string): void {
    if (this.decl(ct, ref) !== ref) this.emit({ s: "decl", l: { id: 0, name: ref, type: { k: "ctype", c: ct } }, init: null });
  }

  typeOf(e: A.Expr): Type {
    const t = this.typed.exprTypes.get(e);
    if (!t) throw new Error(`internal: expression without a type at ${e.span.file}:${e.span.line}:${e.span.col} (${e.kind})`);
    return this.ty(t);
  }

  /** Stores a C expression in a fresh temporary and returns its name. */
  materialize(c: string, t: Type): string {
    if (isConstExpr(c) || c === NEVER) return c;
    const v = this.newTmp();
    this.em.defineType(t);
    this.declare(cType(t), v, c);
    return v;
  }

  /** Emits operands in order; earlier ones are fixed in temporaries when a later one has effects. */
  operands(es: A.Expr[], targets: (Type | null)[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < es.length; i++) {
      const target = targets[i];
      let c = target ? this.value(es[i], target) : this.expr(es[i]);
      // The order rule (expr-ir-order.ts): effects and panics keep Colang's left-to-right order.
      if (fixes(es, i)) c = this.materialize(c, target ?? this.typeOf(es[i]));
      out.push(c);
    }
    return out;
  }

  // ---------- statements (emit/statements.ts) ----------
  block(b: A.Block): void {
    for (const s of b.stmts) this.stmt(s);
  }

  stmt(s: A.Stmt): void { stmt(this, s); }

  exprStmt(e: A.Expr): void { exprStmt(this, e); }

  discard(c: string): void { discard(this, c); }

  ifStmt(e: Extract<A.Expr, { kind: "If" }>, into: { v: string; t: Type } | null): void { ifStmt(this, e, into); }

  ifLetStmt(e: Extract<A.Expr, { kind: "IfLet" }>, into: { v: string; t: Type } | null): void { ifLetStmt(this, e, into); }

  arm(b: A.Block, into: { v: string; t: Type } | null): void { arm(this, b, into); }

  /** x (of type t) fixed as materializeAlways fixes its text: a temporary or local stays, anything else is declared in a fresh temporary. */
  fixedIr(x: Expr, t: Type): Expr {
    const b = bare(this.printTop(x));
    if (/^[tl]_?\w*$/.test(b) && (b.startsWith("t") || b.startsWith("l_"))) return x;
    const v = this.newTmp();
    this.em.defineType(t);
    this.declare(cType(t), v, x);
    return { e: "local", l: memberLocal(v, cType(t)) };
  }

  materializeAlways(c: string, t: Type): string {
    const b = bare(c);
    if (/^[tl]_?\w*$/.test(b) && (b.startsWith("t") || b.startsWith("l_"))) return c;
    const v = this.newTmp();
    this.em.defineType(t);
    this.declare(cType(t), v, c);
    return v;
  }

  /** What f emits, and the value it returns. */
  capture(f: () => string): { stmts: Stmt[]; value: string } {
    let value = "";
    const stmts = this.nest(() => { value = f(); });
    return { stmts, value };
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
    return this.localOwner(r.v);
  }

  /** The region a local's storage belongs to when it is older than the current one (region blocks entered since its
   *  declaration, a loop carrying it), else null. */
  localOwner(v: LocalVar): string | null {
    // A loop-carried local lives in its loop's carry region (emit/carry.ts); for the others the carry is not there.
    // The innermost loop carrying it, when loops nest (memory/regions.ts outer()).
    const outer = [...this.regionStack].reverse().find((b) => b.carry?.ids.has(v.id)) ?? this.regionStack.find((b) => !b.carry && v.id < b.first);
    return outer ? outer.carry ? outer.region : outer.saved : null;
  }

  /** A place (assignable path) and the region owning its storage, for promotion of stored values (MEMORY.md rule 1). */
  placeWithOwner(e: A.Expr): { place: string; owner: string | null } {
    this.placeOwner = null;
    const place = this.place(e);
    return { place, owner: this.placeOwner };
  }

  private place(e: A.Expr): string {
    switch (e.kind) {
      case "Ident": this.placeOwner = this.varOwner(e); return this.varRef(e);
      case "Field": {
        if (this.typed.refs.has(e)) { this.placeOwner = this.varOwner(e); return this.varRef(e); }
        const of = this.place(e.target);
        return this.recorded(`${of}.${fieldName(e.name)}`, { e: "field", of: C(of), name: e.name });
      }
      case "Index": {
        const ct = this.typeOf(e.target);
        // The collection and index fixed in temporaries, as IR where they are IR expressions (expr-ir-index.ts).
        const ir = placeOperandsIr(this, e);
        let cm: string, im: string;
        if (ir) [cm, im] = ir.map((x) => this.printTop(x));
        else {
          const [c, i] = this.operands([e.target, e.index], [ct, ct.k === "map" ? ct.key : T.i64]);
          cm = this.materialize(c, ct); im = this.materialize(i, ct.k === "map" ? ct.key : T.i64);
        }
        const [cx, ix] = ir ?? [C(cm), C(im)];
        this.placeOwner = this.recorded(`${cm}->owner`, { e: "arrow", p: cx, field: "owner" });
        if (ct.k === "vec" && this.unchecked?.has(e)) return this.recorded(`${cm}->data[${im}]`, { e: "at", of: cx, i: ix });
        const p = indexPtrOf(this, ct, cm, im, e.span, ir ?? undefined);
        return this.recorded(`(*${p.text})`, { e: "deref", p: ir ? p.x : C(p.text) });
      }
      case "TupleIndex": { const of = this.place(e.target); return this.recorded(`${of}.f${e.index}`, { e: "elem", of: C(of), i: e.index }); }
      default: throw new Error(`internal: not a place: ${e.kind}`);
    }
  }

  indexPtr(ct: Type, c: string, i: string, span: A.Span): string { return indexPtr(this, ct, c, i, span); }

  varRef(e: A.Expr): string {
    const r = this.typed.refs.get(e);
    if (!r) throw new Error(`internal: unresolved name at ${e.span.line}:${e.span.col}`);
    switch (r.kind) {
      case "local": return this.localRef(r.v);
      case "global": this.globalVars.set(r.g.cname, r.g); return r.g.cname;
      case "variant": { const t = this.ty(r.type) as EnumT; this.em.defineType(t); return this.recorded(variantValue(t, r.variant.index, null), { e: "variant", type: t, variant: r.variant.index, fields: [] }); }
      case "fn": {
        // A named function as a value: a wrapper with the closure calling convention (closures.ts).
        return printExpr(namedFnIr(this, e, r), NO_CALLS, true);
      }
    }
  }

  /** Match bindings read at their uses (emit/match-bindings.ts): the C place each one names while its arm is written. */
  readInPlace = new Map<LocalVar, string>();

  localRef(v: LocalVar): string {
    const at = this.readInPlace.get(v);
    if (at !== undefined) return at;
    // `self` of a `mut self` method is a pointer: read through it (recorded with its IR, text-ir.ts).
    if (v.kind === "self" && this.fn?.self?.kind === "mut" && this.fn.self.local === v) return this.recorded(`(*${this.lv(v)})`, { e: "deref", p: { e: "var", v, frame: this.asyncMode } });
    return this.lv(v);
  }

  // ---------- expressions ----------
  /** The value of e converted to type `target` (wrapping into optionals). */
  value(e: A.Expr, target: Type): string {
    const t = this.typeOf(e);
    if (target.k === "unit" && t.k !== "never") {
      // The unit value is stored as a byte: run the expression for its effects.
      const c = this.expr(e);
      if (c === NEVER) return NEVER;
      this.discard(c);
      return "0";
    }
    // `none`: its zero value, remembered as the IR `none` (a store or promotion of it is IR: frames-ir.ts placeIr).
    if (e.kind === "NoneLit") { this.em.defineType(target); const z = zero(target); return target.k === "optional" ? knownIr(this, z, { e: "none", t: target }) : z; }
    const c = this.coerce(this.expr(e), t, target);
    // A borrow of global state passed or stored where it may escape (src/memory/borrows.ts): copied here.
    return c === NEVER ? c : this.em.borrowArg(e, target, c);
  }

  private coerce(c: string, from: Type, to: Type): string {
    if (c === NEVER || from.k === "never") return NEVER;
    // A value goes into an optional unless it is one of that type already; `T` into `T?` with T = `string?`
    // (a generic function's `return v[0]`) wraps too.
    if (to.k === "optional" && (from.k !== "optional" || (typeEq(from, to.inner) && !typeEq(from, to)))) {
      this.em.defineType(to);
      return this.recorded(`((${cType(to)}){ true, ${c} })`, { e: "some", t: to, x: C(c) });
    }
    return c;
  }

  expr(e: A.Expr): string {
    const t = this.typeOf(e);
    // An expression the string emitter is handed whole that is IR (expr-ir.ts: statements may precede it here): its
    // statements are IR, its value the printed IR (expr-ir-text.ts).
    if (TEXT_VIA_IR.has(e.kind) && irExpr(this, e, true, true)) {
      // The chain of operators it ends is as deep as the string emitter would have counted it (expr-ir-chain.ts spilled it the same way).
      if (e.kind === "Binary") this.chainDepth.set(e, chainDepth(e));
      return irValueText(this, exprIr(this, e));
    }
    switch (e.kind) {
      case "IntLit": return t.k === "float" ? floatLit(Number(e.value), t) : intLit(e.value, t);
      case "FloatLit": return floatLit(e.value, t);
      case "BoolLit": return e.value ? "true" : "false";
      case "NoneLit": this.em.defineType(t); return zero(t);
      case "StrLit": return this.strLit(e);
      case "Ident": return this.varRef(e);
      case "Unary": {
        if (e.op === "-" && e.operand.kind === "IntLit") return t.k === "float" ? floatLit(Number(-e.operand.value), t) : intLit(-e.operand.value, t);
        const v = this.expr(e.operand);
        if (e.op === "not") return this.recorded(`(!${v})`, { e: "unop", op: "!", x: C(v) });
        if (e.op === "~") return this.recorded(`((${cType(t)})~${v})`, { e: "bitnot", t, x: C(v) });
        if (t.k === "int") return this.unchecked?.has(e) ? this.recorded(`((${cType(t)})(-${v}))`, { e: "cast", to: t, x: { e: "unop", op: "-", x: C(v) } }) : this.checked(checkedNegCall(this.em.fails, t.name, e.span), v);
        return this.recorded(`(-${v})`, { e: "unop", op: "-", x: C(v) });
      }
      case "Binary": return this.binary(e, t);
      case "Call": return this.call(e, t);
      case "Field": {
        const mc = this.typed.mathConsts.get(e);
        if (mc !== undefined) return floatLit(mc, T.f64);
        const nc = this.typed.numConsts.get(e);
        if (nc !== undefined) return numberConst(nc, t);
        if (this.typed.refs.has(e)) return this.varRef(e);
        const target = this.expr(e.target);
        return this.recorded(`${target}.${fieldName(e.name)}`, { e: "field", of: C(target), name: e.name });
      }
      case "Cast": return this.cast(e, t);
      case "Unwrap": {
        const ot = this.typeOf(e.operand);
        if (ot.k !== "optional") return this.expr(e.operand); // a narrowed binding (W0004)
        const o = this.materializeAlways(this.expr(e.operand), ot);
        const ox = placeIr(this, o, cType(ot));
        this.emit({ s: "if", cond: { e: "not", x: { e: "has", of: ox } }, then: [{ s: "panic", at: { file: e.span.file, line: e.span.line, col: e.span.col }, msg: "unwrapped none with `!`" }], else_: [], short: true });
        return this.recorded(`${o}.val`, { e: "val", of: C(o) });
      }
      case "StructLit": {
        const st = this.ty(this.typed.structLits.get(e)!) as Extract<Type, { k: "struct" }>;
        this.em.defineType(st);
        const fts = fieldTypes(st);
        const targets = e.fields.map((f) => fts.find((x) => x.name === f.name)!.type);
        const vals = this.operands(e.fields.map((f) => f.value), targets);
        if (vals.some((v) => v === NEVER)) return NEVER;
        const inits = e.fields.map((f, i) => `.${fieldName(f.name)} = ${vals[i]}`);
        const fx = e.fields.map((f, i) => ({ name: f.name, v: C(vals[i]) }));
        // Optional fields left out are none; strings must not be left NULL.
        for (const f of fts) if (!e.fields.some((x) => x.name === f.name)) { inits.push(`.${fieldName(f.name)} = ${zero(f.type)}`); fx.push({ name: f.name, v: { e: "default", t: f.type } }); }
        return this.recorded(`((${cType(st)}){ ${inits.join(", ")} })`, { e: "struct", type: st, fields: fx });
      }
      case "TupleLit": {
        if (e.elems.length === 0) return "";
        const tt = t as Extract<Type, { k: "tuple" }>;
        this.em.defineType(tt);
        const vals = this.operands(e.elems, tt.elems);
        if (vals.some((v) => v === NEVER)) return NEVER;
        return this.recorded(`((${cType(tt)}){ ${vals.join(", ")} })`, { e: "tuple", type: tt, elems: vals.map(C) });
      }
      case "TupleIndex": { const of = this.expr(e.target); return this.recorded(`${of}.f${e.index}`, { e: "elem", of: C(of), i: e.index }); }
      case "Match": return this.match(e, t);
      case "Closure": return this.closure(e, t as Extract<Type, { k: "fn" }>);
      case "RegionExpr": return this.region(e, t, false);
      case "Await": return awaitExpr(this, e, t);
      case "Spawn": return spawnExpr(this, e);
      case "VecLit": {
        this.em.defineType(t);
        const n = mangle(t);
        const elem = (t as { elem: Type }).elem;
        const vals = this.operands(e.elems, e.elems.map(() => elem));
        if (vals.some((v) => v === NEVER)) return NEVER;
        const v = this.newTmp();
        if (t.k === "set") {
          this.declare(`${n} *`, v, { e: "call", f: { c: "coll", op: "new", type: t }, args: [] });
          for (const x of vals) this.emit({ s: "expr", x: { e: "call", f: { c: "coll", op: "insert", type: t }, args: [placeIr(this, v), placeIr(this, x)] } });
          return v;
        }
        if (!vals.length) return this.recorded(`${n}_new()`, { e: "call", f: { c: "coll", op: "new", type: t }, args: [] });
        this.declare(`${n} *`, v, { e: "call", f: { c: "coll", op: "with_cap", type: t }, args: [{ e: "int", v: vals.length, t: T.i64 }] });
        for (const x of vals) this.emit({ s: "expr", x: { e: "call", f: { c: "coll", op: "push", type: t }, args: [placeIr(this, v), placeIr(this, x)] } });
        return v;
      }
      case "MapLit": {
        const asStruct = this.typed.braceStructs.get(e);
        if (asStruct) return this.expr(asStruct);
        this.em.defineType(t);
        const n = mangle(t);
        if (t.k !== "map") return this.recorded(`${n}_new()`, { e: "call", f: { c: "coll", op: "new", type: t }, args: [] });
        const es = e.entries.flatMap((x) => [x.key, x.value]);
        const vals = this.operands(es, e.entries.flatMap(() => [t.key, t.val]));
        if (vals.some((v) => v === NEVER)) return NEVER;
        const v = this.newTmp();
        this.declare(`${n} *`, v, { e: "call", f: { c: "coll", op: "new", type: t }, args: [] });
        for (let i = 0; i < vals.length; i += 2) this.emit({ s: "expr", x: { e: "call", f: { c: "coll", op: "set", type: t }, args: [placeIr(this, v), placeIr(this, vals[i]), placeIr(this, vals[i + 1])] } });
        return v;
      }
      case "Index": {
        const ct = this.typeOf(e.target);
        const [c, i] = this.operands([e.target, e.index], [ct, ct.k === "map" ? ct.key : T.i64]);
        if (ct.k === "vec") {
          this.em.defineType(ct);
          if (this.unchecked?.has(e)) return this.recorded(`${c}->data[${i}]`, { e: "at", of: C(c), i: C(i) });
          return this.recorded(`${mangle(ct)}_get(${c}, ${i}, ${locArgs(e.span)})`, { e: "call", f: { c: "coll", op: "get", type: ct }, args: [C(c), C(i), ...locIr(e.span)] });
        }
        const p = this.indexPtr(ct, c, i, e.span);
        return this.recorded(`(*${p})`, { e: "deref", p: C(p) });
      }
      case "Try": return this.tryExpr(e);
      case "If": case "IfLet": {
        if (t.k === "never") {
          if (e.kind === "If") this.ifStmt(e, null); else this.ifLetStmt(e, null);
          return NEVER;
        }
        const v = resultTmp(this, t);
        if (e.kind === "If") this.ifStmt(e, { v, t }); else this.ifLetStmt(e, { v, t });
        return v;
      }
      case "BlockExpr": {
        if (t.k === "unit" || t.k === "never") { this.emit({ s: "block", body: this.nest(() => this.block(e.block)) }); return t.k === "never" ? NEVER : ""; }
        const v = resultTmp(this, t);
        this.emit({ s: "block", body: this.nest(() => this.arm(e.block, { v, t })) });
        return v;
      }
      default:
        throw new Error(`internal: ${e.kind} reached the emitter`);
    }
  }

  private strLit(e: Extract<A.Expr, { kind: "StrLit" }>): string {
    if (e.parts.every((p) => p.kind === "text")) return cStr(e.parts.map((p) => (p as A.StrPart).value).join(""));
    const b = newBuilder(this); // the builder's calls are IR (expr-ir-show.ts), also for a value that is text
    for (const p of e.parts) {
      if (p.kind === "text") { if (p.value) appendText(this, b, p.value); continue; }
      const t = this.typeOf(p.expr);
      const v = this.expr(p.expr);
      if (v === NEVER) return NEVER;
      // The value's text as IR where it is one (frames-ir.ts placeIr), shown or formatted into the builder (expr-ir-show.ts).
      const x = placeIr(this, v, cType(t));
      if (p.spec) formattedIr(this, t, b, x, p.spec);
      else showIr(this, t, b.addr, x, false);
    }
    const v = this.newTmp();
    this.declare(cType(T.string), v, { e: "call", f: { c: "rt", name: "co_sb_finish" }, args: [b.addr] });
    return v;
  }

  /** C nesting depth of each emitted operator chain link (see `chainLink`). */
  private chainDepth = new WeakMap<A.Expr, number>();

  /**
   * A long left-associative chain (`1 + 1 + ... + 1`) would nest one C call
   * or parenthesis per link, past clang's bracket-depth limit (256): every
   * CHAIN_SPILL links the C of the left part is fixed in a temporary. The
   * left operand is evaluated first either way, so the order is unchanged.
   */
  private chainLink(e: Extract<A.Expr, { kind: "Binary" }>, l: string): string {
    const below = e.left.kind === "Binary" ? this.chainDepth.get(e.left) ?? 0 : 0;
    if (below < CHAIN_SPILL) { this.chainDepth.set(e, below + 1); return l; }
    this.chainDepth.set(e, 1);
    return this.materialize(l, this.typeOf(e.left));
  }

  private binary(e: Extract<A.Expr, { kind: "Binary" }>, t: Type): string {
    const op = e.op;
    if (op === "and" || op === "or") {
      const l = this.chainLink(e, this.expr(e.left));
      const r = this.capture(() => this.expr(e.right));
      if (r.stmts.length === 0) return this.recorded(`(${l} ${op === "and" ? "&&" : "||"} ${r.value})`, { e: "bin", op: op === "and" ? "&&" : "||", l: C(l), r: C(r.value) });
      const v = this.newTmp();
      this.declare("bool", v, l);
      const vx = placeIr(this, v, "bool");
      this.emit({ s: "if", cond: op === "and" ? vx : { e: "not", x: vx }, then: [...r.stmts, { s: "assign", to: vx, v: placeIr(this, r.value, "bool") }], else_: [] });
      return v;
    }
    if (op === "??") {
      const lt = this.typeOf(e.left);
      const o = this.materializeAlways(this.expr(e.left), lt);
      const r = this.capture(() => this.value(e.right, t));
      if (r.stmts.length === 0 && r.value !== NEVER) {
        const a = this.coerce(this.recorded(`${o}.val`, { e: "val", of: C(o) }), (lt as { inner: Type }).inner, t);
        return this.recorded(`(${o}.has ? ${a} : ${r.value})`, { e: "cond", c: { e: "has", of: C(o) }, a: C(a), b: C(r.value) });
      }
      this.em.defineType(t);
      const v = this.newTmp();
      this.declOnly(cType(t), v);
      const els = r.value === NEVER ? r.stmts : [...r.stmts, { s: "assign", to: placeIr(this, v, cType(t)), v: placeIr(this, r.value, cType(t)) } as Stmt];
      const a = this.coerce(this.recorded(`${o}.val`, { e: "val", of: C(o) }), (lt as { inner: Type }).inner, t);
      const then: Stmt = { s: "assign", to: placeIr(this, v, cType(t)), v: placeIr(this, a, cType(t)) };
      this.emit({ s: "if", cond: { e: "has", of: placeIr(this, o, cType(lt)) }, then: [then], else_: els, keepElse: true });
      return v;
    }
    const lt = this.typeOf(e.left), rt = this.typeOf(e.right);
    const isEq = op === "==" || op === "!=";
    const other = e.left.kind === "NoneLit" ? e.right : e.right.kind === "NoneLit" ? e.left : null;
    if (isEq && other && this.typeOf(other).k === "optional") {
      // A presence test: it works for every optional, also those whose values have no `==`.
      const o = this.expr(other);
      const has: Expr = { e: "has", of: { e: "paren", x: C(o) } };
      return op === "==" ? this.recorded(`(!(${o}).has)`, { e: "unop", op: "!", x: has }) : this.recorded(`((${o}).has)`, { e: "paren", x: has });
    }
    if (isEq) {
      // Mixed optional / plain comparisons compare as optionals.
      const ct = lt.k === "optional" ? lt : rt.k === "optional" ? rt : lt;
      const [l, r] = this.operands([e.left, e.right], [ct, ct]);
      const eq = this.em.eq(ct, l, r);
      return op === "==" ? eq : this.recorded(`(!${eq})`, { e: "unop", op: "!", x: C(eq) });
    }
    const [l0, r] = this.operands([e.left, e.right], [null, null]);
    const l = this.chainLink(e, l0);
    switch (op) {
      case "<": case "<=": case ">": case ">=":
        if (lt.k === "string") return this.recorded(`(co_str_cmp(${l}, ${r}) ${op} 0)`, { e: "bin", op, l: rtCall("co_str_cmp", C(l), C(r)), r: { e: "int", v: 0, t: T.i64 } });
        return this.recorded(`(${l} ${op} ${r})`, { e: "bin", op, l: C(l), r: C(r) });
      default:
        return this.arith(op, lt, l, r, e.span, this.unchecked?.has(e));
    }
  }

  /** Arithmetic `l op r` on values of type t (checked for integers unless proven unable to fail). */
  arith(op: A.BinOp, t: Type, l: string, r: string, span: A.Span, proven = false): string {
    if (t.k === "string" && op === "+") return this.recorded(`co_str_concat(${l}, ${r})`, rtCall("co_str_concat", C(l), C(r)));
    if (t.k === "float") {
      if (op === "%") return this.recorded(t.name === "f64" ? `fmod(${l}, ${r})` : `fmodf(${l}, ${r})`, fmodIr(t, C(l), C(r)));
      return this.recorded(`(${l} ${op} ${r})`, { e: "bin", op: op as BinOp, l: C(l), r: C(r) });
    }
    if (t.k !== "int") throw new Error(`internal: arithmetic on ${t.k}`);
    const n = t.name;
    // Proven: no overflow, no zero divisor, shift amount in range (shl shifts the bit pattern, as the checked shift does).
    // Recorded with their IR (text-ir.ts): the operator cast back to t (a shift of the bit pattern as u64).
    const castTo = (x: Expr): Expr => ({ e: "cast", to: t, x });
    if (proven && op === "<<") return this.recorded(`((${cType(t)})(((uint64_t)(${l})) << ${r}))`, castTo({ e: "bin", op, l: { e: "cast", to: T.int("u64"), x: C(l) }, r: C(r) }));
    if (proven || op === "&" || op === "|" || op === "^") return this.recorded(`((${cType(t)})(${l} ${op} ${r}))`, castTo({ e: "bin", op: op as BinOp, l: C(l), r: C(r) }));
    const c = checkedBinaryCall(this.em.fails, op, n, span);
    if (!c) throw new Error(`internal: operator ${op}`);
    return this.checked(c, l, r);
  }

  private cast(e: Extract<A.Expr, { kind: "Cast" }>, to: Type): string {
    const from = this.typeOf(e.operand);
    const v = this.expr(e.operand);
    if (typeEq(from, to)) return v;
    const plain = (): string => this.recorded(`((${cType(to)})(${v}))`, { e: "cast", to, x: C(v) });
    if (to.k === "float") return plain();
    if (to.k !== "int") throw new Error("internal: cast target");
    if (from.k === "bool") return plain();
    if (from.k === "float") return this.checked(checkedConvCall(this.em.fails, from.name, to.name, e.span), v);
    if (from.k !== "int") throw new Error("internal: cast source");
    if (fits(from.name, to.name)) return plain();
    return this.checked(checkedConvCall(this.em.fails, from.name, to.name, e.span), v);
  }

  call(e: Extract<A.Expr, { kind: "Call" }>, t: Type): string {
    return this.typed.tasks.implicit.has(e) ? spawnHandle(this, e) : call(this, e, t);
  }

  collectionCall(e: Extract<A.Expr, { kind: "Call" }>, name: string, recvE: A.Expr | null, t: Type): string { return collectionCall(this, e, name, recvE, t); }

  /** `region { ... }`: allocations inside go to a fresh region, freed in one step at the end (or by an early exit, see regions.ts); what leaves it is copied out. */
  region(e: Extract<A.Expr, { kind: "RegionExpr" }>, t: Type, stmt: boolean): string {
    const value = !stmt && t.k !== "unit" && t.k !== "never";
    let res = "";
    if (value) res = resultTmp(this, t);
    const saved = this.newTmp(), r = this.newTmp();
    // The block's region is entered on the line of its brace.
    // An awaiting loop's body with carried locals: the carry region is compacted first (emit/carry.ts).
    if (e.implicit) carryCompact(this, e);
    const body = this.nest(() => {
      enterRegion(this, { saved, region: r });
      this.regionStack.push({ first: this.typed.regionFirstLocal.get(e) ?? Infinity, saved, region: r });
      this.arm(e.block, value ? { v: res, t } : null);
      this.regionStack.pop();
      // The block's value is copied out before its region is freed (what was made outside the block leaves as it is).
      if (value && this.em.hasHeap(t)) {
        const x: Expr = { e: "local", l: memberLocal(res, cType(t)) };
        this.emit({ s: "assign", to: x, v: this.em.storedAsIr(e, saved, regionVar(saved), t, x, { name: r, x: regionVar(r) }) });
      }
      this.emit(leaveRegion({ saved, region: r }));
    });
    this.emit({ s: "block", body, inline: 3 });
    return value ? res : "";
  }

  closure(e: Extract<A.Expr, { kind: "Closure" }>, ft: Extract<Type, { k: "fn" }>): string { return closure(this, e, ft); }

  private tryExpr(e: Extract<A.Expr, { kind: "Try" }>): string {
    const ot = this.typeOf(e.operand);
    const r = this.materializeAlways(this.expr(e.operand), ot);
    const ret = this.retType();
    this.em.defineType(ret);
    if (ot.k === "optional") {
      // The none returned: remembered as the IR `none` (its promotion out of region blocks is IR too).
      const none = ret.k === "optional" ? knownIr(this, zero(ret), { e: "none", t: ret }) : zero(ret);
      this.emit({ s: "if", cond: { e: "not", x: { e: "has", of: placeIr(this, r) } }, then: this.nest(() => this.retLine(none, e)), else_: [] });
      return this.recorded(`${r}.val`, { e: "val", of: C(r) });
    }
    const rt = ot as EnumT;
    const err = this.recorded(fieldOf(rt, r, 1, 0), { e: "payload", of: C(r), type: rt, variant: 1, i: 0 });
    const errRet = isBoxed(ret as EnumT) ? variantValue(ret as EnumT, 1, [err]) : this.recorded(variantValue(ret as EnumT, 1, [err]), { e: "variant", type: ret as EnumT, variant: 1, fields: [C(err)] });
    this.emit({ s: "if", cond: { e: "bin", op: "!=", l: { e: "tag", of: placeIr(this, r), type: rt }, r: { e: "int", v: 0, t: T.i64 } }, then: this.nest(() => this.retLine(errRet, e)), else_: [] });
    return this.recorded(fieldOf(rt, r, 0, 0), { e: "payload", of: C(r), type: rt, variant: 0, i: 0 });
  }

  match(e: Extract<A.Expr, { kind: "Match" }>, t: Type, stmt = false): string { return match(this, e, t, stmt); }

}

/** Whether every value of integer type `from` is one of `to` (the conversion cannot fail). */
export function fits(from: IntName, to: IntName): boolean {
  const a = intRange(from), b = intRange(to);
  return a.min >= b.min && a.max <= b.max;
}
