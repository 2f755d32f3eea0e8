// Long operator chains on the IR: a left-associative chain (`1 + 1 + ... +
// 1`) would nest one C call or parenthesis per link, past clang's
// bracket-depth limit (256), so every CHAIN_SPILL links the left part is
// fixed in a temporary (`let t1 = co_add_i64(co_add_i64(...`, the next link
// reads t1). The left operand is evaluated first either way, so the order
// of effects is unchanged. The rule is the string emitter's (FnEmitter's
// chainLink): every operator but `??`, `==` and `!=` is a link; a link whose
// left operand is a chain CHAIN_SPILL links deep fixes that operand (after
// both operands of an arithmetic operator or a comparison were built, before
// the right operand of `and`/`or`) and counts as the first link of a new
// chain. Built where statements may precede the expression only (irExpr's
// `ordered`): the temporaries are statements.

import type * as A from "../syntax/ast.js";
import type { Expr } from "../lower/ir.js";
import { CHAIN_SPILL, type FnEmitter } from "./body.js";
import { fixIr } from "./expr-ir-order.js";

/** The links of the chain ending at e as the spilling counts them: CHAIN_SPILL at most (a spilled link is the first of a new chain). */
const depths = new WeakMap<A.Expr, number>();
export function chainDepth(e: A.Expr): number {
  if (e.kind !== "Binary" || e.op === "??" || e.op === "==" || e.op === "!=") return 0;
  const had = depths.get(e);
  if (had !== undefined) return had;
  // Iteratively from the bottom of the chain (a chain may be 10,000 links long).
  const chain: A.Expr[] = [];
  for (let x: A.Expr = e; x.kind === "Binary" && x.op !== "??" && x.op !== "==" && x.op !== "!=" && !depths.has(x); x = x.left) chain.push(x);
  const bottom = chain[chain.length - 1] as Extract<A.Expr, { kind: "Binary" }>;
  let below = depths.get(bottom.left) ?? 0;
  for (let i = chain.length - 1; i >= 0; i--) {
    below = below < CHAIN_SPILL ? below + 1 : 1;
    depths.set(chain[i], below);
  }
  return below;
}

/** Whether the left operand of the link e is fixed in a temporary (its chain is CHAIN_SPILL links deep). */
export function spills(e: Extract<A.Expr, { kind: "Binary" }>): boolean {
  return chainDepth(e.left) >= CHAIN_SPILL;
}

/** The left operand l of the link e, fixed in a temporary declared now where the chain spills. */
export function chainLinkIr(fe: FnEmitter, e: Extract<A.Expr, { kind: "Binary" }>, l: Expr): Expr {
  return spills(e) ? fixIr(fe, l, fe.typeOf(e.left)) : l;
}
