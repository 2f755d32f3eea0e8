// Deterministic C names for Colang types and the C spelling of literals.
// User symbols get a prefix per kind (T_ types, f_ functions, m_ methods,
// g_ globals, l_ locals, f_ fields) so they never clash with C or the runtime.

import type { FnInfo, Type, TypedProgram } from "../check/types.js";
import type { Callee, CollFn, DeriveKind } from "../lower/ir.js";

/** The C name of a function instance: the declaration's C name, then its type arguments mangled; `__nc` its copy
 *  without integer checks (range analysis routes a versioned loop's calls to it). */
export function instanceName(cname: string, args: Type[], unchecked: boolean): string {
  if (unchecked) return `${cname}__nc`;
  return args.length ? `${cname}__${args.map(mangle).join("_")}` : cname;
}

/** An async function's frame struct (`F_NAME`); NAME is its instance's or closure's C name. */
export function frameType(name: string): string { return `F_${name}`; }

/** The C names of the future of an async instance NAME: its constructor, poll function and frame type. */
export function futureNamesOf(name: string): { ctor: string; poll: string; ftype: string } {
  return { ctor: `${name}_new`, poll: `${name}_poll`, ftype: frameType(name) };
}

/** The same for an extern async function of the runtime, whose C base name is b: its future type is `b_fut`. */
export function externFutureNames(b: string): { ctor: string; poll: string; ftype: string } {
  return { ctor: `${b}_new`, poll: `${b}_poll`, ftype: `${b}_fut` };
}

/** The n-th closure of the program (its function; its environment struct is closureEnv of it). */
export function closureName(n: number): string { return `clo_${n}`; }

/** A closure's environment struct. */
export function closureEnv(closure: string): string { return `${closure}_env`; }

/** The struct of a map's entries. */
export function entryType(t: Type): string { return `${mangle(t)}_entry`; }

/** The result view of an async function value returning t (`AR_R { co_fut hdr; R result; }`). */
export function resultViewName(t: Type): string { return `AR_${mangle(t)}`; }

/** The key hash and key equality functions of a map or set keyed by t. */
export function keyFnNames(key: Type): { hash: string; eq: string } {
  const km = mangle(key);
  return { hash: `hk_${km}`, eq: `ek_${km}` };
}

/** The C struct of a boxed enum's variant v payload. */
export function payloadName(t: Type, v: number): string { return `${cType(t)}_v${v}`; }

export function cType(t: Type): string {
  switch (t.k) {
    case "int": return t.name[0] === "u" ? `uint${t.name.slice(1)}_t` : `int${t.name.slice(1)}_t`;
    case "float": return t.name === "f64" ? "double" : "float";
    case "bool": return "bool";
    case "string": return "co_str";
    case "unit": case "never": return "uint8_t"; // stored as a byte (in payloads, tuples, locals); see cRet
    case "struct": case "enum": return mangle(t);
    case "optional": return `O_${mangle(t.inner)}`;
    case "tuple": return mangle(t);
    case "vec": case "map": case "set": return `${mangle(t)} *`;
    case "fn": return mangle(t);
    case "builder": return "co_sb *";
    case "task": return "co_handle";
    case "param": throw new Error(`internal: type parameter ${t.p.name} reached the emitter unsubstituted`);
    case "error": throw new Error("internal: error type reached the emitter");
  }
}

/** The C name of a Colang local or global (cname: its checked C name); a local of an async body lives in its frame. */
export function varName(cname: string, frame: boolean): string {
  return frame ? `F->${cname}` : cname;
}

/** The C return type for a function returning t: `void` for the unit type. */
export function cRet(t: Type): string {
  return t.k === "unit" || t.k === "never" ? "void" : cType(t);
}

/** A name fragment for a type, used to build names of generated types and helpers. */
export function mangle(t: Type): string {
  switch (t.k) {
    case "int": case "float": return t.name;
    case "bool": return "bool";
    case "string": return "str";
    case "unit": return "unit";
    case "never": return "never";
    case "struct": case "enum": return t.args.length ? `${t.info.cname}__${t.args.map(mangle).join("_")}` : t.info.cname;
    case "optional": return `O_${mangle(t.inner)}`;
    case "tuple": return `Tup${t.elems.length}_${t.elems.map(mangle).join("_")}`;
    case "fn": return `${t.async ? "AFn" : "Fn"}_${t.params.map(mangle).join("_")}__${mangle(t.ret)}`;
    case "vec": return `V_${mangle(t.elem)}`;
    case "set": return `S_${mangle(t.elem)}`;
    case "map": return `M_${mangle(t.key)}__${mangle(t.val)}`;
    case "param": return `P_${t.p.name}`;
    case "builder": return "SB";
    case "task": return `Task_${mangle(t.inner)}`;
    case "error": return "error";
  }
}

export const fieldName = (name: string) => `f_${name}`;

/** A C string literal for the given UTF-8 bytes, with its byte length. */
export function cStringLiteral(s: string): { lit: string; len: number } {
  const bytes = Buffer.from(s, "utf8");
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += "\\\\";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x09) out += "\\t";
    else if (b === 0x3f) out += "\\?"; // avoid trigraphs
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += "\\" + b.toString(8).padStart(3, "0");
  }
  return { lit: out + '"', len: bytes.length };
}

export function cStr(s: string): string {
  const { lit, len } = cStringLiteral(s);
  return `((co_str){${lit}, ${len}})`;
}

/** The C name of the function derived for type t (src/lower/derive). */
export function deriveName(kind: DeriveKind, t: Type): string {
  const m = mangle(t);
  switch (kind) {
    case "eq": case "hash": case "clone": case "promote": case "restore": case "leave": case "drop": return `${kind}_${m}`;
    case "dropStep": return `dropstep_${m}`;
    // Only optionals print differently inside containers (an inner string is quoted).
    case "show": return t.k === "optional" ? `show_${m}_t` : `show_${m}`;
    case "showNested": return `show_${m}_n`;
    case "jsonEnc": return `jenc_${m}`;
    case "jsonDec": return `jdec_${m}`;
    case "jsonStr": return `jstr_${m}`;
    case "jsonDoc": return `jdoc_${m}`;
    case "keep": return `keep_${m}`;
  }
}

/** The C name of a collection function (src/lower/coll-fns.ts) of op on collection type ct, argument types ats. */
export function collFnName(op: CollFn, ct: Type, ats: Type[]): string {
  const n = mangle(ct);
  switch (op) {
    case "find": case "findIndex": case "any": case "all": case "reduce": case "minBy": case "maxBy": case "map": case "filter": case "cmp":
      return `${op}_${n}_${mangle(ats[0])}`;
    case "fold": return `fold_${n}_${mangle(ats[1])}`;
    case "zip": return `zip_${n}_${mangle(ats[0])}`;
    case "indexOf": return `find_${n}`;
    case "split": case "lines": case "chars": case "bytes": return `str_${op}`;
    case "enumerate": return `enum_${n}`;
    case "index": return `mi_${n}`;
    case "sum": case "min": case "max": case "dedup": case "chunks": case "take": case "skip": case "join": case "keys": case "values": return `${op}_${n}`;
  }
}

/** The C name of a helper function (src/lower/helper-fns.ts; a function value's wrapper is named after what it wraps, print.ts). */
export function helperFnName(f: Extract<Callee, { c: "envfn" | "dropping" | "unwrapFail" | "zero" | "key" }>): string {
  switch (f.c) {
    case "envfn": return `${f.closure}_${f.part}`;
    case "dropping": return `${f.op}d_${mangle(f.type)}`;
    case "unwrapFail": return `unwrap_fail_${mangle(f.err)}`;
    case "zero": return `zero_${mangle(f.type)}`;
    case "key": return `${f.kind === "hash" ? "hk" : "ek"}_${mangle(f.type)}`;
  }
}

/** The C parameter of a `mut self` method holding the region its receiver lives in (global memory, an older
 *  region, or the caller's current one): stores through `self` copy there (docs/memory.md). */
export const RECEIVER_REGION = "rg_self";

/** The C symbol of an `extern fn` of a std module: co_std_<module>_<name without leading underscores>. */
export function externName(f: FnInfo): string {
  const mod = f.module.file.replace(/\\/g, "/").split("/").pop()!.replace(/\.co$/, "");
  return `co_std_${mod}_${f.name.replace(/^_+/, "")}`;
}

/**
 * A user name as a fragment of a C name, escaped so that C names made from it are injective: every `_` becomes
 * `_0` (and any other character outside [A-Za-z0-9], `_0` too, deduplicated by `unique`). The compiler's own
 * separators are `_` followed by anything but `0` (`__` before a generic instance's type arguments, `_2` for a
 * second declaration of a name, `_poll`, `_v1` for a payload, `__nc`), so `fn id__i64` (f_id_0_0i64) never meets
 * id<int> (f_id__i64), nor `struct Pair__i64` (T_Pair_0_0i64) Pair<int> (T_Pair__i64); docs/compiler.md "C names".
 */
export const escapeName = (name: string): string => name.replace(/[^A-Za-z0-9]/g, "_0");

/**
 * Gives every declaration of a checked program its C name: module prefixes, types (`T_`, `E_`), globals (`g_`),
 * functions (`f_`), methods (`m_`), tests (`test_`) and locals (`l_NAME_ID`). The checker leaves `cname` empty;
 * the driver runs this once checking is done (the mono pass keys instances by these names). A name that two
 * declarations would share gets `_2`, `_3`, ... in declaration order: modules in load order, each module's
 * declarations in source order, then the methods in the order their impls were declared, then the tests.
 */
export function nameProgram(p: TypedProgram): void {
  const used = new Set<string>();
  const unique = (base: string): string => {
    let name = base;
    if (used.has(name)) { let i = 2; while (used.has(`${name}_${i}`)) i++; name = `${name}_${i}`; }
    used.add(name);
    return name;
  };
  for (const m of p.modules) m.prefix = m.isEntry ? "" : escapeName(m.alias) + (m.id === 0 ? "" : `_${m.id}`) + "__";
  for (const e of p.enums) if (e.decl === null) e.cname = `E_${e.name}`; // the prelude's Result
  for (const m of p.modules) {
    for (const d of m.ast.decls) {
      switch (d.kind) {
        case "Struct": { const s = m.structs.get(d.name); if (s?.decl === d) s.cname = unique(`T_${m.prefix}${escapeName(d.name)}`); break; }
        case "Enum": { const e = m.enums.get(d.name); if (e?.decl === d) e.cname = unique(`E_${m.prefix}${escapeName(d.name)}`); break; }
        case "Global": { const g = m.globals.get(d.name); if (g?.decl === d) g.cname = unique(`g_${m.prefix}${escapeName(d.name)}`); break; }
        case "Fn": {
          const first = m.fns.get(d.name);
          const f = first?.decl === d ? first : first?.overloads?.find((o) => o.decl === d);
          if (f) f.cname = unique(`f_${m.prefix}${escapeName(d.name)}`);
          break;
        }
        default: break;
      }
    }
  }
  for (const f of p.fns) {
    if (!f.owner && !f.impl) continue;
    f.cname = unique(f.owner ? `m_${f.owner.cname.slice(2)}_${escapeName(f.name)}` : `f_${f.module.prefix}${escapeName(f.name)}`);
  }
  p.tests.forEach((t, i) => { t.cname = unique(`test_${t.module.prefix}${i}`); });
  for (const v of p.locals) v.cname = `l_${v.name}_${v.id}`;
}
