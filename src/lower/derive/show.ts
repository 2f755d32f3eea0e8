// Derived printing (`println`, interpolation, `join`): statements appending a
// value's text to a string builder. Strings inside containers are quoted; a
// struct or enum with `fn toString(self): string` prints as that string.

import { isSigned, fieldTypes, variantFields, ownToString, type Type } from "../../check/types.js";
import { Locals, bin, bool, call, cstr, exprStmt, int, local, not, ret, rt, assign, type Expr, type Func, type Stmt } from "../ir.js";
import { spineField } from "./spine.js";

const lit = (sb: Expr, text: string): Stmt => exprStmt(rt("co_sb_cstr", sb, cstr(text)));

/** Statements appending the text of v (type t) to the builder sb; `nested`: inside a container (strings quoted). */
export function showStmts(t: Type, sb: Expr, v: Expr, nested: boolean): Stmt[] {
  if (t.k === "struct" || t.k === "enum") {
    const f = ownToString(t);
    if (f) {
      return [exprStmt(rt("co_sb_str", sb, call({ c: "instance", f, typeArgs: t.args }, v)))];
    }
  }
  switch (t.k) {
    case "int": return [exprStmt(isSigned(t.name) ? rt("co_sb_i64", sb, { e: "cast", to: { k: "int", name: "i64" }, x: v }) : rt("co_sb_u64", sb, { e: "cast", to: { k: "int", name: "u64" }, x: v }))];
    case "float": return [exprStmt(rt(t.name === "f64" ? "co_sb_f64" : "co_sb_f32", sb, v))];
    case "bool": return [exprStmt(rt("co_sb_bool", sb, v))];
    case "string": return [exprStmt(rt(nested ? "co_sb_quoted" : "co_sb_str", sb, v))];
    case "unit": case "never": case "error": return [lit(sb, "()")];
    case "optional": return [exprStmt(call({ c: "derive", kind: nested ? "showNested" : "show", type: t }, sb, v))];
    case "tuple": case "enum": case "vec": case "set": case "map": case "struct": return [exprStmt(call({ c: "derive", kind: "show", type: t }, sb, v))];
    case "fn": case "param": case "builder": case "task": throw new Error(`internal: show on ${t.k}`);
  }
}

export function showFunc(t: Type, nested: boolean): Func {
  const L = new Locals();
  const sb = L.make("sb", { k: "builder" }), v = L.make("v", t);
  const SB = local(sb), V = local(v);
  const body: Stmt[] = [];
  switch (t.k) {
    case "tuple":
      body.push(lit(SB, "("));
      t.elems.forEach((e, i) => { if (i) body.push(lit(SB, ", ")); body.push(...showStmts(e, SB, { e: "elem", of: V, i }, true)); });
      body.push(lit(SB, ")"));
      break;
    case "enum": {
      // A spine variant prints its head, then the loop goes on with its last
      // field; the `)`s it leaves open are written after the loop (spine.ts).
      const open = L.make("open", { k: "int", name: "i64" }), OPEN = local(open);
      const spine = t.info.variants.some((vr) => spineField(t, vr) >= 0);
      if (spine) body.push({ s: "decl", l: open, init: int(0) });
      const sw: Stmt = {
        s: "switch", on: { e: "tag", of: V, type: t }, default_: [],
        cases: t.info.variants.map((vr) => {
          const fs = variantFields(t, vr);
          const last = spineField(t, vr);
          const out: Stmt[] = [lit(SB, vr.name + (fs.length ? "(" : ""))];
          fs.forEach((f, i) => {
            const prefix = (i ? ", " : "") + (f.name ? `${f.name}: ` : "");
            if (prefix) out.push(lit(SB, prefix));
            if (i === last) return;
            out.push(...showStmts(f.type, SB, { e: "payload", of: V, type: t, variant: vr.index, i }, true));
          });
          if (last >= 0) {
            out.push(assign(V, { e: "payload", of: V, type: t, variant: vr.index, i: last }), assign(OPEN, bin("+", OPEN, int(1))), { s: "continue" });
            return { v: vr.index, body: out };
          }
          if (fs.length) out.push(lit(SB, ")"));
          out.push({ s: "break" });
          return { v: vr.index, body: out };
        }),
      };
      if (!spine) { body.push(sw); break; }
      body.push({ s: "loop", body: [sw, { s: "break" }] });
      const i = L.make("i", { k: "int", name: "i64" }), I = local(i);
      body.push({ s: "for", l: i, from: int(0), cond: bin("<", I, OPEN), next: bin("+", I, int(1)), body: [lit(SB, ")")] });
      break;
    }
    case "vec": {
      const i = L.make("i", { k: "int", name: "i64" }), I = local(i);
      body.push(lit(SB, "["));
      body.push({
        s: "for", l: i, from: int(0), cond: bin("<", I, { e: "len", of: V }), next: bin("+", I, int(1)),
        body: [{ s: "if", cond: I, then: [lit(SB, ", ")], else_: [] }, ...showStmts(t.elem, SB, { e: "at", of: V, i: I }, true)],
      });
      body.push(lit(SB, "]"));
      break;
    }
    case "map": case "set": {
      const first = L.make("first", { k: "bool" }), F = local(first);
      const it = L.make("it", { k: "int", name: "i64" }), IT = local(it);
      const key: Expr = { e: "deref", p: call({ c: "coll", op: "key", type: t }, V, IT) };
      const item = t.k === "map"
        ? [...showStmts(t.key, SB, key, true), lit(SB, ": "), ...showStmts(t.val, SB, { e: "deref", p: call({ c: "coll", op: "val", type: t }, V, IT) }, true)]
        : showStmts(t.elem, SB, key, true);
      body.push(lit(SB, "{"), { s: "decl", l: first, init: bool(true) });
      body.push({
        s: "for", l: it, from: call({ c: "coll", op: "next", type: t }, V, int(0)), cond: bin(">=", IT, int(0)),
        next: call({ c: "coll", op: "next", type: t }, V, bin("+", IT, int(1))),
        body: [{ s: "if", cond: not(F), then: [lit(SB, ", ")], else_: [] }, assign(F, bool(false)), ...item],
      });
      body.push(lit(SB, "}"));
      break;
    }
    case "struct": {
      body.push(lit(SB, t.info.name));
      const fts = fieldTypes(t);
      if (!fts.length) body.push(lit(SB, " {}"));
      fts.forEach((f, i) => {
        body.push(lit(SB, (i === 0 ? " { " : ", ") + f.name + ": "));
        body.push(...showStmts(f.type, SB, { e: "field", of: V, name: f.name }, true));
      });
      if (fts.length) body.push(lit(SB, " }"));
      break;
    }
    case "optional":
      body.push({ s: "if", cond: not({ e: "has", of: V }), then: [lit(SB, "none"), ret()], else_: [] });
      body.push(...showStmts(t.inner, SB, { e: "val", of: V }, nested));
      break;
    default: throw new Error(`internal: derived show of ${t.k}`);
  }
  return { name: { c: "derive", kind: nested && t.k === "optional" ? "showNested" : "show", type: t }, params: [sb, v], ret: null, body };
}
