// Bindings of a `match` arm or an `if let` read where they are used.
//
// A binding names a sub-value of the subject (a payload field, through a box
// or not; a tuple element; an optional's value). Copying it into a local at
// the top of the arm is what the language means, but the copy is redundant
// when the place it comes from holds the same value through the whole arm:
// the binding can then be the place itself, read at each use. This matters
// beyond the saved copy: gcc's inliner counts an aggregate copy into a local
// and the by-value argument made from it, and a recursive walk over a boxed
// tree (binary-trees' itemCheck) stays just over its size limit with the
// copies and is inlined into itself without them (docs/compiler.md, "Match").
//
// The place holds the same value when the subject's C variable does, since
// every step from it to the binding's sub-value reads either that variable or
// a box, and a box is never written after its variant is built (a payload has
// no assignable path; a new value gets a new box). The subject's variable is
// a temporary the match fixed (its own, or the value of the subject
// expression, which nothing assigns again), or a local the arms and guards do
// not write. Bindings are immutable, so only the subject needs the check.
// A closure capturing a binding copies it when the closure is made, which
// reads the same value. Not done:
// - in async bodies, where locals live in the frame and an await may come
//   between the test and a use (kept simple: every binding is a frame member);
// - for an arm reached by several leaves (an or-pattern, rows split by an
//   earlier column), whose bindings come from a different place per leaf.

import type * as A from "../syntax/ast.js";
import type { LocalVar } from "../check/types.js";
import { mutSelfReceiver, writtenLocal } from "../check/captures.js";
import { walkNested } from "../syntax/nested.js";
import type { FnEmitter } from "./body.js";

/** Whether the subject's C variable `subj` (the subject expression `subject`, fixed by materializeAlways) keeps
 *  its value while `parts` (the arms' guards and bodies) run, so bindings may read through it at their uses. */
export function subjectFixed(fe: FnEmitter, subject: A.Expr, subj: string, parts: (A.Block | A.Expr | null)[]): boolean {
  if (fe.asyncMode) return false;
  if (/^t\d+$/.test(subj)) return true;
  const r = subject.kind === "Ident" ? fe.typed.refs.get(subject) : undefined;
  if (r?.kind !== "local" || fe.localRef(r.v) !== subj) return false;
  return !r.v.mutable || !parts.some((p) => p !== null && writes(fe, p, r.v));
}

/** Whether body writes local v: an assignment to a path rooted at it, or a call of a `mut self` method on one. */
function writes(fe: FnEmitter, body: A.Block | A.Expr, v: LocalVar): boolean {
  let found = false;
  walkNested(body, {
    stmt: (s) => { if (s.kind === "Assign" && writtenLocal(s.target, fe.typed) === v) found = true; },
    expr: (e) => {
      if (e.kind !== "Call") return;
      const recv = mutSelfReceiver(fe.typed.calls.get(e));
      if (recv && writtenLocal(recv, fe.typed) === v) found = true;
    },
  });
  return found;
}
