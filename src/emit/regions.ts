// Leaving `region { ... }` blocks early: `return`, `break`, `continue` and `?`
// inside a block (MEMORY.md: a block region is freed on every path out of it).
// The normal end of a block is written by FnEmitter.region; a panic frees the
// open blocks of its task in the runtime (co__region_track, task.c).
import type * as A from "../syntax/ast.js";
import type { Type } from "../check/types.js";
import type { StoreNode } from "../memory/regions.js";
import { assign, exprStmt, rt, type Expr, type Stmt } from "../lower/ir.js";
import type { Carry } from "./carry.js";

/** A region block being emitted: its first local's id (older locals live outside it), and the C variables
 * holding the region current outside it (`saved`) and its own region (`region`). A carry region (emit/carry.ts)
 * holds only its loop's carried locals and is never current. */
export interface OpenRegion { first: number; saved: string; region: string; carry?: Carry }

/** Statements that leave the region blocks open above `depth` (outermost = 0), innermost first:
 * each block's outer region becomes current again and the block's region is freed. */
export function leaveRegions(open: readonly OpenRegion[], depth: number, restored = false): Stmt[] {
  const out: Stmt[] = [];
  // A carry region first moves the contents of the shared vecs back under their headers (emit/carry.ts), unless
  // that was done already (`restored`: a `return` does it before its value leaves, carryRestores).
  for (let i = open.length - 1; i >= depth; i--) out.push(...(restored ? [] : open[i].carry?.restore() ?? []), leaveRegion(open[i]));
  return out;
}

/** The moves back of every open carry region's shared vecs (innermost first), for a `return` or `?` about to leave
 *  them all: done before the returned value is copied out (returnedValue), so that a vec whose contents were moved
 *  is back under its header in the region it came from and leaves as it is — the caller gets the header its other
 *  holders see (mem17), while what is still in the carry region is copied. */
export function carryRestores(open: readonly OpenRegion[]): Stmt[] {
  return [...open].reverse().flatMap((b) => b.carry?.restore() ?? []);
}

/** Leaving one region block: its outer region becomes current, its own is freed (one line of C). */
export function leaveRegion(b: Pick<OpenRegion, "saved" | "region">): Stmt {
  return { s: "row", body: [assign(CURRENT, regionVar(b.saved)), exprStmt(rt("co_region_free", regionVar(b.region)))] };
}

/** The runtime's current region, `co_current`. */
export const CURRENT: Expr = { e: "sym", name: "co_current" };

/** A temporary holding a region (a saved current region, a block's own), by its C name (`F->tN` in an async body). */
export function regionVar(name: string): Expr { return { e: "local", l: { id: 0, name, type: { k: "region" } } }; }

/** Entering a region block: the current region saved in `saved`, a new one in `region`, which becomes current. */
export function enterRegion(fe: { declare(ct: string, ref: string, init: Expr): void; emit(s: Stmt): void }, b: Pick<OpenRegion, "saved" | "region">): void {
  fe.declare("co_region *", b.saved, CURRENT);
  fe.declare("co_region *", b.region, rt("co_region_new"));
  fe.emit(assign(CURRENT, regionVar(b.region)));
}

interface Promoter {
  /** The value a store writes, copied where the region analysis says so (Emitter.stored). */
  stored(node: StoreNode, owner: string | null, t: Type, v: string, since?: string): string;
  /** The same copy over an IR value, as IR (Emitter.storedAsIr). */
  storedAsIr(node: StoreNode, owner: string | null, ownerIr: Expr | null, t: Type, v: Expr, since?: { name: string; x: Expr }): Expr;
}

/** A value returned from inside region blocks (by `return` or by `?`'s early return) copied into the region that
 * was current when the function's outermost open block began — the caller's memory, like a block's value
 * is copied out of its block; what does not live in the blocks (a collection made outside) leaves as it is.
 * The caller must evaluate the result before leaveRegions frees the blocks. */
export function returnedValue(em: Promoter, node: A.Expr | A.Stmt, open: readonly OpenRegion[], t: Type, v: string): string {
  return open.length ? em.stored(node, open[0].saved, t, v, open[0].region) : em.stored(node, null, t, v);
}

/** returnedValue over the IR value x, as IR (Emitter.storedAsIr; the regions are their temporaries). */
export function returnedValueIr(em: Promoter, node: A.Expr | A.Stmt, open: readonly OpenRegion[], t: Type, x: Expr): Expr {
  return open.length ? em.storedAsIr(node, open[0].saved, regionVar(open[0].saved), t, x, { name: open[0].region, x: regionVar(open[0].region) }) : em.storedAsIr(node, null, null, t, x);
}
