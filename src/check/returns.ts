// Result-type inference for closures with a block body and no declared
// result (`|x: int| { if x > 0 { return 1 } return 0 }`). The checker walks
// the body once; the first `return` with a value, in whatever nested position
// (if/else, match arm, loop, block), fixes the result type, and every later
// `return` is checked against it. A body without such a `return` returns ().
// `?` seen before the type is known is checked once it is. Such a body
// returns only through `return`, so a value left as its last expression
// (`|x: int| { x + 1 }`) would be dropped: E0243.

import type * as A from "../syntax/ast.js";
import type { Type } from "./types.js";

export interface ReturnInference {
  ret: Type | null; // null until the first `return` decides it
  first: A.Span | null; // where it was decided, for the "disagree" note
  pendingTries: { e: Extract<A.Expr, { kind: "Try" }>; operand: Type }[];
  shape?: Type; // guides the first `return` (ClosureHint.shape)
}

export function newReturnInference(shape?: Type): ReturnInference {
  return { ret: null, first: null, pendingTries: [], ...(shape ? { shape } : {}) };
}

/** The type a `return` decides: never and poison leave the question open for a later `return`. */
export function decides(t: Type): boolean {
  return t.k !== "never" && t.k !== "error";
}

/** The value a result-less block body would drop: its last expression (through if/match branches) when that is a plain value. */
export function lostValue(body: A.Block | A.Expr, types: ReadonlyMap<A.Expr, Type>, pure: ReadonlySet<string>): A.Expr | null {
  if (body.kind === "Block") {
    const last = body.stmts[body.stmts.length - 1];
    return last?.kind === "ExprStmt" ? lostValue(last.expr, types, pure) : null;
  }
  if (body.kind === "If" || body.kind === "IfLet") return lostValue(body.then, types, pure) ?? (body.else_ ? lostValue(body.else_, types, pure) : null);
  if (body.kind === "Match") {
    for (const a of body.arms) { const x = lostValue(a.body, types, pure); if (x) return x; }
    return null;
  }
  const t = types.get(body);
  return pure.has(body.kind) && t && t.k !== "unit" && t.k !== "never" && t.k !== "error" ? body : null;
}

/**
 * The fix of E0203 when the body's last statement already computes the result and only lacks `return`: a value
 * (`x + 1`), or an `if`/`match` written as a statement whose every branch ends in such a value
 * (`match r { Ok(v) => http.text(v), Err(e) => http.text(e) }`).
 */
export function lastValueFix(body: A.Block, ret: Type, types: ReadonlyMap<A.Expr, Type>, same: (a: Type, b: Type) => boolean): string | null {
  const last = body.stmts[body.stmts.length - 1];
  if (!last || last.kind !== "ExprStmt") return null;
  const ends = (x: A.Expr | A.Block | null): boolean => {
    if (!x) return false;
    if (x.kind === "Block") { const l = x.stmts[x.stmts.length - 1]; return !!l && l.kind === "ExprStmt" && ends(l.expr); }
    if (x.kind === "If" || x.kind === "IfLet") return ends(x.then) && ends(x.else_);
    if (x.kind === "Match") return x.arms.length > 0 && x.arms.every((a) => ends(a.body));
    const t = types.get(x);
    return !!t && (t.k === "never" || same(t, ret));
  };
  const e = last.expr;
  if (e.kind === "Match" || e.kind === "If" || e.kind === "IfLet") return ends(e) ? `write \`return\` before the \`${e.kind === "Match" ? "match" : "if"}\`: each branch already ends in the value` : null;
  const t = types.get(e);
  return t && same(t, ret) ? "write `return` before the last expression" : null;
}
