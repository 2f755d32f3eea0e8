// Definite assignment for variables declared without a value whose type has
// no zero value (a function, or a struct, tuple or enum that holds one
// directly). `var x: int` starts as 0, but there is no sensible "zero
// function": calling one would jump to address 0. So `var f: fn(int): int`
// must be assigned, as a whole, on every path before it is read; a read (or
// a capture by a closure, or an assignment to one of its fields) before that
// is E0241. The pass runs after type checking, on the resolved names.

import type * as A from "../syntax/ast.js";
import { at, type Diagnostic } from "../diagnostics.js";
import { M } from "../messages.js";
import { fieldTypes, showType, variantFields, type LocalVar, type Type, type TypedProgram } from "./types.js";

/** Does a value of type t need an explicit value (it has no zero value)? */
export function needsValue(t: Type): boolean { return zeroProblem(t) !== null; }

/**
 * Why type t has no zero value, or null when it has one: it holds a function
 * (or, in a generic body, a `T` that may be one), or its zero value would be
 * infinite — an enum's zero is its first variant of zero values, so a first
 * variant that holds the enum itself (`enum List { Cons(int, List), Nil }`)
 * has none. `path`: the structs and enums whose zero value is being built.
 */
export function zeroProblem(t: Type, path = new Set<object>()): string | null {
  switch (t.k) {
    case "fn": return "it holds a function";
    // A generic body is checked once for every instantiation, and T may be a function type.
    case "param": return `\`${t.p.name}\` is a type parameter, which may stand for a function type`;
    case "tuple": for (const x of t.elems) { const p = zeroProblem(x, path); if (p) return p; } return null;
    case "struct": {
      if (path.has(t.info)) return null; // only through an enum (below), which reports it
      path.add(t.info);
      let p: string | null = null;
      for (const f of fieldTypes(t)) if ((p = zeroProblem(f.type, path))) break;
      path.delete(t.info);
      return p;
    }
    case "enum": {
      const v = t.info.variants[0];
      if (!v) return null;
      if (path.has(t.info)) return `the first variant of \`${t.info.name}\` holds a \`${t.info.name}\`, so its zero value would be infinite`;
      path.add(t.info);
      let p: string | null = null;
      for (const f of variantFields(t, v)) if ((p = zeroProblem(f.type, path))) break;
      path.delete(t.info);
      return p;
    }
    default: return null; // optionals start as none; collections empty
  }
}

type Out = Pick<TypedProgram, "refs" | "patLocals" | "letTypes" | "exprTypes" | "braceStructs">;

/** The set of tracked variables that may still be unassigned; null once the code cannot be reached. */
type State = ReadonlySet<LocalVar> | null;

function join(a: State, b: State): State {
  if (a === null || b?.size === 0) return a ?? b;
  if (b === null || a.size === 0) return b ?? a;
  return new Set([...a, ...b]);
}

/** Checks one function, test or initialiser body; reports into diags. */
export function checkDefiniteAssignment(body: A.Block | A.Expr, out: Out, diags: Diagnostic[]): void {
  const reported = new Set<LocalVar>();

  const read = (e: A.Expr, st: State): void => {
    const r = out.refs.get(e);
    if (r?.kind !== "local" || !st?.has(r.v) || reported.has(r.v)) return;
    reported.add(r.v); // one error per variable
    diags.push(at(M.readBeforeAssign(r.v.name, showType(r.v.type), zeroProblem(r.v.type) ?? "it holds a function"), e.span, { message: `\`${r.v.name}\` is declared here without a value`, span: r.v.span }));
  };

  const block = (b: A.Block, st: State): State => {
    for (const s of b.stmts) st = stmt(s, st);
    return st;
  };

  const body_ = (b: A.Block | A.Expr, st: State): State => (b.kind === "Block" ? block(b, st) : expr(b, st));

  const stmt = (s: A.Stmt, st: State): State => {
    switch (s.kind) {
      case "Let": {
        if (s.value) return expr(s.value, st);
        const v = s.pattern.kind === "PBind" ? out.patLocals.get(s.pattern) : undefined;
        const t = out.letTypes.get(s);
        if (!v || !t || !needsValue(t) || st === null) return st;
        return new Set([...st, v]);
      }
      case "ConstStmt": return expr(s.value, st);
      case "Assign": {
        const r = s.target.kind === "Ident" ? out.refs.get(s.target) : undefined;
        if (s.op === "=" && r?.kind === "local") {
          st = expr(s.value, st);
          if (st === null || !st.has(r.v)) return st;
          const next = new Set(st);
          next.delete(r.v);
          return next;
        }
        // x op= e reads x; p.f = e reads p (its other fields have no value yet)
        return expr(s.value, expr(s.target, st));
      }
      case "ExprStmt": return expr(s.expr, st);
      case "While": {
        const c = expr(s.cond, st);
        block(s.body, c);
        return c; // the body may run zero times
      }
      case "For": {
        const c = expr(s.iter, st);
        block(s.body, c);
        return c;
      }
      case "Return": return s.value ? (expr(s.value, st), null) : null;
      case "Break": case "Continue": return null;
      case "BlockStmt": return block(s.block, st);
    }
  };

  const all = (es: A.Expr[], st: State): State => {
    for (const x of es) st = expr(x, st);
    return st;
  };

  const expr = (e: A.Expr, st: State): State => {
    const after = exprInner(e, st);
    return out.exprTypes.get(e)?.k === "never" ? null : after;
  };

  const exprInner = (e: A.Expr, st: State): State => {
    switch (e.kind) {
      case "Ident": read(e, st); return st;
      case "IntLit": case "FloatLit": case "BoolLit": case "NoneLit": return st;
      case "StrLit": return all(e.parts.flatMap((p) => (p.kind === "interp" ? [p.expr] : [])), st);
      case "Binary": {
        const l = expr(e.left, st);
        if (e.op === "and" || e.op === "or" || e.op === "??") return join(l, expr(e.right, l));
        return expr(e.right, l);
      }
      case "Unary": return expr(e.operand, st);
      case "Call": return all(e.args, expr(e.callee, st));
      case "Field": case "TupleIndex": return expr(e.target, st);
      case "Index": return expr(e.index, expr(e.target, st));
      case "Unwrap": case "Try": case "Cast": case "Await": return expr(e.operand, st);
      case "Spawn": return expr(e.call, st);
      case "StructLit": return all(e.fields.map((f) => f.value), st);
      case "TupleLit": case "VecLit": return all(e.elems, st);
      case "MapLit": return out.braceStructs.has(e) ? all(e.entries.map((x) => x.value), st) : all(e.entries.flatMap((x) => [x.key, x.value]), st);
      case "Range": return all([e.lo, e.hi], st);
      case "If": {
        const c = expr(e.cond, st);
        return join(block(e.then, c), e.else_ ? body_(e.else_, c) : c);
      }
      case "IfLet": {
        const c = expr(e.value, st);
        return join(block(e.then, c), e.else_ ? body_(e.else_, c) : c);
      }
      case "Match": {
        const c = expr(e.subject, st);
        let res: State = null;
        for (const a of e.arms) res = join(res, body_(a.body, a.guard ? expr(a.guard, c) : c));
        return e.arms.length ? res : c;
      }
      case "BlockExpr": case "RegionExpr": return block(e.block, st);
      case "Closure":
        // The closure copies what it reads when it is created: reads count now.
        // Assignments inside it change only its copy (E0240), so they count for nothing here.
        body_(e.body, st);
        return st;
    }
  };

  body_(body, new Set());
}
