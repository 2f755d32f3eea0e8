// The pattern forms layered on checkPattern (patterns.ts): or-patterns
// (`A | B`, whose alternatives share one set of bindings), `Some(p)` on
// optionals, the binding arm that follows `none =>` (it binds the present
// value), and the pattern of `if let`.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { T, typeEq, showType, containsError, type Type, type ModuleInfo, type LocalVar } from "./types.js";
import type { NPat } from "./decision.js";
import { suggest } from "./suggest.js";
import { notABinding } from "./pattern-names.js";
import { Scope, report, newLocal, bindingKind, type CheckContext } from "./context.js";

export type CheckPat = (cx: CheckContext, p: A.Pattern, t: Type, scope: Scope, m: ModuleInfo) => NPat | null;

/**
 * `A | B`: each alternative is checked in a scope of its own, then their
 * bindings (same names, same types) become one set of locals in `scope`; every
 * alternative's binding nodes point at those locals, so the emitter assigns the
 * same C variables whichever alternative matched.
 */
export function checkOr(cx: CheckContext, p: Extract<A.Pattern, { kind: "POr" }>, t: Type, scope: Scope, m: ModuleInfo, check: CheckPat): NPat | null {
  const scopes: Scope[] = [];
  const alts: NPat[] = [];
  let bad = false;
  for (const a of p.alts) {
    const s = new Scope(scope);
    const np = check(cx, a, t, s, m);
    scopes.push(s);
    if (np) alts.push(np); else bad = true;
  }
  // Every name must be bound by every alternative, with one type.
  const names = new Map<string, LocalVar>();
  for (const s of scopes) for (const [n, v] of s.vars) if (!names.has(n)) names.set(n, v);
  for (const [n, v] of names) {
    for (let i = 0; i < scopes.length; i++) {
      const w = scopes[i].vars.get(n);
      if (!w) {
        if (!bad) report(cx, M.orBindingMissing(n, /^[A-Z]/.test(n), variantSuggestion(t, n)), p.alts[i].span, { message: `\`${n}\` is bound here`, span: v.span });
        bad = true;
      } else if (w !== v && !typeEq(v.type, w.type) && !containsError(v.type) && !containsError(w.type)) {
        if (!bad) report(cx, M.orBindingType(n, showType(v.type), showType(w.type)), w.span, { message: `\`${n}\` is \`${showType(v.type)}\` here`, span: v.span });
        bad = true;
      }
    }
  }
  for (const [n, v] of names) {
    const prev = scope.vars.get(n);
    if (prev) { report(cx, M.alreadyInScope(n, bindingKind(prev)), v.span, { message: "first defined here", span: prev.span }); continue; }
    scope.vars.set(n, bad ? { ...v, type: T.error } : v);
  }
  for (const a of p.alts) {
    walkBinds(a, (b) => {
      const v = scope.vars.get(b.name);
      if (cx.out.patLocals.has(b) && v) cx.out.patLocals.set(b, v);
    });
  }
  // The alternatives' normal forms bind the shared locals too.
  return bad ? null : { k: "or", alts: alts.map((a) => rebind(a, scope)) };
}

function rebind(p: NPat, scope: Scope): NPat {
  switch (p.k) {
    case "wild": return p.bind ? { k: "wild", bind: scope.vars.get(p.bind.name) ?? p.bind } : p;
    case "ctor": return { ...p, args: p.args.map((x) => rebind(x, scope)) };
    case "or": return { k: "or", alts: p.alts.map((x) => rebind(x, scope)) };
    default: return p;
  }
}

/** A variant of t's enum spelled like `name` (a misspelt unit variant binds a name instead). */
function variantSuggestion(t: Type, name: string): string | undefined {
  const inner = t.k === "optional" ? t.inner : t;
  return inner.k === "enum" ? suggest(name, inner.info.variants.map((v) => v.name)) : undefined;
}

function walkBinds(p: A.Pattern, f: (b: Extract<A.Pattern, { kind: "PBind" }>) => void): void {
  switch (p.kind) {
    case "PBind": f(p); return;
    case "PTuple": p.elems.forEach((x) => walkBinds(x, f)); return;
    case "PVariant": p.args.forEach((x) => walkBinds(x, f)); p.named?.forEach((x) => walkBinds(x.pat, f)); return;
    case "POr": p.alts.forEach((x) => walkBinds(x, f)); return;
    default: return;
  }
}

/** Does the enum (or optional of one) `t` have a variant named `name`? */
function hasVariant(t: Type, name: string): boolean {
  const inner = t.k === "optional" ? t.inner : t;
  return inner.k === "enum" && inner.info.variants.some((v) => v.name === name);
}

/**
 * `Some(p)`: on an optional it matches the present value against p, unless the
 * inner enum has a variant of its own named `Some` (then that variant wins, as
 * variant patterns on optionals always have). Undefined: not this form.
 */
export function checkSome(cx: CheckContext, p: Extract<A.Pattern, { kind: "PVariant" }>, t: Type, scope: Scope, m: ModuleInfo, check: CheckPat): NPat | null | undefined {
  if (p.path.length !== 1 || p.path[0] !== "Some" || hasVariant(t, "Some")) return undefined;
  if (t.k !== "optional") {
    if (t.k === "enum") return undefined; // the enum's unknown-variant message names its variants
    report(cx, M.someOnNonOptional(showType(t)), p.span);
    bindFailed(cx, p, scope);
    return null;
  }
  if (p.named || p.args.length !== 1) {
    report(cx, M.patternArity("Some", 1, p.named ? p.named.length : p.args.length), p.span);
    bindFailed(cx, p, scope);
    return null;
  }
  cx.out.patSome.add(p);
  const inner = check(cx, p.args[0], t.inner, scope, m);
  return inner ? { k: "ctor", name: "some", args: [inner] } : null;
}

function bindFailed(cx: CheckContext, p: A.Pattern, scope: Scope): void {
  walkBinds(p, (b) => {
    if (scope.vars.has(b.name)) return;
    const v = newLocal(cx, b.name, T.error, false, "let", b.span);
    scope.vars.set(b.name, v);
    cx.out.patLocals.set(b, v);
  });
}

/** Does an arm with this pattern (unguarded) match `none`? */
export function coversNone(p: A.Pattern): boolean {
  return p.kind === "PNone" || p.kind === "PWild" || (p.kind === "POr" && p.alts.some(coversNone));
}

/**
 * A binding arm after `none =>` (`none => ..., v => use(v)`): v is the
 * present value, of the optional's inner type. Undefined: not this form.
 */
export function narrowedBind(cx: CheckContext, p: A.Pattern, t: Type, scope: Scope, check: CheckPat, m: ModuleInfo): NPat | null | undefined {
  if (t.k !== "optional" || p.kind !== "PBind" || hasVariant(t, p.name)) return undefined;
  cx.out.patSome.add(p);
  const inner = check(cx, p, t.inner, scope, m);
  const v = cx.out.patLocals.get(p);
  if (v) cx.narrowedLocals.add(v);
  return inner ? { k: "ctor", name: "some", args: [inner] } : null;
}

/** Patterns that match any value of their type (given matching shape): `if let` of one on an optional unwraps it. */
function irrefutable(p: A.Pattern, t: Type): boolean {
  switch (p.kind) {
    case "PWild": return true;
    case "PBind": return !hasVariant(t, p.name);
    case "PTuple": return p.elems.every((x) => irrefutable(x, T.error));
    default: return false;
  }
}

/**
 * `if let PATTERN = value`. On an optional, a pattern that cannot fail (`x`,
 * `(a, b)`) matches the present value (`if let x = opt`, as before); any other
 * pattern is matched against the value itself, as in a `match` arm (`Some(x)`,
 * `Ok(v)`, `Err(e)`, `Circle(r)`, `1 | 2`). An irrefutable pattern on a value
 * that is not optional is E0218: the `if` could not fail.
 */
export function checkIfLetPattern(cx: CheckContext, p: A.Pattern, vt: Type, valueSpan: A.Span, scope: Scope, m: ModuleInfo, check: CheckPat): NPat | null {
  if (vt.k === "optional" && irrefutable(p, vt)) {
    cx.out.patSome.add(p);
    const inner = check(cx, p, vt.inner, scope, m);
    return inner && { k: "ctor", name: "some", args: [inner] };
  }
  if (vt.k !== "optional" && vt.k !== "error" && (p.kind === "PWild" || (p.kind === "PBind" && !hasVariant(vt, p.name) && !notABinding(p, vt, scope, m)))) {
    report(cx, M.notOptional("if let", showType(vt)), valueSpan);
    check(cx, p, T.error, scope, m);
    return null;
  }
  return check(cx, p, vt, scope, m);
}
