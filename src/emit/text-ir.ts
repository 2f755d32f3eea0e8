// Texts the string emitter builds from IR over text operands (a promotion or
// clone of an operand it has only as text, `promote_str(t2, t1)`; a borrow's
// copy, `(co_borrow_copy_off ? x : co_str_copy(x))`): the builder (derived.ts
// and the copies of c.ts) records the text with the IR it printed, whose
// operands are still `{ e: "c" }` texts. Where a body's statement takes such a
// text whole (frames-ir.ts placeIr), each operand text is looked up the same
// way in that body (a variable it declared or names, a text the IR built
// there, a plain leaf, or another recorded text), and the statement gets the
// IR when no operand stays text and the IR prints back to exactly the text
// (so the C stays byte-identical).

import type { Expr } from "../lower/ir.js";

/** The texts built from IR over text operands, with that IR: one table per program (the Emitter's). */
export class BuiltTexts {
  private readonly m = new Map<string, Expr>();
  /** x's text, recorded with x (x's operands may be `{ e: "c" }` texts). */
  record(text: string, x: Expr): string { this.m.set(text, x); return text; }
  get(text: string): Expr | undefined { return this.m.get(text); }
}

/**
 * x with every `{ e: "c" }` operand replaced by what `leaf` gives for its text, or null when one of them
 * stays text (leaf gives null or a `c` node).
 */
export function fillTexts(x: Expr, leaf: (text: string) => Expr | null): Expr | null {
  let ok = true;
  const f = (y: Expr): Expr => {
    if (!ok) return y;
    switch (y.e) {
      case "c": { const r = leaf(y.text); if (!r || hasText(r)) { ok = false; return y; } return r; }
      case "call": {
        const fn = y.f.c === "value" || y.f.c === "ptr" ? { ...y.f, fn: f(y.f.fn) } : y.f;
        return { ...y, f: fn, args: y.args.map(f) };
      }
      case "fnValue": return { ...y, env: f(y.env) };
      case "field": case "elem": case "tag": case "payload": case "box": case "has": case "val": case "len": case "strLen": case "dot": case "env": case "addr":
        return { ...y, of: f(y.of) } as Expr;
      case "at": case "index": return { ...y, of: f(y.of), i: f(y.i) };
      case "deref": case "arrow": case "sizeofDeref": case "view": return { ...y, p: f(y.p) } as Expr;
      case "bin": return { ...y, l: f(y.l), r: f(y.r) };
      case "seq": return { ...y, first: f(y.first), then: f(y.then) };
      case "not": case "unop": case "bitnot": case "cast": case "paren": case "unlikely": case "some": case "inc": return { ...y, x: f(y.x) } as Expr;
      case "cond": return { ...y, c: f(y.c), a: f(y.a), b: f(y.b) };
      case "variant": return { ...y, fields: y.fields.map(f), ...(y.box ? { box: f(y.box) } : {}) };
      case "optional": return { ...y, has: f(y.has), v: f(y.v) };
      case "struct": return { ...y, fields: y.fields.map((g) => ({ name: g.name, v: f(g.v) })) };
      case "tuple": return { ...y, elems: y.elems.map(f) };
      case "array": return { ...y, elems: y.elems.map(f) };
      case "envClone": return { ...y, fnv: f(y.fnv) };
      case "set": return { ...y, to: f(y.to), v: f(y.v) };
      default: return y;
    }
  };
  const r = f(x);
  return ok ? r : null;
}

/** Whether x holds C text anywhere. */
export function hasText(x: Expr): boolean {
  let found = false;
  fillTexts(x, () => { found = true; return null; });
  return found;
}
