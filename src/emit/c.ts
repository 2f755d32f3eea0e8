// The C emitter: one translation unit per program. Expressions are emitted in
// A-normal style — anything with effects that must happen in Colang's
// left-to-right order is placed in a temporary first — so the C compiler's
// unspecified argument order never changes what a program does. `#line`
// directives make C diagnostics, debuggers and sanitizers name .co lines.

import { httpHeadersObserved } from "./http-headers.js";
import { FailStubs } from "./fail-stubs.js";
import { dirname, sep } from "node:path";
import { FnNames, fnDisplay } from "./fn-names.js";
import { WARNING_PRAGMAS } from "./warnings.js";
import { awaits } from "../syntax/walk.js";
import { testContext, GLOBALS_CONTEXT, instanceKey, type Context, type Instance, type MonoTable } from "../lower/mono.js";
import type * as A from "../syntax/ast.js";
import {
  T, subst, fieldTypes, variantFields, type Type, type FnInfo, type TypedProgram, type TypeParamInfo, type VariantInfo,
} from "../check/types.js";
import type { LocalVar } from "../check/types.js";
import type { LoweredProgram } from "../lower/lower.js";
import { cType, cRet, mangle, fieldName, RECEIVER_REGION } from "./names.js";
import { hasHeap, type StoreNode } from "../memory/regions.js";
import { Derived } from "./derived.js";
import type { Callee, Expr, Func, IrBody, IrProgram } from "../lower/ir.js";
import { calleeName, printFunc } from "./print.js";
import { externName, instanceName, futureNamesOf, externFutureNames, closureName, keyFnNames } from "./names.js";
import { FnEmitter } from "./body.js";
import { emitFrame, memberOf, fnPointer } from "./async.js";
import { fnChecks, type LoopPlan } from "../lower/ranges.js";
import { enumMembers, isBoxed, payloadType } from "./enum-layout.js";
import { globalInitIr } from "./globals-ir.js";
import { asyncMainFunc, keyFunc, type HelperFnHost } from "../lower/helper-fns.js";
import { cMainFunc, type MainPlan } from "../lower/main-fn.js";
import { zeroIr } from "./zero.js";

export interface Emitted {
  c: string;
  /** The IR functions printed into the C (the derive pass's so far; `coc dump --stage=ir`). */
  ir: IrProgram;
}

export function emitC(p: LoweredProgram, mono: MonoTable): Emitted {
  const em = new Emitter(p, mono);
  const c = em.run();
  return { c, ir: { funcs: [...em.derived.funcs], collFns: em.irFuncs, helperFns: em.helperFns, main: em.cMain ?? undefined, bodies: em.bodies, frames: em.frames, instances: mono } };
}

export class Emitter {
  private typed: TypedProgram;
  typeDefs: string[] = []; // struct and optional definitions, dependency order
  defined = new Set<string>();
  private helperProtos: string[] = [];
  private helpers: string[] = [];
  private helperDone = new Set<string>();

  /** The instances an emitted call or value used: at the end, every instance of the table must be among them. */
  private used = new Set<Instance>();
  /** The per-site failure stubs of checked operations (fail-stubs.ts). */
  readonly fails = new FailStubs();
  /** C name -> Colang name, for the stack-overflow panic (fn-names.ts). */
  readonly fnNames = new FnNames();
  /** Per `mut self` method, whether it may change a collection (pins.ts); whether a call pinned its receiver. */
  readonly pinMemo = new Map<FnInfo, boolean>();
  pinned = false;

  /** The IR of every `match` and `if let` written so far (emit/match.ts), for `coc dump --stage=ir`. */
  /** The IR of every body emitted, for `coc dump --stage=ir`. */
  readonly bodies: IrBody[] = [];

  /** The functions of the derive pass this program uses (eq, hash, show, clone, promote). */
  readonly derived = new Derived({
    defineType: (t) => this.defineType(t),
    instance: (f, args) => this.instance(f, args),
    addFunction: (proto, def, cname, display) => { this.helperProtos.push(proto + ";"); this.helpers.push(def); this.fnNames.add(cname, display); },
  });

  constructor(private p: LoweredProgram, private mono: MonoTable) { this.typed = p.typed; }

  /** The C name of an instance of the monomorphization table (src/lower/mono.ts). */
  private cname(i: Instance): string {
    return instanceName(i.f.cname, i.args, !!i.unchecked);
  }

  /** The C name of the instance the call (or function value) at `node` calls in body `ctx`: the mono pass resolved it;
   *  `unchecked`: in a versioned loop's unchecked copy, where range analysis routes it to `f__nc`. */
  target(ctx: Context, node: A.Expr, unchecked = false): string { return this.cname(this.site(ctx, node, unchecked)); }

  /** The instance itself (a trait method call: the impl's method and its type arguments, resolved by the mono pass). */
  site(ctx: Context, node: A.Expr, unchecked = false): Instance {
    const i = (unchecked ? this.mono.uncheckedSites : this.mono.sites).get(ctx)?.get(node);
    if (!i) throw new Error(`internal: the monomorphization table has no ${unchecked ? "unchecked " : ""}target for the call at ${node.span.line}:${node.span.col} in ${typeof ctx === "string" ? ctx : this.cname(ctx)}`);
    this.used.add(i);
    return i;
  }

  /** The mono pass's plan for the range `for` s in body ctx (null: not versioned); it planned every loop the emitter versions. */
  loopPlan(ctx: Context, s: A.Stmt): LoopPlan | null {
    const plan = this.mono.plans.get(ctx)?.get(s);
    if (plan === undefined) throw new Error(`internal: the monomorphization table has no loop plan for the for at ${s.span.line}:${s.span.col} in ${typeof ctx === "string" ? ctx : this.cname(ctx)}`);
    return plan;
  }

  private allByKey: Map<string, Instance> | null = null;

  /** The C name of the instance f<args> of the table (`unchecked`: its unchecked copy), as a body's IR names it (`{ c: "instance" }`). */
  called(f: FnInfo, args: Type[], unchecked = false): string {
    this.allByKey ??= new Map(this.mono.instances.map((i) => [i.key, i]));
    const i = this.allByKey.get(instanceKey(f, args, unchecked));
    if (!i) throw new Error(`internal: the monomorphization table has no instance ${f.name}<${args.map(mangle).join(", ")}>${unchecked ? " (unchecked)" : ""}`);
    this.used.add(i);
    return this.cname(i);
  }

  /** The C name of f<args> asked for by type, not at a call site: `main`, a `toString` a derived printer calls. */
  instance(f: FnInfo, args: Type[]): string {
    const i = this.mono.byKey.get(instanceKey(f, args));
    if (!i) throw new Error(`internal: the monomorphization table has no instance ${f.name}<${args.map(mangle).join(", ")}>`);
    this.used.add(i);
    return this.cname(i);
  }

  run(): string {
    const out: string[] = [];
    out.push("/* generated by coc: do not edit */");
    out.push('#include "colang.h"');
    out.push("#include <math.h>");
    out.push(WARNING_PRAGMAS);
    out.push("");
    const globals: string[] = [];
    for (const g of this.p.globals) { this.defineType(g.type); globals.push(`static ${cType(g.type)} ${g.cname};`); }
    const protos: string[] = [];
    const bodies: string[] = [];
    const tests: string[] = [];
    for (const t of this.p.tests) {
      const fe = new FnEmitter(this, null, new Map());
      fe.ctx = testContext(t);
      fe.closureRet = T.unit;
      // A test that awaits runs as a task (co_test_run_async).
      fe.asyncMode = awaits(t.decl.body);
      fe.block(t.decl.body);
      if (fe.asyncMode) { tests.push(emitFrame(this, { name: t.cname, ret: T.unit, params: [], body: fe, futCtor: { params: [], prelude: [] } })); continue; }
      protos.push(`static void ${t.cname}(void);`);
      tests.push(`static void ${t.cname}(void) {\n${fe.printed(t.cname).join("\n")}\n}`);
    }
    // Global initialisers run in order before main.
    const init = new FnEmitter(this, null, new Map());
    init.ctx = GLOBALS_CONTEXT;
    for (const g of this.p.globals) {
      init.at(g.decl.span);
      if (globalInitIr(init, g)) continue;
      const v = init.value(g.decl.value, g.type);
      init.assign(g.cname, this.stored(g.decl, "co_global", g.type, v));
    }
    // Exactly the instances of the monomorphization table, in its order; their calls are looked up there.
    for (const inst of this.mono.instances) {
      const { f, args, unchecked } = inst;
      const name = this.cname(inst);
      const sub = new Map<TypeParamInfo, Type>(f.typeParams.map((p, i) => [p, args[i]]));
      for (const c of f.decl.async ? [futureNamesOf(name).poll, futureNamesOf(name).ctor] : [name]) this.fnNames.add(c, fnDisplay(f, args));
      if (f.decl.async) { bodies.push(this.emitAsyncFn(inst, name, sub)); continue; }
      protos.push(this.fnSignature(f, name, sub) + ";");
      bodies.push(this.emitFn(inst, name, sub, unchecked));
    }
    let mainFn: MainPlan["main"] = null;
    if (this.p.mode !== "test" && this.typed.main?.decl.async) {
      const ctor: Callee = { c: "frame", name: this.instance(this.typed.main, []), part: "new" };
      this.irFunc({ c: "asyncMain", of: ctor }, () => asyncMainFunc(ctor));
      mainFn = { fn: { c: "asyncMain", of: ctor }, async: true };
    } else if (this.p.mode !== "test" && this.typed.main) {
      this.instance(this.typed.main, []);
      mainFn = { fn: { c: "instance", f: this.typed.main, typeArgs: [] }, async: false };
    }
    const unused = this.mono.instances.filter((i) => !this.used.has(i));
    if (unused.length) throw new Error(`internal: the monomorphization table lists instances no emitted code calls: ${unused.map((i) => this.cname(i)).join(", ")}`);
    out.push("/* types */", ...this.typeDefs, "");
    out.push("/* closures */", ...this.closureProtos, "");
    out.push("/* async frames */", ...this.frameTypedefs, ...this.frameDefs, "");
    out.push("/* globals */", ...globals, "");
    if (this.fails.defs.length) out.push("/* failure paths of checked operations */", ...this.fails.defs, "");
    out.push("/* functions */", ...protos, ...this.frameProtos, ...this.helperProtos, "static void co__init_globals(void);", "");
    const initDef = `static void co__init_globals(void) {\n${init.printed("co__init_globals").join("\n")}\n}`;
    const fnTable = this.fnNames.emit();
    const stdMod = this.typed.modules.find((m) => m.isStd);   // std/runtime is in every program
    this.cMain = cMainFunc({
      fnNames: fnTable.rows, stdDir: stdMod ? dirname(stdMod.file) + sep : null, main: mainFn,
      tests: this.p.mode === "test" ? this.p.tests.map((t) => {
        const async = awaits(t.decl.body);
        return { name: t.name, async, fn: async ? { c: "frame", name: t.cname, part: "fut" } : { c: "test", name: t.cname } };
      }) : null,
    });
    const mainDef = printFunc(this.cMain, { instance: (f: FnInfo, args: Type[], unchecked?: boolean) => this.called(f, args, unchecked) }).def;
    // What has no Colang source (derived helpers, the function-name table, the C main) comes before the first
    // `#line`, so C diagnostics and sanitizer frames inside it name the generated C file's own lines, not the
    // last .co line a body before it set.
    out.push(...this.helpers, ...fnTable.def, mainDef);
    out.push(...bodies, ...this.closureDefs, ...tests);
    out.push(initDef, "");
    // A call pins an element: the Vec and Map operations check for pins (co_pin.h); else they need not.
    if (this.pinned) out.splice(1, 0, "#define CO_PINS 1");
    // No code reads a Request's headers: the runtime skips building them (emit/http-headers.ts).
    if (!httpHeadersObserved(this.p, this.typed, this.mono, this.derived.calls)) out.splice(1, 0, "#define CO_HTTP_NO_HEADERS 1");
    return out.join("\n");
  }

  // ---------- types ----------
  private inProgress = new Set<string>();
  defineType(t: Type): void {
    if (t.k === "unit" || t.k === "never") return;
    if (t.k === "vec" || t.k === "map" || t.k === "set") { this.defineCollection(t); return; }
    const name = cType(t);
    if (this.defined.has(name)) return;
    this.inProgress.add(name);
    this.defineTypeBody(t, name);
    this.inProgress.delete(name);
    if (this.inProgress.size === 0 && this.pending.length) throw new Error(`internal: C type definitions wait on incomplete types: ${this.pending.map((p) => `${p.name} (${p.needs.filter((n) => !this.complete.has(n)).join(", ")})`).join(", ")}`);
    while (this.inProgress.size === 0 && this.deferred.length) this.deferred.shift()!();
  }

  private deferred: (() => void)[] = [];

  /** A C type name usable inside the collection macros (which write `const T *`): pointer types get a typedef. */
  private elemName(t: Type): string {
    const c = cType(t);
    if (!c.endsWith("*")) return c;
    const n = `H_${mangle(t)}`;
    if (!this.defined.has(n)) { this.defined.add(n); this.typeDefs.push(`typedef ${c}${n};`); }
    return n;
  }

  /** Vec, Map and Set instances of the runtime's macro templates. The handle type is declared at once (so types being defined can hold it); the instance itself waits until no type is half-defined, since its elements may be. */
  private defineCollection(t: Extract<Type, { k: "vec" | "map" | "set" }>): void {
    const n = mangle(t);
    if (this.defined.has(n)) return;
    this.defined.add(n);
    this.typeDefs.push(`typedef struct ${n} ${n};`);
    const body = () => this.instantiateCollection(t, n);
    if (this.inProgress.size) this.deferred.push(body); else body();
  }

  private instantiateCollection(t: Extract<Type, { k: "vec" | "map" | "set" }>, n: string): void {
    if (t.k === "vec") {
      this.defineType(t.elem);
      const ec = this.elemName(t.elem);
      const lines = [`CO_VEC_DEFINE(${n}, ${ec})`];
      const less = t.elem.k === "int" ? "CO_LESS" : t.elem.k === "float" ? "CO_LESS_F64" : t.elem.k === "string" ? "CO_LESS_STR" : null;
      if (less) lines.push(`CO_VEC_SORT_DEFINE(${n}, ${ec}, ${less})`);
      this.typeDefs.push(...lines);
    } else {
      const key = t.k === "map" ? t.key : t.elem;
      this.defineType(key);
      if (t.k === "map") this.defineType(t.val);
      const kc = this.elemName(key);
      const kf = keyFnNames(key);
      const lines: string[] = [];
      if (!this.defined.has(kf.hash)) {
        this.defined.add(kf.hash);
        lines.push(`static uint64_t ${kf.hash}(${kc} k);`, `static bool ${kf.eq}(${kc} a, ${kc} b);`);
        // declared above: the collection's definition names them
        this.irFunc({ c: "key", kind: "hash", type: key }, () => keyFunc("hash", key, this.helperHost), true);
        this.irFunc({ c: "key", kind: "eq", type: key }, () => keyFunc("eq", key, this.helperHost), true);
      }
      lines.push(t.k === "map" ? `CO_MAP_DEFINE(${n}, ${kc}, ${this.elemName(t.val)}, ${kf.hash}, ${kf.eq})` : `CO_SET_DEFINE(${n}, ${kc}, ${kf.hash}, ${kf.eq})`);
      this.typeDefs.push(...lines);
    }
  }

  /** A C expression hashing value v of a Hash type. */
  hash(t: Type, v: string): string { return this.derived.hash(t, v); }

  /**
   * C type definitions are written in an order where every struct is complete before a definition that holds it by
   * value, whichever type a program uses first: each struct-like type gets its typedef (a declaration) as soon as it is
   * named, and its body waits in `pending` until the types it holds by value are complete. A boxed payload (a recursive
   * enum's) or a collection handle holds a pointer and only needs the declaration, so a struct and a recursive enum that
   * contain each other are ordered enum, (struct,) payload whichever is defined first. Complete-type needs form no cycle
   * (the checker rejects infinite types, E0113), so nothing is pending once no type is half-defined.
   */
  private complete = new Set<string>();
  private pending: { name: string; needs: string[]; text: string }[] = [];

  /** The C types a value of type t needs complete (a pointer, a scalar or a runtime type needs none). */
  private needs(t: Type): string[] {
    switch (t.k) {
      case "struct": case "enum": case "tuple": case "optional": case "fn": return [cType(t)];
      default: return [];
    }
  }

  /** Writes the body `text` of C type `name` now if every type in `needs` is complete, else once they are. */
  private emitBody(name: string, needs: string[], text: string): void {
    if (needs.every((n) => this.complete.has(n))) {
      this.typeDefs.push(text);
      this.complete.add(name);
      for (let i = 0; i < this.pending.length; i++) {
        const p = this.pending[i];
        if (!p.needs.every((n) => this.complete.has(n))) continue;
        this.pending.splice(i, 1);
        this.emitBody(p.name, p.needs, p.text);
        i = -1;
      }
    } else this.pending.push({ name, needs, text });
  }

  /** A tuple, optional or closure type: one `typedef struct N {...} N;` when its members are complete, else its
   *  declaration now and its body when they are. */
  private emitWhole(name: string, needs: string[], members: string): void {
    if (needs.every((n) => this.complete.has(n))) { this.emitBody(name, [], `typedef struct ${name} { ${members} } ${name};`); return; }
    this.typeDefs.push(`typedef struct ${name} ${name};`);
    this.emitBody(name, needs, `struct ${name} { ${members} };`);
  }

  private defineTypeBody(t: Type, name: string): void {
    if (t.k === "struct") {
      this.defined.add(name);
      this.typeDefs.push(`typedef struct ${name} ${name};`);
      const fts = fieldTypes(t);
      for (const f of fts) this.defineType(f.type);
      const fields = fts.map((f) => `  ${cType(f.type)} ${fieldName(f.name)};`);
      if (fields.length === 0) fields.push("  char co__empty;");
      this.emitBody(name, fts.flatMap((f) => this.needs(f.type)), `struct ${name} {\n${fields.join("\n")}\n};`);
    } else if (t.k === "fn") {
      this.defined.add(name);
      for (const p of t.params) this.defineType(p);
      this.defineType(t.ret);
      // A function pointer's parameter and result types need only be declared.
      this.emitWhole(name, [], `${fnPointer(t)}; void *env;`);
    } else if (t.k === "tuple") {
      this.defined.add(name);
      for (const e of t.elems) this.defineType(e);
      this.emitWhole(name, t.elems.flatMap((e) => this.needs(e)), t.elems.map((e, i) => `${cType(e)} f${i};`).join(" "));
    } else if (t.k === "enum") {
      this.defined.add(name);
      this.typeDefs.push(`typedef struct ${name} ${name};`);
      const withFields = t.info.variants.filter((v) => v.fields.length > 0);
      const payload = (v: VariantInfo) => payloadType(t, v.index);
      const members = (v: number) => variantFields(t, t.info.variants[v]).map((f, i) => `${cType(f.type)} f${i};`).join(" ");
      const needs = (v: VariantInfo) => variantFields(t, v).flatMap((f) => this.needs(f.type));
      if (isBoxed(t)) {
        // Payloads are boxed: the enum holds pointers, so it is complete before them.
        for (const v of withFields) this.typeDefs.push(`typedef struct ${payload(v)} ${payload(v)};`);
        this.emitBody(name, [], `struct ${name} { ${enumMembers(t, members)}};`);
        for (const v of withFields) {
          for (const f of variantFields(t, v)) this.defineType(f.type);
          this.emitBody(payload(v), needs(v), `struct ${payload(v)} { ${members(v.index)} };`);
        }
      } else {
        for (const v of withFields) for (const f of variantFields(t, v)) this.defineType(f.type);
        this.emitBody(name, withFields.flatMap(needs), `struct ${name} { ${enumMembers(t, members)}};`);
      }
    } else if (t.k === "optional") {
      this.defined.add(name);
      this.defineType(t.inner);
      this.emitWhole(name, this.needs(t.inner), `bool has; ${cType(t.inner)} val;`);
    }
  }

  private fnSignature(f: FnInfo, name: string, sub: Map<TypeParamInfo, Type>): string {
    const ps: string[] = [];
    if (f.self) {
      const st = subst(f.self.local.type, sub);
      this.defineType(st);
      // A `mut self` method also gets the region its receiver lives in (FnEmitter.varOwner: stores through `self`).
      if (f.self.kind === "mut") ps.push(`${cType(st)} *${f.self.local.cname}`, `co_region *${RECEIVER_REGION}`);
      else ps.push(`${cType(st)} ${f.self.local.cname}`);
    }
    for (const p of f.params) { const t = subst(p.type, sub); this.defineType(t); ps.push(`${cType(t)} ${p.local.cname}`); }
    const ret = subst(f.ret, sub);
    this.defineType(ret);
    return `static ${cRet(ret)} ${name}(${ps.length ? ps.join(", ") : "void"})`;
  }

  private emitFn(inst: Instance, name: string, sub: Map<TypeParamInfo, Type>, unchecked = false): string {
    const f = inst.f;
    const fe = new FnEmitter(this, f, sub);
    fe.ctx = inst;
    if (unchecked) fe.unchecked = fnChecks(f, fe.rangeInput());
    fe.block(f.decl.body!);
    return `${this.fnSignature(f, name, sub)} {\n${fe.printed(name).join("\n")}\n}\n`;
  }

  // ---------- async functions: stackless state machines ----------
  frameTypedefs: string[] = [];
  frameDefs: string[] = [];
  frameProtos: string[] = [];
  readonly frames: Func[] = [];

  /** The C symbol of an `extern fn` of a std module: co_std_<module>_<name without leading underscores>. */
  /** How to create, poll and name the future of a call of async f; `inst`: the C name of its instance (unused for an extern). */
  futureNames(f: FnInfo, inst: string): { ctor: string; poll: string; ftype: string } {
    return f.decl.extern ? externFutureNames(externName(f)) : futureNamesOf(inst);
  }

  /**
   * An async function becomes a frame struct (its parameters, locals and
   * temporaries; allocated in the current region by NAME_new) and a poll
   * function that resumes at the await it stopped at: each await stores its
   * resume point in F->st and the current region in F->rg.
   */
  private emitAsyncFn(inst: Instance, name: string, sub: Map<TypeParamInfo, Type>): string {
    const f = inst.f;
    const fe = new FnEmitter(this, f, sub);
    fe.ctx = inst;
    fe.asyncMode = true;
    fe.block(f.decl.body!);
    const params = [...(f.self ? [f.self.local] : []), ...f.params.map((p) => p.local)].map((v) => {
      const t = subst(v.type, sub);
      this.defineType(t);
      return memberOf(v, t);
    });
    const ret = subst(f.ret, sub);
    this.defineType(ret);
    return emitFrame(this, { name, ret, params, body: fe });
  }

  // ---------- copies between regions (spawn arguments, promotion into older regions) ----------
  /** Whether the loop s may flush the drop queue at its back-edge (the region analysis's safe points). */
  safepoint(s: A.Stmt): boolean { return this.p.memory.safepoints.has(s); }
  /** The loop-carried locals of an awaiting loop (memory/carry.ts), or undefined. */
  carried(s: A.Stmt): readonly LocalVar[] | undefined { return this.p.memory.carries.get(s); }
  /** The shared vecs of an awaiting loop whose contents move into its carry region (memory/carry.ts movable), or undefined. */
  moved(s: A.Stmt): readonly LocalVar[] | undefined { return this.p.memory.moves.get(s); }
  /** For `a.log += piece` on a store-back's local: the collection the element goes back into (memory/storeback.ts). */
  appendsInto(s: A.Stmt): A.Expr | undefined { return this.p.memory.appends.get(s); }
  /** Whether s stores an element back into the collection it was read from (storeback.ts storeBacks). */
  isStoreBack(s: A.Stmt): boolean { return this.p.memory.storeBacks.has(s); }

  /** Whether values of type t point into region memory (so crossing regions must copy them): the region analysis decides. */
  hasHeap(t: Type): boolean { return hasHeap(t); }

  /** A C expression: a deep copy of v (of type t) in co_current. */
  clone(t: Type, v: string): string { return this.derived.clone(t, v); }
  /** A promotion made by clone (spawn arguments, a joined task's result): skipped under the debug switch
   *  COLANG_NO_PROMOTE=1 like every promote, so the memory corpora can show what it prevents. `v` must be a
   *  plain C lvalue or temporary (it appears twice). */
  cloneOut(t: Type, v: string): string { return this.hasHeap(t) ? this.switchedCopy("co_promote_off", t, v) : v; }

  /** `(off ? v : clone(v))`: a copy the debug switch `off` (a runtime variable) skips, as text recorded with its IR (text-ir.ts). */
  private switchedCopy(off: string, t: Type, v: string): string {
    return this.derived.text(this.switchedCopyIr(off, t, { e: "c", text: v }));
  }

  /** `(off ? x : clone(x))` over the IR value x (x is evaluated once: one branch runs). */
  private switchedCopyIr(off: string, t: Type, x: Expr): Expr {
    return { e: "cond", c: { e: "sym", name: off }, a: x, b: this.derived.cloneIr(t, x) };
  }

  /** cloneOut over the IR value x (a plain local or path: it appears twice). */
  cloneOutIr(t: Type, x: Expr): Expr { return this.hasHeap(t) ? this.switchedCopyIr("co_promote_off", t, x) : x; }

  /**
   * The value a store writes: v copied into region `owner` where the region analysis (src/memory) says
   * the store at `node` copies. The emitter only knows the C expression of the owner; the decision is
   * the analysis's, and a disagreement between the two is a compiler bug.
   */
  stored(node: StoreNode, owner: string | null, t: Type, v: string, since?: string): string {
    const copy = this.storeCopy(node, owner, t, since);
    // A task's result is copied out of that task's region into the current one (promote skips current-region targets).
    if (copy === "join") return this.cloneOut(t, v);
    // Out of region blocks, only what lives in the blocks left (those opened since `since`) is copied.
    if (copy === "leave") return this.derived.leave(owner!, since!, t, v);
    return copy === "promote" ? this.promote(owner!, t, v) : v;
  }

  /**
   * The copy `stored` writes for the store at `node` into region `owner` (the region analysis's decision):
   * none, a promotion, a joined task's result cloned out, or the values leaving region blocks.
   */
  storeCopy(node: StoreNode, owner: string | null, t: Type, since?: string): "none" | "promote" | "join" | "leave" {
    if (!this.hasHeap(t)) return "none";
    const fact = this.p.memory.stores.get(node);
    if (!fact || !owner) {
      if (fact && (fact.rule === "region-exit" || fact.rule === "region-value") && owner === null) throw new Error(`internal: region exit without a region at ${node.span.line}:${node.span.col}`);
      if (fact || (owner && !since)) throw new Error(`internal: region analysis and emitter disagree on the store at ${node.span.line}:${node.span.col}`);
      return "none";   // out of region blocks: the analysis knows the value was made outside them
    }
    if (fact.rule === "join") return "join";
    if (fact.rule === "region-exit" || fact.rule === "region-value") {
      if (!since) throw new Error(`internal: region exit without its block at ${node.span.line}:${node.span.col}`);
      return "leave";
    }
    return "promote";
  }

  /**
   * `stored` over the IR value v, as IR: the copy the store at `node` into region `owner` (its C name, and
   * `ownerIr` its IR) needs, an IR call over v (a joined task's result cloned out, the values leaving the region
   * blocks opened since region `since`, a promotion), or v itself.
   */
  storedAsIr(node: StoreNode, owner: string | null, ownerIr: Expr | null, t: Type, v: Expr, since?: { name: string; x: Expr }): Expr {
    const copy = this.storeCopy(node, owner, t, since?.name);
    if (copy === "join") return this.cloneOutIr(t, v);
    if (copy === "leave") return this.derived.leaveIr(ownerIr!, since!.x, t, v);
    return copy === "promote" ? this.derived.promoteIr(ownerIr!, t, v) : v;
  }

  /** `stored` as IR where its copy is none or a promotion into the region `owner` (its C text and IR), else null. */
  storedIr(node: StoreNode, owner: string, ownerIr: Expr, t: Type, v: Expr): Expr | null {
    const copy = this.storeCopy(node, owner, t);
    return copy === "none" ? v : copy === "promote" ? this.derived.promoteIr(ownerIr, t, v) : null;
  }

  /** A value passed or stored where it may escape (an argument the callee keeps or uses after an await, a value
   *  stored into its caller's memory): copied into the current region when the borrow analysis found it is a
   *  borrow of global state (MEMORY.md rule 3; src/memory/borrows.ts). */
  borrowArg(node: A.Expr, t: Type, v: string): string {
    return this.copiesBorrow(node) && this.hasHeap(t) ? this.borrowCopy(t, v) : v;
  }

  /** A copy of a borrow (rule 3): skipped under the debug switch COLANG_NO_BORROW_COPY=1, so the escape corpus can
   *  show what it prevents (tests/prove-memory.ts). v is evaluated once (one branch runs). */
  private borrowCopy(t: Type, v: string): string { return this.switchedCopy("co_borrow_copy_off", t, v); }

  /** Whether the value at node is a borrow borrowArg copies (such an expression is never IR as a whole: expr-ir.ts). */
  copiesBorrow(node: A.Expr): boolean {
    const rule = this.p.memory.borrowCopies.get(node)?.rule;
    return rule === "borrow-arg" || rule === "borrow-store";
  }

  /** A returned value: copied into the current region when it is a borrow of global state returned where the
   *  callers cannot see it (a closure body, a function used as a value; MEMORY.md rule 3). */
  returnCopy(node: A.Expr, t: Type, v: string): string {
    return this.copiesReturn(node, t) ? this.borrowCopy(t, v) : v;
  }

  /** returnCopy over the IR value x. */
  returnCopyIr(node: A.Expr, t: Type, x: Expr): Expr {
    return this.copiesReturn(node, t) ? this.switchedCopyIr("co_borrow_copy_off", t, x) : x;
  }

  /** Whether each frame of the async closure at node copies its captures (the region analysis's rule capture-frame). */
  copiesCaptures(node: A.Expr): ReadonlySet<number> {
    const f = this.p.memory.borrowCopies.get(node);
    return new Set(f?.rule === "capture-frame" ? f.captures : []);
  }

  /** Whether returnCopy copies the value returned at node. */
  copiesReturn(node: A.Expr, t: Type): boolean {
    return this.p.memory.borrowCopies.get(node)?.rule === "borrow-return" && this.hasHeap(t);
  }

  /**
   * `place += v` on strings, as IR: the result is appended straight into the target's region where the store
   * at `node` copies (the old value already lives there), `co_str_append_in(owner, place, v)`, instead of
   * concatenating in the current region and copying the whole result, which made a loop of appends quadratic
   * in time and memory. Stores into global memory keep the copy (the concatenation promoted: global memory is
   * not a region the append tails can grow in).
   */
  appendedIr(node: A.Stmt, owner: string | null, ownerX: Expr | null, place: Expr, v: Expr): Expr {
    const fact = this.p.memory.stores.get(node);
    const concat: Expr = { e: "call", f: { c: "rt", name: "co_str_concat" }, args: [place, v] };
    if (!fact || !owner || !ownerX) {
      if (fact || owner) throw new Error(`internal: region analysis and emitter disagree on the store at ${node.span.line}:${node.span.col}`);
      return concat;
    }
    if (fact.rule === "global") return this.derived.promoteIr(ownerX, T.string, concat);
    return { e: "call", f: { c: "rt", name: "co_str_append_in" }, args: [ownerX, place, v] };
  }

  /** A C expression: v deep-copied into region `dst` (an older region than the value's). */
  promote(dst: string, t: Type, v: string): string { return this.derived.promote(dst, t, v); }

  private closureCount = 0;
  private closureDefs: string[] = [];
  private closureProtos: string[] = [];
  closureName(): string { return closureName(++this.closureCount); }
  /** An async closure: its environment type, and its constructor and poll function (emit/async.ts). */
  addAsyncClosure(envDef: string, defs: string): void {
    if (envDef) this.closureProtos.push(envDef);
    this.closureDefs.push(defs);
  }
  addClosure(envDef: string, sig: string, body: string): void {
    if (envDef) this.closureProtos.push(envDef);
    this.closureProtos.push(sig + ";");
    this.closureDefs.push(`${sig} {\n${body}\n}\n`);
  }

  /** The generated functions given as IR, in the order they are written (`coc dump --stage=ir`): the collection
   *  functions (src/lower/coll-fns.ts), and the helpers (src/lower/helper-fns.ts). */
  readonly irFuncs: Func[] = [];
  readonly helperFns: Func[] = [];
  /** The C `main` (src/lower/main-fn.ts), built by run(). */
  cMain: Func | null = null;

  /** A generated function built as IR by `build` (called only the first time `name` is asked for): printed once,
   *  declared before every body (unless `declared`: the caller wrote its prototype where it is needed); its C name. */
  irFunc(name: Callee, build: () => Func, declared = false): string {
    const ctx = { instance: (f: FnInfo, args: Type[], unchecked?: boolean) => this.called(f, args, unchecked) };
    const c = calleeName(name, ctx);
    if (this.helperDone.has(c)) return c;
    this.helperDone.add(c);
    const f = build();
    const { proto, def } = printFunc(f, ctx);
    if (!declared) this.helperProtos.push(proto + ";");
    this.helpers.push(def);
    (name.c === "collfn" ? this.irFuncs : this.helperFns).push(f);
    return c;
  }

  /** What the helper functions' builders (src/lower/helper-fns.ts) need: derived functions as IR, scheduled. */
  readonly helperHost: HelperFnHost = {
    hasHeap: (t) => this.hasHeap(t),
    clone: (t, v) => this.derived.cloneIr(t, v),
    drop: (t, v) => this.derived.dropIr(t, v),
    show: (t, sb, v, nested) => this.derived.showIr(t, sb, v, nested),
    hash: (t, v) => this.derived.hashIr(t, v),
    eq: (t, a, b) => this.derived.eqIr(t, a, b),
    zero: (t) => zeroIr(this, t),
  };

  /** C expression comparing two values of type t for equality. */
  eq(t: Type, a: string, b: string): string { return this.derived.eq(t, a, b); }

  /** Statements appending the text of `v` (type t) to the string builder `sb` (a co_sb*). */
  show(t: Type, sb: string, v: string, nested: boolean): string { return this.derived.show(t, sb, v, nested); }
}

