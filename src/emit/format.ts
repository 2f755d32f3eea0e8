// Formatting: an interpolation with a format spec (`"{x:>8.2}"`) becomes a
// call of the runtime's formatting functions with a spec literal (co_fmt.h);
// values that are not numbers or strings print as usual and are then padded
// in the builder. Also the formatting methods: padStart, padEnd, toFixed,
// toString. The checker has already matched the spec to the type
// (src/check/format.ts).

import type * as A from "../syntax/ast.js";
import { C } from "./body-ir.js";
import type { FormatSpec } from "../syntax/format-spec.js";
import { fmtLiteral } from "./print.js";
import { T, isSigned, type Type } from "../check/types.js";
import { NEVER, locArgs } from "./ctext.js";
import { cStr } from "./names.js";
import type { FnEmitter } from "./body.js";

/** Appends v (type t) formatted by spec to the builder named sb. */
export function emitFormatted(fe: FnEmitter, t: Type, sb: string, v: string, spec: FormatSpec): void {
  const F = fmtLiteral(spec);
  const debug = spec.type === "?";
  if (t.k === "int") {
    fe.emit({ s: "expr", x: C(isSigned(t.name) ? `co_sb_fmt_i64(&${sb}, (int64_t)(${v}), ${F})` : `co_sb_fmt_u64(&${sb}, (uint64_t)(${v}), ${F})`) });
    return;
  }
  if (t.k === "float") { fe.emit({ s: "expr", x: C(t.name === "f64" ? `co_sb_fmt_f64(&${sb}, ${v}, ${F})` : `co_sb_fmt_f32(&${sb}, ${v}, ${F})`) }); return; }
  if (t.k === "string" && !debug) { fe.emit({ s: "expr", x: C(`co_sb_fmt_str(&${sb}, ${v}, ${F})`) }); return; }
  // Anything else prints as it always does (strings quoted under `?`), then the printed text is padded.
  if (spec.width === null) { fe.line(fe.em.show(t, `&${sb}`, v, debug)); return; }
  const mark = fe.newTmp();
  fe.declare("int64_t", mark, `${sb}.len`);
  fe.line(fe.em.show(t, `&${sb}`, v, debug));
  fe.emit({ s: "expr", x: C(`co_sb_fmt_pad(&${sb}, ${mark}, ${F})`) });
}

/** A call of padStart / padEnd / toFixed / toString (the checker's `fmtMethod`). */
export function formatMethod(fe: FnEmitter, e: Extract<A.Expr, { kind: "Call" }>, name: string, recv: A.Expr): string {
  const rt = fe.typeOf(recv);
  const vals = fe.operands([recv, ...e.args], [rt, ...e.args.map((a) => fe.typeOf(a).k === "string" ? T.string : T.i64)]);
  if (vals.some((x) => x === NEVER)) return NEVER;
  const [s, a, b] = vals;
  switch (name) {
    case "padStart": case "padEnd":
      return `co_str_pad_${name === "padStart" ? "start" : "end"}(${s}, ${a}, ${b ?? cStr(" ")}, ${locArgs(e.span)})`;
    case "toFixed": return `co_str_to_fixed((double)(${s}), ${a}, ${locArgs(e.span)})`;
    case "toString":
      if (rt.k === "float") return rt.name === "f64" ? `co_str_from_f64(${s})` : `co_str_from_f32(${s})`;
      if (rt.k === "int" && a === undefined) return isSigned(rt.name) ? `co_str_from_i64(${s})` : `co_str_from_u64(${s})`;
      if (rt.k === "int") return isSigned(rt.name) ? `co_str_radix_i64(${s}, ${a}, ${locArgs(e.span)})` : `co_str_radix_u64(${s}, ${a}, ${locArgs(e.span)})`;
  }
  throw new Error(`internal: format method ${name} on ${rt.k}`);
}
