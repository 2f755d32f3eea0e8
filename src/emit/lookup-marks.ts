// Where an IR expression of a body came from when the IR took it back from a
// text the string emitter wrote (issue 8: the lookups go as expressions are
// built as IR first). frames-ir.ts placeIr marks what each lookup path gives
// back; scripts/ir-text-count.ts walks the finished IR and counts the marked
// nodes by path. A mark is only a note beside the node (a WeakMap): it changes
// neither the IR nor the C.

import type { Expr } from "../lower/ir.js";

/**
 * The lookup paths: `member` (a variable or temporary by its C name), `known`
 * (the IR remembered with a text it printed: knownIr, irValueText), `built`
 * (a text recorded with its IR, its operands looked up again: text-ir.ts),
 * `owner` (`x->owner` of a looked-up x), `leaf` (a literal or local read
 * from the text: leaf-ir.ts).
 */
export type LookupPath = "member" | "known" | "built" | "owner" | "leaf";

const marks = new WeakMap<Expr, LookupPath>();

/** x, noted as given back by the lookup path p. */
export function marked(x: Expr, p: LookupPath): Expr {
  if (x.e !== "c" && !marks.has(x)) marks.set(x, p);
  return x;
}

/** The lookup path that gave x back, if one did. */
export function lookupPath(x: Expr): LookupPath | undefined { return marks.get(x); }
