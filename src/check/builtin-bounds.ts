// What to tell the programmer when a value lacks a built-in trait. The built-in
// traits cannot be implemented by hand (E0124), so "add `impl Ord for P`" would
// be a fix that fails. These fixes name what the language offers instead: for
// `Ord` (only numbers and strings have an order) ordering by a field, with a key
// (`maxBy(|p| p.x)`) or a comparator (`sortBy(|a, b| a.x - b.x)`); for `Show` a
// `toString` method; for `Eq` and `Hash` (derived from the parts) the part that
// lacks it.

import type { Message } from "../diagnostics.js";
import { M } from "../messages.js";
import { showType, hasEq, hasOrd, showProblem, jsonProblem, fieldTypes, variantFields, type Type, type TraitInfo, type ModuleInfo } from "./types.js";

/** The E0127 (or E0132) for type t, which does not satisfy tr, required by `where`. */
export function unmetBound(tr: TraitInfo, t: Type, where: string, site?: ModuleInfo): Message {
  const why = tr.builtin === "Json" ? jsonProblem(t) : null;
  if (why) return M.notJson(showType(t), why, where, t.k === "param" ? t.p.name : null);
  const type = showType(t);
  if (t.k === "param") return M.missingImpl(tr.name, type, where, null, `bound the type parameter: \`<${t.p.name}: ${tr.name}>\``);
  switch (tr.builtin) {
    case "Ord": {
      const key = orderKey(t);
      return M.missingImpl(tr.name, type, where, "only numbers and strings have an order",
        key ? `\`Ord\` cannot be implemented by hand; order \`${type}\` values by a field that has one: pass the field (\`.map(${key.closure})\`), or take a key function instead of the bound, as \`maxBy(${key.closure})\`, \`minBy\` and \`sortBy\` do`
          : `\`Ord\` cannot be implemented by hand; order \`${type}\` values by a key that has an order (a number or a string computed from each value), as \`maxBy(|x| key)\`, \`minBy\` and \`sortBy\` do`);
    }
    case "Show": {
      const own = t.k === "struct" || t.k === "enum";
      return M.missingImpl(tr.name, type, where, showProblem(t),
        own ? `\`Show\` is derived and cannot be implemented by hand; give \`${type}\` a method \`fn toString(self): string\` (printing and interpolation use it)` : "`Show` is derived and cannot be implemented by hand");
    }
    case "Eq": case "Hash": {
      const part = partWithout(t, tr.builtin === "Hash");
      const composite = t.k === "struct" || t.k === "enum" || t.k === "tuple" || t.k === "optional";
      return M.missingImpl(tr.name, type, where, part ? `${part} has no \`${tr.name}\`` : null,
        composite ? `\`${tr.name}\` is derived and cannot be implemented by hand: \`${type}\` has it when all its parts do`
          : `\`${tr.name}\` is built in and cannot be implemented by hand, and \`${type}\` never has it`);
    }
    default: {
      // A trait of another module is named as the module where the fix is written imports it (`shapes.Area`).
      const alias = site && tr.module && tr.module !== site ? [...site.imports].find(([, mod]) => mod === tr.module)?.[0] : undefined;
      // A generic trait with its arguments (`Store<string>`), in the message and in the impl to write (tester round 13).
      const named = tr.args?.length ? `${tr.name}<${tr.args.map((a) => showType(a)).join(", ")}>` : tr.name;
      return M.missingImpl(named, type, where, null, `add \`impl ${alias ? `${alias}.` : ""}${named} for ${type} { ... }\``);
    }
  }
}

/** The E0124 for `impl NAME for target`: what to write instead. */
export function builtinImpl(name: string, target: Type): Message {
  const type = showType(target);
  if (name === "Ord") {
    const key = orderKey(target);
    return M.builtinOrdImpl(key ? `order \`${type}\` values by a field: compare \`a${key.path} < b${key.path}\`, sort with \`sortBy(${key.comparator})\`, pick with \`maxBy(${key.closure})\`` : null);
  }
  if (name === "Show" && (target.k === "struct" || target.k === "enum")) {
    return M.builtinTraitImpl(name, `write the method in \`impl ${type} { fn toString(self): string { ... } }\`: printing and interpolation use it`);
  }
  return M.builtinTraitImpl(name);
}

/** The fix of E0217 on `v.sort()` (and the key for `min`, `max`, `sorted`): a comparator or a key on a field that has an order. */
export function sortFix(elem: Type, method: "sort" | "sorted" = "sort"): string {
  const key = orderKey(elem);
  const by = method === "sort" ? "sortBy" : "sortedBy";
  return key ? `\`${method}\` compares elements with \`<\`, and only numbers and strings have an order; sort by a field with a comparator: \`${by}(${key.comparator})\``
    : `\`${method}\` compares elements with \`<\`, and only numbers and strings have an order; sort with a comparator returning a negative, zero or positive int: \`${by}(|a, b| ...)\``;
}

/** The fix of E0217 on `a < b` of values without an order: compare the first ordered field, if there is one. */
export function compareFix(t: Type, op: string): string | undefined {
  const key = orderKey(t);
  return key ? `only numbers and strings have an order; compare ${t.k === "tuple" ? "an element" : "a field"} that has one, e.g. \`a${key.path} ${op} b${key.path}\`` : undefined;
}

/** `|p| p.x` for the first field of t that has an order, or null. */
export function keyClosure(t: Type): string | null {
  return orderKey(t)?.closure ?? null;
}

/** The first part of a struct or tuple that has an order: how to reach it, as a key closure and as a comparator. */
function orderKey(t: Type): { path: string; closure: string; comparator: string } | null {
  let path: string | null = null;
  let keyT: Type | null = null;
  if (t.k === "struct") {
    const f = fieldTypes(t).find((x) => hasOrd(x.type));
    if (f) { path = `.${f.name}`; keyT = f.type; }
  } else if (t.k === "tuple") {
    const i = t.elems.findIndex(hasOrd);
    if (i >= 0) { path = `.${i}`; keyT = t.elems[i]; }
  }
  if (path === null || keyT === null) return null;
  const v = t.k === "struct" ? t.info.name[0].toLowerCase() : "t";
  // a - b only for integers: a float difference is not the comparator's int, and strings have no `-`.
  const comparator = keyT.k === "int" ? `|a, b| a${path} - b${path}` : `|a, b| if a${path} < b${path} { -1 } else if a${path} > b${path} { 1 } else { 0 }`;
  return { path, closure: `|${v}| ${v}${path}`, comparator };
}

/** A part of t without Eq (or Hash), named for a message: "its field `f` (`float`)". */
export function partWithout(t: Type, hash: boolean): string | null {
  // A part that holds t itself (`Arr(Vec<J>)` in `enum J`) is not the problem: the part without Eq is (tester round 7).
  const self = t.k === "struct" || t.k === "enum" ? new Set<object>([t.info]) : undefined;
  const lacks = (x: Type) => !hasEq(x, hash, self ? new Set(self) : undefined);
  if (t.k === "struct") {
    const f = fieldTypes(t).find((x) => lacks(x.type));
    return f ? `its field \`${f.name}\` (\`${showType(f.type)}\`)` : null;
  }
  if (t.k === "enum") {
    for (const v of t.info.variants) {
      const f = variantFields(t, v).find((x) => lacks(x.type));
      if (f) return `its variant \`${v.name}\` (holding a \`${showType(f.type)}\`)`;
    }
    return null;
  }
  if (t.k === "tuple") {
    const e = t.elems.find(lacks);
    return e ? `its element \`${showType(e)}\`` : null;
  }
  return null;
}
