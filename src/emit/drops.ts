// Freeing what global memory stops owning (MEMORY.md rule 2). A store that
// replaces a value in global memory, and a collection operation that removes
// one from a collection owned by global memory, queue the old value's drop
// (src/lower/derive/drop.ts); the runtime frees it when the loop turn ends.
// Whether the target is global memory is known statically for a global
// variable's path (owner `co_global`) and read from the collection header at
// run time otherwise (`c->owner == co_global`, or the receiver's region, a
// parameter of the method, for a path through `self` in a `mut self`
// method); a variable outside a `region` block is never global memory.

import type { Type } from "../check/types.js";
import { RECEIVER_REGION } from "./names.js";
import { droppingFunc } from "../lower/helper-fns.js";
import type { Callee, DroppingOp } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";

/** Whether a place with this owner (FnEmitter.placeWithOwner) may be in global memory. */
export function mayBeGlobal(owner: string | null): owner is string {
  return owner === "co_global" || owner === "co_current" || owner === RECEIVER_REGION || (owner !== null && owner.endsWith("->owner"));
}

type Coll = Extract<Type, { k: "vec" | "map" | "set" }>;

function elemOf(ct: Coll): Type { return ct.k === "map" ? ct.key : ct.elem; }

/** Whether removing from or overwriting in a collection of type ct may have something to drop. */
export function dropsOnRemove(fe: FnEmitter, ct: Coll): boolean {
  return fe.em.hasHeap(elemOf(ct)) || (ct.k === "map" && fe.em.hasHeap(ct.val));
}

/** m[k] = v / m.set(k, v): when the key is present in a map owned by global memory, the old value and the
 *  (copied) new key are dropped. The name of a helper `void (N *m, K k, V v)` (src/lower/helper-fns.ts). */
export function mapSetHelper(fe: FnEmitter, mt: Extract<Type, { k: "map" }>): string {
  return fe.em.irFunc({ c: "dropping", op: "set", type: mt }, () => droppingFunc("set", mt, fe.em.helperHost));
}

/** The name of a helper replacing a collection method (delete, insert into a set, pop, remove, clear) on a
 *  collection that may be owned by global memory: what it removes is dropped. Same parameters as the method
 *  (src/lower/helper-fns.ts). */
export function removingHelper(fe: FnEmitter, ct: Coll, method: "delete" | "insert" | "pop" | "remove" | "clear"): string {
  return fe.em.irFunc({ c: "dropping", op: method, type: ct }, () => droppingFunc(method, ct, fe.em.helperHost));
}

/** The callee of the dropping operation `op` on ct (mapSetHelper, removingHelper), its function registered. */
export function droppingCallee(fe: FnEmitter, ct: Coll, op: DroppingOp): Callee {
  const f: Callee = { c: "dropping", op, type: ct };
  fe.em.irFunc(f, () => droppingFunc(op, ct, fe.em.helperHost));
  return f;
}
