// A collection that grows while a `for` loop iterates over it is a panic that
// names it (docs/language.md, docs/reliability.md), as Java's
// ConcurrentModificationException or Go's map rules would have it: without
// this, pushing to the vec or inserting a new key into the map or set on every
// step never ends, and a map insert may compact the entries the cursor walks
// (which entries it then visits was unspecified). Shrinking stays allowed:
// deleting from a map or set, popping from a vec, or setting an existing key.

import type * as A from "../syntax/ast.js";
import type { Type } from "../check/types.js";
import { locArgs } from "./ctext.js";
import { cStringLiteral } from "./names.js";
import type { FnEmitter } from "./body.js";
import type { Stmt } from "../lower/ir.js";
import { C } from "./body-ir.js";

function describe(e: A.Expr): string {
  if (e.kind === "Ident") return `\`${e.name}\``;
  if (e.kind === "Field") { const t = describe(e.target); return t.startsWith("`") ? `${t.slice(0, -1)}.${e.name}\`` : "the collection"; }
  return "the collection";
}

/** Declares what the loop header records (before the loop) and returns the check for the top of each step. */
export function growthGuard(fe: FnEmitter, iter: A.Expr, c: string, ct: Extract<Type, { k: "vec" | "map" | "set" }>): Stmt {
  const n0 = fe.newTmp();
  const what = ct.k === "vec" ? "vec" : ct.k;
  const msg = cStringLiteral(`${what} ${describe(iter)} grew while a \`for\` loop was iterating over it (${ct.k === "vec" ? "a push" : "a new key"} inside the loop); iterate over a copy or collect the additions and apply them after the loop`).lit;
  const panic: Stmt = { s: "expr", x: C(`co_panic_at(${locArgs(iter.span)}, "%s", ${msg})`) };
  const check = (cond: string): Stmt => ({ s: "if", cond: C(cond), then: [panic], else_: [], short: true });
  if (ct.k === "vec") {
    fe.declare("int64_t", n0, `${c}->len`);
    return check(`${c}->len > ${n0}`);
  }
  // A new key appends an entry (nent grows) or compacts (nent shrinks, entries remain);
  // deleting never moves nent except to 0 with the last entry, when len is 0 too.
  fe.declare("int64_t", n0, `${c}->nent`);
  return check(`${c}->nent != ${n0} && ${c}->len != 0`);
}
