// The global initialiser's stores as IR: `g = v` for each global in
// initialisation order (c.ts), the global an IR place (`{ e: "var" }` of the
// GlobalInfo, printed by its C name), the value IR where the whole
// initialiser is (expr-ir.ts valueIr) and its copy into global memory none or
// a promotion (the region analysis's decision, c.ts storeCopy:
// `promote_T(co_global, v)`). Anything else is the string emitter's text.

import type { GlobalInfo } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { valueIr } from "./expr-ir.js";

const GLOBAL: Expr = { e: "sym", name: "co_global" };

/** Emits `g = v` into the global initialiser init; false (nothing emitted) when it stays text. */
export function globalInitIr(init: FnEmitter, g: GlobalInfo): boolean {
  const copy = init.em.storeCopy(g.decl, "co_global", g.type);
  if (copy !== "none" && copy !== "promote") return false;
  const x = valueIr(init, g.decl.value, g.type);
  if (!x) return false;
  const v = init.em.storedIr(g.decl, "co_global", GLOBAL, g.type, x)!;
  init.emit({ s: "assign", to: { e: "var", v: g, frame: false }, v });
  return true;
}
