// Generic functions are instantiated on demand, so polymorphic recursion
// (`fn f<T>(x: T, n: int) { ... f((x, x), n - 1) ... }`) would ask for
// f<(int, int)>, then f<((int, int), (int, int))>, ... forever, each type twice
// the size of the last. The limits below stop that with a compile error that
// names the chain of instantiations; no real program comes near them.

import type { FnInfo, Type } from "../check/types.js";
import { showType } from "../check/types.js";
import { at, type Diagnostic } from "../diagnostics.js";
import { M } from "../messages.js";

export const MAX_INSTANCE_DEPTH = 64; // instances in one chain (each asked for by the previous one)
export const MAX_TYPE_SIZE = 256; // type constructors in one instance's type arguments

export interface QueuedFn { f: FnInfo; args: Type[]; name: string; unchecked?: boolean; parent: QueuedFn | null; depth: number }

/** Thrown out of the emitter and turned into a diagnostic by the driver. */
export class InstantiationLimit extends Error {
  constructor(readonly diagnostic: Diagnostic) { super(diagnostic.message); }
}

function typeSize(t: Type, budget: { n: number }): void {
  if (--budget.n < 0) return;
  for (const v of Object.values(t)) {
    if (Array.isArray(v)) for (const x of v) { if (x && typeof x === "object" && "k" in x) typeSize(x as Type, budget); }
    else if (v && typeof v === "object" && "k" in v) typeSize(v as Type, budget);
  }
}

const shown = (f: FnInfo, args: Type[]): string => {
  const s = `${f.name}${args.length ? `<${args.map(showType).join(", ")}>` : ""}`;
  return s.length > 60 ? s.slice(0, 57) + "..." : s;
};

export function checkInstantiation(f: FnInfo, args: Type[], parent: QueuedFn | null): void {
  const budget = { n: MAX_TYPE_SIZE };
  for (const a of args) typeSize(a, budget);
  const depth = (parent?.depth ?? 0) + 1;
  if (budget.n >= 0 && depth <= MAX_INSTANCE_DEPTH) return;
  let chain: string[] = [shown(f, args)];
  for (let p = parent; p; p = p.parent) chain.unshift(shown(p.f, p.args));
  if (chain.length > 5) chain = [...chain.slice(0, 3), "...", ...chain.slice(-1)];
  const why = budget.n < 0 ? `type arguments larger than ${MAX_TYPE_SIZE} types` : `more than ${MAX_INSTANCE_DEPTH} nested instantiations`;
  throw new InstantiationLimit(at(M.instantiationLimit(f.name, why, chain.join(" -> ")), f.decl.span));
}
