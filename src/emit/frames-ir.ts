// The members of an async body's frame as IR (the body emitter in async mode
// names every local and temporary `F->name`, FnEmitter.decl records it as a
// member). A Colang local read or written there is `{ e: "var", frame: true
// }` (printed `F->l_x_N`, dumped `frame.x`); a temporary the lowering
// declared (`F->tN`, a `co_sb`, a saved region) is `{ e: "local" }` of that
// name with the member's C type (dumped `frame.tN`). `memberIr` is asked
// with the text the string emitter has for a place or an operand: exactly a
// member's name gives its IR, anything else stays C text. A sync body's
// variables are asked the same way (a Colang local `l_x_N`, a temporary
// `tN`, by the names the body declared or named), and so are the globals
// the body named (`g_x`).

import type { GlobalInfo, LocalVar } from "../check/types.js";
import type { Expr, Local } from "../lower/ir.js";
import { leafIr } from "./leaf-ir.js";
import { fillTexts, type BuiltTexts } from "./text-ir.js";
import { lookupPath, marked } from "./lookup-marks.js";

/** What the frame members are known by: the body emitter's record of them. */
export interface FrameOwner {
  asyncMode: boolean;
  /** name -> C type of every variable the body declared (FnEmitter.decl). */
  frame: Map<string, string>;
  /** The Colang locals the body names, by C name (FnEmitter.lv). */
  frameVars: Map<string, LocalVar>;
  /** The globals the body names, by C name (FnEmitter.varRef). */
  globalVars?: Map<string, GlobalInfo>;
  /** The texts built from IR over text operands (text-ir.ts), and how this body prints an IR expression whole. */
  built?: BuiltTexts;
  printTop?(x: Expr, top?: boolean): string;
}

/** The frame member `ref` (`F->name`; in a sync body the variable `name`) as IR, or null when ref is not exactly one this body declared or names. */
export function memberIr(fe: FrameOwner, ref: string): Expr | null {
  const g = fe.globalVars?.get(ref);
  if (g) return { e: "var", v: g, frame: false };
  const name = !fe.asyncMode ? ref : ref.startsWith("F->") ? ref.slice(3) : null;
  if (name === null) return null;
  const v = fe.frameVars.get(name);
  if (v) return { e: "var", v, frame: fe.asyncMode };
  const ct = fe.frame.get(name);
  return ct === undefined ? null : { e: "local", l: memberLocal(ref, ct) };
}

/** A temporary frame member as an IR local (its C type as the string emitter spelled it). */
export function memberLocal(ref: string, ct: string): Local {
  return { id: 0, name: ref, type: { k: "ctype", c: ct } };
}

/**
 * text (of C type ct) as IR when it names a variable the body declared or named, or is the text of a value
 * the async lowering built as IR (knownIr); else a plain leaf (leaf-ir.ts: a literal, a local by its C name)
 * or C text.
 */
export function placeIr(fe: FrameOwner, text: string, ct = ""): Expr {
  const m = memberIr(fe, text);
  if (m) return marked(m, "member");
  const k = known.get(fe)?.get(text);
  // A copy, so the mark (lookup-marks.ts) notes this use only.
  if (k) return marked({ ...k }, "known");
  const b = builtIr(fe, text);
  if (b) return marked(b, "built");
  const o = ownerOf(fe, text);
  return o ? marked(o, "owner") : marked(leafIr(text, ct), "leaf");
}

/** `x->owner` of a collection variable, temporary or path x (the region a store into it copies into) as IR, or null. */
function ownerOf(fe: FrameOwner, text: string): Expr | null {
  if (!text.endsWith("->owner")) return null;
  const p = placeIr(fe, text.slice(0, -"->owner".length));
  if (p.e === "c") return null;
  const x: Expr = { e: "arrow", p, field: "owner" };
  // A variable's, or a path's that prints back to the text (`t5.val.f_tags->owner`).
  return p.e === "local" || p.e === "var" || fe.printTop?.(x) === text ? x : null;
}

/** A text built from IR over text operands (text-ir.ts) as IR, where each operand is IR in this body and the whole prints back to the text. */
function builtIr(fe: FrameOwner, text: string): Expr | null {
  const x = fe.built?.get(text);
  if (!x || !fe.printTop) return null;
  const y = fillTexts(x, (t) => { const r = placeIr(fe, t); return r.e === "c" ? null : r; });
  if (!y) return null;
  if (fe.printTop(y) === text) return y;
  // An operator the text parenthesised where it stands whole (`(mark, call)`, `(a == b)`).
  const z: Expr = { e: "paren", x: y };
  return fe.printTop(z) === text ? z : null;
}

/**
 * The text of a whole condition or statement value (printed: as the string emitter writes it there, without
 * the outer parentheses an operator's text has) as IR where placeIr has it and it prints so, else C text.
 */
export function wholeIr(fe: FrameOwner, text: string, printed = text): Expr {
  const x = placeIr(fe, text);
  if (x.e === "c" || !fe.printTop) return { e: "c", text: printed };
  if (fe.printTop(x) === printed) return x;
  return x.e === "paren" && fe.printTop(x.x) === printed ? marked(x.x, lookupPath(x) ?? "built") : { e: "c", text: printed };
}

/** The IR the text was remembered with (knownIr), or null. */
export function knownAs(fe: FrameOwner, text: string): Expr | null {
  return known.get(fe)?.get(text) ?? null;
}

/** The values the async lowering built as IR and handed to the string emitter as their text, per body. */
const known = new WeakMap<FrameOwner, Map<string, Expr>>();

/**
 * x, which the lowering built, handed to the string emitter as its C text
 * (an awaited future's result member, `F->t1->result`): where the string
 * emitter stores or declares that text whole, placeIr gives x back.
 */
export function knownIr(fe: FrameOwner, text: string, x: Expr): string {
  if (!known.has(fe)) known.set(fe, new Map());
  known.get(fe)!.set(text, x);
  return text;
}

/** `co_alloc(sizeof *p)`: room for what pointer p points to, in the current region (a closure's environment, a box). */
export function allocIr(p: Expr): Expr {
  return { e: "call", f: { c: "rt", name: "co_alloc" }, args: [{ e: "sizeofDeref", p }] };
}
