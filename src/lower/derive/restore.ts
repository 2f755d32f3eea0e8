// A store-back into global memory (docs/memory.md, "A global receiver's store-back keeps what is the slot's"):
// `var a = self.groups[k]; a.samples.push(i); self.groups[k] = a` on a global copied the whole element into
// global memory and queued the old one's drop on every call (quadratic). restore<T>(old, v) is the value to
// write into a slot of global memory that holds `old`, part by part:
// - a collection or builder handle identical to old's at the same place is kept (neither copied nor
//   dropped): global memory is a tree of unique ownership, so old's handle is that slot's alone, and all it
//   reaches is in global memory (every store into it copied into its owner);
// - a string whose pointer is old's is kept the same way (co_gstr_restore: it is old's block, perhaps
//   appended to in its room by co_gstr_append); a different one is copied, with room when it grew;
// - structs and tuples are decided field by field, optionals whose both sides hold a value and enums with
//   inline payloads of the same variant by their inner parts;
// - anything else (a different handle, one side `none`, another variant, a boxed enum, a closure) is
//   promoted into global memory and old's part dropped, as the store did for the whole value.
// The copy is made before the drop runs (drops wait for the turn's end or a safe point), so a part of v
// that is another part of old is copied from live memory.

import { fieldTypes, variantFields, type Type } from "../../check/types.js";
import { hasHeap } from "../../memory/regions.js";
import { Locals, assign, bin, call, local, ret, rt, type Expr, type Func, type Stmt } from "../ir.js";
import { promoteExpr } from "./clone.js";
import { dropStmts } from "./drop.js";

const GLOBAL: Expr = { e: "sym", name: "co_global" };

/** The value to store into a slot of global memory holding old, v being the new value (type t). */
export function restoreExpr(t: Type, old: Expr, v: Expr): Expr {
  if (!hasHeap(t)) return v;
  if (t.k === "string") return rt("co_gstr_restore", old, v);
  return call({ c: "derive", kind: "restore", type: t }, old, v);
}

export function restoreFunc(t: Type): Func {
  const L = new Locals();
  const old = L.make("old", t), v = L.make("v", t), O = local(old), V = local(v);
  const body: Stmt[] = [];
  // The part at place p (in v) and q (in old): restored.
  const part = (p: Expr, q: Expr, ft: Type): Stmt[] => (hasHeap(ft) ? [assign(p, restoreExpr(ft, q, p))] : []);
  // The whole value replaced: v promoted, old dropped.
  const whole = (): Stmt[] => [assign(V, promoteExpr(GLOBAL, t, V)), ...dropStmts(t, O)];
  switch (t.k) {
    case "struct":
      for (const f of fieldTypes(t)) body.push(...part({ e: "field", of: V, name: f.name }, { e: "field", of: O, name: f.name }, f.type));
      break;
    case "tuple":
      t.elems.forEach((e, i) => body.push(...part({ e: "elem", of: V, i }, { e: "elem", of: O, i }, e)));
      break;
    case "optional":
      body.push({ s: "if", cond: bin("&&", { e: "has", of: V }, { e: "has", of: O }), then: part({ e: "val", of: V }, { e: "val", of: O }, t.inner), else_: whole() });
      break;
    case "enum":
      if (t.info.recursive) { body.push(...whole()); break; }
      {
        const cases = t.info.variants.filter((vr) => vr.fields.length).map((vr) => ({
          v: vr.index,
          body: [...variantFields(t, vr).flatMap((f, i) => part({ e: "payload", of: V, type: t, variant: vr.index, i }, { e: "payload", of: O, type: t, variant: vr.index, i }, f.type)), { s: "break" } as Stmt],
        }));
        const same: Stmt = { s: "switch", on: { e: "tag", of: V, type: t }, cases, default_: [{ s: "break" }] };
        body.push({ s: "if", cond: bin("==", { e: "tag", of: V, type: t }, { e: "tag", of: O, type: t }), then: [same], else_: whole() });
      }
      break;
    case "vec": case "map": case "set": case "builder":
      body.push({ s: "if", cond: bin("!=", V, O), then: whole(), else_: [] });
      break;
    default:
      body.push(...whole());
  }
  body.push(ret(V));
  return { name: { c: "derive", kind: "restore", type: t }, params: [old, v], ret: t, body };
}
