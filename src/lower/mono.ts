// Monomorphization: the instantiation worklist and static trait resolution, as
// a pass of its own before the emitter. From the program's roots (the tests or
// `main`, and the global initialisers) it walks the typed program once per
// function instance, with that instance's type substitution, and computes
//  - every function instance the C program contains: a generic function or
//    method with its type arguments, a trait method resolved to the impl for
//    the concrete receiver type, a named function used as a value, an async
//    function (its frame), the `toString` a derived printer calls, and the
//    unchecked copy `f__nc` that range analysis routes a loop's call to;
//  - for every call site in every instance (and in the tests and global
//    initialisers), the instance it calls.
// The emitter emits exactly these instances, in this order, and looks call
// targets up here; it discovers nothing.
//
// The walk follows what the emitter writes, not just what the source says:
// a call whose operand diverges (type `never`) is cut short there, an
// interpolation stops at a diverging part, a `match` arm no leaf of its
// decision tree reaches is not written, and a versioned loop's body is written
// twice (once with the checks range analysis proved unnecessary). Where the
// two disagree, the emitter throws an internal error (an instance missing
// here, or one listed here that no emitted call used), so they cannot drift.
//
// Polymorphic recursion (`fn f<T>(x: T) { f((x, x)) }`) would ask for ever
// bigger instances forever: a chain deeper than 64 instances, or type
// arguments of more than 256 types, is E0250 naming the chain.

import type * as A from "../syntax/ast.js";
import { awaits } from "../syntax/walk.js";
import {
  T, subst, findImpl, substTrait, hasShow, ownToString, fieldTypes, variantFields, showType,
  type CallTarget, type Type, type FnInfo, type TypeParamInfo, type TypedProgram, type TestInfo,
} from "../check/types.js";
import type { Decision, DecisionTree } from "../check/decision.js";
import { at, type Diagnostic } from "../diagnostics.js";
import { M } from "../messages.js";
import { planLoop, type LoopPlan, type RangeInput } from "./ranges.js";
import type { LoweredProgram } from "./lower.js";

export const MAX_INSTANCE_DEPTH = 64; // instances in one chain (each asked for by the previous one)
export const MAX_TYPE_SIZE = 256; // type constructors in one instance's type arguments

export interface Instance {
  /** Position in emission order, from 1: the id the dump and the call sites use. */
  id: number;
  /** Identity: the function's checker name, the type arguments' structure, `!nc` for an unchecked copy. */
  key: string;
  f: FnInfo;
  args: Type[];
  /** The copy of non-generic f without its integer checks (src/lower/ranges.ts proves them unnecessary at its calls). */
  unchecked: boolean;
  /** Why it is reachable: the instance (or root) that first asked for it, and how. */
  parent: Instance | null;
  why: string;
  depth: number;
}

/** Where a body is written: a function instance, a test, or the global initialisers. */
export type Context = Instance | string;
export const testContext = (t: TestInfo): string => `test ${JSON.stringify(t.name)}`;
export const GLOBALS_CONTEXT = "globals";

export interface MonoTable {
  instances: Instance[];
  /** Per context (an instance, `test NAME`, `globals`): call node -> the instance it calls. */
  sites: Map<Context, Map<A.Expr, Instance>>;
  /** The same for calls that a versioned loop's unchecked copy routes to `f__nc`. */
  uncheckedSites: Map<Context, Map<A.Expr, Instance>>;
  /** Instances asked for by type rather than by a call site: `main`, and each `toString` a derived printer calls. */
  byKey: Map<string, Instance>;
  /** Per context: each range `for` the walk planned (null: not versioned), so the emitter does not plan it again. */
  plans: Map<Context, Map<A.Stmt, LoopPlan | null>>;
}

export const instanceKey = (f: FnInfo, args: Type[], unchecked = false): string =>
  `${f.cname}<${args.map(typeKey).join(",")}>${unchecked ? "!nc" : ""}`;

function typeKey(t: Type): string {
  switch (t.k) {
    case "int": case "float": return t.name;
    case "struct": case "enum": return `${t.info.cname}<${t.args.map(typeKey).join(",")}>`;
    case "optional": return `${typeKey(t.inner)}?`;
    case "task": return `Task<${typeKey(t.inner)}>`;
    case "tuple": return `(${t.elems.map(typeKey).join(",")})`;
    case "fn": return `${t.async ? "async " : ""}fn(${t.params.map(typeKey).join(",")}):${typeKey(t.ret)}`;
    case "vec": return `Vec<${typeKey(t.elem)}>`;
    case "set": return `Set<${typeKey(t.elem)}>`;
    case "map": return `Map<${typeKey(t.key)},${typeKey(t.val)}>`;
    case "param": return `$${t.p.name}`;
    default: return t.k;
  }
}

/** Thrown inside the walk when an instantiation exceeds the limits; mono() turns it into its diagnostic. */
class Limit extends Error { constructor(readonly diagnostic: Diagnostic) { super(diagnostic.message); } }

function typeSize(t: Type, budget: { n: number }): void {
  if (--budget.n < 0) return;
  for (const v of Object.values(t)) {
    if (Array.isArray(v)) for (const x of v) { if (x && typeof x === "object" && "k" in x) typeSize(x as Type, budget); }
    else if (v && typeof v === "object" && "k" in v) typeSize(v as Type, budget);
  }
}

const shown = (f: FnInfo, args: Type[]): string => {
  const s = `${f.name}${args.length ? `<${args.map((t) => showType(t)).join(", ")}>` : ""}`;
  return s.length > 60 ? s.slice(0, 57) + "..." : s;
};

function checkLimits(f: FnInfo, args: Type[], parent: Instance | null): void {
  const budget = { n: MAX_TYPE_SIZE };
  for (const a of args) typeSize(a, budget);
  const depth = (parent?.depth ?? 0) + 1;
  if (budget.n >= 0 && depth <= MAX_INSTANCE_DEPTH) return;
  let chain: string[] = [shown(f, args)];
  for (let p = parent; p; p = p.parent) chain.unshift(shown(p.f, p.args));
  if (chain.length > 5) chain = [...chain.slice(0, 3), "...", ...chain.slice(-1)];
  const why = budget.n < 0 ? `type arguments larger than ${MAX_TYPE_SIZE} types` : `more than ${MAX_INSTANCE_DEPTH} nested instantiations`;
  throw new Limit(at(M.instantiationLimit(f.name, why, chain.join(" -> ")), f.decl.span));
}

/** What the walk of one body carries: mirrors the emitter's state for that body. */
interface Walk {
  ctx: Context;
  sub: Map<TypeParamInfo, Type>;
  asyncMode: boolean; // an async body: loops are not versioned
  noVersion: boolean; // inside the unchecked copy of a versioned loop
  unchecked: ReadonlySet<A.Expr>; // calls routed to unchecked copies here
}

export function mono(p: LoweredProgram): { value: MonoTable; diagnostics: Diagnostic[] } {
  const table: MonoTable = { instances: [], sites: new Map(), uncheckedSites: new Map(), byKey: new Map(), plans: new Map() };
  const m = new Mono(p.typed, table);
  try {
    for (const t of p.tests) m.body(t.decl.body, { ctx: testContext(t), sub: new Map(), asyncMode: awaits(t.decl.body), noVersion: false, unchecked: new Set() });
    const init: Walk = { ctx: GLOBALS_CONTEXT, sub: new Map(), asyncMode: false, noVersion: false, unchecked: new Set() };
    for (const g of p.globals) m.expr(g.decl.value, init);
    const main = p.typed.main;
    if (p.mode === "build" && main) table.byKey.set(instanceKey(main, []), m.request(main, [], null, "the root"));
    m.drain();
  } catch (e) {
    if (!(e instanceof Limit)) throw e;
    return { value: table, diagnostics: [e.diagnostic] };
  }
  return { value: table, diagnostics: [] };
}

class Mono {
  private byKey = new Map<string, Instance>();
  private shownDone = new Set<string>();

  constructor(private typed: TypedProgram, private table: MonoTable) {}

  request(f: FnInfo, args: Type[], parent: Instance | null, why: string, unchecked = false): Instance {
    if (!unchecked) checkLimits(f, args, parent);
    const key = instanceKey(f, args, unchecked);
    let inst = this.byKey.get(key);
    if (!inst) {
      inst = { id: this.table.instances.length + 1, key, f, args, unchecked, parent, why, depth: (parent?.depth ?? 0) + 1 };
      this.byKey.set(key, inst);
      this.table.instances.push(inst);
    }
    return inst;
  }

  /** The worklist is the table itself: each instance's body is walked in order, appending the instances it asks for. */
  drain(): void {
    for (let k = 0; k < this.table.instances.length; k++) {
      const inst = this.table.instances[k];
      const sub = new Map<TypeParamInfo, Type>(inst.f.typeParams.map((tp, i) => [tp, inst.args[i]]));
      this.body(inst.f.decl.body!, { ctx: inst, sub, asyncMode: !!inst.f.decl.async, noVersion: false, unchecked: new Set() });
    }
  }

  body(b: A.Block, w: Walk): void { for (const s of b.stmts) this.stmt(s, w); }

  private ty(e: A.Expr, w: Walk): Type | undefined {
    const t = this.typed.exprTypes.get(e);
    return t && subst(t, w.sub);
  }

  private never(e: A.Expr, w: Walk): boolean { return this.ty(e, w)?.k === "never"; }

  private where(e: A.Expr, w: Walk): string {
    const c = typeof w.ctx === "string" ? w.ctx : `#${w.ctx.id}`;
    return `at ${e.span.line}:${e.span.col} in ${c}`;
  }

  /** The call at node e (in w's body) calls f<args>. */
  private site(e: A.Expr, w: Walk, f: FnInfo, args: Type[], how: string, mayBeUnchecked = false): void {
    const unchecked = mayBeUnchecked && w.unchecked.has(e);
    const inst = unchecked
      ? this.request(f, [], typeof w.ctx === "string" ? null : w.ctx, `unchecked copy, ${how} ${this.where(e, w)}`, true)
      : this.request(f, args, typeof w.ctx === "string" ? null : w.ctx, `${how} ${this.where(e, w)}`);
    const map = unchecked ? this.table.uncheckedSites : this.table.sites;
    let s = map.get(w.ctx);
    if (!s) map.set(w.ctx, s = new Map());
    s.set(e, inst);
  }

  /** A value of type t is printed (println, interpolation, a builder, a missing map key, ...): the `toString`s its derived printer calls. */
  private shows(t: Type | undefined, w: Walk): void {
    if (!t) return;
    const parent = typeof w.ctx === "string" ? null : w.ctx;
    const visit = (t: Type): void => {
      const k = typeKey(t);
      if (this.shownDone.has(k)) return;
      this.shownDone.add(k);
      switch (t.k) {
        case "struct": case "enum": {
          const f = ownToString(t);
          if (f) {
            const inst = this.request(f, t.args, parent, `prints ${showType(t)} ${this.whereCtx(w)}`);
            this.table.byKey.set(instanceKey(f, t.args), inst);
            return;
          }
          if (t.k === "struct") for (const x of fieldTypes(t)) visit(x.type);
          else for (const v of t.info.variants) for (const x of variantFields(t, v)) visit(x.type);
          return;
        }
        case "optional": visit(t.inner); return;
        case "tuple": t.elems.forEach(visit); return;
        case "vec": case "set": visit(t.elem); return;
        case "map": visit(t.key); visit(t.val); return;
        default: return;
      }
    };
    visit(t);
  }

  private whereCtx(w: Walk): string { return `in ${typeof w.ctx === "string" ? w.ctx : `#${w.ctx.id}`}`; }

  stmt(s: A.Stmt, w: Walk): void {
    switch (s.kind) {
      case "Let": if (s.value) this.expr(s.value, w); return;
      case "ConstStmt": this.expr(s.value, w); return;
      case "ExprStmt": this.expr(s.expr, w); return;
      case "Return": if (s.value) this.expr(s.value, w); return;
      case "BlockStmt": this.body(s.block, w); return;
      case "Break": case "Continue": return;
      case "While": this.expr(s.cond, w); this.body(s.body, w); return;
      case "Assign": {
        const tt = s.target.kind === "Index" ? this.ty(s.target.target, w) : undefined;
        // `m[k] = v` inserts: the key is not looked up (no missing-key panic printing it).
        if (s.target.kind === "Index" && s.op === "=" && tt?.k === "map") { this.expr(s.target.target, w); this.expr(s.target.index, w); }
        else this.place(s.target, w);
        this.expr(s.value, w);
        return;
      }
      case "For": {
        if (s.iter.kind !== "Range") { this.expr(s.iter, w); this.body(s.body, w); return; }
        this.expr(s.iter.lo, w); this.expr(s.iter.hi, w);
        // Loop versioning (emit/statements.ts forStmt): the same plan, so the same calls go to unchecked copies.
        const plan = w.asyncMode || w.noVersion ? null : planLoop(s, this.rangeInput(w));
        if (!w.asyncMode && !w.noVersion) {
          let plans = this.table.plans.get(w.ctx);
          if (!plans) this.table.plans.set(w.ctx, plans = new Map());
          plans.set(s, plan);
        }
        if (!plan) { this.body(s.body, w); return; }
        const fast: Walk = { ...w, unchecked: new Set([...w.unchecked, ...plan.unchecked]) };
        if (plan.guards.length) { this.body(s.body, { ...fast, noVersion: true }); this.body(s.body, w); }
        else this.body(s.body, fast);
        return;
      }
    }
  }

  private rangeInput(w: Walk): RangeInput {
    const t = this.typed;
    return { typeOf: (e) => { const x = t.exprTypes.get(e); return x && subst(x, w.sub); }, refs: t.refs, calls: t.calls, patLocals: t.patLocals, stmtLocals: t.stmtLocals };
  }

  /** An assignable place (FnEmitter.place): a map entry read through it may panic printing its key. */
  private place(e: A.Expr, w: Walk): void {
    switch (e.kind) {
      case "Ident": return;
      case "Field": if (!this.typed.refs.has(e)) this.place(e.target, w); return;
      case "TupleIndex": this.place(e.target, w); return;
      case "Index": {
        this.expr(e.target, w); this.expr(e.index, w);
        const ct = this.ty(e.target, w);
        if (ct?.k === "map") this.shows(ct.key, w);
        return;
      }
      default: this.expr(e, w);
    }
  }

  private all(es: A.Expr[], w: Walk): void { for (const x of es) this.expr(x, w); }

  expr(e: A.Expr, w: Walk): void {
    switch (e.kind) {
      case "IntLit": case "FloatLit": case "BoolLit": case "NoneLit": return;
      case "Ident": case "Field": {
        const r = this.typed.refs.get(e);
        if (r?.kind === "fn") { if (!r.f.decl.extern) this.site(e, w, r.f, r.typeArgs.map((x) => subst(x, w.sub)), "used as a value"); return; }
        if (r) return;
        if (e.kind === "Field") this.expr(e.target, w);
        return;
      }
      case "StrLit":
        for (const part of e.parts) {
          if (part.kind !== "interp") continue;
          this.expr(part.expr, w);
          if (this.never(part.expr, w)) return;
          this.shows(this.ty(part.expr, w), w);
        }
        return;
      case "Binary": this.expr(e.left, w); this.expr(e.right, w); return;
      case "Unary": case "Unwrap": case "Try": case "Cast": this.expr(e.operand, w); return;
      case "TupleIndex": this.expr(e.target, w); return;
      case "Index": {
        this.expr(e.target, w); this.expr(e.index, w);
        const ct = this.ty(e.target, w);
        if (ct?.k === "map") this.shows(ct.key, w);
        return;
      }
      case "StructLit": this.all(e.fields.map((f) => f.value), w); return;
      case "TupleLit": case "VecLit": this.all(e.elems, w); return;
      case "MapLit": {
        const s = this.typed.braceStructs.get(e);
        if (s) { this.expr(s, w); return; }
        for (const x of e.entries) { this.expr(x.key, w); this.expr(x.value, w); }
        return;
      }
      case "Range": this.expr(e.lo, w); this.expr(e.hi, w); return;
      case "If": this.expr(e.cond, w); this.body(e.then, w); if (e.else_) this.blockOrExpr(e.else_, w); return;
      case "IfLet": {
        this.expr(e.value, w);
        // emit/match.ts ifLet writes the else branch before the tree's one leaf.
        if (e.else_) this.blockOrExpr(e.else_, w);
        this.body(e.then, w);
        return;
      }
      case "Match": this.expr(e.subject, w); this.matchArms(e, w); return;
      case "BlockExpr": case "RegionExpr": this.body(e.block, w); return;
      case "Closure": {
        const ft = this.ty(e, w);
        const cw: Walk = { ctx: w.ctx, sub: w.sub, asyncMode: ft?.k === "fn" && !!ft.async, noVersion: false, unchecked: new Set() };
        this.blockOrExpr(e.body, cw);
        return;
      }
      case "Await": this.await(e, w); return;
      case "Spawn": this.future(e.call, w); return;
      case "Call": this.call(e, w); return;
    }
  }

  private blockOrExpr(b: A.Block | A.Expr, w: Walk): void {
    if (b.kind === "Block") this.body(b, w); else this.expr(b, w);
  }

  /** Arms in the order emit/match.ts writes them: along its decision tree (unreached arms are not written), shared arms after it. */
  private matchArms(e: Extract<A.Expr, { kind: "Match" }>, w: Walk): void {
    const dt: DecisionTree | undefined = this.typed.decisions.get(e);
    if (!dt) { for (const a of e.arms) { if (a.guard) this.expr(a.guard, w); this.blockOrExpr(a.body, w); } return; }
    const counts = new Map<number, number>();
    const count = (d: Decision | null): void => {
      if (!d || d.d === "fail") return;
      if (d.d === "leaf") { counts.set(d.arm, (counts.get(d.arm) ?? 0) + 1); count(d.else_); return; }
      d.cases.forEach((c) => count(c.then)); count(d.default_);
    };
    count(dt.tree);
    const arm = (k: number) => this.blockOrExpr(e.arms[k].body, w);
    const node = (d: Decision | null): void => {
      if (!d || d.d === "fail") return;
      if (d.d === "leaf") {
        if ((counts.get(d.arm) ?? 0) <= 1) arm(d.arm);
        const g = d.guarded ? e.arms[d.arm].guard : null;
        if (g) { this.expr(g, w); node(d.else_); }
        return;
      }
      const t = subst(d.occ.type, w.sub);
      if (t.k === "enum") { d.cases.forEach((c) => node(c.then)); node(d.default_); return; }
      if (t.k === "optional" || t.k === "bool") {
        const of = (i: number) => { const c = d.cases.find((x) => x.t === "ctor" && x.index === i); return c ? c.then : d.default_; };
        const yes = t.k === "optional" ? of(1) : of(0), no = t.k === "optional" ? of(0) : of(1);
        node(yes); node(no);
        return;
      }
      node(d.default_);
      for (let i = d.cases.length - 1; i >= 0; i--) node(d.cases[i].then);
    };
    node(dt.tree);
    for (const k of [...counts].filter(([, n]) => n > 1).map(([k]) => k).sort((a, b) => a - b)) arm(k);
  }

  private await(e: Extract<A.Expr, { kind: "Await" }>, w: Walk): void {
    const tk = this.typed.tasks;
    if (this.typed.awaitAll.has(e)) {
      for (const c of (e.operand as Extract<A.Expr, { kind: "Call" }>).args) {
        if (tk.allHandles.has(c)) this.expr(c, w); else this.future(c, w);
      }
      return;
    }
    if (tk.awaitTask.has(e) || tk.allVec.has(e)) { this.expr(e.operand, w); return; }
    if (tk.race.has(e)) { this.all((e.operand as Extract<A.Expr, { kind: "Call" }>).args, w); return; }
    this.future(e.operand, w);
  }

  /** The call of an awaited, spawned or implicitly spawned future (emit/async.ts startFuture). */
  private future(call: A.Expr, w: Walk): void {
    const target = call.kind === "Call" ? this.typed.calls.get(call) : undefined;
    if (!target || call.kind !== "Call") { this.expr(call, w); return; }
    switch (target.kind) {
      case "task": this.expr(target.recv, w); this.all(call.args, w); return;
      case "closure": this.expr(target.callee, w); this.all(call.args, w); return;
      case "fn": case "method": {
        const es = target.kind === "method" ? [target.recv, ...call.args] : call.args;
        this.all(es, w);
        if (es.some((x) => this.never(x, w)) || target.f.decl.extern) return;
        this.site(call, w, target.f, target.typeArgs.map((x) => subst(x, w.sub)), target.kind === "method" ? "async method call" : "async call");
        return;
      }
      case "traitMethod": this.traitCall(call, target, w, "async "); return;
      default: this.all(call.args, w);
    }
  }

  /** Static trait resolution: a call through a bound runs the impl's method for the receiver's concrete type in this
   *  instance (`async `: an awaited or spawned call of an async trait method). */
  private traitCall(e: Extract<A.Expr, { kind: "Call" }>, target: Extract<CallTarget, { kind: "traitMethod" }>, w: Walk, how: string): void {
    const rt = subst(target.recvType, w.sub);
    const found = findImpl(substTrait(target.trait, w.sub), rt); // `T: Into<U>`: U of this instance
    const f = found?.impl.methods.get(target.name);
    if (!found || !f) throw new Error(`internal: no implementation of ${target.trait.name}.${target.name} for ${showType(rt)}`);
    if (target.recv) this.expr(target.recv, w);
    this.all(e.args, w);
    // An awaited call is not written when its receiver diverges either (futures.ts, as for an async method).
    if ((how !== "" && target.recv && this.never(target.recv, w)) || e.args.some((a) => this.never(a, w))) return;
    // The impl's type parameters from its target, then the method's own (`fn apply<U>`) as inferred at the call.
    const own = target.typeArgs.map((x) => subst(x, w.sub));
    const implArgs = f.typeParams.slice(0, f.typeParams.length - own.length).map((tp) => found.args.get(tp) ?? T.error);
    this.site(e, w, f, [...implArgs, ...own], `${how}${target.trait.name}.${target.name} for ${showType(rt)}`);
  }

  private call(e: Extract<A.Expr, { kind: "Call" }>, w: Walk): void {
    if (this.typed.tasks.implicit.has(e)) { this.future(e, w); return; }
    const target = this.typed.calls.get(e);
    if (!target) { this.expr(e.callee, w); this.all(e.args, w); return; }
    switch (target.kind) {
      case "fn": {
        this.all(e.args, w);
        if (target.f.decl.extern || e.args.some((a) => this.never(a, w))) return;
        this.site(e, w, target.f, target.typeArgs.map((x) => subst(x, w.sub)), "call", true);
        return;
      }
      case "method": {
        this.expr(target.recv, w); this.all(e.args, w);
        if (e.args.some((a) => this.never(a, w))) return;
        this.site(e, w, target.f, target.typeArgs.map((x) => subst(x, w.sub)), "method call");
        return;
      }
      case "traitMethod": this.traitCall(e, target, w, ""); return;
      case "closure": this.expr(target.callee, w); this.all(e.args, w); return;
      case "builtin": {
        this.all(e.args, w);
        const a = e.args[0];
        if (a && target.name !== "assert" && !this.never(a, w)) this.shows(this.ty(a, w), w);
        return;
      }
      case "builder": {
        if (target.recv) this.expr(target.recv, w);
        this.all(e.args, w);
        if (target.name === "append" && !this.never(e.args[0], w)) this.shows(this.ty(e.args[0], w), w);
        return;
      }
      case "collection": {
        if (target.recv) this.expr(target.recv, w);
        this.all(e.args, w);
        const ct = target.recv ? this.ty(target.recv, w) : undefined;
        if (target.name === "join" && ct?.k === "vec") this.shows(ct.elem, w);
        return;
      }
      case "helper": {
        this.expr(target.recv, w); this.all(e.args, w);
        // Result.unwrap/expect panic printing the error (emit/helpers.ts unwrapFail).
        const rt = this.ty(target.recv, w);
        if (target.on === "result" && (target.name === "unwrap" || target.name === "expect") && rt?.k === "enum" && hasShow(rt.args[1])) this.shows(rt.args[1], w);
        return;
      }
      case "clone": case "task": case "strMethod": case "fmtMethod": this.expr(target.recv, w); this.all(e.args, w); return;
      case "variant": case "math": this.all(e.args, w); return;
    }
  }
}

/** The instances section of `coc dump --stage=ir`: each instance with its substitution, why it is reachable, and its call sites. */
export function showInstances(t: MonoTable): string {
  const name = (i: Instance) => `#${i.id} ${fnLabel(i.f)}${i.args.length ? `<${i.args.map((t) => showType(t)).join(", ")}>` : ""}${i.unchecked ? " (unchecked copy)" : ""}`;
  const sitesOf = (ctx: Context): string[] => {
    const out: string[] = [];
    for (const [m, tag] of [[t.sites, ""], [t.uncheckedSites, " unchecked"]] as const) {
      for (const [node, to] of m.get(ctx) ?? []) out.push(`  ${node.span.line}:${node.span.col}${tag} -> ${name(to)}`);
    }
    return out;
  };
  const out: string[] = [];
  const roots = [...new Set([...t.sites.keys(), ...t.uncheckedSites.keys()])].filter((c): c is string => typeof c === "string");
  for (const r of roots) out.push(`${r}:`, ...sitesOf(r));
  for (const i of t.instances) {
    const sub = i.f.typeParams.map((tp, k) => `${tp.name} = ${showType(i.args[k])}`);
    out.push(`${name(i)}${sub.length ? ` [${sub.join(", ")}]` : ""}${i.f.decl.async ? " async" : ""}: ${i.why}`, ...sitesOf(i));
  }
  return out.join("\n") + "\n";
}

function fnLabel(f: FnInfo): string {
  return f.owner ? `${f.owner.name}.${f.name}` : f.ownerType ? `${showType(f.ownerType)}.${f.name}` : f.name;
}
