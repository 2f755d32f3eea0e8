// The formatting methods: padStart, padEnd, toFixed, toString. (An
// interpolation with a format spec, `"{x:>8.2}"`, is IR: expr-ir-show.ts
// formattedIr.) The checker has already matched the spec to the type
// (src/check/format.ts).

import type * as A from "../syntax/ast.js";
import { T, isSigned } from "../check/types.js";
import { NEVER, locArgs } from "./ctext.js";
import { cStr } from "./names.js";
import type { FnEmitter } from "./body.js";
import { C } from "./body-ir.js";
import { locIr } from "./caller.js";

/** A call of padStart / padEnd / toFixed / toString (the checker's `fmtMethod`). */
export function formatMethod(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, name: string, recv: A.Expr): string {
  const rt = fe.typeOf(recv);
  const vals = fe.operands([recv, ...e.args], [rt, ...e.args.map((a) => fe.typeOf(a).k === "string" ? T.string : T.i64)]);
  if (vals.some((x) => x === NEVER)) return NEVER;
  const [s, a, b] = vals;
  switch (name) {
    case "padStart": case "padEnd": {
      // Recorded with its IR (text-ir.ts).
      const f = `co_str_pad_${name === "padStart" ? "start" : "end"}`;
      return fe.recorded(`${f}(${s}, ${a}, ${b ?? cStr(" ")}, ${locArgs(e.span)})`, { e: "call", f: { c: "rt", name: f }, args: [C(s), C(a), b === undefined ? { e: "lit", t: T.string, v: " " } : C(b), ...locIr(e.span)] });
    }
    case "toFixed": return `co_str_to_fixed((double)(${s}), ${a}, ${locArgs(e.span)})`;
    case "toString":
      // Recorded with their IR (text-ir.ts).
      if (rt.k === "float") { const f = rt.name === "f64" ? "co_str_from_f64" : "co_str_from_f32"; return fe.recorded(`${f}(${s})`, { e: "call", f: { c: "rt", name: f }, args: [C(s)] }); }
      if (rt.k === "int" && a === undefined) { const f = isSigned(rt.name) ? "co_str_from_i64" : "co_str_from_u64"; return fe.recorded(`${f}(${s})`, { e: "call", f: { c: "rt", name: f }, args: [C(s)] }); }
      if (rt.k === "int") return isSigned(rt.name) ? `co_str_radix_i64(${s}, ${a}, ${locArgs(e.span)})` : `co_str_radix_u64(${s}, ${a}, ${locArgs(e.span)})`;
  }
  throw new Error(`internal: format method ${name} on ${rt.k}`);
}
