// Names in patterns that a programmer meant as a value, not as a new binding.
// A plain name in a pattern binds whatever value reaches it, so `True`,
// `None`, a misspelt variant (`Gren`) or a constant (`LIMIT`) would silently
// become a catch-all arm. The rule (docs/language.md, "Enums and match"): a
// pattern name starting with an upper-case letter is a variant, never a
// binding; other languages' spellings of `none`/`true`/`false` are E0100; a
// name that is a constant is E0246 (the comparison belongs in a guard).

import type * as A from "../syntax/ast.js";
import type { Message } from "../diagnostics.js";
import { M } from "../messages.js";
import { showType, type ModuleInfo, type Type } from "./types.js";
import { suggest } from "./suggest.js";
import type { Scope } from "./context.js";

const FOREIGN: Record<string, [colang: string, why: string]> = {
  None: ["none", "Colang's absent value is `none`"],
  Nil: ["none", "Colang's absent value is `none`"],
  null: ["none", "Colang's absent value is `none`"],
  nil: ["none", "Colang's absent value is `none`"],
  undefined: ["none", "Colang's absent value is `none`"],
  NULL: ["none", "Colang's absent value is `none`"],
  nullptr: ["none", "Colang's absent value is `none`"],
  True: ["true", "Colang's booleans are lower case"],
  False: ["false", "Colang's booleans are lower case"],
};

const isUpper = (name: string): boolean => /^[A-Z]/.test(name);

/** The lower-case binding a fix proposes for an upper-case name (`Gren` → `gren`, `MAX_N` → `max_n`). */
export function lowerName(name: string): string {
  return /^[A-Z0-9_]+$/.test(name) ? name.toLowerCase() : name[0].toLowerCase() + name.slice(1);
}

/** Other languages' `None`/`null`/`True` in a pattern; `refutable` is false in `let` and `for`. */
export function foreignPatternName(name: string, refutable: boolean): Message | null {
  const f = Object.prototype.hasOwnProperty.call(FOREIGN, name) ? FOREIGN[name] : undefined;
  return f ? M.foreignPatternName(name, f[0], f[1], refutable) : null;
}

/**
 * Why the name of a binding pattern (`PBind`) in a `match` arm or an `if let`
 * cannot be a binding, or null when it binds. Unit variants of the value's
 * enum are resolved before this is asked. A local of the same name is shadowed
 * as usual, unless it is a local `const`.
 */
export function bindingNameProblem(name: string, t: Type, scope: Scope, m: ModuleInfo): Message | null {
  const inner = t.k === "optional" ? t.inner : t;
  const isVariant = inner.k === "enum" && inner.info.variants.some((v) => v.name === name);
  if (isVariant) return null;
  const foreign = foreignPatternName(name, true);
  if (foreign) return foreign;
  const local = scope.lookup(name);
  if (local?.kind === "const") return M.patternConstant(name, "a constant");
  const g = local ? undefined : m.globals.get(name);
  if (g && g.decl.form !== "var") return M.patternConstant(name, g.decl.form === "const" ? "a constant" : "a global `let` binding");
  if (!isUpper(name) || t.k === "error") return null;
  if (inner.k === "enum") return M.patternUnknownVariant(inner.info.name, name, lowerName(name), suggest(name, inner.info.variants.map((v) => v.name)));
  return M.patternNotEnum(name, showType(t), lowerName(name));
}

/** A plain name that cannot be a binding here (`if let` asks before calling it irrefutable). */
export function notABinding(p: A.Pattern, t: Type, scope: Scope, m: ModuleInfo): boolean {
  return p.kind === "PBind" && bindingNameProblem(p.name, t, scope, m) !== null;
}

const NUMBER_TYPES = new Set(["int", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "float", "f32", "f64"]);

/** `i64.MIN`, `config.LIMIT` as a pattern: a constant (E0246), not a variant. */
export function isConstantPath(p: Extract<A.Pattern, { kind: "PVariant" }>, m: ModuleInfo): boolean {
  if (p.path.length !== 2 || p.args.length || p.named) return false;
  const g = NUMBER_TYPES.has(p.path[0]) ? null : m.imports.get(p.path[0])?.globals.get(p.path[1]);
  return NUMBER_TYPES.has(p.path[0]) || (g !== undefined && g !== null && g.decl.form !== "var");
}
