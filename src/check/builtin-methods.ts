// The methods the compiler builds into types (docs/language.md, "Standard helpers" and the
// collection, string and number methods), as one table by receiver kind. A type has one method
// of a name, across its impls and the traits it implements: a trait method named like a built-in
// one would take its place at every call (std's too, since a call on a `string` finds the impl
// first), so declaring one is E0102 (check/declarations.ts). The lists are the ones the call
// checker dispatches on, so a method added there is covered here.

import type { Type } from "./types.js";
import type { CheckContext } from "./context.js";
import { STR_METHODS, COLL_METHODS } from "./calls.js";
import { INT_HELPERS, OPT_HELPERS, RESULT_HELPERS, VEC_HELPERS } from "./helpers.js";
import { TASK_METHODS } from "./tasks.js";

/** Built-in methods of `StringBuilder` (check/calls.ts). */
export const BUILDER_METHODS = ["append", "len", "toString", "clear"];

/** The built-in methods of values of type t; every value has `clone`. */
export function builtinMethodNames(cx: CheckContext, t: Type): readonly string[] {
  const own = ((): readonly string[] => {
    switch (t.k) {
      case "string": return [...STR_METHODS.keys(), "padStart", "padEnd"];
      case "vec": return [...COLL_METHODS.vec, ...VEC_HELPERS];
      case "map": return COLL_METHODS.map;
      case "set": return COLL_METHODS.set;
      case "optional": return OPT_HELPERS;
      case "int": return [...INT_HELPERS, "toString"];
      case "float": return ["toFixed", "toString"];
      case "builder": return BUILDER_METHODS;
      case "task": return TASK_METHODS;
      case "enum": return t.info === cx.resultEnum ? RESULT_HELPERS : [];
      default: return [];
    }
  })();
  return [...own, "clone"];
}
