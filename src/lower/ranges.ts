// Range analysis of `for` loops: which integer checks (overflow, division,
// shift amount, vec bounds) inside a loop body cannot fail, and under which
// conditions tested once before the loop. The emitter then writes the body
// twice (versioning): `if (guards) { unchecked body } else { checked body }`,
// or once without checks when no guard is needed. A check that is removed is
// one that is proven never to fire, so a panic stays where it was: when a
// guard fails the checked body runs, and it panics exactly as before.
//
// Facts in, decisions out: the input is the typed AST of one loop (types,
// name resolution and call targets through RangeInput); the output is a
// LoopPlan. Intervals are concrete bigints. Loop-invariant locals and the
// loop's bounds are assumed to lie in [-B, B] (a guard tests that), and B is
// chosen per loop as the largest of a few powers of two that proves the most.

import type * as A from "../syntax/ast.js";
import { walkBlock } from "../syntax/walk.js";
import type { CallTarget, FnInfo, IntName, LocalVar, Type, ValueRef } from "../check/types.js";

export interface RangeInput {
  /** undefined for names that are not values (modules, types). */
  typeOf(e: A.Expr): Type | undefined;
  refs: ReadonlyMap<A.Expr, ValueRef>;
  calls: ReadonlyMap<A.Expr, CallTarget>;
  patLocals: ReadonlyMap<A.Pattern, LocalVar>;
  stmtLocals: ReadonlyMap<A.Stmt, LocalVar>;
}

/** A value tested by a guard: the loop's evaluated bounds, an int64 local, the length of a vec local, or a literal. */
export type Atom =
  | { kind: "lo" } | { kind: "hi" }
  | { kind: "var"; v: LocalVar }
  | { kind: "len"; v: LocalVar }
  | { kind: "lit"; n: bigint };

export type Guard =
  | { kind: "range"; atom: Atom; lo: bigint; hi: bigint } // lo <= atom <= hi (atom is int64)
  | { kind: "le"; atom: Atom; vec: LocalVar; minus: bigint }; // atom <= len(vec) - minus

export interface LoopPlan {
  /** All must hold (tested in this order, before the loop) for the unchecked body to run; empty: always. */
  guards: Guard[];
  /** Binary/Unary nodes whose arithmetic check, Index nodes whose bounds check, and calls that may go to the unchecked copy of their function (see fnChecks). */
  unchecked: Set<A.Expr>;
  /** The assumed magnitude bound of invariant values. */
  bound: bigint;
}

type ForStmt = Extract<A.Stmt, { kind: "For" }>;

interface Interval { lo: bigint; hi: bigint; deps: ReadonlySet<string> }

const NONE: ReadonlySet<string> = new Set();
const BOUNDS = [32n, 31n, 30n, 28n, 24n, 20n, 16n].map((b) => 1n << b);
// Guard offsets stay small so that `len - minus` cannot overflow in C.
const MAX_OFFSET = 1n << 32n;
const MAX_CALLEE = 400; // expression nodes
const ARITH = new Set<A.BinOp>(["+", "-", "*", "/", "%", "<<", ">>"]);
// Vec methods that never change a vec's length (and call no user code).
const KEEPS_LEN = new Set(["len", "isEmpty", "contains", "indexOf", "get", "slice", "reversed", "sort", "join", "has", "keys", "values", "set",
  "sum", "min", "max", "first", "last", "sorted", "dedup", "chunks", "zip", "take", "skip"]);

export function intRange(n: IntName): [bigint, bigint] {
  const bits = BigInt(n.slice(1));
  return n[0] === "i" ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

function union(...ds: ReadonlySet<string>[]): ReadonlySet<string> {
  const nonEmpty = ds.filter((d) => d.size);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? NONE;
  const s = new Set<string>();
  for (const d of nonEmpty) for (const x of d) s.add(x);
  return s;
}

function minMax(xs: bigint[]): [bigint, bigint] {
  let lo = xs[0], hi = xs[0];
  for (const x of xs) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return [lo, hi];
}

/** C's truncating division and remainder on bigints (BigInt's / and % truncate too). */
function divRange(a: Interval, b: Interval): [bigint, bigint] {
  return minMax([a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi]);
}

function isInt(t: Type | undefined): t is Extract<Type, { k: "int" }> { return t?.k === "int"; }

/** The integer checks of a function body that its unchecked copy drops: every checked Binary and Unary minus. */
export function fnChecks(f: FnInfo, input: RangeInput): Set<A.Expr> {
  const out = new Set<A.Expr>();
  if (!f.decl.body) return out;
  walkBlock(f.decl.body, (e) => {
    if (e.kind === "Binary" && ARITH.has(e.op) && isInt(input.typeOf(e))) out.add(e);
    if (e.kind === "Unary" && e.op === "-" && e.operand.kind !== "IntLit" && isInt(input.typeOf(e))) out.add(e);
  });
  return out;
}

/** Whether running `b` may change the length of a vec (directly, through a called function, or code we cannot see). */
export function mayResize(b: A.Block, input: RangeInput, memo = new Map<FnInfo, boolean>()): boolean {
  let found = false;
  const prim = (t: Type | undefined) => t !== undefined && (t.k === "int" || t.k === "float" || t.k === "bool" || t.k === "string");
  const fnResizes = (f: FnInfo): boolean => {
    if (f.decl.extern) return f.params.some((p) => p.type.k !== "int" && p.type.k !== "float" && p.type.k !== "bool" && p.type.k !== "string");
    if (!f.decl.body || f.decl.async) return true;
    const m = memo.get(f);
    if (m !== undefined) return m;
    memo.set(f, true); // recursion: assume the worst
    const r = mayResize(f.decl.body, input, memo);
    memo.set(f, r);
    return r;
  };
  walkBlock(b, (e) => {
    if (found) return;
    if (e.kind === "Await") { found = true; return; }
    if (e.kind === "StrLit") { if (e.parts.some((p) => p.kind === "interp" && !prim(input.typeOf(p.expr)))) found = true; return; }
    if (e.kind !== "Call") return;
    const t = input.calls.get(e);
    if (!t) { found = true; return; }
    switch (t.kind) {
      case "collection":
        if (t.recv && input.typeOf(t.recv)?.k === "vec" && !KEEPS_LEN.has(t.name)) found = true;
        return;
      case "fn": case "method": if (fnResizes(t.f)) found = true; return;
      case "builtin": if (e.args.some((a) => !prim(input.typeOf(a)))) found = true; return;
      case "traitMethod": case "closure": found = true; return;
      // Helpers that call a function value (map, andThen, unwrapOrElse) may run any code.
      case "helper": if (e.args.some((a) => input.typeOf(a)?.k === "fn")) found = true; return;
      default: return;
    }
  });
  return found;
}

/** Whether a loop body may be written twice by the emitter (closures and awaits are emitted once per program point). */
export function duplicable(b: A.Block): boolean {
  let ok = true;
  walkBlock(b, (e) => { if (e.kind === "Closure" || e.kind === "Await" || e.kind === "Spawn") ok = false; });
  return ok;
}

function assignedIn(b: A.Block, input: RangeInput): Set<LocalVar> {
  const out = new Set<LocalVar>();
  const visitStmts = (stmts: A.Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === "Assign") {
        let t = s.target;
        while (t.kind === "Field" || t.kind === "TupleIndex") t = t.target;
        const r = input.refs.get(t);
        if (t.kind === "Ident" && r?.kind === "local") out.add(r.v);
      }
    }
  };
  // Statements can sit inside expressions (if/match/block arms), so collect blocks through walkBlock too.
  const blocks: A.Block[] = [b];
  const addBody = (x: A.Block | A.Expr | null) => { if (x && x.kind === "Block") blocks.push(x); };
  walkBlock(b, (e) => {
    switch (e.kind) {
      case "If": case "IfLet": blocks.push(e.then); addBody(e.else_); return;
      case "Match": for (const a of e.arms) addBody(a.body); return;
      case "BlockExpr": case "RegionExpr": blocks.push(e.block); return;
      case "Closure": addBody(e.body); return;
      default: return;
    }
  });
  const stmtBlocks = (x: A.Block): void => {
    visitStmts(x.stmts);
    for (const s of x.stmts) {
      if (s.kind === "While" || s.kind === "For") stmtBlocks(s.body);
      else if (s.kind === "BlockStmt") stmtBlocks(s.block);
    }
  };
  for (const x of blocks) stmtBlocks(x);
  return out;
}

interface Mode {
  /** Locals declared inside the analysed code (not invariant). */
  inside(v: LocalVar): boolean;
  assigned: Set<LocalVar>;
  /** No vec changes length while the code runs. */
  lenStable: boolean;
  /** The versioned loop (loop mode) or null (a function body analysed for its unchecked copy). */
  loop: ForStmt | null;
}

class Analyzer {
  proven = new Set<A.Expr>();
  cost = 0;
  used = new Set<string>();
  guards = new Map<string, Guard>();
  env = new Map<LocalVar, Interval>();
  /** Loop variables of `for` loops inside the analysed code: their (exclusive/inclusive) upper bound expression. */
  loopHi = new Map<LocalVar, { hi: A.Expr; inclusive: boolean; lo: Interval }>();
  /** The versioned loop's lower bound. */
  private selfLo: Interval | null = null;
  proving = true;

  constructor(private input: RangeInput, readonly B: bigint, readonly mode: Mode, private cloneMemo: Map<FnInfo, Set<A.Expr> | null>) {}

  private top(t: Type | undefined): Interval {
    if (!t || !isInt(t)) return { lo: 0n, hi: 0n, deps: NONE };
    const [lo, hi] = intRange(t.name);
    return { lo, hi, deps: NONE };
  }

  private prove(e: A.Expr, deps: ReadonlySet<string>, cost = 1): void {
    if (!this.proving) return;
    this.proven.add(e);
    this.cost += cost;
    for (const d of deps) this.used.add(d);
  }

  /** The interval of an int64 atom assumed to lie in [-B, B] (a guard tests it). */
  private assumed(atom: Atom, key: string, known: Interval): Interval {
    if (known.lo >= -this.B && known.hi <= this.B) return known;
    const lo = known.lo > -this.B ? known.lo : -this.B, hi = known.hi < this.B ? known.hi : this.B;
    this.guards.set(key, { kind: "range", atom, lo: -this.B, hi: this.B });
    return { lo, hi, deps: union(known.deps, new Set([key])) };
  }

  private invariant(v: LocalVar): boolean {
    return !this.mode.assigned.has(v) && !this.mode.inside(v) && !this.env.has(v);
  }

  private isI64(t: Type | undefined): boolean { return t?.k === "int" && t.name === "i64"; }

  private local(e: A.Expr): LocalVar | null {
    const r = this.input.refs.get(e);
    return e.kind === "Ident" && r?.kind === "local" ? r.v : null;
  }

  private constGlobal(e: A.Expr): bigint | null {
    const r = this.input.refs.get(e);
    if (r?.kind !== "global" || r.g.decl.form !== "const") return null;
    const v = r.g.decl.value;
    if (v.kind === "IntLit") return v.value;
    if (v.kind === "Unary" && v.op === "-" && v.operand.kind === "IntLit") return -v.operand.value;
    return null;
  }

  iv(e: A.Expr): Interval {
    const t = this.input.typeOf(e);
    if (!t) return { lo: 0n, hi: 0n, deps: NONE };
    switch (e.kind) {
      case "IntLit": return isInt(t) ? { lo: e.value, hi: e.value, deps: NONE } : this.top(t);
      case "Ident": case "Field": {
        // A global initialiser may run code that reads a later global while it is still 0.
        const g = this.constGlobal(e);
        if (g !== null && isInt(t)) return { lo: g < 0n ? g : 0n, hi: g > 0n ? g : 0n, deps: NONE };
        if (e.kind === "Field" && !this.input.refs.has(e)) { this.iv(e.target); return this.top(t); } // untyped targets (modules) yield nothing
        const v = this.local(e);
        if (!v || !isInt(t)) return this.top(t);
        const known = this.env.get(v);
        if (known) return known;
        if (this.invariant(v) && this.isI64(t)) return this.assumed({ kind: "var", v }, `range:var:${v.id}`, this.top(t));
        return this.top(t);
      }
      case "Unary": {
        if (e.op === "-" && e.operand.kind === "IntLit") return isInt(t) ? { lo: -e.operand.value, hi: -e.operand.value, deps: NONE } : this.top(t);
        const a = this.iv(e.operand);
        if (!isInt(t) || e.op !== "-") return this.top(t);
        return this.checked(e, t, -a.hi, -a.lo, a.deps);
      }
      case "Binary": return this.binary(e, t);
      case "Cast": {
        const a = this.iv(e.operand);
        const from = this.input.typeOf(e.operand);
        if (!isInt(t) || !isInt(from)) return this.top(t);
        const [lo, hi] = intRange(t.name);
        // Either the value fits or the conversion panics: the result is a ∩ range(t).
        return { lo: a.lo > lo ? a.lo : lo, hi: a.hi < hi ? a.hi : hi, deps: a.deps };
      }
      case "Index": {
        this.iv(e.target);
        const i = this.iv(e.index);
        if (this.input.typeOf(e.target)?.k === "vec") this.index(e, i);
        return this.top(t);
      }
      case "Call": return this.call(e, t);
      default: this.children(e); return this.top(t);
    }
  }

  private children(e: A.Expr): void {
    switch (e.kind) {
      case "StrLit": for (const p of e.parts) if (p.kind === "interp") this.iv(p.expr); return;
      case "TupleIndex": case "Field": this.iv(e.target); return;
      case "Unwrap": case "Try": case "Await": this.iv(e.operand); return;
      case "Spawn": this.iv(e.call); return;
      case "StructLit": for (const f of e.fields) this.iv(f.value); return;
      case "TupleLit": case "VecLit": for (const x of e.elems) this.iv(x); return;
      case "MapLit": for (const x of e.entries) { this.iv(x.key); this.iv(x.value); } return;
      case "Range": this.iv(e.lo); this.iv(e.hi); return;
      case "If": this.iv(e.cond); this.block(e.then); this.body(e.else_); return;
      case "IfLet": this.iv(e.value); this.block(e.then); this.body(e.else_); return;
      case "Match": this.iv(e.subject); for (const a of e.arms) { if (a.guard) this.iv(a.guard); this.body(a.body); } return;
      case "BlockExpr": case "RegionExpr": this.block(e.block); return;
      default: return; // closures run elsewhere: their bodies are not part of this code
    }
  }

  private body(b: A.Block | A.Expr | null): void {
    if (!b) return;
    if (b.kind === "Block") this.block(b); else this.iv(b);
  }

  /** An int result in [lo, hi] of a checked operation: proven when it fits the type; either way the value lies in the type's range. */
  private checked(e: A.Expr, t: Extract<Type, { k: "int" }>, lo: bigint, hi: bigint, deps: ReadonlySet<string>, ok = true): Interval {
    const [tlo, thi] = intRange(t.name);
    if (ok && lo >= tlo && hi <= thi) { this.prove(e, deps); return { lo, hi, deps }; }
    return { lo: tlo, hi: thi, deps: NONE };
  }

  private binary(e: Extract<A.Expr, { kind: "Binary" }>, t: Type): Interval {
    const a = this.iv(e.left), b = this.iv(e.right);
    if (!isInt(t) || !ARITH.has(e.op) && e.op !== "&") return this.top(t);
    const deps = union(a.deps, b.deps);
    switch (e.op) {
      case "+": return this.checked(e, t, a.lo + b.lo, a.hi + b.hi, deps);
      case "-": return this.checked(e, t, a.lo - b.hi, a.hi - b.lo, deps);
      case "*": { const [lo, hi] = minMax([a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]); return this.checked(e, t, lo, hi, deps); }
      case "/": case "%": {
        const [tlo] = intRange(t.name);
        // No zero divisor, and not MIN / -1.
        const ok = (b.lo > 0n || b.hi < 0n) && !(a.lo <= tlo && b.lo <= -1n && b.hi >= -1n);
        if (!ok) return this.checked(e, t, 0n, 0n, NONE, false);
        if (e.op === "/") { const [lo, hi] = divRange(a, b); return this.checked(e, t, lo, hi, deps); }
        const m = (b.lo < 0n ? -b.lo : b.lo) > (b.hi < 0n ? -b.hi : b.hi) ? (b.lo < 0n ? -b.lo : b.lo) : (b.hi < 0n ? -b.hi : b.hi);
        const lo = a.lo >= 0n ? 0n : -(m - 1n) > a.lo ? -(m - 1n) : a.lo;
        const hi = a.hi <= 0n ? 0n : m - 1n < a.hi ? m - 1n : a.hi;
        return this.checked(e, t, lo, hi, deps);
      }
      case "<<": case ">>": {
        const bits = BigInt(t.name.slice(1));
        if (b.lo < 0n || b.hi >= bits) return this.checked(e, t, 0n, 0n, NONE, false);
        if (e.op === ">>") { const [lo, hi] = minMax([a.lo >> b.lo, a.lo >> b.hi, a.hi >> b.lo, a.hi >> b.hi]); return this.checked(e, t, lo, hi, deps); }
        this.prove(e, deps); // the amount is in range; shl itself does not check overflow
        const [tlo, thi] = intRange(t.name);
        if (a.lo >= 0n && (a.hi << b.hi) <= thi) return { lo: a.lo << b.lo, hi: a.hi << b.hi, deps };
        return { lo: tlo, hi: thi, deps: NONE };
      }
      case "&": {
        if (a.lo >= 0n || b.lo >= 0n) {
          const hi = a.lo >= 0n && b.lo >= 0n ? (a.hi < b.hi ? a.hi : b.hi) : a.lo >= 0n ? a.hi : b.hi;
          return { lo: 0n, hi, deps: a.lo >= 0n && b.lo >= 0n ? deps : a.lo >= 0n ? a.deps : b.deps };
        }
        return this.top(t);
      }
      default: return this.top(t);
    }
  }

  private call(e: Extract<A.Expr, { kind: "Call" }>, t: Type): Interval {
    const target = this.input.calls.get(e);
    this.iv(e.callee.kind === "Field" ? e.callee.target : e.callee);
    const args = e.args.map((a) => this.iv(a));
    if (target?.kind === "collection" && target.name === "len" && isInt(t)) return { lo: 0n, hi: intRange(t.name)[1], deps: NONE };
    if (target?.kind === "fn" && this.mode.loop) this.cloneCall(e, target.f, args);
    return this.top(t);
  }

  /** A call whose arguments make every check of the callee impossible to fail goes to the callee's unchecked copy. */
  private cloneCall(e: A.Expr, f: FnInfo, args: Interval[]): void {
    if (f.typeParams.length || f.decl.async || f.decl.extern || !f.decl.body || f.self) return;
    let checks = this.cloneMemo.get(f);
    if (checks === undefined) {
      let size = 0;
      walkBlock(f.decl.body, () => { size++; });
      // Each call re-analyses the callee with its arguments' intervals: only small callees.
      checks = size <= MAX_CALLEE && duplicable(f.decl.body) ? fnChecks(f, this.input) : null;
      if (checks && checks.size === 0) checks = null;
      this.cloneMemo.set(f, checks);
    }
    if (!checks) return;
    const body = f.decl.body;
    const inner = new Analyzer(this.input, this.B, { inside: () => true, assigned: assignedIn(body, this.input), lenStable: false, loop: null }, this.cloneMemo);
    f.params.forEach((p, i) => { if (isInt(p.type) && !inner.mode.assigned.has(p.local)) inner.env.set(p.local, args[i]); });
    inner.block(body);
    for (const c of checks) if (!inner.proven.has(c)) return;
    this.prove(e, union(...f.params.map((p, i) => inner.env.has(p.local) ? args[i].deps : NONE)), checks.size);
  }

  /** `v[x + c]` with v not resized: in range when x + c >= 0 (interval) and x's upper bound + c < len(v) (a guard, or trivially). */
  private index(e: Extract<A.Expr, { kind: "Index" }>, i: Interval): void {
    const mode = this.mode;
    const v = this.local(e.target);
    if (!mode.lenStable || !v || !this.invariant(v)) return;
    const lin = this.linear(e.index);
    if (!lin || !this.isI64(this.input.typeOf(e.index))) return;
    const x = this.local(lin.atom);
    if (!x || !this.isI64(x.type)) return;
    let atom: Atom, minus: bigint;
    const loop = mode.loop;
    const loopVar = loop && loop.pattern.kind === "PBind" ? this.input.patLocals.get(loop.pattern) : undefined;
    const bound = x === loopVar && loop?.iter.kind === "Range" && this.selfLo ? { hi: loop.iter.hi, inclusive: loop.iter.inclusive, lo: this.selfLo, self: true } : this.loopHi.has(x) ? { ...this.loopHi.get(x)!, self: false } : null;
    // The lower bound of a loop variable comes from the loop's start alone (not from guards on its end).
    if (bound) i = { lo: bound.lo.lo + lin.c, hi: i.hi, deps: bound.lo.deps };
    if (i.lo < 0n) return;
    if (bound) {
      // x <= H - 1 (+1 when inclusive), H = a + ch: need a <= len(v) - (ch + c + incl).
      const st = this.stable(bound.hi);
      const incl = bound.inclusive ? 1n : 0n;
      if (st) { atom = st.atom; minus = st.c + lin.c + incl; }
      else if (bound.self) { atom = { kind: "hi" }; minus = lin.c + incl; }
      else return;
    } else if (this.invariant(x)) {
      atom = { kind: "var", v: x }; minus = lin.c + 1n;
    } else return;
    if (minus > MAX_OFFSET || minus < -MAX_OFFSET) return;
    if (atom.kind === "len" && atom.v === v) { if (minus <= 0n) this.prove(e, i.deps); return; }
    if (atom.kind === "lit" && minus <= 0n && atom.n <= 0n) { this.prove(e, i.deps); return; }
    const key = `le:${atomKey(atom)}:${v.id}:${minus}`;
    this.guards.set(key, { kind: "le", atom, vec: v, minus });
    this.prove(e, union(i.deps, new Set([key])));
  }

  /** e as atom + c, c a literal (|c| small). */
  private linear(e: A.Expr): { atom: A.Expr; c: bigint } | null {
    if (e.kind === "Binary" && (e.op === "+" || e.op === "-") && e.right.kind === "IntLit") {
      const l = this.linear(e.left);
      return l && { atom: l.atom, c: e.op === "+" ? l.c + e.right.value : l.c - e.right.value };
    }
    if (e.kind === "Binary" && e.op === "+" && e.left.kind === "IntLit") {
      const r = this.linear(e.right);
      return r && { atom: r.atom, c: r.c + e.left.value };
    }
    return e.kind === "Ident" ? { atom: e, c: 0n } : null;
  }

  /** An expression with the same value whenever it runs inside the loop: atom + c. */
  private stable(e: A.Expr): { atom: Atom; c: bigint } | null {
    if (e.kind === "IntLit") return { atom: { kind: "lit", n: e.value }, c: 0n };
    if (e.kind === "Binary" && (e.op === "+" || e.op === "-") && e.right.kind === "IntLit") {
      const l = this.stable(e.left);
      return l && { atom: l.atom, c: e.op === "+" ? l.c + e.right.value : l.c - e.right.value };
    }
    const v = this.local(e);
    if (v && this.invariant(v) && this.isI64(v.type)) return { atom: { kind: "var", v }, c: 0n };
    if (e.kind === "Call" && e.callee.kind === "Field" && e.args.length === 0 && this.mode.lenStable) {
      const t = this.input.calls.get(e);
      const w = this.local(e.callee.target);
      if (t?.kind === "collection" && t.name === "len" && w && this.invariant(w) && w.type.k === "vec") return { atom: { kind: "len", v: w }, c: 0n };
    }
    return null;
  }

  block(b: A.Block): void {
    for (const s of b.stmts) this.stmt(s);
  }

  private bindLet(local: LocalVar | undefined, v: Interval | null): void {
    if (local && v && isInt(local.type) && !this.mode.assigned.has(local)) this.env.set(local, v);
  }

  private stmt(s: A.Stmt): void {
    switch (s.kind) {
      case "Let": {
        const v = s.value ? this.iv(s.value) : null;
        this.bindLet(s.pattern.kind === "PBind" ? this.input.patLocals.get(s.pattern) : undefined, v);
        return;
      }
      case "ConstStmt": this.bindLet(this.input.stmtLocals.get(s), this.iv(s.value)); return;
      case "Assign": this.iv(s.target); this.iv(s.value); return;
      case "ExprStmt": this.iv(s.expr); return;
      case "While": this.iv(s.cond); this.block(s.body); return;
      case "For": {
        if (s.iter.kind !== "Range") { this.iv(s.iter); this.block(s.body); return; }
        const lo = this.iv(s.iter.lo), hi = this.iv(s.iter.hi);
        const local = s.pattern.kind === "PBind" ? this.input.patLocals.get(s.pattern) : undefined;
        if (local && isInt(local.type)) {
          const top = s.iter.inclusive ? hi.hi : hi.hi - 1n;
          // An empty range never runs the body: any interval is sound then.
          this.env.set(local, { lo: lo.lo, hi: top < lo.lo ? lo.lo : top, deps: union(lo.deps, hi.deps) });
          this.loopHi.set(local, { hi: s.iter.hi, inclusive: s.iter.inclusive, lo });
        }
        this.block(s.body);
        return;
      }
      case "Return": if (s.value) this.iv(s.value); return;
      case "BlockStmt": this.block(s.block); return;
      case "Break": case "Continue": return;
    }
  }

  /** The versioned loop: its bounds are evaluated once (outside, checked), then the variable ranges over them. */
  loopBody(s: ForStmt): void {
    if (s.iter.kind !== "Range") return;
    this.proving = false;
    const lo0 = this.iv(s.iter.lo), hi0 = this.iv(s.iter.hi);
    this.proving = true;
    const i64 = this.isI64(this.input.typeOf(s.iter));
    // The bounds' own deps (guards on invariant locals) hold for the evaluated bounds too.
    const lo = i64 ? this.assumed({ kind: "lo" }, "range:lo", lo0) : lo0;
    const hi = i64 ? this.assumed({ kind: "hi" }, "range:hi", hi0) : hi0;
    this.selfLo = lo;
    const local = s.pattern.kind === "PBind" ? this.input.patLocals.get(s.pattern) : undefined;
    if (local && isInt(local.type)) {
      const top = s.iter.inclusive ? hi.hi : hi.hi - 1n;
      this.env.set(local, { lo: lo.lo, hi: top < lo.lo ? lo.lo : top, deps: union(lo.deps, hi.deps) });
    }
    this.block(s.body);
  }
}

function atomKey(a: Atom): string {
  switch (a.kind) {
    case "lo": case "hi": return a.kind;
    case "var": return `var${a.v.id}`;
    case "len": return `len${a.v.id}`;
    case "lit": return `lit${a.n}`;
  }
}

/**
 * What can be dropped inside a `for` loop over a range, and the guards that
 * make it so. null: nothing to gain. The body must be duplicable when guards
 * are non-empty (the caller decides whether to version; see duplicable()).
 */
export function planLoop(s: ForStmt, input: RangeInput): LoopPlan | null {
  if (s.iter.kind !== "Range") return null;
  const body = s.body;
  const assigned = assignedIn(body, input);
  const lenStable = !mayResize(body, input);
  const { start, end, file } = body.span;
  const inside = (v: LocalVar) => v.span.file === file && v.span.start >= start && v.span.start < end;
  const cloneMemo = new Map<FnInfo, Set<A.Expr> | null>();
  let best: Analyzer | null = null;
  for (const B of BOUNDS) {
    const an = new Analyzer(input, B, { inside, assigned, lenStable, loop: s }, cloneMemo);
    an.loopBody(s);
    if (!best || an.cost > best.cost) best = an;
  }
  if (!best || best.cost === 0) return null;
  // Of `a <= len(v) - m` for the same a and v, the largest m implies the others.
  const strongest = new Map<string, Guard>();
  for (const k of [...best.used].sort()) {
    const g = best.guards.get(k)!;
    const key = g.kind === "le" ? `le:${atomKey(g.atom)}:${g.vec.id}` : k;
    const prev = strongest.get(key);
    if (!prev || (prev.kind === "le" && g.kind === "le" && g.minus > prev.minus)) strongest.set(key, g);
  }
  const guards = [...strongest.values()];
  // Ranges first (cheap), then lengths.
  guards.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "range" ? -1 : 1));
  if (guards.length && !duplicable(body)) return null;
  return { guards, unchecked: best.proven, bound: best.B };
}

/** The guards of a plan as one C condition; `name` gives the C expression of an atom. */
export function guardsC(guards: Guard[], name: (a: Atom) => string): string {
  const lit = (n: bigint) => `INT64_C(${n})`;
  return guards.map((g) => {
    const a = name(g.atom);
    if (g.kind === "range") return `${a} >= ${lit(g.lo)} && ${a} <= ${lit(g.hi)}`;
    const len = `${name({ kind: "len", v: g.vec })}`;
    return g.minus === 0n ? `${a} <= ${len}` : g.minus > 0n ? `${a} <= ${len} - ${lit(g.minus)}` : `${a} <= ${len} + ${lit(-g.minus)}`;
  }).join(" && ");
}
