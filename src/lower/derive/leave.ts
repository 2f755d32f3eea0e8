// Copying a value out of `region { }` blocks (a block's value, a `return` or
// the error of `?` from inside blocks): only what lives in the blocks being
// left is copied. A collection or builder is a handle shared within a task
// (LANGUAGE.md), so one made outside the blocks leaves as it is: its header's
// owner says where it lives (MEMORY.md rule 1 then guarantees nothing it
// reaches is younger). Structs, tuples, optionals and enums with inline
// payloads are looked into field by field. What carries no owner is copied
// as before: strings (immutable, so a copy cannot be seen), closures, and
// boxed (recursive) enums, whose boxes could only be placed by an address
// test against every chunk of the blocks' regions (docs/memory.md).

import type { Type } from "../../check/types.js";
import { hasHeap, looksInside } from "../../memory/regions.js";
import { Locals, assign, call, local, ret, rt, type Expr, type Func, type Stmt } from "../ir.js";
import { promoteExpr } from "./clone.js";
import { eachPart } from "./parts.js";

/** v leaving the block regions opened since region `since` (the outermost block left) for region dst. */
export function leaveExpr(dst: Expr, since: Expr, t: Type, v: Expr): Expr {
  if (!hasHeap(t)) return v;
  if (!looksInside(t)) return promoteExpr(dst, t, v);
  return call({ c: "derive", kind: "leave", type: t }, dst, since, v);
}

export function leaveFunc(t: Type): Func {
  const L = new Locals();
  const dst = L.make("dst", { k: "region" }), since = L.make("since", { k: "region" }), v = L.make("v", t), V = local(v);
  const D = local(dst), S = local(since);
  const body: Stmt[] = [];
  const part = (place: Expr, ft: Type): Stmt[] => (hasHeap(ft) ? [assign(place, leaveExpr(D, S, ft, place))] : []);
  switch (t.k) {
    case "vec": case "map": case "set": case "builder":
      // COLANG_NO_PROMOTE=1 turns every promotion off (promote_T checks it too).
      body.push({ s: "if", cond: rt("co_region_copy_needed", { e: "arrow", p: V, field: "owner" }, S), then: [ret(promoteExpr(D, t, V))], else_: [] });
      break;
    default: {
      const parts = eachPart(t, V, part);
      if (!parts) throw new Error(`internal: derived leave of ${t.k}`);
      body.push(...parts);
    }
  }
  body.push(ret(V));
  return { name: { c: "derive", kind: "leave", type: t }, params: [dst, since, v], ret: t, body };
}



