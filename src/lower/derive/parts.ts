// Looking into an inline aggregate field by field: a struct's fields, a tuple's elements, an optional's value, each
// variant's payload fields. Promotion (clone.ts) and leaving `region { }` blocks (leave.ts) decide each part on its
// own, so a struct stored back copies its strings, not the collections its destination already owns.

import { fieldTypes, variantFields, type Type } from "../../check/types.js";
import type { Expr, Stmt } from "../ir.js";

/** The statements applying `part` to each inner place of v (of type t), or null when t is no inline aggregate. */
export function eachPart(t: Type, V: Expr, part: (place: Expr, ft: Type) => Stmt[]): Stmt[] | null {
  switch (t.k) {
    case "struct": return fieldTypes(t).flatMap((f) => part({ e: "field", of: V, name: f.name }, f.type));
    case "tuple": return t.elems.flatMap((e, i) => part({ e: "elem", of: V, i }, e));
    case "optional": return [{ s: "if", cond: { e: "has", of: V }, then: part({ e: "val", of: V }, t.inner), else_: [] }];
    case "enum": {
      const cases = t.info.variants.filter((vr) => vr.fields.length).map((vr) => ({
        v: vr.index,
        body: [...variantFields(t, vr).flatMap((f, i) => part({ e: "payload", of: V, type: t, variant: vr.index, i }, f.type)), { s: "break" } as Stmt],
      }));
      return [{ s: "switch", on: { e: "tag", of: V, type: t }, cases, default_: [{ s: "break" }] }];
    }
    default: return null;
  }
}
