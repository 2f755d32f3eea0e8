// Generic types named with their arguments before a `.`: `Stack<int>.new()`,
// `Tree<float>.Empty`, `store.Cache<string>.new()`. The type arguments fix the
// impl's type parameters, which are otherwise inferred from the arguments and
// the expected type (`let s: Stack<int> = Stack.new()`).

import type * as A from "../syntax/ast.js";
import { T, showType, containsError, type Type, type ModuleInfo, type FnInfo, type TypeParamInfo } from "./types.js";
import { resolveType, showTypeExpr } from "./declarations.js";
import type { FnCtx, CheckContext } from "./context.js";

/** The type a target like `Stack<int>` names; undefined when the target has no type arguments. */
export function typedTarget(cx: CheckContext, target: A.Expr, m: ModuleInfo, ctx: FnCtx): Type | undefined {
  // `Self.S` (a variant) in an impl: the impl's target type, its arguments included.
  if (target.kind === "Ident" && target.name === "Self" && !target.typeArgs) return ctx.env.get("Self")?.alias;
  if ((target.kind !== "Ident" && target.kind !== "Field") || !target.typeArgs) return undefined;
  const path = target.kind === "Ident" ? [target.name] : target.target.kind === "Ident" ? [target.target.name, target.name] : [];
  if (!path.length) return T.error; // the parser only attaches type arguments to names
  return resolveType(cx, { kind: "TName", span: target.span, path, args: target.typeArgs }, m, ctx.env);
}

/** The fix of E0131 for a call of `f`: where the missing type argument `v` is written. */
export function inferFix(f: FnInfo, v: TypeParamInfo, name: string, map: Map<TypeParamInfo, Type> = new Map()): string {
  const own = f.typeParams.slice(f.typeParams.length - f.decl.typeParams.length);
  if (f.owner && !own.includes(v)) {
    const ex = `${f.owner.name}<${knownTypeArgs(f.owner.typeParams, map, "int").join(", ")}>`;
    return `write the type's arguments before the \`.\`, e.g. \`${ex}.${f.name}(...)\`, or annotate the variable: \`let x: ${ex} = ${name}(...)\``;
  }
  return `write the type argument${own.length === 1 ? "" : "s"}, e.g. \`${name}<${knownTypeArgs(own, map, "int").join(", ")}>(...)\`, or annotate the variable that receives the result`;
}

/** The fix of E0131 where the type's arguments are missing (a struct literal, a variant): `form` shows them written.
 * `args`: each type argument as known from the arguments, else the type parameter's own name (for the user to fill in). */
export function typeFix(name: string, args: string[], form: (args: string) => string): string {
  const list = `${name}<${args.join(", ")}>`;
  return `write the type arguments, e.g. \`${form(list)}\`, or annotate the variable: \`let x: ${list} = ...\``;
}

/** The type arguments inferred so far; an unknown one as `unknown`, else as `int` where `int` meets its bounds
 * (every built-in trait), so the fix compiles as written, else by its name (a bound on a program's own trait). */
export function knownTypeArgs(vars: TypeParamInfo[], map: Map<TypeParamInfo, Type>, unknown?: string): string[] {
  return vars.map((v) => {
    const t = map.get(v);
    if (t && !containsError(t)) return showType(t);
    return unknown ?? (v.bounds.every((b) => b.builtin !== null) ? "int" : v.name);
  });
}

/** The fix of E0119 for type arguments written on a call of `f`. */
export function typeArgCountFix(f: FnInfo, given: A.TypeExpr[], name: string): string | undefined {
  const own = f.typeParams.slice(f.typeParams.length - f.decl.typeParams.length);
  if (f.owner && own.length === 0 && f.owner.typeParams.length === given.length) {
    return `\`${f.name}\` has no type parameters of its own; the type's go before the \`.\`: \`${f.owner.name}<${given.map(showTypeExpr).join(", ")}>.${f.name}(...)\``;
  }
  if (f.self) name = `x.${f.name}`; // a method: called on a value
  if (own.length === 0) return `remove the type arguments: \`${name}(...)\``;
  return `write ${own.length} type argument${own.length === 1 ? "" : "s"}: \`${name}<${own.map((p) => p.name).join(", ")}>(...)\``;
}

export const typeArgsFixForType = (name: string, params: string[]): string =>
  params.length ? `write \`${name}<${params.join(", ")}>\` with ${params.length} type argument${params.length === 1 ? "" : "s"}` : `remove the type arguments: \`${name}\``;

