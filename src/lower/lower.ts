// Lowering: decides what goes into the C translation unit and in what order.
// Only what is reachable from `main` (or from the tests, in test mode) and
// from global initialisers is emitted; struct definitions are ordered so that
// every type is complete before it is used by value.

import type * as A from "../syntax/ast.js";
import { walkBlock, walkExpr } from "../syntax/walk.js";
import type { TypedProgram, FnInfo, StructInfo, GlobalInfo, TestInfo, Type } from "../check/types.js";

export interface LoweredProgram {
  typed: TypedProgram;
  mode: "build" | "test";
  fns: FnInfo[]; // reachable functions, in declaration order
  structs: StructInfo[]; // dependency order
  globals: GlobalInfo[]; // initialisation order
  tests: TestInfo[]; // test mode only
}

export function lower(typed: TypedProgram, mode: "build" | "test"): LoweredProgram {
  const reached = new Set<FnInfo>();
  const queue: FnInfo[] = [];
  const visitExpr = (e: A.Expr) => {
    if (e.kind !== "Call") return;
    const t = typed.calls.get(e);
    if (t && (t.kind === "fn" || t.kind === "method") && !reached.has(t.f)) { reached.add(t.f); queue.push(t.f); }
  };
  for (const g of typed.globals) walkExpr(g.decl.value, visitExpr);
  const tests = mode === "test" ? typed.tests : [];
  if (mode === "test") for (const t of tests) walkBlock(t.decl.body, visitExpr);
  else if (typed.main) { reached.add(typed.main); queue.push(typed.main); }
  while (queue.length) {
    const f = queue.pop()!;
    if (f.decl.body) walkBlock(f.decl.body, visitExpr);
  }
  const fns = typed.fns.filter((f) => reached.has(f));

  // Struct order: a struct's by-value fields first.
  const ordered: StructInfo[] = [];
  const done = new Set<StructInfo>();
  const place = (s: StructInfo, depth: number) => {
    if (done.has(s) || depth > 10_000) return;
    done.add(s);
    for (const f of s.fields) {
      const inner = valueStruct(f.type);
      if (inner) place(inner, depth + 1);
    }
    ordered.push(s);
  };
  for (const s of typed.structs) place(s, 0);

  return { typed, mode, fns, structs: ordered, globals: typed.globals, tests };
}

function valueStruct(t: Type): StructInfo | null {
  if (t.k === "struct") return t.info;
  if (t.k === "optional") return valueStruct(t.inner);
  return null;
}
