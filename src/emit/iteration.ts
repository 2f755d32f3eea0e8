// A collection that grows while a `for` loop iterates over it is a panic that
// names it (docs/language.md, docs/reliability.md), as Java's
// ConcurrentModificationException or Go's map rules would have it: without
// this, pushing to the vec or inserting a new key into the map or set on every
// step never ends, and a map insert may compact the entries the cursor walks
// (which entries it then visits was unspecified). Shrinking stays allowed:
// deleting from a map or set, popping from a vec, or setting an existing key.

import type * as A from "../syntax/ast.js";
import { T, type Type } from "../check/types.js";
import type { FnEmitter } from "./body.js";
import { cstr, rt, type Expr, type Stmt } from "../lower/ir.js";
import { locIr } from "./expr-ir-collections.js";
import { declIr } from "./loops-ir.js";

function describe(e: A.Expr): string {
  if (e.kind === "Ident") return `\`${e.name}\``;
  if (e.kind === "Field") { const t = describe(e.target); return t.startsWith("`") ? `${t.slice(0, -1)}.${e.name}\`` : "the collection"; }
  return "the collection";
}

/** Declares what the loop header records (before the loop) and returns the check for the top of each step:
 *  `co_panic_at(loc, "%s", message)` when the collection c grew. */
export function growthGuard(fe: FnEmitter, iter: A.Expr, c: Expr, ct: Extract<Type, { k: "vec" | "map" | "set" }>): Stmt {
  const n0 = fe.newTmp();
  const what = ct.k === "vec" ? "vec" : ct.k;
  const msg = `${what} ${describe(iter)} grew while a \`for\` loop was iterating over it (${ct.k === "vec" ? "a push" : "a new key"} inside the loop); iterate over a copy or collect the additions and apply them after the loop`;
  const panic: Stmt = { s: "expr", x: rt("co_panic_at", ...locIr(iter.span), cstr("%s"), cstr(msg)) };
  const check = (cond: Expr): Stmt => ({ s: "if", cond, then: [panic], else_: [], short: true });
  const flat = (op: "&&" | "!=" | ">", l: Expr, r: Expr): Expr => ({ e: "bin", op, l, r, flat: true });
  if (ct.k === "vec") {
    const d = declIr(fe, n0, T.i64, { e: "len", of: c });
    fe.emit(d.st);
    return check(flat(">", { e: "len", of: c }, d.x));
  }
  // A new key appends an entry (nent grows) or compacts (nent shrinks, entries remain);
  // deleting never moves nent except to 0 with the last entry, when len is 0 too.
  const nent: Expr = { e: "arrow", p: c, field: "nent" };
  const d = declIr(fe, n0, T.i64, nent);
  fe.emit(d.st);
  return check(flat("&&", flat("!=", nent, d.x), flat("!=", { e: "len", of: c }, { e: "int", v: 0, t: T.i64 })));
}
