// A copy of a map or set that keeps its entry layout (mem18; docs/memory.md
// "Loop-carried locals", *Decision (mem18)*): the contents a loop-carried map
// or set that another holder shares moves into its carry region, under the
// header that stays (emit/carry.ts). Unlike clone (clone.ts), which rebuilds
// the entries without the removed ones, this keeps every entry at its index,
// the removed ones included (their key and value zeroed: what they pointed to
// may be freed with the old region), the entries' capacity and the index of
// slots as they are, so a `for` over the map around the loop, whose cursor is
// an entry index (emit/loops-ir.ts) and whose growth check compares `nent`
// (emit/iteration.ts), goes on over the same entries after the move. The
// arrays come from co_current through co_region_buf_alloc, as the map's own
// (the map header's N##__alloc), so growing or compacting later frees them the same
// way; the header is new in co_current (the caller copies it over the one
// that stays: `*h = *keep(h)`).

import type { Type } from "../../check/types.js";
import { hasHeap } from "../../memory/regions.js";
import { Locals, assign, bin, call, exprStmt, int, local, ret, rt, type Expr, type Func, type Stmt } from "../ir.js";
import { cloneExpr } from "./clone.js";

type Table = Extract<Type, { k: "map" | "set" }>;

/** A copy of the map or set v (type t) in the current region, its entries, removed ones included, at their indices. */
export function keepExpr(t: Table, v: Expr): Expr {
  return call({ c: "derive", kind: "keep", type: t }, v);
}

export function keepFunc(t: Type): Func {
  if (t.k !== "map" && t.k !== "set") throw new Error(`internal: derived keep of ${t.k}`);
  const L = new Locals();
  const v = L.make("v", t), V = local(v);
  const r = L.make("r", t), R = local(r);
  const i = L.make("i", { k: "int", name: "i64" }), I = local(i);
  const CUR: Expr = { e: "sym", name: "co_current" };
  const arrow = (p: Expr, field: string): Expr => ({ e: "arrow", p, field });
  const entry = (p: Expr): Expr => ({ e: "index", of: arrow(p, "entries"), i: I });
  const part = (p: Expr, field: string): Expr => ({ e: "dot", of: entry(p), field });
  const ebytes = bin("*", { e: "cast", to: { k: "ctype", c: "size_t" }, x: arrow(V, "ecap") }, { e: "sizeof", t: { k: "entry", type: t } });
  const sbytes = bin("*", { e: "cast", to: { k: "ctype", c: "size_t" }, x: bin("+", arrow(V, "mask"), int(1, { k: "int", name: "u64" })) }, int(8, { k: "int", name: "u64" }));
  // Each live entry: its key and value copied (deeply, into co_current), its hash kept; a removed one stays zero.
  const live: Stmt[] = [];
  const copy = (field: string, ft: Type) => live.push(assign(part(R, field), hasHeap(ft) ? cloneExpr(ft, part(V, field)) : part(V, field)));
  copy("key", t.k === "map" ? t.key : t.elem);
  if (t.k === "map") copy("val", t.val);
  live.push(assign(part(R, "hash"), part(V, "hash")));
  const body: Stmt[] = [
    { s: "decl", l: r, init: call({ c: "coll", op: "new", type: t }) },
    {
      s: "if", cond: bin("!=", arrow(V, "entries"), { e: "null" }), then: [
        assign(arrow(R, "entries"), rt("co_region_buf_alloc", CUR, ebytes, { e: "sizeof", t: { k: "entry", type: t }, align: true })),
        exprStmt(rt("memset", arrow(R, "entries"), { e: "int", v: 0, t: { k: "int", name: "i32" } }, ebytes)),
        assign(arrow(R, "ecap"), arrow(V, "ecap")),
        {
          s: "for", l: i, from: int(0), cond: bin("<", I, arrow(V, "nent")), next: bin("+", I, int(1)),
          body: [{ s: "if", cond: bin("!=", part(V, "hash"), int(0, { k: "int", name: "u64" })), then: live, else_: [] }],
        },
      ], else_: [],
    },
    {
      s: "if", cond: bin("!=", arrow(V, "slots"), { e: "null" }), then: [
        assign(arrow(R, "slots"), rt("co_region_buf_alloc", CUR, sbytes, int(8, { k: "int", name: "u64" }))),
        exprStmt(rt("memcpy", arrow(R, "slots"), arrow(V, "slots"), sbytes)),
        assign(arrow(R, "mask"), arrow(V, "mask")),
      ], else_: [],
    },
    assign(arrow(R, "nent"), arrow(V, "nent")),
    assign(arrow(R, "len"), arrow(V, "len")),
    ret(R),
  ];
  return { name: { c: "derive", kind: "keep", type: t }, params: [v], ret: t, body };
}
