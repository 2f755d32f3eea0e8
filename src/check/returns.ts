// Result-type inference for closures with a block body and no declared
// result (`|x: int| { if x > 0 { return 1 } return 0 }`). The checker walks
// the body once; the first `return` with a value, in whatever nested position
// (if/else, match arm, loop, block), fixes the result type, and every later
// `return` is checked against it. A body without such a `return` returns ().
// `?` seen before the type is known is checked once it is.

import type * as A from "../syntax/ast.js";
import type { Type } from "./types.js";

export interface ReturnInference {
  ret: Type | null; // null until the first `return` decides it
  first: A.Span | null; // where it was decided, for the "disagree" note
  pendingTries: { e: Extract<A.Expr, { kind: "Try" }>; operand: Type }[];
}

export function newReturnInference(): ReturnInference {
  return { ret: null, first: null, pendingTries: [] };
}

/** The type a `return` decides: never and poison leave the question open for a later `return`. */
export function decides(t: Type): boolean {
  return t.k !== "never" && t.k !== "error";
}
