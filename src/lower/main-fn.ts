// The C `main` of a program as an IR function: it starts the runtime, hands
// it the table of function names (for a stack overflow's message) and std's
// directory (for a panic's location), runs the global initialiser, then runs
// the Colang `main` (or, in test mode, each test) and returns the exit code
// the runtime settles on. src/emit/c.ts builds it last (the name table is
// complete then) and the IR printer writes it.

import type { Callee, Expr, Func, Stmt } from "./ir.js";
import { Locals, call, cstr, exprStmt, int, local, ret, rt } from "./ir.js";

/** What the C `main` runs. */
export interface MainPlan {
  /** How many rows the function-name table has (0: no table, nothing to hand over). */
  fnNames: number;
  /** std's directory, with its trailing separator, when std is in the program (always: std/runtime). */
  stdDir: string | null;
  /** Test mode: each test by name, its function (a test that awaits: its future's constructor) and whether it awaits. */
  tests: { name: string; fn: Callee; async: boolean }[] | null;
  /** The Colang `main`: an ordinary function, or (async) the future constructor `co__make_main`; null: none. */
  main: { fn: Callee; async: boolean } | null;
}

/** `int main(int argc, char **argv)`. */
export function cMainFunc(plan: MainPlan): Func {
  const L = new Locals();
  const argc = L.make("argc", { k: "cint" }), argv = L.make("argv", { k: "ptr", to: { k: "ptr", to: { k: "char" } } });
  const fnref = (f: Callee): Expr => ({ e: "fnref", f });
  const body: Stmt[] = [exprStmt(rt("co_rt_init", local(argc), local(argv)))];
  if (plan.fnNames) body.push(exprStmt(rt("co_stack_names", { e: "fnNames" }, int(plan.fnNames, { k: "int", name: "u64" }))));
  if (plan.stdDir !== null) body.push(exprStmt(rt("co_panic_std_dir", cstr(plan.stdDir))));
  body.push(exprStmt(call({ c: "initGlobals" })));
  let code: Expr;
  if (plan.tests) {
    for (const t of plan.tests) body.push(exprStmt(rt(t.async ? "co_test_run_async" : "co_test_run", cstr(t.name), fnref(t.fn))));
    code = rt("co_test_summary");
  } else if (plan.main) code = rt(plan.main.async ? "co_rt_run_async_main" : "co_rt_run_sync_main", fnref(plan.main.fn));
  else code = int(0, { k: "int", name: "i32" });
  body.push(ret(rt("co_rt_finish", code)));
  return { name: { c: "main" }, params: [argc, argv], ret: { k: "cint" }, body };
}
