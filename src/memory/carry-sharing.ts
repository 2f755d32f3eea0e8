// Who else may hold a loop-carried collection (memory/carry.ts; docs/memory.md
// "Loop-carried locals"). A carried local's value is deep-copied when its loop
// starts and at each compaction, so the copy must be the only holder of its
// collections: a second holder (`let view = batch`, two fields of one struct
// made to share one vec) would stop seeing the changes. This file answers the
// three questions that decides, conservatively (an answer of "no" only leaves
// a local uncarried, as before stop 28):
// - fresh(e): is the value of e shared with nothing — a literal, a new
//   collection, a `clone()`, the result of a function that only returns such
//   values (or a local of its own that nothing else holds);
// - aliasFree(nodes, v): does every mention of v in the code leave no second
//   holder of a collection in v — a collection method on a path in it whose
//   operands and result hold no collection, a read of a path in it that holds
//   none, a store into a path in it of a value that holds none (or a fresh
//   one), a call passing it to a sharing-free function;
// - sharingFree(f): can running f, with its receiver's region current (a
//   `mut self` method called on a carried local runs with the carry region
//   current, where its stores are not copied), make two places share a
//   collection — a store of a collection-holding value that is not fresh, a
//   call with two collection-holding operands, a call handing one to a
//   function that is not sharing-free itself. A value the borrow walk copies
//   where it is stored (`self.old = self.cur`: rule 3, borrows.ts storeInto)
//   is new there and counts as fresh (mem16).

import type * as A from "../syntax/ast.js";
import { walkNested } from "../syntax/nested.js";
import { fieldTypes, variantFields, type FnInfo, type Type, type TypedProgram, type LocalVar } from "../check/types.js";

/** Whether a value of type t holds a collection (which another holder could share). */
export function holdsCollection(t: Type, seen = new Set<unknown>()): boolean {
  switch (t.k) {
    case "vec": case "map": case "set": case "builder": case "fn": case "param": return true; // a builder or closure: a handle too
    case "optional": return holdsCollection(t.inner, seen);
    case "tuple": return t.elems.some((e) => holdsCollection(e, seen));
    case "struct": case "enum": {
      if (seen.has(t.info)) return false;
      seen.add(t.info);
      const fts = t.k === "struct" ? fieldTypes(t).map((f) => f.type) : t.info.variants.flatMap((vr) => variantFields(t, vr).map((f) => f.type));
      return fts.some((ft) => holdsCollection(ft, seen));
    }
    default: return false;
  }
}

/** Collection methods whose result is a new vec (the elements are the receiver's, or a function's results). */
const NEW_COLLECTION = new Set(["slice", "reversed", "enumerate", "map", "filter", "keys", "values"]);

/** Whether iterating a value of type t gives values that may hold a collection. */
function elemsHoldCollection(t: Type): boolean {
  switch (t.k) {
    case "vec": case "set": return holdsCollection(t.elem);
    case "map": return holdsCollection(t.key) || holdsCollection(t.val);
    default: return true;
  }
}

/** The local a place or receiver path is rooted at (`a.b[i].c` -> the Ident `a`), if any. */
export function rootOf(p: TypedProgram, e: A.Expr): A.Expr | null {
  for (;;) {
    if (e.kind === "Ident") return p.refs.get(e)?.kind === "local" ? e : null;
    if ((e.kind === "Field" && !p.refs.has(e)) || e.kind === "Index" || e.kind === "TupleIndex") { e = e.target; continue; }
    return null;
  }
}

function localOf(p: TypedProgram, e: A.Expr): LocalVar | null {
  const r = p.refs.get(e);
  return r?.kind === "local" ? r.v : null;
}

/** Whether statement `inner` is `outer` or nested in it (closures not looked into). */
function contains(outer: A.Stmt, inner: A.Stmt): boolean {
  let found = false;
  walkNested({ kind: "Block", span: outer.span, stmts: [outer] }, { stmt: (s) => { if (s === inner) found = true; } });
  return found;
}

export class Sharing {
  private freshFns = new Map<FnInfo, boolean>();
  private freeFns = new Map<FnInfo, boolean>();
  /** A parameter every caller hands over, named once in its function (carry-handover.ts): fresh where it is named. */
  soleParam: (v: LocalVar) => boolean = () => false;
  /** A parameter every caller hands over (carry-handover.ts handedOver). */
  handedParam: (v: LocalVar) => boolean = () => false;
  /** copiedAtStore: the values the borrow walk copies where they are stored (rule 3's borrow-store: a part of a `mut
   *  self` receiver or of a parameter stored into that same one's memory, a borrow of global state), each a new value
   *  at its store (src/memory/borrows.ts storeInto). */
  constructor(private p: TypedProgram, private copiedAtStore: ReadonlySet<A.Expr> = new Set()) {}

  private type(e: A.Expr): Type { return this.p.exprTypes.get(e) ?? { k: "error" }; }
  private coll(e: A.Expr): boolean { return holdsCollection(this.type(e)); }

  /** A value no other holder shares. */
  fresh(e: A.Expr): boolean {
    const p = this.p;
    const t = p.exprTypes.get(e);
    if (t && !holdsCollection(t)) return true; // a number, a string, a struct of them: nothing another holder could share
    switch (e.kind) {
      case "IntLit": case "FloatLit": case "BoolLit": case "NoneLit": case "StrLit": return true;
      case "VecLit": case "TupleLit": return e.elems.every((x) => this.fresh(x));
      case "MapLit": {
        const s = p.braceStructs.get(e);
        if (s) return this.fresh(s);
        return e.entries.every((x) => this.fresh(x.key) && this.fresh(x.value));
      }
      case "StructLit": return e.fields.every((f) => this.fresh(f.value));
      case "Await": return this.fresh(e.operand);
      case "Ident": { const v = localOf(p, e); return !!v && this.soleParam(v); }
      case "Call": {
        const t = p.calls.get(e);
        if (!t) return false;
        // `x.clone()`: a deep copy; `Vec()`, `Map()`: a new empty collection; a string method's vec (`split`): new, of strings.
        if (t.kind === "clone") return true;
        // `v.slice(a, b)`, `m.keys()`, `v.filter(f)`...: a new vec, fresh when its elements hold no collection.
        if (t.kind === "collection") {
          const rt = this.type(e);
          return t.recv ? NEW_COLLECTION.has(t.name) && rt.k === "vec" && !holdsCollection(rt.elem) : e.args.length === 0;
        }
        if (t.kind === "strMethod") return true;
        if (t.kind === "fn") return this.freshFn(t.f);
        return false;
      }
      default: return false;
    }
  }

  /** A function every `return` of which gives a fresh value, or a local of its own that nothing else holds. */
  private freshFn(f: FnInfo): boolean {
    const known = this.freshFns.get(f);
    if (known !== undefined) return known;
    if (!f.decl.body || f.decl.extern || f.typeParams.length) return false;
    this.freshFns.set(f, true); // a cycle: each value returned is still checked where it is made
    const body = f.decl.body;
    let ok = true;
    walkNested(body, {
      stmt: (s) => {
        if (!ok || s.kind !== "Return" || !s.value) return;
        const v = s.value.kind === "Ident" ? localOf(this.p, s.value) : null;
        ok = this.fresh(s.value) || (!!v && this.ownLocal(body, v, s.value));
      },
    });
    this.freshFns.set(f, ok);
    return ok;
  }

  /** A `let`/`var` of the body, initialised fresh (or by nothing), not captured, whose every other mention leaves no second holder. */
  private ownLocal(body: A.Block, v: LocalVar, ret: A.Expr): boolean {
    if (v.kind !== "let" && v.kind !== "var" && v.kind !== "param") return false;
    for (const c of this.p.closures.values()) if (c.captures.some((x) => x.id === v.id)) return false;
    if (v.kind === "param") {
      // A parameter every caller hands over (`fn withHeader(v: Vec<string>): Vec<string> { v.push("h"); return v }`
      // called as `withHeader([])`): at the start of the body it is its collection's only holder.
      if (!this.handedParam(v)) return false;
    } else {
      let init: A.Stmt | null = null;
      walkNested(body, { stmt: (s) => { if (s.kind === "Let" && s.pattern.kind === "PBind" && this.p.patLocals.get(s.pattern) === v) init = s; } });
      const d = init as Extract<A.Stmt, { kind: "Let" }> | null;
      if (!d || (d.value && !this.fresh(d.value))) return false;
    }
    // Its returns (`return b`) are the value leaving; every other mention must not share it.
    const returns = new Set<A.Expr>();
    walkNested(body, { stmt: (s) => { if (s.kind === "Return" && s.value && s.value.kind === "Ident" && localOf(this.p, s.value) === v) returns.add(s.value); } });
    returns.add(ret);
    return this.aliasFree([body], v, null, new Set(), returns);
  }

  /** Whether every mention of v in `nodes` (skipping the statement `skip` and those in `skipAlso`, and the Ident
   *  nodes in `allowed`) leaves no second holder of a collection in v. */
  aliasFree(nodes: (A.Block | A.Stmt)[], v: LocalVar, skip: A.Stmt | null, skipAlso: Set<A.Stmt> = new Set(), allowed: Set<A.Expr> = new Set()): boolean {
    const p = this.p;
    const ok = new Set<A.Expr>(allowed), seen: A.Expr[] = [], callees = new Set<A.Expr>();
    const mark = (e: A.Expr | null) => { const r = e && rootOf(p, e); if (r && localOf(p, r) === v) ok.add(r); };
    const visit = (n: A.Block | A.Stmt): void => {
      const wrap: A.Block = n.kind === "Block" ? n : { kind: "Block", span: n.span, stmts: [n] };
      walkNested(wrap, {
        stmt: (s) => {
          if (s === skip) return;
          if (s.kind === "Assign" && (!this.coll(s.value) || this.fresh(s.value))) mark(s.target);
          // `for x in batch` whose elements hold no collection, not around the loop: its hold ends with it.
          if (s.kind === "For" && !elemsHoldCollection(this.type(s.iter)) && !(skip && contains(s, skip))) mark(s.iter);
        },
        expr: (e) => {
          if (e.kind === "Ident" && localOf(p, e) === v) seen.push(e);
          // A read of a path in it that holds no collection.
          if ((e.kind === "Field" || e.kind === "Index" || e.kind === "TupleIndex") && !callees.has(e) && !this.coll(e)) mark(e);
          if (e.kind === "Call") { callees.add(e.callee); this.callOk(e, mark); }
        },
      });
    };
    // The skipped statement's mentions are not looked at: walk the rest, then drop what lies in it.
    const inSkip = new Set<A.Expr>();
    for (const x of [...(skip ? [skip] : []), ...skipAlso]) walkNested({ kind: "Block", span: x.span, stmts: [x] }, { expr: (e) => { if (e.kind === "Ident") inSkip.add(e); } });
    for (const n of nodes) visit(n);
    return seen.every((e) => ok.has(e) || inSkip.has(e));
  }

  /** A call that leaves no second holder of the collection-holding operands it is given (marked through `mark`). */
  private callOk(e: Extract<A.Expr, { kind: "Call" }>, mark: (e: A.Expr | null) => void): void {
    const t = this.p.calls.get(e);
    if (!t) return;
    if (t.kind === "clone") { mark(t.recv); return; }
    const recv = "recv" in t ? t.recv : null;
    const ops = [...(recv ? [recv] : []), ...e.args];
    const colls = ops.filter((x) => this.coll(x));
    // The result may be the collection itself (`m.get(k)` of a `Map<string, Vec<string>>`, a function returning its argument).
    if (this.coll(e) && !this.fresh(e)) return;
    if (colls.length > 1) return;
    if (t.kind === "collection" || t.kind === "strMethod" || t.kind === "fmtMethod" || t.kind === "helper" || t.kind === "task") { for (const x of ops) mark(x); return; }
    if ((t.kind === "fn" || t.kind === "method") && (!colls.length || this.sharingFree(t.f))) for (const x of ops) mark(x);
  }

  /** Whether running f (with its caller's current region, where its stores into its operands are not copied) can make
   *  two places share a collection. */
  sharingFree(f: FnInfo): boolean {
    const known = this.freeFns.get(f);
    if (known !== undefined) return known;
    if (!f.decl.body || f.decl.extern) return false;
    this.freeFns.set(f, true); // a cycle: each store is still checked where it is made
    let ok = true;
    // A value copied where it is stored (`self.old = self.cur`, `self.all.push(self.cur)` in a `mut self` method:
    // rule 3's borrow-store copy, made whatever region is current) is a new value there, shared with nothing (mem16).
    const copied = (x: A.Expr) => this.copiedAtStore.has(x);
    walkNested(f.decl.body, {
      stmt: (s) => { if (s.kind === "Assign" && this.coll(s.value) && !this.fresh(s.value) && !copied(s.value)) ok = false; },
      expr: (e) => {
        if (e.kind === "Closure") { ok = false; return; } // its body runs later, wherever it is called
        if (e.kind !== "Call") return;
        const t = this.p.calls.get(e);
        if (!t) { ok = false; return; }
        const recv = "recv" in t ? t.recv : null;
        const colls = [...(recv ? [recv] : []), ...e.args.filter((x) => !copied(x))].filter((x) => this.coll(x));
        if (colls.length > 1) ok = false;
        else if (colls.length === 1 && !(t.kind === "collection" || t.kind === "strMethod" || t.kind === "fmtMethod" || t.kind === "helper" || t.kind === "clone" || t.kind === "task"
          || ((t.kind === "fn" || t.kind === "method") && this.sharingFree(t.f)))) ok = false;
      },
    });
    this.freeFns.set(f, ok);
    return ok;
  }
}
