// The spine of a recursive enum: a variant whose last field is the enum
// itself (`Cons(int, List)`, `Node(Tree, int, Tree)`'s right child). Derived
// functions follow that field in a loop instead of calling themselves, so a
// list of a million nodes is compared, printed, hashed and copied without a
// million C stack frames (issue 11: deep recursion is a stack overflow).
// Other recursive fields (a tree's left child) still recurse: their depth is
// the tree's depth, not its length.

import { typeEq, variantFields, type Type, type VariantInfo } from "../../check/types.js";

/** The index of v's last field when it is of type t itself (and t is boxed), else -1. */
export function spineField(t: Extract<Type, { k: "enum" }>, v: VariantInfo): number {
  if (!t.info.recursive) return -1;
  const fs = variantFields(t, v);
  return fs.length && typeEq(fs[fs.length - 1].type, t) ? fs.length - 1 : -1;
}
