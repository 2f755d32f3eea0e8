// Recursive types (docs/language.md "Recursive types"). A value type holds its
// fields, tuple elements, optional values and (non-boxed) enum payloads inline,
// so a type that holds itself by value would have infinite size. Two rules:
// - an enum whose payloads reach the enum itself by value is recursive: its
//   payloads are boxed (emit/enum-layout.ts), which makes every cycle through it
//   finite. This holds per instance too: with `enum Opt<T> { No, Yes(T) }`,
//   `struct S { next: Opt<S> }` makes Opt recursive (Opt<S> holds S holds Opt<S>);
// - a struct that still holds itself by value (through structs, tuples,
//   optionals, generic instances and non-recursive enums) is rejected, E0113.
// Both walks substitute type arguments and keep a visited set, so they end on
// any type, also on the infinite ones they report.

import { M } from "../messages.js";
import { T, fieldTypes, showType, variantFields, type EnumInfo, type StructInfo, type Type } from "./types.js";
import { report, type CheckContext } from "./context.js";

/** Generic instances nested deeper than this inside one type, or bigger than MAX_SIZE type nodes, are not followed
 *  (polymorphic recursion, `struct P<T> { n: P<(T, T)>? }`, makes ever bigger types). */
const MAX_DEPTH = 32;
const MAX_SIZE = 200;

/** Whether `stop` holds for some type node of t (t itself, then its parts, depth first). */
function someNode(t: Type, stop: (x: Type) => boolean): boolean {
  const walk = (x: Type): boolean => {
    if (stop(x)) return true;
    switch (x.k) {
      case "struct": case "enum": return x.args.some(walk);
      case "optional": case "task": return walk(x.inner);
      case "tuple": return x.elems.some(walk);
      case "vec": case "set": return walk(x.elem);
      case "map": return walk(x.key) || walk(x.val);
      case "fn": return x.params.some(walk) || walk(x.ret);
      default: return false;
    }
  };
  return walk(t);
}

/** Whether t has more than `budget` type nodes. */
function tooBig(t: Type, budget = MAX_SIZE): boolean {
  let n = 0;
  return someNode(t, () => ++n > budget);
}

export function checkRecursiveTypes(cx: CheckContext): void {
  checkExpanding(cx);
  // Enums first: a struct that holds itself through a boxed enum is finite.
  markRecursiveEnums(cx);
  for (const s of cx.out.structs) {
    for (const f of s.fields) {
      if (holds(f.type, s, new Set(), 0)) {
        report(cx, M.recursiveStruct(s.name), s.decl.nameSpan);
        f.type = T.error;
        break;
      }
    }
  }
}

/** Whether a value of type t holds a value of struct `target` inline. */
function holds(t: Type, target: StructInfo, seen: Set<string>, depth: number): boolean {
  switch (t.k) {
    case "optional": return holds(t.inner, target, seen, depth);
    case "tuple": return t.elems.some((e) => holds(e, target, seen, depth));
    case "struct": case "enum": {
      if (t.k === "struct" && t.info === target) return true;
      if (t.k === "enum" && t.info.recursive) return false; // payloads are boxed
      if (depth > MAX_DEPTH || tooBig(t)) return false;
      const key = showType(t);
      if (seen.has(key)) return false;
      seen.add(key);
      const inner = t.k === "struct" ? fieldTypes(t) : t.info.variants.flatMap((v) => variantFields(t, v));
      return inner.some((f) => holds(f.type, target, seen, depth + 1));
    }
    default: return false; // collections, closures, strings and tasks hold pointers
  }
}

/** Sets `recursive` on every enum whose payloads reach the enum itself by value, in its declaration or in an
 *  instance some declared type names (Opt<S> inside S). */
function markRecursiveEnums(cx: CheckContext): void {
  const instances = new Map<EnumInfo, Extract<Type, { k: "enum" }>[]>();
  const seenTypes = new Set<string>();
  // The instances of generic types the declarations name, and those their fields name in turn (`struct S { w: W<S> }`
  // with `struct W<T> { o: Opt<T> }` names Opt<S>).
  const collect = (t: Type, depth: number): void => {
    switch (t.k) {
      case "enum": case "struct": {
        if (!t.args.length) return;
        if (depth > MAX_DEPTH || tooBig(t)) return;
        const key = showType(t);
        if (seenTypes.has(key)) return;
        seenTypes.add(key);
        if (t.k === "enum") instances.set(t.info, [...(instances.get(t.info) ?? []), t]);
        t.args.forEach((a) => collect(a, depth + 1));
        const inner = t.k === "struct" ? fieldTypes(t) : t.info.variants.flatMap((v) => variantFields(t, v));
        for (const f of inner) collect(f.type, depth + 1);
        return;
      }
      case "optional": case "task": collect(t.inner, depth); return;
      case "tuple": t.elems.forEach((e) => collect(e, depth)); return;
      case "vec": case "set": collect(t.elem, depth); return;
      case "map": collect(t.key, depth); collect(t.val, depth); return;
      case "fn": t.params.forEach((p) => collect(p, depth)); collect(t.ret, depth); return;
      default: return;
    }
  };
  for (const s of cx.out.structs) for (const f of s.fields) collect(f.type, 0);
  for (const e of cx.out.enums) for (const v of e.variants) for (const f of v.fields) collect(f.type, 0);
  const reaches = (e: EnumInfo, t: Type, throughBoxed: boolean, seen: Set<object>): boolean => {
    const reach = (x: Type): boolean => reaches(e, x, throughBoxed, seen);
    switch (t.k) {
      case "enum": if (t.info === e) return true; if (seen.has(t.info) || (!throughBoxed && t.info.recursive)) return false; seen.add(t.info);
        return t.info.variants.some((v) => v.fields.some((f) => reach(f.type))) || t.args.some(reach);
      case "struct": if (seen.has(t.info)) return false; seen.add(t.info); return t.info.fields.some((f) => reach(f.type)) || t.args.some(reach);
      case "optional": return reach(t.inner);
      case "tuple": return t.elems.some(reach);
      default: return false; // collections and functions hold pointers already
    }
  };
  // By their declarations first; then by the instances named, where no enum boxed already breaks the cycle
  // (`struct K { e: Res }` with `enum Res { Good(Result<K, string>) }`: Res is boxed, Result<K, string> need not be).
  for (const e of cx.out.enums) {
    const seen = new Set<object>();
    e.recursive = e.variants.some((v) => v.fields.some((f) => reaches(e, f.type, true, seen)));
  }
  for (const e of cx.out.enums) {
    if (e.recursive) continue;
    e.recursive = (instances.get(e) ?? []).some((inst) => e.variants.some((v) => variantFields(inst, v).some((f) => reaches(e, f.type, false, new Set()))));
  }
}

/**
 * A generic struct or enum whose fields name a bigger instance of itself, directly or through other generic types
 * and collections (`struct P<T> { n: Vec<P<(T, T)>> }`): each instance needs a bigger one, so no program using it
 * could be compiled (it was an internal error when the C types were defined). E0251 at the declaration; the fields
 * that lead there become the error type. An instance with the declaration's own parameters (`Vec<Tree<T>>`) or
 * without any (`Vec<P<int>>`) is finite.
 */
function checkExpanding(cx: CheckContext): void {
  const decls: (StructInfo | EnumInfo)[] = [...cx.out.structs, ...cx.out.enums].filter((d) => d.typeParams.length > 0);
  for (const d of decls) {
    const own = d.typeParams.map((p) => showType({ k: "param", p }));
    const seen = new Set<string>();
    const find = (t: Type, depth: number): Type | null => {
      switch (t.k) {
        case "struct": case "enum": {
          if (!t.args.length) return null;
          if (t.info === d) {
            const args = t.args.map((a) => showType(a));
            if (args.some((a, i) => a !== own[i]) && t.args.some(mentionsParam)) return t;
            if (args.every((a, i) => a === own[i])) return null;
          }
          if (depth > MAX_DEPTH || tooBig(t)) return null;
          const key = showType(t);
          if (seen.has(key)) return null;
          seen.add(key);
          for (const a of t.args) { const r = find(a, depth + 1); if (r) return r; }
          const inner = t.k === "struct" ? fieldTypes(t) : t.info.variants.flatMap((v) => variantFields(t, v));
          for (const f of inner) { const r = find(f.type, depth + 1); if (r) return r; }
          return null;
        }
        case "optional": case "task": return find(t.inner, depth);
        case "tuple": for (const e of t.elems) { const r = find(e, depth); if (r) return r; } return null;
        case "vec": case "set": return find(t.elem, depth);
        case "map": return find(t.key, depth) ?? find(t.val, depth);
        case "fn": for (const x of [...t.params, t.ret]) { const r = find(x, depth); if (r) return r; } return null;
        default: return null;
      }
    };
    const fields = "variants" in d ? d.variants.flatMap((v) => v.fields) : d.fields;
    const bad = fields.filter((f) => find(f.type, 0) !== null);
    if (!bad.length || !d.decl) continue;
    seen.clear();
    report(cx, M.expandingType(d.name, showType(find(bad[0].type, 0)!)), d.decl.nameSpan);
    for (const f of bad) f.type = T.error;
  }
}

/** Whether t names a type parameter. */
function mentionsParam(t: Type): boolean { return someNode(t, (x) => x.k === "param"); }
