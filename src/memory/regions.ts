// The region analysis (MEMORY.md rule 1): for every store in the program,
// the region that owns the target, the region the value comes from, and
// whether the store must copy the value (and why). The emitter inserts a
// promotion copy exactly where a fact here says so, and `coc build
// --explain-copies` prints these facts; the E03xx borrow rules will live here.

import { storeBackAppends, storeBacks } from "./storeback.js";
import type * as A from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { checkBorrows } from "./borrow-check.js";
import { awaitingBody, findCarries, moveParts, movedWhole, type Carries, type Handed, type Moves } from "./carry.js";
import { mutSelfReceiver } from "../check/captures.js";
import { fieldTypes, variantFields, showType, type Type, type TypedProgram, type LocalVar } from "../check/types.js";

/** A node that stores a value. */
export type StoreNode = A.Expr | A.Stmt | Extract<A.Decl, { kind: "Global" }>;

/** Why a store copies. */
export type StoreRule =
  | "global" // into a module-level variable (or a field of one): global memory
  | "outer-local" // into a local declared outside the `region {}` blocks entered since
  | "collection" // into an element or entry of a collection, or push/insert/set: the collection's owner region
  | "mut-self" // a `mut self` method on a receiver in an older region (not global memory) runs there; its arguments are copied there
  | "region-value" // the value of a `region {}` block, copied out before the block's region is freed
  | "region-exit" // a value returned (by `return` or `?`) from inside `region {}` blocks: into the caller's region
  | "spawn" // arguments of `spawn`: into the new task's region
  | "join" // the result of an awaited task handle: out of the ended task's region into the awaiting task's
  | "callback" // a function value handed to the runtime (a timer): into global memory
  | "self-field" // through `self` in a `mut self` method: into its receiver's region when that is not current (global memory: always)
  | "borrow-arg" // a borrow of global state passed where it may escape (an async call that uses it after an await, a parameter the callee stores, a function value): into the current region
  | "borrow-store" // a borrow of global state (or a closure's parameter) stored into memory the function does not own: into the current region
  | "capture-frame" // an async closure's captures holding a borrow where it is made, copied from its environment into each new frame (the global may be replaced while the frame waits)
  | "carry-handover" // a parameter's collection every caller hands over, copied into an awaiting loop's carry region when the loop starts (carry-handover.ts)
  | "carry-move" // the contents of a loop-carried vec another holder shares, moved into the carry region under the header that stays (carry.ts movable)
  | "carry-move-map" // the same of a map or set, copied keeping its entry layout (lower/derive/keep.ts, mem18)
  | "borrow-return"; // a borrow of global state returned by a closure body (its callers see no summary): into the caller's region

/** Where the target's storage lives. */
export type TargetRegion =
  | { kind: "global"; name: string }
  | { kind: "outer"; local: string; region: A.Span; implicit?: boolean; carried?: boolean; moved?: boolean } // the region outside the `region` block at `region` (implicit: an awaiting loop's body; carried: the loop's carry region, memory/carry.ts)
  | { kind: "owner"; of: A.Expr } // the region that owns a collection (read from its header at run time)
  | { kind: "task" } // a new task's region
  | { kind: "enclosing"; region: A.Span } // the region enclosing a `region` block
  | { kind: "caller"; region: A.Span } // the region current when the outermost open `region` block began
  | { kind: "receiver" } // the region a `mut self` method's receiver lives in (a parameter of the method)
  | { kind: "frame" } // a new async frame, in the current region
  | { kind: "current" }; // the current region (a borrow copied before it can dangle)

export interface StoreFact {
  rule: StoreRule;
  span: A.Span; // the store
  target: TargetRegion;
  /** The value's region: the current one (where every expression allocates). */
  value: "current";
  /** The stored values' types (several for m[k] = v and m.set(k, v); the arguments of spawn and mut-self calls). */
  types: Type[];
  /** "static": the target is older than the current region, so the store always copies; "runtime": it copies
   *  when the target's owner is not the current region (collections, receivers). */
  when: "static" | "runtime";
  /** capture-frame: which of the closure's captures (indices into its capture list) each frame copies. */
  captures?: number[];
}

export interface MemoryFacts {
  /** Keyed by the Assign statement, Call, Spawn or RegionExpr node that stores, or the Global declaration whose
   *  initial value is stored into global memory. Only stores that copy (some stored type holds region memory, or
   *  may once generics are instantiated) are present. */
  stores: Map<StoreNode, StoreFact>;
  /** Arguments of async calls that are borrows of global state used by the callee after an await (borrows.ts). */
  borrowCopies: Map<A.Expr, StoreFact>;
  /** `while` and `for` loops whose back-edge may flush the drop queue: no borrow can be live there (borrows.ts). */
  safepoints: Set<A.Stmt>;
  /** Awaiting loops with loop-carried locals (carry.ts): those locals live in the loop's carry region. */
  carries: Carries;
  /** The copies into a carry region of collections a parameter's callers hand over (carry-handover.ts), listed by
   *  `--explain-copies` (the copy itself is the loop's copy-in, emit/carry.ts). */
  handovers: StoreFact[];
  /** Awaiting loops whose shared vecs keep their header and have their contents moved into the loop's carry region
   *  (carry.ts movable, emit/carry.ts), and their `--explain-copies` rows. */
  moves: Moves;
  moveFacts: StoreFact[];
  /** `a.log += piece` on a store-back's local, mapped to the collection it goes back into (storeback.ts). */
  appends: Map<A.Stmt, A.Expr>;
  /** Stores of an element back into the collection it was read from (storeback.ts storeBacks): into global
   *  memory, what is still the slot's is kept (lower/derive/restore.ts). */
  storeBacks: Set<A.Stmt>;
}

/** Whether values of type t may point into region memory, so that storing them across regions must copy.
 *  A type parameter may (it is decided again per instance). */
export function mayHoldHeap(t: Type): boolean { return heap(t, true, MAY); }
const MAY = new WeakMap<object, boolean>(), HAS = new WeakMap<object, boolean>();

/** Whether values of the concrete type t point into region memory. */
export function hasHeap(t: Type): boolean { return heap(t, false, HAS); }

/** Whether leaving can keep part of a value of type t as it is (it reaches a handle without crossing a box); with
 *  strings, a string counts too (a promotion keeps one of the destination's append tails: co_str_keeps). */
export function looksInside(t: Type, seen = new Set<unknown>(), strings = false): boolean {
  switch (t.k) {
    case "vec": case "map": case "set": case "builder": return true;
    case "string": return strings;
    case "optional": return looksInside(t.inner, seen, strings);
    case "tuple": return t.elems.some((e) => looksInside(e, seen, strings));
    case "struct": case "enum": {
      if (t.k === "enum" && t.info.recursive) return false;
      if (seen.has(t.info)) return false;
      seen.add(t.info);
      const fts = t.k === "struct" ? fieldTypes(t).map((f) => f.type) : t.info.variants.flatMap((vr) => variantFields(t, vr).map((f) => f.type));
      const r = fts.some((ft) => looksInside(ft, seen, strings));
      seen.delete(t.info);
      return r;
    }
    default: return false;
  }
}


/** How deep heap follows generic instances inside one another: the checker rejects types that hold themselves
 *  by value (E0113), so only a type it missed would go deeper; the answer is then "may" (copying is always safe). */
const HEAP_DEPTH = 100;

function heap(t: Type, paramsMay: boolean, seen: WeakMap<object, boolean>, depth = 0): boolean {
  switch (t.k) {
    // A task handle is (task, generation): its result stays in the task's region until awaited.
    case "int": case "float": case "bool": case "unit": case "never": case "error": case "task": return false;
    case "param": return paramsMay;
    case "string": case "vec": case "map": case "set": case "builder": case "fn": return true;
    case "optional": return heap(t.inner, paramsMay, seen, depth);
    case "tuple": return t.elems.some((e) => heap(e, paramsMay, seen, depth));
    case "struct": case "enum": {
      if (t.k === "enum" && t.info.recursive) return true;
      if (depth > HEAP_DEPTH) return true;
      // A cycle is only possible through boxes or collections, handled above; non-generic types are memoised
      // (false while in progress, so that a walk ends on any type).
      const memo = !t.args.length;
      if (memo && seen.has(t.info)) return seen.get(t.info)!;
      if (memo) seen.set(t.info, false);
      const r = t.k === "struct"
        ? fieldTypes(t).some((f) => heap(f.type, paramsMay, seen, depth + 1))
        : t.info.variants.some((v) => variantFields(t, v).some((f) => heap(f.type, paramsMay, seen, depth + 1)));
      if (memo) seen.set(t.info, r);
      return r;
    }
  }
}

/** The `--explain-copies` rows of a shared vec's contents moved into its loop's carry region: one per vec of a struct
 *  or tuple (mem17: `st.lines`; its other parts are carried, and the stores into them are listed where they are). */
function moved(loop: A.Stmt, v: LocalVar): StoreFact[] {
  const parts = moveParts(v.type);
  if (!parts) return [];
  const name = (path: (string | number)[]) => [v.name, ...path].join(".");
  return parts.heads.map((x) => ({ rule: x.type.k === "vec" ? "carry-move" : "carry-move-map", span: loop.span, target: { kind: "outer", local: name(x.path), region: loop.span, carried: true, moved: true }, types: [x.type], value: "current", when: "static" }));
}

/** The `--explain-copies` row of a handed-over collection's copy into its loop's carry region. */
function handover(h: Handed): StoreFact {
  // targetText quotes the local's text: `pending` from the parameter `q` of `consume`.
  const name = h.local === h.param ? `${h.param.name}\` of \`${h.fn}` : `${h.local.name}\` from the parameter \`${h.param.name}\` of \`${h.fn}`;
  return { rule: "carry-handover", span: h.loop.span, target: { kind: "outer", local: name, region: h.loop.span, carried: true }, types: [h.local.type], value: "current", when: "static" };
}

export function analyzeMemory(p: TypedProgram, sources: ReadonlyMap<string, string>): { value: MemoryFacts; diagnostics: Diagnostic[] } {
  const handed: Handed[] = [];
  // The borrow walk first: a value it copies at a store (`self.old = self.cur` in a `mut self` method, rule 3) is a
  // new value where it is stored, which the carry analysis counts as sharing nothing (carry-sharing.ts sharingFree).
  const borrows = checkBorrows(p, sources);
  const copiedAtStore = new Set([...borrows.copies].filter(([, f]) => f.rule === "borrow-store").map(([x]) => x));
  const moves: Moves = new Map();
  const carries = findCarries(p, handed, copiedAtStore, moves);
  const a = new Analysis(p, carries, moves);
  for (const f of p.fns) if (f.decl.body && !f.decl.extern) a.fnBody(f.decl.body, f.ret, f.self?.kind === "mut" ? f.self.local : null);
  for (const t of p.tests) a.fnBody(t.decl.body, { k: "unit" });
  for (const g of p.globals) {
    a.expr(g.decl.value);
    // The initialisers run in a region of their own; each global's value is copied into global memory, so that
    // the global tree owns every block in it (rule 2: a replaced value can be freed).
    a.globalInit(g.decl, g.name, g.type);
  }
  const appends = new Map<A.Stmt, A.Expr>(), backs = new Set<A.Stmt>();
  for (const f of p.fns) {
    if (!f.decl.body || f.decl.extern) continue;
    for (const [s, c] of storeBackAppends(p, f.decl.body)) appends.set(s, c);
    for (const s of storeBacks(p, f.decl.body)) backs.add(s);
  }
  return { value: { stores: a.stores, borrowCopies: borrows.copies, safepoints: borrows.safepoints, carries, handovers: handed.map(handover), moves, moveFacts: [...moves].flatMap(([s, vs]) => vs.flatMap((v) => moved(s, v))), appends, storeBacks: backs }, diagnostics: borrows.diagnostics };
}

class Analysis {
  stores = new Map<StoreNode, StoreFact>();
  /** Region blocks entered in the function being walked: the first local id declared inside each. */
  private regions: { first: number; span: A.Span; implicit?: boolean; carry?: Set<number>; moved?: Set<number> }[] = [];
  /** The result type of the function (or closure) being walked. */
  private ret: Type = { k: "unit" };
  /** `self` of the `mut self` method being walked. */
  private mutSelf: LocalVar | null = null;

  constructor(private p: TypedProgram, private carries: Carries, private moves: Moves) {}

  private typeOf(e: A.Expr): Type { return this.p.exprTypes.get(e) ?? { k: "error" }; }

  globalInit(node: Extract<A.Decl, { kind: "Global" }>, name: string, t: Type): void {
    this.record(node, { rule: "global", span: node.span, target: { kind: "global", name }, types: [t], when: "static" });
  }

  /** `spawn call` (or an async call where a `Task<T>` is expected): the arguments are copied into the new task's region. */
  private spawned(node: A.Expr, call: A.Expr): void {
    const args = call.kind === "Call" ? call.args.map((x) => this.typeOf(x)) : [];
    // Spawning through a function value copies its environment too, and spawning a method its receiver.
    const target = call.kind === "Call" ? this.p.calls.get(call) : undefined;
    if (target?.kind === "closure") args.unshift(this.typeOf(target.callee));
    else if ((target?.kind === "method" || target?.kind === "traitMethod") && target.recv) args.unshift(this.typeOf(target.recv));
    this.record(node, { rule: "spawn", span: node.span, target: { kind: "task" }, types: args, when: "static" });
  }

  private record(node: StoreNode, fact: Omit<StoreFact, "value">): void {
    if (fact.types.some(mayHoldHeap)) this.stores.set(node, { ...fact, value: "current" });
  }

  /** The region owning a variable's storage when it is older than the current one. */
  private varTarget(e: A.Expr): TargetRegion | null {
    const r = this.p.refs.get(e);
    if (!r) return null;
    if (r.kind === "global") return { kind: "global", name: r.g.name };
    if (r.kind !== "local") return null;
    // `self` of a `mut self` method lives in its receiver's region whatever `region` blocks the method opened.
    return r.v === this.mutSelf ? { kind: "receiver" } : this.outer(r.v);
  }

  private outer(v: LocalVar): TargetRegion | null {
    // A carried local lives in the carry region of the innermost loop carrying it (a loop inside another loop, or
    // inside an `if`, may carry a local declared outside its block: memory/carry.ts); the carry is not there for
    // the others (it is never current).
    const b = [...this.regions].reverse().find((x) => x.carry?.has(v.id)) ?? this.regions.find((x) => !x.carry && v.id < x.first);
    return b ? { kind: "outer", local: v.name, region: b.span, implicit: b.implicit, carried: !!b.carry } : null;
  }

  /** The region owning an assignable path's storage (the emitter's place()): the last collection dereference, else the root variable's. */
  private placeTarget(e: A.Expr): TargetRegion | null {
    switch (e.kind) {
      case "Ident": return this.varTarget(e);
      case "Field": return this.p.refs.has(e) ? this.varTarget(e) : this.placeTarget(e.target);
      case "Index": return { kind: "owner", of: e.target };
      case "TupleIndex": return this.placeTarget(e.target);
      default: return null;
    }
  }

  private isPlace(e: A.Expr): boolean {
    switch (e.kind) {
      case "Ident": return true;
      case "Field": return this.p.refs.has(e) || this.isPlace(e.target);
      case "Index": case "TupleIndex": return this.isPlace(e.target);
      default: return false;
    }
  }

  fnBody(b: A.Block, ret: Type, mutSelf: LocalVar | null = null): void { this.ret = ret; this.mutSelf = mutSelf; this.block(b); this.mutSelf = null; }

  block(b: A.Block): void { for (const s of b.stmts) this.stmt(s); }

  /** `return v` or `?` inside region blocks: the result leaves them for the caller's memory. What was made
   *  outside the blocks (a place rooted at a local declared before them) leaves as it is; otherwise what lives
   *  in the blocks is copied, a collection or builder only when its owner is one of them (lower/derive/leave.ts). */
  private exit(node: A.Stmt | A.Expr, value: A.Expr): void {
    if (!this.regions.length || this.rootedBefore(value, this.regions[0].first)) return;
    this.record(node, { rule: "region-exit", span: node.span, target: { kind: "caller", region: this.regions[0].span }, types: [this.ret], when: looksInside(this.ret) ? "runtime" : "static" });
  }

  /** Whether e reads a place rooted at a local declared before local id `first`: its value lives outside the
   *  blocks opened since (rule 1: a store into such a local from inside a block copies out). */
  private rootedBefore(e: A.Expr, first: number): boolean {
    switch (e.kind) {
      // A carried local's value lives in its loop's carry region, freed when the loop ends: not outside.
      // So do the contents of a shared vec the loop moved there (mem16: its header stays outside).
      case "Ident": { const r = this.p.refs.get(e); return r?.kind === "local" && r.v.id < first && !this.regions.some((x) => x.carry?.has(r.v.id) || x.moved?.has(r.v.id)); }
      case "Field": return !this.p.refs.has(e) && this.rootedBefore(e.target, first);
      case "Index": case "TupleIndex": return this.rootedBefore(e.target, first);
      default: return false;
    }
  }

  private body(b: A.Block | A.Expr): void { if (b.kind === "Block") this.block(b); else this.expr(b); }

  private stmt(s: A.Stmt): void {
    switch (s.kind) {
      case "Let": if (s.value) this.expr(s.value); return;
      case "ConstStmt": this.expr(s.value); return;
      case "ExprStmt": this.expr(s.expr); return;
      case "While": case "For": {
        const ks = this.carries.get(s), ms = this.moves.get(s);
        const open = !!(ks || ms);
        if (open) this.regions.push({ first: this.p.regionFirstLocal.get(awaitingBody(s)!) ?? Infinity, span: s.span, implicit: true, carry: new Set([...(ks ?? []), ...(ms ?? []).filter((v) => movedWhole(this.p, s, v))].map((v) => v.id)), moved: new Set((ms ?? []).map((v) => v.id)) });
        if (s.kind === "While") this.expr(s.cond); else this.expr(s.iter);
        this.block(s.body);
        if (open) this.regions.pop();
        return;
      }
      case "Return": if (s.value) { this.expr(s.value); this.exit(s, s.value); } return;
      case "BlockStmt": this.block(s.block); return;
      case "Break": case "Continue": return;
      case "Assign": {
        this.expr(s.target);
        this.expr(s.value);
        const tt = this.typeOf(s.target);
        if (s.target.kind === "Index" && s.op === "=" && this.typeOf(s.target.target).k === "map") {
          const mt = this.typeOf(s.target.target) as Extract<Type, { k: "map" }>;
          this.record(s, { rule: "collection", span: s.span, target: { kind: "owner", of: s.target.target }, types: [mt.key, mt.val], when: "runtime" });
          return;
        }
        const target = this.placeTarget(s.target);
        if (!target) return;
        // Through `self` of a `mut self` method: into the receiver's region, which the method does not run in when
        // it is global memory or when the store is inside a `region` block of the method; a store into global
        // memory always copies, so that no two global locations share a value (rule 2).
        const rule: StoreRule = target.kind === "global" ? "global" : target.kind === "outer" ? "outer-local" : target.kind === "receiver" ? "self-field" : "collection";
        this.record(s, { rule, span: s.span, target, types: [tt], when: target.kind === "owner" || target.kind === "receiver" ? "runtime" : "static" });
        return;
      }
    }
  }

  expr(e: A.Expr): void {
    switch (e.kind) {
      case "IntLit": case "FloatLit": case "BoolLit": case "NoneLit": case "Ident": return;
      case "StrLit": for (const p of e.parts) if (p.kind === "interp") this.expr(p.expr); return;
      case "Binary": this.expr(e.left); this.expr(e.right); return;
      case "Unary": this.expr(e.operand); return;
      case "Call":
        this.expr(e.callee); for (const x of e.args) this.expr(x);
        if (this.p.tasks.implicit.has(e)) this.spawned(e, e); else this.call(e);
        return;
      case "Field": case "TupleIndex": this.expr(e.target); return;
      case "Index": this.expr(e.target); this.expr(e.index); return;
      case "Unwrap": case "Cast": this.expr(e.operand); return;
      case "Await": {
        this.expr(e.operand);
        const t = this.p.tasks;
        if (e.operand.kind === "Call") {
          for (const a of e.operand.args) {
            if (t.allHandles.has(a)) this.record(a, { rule: "join", span: a.span, target: { kind: "current" }, types: [(this.typeOf(a) as { inner: Type }).inner], when: "static" });
          }
        }
        if (t.awaitTask.has(e) || t.allVec.has(e) || t.race.has(e) || t.awaitResult.has(e)) {
          const r = this.typeOf(e);
          // `await h.result()`: the Ok value is the task's result copied out
          const joined = t.allVec.has(e) && r.k === "vec" ? r.elem : t.awaitResult.has(e) && r.k === "enum" ? r.args[0] : r;
          this.record(e, { rule: "join", span: e.span, target: { kind: "current" }, types: [joined], when: "static" });
        }
        return;
      }
      case "Try": this.expr(e.operand); this.exit(e, e.operand); return;
      case "Spawn": this.expr(e.call); this.spawned(e, e.call); return;
      case "StructLit": for (const f of e.fields) this.expr(f.value); return;
      case "TupleLit": case "VecLit": for (const x of e.elems) this.expr(x); return;
      case "MapLit": if (this.p.braceStructs.has(e)) return this.expr(this.p.braceStructs.get(e)!); for (const x of e.entries) { this.expr(x.key); this.expr(x.value); } return;
      case "Range": this.expr(e.lo); this.expr(e.hi); return;
      case "If": this.expr(e.cond); this.block(e.then); if (e.else_) this.body(e.else_); return;
      case "IfLet": this.expr(e.value); this.block(e.then); if (e.else_) this.body(e.else_); return;
      case "Match": this.expr(e.subject); for (const a of e.arms) { if (a.guard) this.expr(a.guard); this.body(a.body); } return;
      case "BlockExpr": this.block(e.block); return;
      case "RegionExpr": {
        const first = this.p.regionFirstLocal.get(e) ?? Infinity;
        this.regions.push({ first, span: e.span, implicit: e.implicit });
        this.block(e.block);
        this.regions.pop();
        const last = e.block.stmts.at(-1);
        if (last?.kind === "ExprStmt" && this.rootedBefore(last.expr, first)) return;   // made outside: leaves as it is
        const t = this.typeOf(e);
        this.record(e, { rule: "region-value", span: e.span, target: { kind: "enclosing", region: e.span }, types: [t], when: looksInside(t) ? "runtime" : "static" });
        return;
      }
      case "Closure": {
        // A closure body runs later, in whatever region is current then: region blocks around it do not apply.
        const saved = this.regions, savedRet = this.ret, savedSelf = this.mutSelf;
        this.regions = [];
        this.mutSelf = null;
        this.ret = this.p.closures.get(e)?.ret ?? { k: "error" };
        this.body(e.body);
        this.regions = saved;
        this.ret = savedRet;
        this.mutSelf = savedSelf;
        return;
      }
    }
  }

  private call(e: Extract<A.Expr, { kind: "Call" }>): void {
    const target = this.p.calls.get(e);
    if (!target) return;
    if (target.kind === "fn" && target.f.decl.extern) {
      // Function values handed to the runtime outlive the task that made them.
      const fnArgs = target.f.params.map((p) => p.type).filter((t) => t.k === "fn");
      if (fnArgs.length) this.record(e, { rule: "callback", span: e.span, target: { kind: "global", name: "(the runtime)" }, types: fnArgs, when: "static" });
      return;
    }
    const recv = mutSelfReceiver(target);
    if (recv && this.isPlace(recv)) {
      const t = this.placeTarget(recv);
      // A method on global memory runs in the caller's region and its stores through `self` copy: its
      // arguments need not. On an older region it runs there: its arguments are copied there first.
      if (t && t.kind !== "global") this.record(e, { rule: "mut-self", span: e.span, target: t, types: e.args.map((x) => this.typeOf(x)), when: t.kind === "owner" || t.kind === "receiver" ? "runtime" : "static" });
      return;
    }
    if (target.kind === "collection" && target.recv && (target.name === "push" || target.name === "insert" || target.name === "set")) {
      const ct = this.typeOf(target.recv);
      if (ct.k !== "vec" && ct.k !== "map" && ct.k !== "set") return;
      const types = ct.k === "map" ? [ct.key, ct.val] : [ct.elem];
      this.record(e, { rule: "collection", span: e.span, target: { kind: "owner", of: target.recv }, types, when: "runtime" });
    }
  }
}

const RULE_TEXT: Record<StoreRule, string> = {
  "global": "a store into global memory copies (MEMORY.md rule 1)",
  "outer-local": "a store into a variable outside a `region` block copies (rule 1)",
  "collection": "a store into a collection owned by an older region copies (rule 1)",
  "mut-self": "a `mut self` method on a receiver in an older region runs there; its arguments are copied there (rule 1)",
  "region-value": "the value of a `region` block is copied out before the block is freed; what was made outside it leaves as it is",
  "region-exit": "a value returned from inside a `region` block is copied out before the block is freed; what was made outside it leaves as it is",
  "spawn": "spawn arguments are copied into the new task's region (rule 4)",
  "join": "the result of an awaited task is copied out of that task's region, which is then freed (rule 4)",
  "callback": "a function value kept by the runtime is copied into global memory (rule 4)",
  "self-field": "a store through `self` of a `mut self` method copies into the receiver's region; into global memory always, since global memory shares nothing (rule 2)",
  "borrow-arg": "a borrow of global state passed where it may escape (an async function that uses it after an `await`, a parameter the callee stores, a function value) is copied first (rule 3)",
  "borrow-store": "a borrow of global state stored into memory the function does not own (its caller's collection or struct, a captured collection) is copied first (rule 3)",
  "borrow-return": "a borrow of global state (or a captured value: the environment may be in global memory) returned from a closure, or from a function used as a value, is copied (rule 3): a call through a function value cannot see what it returns",
  "carry-move": "a vec that another holder shares (`let view = batch`, a caller's argument, a closure made before the loop; a struct's or tuple's vec) keeps its header where it is, and its contents are copied into the carry region when the loop starts, at each compaction, and back into the header's region on every way out; every holder keeps seeing one vec (docs/memory.md \"Loop-carried locals\")",
  "carry-move-map": "a map or set that another holder shares (`let mv = m`, a caller's argument, a closure made before the loop; a struct's or tuple's map) keeps its header where it is, and its contents are copied with every entry at its index (removed ones included, so a `for` over it goes on) into the carry region when the loop starts, at each compaction, and back into the header's region on every way out; every holder keeps seeing one map (docs/memory.md \"Loop-carried locals\")",
  "carry-handover": "a collection every caller of the function hands over (a fresh value, a spawn's copy, or a local not named after the call) is copied once into the carry region when the loop starts; no other holder can see the copy (docs/memory.md \"Loop-carried locals\")",
  "capture-frame": "an async closure captured a value borrowed from a global and uses it after an await: the global may be replaced while the frame waits, so each call copies that value into the new frame (rule 3)",
};

function where(s: A.Span): string { return `${s.line}:${s.col}`; }

function targetText(t: TargetRegion, show: (e: A.Expr) => string): string {
  switch (t.kind) {
    case "global": return t.name === "(the runtime)" ? "global memory" : `global memory (\`${t.name}\`)`;
    case "outer": return t.moved
      ? `the carry region of the awaiting loop at ${where(t.region)} (the contents of \`${t.local}\`, whose header stays where it is)`
      : t.carried
      ? `the carry region of the awaiting loop at ${where(t.region)} (\`${t.local}\`, a loop-carried local: docs/memory.md)`
      : t.implicit
      ? `the region outside the body of the awaiting loop at ${where(t.region)} (\`${t.local}\`; such a body has a region per iteration)`
      : `the region outside the \`region\` block at ${where(t.region)} (\`${t.local}\`)`;
    case "owner": return `the region that owns \`${show(t.of)}\``;
    case "task": return "the new task's region";
    case "enclosing": return "the region enclosing the block";
    case "caller": return `the caller's region (outside the \`region\` block at ${where(t.region)})`;
    case "receiver": return "the receiver's region";
    case "frame": return "each new frame of the closure (in the current region)";
    case "current": return "the current region";
  }
}

/** `--explain-copies`: one line per store that copies, in source order, with the rule that requires it. */
export function explainCopies(facts: MemoryFacts, sources: Map<string, string>): string[] {
  const show = (e: A.Expr) => {
    const text = sources.get(e.span.file)?.slice(e.span.start, e.span.end) ?? "";
    return text.length > 40 || text.includes("\n") ? "the collection" : text;
  };
  const rows = [...facts.stores.values(), ...facts.borrowCopies.values(), ...facts.handovers, ...facts.moveFacts].sort((a, b) => a.span.file.localeCompare(b.span.file) || a.span.start - b.span.start);
  return rows.map((f) => {
    const types = f.types.filter(mayHoldHeap).map((t) => showType(t)).join(", ");
    const generic = f.types.some((t) => mayHoldHeap(t) && !hasHeap(t)) ? " (in the instances where it holds region memory)" : "";
    const exit = f.rule === "region-exit" || f.rule === "region-value";
    const when = (f.when === "runtime" ? exit ? " (a collection or builder in it only when it was made inside the block)" : " when it is not the current region" : "") + generic;
    return `${f.span.file}:${where(f.span)}: copy ${types} into ${targetText(f.target, show)}${when} — ${RULE_TEXT[f.rule]}`;
  });
}
