// Which members of an async frame its constructor must zero (emit/async.ts).
// A frame is allocated from its region's bump range, whose bytes are whatever
// an earlier request or frame left there, so a member the poll function may
// read before it writes it must start zeroed; one that every path writes
// first need not be (a root frame of std/http holds the 88-byte Request and
// two Responses, and zeroing them was most of its constructor).
//
// A forward "definitely assigned" pass over the poll function's IR, in the
// order it is written. Resume points need nothing of their own: the dispatch
// jumps to `resume k`, which follows its `suspend k` in the same statement
// list, and the frame keeps what was written before the suspension, so the
// state at a resume point is the state at its suspension. Joins are
// intersections; a branch that leaves (return, done, goto, break, continue,
// panic) does not constrain the join after it. A loop's body is walked once
// from the state before the loop, and the state after a loop is the state
// before it (its body may not run, and a break leaves it with at least that).
// A `goto` hands its state to its label (labels are forward targets; a label
// some later goto jumps back to starts from nothing assigned). Anything the
// pass does not understand is a read: a member whose address is taken, one
// written only in part (`F->x.f = ...`), one named in C text.

import type { Expr, Stmt } from "../lower/ir.js";

type State = Set<string> | null; // null: not reachable (every member counts as assigned)

const meet = (a: State, b: State): State => (a === null ? b : b === null ? a : new Set([...a].filter((x) => b.has(x))));
const copy = (a: State): State => (a === null ? null : new Set(a));

/** The members (of `members`, by frame member name) that `body` may read before writing them. */
export function membersToZero(body: Stmt[], members: readonly string[]): Set<string> {
  const known = new Set(members);
  const need = new Set<string>();
  const backward = backwardLabels(body);
  const atLabel = new Map<string, State>();

  const memberOf = (x: Expr): string | null => {
    if (x.e === "var" && x.frame) return known.has(x.v.cname) ? x.v.cname : null;
    if (x.e === "local" && x.l.name.startsWith("F->")) return known.has(x.l.name.slice(3)) ? x.l.name.slice(3) : null;
    if (x.e === "arrow" && x.p.e === "local" && x.p.l.name === "F") return known.has(x.field) ? x.field : null;
    return null;
  };

  const read = (x: Expr, s: State): void => {
    if (s === null) return;
    const m = memberOf(x);
    if (m !== null) { if (!s.has(m)) need.add(m); return; }
    if (x.e === "c") {
      for (const r of x.text.matchAll(/F->([A-Za-z_][A-Za-z0-9_]*)/g)) if (known.has(r[1]) && !s.has(r[1])) need.add(r[1]);
      return;
    }
    if (x.e === "var" || x.e === "local") return;
    if (x.e === "sizeofDeref" || x.e === "sizeof" || x.e === "offsetof") return;   // not evaluated
    for (const v of Object.values(x)) {
      if (Array.isArray(v)) {
        for (const y of v) {
          if (isExpr(y)) read(y, s);
          else if (y && typeof y === "object" && isExpr((y as { v?: unknown }).v)) read((y as { v: Expr }).v, s);
        }
      } else if (isExpr(v)) read(v, s);
    }
  };

  const write = (to: Expr, s: State): State => {
    const m = memberOf(to);
    if (m === null) { read(to, s); return s; }
    if (s !== null) s.add(m);
    return s;
  };

  const list = (ss: Stmt[], s: State): State => {
    for (const st of ss) s = stmt(st, s);
    return s;
  };

  const stmt = (st: Stmt, s: State): State => {
    switch (st.s) {
      case "decl":
        if (st.init) read(st.init, s);
        return st.init ? write({ e: "local", l: st.l }, s) : s;
      case "assign": read(st.v, s); return write(st.to, s);
      case "expr": {
        // a string builder's init writes the whole builder
        const x = st.x;
        if (x.e === "call" && x.f.c === "rt" && x.f.name === "co_sb_init" && x.args.length === 1 && x.args[0].e === "addr") return write(x.args[0].of, s);
        read(x, s);
        return s;
      }
      case "discard": case "unused": read(st.x, s); return s;
      case "if": {
        read(st.cond, s);
        const a = list(st.then, copy(s)), b = list(st.else_, copy(s));
        return meet(a, b);
      }
      case "while": read(st.cond, s); list(st.body, copy(s)); return s;
      case "for": {
        read(st.from, s);
        const inner = write({ e: "local", l: st.l }, copy(s));
        read(st.cond, inner);
        list(st.body, copy(inner));
        read(st.next, inner);
        return write({ e: "local", l: st.l }, s);
      }
      case "cfor": {
        const after = stmt(st.init, s);
        if (st.cond) read(st.cond, after);
        list(st.body, copy(after));
        read(st.step, after);
        return after;
      }
      case "loop": list(st.body, copy(s)); return s;
      case "switch": {
        read(st.on, s);
        for (const c of st.cases) list(c.body, copy(s));
        list(st.default_, copy(s));
        return s;
      }
      case "block": case "row": return list(st.body, s);
      case "return": case "done": if (st.v) read(st.v, s); return null;
      case "panic": return null;
      case "break": case "continue": return null;
      case "goto": atLabel.set(st.name, atLabel.has(st.name) ? meet(atLabel.get(st.name)!, copy(s)) : copy(s)); return null;
      case "label": {
        if (backward.has(st.name)) return new Set();
        return atLabel.has(st.name) ? meet(s, atLabel.get(st.name)!) : s;
      }
      case "suspend": case "resume": case "dispatch": case "empty": return s;
    }
  };

  list(body, new Set());
  return need;
}

function isExpr(v: unknown): v is Expr {
  return !!v && typeof v === "object" && typeof (v as { e?: unknown }).e === "string";
}

/** Labels that a goto written after them jumps to. */
function backwardLabels(body: Stmt[]): Set<string> {
  const seen = new Set<string>(), back = new Set<string>();
  const walk = (ss: Stmt[]): void => {
    for (const st of ss) {
      switch (st.s) {
        case "label": seen.add(st.name); break;
        case "goto": if (seen.has(st.name)) back.add(st.name); break;
        case "if": walk(st.then); walk(st.else_); break;
        case "while": case "for": case "loop": case "block": case "row": walk(st.body); break;
        case "cfor": walk([st.init]); walk(st.body); break;
        case "switch": for (const c of st.cases) walk(c.body); walk(st.default_); break;
        default: break;
      }
    }
  };
  walk(body);
  return back;
}
