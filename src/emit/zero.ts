// The zero value of `var x: T` (docs/language.md, "Statements"): a struct or
// tuple of zero values, an enum's first variant holding zero values. Unlike
// ctext.ts's zero() — a placeholder overwritten before it is read — this is a
// value the program may read, so strings are "" and collections are empty
// inside enum payloads too, and a recursive enum's payload gets its box (a
// helper per type allocates it in the current region). The checker rejects a
// type whose zero value would be infinite (check/assigned.ts).

import { fieldTypes, variantFields, type Type } from "../check/types.js";
import { cType, mangle, fieldName } from "./names.js";
import { zero } from "./ctext.js";
import { isBoxed, payloadType, variantValue } from "./enum-layout.js";

/** What zeroValue needs from the emitter. */
export interface ZeroHost {
  defineType(t: Type): void;
  fnHelper(name: string, proto: string, body: () => string): string;
}

export function zeroValue(em: ZeroHost, t: Type): string {
  switch (t.k) {
    case "struct": {
      const fields = fieldTypes(t).map((f) => `.${fieldName(f.name)} = ${zeroValue(em, f.type)}`);
      return fields.length ? `((${cType(t)}){ ${fields.join(", ")} })` : `((${cType(t)}){0})`;
    }
    case "tuple": return `((${cType(t)}){ ${t.elems.map((x) => zeroValue(em, x)).join(", ")} })`;
    case "enum": {
      em.defineType(t);
      const v = t.info.variants[0];
      const fs = v ? variantFields(t, v) : [];
      const c = cType(t);
      if (!fs.length) return variantValue(t, 0, null);
      if (!isBoxed(t)) return variantValue(t, 0, fs.map((f) => zeroValue(em, f.type)));
      const name = `zero_${mangle(t)}`;
      return `${em.fnHelper(name, `static ${c} ${name}(void)`, () => [
        `  ${payloadType(t, 0)} *b = co_alloc(sizeof *b);`,
        ...fs.map((f, i) => `  b->f${i} = ${zeroValue(em, f.type)};`),
        `  return ${variantValue(t, 0, "b")};`,
      ].join("\n"))}()`;
    }
    default: return zero(t);
  }
}
