// Borrows (MEMORY.md rule 3). A value read from global state is a borrow: it
// points into global memory, whose values are freed by their owners at the end
// of the loop turn in which they are replaced or removed. A borrow is valid
// until the function next suspends at an `await` (another task may run, and
// the turn may end); this module tracks which locals hold borrows, flow by
// flow, and reports (the roots and flow states are in borrow-roots.ts):
//   E0301  a borrow used after an `await`;
//   E0302  a `for` loop over a global collection whose body awaits;
//   E0303  a collection inside global state mutated through a borrow: held in a
//          local, destructured, inside a literal or a fresh vec of elements, or
//          passed to a parameter the callee changes (write through the global
//          path instead, or mutate a `.clone()`).
// It also finds the borrows that escape into an async call whose callee uses
// the parameter after one of its own awaits: those arguments are copied (a
// StoreFact with rule "borrow-arg"), so the callee never holds a borrow across
// its await.
//
// A value's roots say which globals (or, while summarising a function, which
// of its parameters) it may point into. `direct` roots mean the value itself
// is global memory (an element, a field, the collection); indirect roots mean
// a fresh container holds borrowed values (a Vec literal of borrowed strings).

import type * as A from "../syntax/ast.js";
import { at } from "../diagnostics.js";
import { M } from "../messages.js";
import type { LocalVar, FnInfo } from "../check/types.js";
import { mayHoldHeap } from "./regions.js";
import { Analysis } from "./borrow-analysis.js";
import { byValueLocal } from "./borrow-plain.js";
import { closureArgsChanging, closureResult, closureRoots, valueCalleeChanging } from "./borrow-closures.js";
import { argMutation, fixFor, lostMutation, lostThroughValue, mutationThroughBorrow } from "./borrow-diags.js";
import { forOverGlobal, iteratedAcrossAwait, loopVarReported, mayQueueDrops } from "./borrow-loops.js";
import type { Need } from "./safepoint-callers.js";
import { elementRoots, externResult, saturate } from "./borrow-results.js";
import { type GRoot, type PRoot, isCapture, type Root, type State, MUTATORS, CONTAINERS, ELEMENTS, STR_VIEWS, containsCollection, indirect, direct, cloneState, merge, union, sameRoot, sameState, respan, paramRoots, baseOf, patternLocals, partOf, replaced, containerOf } from "./borrow-roots.js";

/** More walks of one loop body than any loop needs (one per local a borrow moves through, plus one): a guard. */
const MAX_WALKS = 1000;


/** One function body (or closure body): a forward walk over its statements in evaluation order. */
export class Flow {
  st: State = { vars: new Map(), stale: new Map(), dead: false };
  /** An async closure body's captures (by local id) and the roots each had where the closure was made. */
  frameCopied = new Map<number, Root[]>();
  ret: Root[] = [];
  acrossAwait = new Set<number>();
  /** Parameters whose values escape (see Summary). */
  escapes = new Set<number>();
  /** Parameters whose memory the function changes (an element, entry or field stored, a collection changed). */
  mutates = new Set<number>();
  /** Parameters changed inside (an element's or field's collection): a fresh container of borrows passed there is E0303. */
  mutatesInside = new Set<number>();
  /** Parameters a collection reachable from which is changed, not only a field written (see Summary). */
  changesColl = new Set<number>();
  /** Where each parameter in `mutates` was first changed (see Summary). */
  changedAt = new Map<number, A.Span>();
  private loops: { breaks: State[]; conts: State[] }[] = [];

  /** Set for a `mut self` method's body (see storeInto). */
  mutSelf = false;
  /** The body's stores of an element back into the collection it was read from (storeback.ts): not copied. */
  storeBacks: ReadonlySet<A.Stmt> = new Set();
  /** Set for the walk that records safe points (borrow-check.ts): the function whose body this is. Its loops and
   *  direct calls are recorded with what they need (safepoint-callers.ts decides). */
  record: FnInfo | null = null;
  /** Locals in scope (parameters, and bindings whose block has not ended), kept by the recording walk. */
  readonly scope = new Set<number>();
  /** For each enclosing `for` loop: the roots of the values it iterates (it reads them at every back-edge). */
  private iterating: Root[][] = [];
  /** Set for a closure body: a borrow it returns is copied (rule 3), since calls through a function value are not summarised. */
  copyReturns = false;
  /** Set for an async function whose result is held (fnsReturningUnseen's `held`): a returned part of a parameter is copied too. */
  copyParamReturns = false;
  /** Set for a closure body: its parameters (PRoots) and captured locals (captureRoot) are not summarised, so what it
   *  stores into a captured local from a parameter is copied at the store (callers, `map` and friends may pass borrows). */
  closureBody = false;
  /** Whether parameter i can be changed for the caller at all (borrow-check.ts: a parameter holding a collection). */
  changeable: (i: number) => boolean = () => true;

  constructor(readonly a: Analysis, readonly check: boolean) {}

  /** A value leaving a closure body: copied into the caller's region when it may point into global state. */
  returned(x: A.Expr, rs: Root[]): Root[] {
    // A captured value is read from the closure's environment, which lives wherever the closure value was stored
    // (global memory included) and is dropped when that entry is replaced: copied like a borrow of global state.
    // An async call whose result is held while other code runs (`all`, `race`, `spawn`): a part of its argument
    // is copied too, since the argument may be a borrow the caller's other calls free meanwhile.
    const param = this.copyParamReturns && rs.some((r) => r.k === "p" && !isCapture(r.i));
    if (!this.copyReturns || !(param || rs.some((r) => r.k === "g" || (r.k === "p" && isCapture(r.i))))) return rs;
    this.a.returnCopies.set(x, this.a.typeOf(x));
    return rs.filter((r) => r.k !== "g" && !(param && r.k === "p" && !isCapture(r.i)));
  }


  // ---------- statements ----------
  block(b: A.Block): Root[] {
    let value: Root[] = [];
    b.stmts.forEach((s, i) => {
      if (i === b.stmts.length - 1 && s.kind === "ExprStmt") value = this.expr(s.expr);
      else this.stmt(s);
    });
    if (this.record) for (const s of b.stmts) for (const v of s.kind === "Let" ? patternLocals(this.a.p, s.pattern) : s.kind === "ConstStmt" ? [this.a.p.stmtLocals.get(s)] : []) if (v) this.scope.delete(v.id);
    return value;
  }

  private body(b: A.Block | A.Expr): Root[] { return b.kind === "Block" ? this.block(b) : this.expr(b); }

  stmt(s: A.Stmt): void {
    const mark = this.held.length;
    this.stmt1(s);
    this.consumed(mark);
  }

  private stmt1(s: A.Stmt): void {
    switch (s.kind) {
      case "Let": {
        // The borrow is the whole value read (`sessions.get(id)!`): what the diagnostics point at and the fix clones.
        const bound = s.pattern.kind === "PBind" ? { name: s.pattern.name, mutable: s.mutable } : undefined;
        this.bind(s.pattern, s.value ? respan(this.expr(s.value), s.value, bound) : [], s.value ?? undefined);
        // `let f = |v| ...` / `let f = pushInto`: a call of f calls exactly that (valueCalleeChanging).
        const v = !s.mutable && s.value ? this.a.p.patLocals.get(s.pattern) : undefined;
        if (v && (s.value!.kind === "Closure" || this.a.p.refs.get(s.value!)?.kind === "fn")) this.a.fnValueOf.set(v.id, s.value!);
        return;
      }
      case "ConstStmt": {
        const rs = this.expr(s.value);
        const v = this.a.p.stmtLocals.get(s);
        if (v) this.set(v, rs);
        return;
      }
      case "ExprStmt": this.expr(s.expr); return;
      case "BlockStmt": this.block(s.block); return;
      case "Return": {
        if (s.value) this.ret = union(this.ret, this.returned(s.value, this.expr(s.value)));
        this.st.dead = true;
        return;
      }
      case "Break": this.loops.at(-1)?.breaks.push(cloneState(this.st)); this.st.dead = true; return;
      case "Continue": this.loops.at(-1)?.conts.push(cloneState(this.st)); this.st.dead = true; return;
      case "While": this.loop(() => { const mark = this.held.length; this.expr(s.cond); this.consumed(mark); }, s.body, null, s); return;
      case "For": {
        let iter: Root[] = [];
        if (s.iter.kind === "Range") { this.expr(s.iter.lo); this.expr(s.iter.hi); }
        else { const mark = this.held.length; iter = respan(this.expr(s.iter), s.iter, { name: this.a.text(s.pattern.span), mutable: false }); this.consumed(mark); }
        if (this.check && s.iter.kind !== "Range") forOverGlobal(this.a, s, iter);
        this.iterating.push(iter);
        this.loop(() => { this.reIterate(s); this.forBind(s.pattern, iter, s.iter, this.a.text(s.span)); }, s.body, s, s);
        this.iterating.pop();
        if (this.record) for (const v of patternLocals(this.a.p, s.pattern)) this.scope.delete(v.id);
        for (const i of iteratedAcrossAwait(this.a, s, iter, this.check)) this.acrossAwait.add(i);
        return;
      }
      case "Assign": this.assign(s); return;
    }
  }

  /**
   * A loop: the body is walked until the state at its head stops changing (borrows made in one iteration reach the
   * next, one local further each time: `e = d; d = c; ...; a = names[0]`). The head state only grows (it is joined
   * with what each walk ends with) over finite sets, so the walks end; a body walked MAX_WALKS times without settling
   * (a bug) gets the conservative head: every local holding anything holds every root seen.
   */
  private loop(head: () => void, body: A.Block, forStmt: A.Stmt | null, stmt: A.Stmt): void {
    const entry = cloneState(this.st), inScope = [...this.scope];
    let headState = entry;
    const exits: State[] = [];
    for (let round = 0; ; round++) {
      this.st = cloneState(headState);
      if (!forStmt) head(); // a while condition runs at every iteration's head
      const afterHead = cloneState(this.st);
      exits.push(afterHead);
      if (forStmt) head();
      this.loops.push({ breaks: [], conts: [] });
      this.block(body);
      const ctx = this.loops.pop()!;
      exits.push(...ctx.breaks);
      let next = merge(headState, this.st);
      for (const c of ctx.conts) next = merge(next, c);
      if (sameState(next, headState)) break;
      headState = round + 1 < MAX_WALKS ? next : saturate(next);
      if (round + 1 > MAX_WALKS) { exits.push(headState); break; }
    }
    this.safepoint(stmt, inScope, headState);
    this.st = exits.reduce((acc, s) => merge(acc, s), { vars: new Map(), stale: new Map(), dead: true } as State);
  }

  /**
   * A loop is a safe point when no borrow can be live at its back-edge: no local in scope before it holds one at its
   * head (whether or not it held one on entry: `keep = names[0]` inside the loop counts), no enclosing `for` iterates
   * borrowed values, no temporary is held, and no caller holds one (safepoint-callers.ts). Replaced global values
   * queued for drop may be freed there mid-turn (a sync batch loop is one turn: its garbage grew without bound), as
   * at an await, which E0301 makes safe the same way (docs/memory.md, "Safe points"). A nested loop is walked once
   * per walk of the loop around it: what each walk needs is joined.
   */
  private safepoint(stmt: A.Stmt, inScope: number[], head: State): void {
    // A loop that awaits gets one too: an await that does not suspend (a cache hit) does not end the turn, and such
    // a loop's garbage grew without bound (red team, stop 26); the flush is in proportion to what the loop queued.
    const body = (stmt as Extract<A.Stmt, { kind: "For" | "While" }>).body;
    if (!this.record || !mayQueueDrops(this.a.p, body, this.a.quiet)) return;
    const at = this.need([...this.held.map((h) => h.roots), ...this.iterating, ...inScope.map((id) => head.vars.get(id) ?? [])]);
    const old = this.a.loopNeeds.get(stmt);
    this.a.loopNeeds.set(stmt, { f: this.record, at: old ? this.need([], old.at, at) : at });
  }

  /** What no borrow among these roots needs (a global's: never; a parameter's: that it is fresh), joined with `more`. */
  private need(rss: Root[][], ...more: Need[]): Need {
    const n: Need = { blocked: more.some((m) => m.blocked), deps: new Set(more.flatMap((m) => [...m.deps])) };
    for (const rs of rss) for (const r of rs) if (r.k === "g") n.blocked = true; else n.deps.add(r.i);
    return n;
  }

  /**
   * Each iteration reads the next element of the iterated value: after the body has awaited, that read is a use.
   * A local holding borrows (`let picked = [names[0], names[1]]`, `for n in picked { println(n); await ... }`)
   * is then E0301 as any use of it after an await (the second element was read after another task could replace
   * it; a parameter's is copied by callers); iteratedAcrossAwait does the same for any other iterated value.
   */
  private reIterate(s: Extract<A.Stmt, { kind: "For" }>): void {
    if (s.iter.kind === "Range" || loopVarReported(this.a, s)) return;
    const base = baseOf(s.iter);
    const ref = base ? this.a.p.refs.get(base) : undefined;
    if (ref?.kind === "local") this.use(ref.v, s.iter);
  }

  private assign(s: Extract<A.Stmt, { kind: "Assign" }>): void {
    const value = this.expr(s.value);
    const base = baseOf(s.target);
    // The target's own sub-expressions (indices, receivers) are read, except a plain local being assigned.
    if (s.target.kind !== "Ident") this.expr(s.target);
    const ref = base ? this.a.p.refs.get(base) : undefined;
    if (ref?.kind !== "local") return;
    if (s.target.kind === "Ident") {
      // A new value: compound assignment of numbers keeps no pointer, `s += t` makes a fresh string.
      // The borrow is the whole value assigned (`names[1]`), what the fix clones.
      this.set(ref.v, s.op === "=" ? respan(value, s.value) : []);
      this.st.stale.delete(ref.v.id);
      return;
    }
    // The memory written is the last collection on the path (`v` in `v[0] = 5`, `ts[0]` in `ts[0][1] = 5`).
    const container = containerOf(s.target);
    const inside = container ? this.lastRoots.get(container) ?? [] : [];
    if (this.check && container) mutationThroughBorrow(this.a, ref.v, container, inside, s.span, s.target);
    this.mutated(ref.v, container ? inside : null, s.span);
    // `m[k] = v` on a map stores the key too (a view of a global string, `counts[w] = ...` over `doc.split(" ")`).
    const key = s.target.kind === "Index" && this.a.typeOf(s.target.target).k === "map" && mayHoldHeap(this.a.typeOf(s.target.index))
      ? [[s.target.index, respan(this.lastRoots.get(s.target.index) ?? [], s.target.index)] as [A.Expr, Root[]]] : [];
    // `a.log += line` stores no part of `line`: a string concatenation copies its right operand (it shares at most its
    // left one, the place itself, when that is the current region's append tail: co_str_concat), and a compound
    // assignment of numbers keeps no pointer. Counting `line` as stored made a store-back (`var a = self.groups[k];
    // a.log += line; self.groups[k] = a`) deep-copy the element on every call (issue 9, mem13: 16,384 calls took 96 s
    // and held 2.5 GiB).
    const stored: [A.Expr, Root[]][] = s.op === "=" ? [[s.value, respan(value, s.value)]] : [];
    const kept = this.storeInto(ref.v, [...key, ...stored], this.storeBacks.has(s) ? s.value : null);
    // A borrowed value stored into a local's field or element: the local now holds it too.
    if (kept.length) this.set(ref.v, union(this.st.vars.get(ref.v.id) ?? [], indirect(kept)));
  }

  /**
   * Values stored into local v's memory (a field, an element, an entry). When v's memory is not the function's
   * own — a parameter's (the caller's collection or struct, `self`) or, in a closure body, a captured local's —
   * a stored parameter escapes (summary), and a stored borrow of a global is copied at the store, since the
   * caller would not know its local now holds one. Returns the roots v holds afterwards from the stored values.
   */
  private storeInto(v: LocalVar, stored: [A.Expr, Root[]][], storeBack: A.Expr | null = null): Root[] {
    const own = new Set((this.st.vars.get(v.id) ?? []).filter((r) => r.k === "p" && r.direct).map((r) => (r as PRoot).i));
    const foreign = own.size > 0;
    let kept: Root[] = [];
    for (const [x, rs] of stored) {
      // A part of a parameter stored into that same parameter's memory (`h.items.push(h.name)`, the router's
      // `matched.params = bindParams(req.path, ...)`) is copied at the store: the caller's struct may hold a borrow
      // in one part and its own collection in another, which would then hold the borrow. Copying the stored value
      // is cheaper than the escape (callers copying the whole argument) and right whatever the caller passes.
      // Only when the target is that one parameter's: a local that may point into two (after a branch) may be
      // storing into the other, an escape (below).
      // An element stored back into the collection it was read from holds nothing that collection did not (storeback.ts).
      if (x === storeBack && own.size === 1 && rs.every((r) => r.k === "p" && own.has(r.i))) { kept = union(kept, rs); continue; }
      if (own.size === 1 && rs.some((r) => r.k === "p" && own.has(r.i))) { this.a.storeCopies.set(x, this.a.typeOf(x)); continue; }
      if (!foreign || !rs.length) {
        // A borrow of global state stored into the function's own memory is copied at the store (rule 3), so the
        // collection or struct never holds one, through whichever name reaches it (`let alias = items;
        // alias.push(names[0])`, `[items]`, a helper returning it): tracking the holder by variable missed those.
        if (rs.some((r) => r.k === "g")) { this.a.storeCopies.set(x, this.a.typeOf(x)); kept = union(kept, rs.filter((r) => r.k !== "g")); continue; }
        kept = union(kept, rs);
        continue;
      }
      const params = paramRoots(rs);
      // A `mut self` receiver cannot be copied by the caller (the method changes it in place): a part of it stored
      // elsewhere (`out.push(self.name)` on `users[0].archive(out)`) is copied at the store instead.
      // A closure's capture stored into memory it does not own (`|out| out.push(text)`): the environment is freed with
      // the closure value (a replaced map entry), so the value is copied too.
      const copy = rs.some((r) => r.k === "g") || (this.closureBody && rs.some((r) => r.k === "p")) || (this.mutSelf && params.some((r) => r.i === -1));
      if (copy) { this.a.storeCopies.set(x, this.a.typeOf(x)); continue; }
      for (const r of params) this.escapes.add(r.i);
      // A parameter stored into another's memory escapes: a caller passing a borrow copies it, so what is changed later
      // through the target is that target's, never the parameter's for its caller (audit11 F4: `self.users.push(u);
      // self.names.push(u.name)` was "changes its parameter `u`").
      kept = union(kept, rs.filter((r) => r.k !== "p"));
    }
    return kept;
  }


  /**
   * Binds a pattern to a value with roots rs. A destructured binding is a part of the value (partOf): a borrow when
   * the value holds one, so changing it is E0303 too. A tuple pattern over a tuple literal binds element by element.
   */
  private bind(p: A.Pattern, rs: Root[], value?: A.Expr): void {
    if (p.kind === "PTuple" && value?.kind === "TupleLit" && value.elems.length === p.elems.length) {
      p.elems.forEach((q, i) => this.bind(q, respan(this.lastRoots.get(value.elems[i]) ?? [], value.elems[i]), value.elems[i]));
      return;
    }
    if (p.kind === "PTuple") { p.elems.forEach((q, i) => this.bind(q, partOf(rs, `.${i}`))); return; }
    if (p.kind === "PVariant") {
      // `Some(u)` over `users.get(1)` is `users[1]`; a field of another variant has no path.
      const some = p.path.length === 1 && p.path[0] === "Some" && p.args.length === 1;
      for (const q of [...p.args, ...(p.named ?? []).map((n) => n.pat)]) this.bind(q, partOf(rs, some ? "" : null));
      return;
    }
    if (p.kind === "POr") { for (const v of patternLocals(this.a.p, p)) this.set(v, mayHoldHeap(v.type) ? partOf(rs, null) : []); return; }
    for (const v of patternLocals(this.a.p, p)) this.set(v, mayHoldHeap(v.type) ? rs : []);
  }


  /** A `for` pattern over a collection with roots iter: an element of a vec, a `(key, value)` entry of a map. */
  private forBind(p: A.Pattern, iter: Root[], it: A.Expr, loopText: string): void {
    const t = this.a.typeOf(it);
    const g = iter.find((r): r is GRoot => r.k === "g" && r.direct && !r.nopath);
    // `for (i, x) in v.enumerate()`: x is `v[i]`.
    const en = it.kind === "Call" ? this.a.p.calls.get(it) : undefined;
    if (en?.kind === "collection" && en.name === "enumerate" && en.recv && p.kind === "PTuple" && p.elems.length === 2 && p.elems[0].kind === "PBind") {
      const i = p.elems[0].name, recv = respan(this.lastRoots.get(en.recv) ?? [], it, { name: this.a.text(p.span), mutable: false });
      this.bind(p.elems[0], []);
      this.bind(p.elems[1], partOf(recv, `[${i}]`));
      return;
    }
    if (t.k === "vec" && g) {
      // The fix's index must not hide a name the loop already uses.
      const i = ["i", "j", "k", "idx"].find((n) => !new RegExp(`\\b${n}\\b`).test(loopText)) ?? "index";
      this.bind(p, partOf(iter, `[${i}]`).map((r) => (r.k === "g" && r.direct && !r.nopath ? { ...r, loop: g.place, index: i } : r)));
      return;
    }
    if (t.k === "map" && p.kind === "PTuple" && p.elems.length === 2) {
      const key = p.elems[0].kind === "PBind" ? `[${p.elems[0].name}]` : null;
      this.bind(p.elems[0], partOf(iter, null));
      if (key || !g) { this.bind(p.elems[1], partOf(iter, key)); return; }
      // `for (_, s) in subs`: the fix loops over the keys (tester round 13: a copy would lose the change).
      const k = ["k", "key", "name", "id"].find((n) => !new RegExp(`\\b${n}\\b`).test(loopText)) ?? "key";
      this.bind(p.elems[1], partOf(iter, `[${k}]`).map((r) => (r.k === "g" && r.direct && !r.nopath ? { ...r, loop: g.place, keys: true, index: k } : r)));
      return;
    }
    this.bind(p, partOf(iter, null));
  }

  private set(v: LocalVar, rs: Root[]): void {
    this.scope.add(v.id);
    if (rs.length) this.st.vars.set(v.id, rs); else this.st.vars.delete(v.id);
    this.st.stale.delete(v.id);
  }

  // ---------- expressions: the roots of their values ----------
  /** Values already computed in the expression being evaluated, held in temporaries until it completes. */
  private held: { roots: Root[]; span: A.Span }[] = [];

  /** The roots of each expression as last walked (the containers of assignments and destructured tuple literals). */
  private lastRoots = new Map<A.Expr, Root[]>();

  expr(e: A.Expr): Root[] {
    const mark = this.held.length;
    const rs = this.expr1(e);
    this.lastRoots.set(e, rs);
    this.held.length = Math.min(mark, this.held.length);
    // Every root kind: a parameter, `self` or a capture held across an await is kept across it (red team round 2:
    // `return u + await slow()` read a freed argument), as a global's borrow is E0301.
    if (rs.length) this.held.push({ roots: rs, span: e.span });
    return rs;
  }

  /** A part of a literal: a borrow in it that holds no collection (a string) cannot be changed through (`frozen`). */
  private part(x: A.Expr): Root[] {
    const rs = this.expr(x);
    return containsCollection(this.a.typeOf(x)) ? rs : rs.map((r) => (r.k === "g" ? { ...r, frozen: true } : r));
  }

  /** Drops the temporaries of a sub-expression whose value has been consumed (a condition, a bound subject). */
  private consumed(mark: number): void { this.held.length = Math.min(mark, this.held.length); }

  private expr1(e: A.Expr): Root[] {
    const heap = () => mayHoldHeap(this.a.typeOf(e));
    switch (e.kind) {
      case "IntLit": case "FloatLit": case "BoolLit": case "NoneLit": return [];
      case "StrLit": for (const x of e.parts) if (x.kind === "interp") this.expr(x.expr); return [];
      case "Ident": case "Field": {
        const ref = this.a.p.refs.get(e);
        const plain = e.kind === "Field" && !ref && !heap() ? byValueLocal(this.a, e.target) : null;
        if (plain) { this.use(plain, e, true); return []; }
        if (ref?.kind === "local") { this.use(ref.v, e); return heap() ? this.st.vars.get(ref.v.id) ?? [] : []; }
        if (ref?.kind === "global") return heap() && !this.a.stable(ref.g) ? [{ k: "g", global: ref.g.name, span: e.span, place: this.a.text(e.span), direct: true }] : [];
        if (ref || e.kind === "Ident") return [];
        const t = this.expr(e.target);
        return heap() ? partOf(t, `.${e.name}`) : [];
      }
      case "TupleIndex": {
        const plain = !heap() ? byValueLocal(this.a, e.target) : null;
        if (plain) { this.use(plain, e, true); return []; }
        const t = this.expr(e.target); return heap() ? partOf(t, `.${e.index}`) : []; }
      case "Unwrap": case "Try": {
        const t = this.expr(e.operand);
        return heap() ? t : [];
      }
      case "Index": {
        const t = this.expr(e.target);
        this.expr(e.index);
        // Indexing a fresh container of borrowed values gives one of them: its place is the one it was read from.
        return heap() ? partOf(t, `[${this.a.text(e.index.span)}]`) : [];
      }
      case "Cast": this.expr(e.operand); return [];
      case "Unary": this.expr(e.operand); return [];
      case "Binary": {
        const mark = this.held.length;
        const l = this.expr(e.left);
        // `a ?? b` evaluates b only when a is none: a's value is not held while b awaits.
        if (e.op === "??") this.consumed(mark);
        const r = this.expr(e.right);
        // `m.get(k) ?? d` reads `m[k]` only where `m.has(k)`.
        return e.op === "??" ? union(l.map((x) => (x.k === "g" ? { ...x, guarded: true } : x)), r) : [];
      }
      case "Call": return this.call(e, heap());
      case "StructLit": return indirect(e.fields.reduce((acc, f) => union(acc, this.part(f.value)), [] as Root[]));
      case "TupleLit": case "VecLit": return indirect(e.elems.reduce((acc, x) => union(acc, this.part(x)), [] as Root[]));
      case "MapLit": return this.a.p.braceStructs.has(e) ? this.expr(this.a.p.braceStructs.get(e)!) : indirect(e.entries.reduce((acc, x) => union(union(acc, this.expr(x.key)), this.expr(x.value)), [] as Root[]));
      case "Range": this.expr(e.lo); this.expr(e.hi); return [];
      case "If": {
        const mark = this.held.length;
        this.expr(e.cond);
        this.consumed(mark);
        return this.branches([() => this.block(e.then), () => (e.else_ ? this.body(e.else_) : [])]);
      }
      case "IfLet": {
        const mark = this.held.length;
        const v = respan(this.expr(e.value), e.value);
        this.consumed(mark);
        return this.branches([() => { this.bind(e.pattern, v); return this.block(e.then); }, () => (e.else_ ? this.body(e.else_) : [])]);
      }
      case "Match": {
        const mark = this.held.length;
        const v = respan(this.expr(e.subject), e.subject);
        this.consumed(mark);
        return this.branches(e.arms.map((arm) => () => {
          this.bind(arm.pattern, v);
          if (arm.guard) this.expr(arm.guard);
          return this.body(arm.body);
        }));
      }
      case "BlockExpr": return this.block(e.block);
      case "RegionExpr": this.block(e.block); return []; // the block's value is copied out
      case "Closure": return closureRoots(this, e);
      case "Await": {
        // The operand's own temporaries (its arguments, its result) are consumed by the call before the task
        // suspends: the awaited result is made when the callee completes, after the suspension.
        const mark = this.held.length;
        const r = this.expr(e.operand);
        this.consumed(mark);
        this.suspend(e.span);
        // A task's result is copied into the awaiting task's region (check/tasks.ts).
        const tk = this.a.p.tasks;
        return tk.awaitTask.has(e) || tk.allVec.has(e) || tk.race.has(e) || tk.awaitResult.has(e) ? [] : r;
      }
      case "Spawn": {
        // Spawn copies its arguments into the new task's region: nothing borrowed crosses, and what the task changes
        // in a collection passed from a global is changed in the copy: lost, the E0303 of an async call's copy.
        if (e.call.kind !== "Call") return [];
        const c = e.call, t = this.a.p.calls.get(c), why = "`spawn` copies its arguments into the new task";
        const recv = t?.kind === "method" ? this.expr(t.recv) : t?.kind === "closure" ? this.expr(t.callee) : [], as = c.args.map((x) => this.expr(x));
        if (this.check && t?.kind === "method") lostMutation(this.a, t.f, -1, t.recv, recv, why);
        if (this.check && (t?.kind === "fn" || t?.kind === "method")) c.args.forEach((x, i) => lostMutation(this.a, t.f, i, x, as[i], why));
        return [];
      }
    }
  }

  /** Alternative paths from the current state: the state after is their merge, the value the union of theirs. */
  private branches(paths: (() => Root[])[]): Root[] {
    const start = this.st;
    // One path runs: the value another path left in a temporary is not held while this one awaits.
    const mark = this.held.length;
    let out: State | null = null;
    let value: Root[] = [];
    for (const path of paths) {
      this.st = cloneState(start);
      this.held.length = mark;
      value = union(value, path());
      out = out ? merge(out, this.st) : this.st;
    }
    this.held.length = mark;
    this.st = out ?? start;
    return value;
  }

  /** An `await`: every borrow held in a local or a temporary may be freed before the function resumes. */
  private suspend(span: A.Span): void {
    for (const h of this.held) for (const r of h.roots) if (r.k === "p") this.acrossAwait.add(r.i);
    const h = this.held.find((x) => x.roots.some((r) => r.k === "g"));
    const g = h?.roots.find((r): r is GRoot => r.k === "g");
    if (h && g && this.check) {
      this.a.report(`E0301:held:${span.file}:${span.start}`, {
        ...at(M.borrowHeldAcrossAwait(g.global), span),
        label: "the task may wait here",
        labels: [{ message: `read from \`${g.global}\` here, and still needed after the await`, span: h.span }],
      });
    }
    for (const [id, rs] of this.st.vars) if (rs.length && !this.st.stale.has(id)) this.st.stale.set(id, { root: rs[0], roots: rs, await: span });
  }

  /**
   * A read of local v after an await. `plain`: a pointer-free part of it read through struct fields and tuple
   * elements (`u.id`): the local holds the struct by value, so the bytes read are its own, not global memory's
   * (issue 9, fix9: `let u = users[0]; await f(); println(u.id)` was E0301); a part holding a pointer (`u.name`)
   * points into the global and is E0301 as before.
   */
  use(v: LocalVar, e: A.Expr, plain = false): void {
    const s = this.st.stale.get(v.id);
    if (!s) return;
    // Every root it may hold: a parameter's, `self`'s or a capture's is kept across the await (callers copy), a
    // global's is E0301 (the first root alone missed a global's after a branch that could also give a parameter).
    for (const r of s.roots) if (r.k === "p") this.acrossAwait.add(r.i);
    if (plain) return;
    // A capture of an async closure keeps its roots from where the closure was made, but each frame copies the
    // captures it uses after an await when it starts (captureCopies, kept through the capture's root above), and the
    // closure value itself used after an await is E0301 where it is used: only a global read in the body is stale.
    const copied = this.frameCopied.get(v.id) ?? [];
    const g = s.roots.find((r): r is GRoot => r.k === "g" && !copied.some((c) => sameRoot(c, r)));
    if (!g || !this.check) return;
    this.a.report(`E0301:${v.id}:${e.span.file}:${v.span.start}`, {
      ...at(g.removed ? M.removedAfterAwait(v.name, g.global, fixFor(this.a, v, g)) : M.borrowAfterAwait(v.name, g.global, fixFor(this.a, v, g)), e.span),
      labels: [
        { message: g.removed ? `removed from \`${g.global}\` here` : "borrowed here", span: g.span },
        { message: g.removed ? "the turn ends here: the removed value is freed" : `another task may ${replaced(g)} while this one waits`, span: s.await },
      ],
      label: "used here",
    });
  }


  // ---------- calls ----------
  private call(e: Extract<A.Expr, { kind: "Call" }>, heap: boolean): Root[] {
    const target = this.a.p.calls.get(e), mark = this.held.length;
    const args = () => e.args.map((x) => this.expr(x));
    if (!target) { this.expr(e.callee); args(); return []; }
    switch (target.kind) {
      case "fn": case "method": {
        const recv = target.kind === "method" ? this.expr(target.recv) : [];
        const f = target.f;
        const sm = this.a.summary(f);
        if (target.kind === "method" && sm.mutates.has(-1) && containsCollection(this.a.typeOf(target.recv))) this.receiverMutation(target.recv, e, recv);
        const as = args();
        // `self` kept by the method (`out.push(self.name)`): a borrowed receiver is copied at the call, as an argument is.
        if (target.kind === "method" && sm.escapes.has(-1) && f.self?.kind !== "mut") this.escape(target.recv, recv);
        e.args.forEach((x, i) => {
          if (!sm.escapes.has(i)) return;
          this.escape(x, as[i]);
          if (this.check) lostMutation(this.a, f, i, x, as[i], `\`${f.name}\` keeps it`);
        });
        // The callee changes what an argument of the caller's own parameters points into.
        e.args.forEach((x, i) => {
          for (const r of paramRoots(as[i])) {
            // A parameter passed as it is (or a part of one) where the callee changes it, or a container holding one
            // (`[ls]`) where the callee changes what is inside.
            if (r.direct ? sm.mutates.has(i) : sm.mutatesInside.has(i)) this.mutated1(r, e.span);
            if (r.direct ? sm.changesColl.has(i) : sm.mutatesInside.has(i)) this.changesColl.add(r.i);
            if (r.direct && sm.mutatesInside.has(i)) this.mutatesInside.add(r.i);
          }
        });
        if (f.decl.async) this.asyncArgs(f, target.kind === "method" ? [target.recv, ...e.args] : e.args, target.kind === "method" ? [recv, ...as] : as, target.kind === "method");
        if (this.check) e.args.forEach((x, i) => argMutation(this.a, f, i, x, as[i], e));
        if (this.record && f.decl.body && !f.decl.extern) this.site(e, f, mark, target.kind === "method" ? [recv, ...as] : as, target.kind === "method");
        if (!heap) return [];
        let out: Root[] = f.decl.extern ? externResult(f, as, this.a.typeOf(e)) : [];
        for (const r of sm.ret) {
          // The callee's path names its own locals (`names[id]`): the caller is told the global.
          if (r.k === "g") out = union(out, [{ ...r, span: e.span, place: r.global, nopath: true }]);
          else {
            const from = r.i === -1 ? recv : as[r.i] ?? [];
            out = union(out, r.direct ? from : indirect(from));
          }
        }
        return out;
      }
      case "traitMethod": {
        const recv = target.recv ? this.expr(target.recv) : []; // `T.zero()`: no receiver
        const as = args();
        // The impl is chosen per instance: its parameters may escape, and its receiver where one impl keeps it.
        e.args.forEach((x, i) => this.escape(x, as[i]));
        if (target.trait.impls.some((impl) => { const m = impl.methods.get(target.name); return !!m && m.self?.kind !== "mut" && this.a.summary(m).escapes.has(-1); }) && target.recv) this.escape(target.recv, recv);
        // An async trait method: what any impl keeps across an await is copied by the caller, as for a method.
        for (const impl of target.trait.impls) {
          const m = impl.methods.get(target.name);
          if (m?.decl.async) this.asyncArgs(m, target.recv ? [target.recv, ...e.args] : e.args, target.recv ? [recv, ...as] : as, !!target.recv);
        }
        if (!heap) return [];
        // What any impl of the method may return from global state is a borrow (`r.find(1)` returning `users[id]`).
        let out = as.reduce((acc, x) => union(acc, indirect(x)), recv);
        for (const impl of target.trait.impls) {
          const m = impl.methods.get(target.name);
          for (const r of m ? this.a.summary(m).ret : []) if (r.k === "g") out = union(out, [{ ...r, span: e.span, place: r.global, nopath: true }]);
        }
        return out;
      }
      case "variant": return indirect(args().reduce((acc, x) => union(acc, x), [] as Root[]));
      case "closure": {
        this.expr(target.callee);
        const as = args();
        const ft = this.a.typeOf(target.callee);
        // An async function value's body is unknown: a borrowed argument is copied before the call.
        // A parameter, `self` or capture passed on to it is kept across an await (its callers copy it; red team round 2).
        // A borrowed argument is copied below; where a function or closure of this type changes that parameter, the
        // change would be lost: E0303, as for a named callee (audit11 F2).
        if (this.check && ft.k === "fn") e.args.forEach((x, i) => {
          if (!as[i].some((r) => r.k === "g" && r.direct) || !ft.params[i] || !containsCollection(ft.params[i])) return;
          const c = valueCalleeChanging(this, target.callee, ft, i);
          if (c) lostThroughValue(this.a, c, x, as[i]);
        });
        if (ft.k === "fn" && ft.async) {
          e.args.forEach((x, i) => {
            if (as[i].some((r) => r.k === "g")) this.a.copies.set(x, this.a.typeOf(x));
            for (const r of as[i]) if (r.k === "p") this.acrossAwait.add(r.i);
          });
          return [];
        }
        // It may also keep an argument (push it into a vec it captured): a borrowed one is copied first.
        e.args.forEach((x, i) => this.escape(x, as[i]));
        // The body behind a function value is unknown: its result may be (part of) any argument. What it reads
        // from global state itself is copied at its return (closure bodies above, named functions' wrappers).
        return heap ? as.reduce((acc, x) => union(acc, x), [] as Root[]) : [];
      }
      case "collection": {
        const mark = this.held.length;
        const recv = target.recv ? this.expr(target.recv) : [];
        // A global collection named directly is read after the arguments (emit/collections.ts), so it is not held.
        if (target.recv && this.a.p.refs.get(target.recv)?.kind === "global") this.consumed(mark);
        const as = args();
        if (target.recv) closureArgsChanging(this, this.a.typeOf(target.recv), recv, e.args);
        if (target.recv && MUTATORS.has(target.name)) {
          this.receiverMutation(target.recv, e, recv);
          // A borrowed value pushed or set into a local collection: the local now holds it.
          const base = baseOf(target.recv);
          const ref = base ? this.a.p.refs.get(base) : undefined;
          if (ref?.kind === "local") {
            const stored = this.storeInto(ref.v, e.args.map((x, i) => [x, respan(as[i], x)] as [A.Expr, Root[]]));
            if (stored.length) this.set(ref.v, union(this.st.vars.get(ref.v.id) ?? [], indirect(stored)));
          }
        }
        if (!heap) return [];
        if (ELEMENTS.has(target.name)) {
          return elementRoots(this.a, recv, e, target.recv!, target.name);
        }
        // A fresh container of the receiver's elements: they have no path of their own (`users.values()[0]` is no `users[0]`).
        // When the elements hold no pointers (`keys()` of a `Map<int, User>`), the fresh container is no borrow (audit11 F8).
        if (CONTAINERS.has(target.name)) {
          const rt = this.a.typeOf(e);
          if (rt.k === "vec" && !mayHoldHeap(rt.elem)) return [];
          return indirect(recv).map((r) => (r.k === "g" ? { ...r, nopath: true } : r));
        }
        // The result may hold the receiver's elements and what the arguments (a seed, a closure's captures, another vec) point into.
        if (target.name === "fold" || target.name === "reduce") return as.reduce((acc, x) => union(acc, x), recv);
        if (target.name === "zip") return indirect(union(recv, as[0] ?? []));
        // `map`'s closure may return (part of) an element, or what it captured: the fresh vec holds those values
        // (unless they have no pointers). `join` makes a fresh string.
        if (target.name === "map") {
          const rt = this.a.typeOf(e);
          if (!mayHoldHeap(rt.k === "vec" ? rt.elem : rt)) return [];
          const f = e.args[0];
          // A closure written here: what its body returns when its parameter is an element of the receiver.
          if (f?.kind === "Closure") return indirect(closureResult(this, f, [direct(recv)]));
          return indirect(as.reduce((acc, x) => union(acc, x), recv));
        }
        return target.name === "join" ? [] : indirect(recv);
      }
      case "strMethod": {
        const recv = this.expr(target.recv);
        args();
        return heap && STR_VIEWS.has(target.name) ? recv : [];
      }
      case "builder": {
        if (target.recv) { const recv = this.expr(target.recv); if (target.name === "append" || target.name === "clear") this.receiverMutation(target.recv, e, recv); }
        args();
        return [];
      }
      case "fmtMethod": {
        // padStart/padEnd return the receiver itself when it is long enough.
        const recv = this.expr(target.recv);
        args();
        return heap && target.name.startsWith("pad") ? recv : [];
      }
      case "clone": this.expr(target.recv); return [];
      case "helper": {
        // unwrap, unwrapOr, map, ...: the payload itself, a default, or what a closure's captures point into.
        const recv = this.expr(target.recv);
        const as = args();
        closureArgsChanging(this, this.a.typeOf(target.recv), recv, e.args);
        // `unwrap`/`expect` give the payload itself; `unwrapOr` a default where it is missing; `map` and the others a new value.
        // An optional's `map`/`andThen` with a closure written here: what its body returns given the payload
        // (`users.get(id).map(|u| "<{u.name}>")` is a fresh string, as a Vec's `map` of the same closure).
        const f = e.args[0];
        if (heap && target.on === "optional" && (target.name === "map" || target.name === "andThen") && f?.kind === "Closure") return closureResult(this, f, [recv]);
        const keep = target.name === "unwrap" || target.name === "expect", guard = target.name.startsWith("unwrapOr");
        const own = recv.map((r) => (r.k !== "g" || keep ? r : guard ? { ...r, guarded: true } : { ...r, nopath: true }));
        return heap ? as.reduce((acc, x) => union(acc, x), own) : [];
      }
      case "task": this.expr(target.recv); args(); return [];
      case "math": case "builtin": args(); return [];
    }
  }

  /**
   * A direct call of a program's function, about to run (its arguments evaluated): what it needs to be made where no
   * borrow of this body is live (the test of a loop's back-edge: locals in scope, the enclosing expression's
   * temporaries, enclosing `for` loops), and what each argument needs to be no borrow. Joined over every walk of it.
   */
  private site(e: A.Expr, callee: FnInfo, mark: number, as: Root[][], method: boolean): void {
    const old = this.a.sites.get(e);
    const at = this.need([...this.held.slice(0, mark).map((h) => h.roots), ...this.iterating, ...[...this.scope].map((id) => this.st.vars.get(id) ?? [])], ...(old ? [old.at] : []));
    const args = new Map(as.map((rs, i) => [method ? i - 1 : i, this.need([rs], ...(old?.args.has(method ? i - 1 : i) ? [old.args.get(method ? i - 1 : i)!] : []))]));
    this.a.sites.set(e, { caller: this.record!, callee, at, args });
  }

  /** An argument passed where it may escape (Summary): a borrow of a global is copied at the call; a parameter of
   *  the function being summarised escapes too (in a closure body, whose callers are unknown, it is copied). */
  private escape(x: A.Expr, rs: Root[]): void {
    const params = paramRoots(rs);
    if (rs.some((r) => r.k === "g") || (this.closureBody && params.length)) { this.a.copies.set(x, this.a.typeOf(x)); return; }
    for (const r of params) this.escapes.add(r.i);
  }

  /** Arguments of an async call that are borrows, where the callee uses that parameter after one of its awaits: copied first. */
  private asyncArgs(f: FnInfo, es: A.Expr[], roots: Root[][], method: boolean): void {
    const across = this.a.summary(f).acrossAwait;
    es.forEach((x, i) => {
      const pi = method ? i - 1 : i;
      if (!across.has(pi)) return;
      if (roots[i].some((r) => r.k === "g")) {
        this.a.copies.set(x, this.a.typeOf(x));
        if (this.check) lostMutation(this.a, f, pi, x, roots[i], `\`${f.name}\` uses it after an \`await\``);
      }
      // A parameter passed on to such a call is itself used across an await.
      for (const r of roots[i]) if (r.k === "p") this.acrossAwait.add(r.i);
    });
  }

  private receiverMutation(recv: A.Expr, e: A.Expr, rs: Root[]): void {
    const base = baseOf(recv);
    const ref = base ? this.a.p.refs.get(base) : undefined;
    if (ref?.kind !== "local") return;
    // A collection's own mutator, or a method that changes a collection reachable from `self`; a `mut self` method
    // that only writes fields of `self` changes the local's copy of the struct, as `u.name = n` does (tester round
    // 7: `u.rename(n)` on a borrowed struct local with a Vec field was E0303).
    const t = e.kind === "Call" ? this.a.p.calls.get(e) : undefined;
    const coll = t?.kind !== "method" || this.a.summary(t.f).changesColl.has(-1);
    this.mutated(ref.v, coll ? rs : null, e.span);
    // A method that changes a collection inside `self` changes inside the parameter the receiver points into.
    if (t?.kind === "method" && this.a.summary(t.f).mutatesInside.has(-1)) for (const r of paramRoots(rs)) if (r.direct) this.mutatesInside.add(r.i);
    if (this.check && coll) mutationThroughBorrow(this.a, ref.v, recv, rs, e.span, recv);
  }

  /**
   * A collection is changed (rs: its roots; null for a local's own field): when it is a parameter's, the function
   * mutates that parameter. `self` of a `mut self` method always (the caller's place), another parameter only inside
   * a collection (a struct parameter's own fields are the callee's copy).
   */
  private mutated(v: LocalVar, rs: Root[] | null, at: A.Span): void {
    if (rs === null) { for (const r of paramRoots(this.st.vars.get(v.id) ?? [])) if (r.direct && r.i === -1) this.mutated1(r, at); return; }
    for (const r of paramRoots(rs)) if (r.direct && this.changeable(r.i)) { this.mutated1(r, at); this.changesColl.add(r.i); }
  }

  private mutated1(r: PRoot, at: A.Span): void {
    if (!this.changeable(r.i)) return;
    this.mutates.add(r.i);
    if (!this.changedAt.has(r.i)) this.changedAt.set(r.i, at);
    if (r.inner) this.mutatesInside.add(r.i);
  }

}
