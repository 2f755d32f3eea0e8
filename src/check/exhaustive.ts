// Exhaustiveness and reachability of `match` arms, read off the decision tree
// (decision.ts): an arm no leaf holds is unreachable, and every `fail` node
// that holds a value gives the missing cases, spelled as patterns. The
// witnesses are listed in the order of the constructors (and of the integer
// ranges), with `_` where the value does not matter; where no arm is left at
// all, the sub-values not looked at yet are enumerated (`(false, true)`,
// `(false, false)`) as far as their types are finite: a recursive enum's
// value inside one of its own type is `_` (`Ok(Cons(_, _))`).

import { ctorsOf, leafCounts, type Decision, type DecisionTree, type Occ } from "./decision.js";
import { typeEq } from "./types.js";

const LIMIT = 6;

/** What the path to a node says about a sub-value: a constructor (by index) or a text (an integer range, `_`). */
type Fact = { ctor: number } | { text: string };

/** A sub-value of a recursive type inside a value of the same type (a list's tail): enumerating
 * it would never end, and `_` says all a witness needs to. */
function recursive(o: Occ): boolean {
  if (o.type.k !== "enum") return false;
  for (let p = o.parent; p; p = p.parent) if (typeEq(p.type, o.type)) return true;
  return false;
}

/** Up to LIMIT witnesses: every value vector of these types (as today's rows-empty enumeration). */
function enumerate(occs: Occ[], kid: (o: Occ, i: number, ci: number) => Occ): string[][] {
  if (occs.length === 0) return [[]];
  const [o, ...rest] = occs;
  const ctors = recursive(o) ? null : ctorsOf(o.type);
  const out: string[][] = [];
  if (!ctors) {
    for (const w of enumerate(rest, kid)) { out.push(["_", ...w]); if (out.length >= LIMIT) break; }
    return out;
  }
  for (let ci = 0; ci < ctors.length && out.length < LIMIT; ci++) {
    const c = ctors[ci];
    const args = c.args.map((_, i) => kid(o, i, ci));
    for (const w of enumerate([...args, ...rest], kid)) {
      out.push([c.show(w.slice(0, args.length)), ...w.slice(args.length)]);
      if (out.length >= LIMIT) break;
    }
  }
  return out;
}

/** Missing cases (empty when exhaustive) and the indexes of unreachable arms. */
export function checkExhaustive(dt: DecisionTree): { missing: string[]; unreachable: number[] } {
  const reached = leafCounts(dt.tree);
  const unreachable: number[] = [];
  for (let i = 0; i < dt.arms; i++) if (!reached.has(i)) unreachable.push(i);

  // Sub-values of an occurrence by constructor, made on demand for witnesses (the tree's own
  // occurrences are found by their parent and step).
  const made = new Map<string, Occ>();
  const kid = (o: Occ, i: number, ci: number): Occ => {
    const key = `${o.id}/${ci}/${i}`;
    let x = made.get(key);
    if (!x) {
      const c = ctorsOf(o.type)![ci];
      x = { id: -1 - made.size, parent: o, step: o.type.k === "optional" ? { s: "val" } : o.type.k === "tuple" ? { s: "elem", i } : { s: "field", variant: ci, i }, type: c.args[i] };
      made.set(key, x);
    }
    return x;
  };
  const sameStep = (a: Occ, b: Occ) => JSON.stringify(a.step) === JSON.stringify(b.step);

  const out: string[] = [];
  const render = (o: Occ, facts: Map<Occ, Fact>, given: Map<Occ, string>, children: Occ[]): string => {
    const g = given.get(o);
    if (g !== undefined) return g;
    const f = facts.get(o);
    if (f && "text" in f) return f.text;
    const ctors = ctorsOf(o.type);
    const ci = f ? f.ctor : ctors && ctors.length === 1 ? 0 : -1;
    if (!ctors || ci < 0) return "_";
    const c = ctors[ci];
    const args = c.args.map((_, i) => {
      const k = kid(o, i, ci);
      const real = children.find((x) => x.parent === o && sameStep(x, k));
      return render(real ?? k, facts, given, children);
    });
    return c.show(args);
  };
  const emit = (facts: Map<Occ, Fact>, rest: Occ[]): void => {
    // Every tree occurrence on the way to a fact or a rest value (tuples are split without a fact).
    const children: Occ[] = [];
    for (const o of [...facts.keys(), ...rest]) for (let x: Occ | null = o; x && !children.includes(x); x = x.parent) children.push(x);
    for (const w of enumerate(rest, kid)) {
      if (out.length >= LIMIT) return;
      const given = new Map<Occ, string>(rest.map((o, i) => [o, w[i]]));
      // Enumerated sub-values of rest hang off `kid` occurrences; render reads them through `given` of the parent.
      out.push(render(dt.root, facts, given, children));
    }
  };
  const walk = (d: Decision | null, facts: Map<Occ, Fact>): void => {
    if (!d || out.length >= LIMIT) return;
    if (d.d === "fail") { emit(facts, d.rest); return; }
    if (d.d === "leaf") { if (d.guarded) walk(d.else_, facts); return; }
    const with_ = (f: Fact) => new Map(facts).set(d.occ, f);
    const ctors = ctorsOf(d.occ.type);
    if (ctors) {
      ctors.forEach((c, ci) => {
        const cs = d.cases.find((x) => x.t === "ctor" && x.index === ci);
        if (cs) { walk(cs.then, with_({ ctor: ci })); return; }
        // No case of its own: the default's rows. With none left, its fields are enumerated too.
        if (d.default_?.d === "fail") emit(with_({ ctor: ci }), [...c.args.map((_, i) => kid(d.occ, i, ci)), ...d.default_.rest]);
        else walk(d.default_, with_({ ctor: ci }));
      });
      return;
    }
    if (d.occ.type.k === "int") {
      const pieces: { lo: bigint; hi: bigint; then: Decision | null }[] = [
        ...d.cases.map((c) => (c.t === "range" ? { lo: c.lo, hi: c.hi, then: c.then } : null)).filter((x) => x !== null),
        ...d.gaps.map(([lo, hi]) => ({ lo, hi, then: d.default_ })),
      ].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
      for (const p of pieces) walk(p.then, with_({ text: p.lo === p.hi ? String(p.lo) : `${p.lo}..=${p.hi}` }));
      return;
    }
    // Literals never cover a type: what a literal's branch misses, the default misses too.
    walk(d.default_, facts);
  };
  walk(dt.tree, new Map());
  return { missing: out, unreachable };
}
