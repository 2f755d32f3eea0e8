// The decision tree of a `match` (or `if let`): built once by the checker from
// the arms' normalised patterns, recorded in `TypedProgram.decisions`, and read
// by both the exhaustiveness check (exhaustive.ts: missing cases and
// unreachable arms) and the code generator (emit/match.ts).
//
// The compiler is the pattern-matrix one (Maranget, "Compiling pattern
// matching to good decision trees") with the leftmost column chosen first: a
// column whose heads are all wildcards is dropped (its bindings go to the
// rows), a tuple column is split into its elements without a test, and any
// other column becomes one test node on that sub-value (its occurrence) whose
// branches hold the rows that can still match. Every branch is inhabited (an
// enum's default exists only when some variant has no case, an integer's only
// when some range of the type is uncovered), so an arm is reachable exactly
// when it appears in a leaf, and the match is exhaustive exactly when no
// `fail` node holds a value.

import { intRange, variantFields, type Type, type LocalVar } from "./types.js";

/** A pattern in normal form (patterns.ts builds these; syntax is gone). */
export type NPat =
  | { k: "wild"; bind?: LocalVar } // `_`, or a name binding the value here
  | { k: "ctor"; name: string; args: NPat[] } // enum variant, bool, none/some, tuple
  | { k: "lit"; key: string; value: string | number } // strings, floats: never cover a type alone
  | { k: "range"; lo: bigint; hi: bigint } // integers (a literal is lo == hi), inclusive
  | { k: "or"; alts: NPat[] }; // A | B: a row headed by one stands for one row per alternative

export const WILD: NPat = { k: "wild" };

export interface Ctor { name: string; args: Type[]; show: (args: string[]) => string }

/** The finite constructor set of a type, or null when its values are open-ended. */
export function ctorsOf(t: Type): Ctor[] | null {
  switch (t.k) {
    case "bool": return [{ name: "true", args: [], show: () => "true" }, { name: "false", args: [], show: () => "false" }];
    case "optional": return [{ name: "none", args: [], show: () => "none" }, { name: "some", args: [t.inner], show: (a) => a[0] }];
    case "tuple": return [{ name: "tuple", args: t.elems, show: (a) => `(${a.join(", ")})` }];
    case "unit": return [{ name: "tuple", args: [], show: () => "()" }];
    case "enum": return t.info.variants.map((v) => {
      const fields = variantFields(t, v);
      return { name: v.name, args: fields.map((f) => f.type), show: (a: string[]) => (a.length ? `${v.name}(${a.join(", ")})` : v.name) };
    });
    default: return null;
  }
}

/** How a sub-value is reached from its parent. */
export type Step =
  | { s: "val" } // an optional's present value
  | { s: "elem"; i: number } // a tuple's element
  | { s: "field"; variant: number; i: number }; // field i of enum variant `variant` (through the box of a recursive enum)

/** A sub-value of the subject that the tree tests or binds; one object per path, shared by every branch. */
export interface Occ { id: number; parent: Occ | null; step: Step | null; type: Type }

export interface Bind { local: LocalVar; occ: Occ }

/** What a branch of a test node requires of its occurrence. */
export type Case =
  | { t: "ctor"; index: number; then: Decision } // constructor `index` of ctorsOf(occ.type): a variant, true/false, none/some
  | { t: "range"; lo: bigint; hi: bigint; then: Decision }
  | { t: "lit"; value: string | number; then: Decision };

export type Decision =
  | { d: "fail"; rest: Occ[] } // no arm matches; rest: the sub-values no test looked at yet (for the witnesses)
  | { d: "leaf"; arm: number; binds: Bind[]; guarded: boolean; else_: Decision | null } // else_: where a false guard continues
  | { d: "test"; occ: Occ; cases: Case[]; default_: Decision | null; gaps: [bigint, bigint][] }; // gaps: integer ranges the default holds

export interface DecisionTree { root: Occ; tree: Decision; arms: number }

export interface RowIn { pat: NPat; guarded: boolean }

interface Row { pats: NPat[]; arm: number; guarded: boolean; binds: Bind[] }

/** Builds the decision tree of arms (in order) over a subject of type t. */
export function buildDecision(t: Type, arms: RowIn[]): DecisionTree {
  let ids = 0;
  const root: Occ = { id: ids++, parent: null, step: null, type: t };
  const kids = new Map<string, Occ>();
  const sub = (o: Occ, step: Step, type: Type): Occ => {
    const key = `${o.id}/${step.s}/${"i" in step ? step.i : ""}/${"variant" in step ? step.variant : ""}`;
    let x = kids.get(key);
    if (!x) { x = { id: ids++, parent: o, step, type }; kids.set(key, x); }
    return x;
  };
  const argOccs = (o: Occ, c: Ctor, index: number): Occ[] => {
    if (o.type.k === "optional") return c.name === "some" ? [sub(o, { s: "val" }, c.args[0])] : [];
    if (o.type.k === "tuple") return c.args.map((a, i) => sub(o, { s: "elem", i }, a));
    if (o.type.k === "enum") return c.args.map((a, i) => sub(o, { s: "field", variant: index, i }, a));
    return [];
  };

  const compile = (cols: Occ[], rows0: Row[]): Decision => {
    if (rows0.length === 0) return { d: "fail", rest: cols };
    const rows = expandOr(rows0);
    const first = rows[0];
    if (first.pats.every((p) => p.k === "wild")) {
      const binds = [...first.binds, ...bindsOf(first.pats, cols)];
      return { d: "leaf", arm: first.arm, binds, guarded: first.guarded, else_: first.guarded ? compile(cols, rows.slice(1)) : null };
    }
    const o = cols[0], rest = cols.slice(1);
    const heads = rows.map((r) => r.pats[0]);
    // Rows whose head is a wildcard keep matching in every branch; their binding of o happens here.
    const keep = (r: Row, extra: NPat[]): Row => {
      const h = r.pats[0];
      const binds = h.k === "wild" && h.bind ? [...r.binds, { local: h.bind, occ: o }] : r.binds;
      return { ...r, pats: [...extra, ...r.pats.slice(1)], binds };
    };
    if (heads.every((h) => h.k === "wild")) return compile(rest, rows.map((r) => keep(r, [])));
    const ctors = ctorsOf(o.type);
    if (ctors) {
      const specialize = (c: Ctor): Row[] => rows.flatMap((r) => {
        const h = r.pats[0];
        if (h.k === "wild") return [keep(r, c.args.map(() => WILD))];
        return h.k === "ctor" && h.name === c.name ? [keep(r, h.args)] : [];
      });
      if (ctors.length === 1) return compile([...argOccs(o, ctors[0], 0), ...rest], specialize(ctors[0]));
      const cases: Case[] = [];
      ctors.forEach((c, index) => {
        if (heads.some((h) => h.k === "ctor" && h.name === c.name)) cases.push({ t: "ctor", index, then: compile([...argOccs(o, c, index), ...rest], specialize(c)) });
      });
      const default_ = cases.length < ctors.length ? compile(rest, defaultRows(rows, keep)) : null;
      return { d: "test", occ: o, cases, default_, gaps: [] };
    }
    if (o.type.k === "int") {
      const r = intRange(o.type.name);
      const cases: Case[] = [];
      const gaps: [bigint, bigint][] = [];
      for (const [lo, hi] of segments(heads, r.min, r.max)) {
        if (!heads.some((h) => h.k === "range" && h.lo <= lo && h.hi >= hi)) { gaps.push([lo, hi]); continue; }
        const sel = rows.filter((x) => x.pats[0].k === "wild" || (x.pats[0].k === "range" && x.pats[0].lo <= lo && x.pats[0].hi >= hi));
        cases.push({ t: "range", lo, hi, then: compile(rest, sel.map((x) => keep(x, []))) });
      }
      return { d: "test", occ: o, cases, default_: gaps.length ? compile(rest, defaultRows(rows, keep)) : null, gaps };
    }
    // Strings and floats: one branch per literal, in order of first appearance.
    const cases: Case[] = [];
    const seen = new Set<string>();
    for (const h of heads) {
      if (h.k !== "lit" || seen.has(h.key)) continue;
      seen.add(h.key);
      const sel = rows.filter((x) => x.pats[0].k === "wild" || (x.pats[0].k === "lit" && x.pats[0].key === h.key));
      cases.push({ t: "lit", value: h.value, then: compile(rest, sel.map((x) => keep(x, []))) });
    }
    return { d: "test", occ: o, cases, default_: compile(rest, defaultRows(rows, keep)), gaps: [] };
  };

  const rows: Row[] = arms.map((a, arm) => ({ pats: [a.pat], arm, guarded: a.guarded, binds: [] }));
  return { root, tree: compile([root], rows), arms: arms.length };
}

function bindsOf(pats: NPat[], cols: Occ[]): Bind[] {
  const out: Bind[] = [];
  pats.forEach((p, i) => { if (p.k === "wild" && p.bind) out.push({ local: p.bind, occ: cols[i] }); });
  return out;
}

function defaultRows(rows: Row[], keep: (r: Row, extra: NPat[]) => Row): Row[] {
  return rows.filter((r) => r.pats[0].k === "wild").map((r) => keep(r, []));
}

/** Rows headed by an or-pattern, split into one row per alternative (nested ones too), in order. */
function expandOr(rows: Row[]): Row[] {
  if (!rows.some((r) => r.pats.length && r.pats[0].k === "or")) return rows;
  return expandOr(rows.flatMap((r) => {
    const h = r.pats[0];
    return r.pats.length && h.k === "or" ? h.alts.map((a) => ({ ...r, pats: [a, ...r.pats.slice(1)] })) : [r];
  }));
}

/** Splits [lo, hi] at the edges of the integer ranges among heads: each piece is wholly inside or outside every range. */
export function segments(heads: NPat[], lo: bigint, hi: bigint): [bigint, bigint][] {
  const cuts = new Set<bigint>([lo, hi + 1n]);
  for (const h of heads) {
    if (h.k !== "range") continue;
    if (h.lo > lo && h.lo <= hi) cuts.add(h.lo);
    if (h.hi + 1n > lo && h.hi + 1n <= hi) cuts.add(h.hi + 1n);
  }
  const pts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (let i = 0; i + 1 < pts.length; i++) out.push([pts[i], pts[i + 1] - 1n]);
  return out;
}

/** The arms that appear in some leaf, and the leaves per arm. */
export function leafCounts(tree: Decision): Map<number, number> {
  const n = new Map<number, number>();
  const walk = (d: Decision | null): void => {
    if (!d) return;
    if (d.d === "leaf") { n.set(d.arm, (n.get(d.arm) ?? 0) + 1); walk(d.else_); return; }
    if (d.d === "test") { d.cases.forEach((c) => walk(c.then)); walk(d.default_); }
  };
  walk(tree);
  return n;
}

/** Does some value reach a `fail` node? */
export function canFail(d: Decision | null): boolean {
  if (!d) return false;
  if (d.d === "fail") return true;
  if (d.d === "leaf") return d.guarded && canFail(d.else_);
  return d.cases.some((c) => canFail(c.then)) || canFail(d.default_);
}
