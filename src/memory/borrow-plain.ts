// Reads of a borrow that do not read global memory (issue 9, fix9): a struct or
// tuple local holds its value by value in C, so a path of fields and tuple
// elements from it to a pointer-free part (`u.id`, `t.0.pos.x`) reads the
// local's own bytes, and using it after an `await` is not E0301 (borrows.ts
// `use` with `plain`). A part holding a pointer (`u.name`) still points into
// the global's memory.
import type * as A from "../syntax/ast.js";
import type { LocalVar } from "../check/types.js";
import type { Analysis } from "./borrow-analysis.js";

/**
 * The local at the base of a path of struct fields and tuple elements (`u`, `p.a`, `t.0`), or null. Structs and
 * tuples are held by value (emit/names.ts cType), so such a path reads the local's own bytes; not `self`, which a
 * method may get as a pointer.
 */
export function byValueLocal(a: Analysis, x: A.Expr): LocalVar | null {
  const t = a.typeOf(x);
  if (t.k !== "struct" && t.k !== "tuple") return null;
  if (x.kind === "Ident") {
    const ref = a.p.refs.get(x);
    return ref?.kind === "local" && ref.v.name !== "self" ? ref.v : null;
  }
  if (x.kind === "Field" && !a.p.refs.get(x)) return byValueLocal(a, x.target);
  if (x.kind === "TupleIndex") return byValueLocal(a, x.target);
  return null;
}
