// Loop-carried locals (src/memory/carry.ts decides which; docs/memory.md
// "Loop-carried locals"). An awaiting loop with carried locals runs inside a
// carry region of its own, which is never the current region:
//
//   { saved = co_current; R = co_region_new_carry(); lim = CO_CARRY_MIN;
//     x = promote(R, x); ...                  // the carried values move into R
//     while (...) {
//       if (co_region_held(R) > lim) {        // at the start of an iteration
//         N = co_region_new_carry(); co_current = N; x = clone(x); ...; co_current = saved;
//         co_region_free(R); R = N; lim = co_carry_limit(R);
//       }
//       region { body }                       // the iteration's own region
//     }
//     x = clone(x); ...                       // back into the memory the loop started in
//     co_region_free(R); }
//
// Stores into a carried local promote into R (FnEmitter.varOwner), its
// collections' stores into their owner, R. `return` and `?` leave R like a
// region block (regions.ts leaveRegions); a panic frees it with the task's
// other open regions (R is made while the task is polled, so it is tracked).

import type * as A from "../syntax/ast.js";
import type { LocalVar } from "../check/types.js";
import type { FnEmitter } from "./body.js";
import { placeIr } from "./frames-ir.js";
import { CURRENT, regionVar } from "./regions.js";
import { bin, rt } from "../lower/ir.js";

/** The carry of an open carry region (regions.ts OpenRegion.carry). */
export interface Carry { ids: Set<number>; locals: readonly LocalVar[]; lim: string; body: A.Expr }

/** An awaiting loop with carried locals: the loop (emitLoop) inside its carry region. */
export function carryLoop(fe: FnEmitter, s: A.Stmt, ks: readonly LocalVar[], body: A.Expr, first: number, emitLoop: () => void): void {
  const saved = fe.newTmp(), r = fe.newTmp(), lim = fe.newTmp();
  const block = fe.nest(() => {
    fe.declare("co_region *", saved, CURRENT);
    fe.declare("co_region *", r, rt("co_region_new_carry"));
    fe.declare("int64_t", lim, { e: "sym", name: "CO_CARRY_MIN" });
    for (const v of ks) { const ref = fe.localRef(v); fe.assign(ref, fe.em.promote(r, fe.ty(v.type), ref)); }
    fe.regionStack.push({ first, saved, region: r, carry: { ids: new Set(ks.map((v) => v.id)), locals: ks, lim, body } });
    emitLoop();
    fe.regionStack.pop();
    // The loop ended (its condition, or `break`): the values go back to the memory the loop started in, or to the
    // region their variable belongs to when that is older (declared before an enclosing loop carrying it too, or
    // before an enclosing `region` block: emit/body.ts localOwner).
    fe.at(s.span);
    for (const v of ks) {
      const ref = fe.localRef(v), owner = fe.localOwner(v);
      fe.assign(ref, owner ? fe.em.promote(owner, fe.ty(v.type), ref) : fe.em.clone(fe.ty(v.type), ref));
    }
    fe.emit({ s: "expr", x: rt("co_region_free", regionVar(r)) });
  });
  fe.emit({ s: "block", body: block });
}

/** At the start of an iteration of a loop with carried locals (its body, the implicit region block `body`, about to
 *  be entered): once the carry region has grown past its limit, the carried values are copied into a fresh one. */
export function carryCompact(fe: FnEmitter, body: A.Expr): void {
  const open = fe.regionStack.at(-1);
  const c = open?.carry;
  if (!open || !c || c.body !== body) return;
  const n = fe.newTmp();
  const then = fe.nest(() => {
    fe.declare("co_region *", n, rt("co_region_new_carry"));
    fe.emit({ s: "assign", to: CURRENT, v: regionVar(n) });
    for (const v of c.locals) { const ref = fe.localRef(v); fe.assign(ref, fe.em.clone(fe.ty(v.type), ref)); }
    fe.emit({ s: "assign", to: CURRENT, v: regionVar(open.saved) });
    fe.emit({ s: "expr", x: rt("co_region_free", regionVar(open.region)) });
    fe.emit({ s: "assign", to: regionVar(open.region), v: regionVar(n) });
    fe.emit({ s: "assign", to: placeIr(fe, c.lim), v: rt("co_carry_limit", regionVar(open.region)) });
  });
  fe.emit({ s: "if", cond: bin(">", rt("co_region_held", regionVar(open.region)), placeIr(fe, c.lim)), then, else_: [] });
}
