// std/json's two compiler intrinsics: `encode<T>` and `decode<T>` are extern
// functions of std/json.co whose bodies are the codecs derived for T
// (src/lower/derive/json.ts); every other extern is an ordinary C symbol.

import type { FnInfo, Type } from "../check/types.js";
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
