// Warnings about whole-program facts that no single expression shows.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { report, type CheckContext } from "./context.js";

/**
 * `http.Options { workers: N }` with N other than 0 or 1 forks the program:
 * every worker gets its own copy of module-level state, so a program that
 * keeps state there (a `var` global, or a collection, which is mutable
 * through its methods) would answer from N different copies.
 */
export function workersLint(cx: CheckContext): void {
  const state = cx.modules.filter((m) => !m.isStd).flatMap((m) => [...m.globals.values()])
    .filter((g) => g.mutable || g.type.k === "vec" || g.type.k === "map" || g.type.k === "set" || g.type.k === "builder");
  if (!state.length) return;
  for (const [lit, t] of cx.out.structLits) {
    if (t.info.name !== "Options" || !t.info.module.isStd || !t.info.module.file.endsWith("http.co")) continue;
    const f = (lit as Extract<A.Expr, { kind: "StructLit" }>).fields.find((x) => x.name === "workers");
    if (!f) continue;
    if (f.value.kind === "IntLit" && f.value.value <= 1n) continue;
    report(cx, M.workersShareNothing(state.slice(0, 3).map((g) => g.name), state.length), f.span);
  }
}
