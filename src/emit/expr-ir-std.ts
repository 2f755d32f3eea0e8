// Calls into std and of extern functions as IR. A call from the program's
// own files into a std function first records its location (caller.ts:
// `co_caller_at(file, line, col)`, so a panic inside std names the program's
// line): the string emitter wrote `(co_caller_at(loc), f(args))`, which is a
// `seq` node of the runtime's call and the call. An `extern fn` of a std
// module is called by its C symbol (`{ c: "extern", f }`) where the string
// emitter wrote exactly `sym(args)`: not generic (std/json's encode and
// decode are compiler intrinsics) and no function-typed parameter (a
// function value handed to the runtime is copied into global memory and
// passed as two arguments); async externs stay text.
//
// As a statement the string emitter discarded such a call as `(void)((...))`
// (its text does not start with a name): `stmtExpr` writes that form.

import type * as A from "../syntax/ast.js";
import type { FnInfo, Type } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import { callerIr } from "./caller.js";

/** Whether a call of the extern f (with these type arguments) is one IR call of its C symbol (see above). */
export function externOk(f: FnInfo, typeArgs: Type[]): boolean {
  return !f.decl.async && typeArgs.length === 0 && !f.params.some((p) => p.type.k === "fn");
}

/** x, the call e of f, preceded by the record of its location when it calls from the program into std. */
export function withCallerIr(e: A.Expr, f: FnInfo, x: Expr): Expr {
  const first = callerIr(e, f);
  return first ? { e: "seq", first, then: x } : x;
}

/** The call x as an expression statement: a `seq` discarded as the string emitter discarded its text. */
export function stmtExpr(x: Expr): Expr {
  return x.e === "seq" ? { e: "cast", to: { k: "void" }, x: { e: "paren", x }, bare: true } : x;
}
