// Which `mut self` calls pin their receiver (cruntime/include/co_pin.h; docs/memory.md, "`mut self` on an
// element"): a receiver inside a collection element, when the method may change a collection at all. A method
// that changes no collection (transitively, through the program's own functions) cannot move its element, so
// `v[i].bump()` with `fn bump(mut self) { self.n += 1 }` costs nothing; and only a program with a pinning call
// defines CO_PINS, which puts the check into every Vec and Map operation.

import type * as A from "../syntax/ast.js";
import type { FnInfo, TypedProgram } from "../check/types.js";
import type { FnEmitter } from "./body.js";

/** Collection methods that add, remove or move elements (the operations co_pin.h checks). */
const CHANGES = new Set(["push", "pop", "insert", "remove", "sort", "sortBy", "clear", "set", "delete", "append", "extend", "retain", "truncate", "reserve"]);

/**
 * Whether the `mut self` receiver e lies in a collection's element (a path
 * through a Vec or Map index: `v[0]`, `m["a"].inner`, `self.items[i]`).
 */
export function inElement(fe: FnEmitter, e: A.Expr): boolean {
  for (let x = e; ;) {
    if (x.kind === "Index") { const k = fe.typeOf(x.target).k; if (k === "vec" || k === "map") return true; x = x.target; }
    else if ((x.kind === "Field" && !fe.typed.refs.has(x)) || x.kind === "TupleIndex") x = x.target;
    else return false;
  }
}

/** Whether a call of `mut self` method f on receiver e pins the receiver around the call. */
export function pinsReceiver(fe: FnEmitter, f: FnInfo, e: A.Expr): boolean {
  return inElement(fe, e) && mayChangeCollections(fe.typed, f, fe.em.pinMemo);
}

/**
 * Whether f may add, remove or move elements of some collection: a call of
 * one of CHANGES, an assignment through a Map index (it may insert), a call of
 * a function value or of a trait method through a bound (unknown: yes), or a
 * call of a program function that may (memo: per function; one being walked
 * counts as no, its own body decides).
 */
export function mayChangeCollections(p: TypedProgram, f: FnInfo, memo: Map<FnInfo, boolean>): boolean {
  const known = memo.get(f);
  if (known !== undefined) return known;
  if (f.decl.extern || !f.decl.body) { memo.set(f, false); return false; }
  memo.set(f, false);
  const yes = visit(p, f.decl.body, memo, new WeakSet());
  memo.set(f, yes);
  return yes;
}

function visit(p: TypedProgram, node: unknown, memo: Map<FnInfo, boolean>, seen: WeakSet<object>): boolean {
  if (!node || typeof node !== "object" || seen.has(node)) return false;
  seen.add(node);
  if (Array.isArray(node)) return node.some((x) => visit(p, x, memo, seen));
  const n = node as { kind?: string } & Record<string, unknown>;
  if (n.kind === "Call") {
    const t = p.calls.get(n as unknown as A.Expr);
    if (t?.kind === "collection" && CHANGES.has(t.name)) return true;
    if (t?.kind === "closure" || t?.kind === "traitMethod") return true;
    if ((t?.kind === "fn" || t?.kind === "method") && mayChangeCollections(p, t.f, memo)) return true;
  }
  if (n.kind === "Assign" && mapIndexed(p, (n as unknown as Extract<A.Stmt, { kind: "Assign" }>).target)) return true;
  for (const [k, v] of Object.entries(n)) if (k !== "span" && visit(p, v, memo, seen)) return true;
  return false;
}

/** Whether an assignment target's path goes through a Map index (`m[k] = v`, `m[k].f = v`, `m[k] += 1`). */
function mapIndexed(p: TypedProgram, e: A.Expr): boolean {
  for (let x = e; ;) {
    if (x.kind === "Index") { if (p.exprTypes.get(x.target)?.k === "map") return true; x = x.target; }
    else if (x.kind === "Field" || x.kind === "TupleIndex") x = x.target;
    else return false;
  }
}
