// The derive pass: the functions every type gets from the compiler (eq, hash,
// show, clone, promote, drop and its queued steps, the JSON codecs), built as
// IR functions.

import type { Type } from "../../check/types.js";
import type { DeriveKind, Func } from "../ir.js";
import { eqFunc } from "./eq.js";
import { hashFunc } from "./hash.js";
import { showFunc } from "./show.js";
import { cloneFunc, promoteFunc } from "./clone.js";
import { leaveFunc } from "./leave.js";
import { restoreFunc } from "./restore.js";
import { dropFunc, dropStepFunc } from "./drop.js";
import { encFunc, decFunc, strFunc, docFunc } from "./json.js";
import { keepFunc } from "./keep.js";

export { eqExpr } from "./eq.js";
export { hashExpr } from "./hash.js";
export { showStmts } from "./show.js";
export { cloneExpr, promoteExpr } from "./clone.js";
export { leaveExpr } from "./leave.js";
export { restoreExpr } from "./restore.js";
export { dropStmts } from "./drop.js";
export { keepExpr } from "./keep.js";

/** The IR function derived for type t. */
export function deriveFunc(kind: DeriveKind, t: Type): Func {
  switch (kind) {
    case "eq": return eqFunc(t);
    case "hash": return hashFunc(t);
    case "show": return showFunc(t, false);
    case "showNested": return showFunc(t, true);
    case "clone": return cloneFunc(t);
    case "promote": return promoteFunc(t);
    case "restore": return restoreFunc(t);
    case "leave": return leaveFunc(t);
    case "drop": return dropFunc(t);
    case "dropStep": return dropStepFunc(t);
    case "jsonEnc": return encFunc(t);
    case "jsonDec": return decFunc(t);
    case "jsonStr": return strFunc(t);
    case "jsonDoc": return docFunc(t);
    case "keep": return keepFunc(t);
  }
}
