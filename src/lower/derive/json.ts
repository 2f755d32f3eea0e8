// Derived JSON codecs (std/json): per type, an encoder appending the value's
// JSON text to a builder and a decoder driving the runtime's scanner
// (cruntime/src/json.c). Representations (docs/json.md): structs are objects
// keyed by field name; a unit variant is its name as a string and a variant
// with a payload is {"Name": payload} (one unnamed field: the value; several:
// an array; named fields: an object); tuples, Vec and Set are arrays; Map
// keys are strings, integers or bools written as strings, or a unit-only
// enum's variant name; none and () are null;
// json.Value is the document itself. A decoder returns false on failure and
// adds its path segment on the way out (the runtime's at_field, at_index and
// at_key), so paths cost nothing while decoding succeeds.

import { isSigned, fieldTypes, variantFields, type Type } from "../../check/types.js";
import { Locals, assign, bin, bool, call, cstr, exprStmt, int, local, not, ret, rt, type Expr, type Func, type Stmt } from "../ir.js";

type EnumT = Extract<Type, { k: "enum" }>;
const I64: Type = { k: "int", name: "i64" };
const U64: Type = { k: "int", name: "u64" };
const DEC_PTR = { k: "ptr" as const, to: { k: "jsonDec" as const } };

const lit = (sb: Expr, text: string): Stmt => exprStmt(rt("co_sb_cstr", sb, cstr(text)));
const deref = (p: Expr): Expr => ({ e: "deref", p });
const addr = (of: Expr): Expr => ({ e: "addr", of });
const ifNot = (x: Expr, then: Stmt[]): Stmt => ({ s: "if", cond: not(x), then, else_: [] });
const fails = (x: Expr): Stmt => ifNot(x, [ret(bool(false))]);

/** std/json's own `Value`: encoded and decoded as the document itself. */
export function isJsonValue(t: Type): t is EnumT {
  return t.k === "enum" && t.info.name === "Value" && t.info.module.isStd && /(^|[\\/])json\.co$/.test(t.info.module.file);
}

// ---------- encoding ----------

/** Statements appending the JSON text of v (type t) to the builder sb. */
export function encStmts(t: Type, sb: Expr, v: Expr): Stmt[] {
  switch (t.k) {
    case "int": return [exprStmt(isSigned(t.name) ? rt("co_sb_i64", sb, { e: "cast", to: I64, x: v }) : rt("co_sb_u64", sb, { e: "cast", to: U64, x: v }))];
    case "float": return [exprStmt(rt(t.name === "f64" ? "co_json_put_f64" : "co_json_put_f32", sb, v))];
    case "bool": return [exprStmt(rt("co_sb_bool", sb, v))];
    case "string": return [exprStmt(rt("co_json_put_str", sb, v))];
    case "unit": case "never": return [lit(sb, "null")];
    case "struct": case "enum": case "optional": case "tuple": case "vec": case "set": case "map":
      return [exprStmt(call({ c: "derive", kind: "jsonEnc", type: t }, sb, v))];
    default: throw new Error(`internal: JSON encoding of ${t.k}`);
  }
}

/** `{"a":1,"b":2}` from named places. */
function encObject(sb: Expr, fields: { name: string; type: Type; v: Expr }[]): Stmt[] {
  const out: Stmt[] = [];
  fields.forEach((f, i) => { out.push(lit(sb, `${i ? "," : "{"}"${f.name}":`), ...encStmts(f.type, sb, f.v)); });
  out.push(lit(sb, fields.length ? "}" : "{}"));
  return out;
}

function encArray(sb: Expr, elems: { type: Type; v: Expr }[]): Stmt[] {
  const out: Stmt[] = [lit(sb, "[")];
  elems.forEach((e, i) => { if (i) out.push(lit(sb, ",")); out.push(...encStmts(e.type, sb, e.v)); });
  out.push(lit(sb, "]"));
  return out;
}

function variantIndex(t: EnumT, name: string): number {
  return t.info.variants.find((v) => v.name === name)!.index;
}

export function encFunc(t: Type): Func {
  const L = new Locals();
  const sb = L.make("sb", { k: "builder" }), v = L.make("v", t);
  const SB = local(sb), V = local(v);
  const body: Stmt[] = [];
  switch (t.k) {
    case "struct":
      body.push(...encObject(SB, fieldTypes(t).map((f) => ({ name: f.name, type: f.type, v: { e: "field", of: V, name: f.name } }))));
      break;
    case "tuple":
      body.push(...encArray(SB, t.elems.map((e, i) => ({ type: e, v: { e: "elem", of: V, i } }))));
      break;
    case "optional":
      body.push({ s: "if", cond: not({ e: "has", of: V }), then: [lit(SB, "null"), ret()], else_: [] }, ...encStmts(t.inner, SB, { e: "val", of: V }));
      break;
    case "vec": {
      const i = L.make("i", I64), I = local(i);
      body.push(lit(SB, "["), {
        s: "for", l: i, from: int(0), cond: bin("<", I, { e: "len", of: V }), next: bin("+", I, int(1)),
        body: [{ s: "if", cond: I, then: [lit(SB, ",")], else_: [] }, ...encStmts(t.elem, SB, { e: "at", of: V, i: I })],
      }, lit(SB, "]"));
      break;
    }
    case "set": case "map": {
      const it = L.make("it", I64), IT = local(it), first = L.make("first", { k: "bool" });
      const key: Expr = deref(call({ c: "coll", op: "key", type: t }, V, IT));
      let item: Stmt[];
      if (t.k === "set") item = encStmts(t.elem, SB, key);
      else {
        const k = t.key;
        // A string key, or a unit-only enum's (its name as a JSON string), is written as the value is.
        const keyStmts = k.k === "string" || k.k === "enum" ? encStmts(k, SB, key)
          : k.k === "int" ? [exprStmt(isSigned(k.name) ? rt("co_json_put_key_i64", SB, { e: "cast", to: I64, x: key }) : rt("co_json_put_key_u64", SB, { e: "cast", to: U64, x: key }))]
          : k.k === "bool" ? [{ s: "if", cond: key, then: [lit(SB, '"true"')], else_: [lit(SB, '"false"')] } as Stmt]
          : (() => { throw new Error(`internal: JSON map key ${k.k}`); })();
        item = [...keyStmts, lit(SB, ":"), ...encStmts(t.val, SB, deref(call({ c: "coll", op: "val", type: t }, V, IT)))];
      }
      body.push(lit(SB, t.k === "set" ? "[" : "{"), { s: "decl", l: first, init: bool(true) }, {
        s: "for", l: it, from: call({ c: "coll", op: "next", type: t }, V, int(0)), cond: bin(">=", IT, int(0)),
        next: call({ c: "coll", op: "next", type: t }, V, bin("+", IT, int(1))),
        body: [{ s: "if", cond: not(local(first)), then: [lit(SB, ",")], else_: [] }, assign(local(first), bool(false)), ...item],
      }, lit(SB, t.k === "set" ? "]" : "}"));
      break;
    }
    case "enum": {
      const cases = t.info.variants.map((vr) => {
        const fs = variantFields(t, vr);
        const at = (i: number): Expr => ({ e: "payload", of: V, type: t, variant: vr.index, i });
        let out: Stmt[];
        if (isJsonValue(t)) out = fs.length ? encStmts(fs[0].type, SB, at(0)) : [lit(SB, "null")];
        else if (!fs.length) out = [lit(SB, `"${vr.name}"`)];
        else {
          out = [lit(SB, `{"${vr.name}":`)];
          if (fs.some((f) => f.name)) out.push(...encObject(SB, fs.map((f, i) => ({ name: f.name ?? String(i), type: f.type, v: at(i) }))));
          else if (fs.length === 1) out.push(...encStmts(fs[0].type, SB, at(0)));
          else out.push(...encArray(SB, fs.map((f, i) => ({ type: f.type, v: at(i) }))));
          out.push(lit(SB, "}"));
        }
        out.push({ s: "break" });
        return { v: vr.index, body: out };
      });
      body.push({ s: "switch", on: { e: "tag", of: V, type: t }, cases, default_: [] });
      break;
    }
    default: throw new Error(`internal: derived JSON encoder of ${t.k}`);
  }
  return { name: { c: "derive", kind: "jsonEnc", type: t }, params: [sb, v], ret: null, body };
}

/** `json.encode(v)`: the text in a new string. */
export function strFunc(t: Type): Func {
  const L = new Locals();
  const v = L.make("v", t), sb = L.make("sb", { k: "builder" });
  return {
    name: { c: "derive", kind: "jsonStr", type: t }, params: [v], ret: { k: "string" },
    body: [{ s: "decl", l: sb, init: rt("co_sb_new") }, ...encStmts(t, local(sb), local(v)), ret(rt("co_sb_finish", local(sb)))],
  };
}

// ---------- decoding ----------

/** A bool expression decoding the next value into *p (a pointer to a t). */
export function decExpr(t: Type, d: Expr, p: Expr): Expr {
  switch (t.k) {
    case "int": return rt(`co_json_get_${t.name}`, d, p);
    case "float": return rt(`co_json_get_${t.name}`, d, p);
    case "bool": return rt("co_json_get_bool", d, p);
    case "string": return rt("co_json_get_str", d, p);
    case "unit": case "never": return rt("co_json_get_unit", d, p);
    case "struct": case "enum": case "optional": case "tuple": case "vec": case "set": case "map":
      return call({ c: "derive", kind: "jsonDec", type: t }, d, p);
    default: throw new Error(`internal: JSON decoding of ${t.k}`);
  }
}

/** Wraps the value a failing decoder returns (already false) with one more path segment. */
type Wrap = (failure: Expr) => Expr;
const noWrap: Wrap = (x) => x;

/** Statements decoding an object into named places; missing optional places become none. */
function decObject(L: Locals, D: Expr, fields: { name: string; type: Type; place: Expr }[], wrap: Wrap): Stmt[] {
  const out: Stmt[] = [ifNot(rt("co_json_obj_begin", D), [ret(wrap(bool(false)))])];
  const seen = fields.map((f) => L.make(`seen_${f.name}`, { k: "bool" }));
  seen.forEach((s) => out.push({ s: "decl", l: s, init: bool(false) }));
  let chain: Stmt[] = [ifNot(rt("co_json_skip", D), [ret(wrap(bool(false)))])];
  for (let k = fields.length - 1; k >= 0; k--) {
    const f = fields[k], S = local(seen[k]);
    chain = [{
      s: "if", cond: rt("co_json_key_is", D, cstr(f.name)),
      then: [
        { s: "if", cond: S, then: [ret(wrap(rt("co_json_duplicate", D, cstr(f.name))))], else_: [] },
        ifNot(decExpr(f.type, D, addr(f.place)), [ret(wrap(rt("co_json_at_field", D, cstr(f.name))))]),
        assign(S, bool(true)),
      ],
      else_: chain,
    }];
  }
  const i = L.make("i", I64), I = local(i);
  out.push({ s: "for", l: i, from: int(0), cond: rt("co_json_obj_next", D, I), next: bin("+", I, int(1)), body: chain });
  out.push({ s: "if", cond: rt("co_json_failed", D), then: [ret(wrap(bool(false)))], else_: [] });
  fields.forEach((f, k) => {
    const missing = f.type.k === "optional" ? [assign({ e: "has", of: f.place }, bool(false))] : [ret(wrap(rt("co_json_missing", D, cstr(f.name))))];
    out.push(ifNot(local(seen[k]), missing));
  });
  out.push(ret(bool(true)));
  return out;
}

/** Statements decoding an array of exactly these elements. */
function decArray(D: Expr, elems: { type: Type; place: Expr }[], wrap: Wrap): Stmt[] {
  const n = elems.length;
  const out: Stmt[] = [ifNot(rt("co_json_arr_begin", D), [ret(wrap(bool(false)))])];
  elems.forEach((e, k) => {
    out.push(ifNot(rt("co_json_arr_next", D, int(k)), [ret(wrap(rt("co_json_arity", D, int(n))))]));
    out.push(ifNot(decExpr(e.type, D, addr(e.place)), [ret(wrap(rt("co_json_at_index", D, int(k))))]));
  });
  out.push({ s: "if", cond: rt("co_json_arr_next", D, int(n)), then: [ret(wrap(rt("co_json_arity", D, int(n))))], else_: [] });
  out.push({ s: "if", cond: rt("co_json_failed", D), then: [ret(wrap(bool(false)))], else_: [] });
  out.push(ret(bool(true)));
  return out;
}

export function decFunc(t: Type): Func {
  const L = new Locals();
  const d = L.make("d", DEC_PTR), o = L.make("out", { k: "ptr", to: t });
  const D = local(d), OUT = deref(local(o));
  const body: Stmt[] = [];
  switch (t.k) {
    case "struct":
      body.push(...decObject(L, D, fieldTypes(t).map((f) => ({ name: f.name, type: f.type, place: { e: "field", of: OUT, name: f.name } })), noWrap));
      break;
    case "tuple":
      body.push(...decArray(D, t.elems.map((e, i) => ({ type: e, place: { e: "elem", of: OUT, i } })), noWrap));
      break;
    case "optional":
      // `json.Value?`: a `null` is the document's null (`Some(Value.Null)`); `none` is left for a struct field
      // that is missing, so a PATCH handler tells "clear it" from "leave it" (tester round 12; docs/json.md)
      if (!isJsonValue(t.inner)) body.push(
        { s: "if", cond: rt("co_json_null", D), then: [assign({ e: "has", of: OUT }, bool(false)), ret(bool(true))], else_: [] },
      );
      body.push(
        assign({ e: "has", of: OUT }, bool(true)),
        ret(decExpr(t.inner, D, addr({ e: "val", of: OUT }))),
      );
      break;
    case "vec": case "set": {
      const r = L.make("r", t), i = L.make("i", I64), I = local(i), x = L.make("x", t.elem);
      body.push(fails(rt("co_json_arr_begin", D)), { s: "decl", l: r, init: call({ c: "coll", op: "new", type: t }) }, {
        s: "for", l: i, from: int(0), cond: rt("co_json_arr_next", D, I), next: bin("+", I, int(1)),
        body: [
          { s: "decl", l: x, init: { e: "zero", t: t.elem } },
          ifNot(decExpr(t.elem, D, addr(local(x))), [ret(rt("co_json_at_index", D, I))]),
          exprStmt(call({ c: "coll", op: t.k === "vec" ? "push" : "insert", type: t }, local(r), local(x))),
        ],
      });
      body.push({ s: "if", cond: rt("co_json_failed", D), then: [ret(bool(false))], else_: [] }, assign(OUT, local(r)), ret(bool(true)));
      break;
    }
    case "map": {
      const r = L.make("r", t), i = L.make("i", I64), I = local(i);
      const ks = L.make("ks", { k: "string" }), k = L.make("k", t.key), x = L.make("x", t.val);
      const badKey = ret(rt("co_json_at_key", D, local(ks)));
      const kt = t.key;
      const keyStmts: Stmt[] = kt.k === "string" ? [{ s: "decl", l: k, init: local(ks) }]
        : kt.k === "int" ? [{ s: "decl", l: k, init: { e: "zero", t: kt } }, ifNot(rt(`co_json_key_${kt.name}`, D, local(ks), addr(local(k))), [badKey])]
        // "true" or "false"; a unit-only enum's variant name (the key compared is the current one, ks).
        : kt.k === "bool" ? [{ s: "decl", l: k, init: bool(false) }, ifNot(rt("co_json_key_bool", D, local(ks), addr(local(k))), [badKey])]
        // A unit-only enum: the variant the key names (co_json_key_is compares the current key, ks).
        : kt.k === "enum" ? [{ s: "decl", l: k, init: { e: "zero", t: kt } }, kt.info.variants.reduceRight<Stmt[]>((rest, v) => [{
          s: "if", cond: rt("co_json_key_is", D, cstr(v.name)), then: [assign({ e: "tag", of: local(k), type: kt }, int(v.index))], else_: rest,
        }], [exprStmt(rt("co_json_unknown_variant", D, cstr(kt.info.name))), badKey])[0]]
        : (() => { throw new Error(`internal: JSON map key ${kt.k}`); })();
      body.push(fails(rt("co_json_obj_begin", D)), { s: "decl", l: r, init: call({ c: "coll", op: "new", type: t }) }, {
        s: "for", l: i, from: int(0), cond: rt("co_json_obj_next", D, I), next: bin("+", I, int(1)),
        body: [
          { s: "decl", l: ks, init: rt("co_json_key", D) },
          ...keyStmts,
          { s: "decl", l: x, init: { e: "zero", t: t.val } },
          ifNot(decExpr(t.val, D, addr(local(x))), [ret(rt("co_json_at_key", D, local(ks)))]),
          exprStmt(call({ c: "coll", op: "set", type: t }, local(r), local(k), local(x))),
        ],
      });
      body.push({ s: "if", cond: rt("co_json_failed", D), then: [ret(bool(false))], else_: [] }, assign(OUT, local(r)), ret(bool(true)));
      break;
    }
    case "enum":
      body.push(...(isJsonValue(t) ? decValue(L, t, D, OUT) : decEnum(L, t, D, OUT)));
      break;
    default: throw new Error(`internal: derived JSON decoder of ${t.k}`);
  }
  return { name: { c: "derive", kind: "jsonDec", type: t }, params: [d, o], ret: { k: "bool" }, body };
}

/** A recursive enum's payload lives in a box: allocate it before its fields are decoded into. */
function boxFor(L: Locals, t: EnumT, variant: number, OUT: Expr): Stmt[] {
  if (!t.info.recursive || !t.info.variants[variant].fields.length) return []; // a unit variant has no box
  const b = L.make("b", { k: "ptr", to: { k: "payload", type: t, variant } });
  return [
    { s: "decl", l: b, init: rt("co_alloc", { e: "sizeofDeref", p: local(b) }) },
    assign({ e: "box", of: OUT, type: t, variant }, local(b)),
  ];
}

function decEnum(L: Locals, t: EnumT, D: Expr, OUT: Expr): Stmt[] {
  const name = cstr(t.info.name);
  const tag = (v: number): Stmt => assign({ e: "tag", of: OUT, type: t }, int(v));
  const units = t.info.variants.filter((v) => !v.fields.length);
  const out: Stmt[] = [];
  // A unit variant: its name as a string.
  out.push({
    s: "if", cond: rt("co_json_peek_str", D),
    then: [
      fails(rt("co_json_variant_name", D)),
      ...units.map((v): Stmt => ({ s: "if", cond: rt("co_json_key_is", D, cstr(v.name)), then: [tag(v.index), ret(bool(true))], else_: [] })),
      ...t.info.variants.filter((v) => v.fields.length).map((v): Stmt => ({ s: "if", cond: rt("co_json_key_is", D, cstr(v.name)), then: [ret(rt("co_json_payload_needed", D, name))], else_: [] })),
      ret(rt("co_json_unknown_variant", D, name)),
    ],
    else_: [],
  });
  // A variant with a payload: {"Name": payload} (a unit variant also as {"Name": null}).
  out.push(fails(rt("co_json_enum_begin", D, name)));
  out.push(ifNot(rt("co_json_obj_next", D, int(0)), [ret(rt("co_json_variant_count", D))]));
  for (const vr of t.info.variants) {
    const fs = variantFields(t, vr);
    const at = (i: number): Expr => ({ e: "payload", of: OUT, type: t, variant: vr.index, i });
    const seg = rt("co_json_at_field", D, cstr(vr.name));
    const wrap: Wrap = (x) => (x.e === "bool" ? seg : bin("||", x, seg));
    // After the payload: `}` must close the one-key object.
    const close: Stmt[] = [
      { s: "if", cond: rt("co_json_obj_next", D, int(1)), then: [ret(rt("co_json_variant_count", D))], else_: [] },
      ret(not(rt("co_json_failed", D))),
    ];
    let payload: Stmt[];
    if (!fs.length) {
      // A unit variant may also be written {"Name": null}.
      const u = L.make("u", { k: "unit" });
      payload = [{ s: "decl", l: u, init: { e: "zero", t: { k: "unit" } } }, ifNot(rt("co_json_get_unit", D, addr(local(u))), [ret(wrap(bool(false)))])];
    } else if (fs.some((f) => f.name)) payload = decObject(L, D, fs.map((f, i) => ({ name: f.name ?? String(i), type: f.type, place: at(i) })), wrap);
    else if (fs.length === 1) payload = [ifNot(decExpr(fs[0].type, D, addr(at(0))), [ret(wrap(bool(false)))])];
    else payload = decArray(D, fs.map((f, i) => ({ type: f.type, place: at(i) })), wrap);
    // decObject and decArray end in `return true`: the closing check replaces it.
    if (payload.length && payload[payload.length - 1].s === "return" && (payload[payload.length - 1] as { v: Expr }).v?.e === "bool") payload.pop();
    out.push({
      s: "if", cond: rt("co_json_key_is", D, cstr(vr.name)),
      then: [...boxFor(L, t, vr.index, OUT), tag(vr.index), ...payload, ...close],
      else_: [],
    });
  }
  out.push(ret(rt("co_json_unknown_variant", D, name)));
  return out;
}

/** json.Value: whatever the document holds. */
function decValue(L: Locals, t: EnumT, D: Expr, OUT: Expr): Stmt[] {
  const u = L.make("u", { k: "unit" });
  const variant = (vname: string, kind: number): { v: number; body: Stmt[] } => {
    const idx = variantIndex(t, vname);
    const vr = t.info.variants[idx];
    if (!vr.fields.length) {
      return { v: kind, body: [{ s: "decl", l: u, init: { e: "zero", t: { k: "unit" } } }, fails(rt("co_json_get_unit", D, addr(local(u)))), assign({ e: "tag", of: OUT, type: t }, int(idx)), ret(bool(true))] };
    }
    const ft = variantFields(t, vr)[0].type;
    return { v: kind, body: [...boxFor(L, t, idx, OUT), assign({ e: "tag", of: OUT, type: t }, int(idx)), ret(decExpr(ft, D, addr({ e: "payload", of: OUT, type: t, variant: idx, i: 0 })))] };
  };
  return [{
    s: "switch", on: rt("co_json_peek_kind", D),
    cases: [variant("Null", 0), variant("Bool", 1), variant("Number", 2), variant("String", 3), variant("Array", 4), variant("Object", 5)],
    default_: [ret(bool(false))],
  }];
}

/** `json.decode<T>(s)`: r is `Result<T, json.Error>`. */
export function docFunc(r: Type): Func {
  if (r.k !== "enum" || r.args.length !== 2) throw new Error("internal: json.decode must return a Result");
  const [t, errT] = r.args;
  const L = new Locals();
  const s = L.make("s", { k: "string" }), d = L.make("d", { k: "jsonDec" }), res = L.make("r", r);
  const D = addr(local(d)), R = local(res);
  const errAt = (name: string): Expr => ({ e: "field", of: { e: "payload", of: R, type: r, variant: 1, i: 0 }, name });
  if (errT.k !== "struct") throw new Error("internal: json.Error must be a struct");
  return {
    name: { c: "derive", kind: "jsonDoc", type: r }, params: [s], ret: r,
    body: [
      { s: "decl", l: d, init: null },
      exprStmt(rt("co_json_init", D, local(s))),
      { s: "decl", l: res, init: { e: "zero", t: r } },
      {
        s: "if", cond: bin("&&", decExpr(t, D, addr({ e: "payload", of: R, type: r, variant: 0, i: 0 })), rt("co_json_end", D)),
        then: [assign({ e: "tag", of: R, type: r }, int(0)), ret(R)], else_: [],
      },
      assign({ e: "tag", of: R, type: r }, int(1)),
      assign(errAt("message"), rt("co_json_err_message", D)),
      assign(errAt("path"), rt("co_json_err_path", D)),
      assign(errAt("offset"), rt("co_json_err_offset", D)),
      assign(errAt("line"), rt("co_json_err_line", D)),
      assign(errAt("column"), rt("co_json_err_column", D)),
      ret(R),
    ],
  };
}
