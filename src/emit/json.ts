// std/json's two compiler intrinsics: `encode<T>` and `decode<T>` are extern
// functions of std/json.co whose bodies are the codecs derived for T
// (src/lower/derive/json.ts); every other extern is an ordinary C symbol.

import type { FnInfo, Type } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import type { Emitter } from "./c.js";
import { externName } from "./names.js";

/** The C expression for a call of a std/json intrinsic, or null when f is not one. */
export function jsonIntrinsic(em: Emitter, f: FnInfo, typeArgs: Type[], ret: Type, args: string[]): string | null {
  switch (externName(f)) {
    case "co_std_json_encode": return em.derived.jsonEncode(typeArgs[0], args[0]);
    case "co_std_json_decode": return em.derived.jsonDecode(ret, args[0]);
    default: return null;
  }
}

/** Whether f is a std/json intrinsic (a call of it is jsonIntrinsicIr's). */
export function isJsonIntrinsic(f: FnInfo): boolean {
  const n = f.decl.extern ? externName(f) : "";
  return n === "co_std_json_encode" || n === "co_std_json_decode";
}

/** The call of a std/json intrinsic as IR: the derived codec's call (`jstr_T(v)`, `jdoc_R(s)`), scheduled now. */
export function jsonIntrinsicIr(em: Emitter, f: FnInfo, typeArgs: Type[], ret: Type, args: Expr[]): Expr {
  return externName(f) === "co_std_json_encode" ? em.derived.deriveIr("jsonStr", typeArgs[0], args[0]) : em.derived.deriveIr("jsonDoc", ret, args[0]);
}
