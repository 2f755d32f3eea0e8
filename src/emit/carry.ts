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
//
// A vec another holder shares (mem16, memory/carry.ts movable) keeps its
// header, h, where it is; only its contents move, so every holder of h keeps
// seeing one vec:
//
//     o = co_carry_move_from(h->owner, R);    // NULL: they stay (co_global.h)
//     if (o) { co_current = R; *h = *clone(h); co_current = saved; }
//     ... at a compaction: if (o) *h = *clone(h) with the new region current
//     ... on every way out (the loop's end, `break`, `return`, `?`), before R is freed:
//     if (o) { co_current = o; *h = *clone(h); co_current = saved; }
//
// The clone's header is left behind in the region it was made in; h->owner
// is the region the contents are in, so stores into the vec copy there.
//
// A struct or tuple whose vecs are shared (mem17, memory/carry.ts moveParts)
// moves each vec's contents that way, h being the slot of the local holding
// it (`st.f_lines`), one `o` per vec; its other parts holding heap memory
// (its strings) are carried like a carried local, part by part (`st.f_last =
// promote(R, st.f_last)`, cloned at a compaction, back when the loop ends),
// and the local counts as carried (its stores go to R).

import type * as A from "../syntax/ast.js";
import type { LocalVar, Type } from "../check/types.js";
import type { FnEmitter } from "./body.js";
import { placeIr } from "./frames-ir.js";
import { CURRENT, regionVar } from "./regions.js";
import { fieldName } from "./names.js";
import { C } from "./body-ir.js";
import { moveParts, movedWhole, replacedIn } from "../memory/carry.js";
import { cType } from "./names.js";
import { bin, rt, type Stmt } from "../lower/ir.js";

/** A part of a moved local (mem17): the local, the path to the part (empty: the local itself) and its type. */
interface Part { v: LocalVar; path: readonly (string | number)[]; type: Type }

/** The carry of an open carry region (regions.ts OpenRegion.carry): the carried locals, the parts of moved structs
 *  and tuples carried like them (`copies`), and the shared vecs whose contents moved (`from`: the temporary holding
 *  the region they came from, NULL when they stayed); `restore` writes the statements moving those contents back,
 *  run on every way out before the region is freed. */
export interface Carry { ids: Set<number>; locals: readonly LocalVar[]; copies: readonly Part[]; moved: readonly Moved[]; lim: string; body: A.Expr; restore: () => Stmt[]; early?: boolean }

/** A vec whose contents moved: `from` as above; `orig`, for a vec local the loop replaces (`batch = []`, mem17), the
 *  temporary holding the header it started with, whose contents are the ones moved (the local may name a vec of
 *  its own by then, in the carry region, carried like a carried local's). */
type Moved = Part & { from: string; orig?: string };

/** The C place of a part of local v (a struct's field, a tuple's element, at any depth; the local itself). */
function partRef(fe: FnEmitter, x: Part): string {
  let of = fe.localRef(x.v);
  for (const k of x.path) of = typeof k === "string"
    ? fe.recorded(`${of}.${fieldName(k)}`, { e: "field", of: C(of), name: k })
    : fe.recorded(`${of}.f${k}`, { e: "elem", of: C(of), i: k });
  return of;
}

/** `*h = *clone(h)` for the vec h of a moved part (the header it started with, when replaced): its contents copied
 *  into the current region, under its header. A map or set (mem18) is copied keeping its entry layout, `*h =
 *  *keep(h)` (lower/derive/keep.ts): every entry at its index, so a `for` over it around the loop goes on. */
function moveContents(fe: FnEmitter, x: Part & { orig?: string }): Stmt {
  const ref = x.orig ?? partRef(fe, x);
  const t = fe.ty(x.type);
  const copy = t.k === "map" || t.k === "set" ? fe.em.derived.deriveIr("keep", t, placeIr(fe, ref)) : placeIr(fe, fe.em.clone(t, ref));
  return { s: "assign", to: { e: "deref", p: placeIr(fe, ref) }, v: { e: "deref", p: copy } };
}

/** An awaiting loop with carried locals: the loop (emitLoop) inside its carry region. */
export function carryLoop(fe: FnEmitter, s: A.Stmt, ks: readonly LocalVar[], ms: readonly LocalVar[], body: A.Expr, first: number, emitLoop: () => void): void {
  const saved = fe.newTmp(), r = fe.newTmp(), lim = fe.newTmp();
  // The moved locals' vecs, and (a struct's, a tuple's) their other parts holding heap memory.
  const vecs: Part[] = [], copies: Part[] = [];
  for (const v of ms) {
    const parts = moveParts(v.type);
    if (!parts) continue;
    for (const x of parts.heads) vecs.push({ v, path: x.path, type: x.type });
    for (const x of parts.copies) copies.push({ v, path: x.path, type: x.type });
  }
  const block = fe.nest(() => {
    fe.declare("co_region *", saved, CURRENT);
    fe.declare("co_region *", r, rt("co_region_new_carry"));
    fe.declare("int64_t", lim, { e: "sym", name: "CO_CARRY_MIN" });
    for (const v of ks) { const ref = fe.localRef(v); fe.assign(ref, fe.em.promote(r, fe.ty(v.type), ref)); }
    for (const x of copies) { const ref = partRef(fe, x); fe.assign(ref, fe.em.promote(r, fe.ty(x.type), ref)); }
    // The shared vecs' contents, in order: a second variable (or field) holding a header already moved finds it owned by R.
    const moved = vecs.map((x): Moved => {
      const from = fe.newTmp();
      fe.declare("co_region *", from, rt("co_carry_move_from", { e: "arrow", p: placeIr(fe, partRef(fe, x)), field: "owner" }, regionVar(r)));
      if (x.type.k === "vec" && replacedIn(fe.typed, s, x.v, x.path)) {
        const orig = fe.newTmp();
        fe.declare(cType(x.type), orig, placeIr(fe, partRef(fe, x)));
        const move = [{ s: "assign", to: CURRENT, v: regionVar(r) }, moveContents(fe, x), { s: "assign", to: CURRENT, v: regionVar(saved) }] as Stmt[];
        fe.emit({ s: "if", cond: regionVar(from), then: move, else_: [] });
        return { ...x, from, orig };
      }
      const move = [{ s: "assign", to: CURRENT, v: regionVar(r) }, moveContents(fe, x), { s: "assign", to: CURRENT, v: regionVar(saved) }] as Stmt[];
      fe.emit({ s: "if", cond: regionVar(from), then: move, else_: [] });
      return { ...x, from };
    });
    // Back into the region each came from, the last moved first (a header moved twice goes back through R).
    const restore = (): Stmt[] => [...moved].reverse().map((x) =>
      ({ s: "if", cond: regionVar(x.from), then: [{ s: "assign", to: CURRENT, v: regionVar(x.from) }, moveContents(fe, x), { s: "assign", to: CURRENT, v: regionVar(saved) }], else_: [] }));
    const ids = new Set([...ks, ...ms.filter((v) => movedWhole(fe.typed, s, v))].map((v) => v.id));
    fe.regionStack.push({ first, saved, region: r, carry: { ids, locals: ks, copies, moved, lim, body, restore } });
    emitLoop();
    fe.regionStack.pop();
    // The loop ended (its condition, or `break`): the values go back to the memory the loop started in, or to the
    // region their variable belongs to when that is older (declared before an enclosing loop carrying it too, or
    // before an enclosing `region` block: emit/body.ts localOwner).
    fe.at(s.span);
    fe.ir.addAll(restore());
    for (const x of [...ks.map((v) => ({ v, path: [], type: v.type })), ...copies]) {
      const ref = partRef(fe, x), owner = fe.localOwner(x.v);
      fe.assign(ref, owner ? fe.em.promote(owner, fe.ty(x.type), ref) : fe.em.clone(fe.ty(x.type), ref));
    }
    // A replaced vec naming one of its own (in R) goes back like a carried local.
    for (const x of moved) {
      if (!x.orig) continue;
      const ref = partRef(fe, x), owner = fe.localOwner(x.v);
      const back = fe.nest(() => fe.assign(ref, owner ? fe.em.promote(owner, fe.ty(x.type), ref) : fe.em.clone(fe.ty(x.type), ref)));
      fe.emit({ s: "if", cond: bin("!=", placeIr(fe, ref), placeIr(fe, x.orig)), then: back, else_: [] });
    }
    fe.emit({ s: "expr", x: rt("co_region_free", regionVar(r)) });
  });
  fe.emit({ s: "block", body: block });
}

/** The compaction of an awaiting `for` loop's carry region, written before the step reads its element (mem18;
 *  emit/loops-ir.ts forCollection) rather than where its body is entered: the element is read from the iterated
 *  collection, which may be a moved collection under another name (`for (k, v) in mv` with `m[k] = await f(v)`,
 *  `for x in view` with `batch[j] = await f(x)`): its strings would then lie in the carry region, and a compaction
 *  after the read would free them under `k` and `x` (ASan: use-after-poison; before mem18 the vec case too). Read
 *  after it, the element lives in the region the next compaction frees only when the step is over. */
export function carryCompactFirst(fe: FnEmitter, body: A.Expr | null): void {
  const c = fe.regionStack.at(-1)?.carry;
  if (!body || !c || c.body !== body || c.early) return;
  carryCompact(fe, body);
  c.early = true;
}

/** At the start of an iteration of a loop with carried locals (its body, the implicit region block `body`, about to
 *  be entered): once the carry region has grown past its limit, the carried values are copied into a fresh one. */
export function carryCompact(fe: FnEmitter, body: A.Expr): void {
  const open = fe.regionStack.at(-1);
  const c = open?.carry;
  if (!open || !c || c.body !== body || c.early) return;
  const n = fe.newTmp();
  const then = fe.nest(() => {
    fe.declare("co_region *", n, rt("co_region_new_carry"));
    fe.emit({ s: "assign", to: CURRENT, v: regionVar(n) });
    for (const x of [...c.locals.map((v) => ({ v, path: [], type: v.type })), ...c.copies]) { const ref = partRef(fe, x); fe.assign(ref, fe.em.clone(fe.ty(x.type), ref)); }
    for (const x of c.moved) fe.emit({ s: "if", cond: regionVar(x.from), then: [moveContents(fe, x)], else_: [] });
    // A replaced vec naming one of its own is copied like a carried local.
    for (const x of c.moved) {
      if (!x.orig) continue;
      const ref = partRef(fe, x);
      const copy = fe.nest(() => fe.assign(ref, fe.em.clone(fe.ty(x.type), ref)));
      fe.emit({ s: "if", cond: bin("!=", placeIr(fe, ref), placeIr(fe, x.orig)), then: copy, else_: [] });
    }
    fe.emit({ s: "assign", to: CURRENT, v: regionVar(open.saved) });
    fe.emit({ s: "expr", x: rt("co_region_free", regionVar(open.region)) });
    fe.emit({ s: "assign", to: regionVar(open.region), v: regionVar(n) });
    fe.emit({ s: "assign", to: placeIr(fe, c.lim), v: rt("co_carry_limit", regionVar(open.region)) });
  });
  fe.emit({ s: "if", cond: bin(">", rt("co_region_held", regionVar(open.region)), placeIr(fe, c.lim)), then, else_: [] });
}
