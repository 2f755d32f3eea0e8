// Derived equality (`==` on structs, tuples, enums, optionals, Vecs, Maps and Sets):
// an inline comparison for scalars, a per-type function for the rest.

import { fieldTypes, variantFields, type Type } from "../../check/types.js";
import { Locals, all, assign, bin, bool, call, int, local, not, ret, rt, type Expr, type Func, type Stmt } from "../ir.js";
import { spineField } from "./spine.js";

/** `a == b` for values of type t. */
export function eqExpr(t: Type, a: Expr, b: Expr): Expr {
  switch (t.k) {
    case "int": case "float": case "bool": return bin("==", a, b);
    case "string": return rt("co_str_eq", a, b);
    case "unit": case "never": case "error": return bool(true);
    case "struct": case "tuple": case "enum": case "vec": case "optional": case "map": case "set": return call({ c: "derive", kind: "eq", type: t }, a, b);
    case "fn": case "param": case "builder": case "task": throw new Error(`internal: == on ${t.k}`);
  }
}

export function eqFunc(t: Type): Func {
  const L = new Locals();
  const a = L.make("a", t), b = L.make("b", t);
  const A = local(a), B = local(b);
  const body: Stmt[] = [];
  switch (t.k) {
    case "struct":
      body.push(ret(all(fieldTypes(t).map((f) => eqExpr(f.type, { e: "field", of: A, name: f.name }, { e: "field", of: B, name: f.name })))));
      break;
    case "tuple":
      body.push(ret(all(t.elems.map((e, i) => eqExpr(e, { e: "elem", of: A, i }, { e: "elem", of: B, i })))));
      break;
    case "enum": {
      // A loop: a spine variant compares its other fields, then goes on with its last one (spine.ts).
      const loop: Stmt[] = [{ s: "if", cond: bin("!=", { e: "tag", of: A, type: t }, { e: "tag", of: B, type: t }), then: [ret(bool(false))], else_: [] }];
      const cases = t.info.variants.filter((v) => v.fields.length).map((v) => {
        const last = spineField(t, v);
        const pa = (i: number): Expr => ({ e: "payload", of: A, type: t, variant: v.index, i });
        const pb = (i: number): Expr => ({ e: "payload", of: B, type: t, variant: v.index, i });
        const eqs = variantFields(t, v).map((f, i) => (i === last ? null : eqExpr(f.type, pa(i), pb(i)))).filter((x): x is Expr => x !== null);
        if (last < 0) return { v: v.index, body: [ret(all(eqs))] };
        const out: Stmt[] = eqs.length ? [{ s: "if", cond: not(all(eqs)), then: [ret(bool(false))], else_: [] }] : [];
        out.push(assign(A, pa(last)), assign(B, pb(last)), { s: "continue" });
        return { v: v.index, body: out };
      });
      loop.push({ s: "switch", on: { e: "tag", of: A, type: t }, cases, default_: [ret(bool(true))] });
      body.push({ s: "loop", body: loop });
      break;
    }
    case "vec": {
      body.push({ s: "if", cond: bin("!=", { e: "len", of: A }, { e: "len", of: B }), then: [ret(bool(false))], else_: [] });
      const i = L.make("i", { k: "int", name: "i64" });
      const I = local(i);
      body.push({
        s: "for", l: i, from: int(0), cond: bin("<", I, { e: "len", of: A }), next: bin("+", I, int(1)),
        body: [{ s: "if", cond: not(eqExpr(t.elem, { e: "at", of: A, i: I }, { e: "at", of: B, i: I })), then: [ret(bool(false))], else_: [] }],
      });
      body.push(ret(bool(true)));
      break;
    }
    case "map": case "set": {
      // The same entries, whatever their order (a Map is iterated in insertion order, but two maps with the same
      // entries are equal, as in Rust): as many, and each key of one found in the other with an equal value.
      body.push({ s: "if", cond: bin("!=", { e: "len", of: A }, { e: "len", of: B }), then: [ret(bool(false))], else_: [] });
      const it = L.make("it", { k: "int", name: "i64" }), IT = local(it);
      const next = (x: Expr) => call({ c: "coll", op: "next", type: t }, A, x);
      const key: Expr = { e: "deref", p: call({ c: "coll", op: "key", type: t }, A, IT) };
      const each: Stmt[] = [{ s: "if", cond: not(call({ c: "coll", op: "has", type: t }, B, key)), then: [ret(bool(false))], else_: [] }];
      if (t.k === "map") {
        const mine: Expr = { e: "deref", p: call({ c: "coll", op: "val", type: t }, A, IT) };
        const theirs: Expr = { e: "deref", p: call({ c: "coll", op: "get", type: t }, B, key) };
        each.push({ s: "if", cond: not(eqExpr(t.val, mine, theirs)), then: [ret(bool(false))], else_: [] });
      }
      body.push({ s: "for", l: it, from: next(int(0)), cond: bin(">=", IT, int(0)), next: next(bin("+", IT, int(1))), body: each });
      body.push(ret(bool(true)));
      break;
    }
    case "optional":
      body.push({ s: "if", cond: bin("!=", { e: "has", of: A }, { e: "has", of: B }), then: [ret(bool(false))], else_: [] });
      body.push({ s: "if", cond: not({ e: "has", of: A }), then: [ret(bool(true))], else_: [] });
      body.push(ret(eqExpr(t.inner, { e: "val", of: A }, { e: "val", of: B })));
      break;
    default: throw new Error(`internal: derived eq of ${t.k}`);
  }
  return { name: { c: "derive", kind: "eq", type: t }, params: [a, b], ret: { k: "bool" }, body };
}
