// Closures capture variables by value, so a write to a captured variable
// inside a closure would change only the closure's copy and be lost: E0240.
// Writes are assignments (`x = e`, `x += e`, `p.f = e`, `t.0 = e`) and calls
// of `mut self` methods, in any nested position of the closure body. Nested
// closures are checked when they are checked themselves.

import type * as A from "../syntax/ast.js";
import { at, type Diagnostic } from "../diagnostics.js";
import { M } from "../messages.js";
import { walkNested } from "../syntax/nested.js";
import type { CallTarget, LocalVar, TypedProgram } from "./types.js";

type Out = Pick<TypedProgram, "refs" | "calls">;

/** The variable a write through place e changes, when it is a value (not behind a collection handle). */
export function writtenLocal(e: A.Expr, out: Out): LocalVar | null {
  switch (e.kind) {
    case "Ident": {
      const r = out.refs.get(e);
      return r?.kind === "local" ? r.v : null;
    }
    case "Field": return out.refs.has(e) ? null : writtenLocal(e.target, out); // module.global is not a local
    case "TupleIndex": return writtenLocal(e.target, out);
    default: return null; // v[i] = x writes into a collection, which is shared
  }
}

/** The receiver of a call of a `mut self` method, which writes it: of a method, or of a trait's method through a
 *  bound (resolved per instance by the mono pass to an impl's method, which takes `mut self` exactly when the
 *  trait's does: trait-impls.ts); null for any other call. */
export function mutSelfReceiver(t: CallTarget | undefined): A.Expr | null {
  if (t?.kind === "method") return t.f.self?.kind === "mut" ? t.recv : null;
  if (t?.kind !== "traitMethod" || !t.recv) return null;
  const d = t.trait.methods.get(t.name) ?? t.trait.base?.methods.get(t.name);
  return d?.selfParam?.mut ? t.recv : null;
}

/** Reports writes to variables declared before the closure (locals with ids below `first`). */
export function findCapturedWrites(body: A.Block | A.Expr, first: number, out: Out, diags: Diagnostic[]): void {
  const captured = (e: A.Expr): LocalVar | null => {
    const v = writtenLocal(e, out);
    return v && v.id < first ? v : null;
  };
  walkNested(body, {
    stmt: (s) => {
      if (s.kind !== "Assign") return;
      const v = captured(s.target);
      if (v) diags.push(at(M.assignCaptured(v.name), s.target.span));
    },
    expr: (e) => {
      if (e.kind !== "Call") return;
      const t = out.calls.get(e), recv = mutSelfReceiver(t);
      const v = recv && captured(recv);
      if (v) diags.push(at(M.mutCallCaptured(v.name, t?.kind === "method" ? t.f.name : t?.kind === "traitMethod" ? t.name : ""), recv.span));
    },
  });
}
