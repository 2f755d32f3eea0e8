// A type parameter fixed only through another parameter's bound (tester round 13): in
// `fn count<T, S: Store<T>>(s: S)` called as `count(m)` with `m: Mem<string>`, nothing
// in the arguments names `T`; the impl of `Store` for `Mem<string>` (`impl<T> Store<T>
// for Mem<T>`) does. One impl that fits decides it; several are ambiguous (E0131 with
// the type arguments written out, as for any other open type parameter).

import { findImpls, subst, unifyTypes, containsError, typeEq, type Type, type TypeParamInfo } from "./types.js";

/** A type variable the bounds leave ambiguous, with the types the impls offer for it. */
export interface Ambiguous { v: TypeParamInfo; options: Type[] }

/** Fills `map` with what the bounds of the bound variables decide for the open ones (repeated while that fixes more);
 *  returns the open variables several impls offer different types for. */
export function inferFromBounds(vars: readonly TypeParamInfo[], map: Map<TypeParamInfo, Type>): Ambiguous[] {
  const ambiguous = new Map<TypeParamInfo, Type[]>();
  for (let changed = true; changed;) {
    changed = false;
    for (const v of vars) {
      const got = map.get(v);
      if (!got || containsError(got)) continue;
      for (const b of v.bounds) {
        if (!b.args?.length) continue;
        const open = vars.filter((x) => !map.has(x) && b.args!.some((a) => mentions(a, x)));
        if (!open.length) continue;
        // Each impl of the trait for `got`, whatever its trait arguments: what would they make the open variables?
        const solutions: Map<TypeParamInfo, Type>[] = [];
        for (const { impl, args } of findImpls({ ...b, args: undefined }, got)) {
          const sol = new Map(map);
          const ok = b.args.every((a, k) => impl.traitArgs[k] !== undefined && unifyTypes(subst(a, map), subst(impl.traitArgs[k], args), sol, vars));
          if (ok && open.every((x) => sol.has(x) && !containsError(sol.get(x)!))) solutions.push(sol);
        }
        if (!solutions.length) continue;
        for (const x of open) {
          const opts: Type[] = [];
          for (const s of solutions) { const t = s.get(x)!; if (!opts.some((o) => typeEq(o, t))) opts.push(t); }
          if (opts.length === 1) { map.set(x, opts[0]); ambiguous.delete(x); changed = true; }
          else ambiguous.set(x, opts);
        }
      }
    }
  }
  return [...ambiguous].filter(([v]) => !map.has(v)).map(([v, options]) => ({ v, options }));
}

const ERR: Type = { k: "error" };
function mentions(t: Type, v: TypeParamInfo): boolean {
  return !containsError(t) && containsError(subst(t, new Map([[v, ERR]])));
}
