// Calls into std and of extern functions as IR. A call from the program's
// own files into a std function first records its location (caller.ts:
// `co_caller_at(file, line, col)`, so a panic inside std names the program's
// line): the string emitter wrote `(co_caller_at(loc), f(args))`, which is a
// `seq` node of the runtime's call and the call. An `extern fn` of a std
// module is called by its C symbol (`{ c: "extern", f }`) where the string
// emitter wrote exactly `sym(args)`: not generic (std/json's encode and
// decode are compiler intrinsics); async externs stay text. A function value
// handed to the runtime outlives the task: it is copied into global memory
// where the region analysis says so (the promotion, IR; a joined task's result
// or a value leaving region blocks stays text), fixed in a temporary as
// `materializeAlways` fixed it and passed as two arguments (`t1.fn, t1.env`),
// after every operand: only where statements may precede.
//
// As a statement the string emitter discarded such a call as `(void)((...))`
// (its text does not start with a name): `stmtExpr` writes that form.

import type * as A from "../syntax/ast.js";
import type { FnInfo, Type } from "../check/types.js";
import type { Expr } from "../lower/ir.js";
import type { FnEmitter } from "./body.js";
import { callerIr } from "./caller.js";
import { fixIr } from "./expr-ir-order.js";

/** Whether a call of the extern f (with these type arguments) is one IR call of its C symbol (see above). */
export function externOk(f: FnInfo, typeArgs: Type[]): boolean {
  return !f.decl.async && typeArgs.length === 0;
}

/** Whether the function values the call e of the extern f hands over are IR (see above; `ordered`: as irExpr's). */
export function externFnArgsOk(fe: FnEmitter, e: A.Expr, f: FnInfo, ordered: boolean): boolean {
  const fns = f.params.filter((p) => p.type.k === "fn");
  return !fns.length || (ordered && fns.every((p) => ["none", "promote"].includes(fe.em.storeCopy(e, "co_global", p.type))));
}

/** The arguments of the call e of the extern f: a function value copied into global memory, fixed, and passed as `fn, env`. */
export function externArgsIr(fe: FnEmitter, e: A.Expr, f: FnInfo, args: Expr[]): Expr[] {
  return args.flatMap((a, i): Expr[] => {
    const pt = f.params[i].type;
    if (pt.k !== "fn") return [a];
    const g = fixIr(fe, fe.em.storedIr(e, "co_global", { e: "sym", name: "co_global" }, pt, a)!, pt, true);
    return [{ e: "dot", of: g, field: "fn" }, { e: "env", of: g }];
  });
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
