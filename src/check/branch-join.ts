// Branches that fix each other's open type parameters: `if c { Err("x") } else { Ok(n) }`
// or `match k { A => none, B => Some(1) }` with no expected type. Each branch's value
// alone leaves a type parameter open (E0131 / E0219); together they decide the type.
// The branches are checked first as usual; when every error they reported is such an
// open value at a branch's tail, those errors are withdrawn, the joined type is built
// from the complete branches (or, for `Result`, from `Ok(..)`'s and `Err(..)`'s
// arguments), and the open tails are checked again against it.

import type * as A from "../syntax/ast.js";
import { T, containsError, type Type, type ModuleInfo } from "./types.js";
import { type FnCtx, type Scope, type CheckContext } from "./context.js";
import { checkExpr } from "./expressions.js";

/** One branch: the expression that gives its value, the scope it was checked in, and its type. */
export interface Branch { tail: A.Expr | null; scope: Scope; type: Type }

const OPEN_CODES = new Set(["E0131", "E0219"]);

/** The value expression of a block used as a value (its last expression statement), or null. */
export function blockTail(b: A.Block | A.Expr): A.Expr | null {
  if (b.kind !== "Block") return b;
  const last = b.stmts[b.stmts.length - 1];
  return last && last.kind === "ExprStmt" ? last.expr : null;
}

function openForm(e: A.Expr): boolean {
  return e.kind === "Call" || e.kind === "NoneLit" || e.kind === "Ident" || e.kind === "Field" ||
    (e.kind === "VecLit" && e.elems.length === 0) || (e.kind === "MapLit" && e.entries.length === 0);
}

/**
 * Joins branches checked with nothing expected, or with a shape that has holes (diagnostics since `mark` are theirs). Returns the joined type with
 * the open tails re-checked against it (their types updated in `branches`), or null when the branches cannot
 * decide it together; then nothing changes.
 */
export function joinOpenBranches(cx: CheckContext, ctx: FnCtx, m: ModuleInfo, branches: Branch[], mark: number): Type | null {
  // Open: an error (nothing expected), or a type with holes (`none` checked against a closure's shape `T?`).
  const open = branches.filter((b) => containsError(b.type));
  if (open.length === 0) return null;
  for (const b of open) if (!b.tail || !openForm(b.tail)) return null;
  const errors = cx.diags.slice(mark).filter((d) => d.severity === "error");
  if (errors.length > open.length) return null;
  for (const d of errors) {
    if (!OPEN_CODES.has(d.code) || !open.some((b) => b.tail!.span.start === d.span.start && b.tail!.span.end === d.span.end && b.tail!.span.file === d.span.file)) return null;
  }
  const complete = completeType(branches);
  // `if c { none } else { 3 }`: a `none` branch makes the value optional.
  const optional = complete && complete.k !== "optional" && open.some((b) => b.tail!.kind === "NoneLit") ? T.optional(complete) : complete;
  const target = optional ?? resultFromParts(cx, open);
  if (!target) return null;
  const kept = cx.diags.slice(mark).filter((d) => d.severity !== "error");
  cx.diags.length = mark;
  cx.diags.push(...kept);
  for (const b of open) b.type = checkExpr(cx, b.tail!, b.scope, ctx, m, target);
  return target;
}

function completeType(branches: Branch[]): Type | null {
  for (const b of branches) if (!containsError(b.type) && b.type.k !== "never") return b.type;
  return null;
}

/** `Ok(a)` in one branch and `Err(b)` in another: `Result<typeof a, typeof b>`. */
function resultFromParts(cx: CheckContext, open: Branch[]): Type | null {
  let ok: Type | undefined;
  let err: Type | undefined;
  for (const b of open) {
    const e = b.tail!;
    if (e.kind !== "Call" || e.callee.kind !== "Ident" || e.args.length !== 1) continue;
    if (e.callee.name !== "Ok" && e.callee.name !== "Err") continue;
    const t = cx.out.exprTypes.get(e.args[0]);
    if (!t || t.k === "error" || t.k === "never") return null;
    if (e.callee.name === "Ok") ok ??= t;
    else err ??= t;
  }
  return ok && err ? { k: "enum", info: cx.resultEnum, args: [ok, err] } : null;
}

/** The type a later branch is checked against when an earlier branch decided `t`: a `none` there makes it `t?`. */
export function widenForNone(tail: A.Expr | null, t: Type | undefined): Type | undefined {
  return t && tail?.kind === "NoneLit" && t.k !== "optional" && t.k !== "error" ? T.optional(t) : t;
}
