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
import { cType, mangle, RECEIVER_REGION } from "./names.js";
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
 *  (copied) new key are dropped. The name of a helper `void (N *m, K k, V v)`. */
export function mapSetHelper(fe: FnEmitter, mt: Extract<Type, { k: "map" }>): string {
  const n = mangle(mt), K = cType(mt.key), V = cType(mt.val);
  return fe.em.fnHelper(`setd_${n}`, `static void setd_${n}(${n} *m, ${K} k, ${V} v)`, () =>
    `  if (m->owner != co_global) { ${n}_set(m, k, v); return; }\n` +
    `  bool ins; ${V} *p = ${n}_slot(m, k, &ins);\n` +
    `  if (ins) { *p = v; return; }\n` +
    `  ${V} old = *p; *p = v;\n  ${fe.em.derived.drop(mt.key, "k")} ${fe.em.derived.drop(mt.val, "old")}`);
}

/** The name of a helper replacing a collection method (delete, insert into a set, pop, remove, clear) on a
 *  collection that may be owned by global memory: what it removes is dropped. Same parameters as the method. */
export function removingHelper(fe: FnEmitter, ct: Coll, method: "delete" | "insert" | "pop" | "remove" | "clear"): string {
  const n = mangle(ct), E = cType(elemOf(ct));
  const drop = (t: Type, v: string) => fe.em.derived.drop(t, v);
  const name = `${method}d_${n}`;
  switch (method) {
    case "delete":
      return fe.em.fnHelper(name, `static bool ${name}(${n} *m, ${E} k)`, () =>
        `  if (m->owner != co_global) return ${n}_delete(m, k);\n` +
        `  ${n}_entry *e = ${n}__lookup(m, k);\n  if (!e) return false;\n` +
        `  ${n}_entry old = *e;\n  ${n}_delete(m, k);\n` +
        `  ${drop(elemOf(ct), "old.key")} ${ct.k === "map" ? drop(ct.val, "old.val") : ""}\n  return true;`);
    case "insert":
      return fe.em.fnHelper(name, `static bool ${name}(${n} *s, ${E} k)`, () =>
        `  bool r = ${n}_insert(s, k);\n  if (!r && s->owner == co_global) { ${drop(elemOf(ct), "k")} }\n  return r;`);
    case "pop":
      return fe.em.fnHelper(name, `static bool ${name}(${n} *v, ${E} *out)`, () =>
        `  bool ok = ${n}_pop(v, out);\n  if (ok && v->owner == co_global) { ${drop(elemOf(ct), "(*out)")} }\n  return ok;`);
    case "remove":
      return fe.em.fnHelper(name, `static ${E} ${name}(${n} *v, int64_t i, const char *file, int line, int col)`, () =>
        `  ${E} x = ${n}_remove(v, i, file, line, col);\n  if (v->owner == co_global) { ${drop(elemOf(ct), "x")} }\n  return x;`);
    case "clear":
      // The contents move to a detached header that the queue drops a few elements per step: clearing a
      // huge collection is O(1) in the turn.
      return fe.em.fnHelper(name, `static void ${name}(${n} *c)`, () =>
        `  if (c->owner != co_global) { ${n}_clear(c); return; }\n` +
        `  ${ct.k === "vec" ? "CO__VEC_PIN" : "CO__MAP_PIN"}(c, "clear");\n` +
        `  ${n} *d = (${n} *)co_region_alloc(co_global, sizeof(${n}), _Alignof(${n}));\n  *d = *c;\n` +
        (ct.k === "vec" ? `  c->data = NULL; c->len = 0; c->cap = 0;\n`
          : `  c->slots = NULL; c->entries = NULL; c->mask = 0; c->nent = 0; c->ecap = 0; c->len = 0;\n`) +
        `  ${drop(ct, "d")}`);
  }
}
