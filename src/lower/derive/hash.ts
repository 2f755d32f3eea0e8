// Derived hashing (map keys and set elements): the runtime's mixers for
// scalars, an order-dependent fold per struct, tuple and enum.

import { isSigned, fieldTypes, variantFields, type Type } from "../../check/types.js";
import { Locals, assign, call, local, ret, rt, type Expr, type Func, type Stmt } from "../ir.js";
import { spineField } from "./spine.js";

const U64: Type = { k: "int", name: "u64" };
const INIT: Expr = { e: "sym", name: "CO_HASH_INIT" };

/** The hash of v, a value of type t. */
export function hashExpr(t: Type, v: Expr): Expr {
  switch (t.k) {
    case "int": return isSigned(t.name) ? rt("co_hash_i64", { e: "cast", to: { k: "int", name: "i64" }, x: v }) : rt("co_hash_u64", { e: "cast", to: U64, x: v });
    case "bool": return rt("co_hash_bool", v);
    case "string": return rt("co_hash_str", v);
    case "unit": return INIT;
    case "optional": return { e: "cond", c: { e: "has", of: v }, a: rt("co_hash_combine", { e: "bin", op: "+", l: INIT, r: { e: "int", v: 1, t: U64 } }, hashExpr(t.inner, { e: "val", of: v })), b: INIT };
    case "struct": case "tuple": case "enum": return call({ c: "derive", kind: "hash", type: t }, v);
    default: throw new Error(`internal: hash of ${t.k}`);
  }
}

export function hashFunc(t: Type): Func {
  const L = new Locals();
  const v = L.make("v", t), h = L.make("h", U64);
  const V = local(v), H = local(h);
  const mix = (x: Expr): Stmt => assign(H, rt("co_hash_combine", H, x));
  const body: Stmt[] = [];
  switch (t.k) {
    case "struct":
      body.push({ s: "decl", l: h, init: INIT }, ...fieldTypes(t).map((f) => mix(hashExpr(f.type, { e: "field", of: V, name: f.name }))));
      break;
    case "tuple":
      body.push({ s: "decl", l: h, init: INIT }, ...t.elems.map((e, i) => mix(hashExpr(e, { e: "elem", of: V, i }))));
      break;
    case "enum":
      // A spine variant folds its other fields, then the next node's tag and fields into the same h (spine.ts).
      body.push({ s: "decl", l: h, init: INIT });
      body.push({ s: "loop", body: [
        mix({ e: "cast", to: U64, x: { e: "tag", of: V, type: t } }),
        {
          s: "switch", on: { e: "tag", of: V, type: t }, default_: [{ s: "break" }],
          cases: t.info.variants.filter((vr) => vr.fields.length).map((vr) => {
            const last = spineField(t, vr);
            const p = (i: number): Expr => ({ e: "payload", of: V, type: t, variant: vr.index, i });
            const out: Stmt[] = variantFields(t, vr).flatMap((f, i) => (i === last ? [] : [mix(hashExpr(f.type, p(i)))]));
            out.push(...(last < 0 ? [{ s: "break" as const }] : [assign(V, p(last)), { s: "continue" as const }]));
            return { v: vr.index, body: out };
          }),
        },
        { s: "break" },
      ] });
      break;
    default: throw new Error(`internal: derived hash of ${t.k}`);
  }
  body.push(ret(H));
  return { name: { c: "derive", kind: "hash", type: t }, params: [v], ret: U64, body };
}
