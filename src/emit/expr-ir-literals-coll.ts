// Literals of collections as IR (body.ts wrote them as text before): a vec
// literal `[a, b]` is a temporary `V *t = V_with_cap(2);` and a push of each
// element, a set literal a temporary `S *t = S_new();` and an insert of each,
// a map literal `{k: v}` a temporary `M *t = M_new();` and a set of each
// entry; the literal's value is the temporary (`{ e: "local" }`). The
// elements are converted to the element type and ordered by expr-ir-order.ts
// as FnEmitter.operands ordered them (all of them before the temporary). An
// empty vec, set or map literal is `N_new()` (the string emitter still took a
// temporary's number for an empty vec: so does this). A brace literal the
// checker read as a struct is that struct literal (expr-ir-literals.ts).
// A literal with elements emits statements: IR only where statements may
// precede it (`ordered`).

import type * as A from "../syntax/ast.js";
import { T, type Type } from "../check/types.js";
import type { CollOp, Expr, Local } from "../lower/ir.js";
import { mangle } from "./names.js";
import type { FnEmitter } from "./body.js";
import { exprIr, irExpr } from "./expr-ir.js";
import { valueOk, valuesIr } from "./expr-ir-literals.js";

type Lit = Extract<A.Expr, { kind: "VecLit" | "MapLit" }>;
type Coll = Extract<Type, { k: "vec" | "map" | "set" }>;

/** The elements (a map's keys and values interleaved) and their target types. */
function parts(e: Lit, t: Coll): { es: A.Expr[]; ts: Type[] } {
  if (e.kind === "VecLit") return { es: e.elems, ts: e.elems.map(() => (t as { elem: Type }).elem) };
  if (t.k !== "map") return { es: [], ts: [] };
  return { es: e.entries.flatMap((x) => [x.key, x.value]), ts: e.entries.flatMap(() => [t.key, t.val]) };
}

/** Whether the collection literal e is built as IR (`ordered`: as irExpr's). */
export function collLiteralIr(fe: FnEmitter, e: Lit, ordered: boolean): boolean {
  const asStruct = e.kind === "MapLit" ? fe.typed.braceStructs.get(e) : undefined;
  if (asStruct) return irExpr(fe, asStruct, ordered);
  const t = fe.typeOf(e);
  if (t.k !== "vec" && t.k !== "map" && t.k !== "set") return false;
  const { es, ts } = parts(e, t);
  if (!es.length) return true;
  return ordered && es.every((x, i) => valueOk(fe, x, ts[i], true));
}

/** The IR of the collection literal e, which collLiteralIr accepted. */
export function collLiteralExprIr(fe: FnEmitter, e: Lit): Expr {
  const asStruct = e.kind === "MapLit" ? fe.typed.braceStructs.get(e) : undefined;
  if (asStruct) return exprIr(fe, asStruct);
  const t = fe.typeOf(e) as Coll;
  fe.em.defineType(t);
  const op = (o: CollOp, ...args: Expr[]): Expr => ({ e: "call", f: { c: "coll", op: o, type: t }, args });
  if (e.kind === "MapLit" && t.k !== "map") return op("new");
  const { es, ts } = parts(e, t);
  const vals = valuesIr(fe, es, ts);
  const name = fe.newTmp();
  if (e.kind === "VecLit" && t.k === "vec" && !vals.length) return op("new");
  const l: Local = { id: 0, name, type: t };
  const v: Expr = { e: "local", l };
  const init = t.k === "vec" ? op("with_cap", { e: "int", v: vals.length, t: T.i64 }) : op("new");
  fe.emit(fe.decl(`${mangle(t)} *`, name) === name ? { s: "assign", to: v, v: init } : { s: "decl", l, init });
  if (t.k === "map") for (let i = 0; i < vals.length; i += 2) fe.emit({ s: "expr", x: op("set", v, vals[i], vals[i + 1]) });
  else for (const x of vals) fe.emit({ s: "expr", x: op(t.k === "set" ? "insert" : "push", v, x) });
  return v;
}
