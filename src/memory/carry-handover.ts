// Parameters whose collection every caller hands over (memory/carry.ts;
// docs/memory.md "Loop-carried locals", *Decision (mem15)*). A loop-carried
// local's value is deep-copied into its loop's carry region when the loop
// starts; for a collection that copy is a new handle, and MEMORY.md's value
// semantics (collections are handles shared within a task) make it invisible
// only when no other holder can read the collection afterwards. A parameter
// (`async fn consume(q: Vec<Job>) { var pending = q; while true { ... } }`)
// shares its collection with the caller's argument, so it may be carried only
// when no caller can look at that argument again once the call is made:
// - the function is only ever called directly (never used as a value, never a
//   trait method's implementation: those calls are not all visible here);
// - at every call the argument is copied on the way in (`spawn f(x)`, an async
//   call where a `Task<T>` is expected: rule 4), or fresh (a literal, `clone()`,
//   a new collection, a function returning one: carry-sharing.ts fresh), or a
//   local of the caller that is the collection's sole holder and dies at the
//   call: initialised fresh (or itself a parameter handed over), not captured,
//   mentioned before the call only in ways that leave no second holder
//   (carry-sharing.ts aliasFree), named once in the statement of its block
//   that makes the call, not at all after it, and no loop between that
//   statement and the call (a loop would pass it again).
// The answer "no" only leaves the parameter uncarried (its stores stay in the
// task's region until the task ends, as before).

import type * as A from "../syntax/ast.js";
import type { FnInfo, LocalVar, TypedProgram } from "../check/types.js";
import type { Sharing } from "./carry-sharing.js";

type Call = Extract<A.Expr, { kind: "Call" }>;

/** Every object node under n (statements, expressions, patterns), closures included. */
function eachNode(n: unknown, visit: (o: { kind?: string }, parent: object | null) => void, parent: object | null = null): void {
  if (!n || typeof n !== "object") return;
  if (Array.isArray(n)) { for (const x of n) eachNode(x, visit, parent); return; }
  const o = n as { kind?: string };
  if (typeof o.kind === "string") visit(o, parent);
  const next = typeof o.kind === "string" ? o : parent;
  for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "nameSpan") eachNode(v, visit, next);
}

export class Handover {
  private parent = new Map<object, object | null>();
  private paramOf = new Map<LocalVar, { f: FnInfo; i: number }>();
  private sites = new Map<FnInfo, Call[]>();
  private asValue = new Set<FnInfo>();
  private captured = new Set<number>();
  private memo = new Map<LocalVar, boolean>();

  constructor(private p: TypedProgram, private sharing: Sharing) {
    const roots: unknown[] = [...p.fns.map((f) => f.decl.body), ...p.globals.map((g) => g.decl.value), ...p.tests.map((t) => t.decl.body)];
    for (const r of roots) eachNode(r, (o, parent) => this.parent.set(o, parent));
    for (const f of p.fns) f.params.forEach((x, i) => this.paramOf.set(x.local, { f, i }));
    const callees = new Set<A.Expr>();
    for (const [e, t] of p.calls) {
      if (e.kind !== "Call") continue;
      callees.add(e.callee);
      if (t.kind === "fn" || t.kind === "method") {
        const l = this.sites.get(t.f) ?? [];
        l.push(e);
        this.sites.set(t.f, l);
      }
    }
    for (const [e, r] of p.refs) if (r.kind === "fn" && !callees.has(e)) this.asValue.add(r.f);
    for (const c of p.closures.values()) for (const v of c.captures) this.captured.add(v.id);
  }

  /** Whether every caller of v's function hands over the collection it passes for v (the head comment). */
  handedOver(v: LocalVar): boolean {
    const known = this.memo.get(v);
    if (known !== undefined) return known;
    this.memo.set(v, false); // a cycle of calls passing it around: not handed over
    const r = this.compute(v);
    this.memo.set(v, r);
    return r;
  }

  /** Whether v is a parameter handed over and named only once in its function (`var pending = q`): that mention is
   *  then the collection's only holder. */
  soleParam(v: LocalVar): boolean {
    const at = this.paramOf.get(v);
    return !!at && this.handedOver(v) && this.mentions(at.f.decl.body, v) === 1;
  }

  private compute(v: LocalVar): boolean {
    const at = this.paramOf.get(v);
    if (!at || v.kind !== "param" || this.captured.has(v.id)) return false;
    const { f, i } = at;
    if (!f.decl.body || f.decl.extern || f.impl || this.asValue.has(f)) return false;
    for (const c of this.sites.get(f) ?? []) if (!this.handsOver(c, c.args[i])) return false;
    return true;
  }

  private handsOver(c: Call, a: A.Expr | undefined): boolean {
    if (!a) return false;
    const up = this.parent.get(c);
    if ((up as { kind?: string } | null)?.kind === "Spawn" || this.p.tasks.implicit.has(c)) return true;
    if (this.sharing.fresh(a)) return true;
    const r = a.kind === "Ident" ? this.p.refs.get(a) : undefined;
    return r?.kind === "local" && this.diesAt(r.v, c);
  }

  /** Whether the caller's local w is its collection's sole holder and is not read again after the call c. */
  private diesAt(w: LocalVar, c: Call): boolean {
    if (this.captured.has(w.id)) return false;
    let block: A.Block | null = null, declIdx = -1;
    if (w.kind === "param") {
      const at = this.paramOf.get(w);
      if (!at || !at.f.decl.body || !this.handedOver(w)) return false;
      block = at.f.decl.body;
    } else if (w.kind === "let" || w.kind === "var") {
      for (const [pat, lv] of this.p.patLocals) {
        if (lv !== w || pat.kind !== "PBind") continue;
        const d = this.parent.get(pat) as A.Stmt | undefined;
        const b = d && this.parent.get(d) as A.Block | undefined;
        if (!d || d.kind !== "Let" || !b || b.kind !== "Block") return false;
        if (d.value && !this.sharing.fresh(d.value)) return false;
        block = b;
        declIdx = b.stmts.indexOf(d);
      }
    }
    if (!block) return false;
    // The statement of the declaring block that makes the call, reached with no loop or closure on the way.
    let n: object = c;
    for (;;) {
      const up = this.parent.get(n);
      if (!up) return false;
      if (up === block) break;
      const k = (up as { kind?: string }).kind;
      if (k === "While" || k === "For" || k === "Closure") return false;
      n = up;
    }
    const si = block.stmts.indexOf(n as A.Stmt);
    if (si <= declIdx) return false;
    if (this.mentions(n, w) !== 1 || block.stmts.slice(si + 1).some((s) => this.mentions(s, w) > 0)) return false;
    return this.sharing.aliasFree(block.stmts.slice(declIdx + 1, si), w, null);
  }

  private mentions(n: unknown, v: LocalVar): number {
    let k = 0;
    eachNode(n, (o) => {
      if (o.kind !== "Ident") return;
      const r = this.p.refs.get(o as A.Expr);
      if (r?.kind === "local" && r.v === v) k++;
    });
    return k;
  }
}
