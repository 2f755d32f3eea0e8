// "Did you mean" suggestions: the closest known name by edit distance, if it
// is close enough to be a likely typo, or the name as an imported module exports it.

import type { ModuleInfo } from "./types.js";

/**
 * Optimal string alignment distance: insertions, deletions, substitutions
 * (0.5 for a change of case only) and transpositions of two adjacent
 * letters, each one edit, so `prinltn` is one edit from `println` (and two
 * from `print`).
 */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1);
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0.5 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] && a[i - 1] !== a[i - 2]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length <= 1) return undefined; // every one-letter name is one edit from every other
  const limit = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of new Set(candidates)) {
    if (c === name) continue;
    const d = editDistance(name, c);
    if (d <= limit && d < bestD) { best = c; bestD = d; }
  }
  return best;
}

/**
 * A name declared `pub` in a module this one imports, written without the module's prefix (`Sq` for `shapes.Sq`,
 * `total(...)` for `shapes.total(...)`): the qualified name, for "did you mean"; undefined when there is none.
 */
export function importedName(m: ModuleInfo, name: string, kind: "type" | "value" | "trait"): string | undefined {
  for (const [alias, mod] of m.imports) {
    const d = kind === "type" ? mod.structs.get(name) ?? mod.enums.get(name)
      : kind === "trait" ? mod.traits.get(name)
      : mod.fns.get(name) ?? mod.globals.get(name);
    if (d?.pub) return `${alias}.${name}`;
  }
  return undefined;
}
