// Exhaustiveness and reachability of `match` arms, by the usefulness
// algorithm over a pattern matrix (Maranget, "Warnings for pattern matching").
// The checker turns source patterns into the normal form below; this module
// knows nothing about syntax, only constructors.

import { variantFields, intRange, type Type } from "./types.js";

export type NPat =
  | { k: "wild" }
  | { k: "ctor"; name: string; args: NPat[] } // enum variant, bool, none/some, tuple
  | { k: "lit"; key: string } // strings, floats: never cover a type alone
  | { k: "range"; lo: bigint; hi: bigint } // integers (a literal is lo == hi), inclusive
  | { k: "or"; alts: NPat[] }; // A | B: a row headed by one stands for one row per alternative

export const WILD: NPat = { k: "wild" };

interface Ctor { name: string; args: Type[]; show: (args: string[]) => string }

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

const arity = (c: Ctor) => c.args.length;

function specialize(rows: NPat[][], c: Ctor): NPat[][] {
  const out: NPat[][] = [];
  for (const r of rows) {
    const h = r[0];
    if (h.k === "wild") out.push([...Array(arity(c)).fill(WILD), ...r.slice(1)]);
    else if (h.k === "ctor" && h.name === c.name) out.push([...h.args, ...r.slice(1)]);
  }
  return out;
}

function defaultRows(rows: NPat[][]): NPat[][] {
  return rows.filter((r) => r[0].k === "wild").map((r) => r.slice(1));
}

/** Splits [lo, hi] at the edges of the integer ranges heading rows: each piece is wholly inside or outside every range. */
function segments(rows: NPat[][], lo: bigint, hi: bigint): [bigint, bigint][] {
  const cuts = new Set<bigint>([lo, hi + 1n]);
  for (const r of rows) {
    const h = r[0];
    if (h.k !== "range") continue;
    if (h.lo > lo && h.lo <= hi) cuts.add(h.lo);
    if (h.hi + 1n > lo && h.hi + 1n <= hi) cuts.add(h.hi + 1n);
  }
  const pts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (let i = 0; i + 1 < pts.length; i++) out.push([pts[i], pts[i + 1] - 1n]);
  return out;
}

/** Rows whose head matches every value of segment seg, with the head removed. */
function specializeRange(rows: NPat[][], seg: [bigint, bigint]): NPat[][] {
  return rows.filter((r) => r[0].k === "wild" || (r[0].k === "range" && r[0].lo <= seg[0] && r[0].hi >= seg[1])).map((r) => r.slice(1));
}

function intDomain(t: Type): [bigint, bigint] | null {
  if (t.k !== "int") return null;
  const r = intRange(t.name);
  return [r.min, r.max];
}

/** Is every value of the integer domain covered by some range heading a row? */
function rangesCover(rows: NPat[][], dom: [bigint, bigint]): boolean {
  if (!rows.some((r) => r[0].k === "range")) return false;
  return segments(rows, dom[0], dom[1]).every((seg) => rows.some((r) => r[0].k === "range" && r[0].lo <= seg[0] && r[0].hi >= seg[1]));
}

/** Rows headed by an or-pattern, split into one row per alternative (nested ones too). */
function expandOr(rows: NPat[][]): NPat[][] {
  if (!rows.some((r) => r.length && r[0].k === "or")) return rows;
  return expandOr(rows.flatMap((r) => (r.length && r[0].k === "or" ? r[0].alts.map((a) => [a, ...r.slice(1)]) : [r])));
}

/** Is vector q useful after rows (does it match some value no row matches)? */
function useful(rows0: NPat[][], q: NPat[], tys: Type[]): boolean {
  if (q.length === 0) return rows0.length === 0;
  const rows = expandOr(rows0);
  const h = q[0];
  if (h.k === "or") return h.alts.some((a) => useful(rows, [a, ...q.slice(1)], tys));
  if (h.k === "range") return segments(rows, h.lo, h.hi).some((seg) => useful(specializeRange(rows, seg), q.slice(1), tys.slice(1)));
  const dom = intDomain(tys[0]);
  if (h.k === "wild" && dom && rangesCover(rows, dom)) {
    return segments(rows, dom[0], dom[1]).some((seg) => useful(specializeRange(rows, seg), q.slice(1), tys.slice(1)));
  }
  const ctors = ctorsOf(tys[0]);
  if (h.k === "ctor") {
    const c = ctors?.find((x) => x.name === h.name);
    if (!c) return true;
    return useful(specialize(rows, c), [...h.args, ...q.slice(1)], [...c.args, ...tys.slice(1)]);
  }
  if (h.k === "lit") {
    const rest = rows.filter((r) => r[0].k === "wild" || (r[0].k === "lit" && r[0].key === h.key)).map((r) => r.slice(1));
    return useful(rest, q.slice(1), tys.slice(1));
  }
  if (ctors && ctors.every((c) => rows.some((r) => r[0].k === "ctor" && r[0].name === c.name))) {
    return ctors.some((c) => useful(specialize(rows, c), [...Array(arity(c)).fill(WILD), ...q.slice(1)], [...c.args, ...tys.slice(1)]));
  }
  return useful(defaultRows(rows), q.slice(1), tys.slice(1));
}

const LIMIT = 6;

/** Up to a few value vectors (as text) that no row matches. */
function missing(rows0: NPat[][], tys: Type[], depth: number): string[][] {
  if (tys.length === 0) return rows0.length === 0 ? [[]] : [];
  const rows = expandOr(rows0);
  if (depth > 40) return [];
  const ctors = ctorsOf(tys[0]);
  // A finite type whose constructors are all open to enumeration: try each.
  if (ctors && (rows.some((r) => r[0].k === "ctor") || rows.length === 0 || ctors.length === 1)) {
    const out: string[][] = [];
    for (const c of ctors) {
      if (out.length >= LIMIT) break;
      for (const w of missing(specialize(rows, c), [...c.args, ...tys.slice(1)], depth + 1)) {
        out.push([c.show(w.slice(0, arity(c))), ...w.slice(arity(c))]);
        if (out.length >= LIMIT) break;
      }
    }
    return out;
  }
  const dom = intDomain(tys[0]);
  if (dom && rows.some((r) => r[0].k === "range")) {
    // Name an integer no range covers (or the first piece whose rest is incomplete).
    const out: string[][] = [];
    for (const seg of segments(rows, dom[0], dom[1])) {
      for (const w of missing(specializeRange(rows, seg), tys.slice(1), depth + 1)) {
        out.push([seg[0] === seg[1] ? String(seg[0]) : `${seg[0]}..=${seg[1]}`, ...w]);
        if (out.length >= LIMIT) return out;
      }
    }
    return out;
  }
  return missing(defaultRows(rows), tys.slice(1), depth + 1).map((w) => ["_", ...w]);
}

export interface ArmInfo { pat: NPat; guarded: boolean }

/** Missing cases (empty when exhaustive) and the indexes of unreachable arms. */
export function checkExhaustive(subject: Type, arms: ArmInfo[]): { missing: string[]; unreachable: number[] } {
  const rows: NPat[][] = [];
  const unreachable: number[] = [];
  arms.forEach((a, i) => {
    if (!useful(rows, [a.pat], [subject])) unreachable.push(i);
    if (!a.guarded) rows.push([a.pat]);
  });
  const miss = useful(rows, [WILD], [subject]) ? missing(rows, [subject], 0).map((w) => w[0]) : [];
  return { missing: miss.length ? miss : useful(rows, [WILD], [subject]) ? ["_"] : [], unreachable };
}
