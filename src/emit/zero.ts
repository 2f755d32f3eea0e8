// The zero value of `var x: T` (docs/language.md, "Statements"): a struct or
// tuple of zero values, an enum's first variant holding zero values. Unlike
// ctext.ts's zero() — a placeholder overwritten before it is read — this is a
// value the program may read, so strings are "" and collections are empty
// inside enum payloads too, and a recursive enum's payload gets its box (a
// helper per type allocates it in the current region: src/lower/helper-fns.ts
// zeroFunc). The checker rejects a type whose zero value would be infinite
// (check/assigned.ts).

import { fieldTypes, variantFields, type Type } from "../check/types.js";
import type { Callee, Expr, Func } from "../lower/ir.js";
import { zeroFunc, type HelperFnHost } from "../lower/helper-fns.js";
import { isBoxed } from "./enum-layout.js";

/** What zeroIr needs from the emitter. */
export interface ZeroHost {
  defineType(t: Type): void;
  irFunc(name: Callee, build: () => Func): string;
  readonly helperHost: HelperFnHost;
}

/** The zero value of t, as IR. */
export function zeroIr(em: ZeroHost, t: Type): Expr {
  switch (t.k) {
    case "struct": {
      const fields = fieldTypes(t).map((f) => ({ name: f.name, v: zeroIr(em, f.type) }));
      return fields.length ? { e: "struct", type: t, fields } : { e: "default", t };
    }
    case "tuple": return { e: "tuple", type: t, elems: t.elems.map((x) => zeroIr(em, x)) };
    case "enum": {
      em.defineType(t);
      const v = t.info.variants[0];
      const fs = v ? variantFields(t, v) : [];
      if (!fs.length) return { e: "variant", type: t, variant: 0, fields: [] };
      if (!isBoxed(t)) return { e: "variant", type: t, variant: 0, fields: fs.map((f) => zeroIr(em, f.type)) };
      const f: Callee = { c: "zero", type: t };
      em.irFunc(f, () => zeroFunc(t, em.helperHost));
      return { e: "call", f, args: [] };
    }
    default: return { e: "default", t };
  }
}
