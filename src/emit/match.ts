// `match` and `if let` from their decision tree (check/decision.ts, the one the
// exhaustiveness check read): IR statements, printed by print.ts, that test
// each sub-value of the subject once — a C `switch` on an enum's tag, `if`s on
// an optional's flag, a bool, integer ranges and literals — and reach an arm
// by falling out of no test. A sub-value that is tested is read into a
// temporary first (through `fe.decl`, so async bodies keep it in the frame).
//
// An arm the tree reaches once is written at its leaf: bindings, guard, body,
// `goto end`. An arm it reaches more than once (an or-pattern, or rows split
// by an earlier column) is written once after the tree at a label the leaves
// jump to, and its bindings are declared before the tree (zeroed) and
// assigned at each leaf. Falling out of the tree means no arm matched: a
// panic for `match`, the else branch for `if let`. Guards run in arm order
// along a path, as they did arm by arm. Arm bodies and guards are the IR
// statements the body emitter builds for them, spliced into the tree.

import { knownIr } from "./frames-ir.js";
import type * as A from "../syntax/ast.js";
import { intRange, type Type } from "../check/types.js";
import { leafCounts, type Decision, type DecisionTree, type Occ } from "../check/decision.js";
import type { Expr, Stmt } from "../lower/ir.js";
import { NEVER } from "./ctext.js";
import { printExpr, type PrintCtx } from "./print.js";
import { subjectFixed } from "./match-bindings.js";
import type { FnEmitter } from "./body.js";
import { C } from "./body-ir.js";
import { declIr } from "./loops-ir.js";
import { guardIr, named, resultTmp, setInPlace, storeValue, subjectIr } from "./match-ir.js";

/** What the tree's leaves and its fall-out run. */
interface Targets {
  /** Statements of arm k's body, ending where control leaves the match (its own goto). */
  body(k: number): Stmt[];
  /** Arm k's guard: statements to run first and the condition, or null. */
  guard(k: number): { pre: Stmt[]; cond: Expr } | null;
  /** Where no arm matched. */
  fail: Stmt[];
  end: string;
}

/** The IR of a decision tree over the subject `subj` (a variable of type st). `inPlace`: subj keeps its value
 *  through the arms, so an arm one leaf holds reads its bindings where they are used (match-bindings.ts). */
function lowerTree(fe: FnEmitter, dt: DecisionTree, subj: Expr, tg: Targets, id: number, inPlace: boolean): Stmt[] {
  const counts = leafCounts(dt.tree);
  const shared = new Set([...counts].filter(([, n]) => n > 1).map(([k]) => k));
  const label = (k: number) => `match_${id}_arm${k}`;
  const out: Stmt[] = [];

  // Bindings of shared arms: declared once, before the tree.
  const declared = new Set<string>();
  const eachLeaf = (d: Decision | null, f: (l: Extract<Decision, { d: "leaf" }>) => void): void => {
    if (!d) return;
    if (d.d === "leaf") { f(d); eachLeaf(d.else_, f); } else if (d.d === "test") { d.cases.forEach((c) => eachLeaf(c.then, f)); eachLeaf(d.default_, f); }
  };
  eachLeaf(dt.tree, (l) => {
    if (!shared.has(l.arm)) return;
    for (const b of l.binds) {
      const ref = fe.lv(b.local);
      if (declared.has(ref)) continue;
      declared.add(ref);
      out.push(declare(fe, ref, fe.ty(b.occ.type), { e: "zero", t: fe.ty(b.occ.type) }));
    }
  });

  const node = (d: Decision | null, env: Map<Occ, Expr>): Stmt[] => {
    if (!d || d.d === "fail") return [];
    if (d.d === "leaf") {
      const here = inPlace && !shared.has(d.arm);
      const ss: Stmt[] = here ? [] : d.binds.map((b) => {
        const v = access(fe, b.occ, env);
        const ref = fe.lv(b.local);
        return shared.has(d.arm) ? { s: "assign", to: named(ref, fe.ty(b.occ.type)), v } : declare(fe, ref, fe.ty(b.occ.type), v);
      });
      if (here) for (const b of d.binds) { const x = access(fe, b.occ, env); fe.readInPlace.set(b.local, knownIr(fe, printExpr(x, NO_CALLS), x)); setInPlace(fe, b.local, x); }
      const go: Stmt[] = shared.has(d.arm) ? [{ s: "goto", name: label(d.arm) }] : tg.body(d.arm);
      const g = d.guarded ? tg.guard(d.arm) : null;
      if (here) for (const b of d.binds) { fe.readInPlace.delete(b.local); setInPlace(fe, b.local, null); }
      if (!g) return [...ss, ...go];
      return [...ss, ...g.pre, { s: "if", cond: g.cond, then: go, else_: [] }, ...node(d.else_, env)];
    }
    // A tested sub-value is read once, into a temporary (the subject already is one).
    const t = fe.ty(d.occ.type);
    let v = access(fe, d.occ, env);
    const pre: Stmt[] = [];
    if (d.occ.parent) {
      const tmp = fe.newTmp();
      pre.push(declare(fe, tmp, t, v));
      v = named(tmp, t);
      env = new Map(env).set(d.occ, v);
    }
    const branch = (x: Decision | null) => node(x, env);
    if (t.k === "enum") {
      const tag = (c: (typeof d.cases)[number]) => (c.t === "ctor" ? t.info.variants[c.index].index : -1);
      // Every variant has a case (no default): the tag can hold no other value, so the
      // last case is the switch's default (and a one-variant enum needs no test). The
      // fall-out panic after the tree is then reached only by guards that fail.
      const all = !d.default_ && d.cases.length === t.info.variants.length;
      if (all && d.cases.length === 1) return [...pre, ...branch(d.cases[0].then)];
      if (d.cases.length === 1) return [...pre, { s: "if", cond: { e: "bin", op: "==", l: { e: "tag", of: v, type: t }, r: { e: "int", v: tag(d.cases[0]), t: { k: "int", name: "i64" } } }, then: branch(d.cases[0].then), else_: branch(d.default_) }];
      const listed = all ? d.cases.slice(0, -1) : d.cases;
      const cases = listed.map((c) => ({ v: tag(c), body: [...branch(c.then), { s: "break" } as Stmt] }));
      return [...pre, { s: "switch", on: { e: "tag", of: v, type: t }, cases, default_: all ? branch(d.cases[d.cases.length - 1].then) : branch(d.default_) }];
    }
    if (t.k === "optional" || t.k === "bool") {
      // Constructor 1 is `some` / `false`, 0 is `none` / `true`.
      const of = (i: number) => { const c = d.cases.find((x) => x.t === "ctor" && x.index === i); return c ? c.then : d.default_; };
      const yes = t.k === "optional" ? of(1) : of(0), no = t.k === "optional" ? of(0) : of(1);
      return [...pre, { s: "if", cond: t.k === "optional" ? { e: "has", of: v } : v, then: branch(yes), else_: branch(no) }];
    }
    // Integers, strings, floats: a chain of ifs, the default last.
    let chain = branch(d.default_);
    for (let i = d.cases.length - 1; i >= 0; i--) {
      const c = d.cases[i];
      const cond = c.t === "range" ? rangeTest(v, t, c.lo, c.hi) : c.t === "lit" ? litTest(v, t, c.value) : C("0");
      chain = [{ s: "if", cond, then: branch(c.then), else_: chain }];
    }
    return [...pre, ...chain];
  };

  out.push(...node(dt.tree, new Map([[dt.root, subj]])));
  // A fall-out that ends by jumping to the end needs the jump only over shared arms placed after the tree.
  const last = tg.fail[tg.fail.length - 1];
  out.push(...(shared.size === 0 && last?.s === "goto" && last.name === tg.end ? tg.fail.slice(0, -1) : tg.fail));
  for (const k of [...shared].sort((a, b) => a - b)) out.push({ s: "label", name: label(k) }, { s: "block", body: tg.body(k) });
  out.push({ s: "label", name: tg.end });
  return out;
}

/** A declaration of ref (through fe.decl: in an async body an assignment to the frame member). */
function declare(fe: FnEmitter, ref: string, t: Type, init: Expr): Stmt {
  fe.em.defineType(t);
  return declIr(fe, ref, t, init).st;
}

/** The expression reading occurrence o: from the nearest temporary on its path. */
function access(fe: FnEmitter, o: Occ, env: Map<Occ, Expr>): Expr {
  const have = env.get(o);
  if (have) return have;
  const p = o.parent!, s = o.step!;
  const of = access(fe, p, env);
  switch (s.s) {
    case "val": return { e: "val", of };
    case "elem": return { e: "elem", of, i: s.i };
    case "field": {
      const et = fe.ty(p.type) as Extract<Type, { k: "enum" }>;
      return { e: "payload", of, type: et, variant: et.info.variants[s.variant].index, i: s.i };
    }
  }
}

/** lo <= v <= hi, leaving out a bound at the type's own limit (the comparison would always hold). */
function rangeTest(v: Expr, t: Type, lo: bigint, hi: bigint): Expr {
  const lit = (x: bigint): Expr => ({ e: "lit", t, v: x });
  if (lo === hi) return { e: "bin", op: "==", l: v, r: lit(lo) };
  const r = t.k === "int" ? intRange(t.name) : null;
  const parts: Expr[] = [];
  if (!(r && lo <= r.min)) parts.push({ e: "bin", op: ">=", l: v, r: lit(lo) });
  if (!(r && hi >= r.max)) parts.push({ e: "bin", op: "<=", l: v, r: lit(hi) });
  return parts.length === 2 ? { e: "bin", op: "&&", l: parts[0], r: parts[1] } : parts.length ? parts[0] : { e: "bool", v: true };
}

function litTest(v: Expr, t: Type, value: string | number): Expr {
  if (typeof value === "string") return { e: "call", f: { c: "rt", name: "co_str_eq" }, args: [v, { e: "lit", t, v: value }] };
  return { e: "bin", op: "==", l: v, r: { e: "lit", t, v: value } };
}

const NO_CALLS: PrintCtx = { instance: () => { throw new Error("internal: a call of a function instance in a match tree"); } };

export function match(fe: FnEmitter, e: Extract<A.Expr, { kind: "Match" }>, t: Type, stmt = false): string {
  const dt = fe.typed.decisions.get(e);
  if (!dt) throw new Error("internal: a match without a decision tree");
  const st = fe.ty(fe.typed.matchSubjects.get(e)!);
  const subj = subjectIr(fe, e.subject, st);
  const value = !stmt && t.k !== "unit" && t.k !== "never";
  const res = value ? resultTmp(fe, t) : "";
  const id = ++fe.matches;
  const end = `match_end_${id}`;
  const ss = lowerTree(fe, dt, subj.x, {
    body: (k) => {
      const arm = e.arms[k];
      return [...fe.nest(() => {
        fe.at(arm.span);
        if (arm.body.kind === "Block") fe.arm(arm.body, value ? { v: res, t } : null);
        else if (value) storeValue(fe, arm.body, { v: res, t });
        else fe.exprStmt(arm.body);
      }), { s: "goto", name: end }];
    },
    guard: (k) => {
      const g = e.arms[k].guard;
      if (!g) return null;
      let cond: Expr = { e: "bool", v: true };
      const pre = fe.nest(() => { fe.at(e.arms[k].span); cond = guardIr(fe, g); });
      return { pre, cond };
    },
    fail: [{ s: "panic", at: { file: e.span.file, line: e.span.line, col: e.span.col }, msg: "no match arm matched" }],
    end,
  }, id, subjectFixed(fe, e.subject, subj.text, e.arms.flatMap((a) => [a.guard, a.body])));
  fe.ir.addAll(ss);
  return value ? res : t.k === "never" ? NEVER : "";
}

/** `if let`: the tree's one leaf runs the then branch; falling out of it, the else branch. */
export function ifLet(fe: FnEmitter, e: Extract<A.Expr, { kind: "IfLet" }>, into: { v: string; t: Type } | null, elseBody: () => void): void {
  const dt = fe.typed.decisions.get(e);
  if (!dt) throw new Error("internal: an if let without a decision tree");
  const ot = fe.typeOf(e.value);
  const o = subjectIr(fe, e.value, ot);
  const id = ++fe.matches;
  const end = `iflet_end_${id}`;
  const ss = lowerTree(fe, dt, o.x, {
    body: () => [...fe.nest(() => fe.arm(e.then, into)), { s: "goto", name: end }],
    guard: () => null,
    // Leaves an or-pattern reaches from several tests are placed after the tree, so falling out of it must jump past them.
    fail: [...(e.else_ ? [{ s: "block", body: fe.nest(() => elseBody()) } as Stmt] : []), { s: "goto", name: end }],
    end,
  }, id, subjectFixed(fe, e.value, o.text, [e.then]));
  fe.ir.addAll(ss);
}
