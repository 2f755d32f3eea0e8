// Whether a program can observe the `headers` map of std/http's `Request`.
// The map is built per request from the parser's fields (co_std_http_headers,
// about 160 instructions with one field); a program that never reads it — no
// `.headers` on a Request in any function it contains (std/http's own
// `req.header(name)` reads it, so calling that counts), and no derived
// function that would look inside a Request (printing, `==`, hashing, JSON
// encoding of a type that holds one) — gets an empty map instead
// (`#define CO_HTTP_NO_HEADERS`, which the runtime's HTTP header turns into
// a call of co_std_http_no_headers). The decision is
// made after emission, from exactly the bodies the C program contains (the
// monomorphization table's instances, the tests, the global initialisers)
// and the derived calls the emitter scheduled. docs/http.md, "The headers map".

import { basename } from "node:path";
import type * as A from "../syntax/ast.js";
import { walkBlock, walkExpr } from "../syntax/walk.js";
import { fieldTypes, variantFields, type Type, type TypedProgram } from "../check/types.js";
import type { DeriveKind } from "../lower/ir.js";
import type { MonoTable } from "../lower/mono.js";
import type { LoweredProgram } from "../lower/lower.js";

/** The derived functions that read a value's contents (the memory ones — clone, promote, drop, ... — only move them). */
const OBSERVING: ReadonlySet<DeriveKind> = new Set<DeriveKind>(["eq", "hash", "show", "showNested", "jsonEnc", "jsonStr"]);

function isRequest(t: Type): boolean {
  return t.k === "struct" && t.info.name === "Request" && t.info.module.isStd && basename(t.info.module.file) === "http.co";
}

/** Whether t is or holds (in a field, element, payload, ...) std/http's Request. */
function holdsRequest(t: Type, seen = new Set<string>()): boolean {
  switch (t.k) {
    case "struct": {
      if (isRequest(t)) return true;
      const key = `s:${t.info.cname}:${t.args.length}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return t.args.some((a) => holdsRequest(a, seen)) || fieldTypes(t).some((f) => holdsRequest(f.type, seen));
    }
    case "enum": {
      const key = `e:${t.info.cname}:${t.args.length}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return t.args.some((a) => holdsRequest(a, seen)) || t.info.variants.some((v) => variantFields(t, v).some((f) => holdsRequest(f.type, seen)));
    }
    case "optional": case "task": return holdsRequest(t.inner, seen);
    case "tuple": return t.elems.some((e) => holdsRequest(e, seen));
    case "vec": case "set": return holdsRequest(t.elem, seen);
    case "map": return holdsRequest(t.key, seen) || holdsRequest(t.val, seen);
    default: return false;
  }
}

/** True when the program may read a Request's headers map (then it is built as before). */
export function httpHeadersObserved(p: LoweredProgram, typed: TypedProgram, mono: MonoTable, derivedCalls: readonly { kind: DeriveKind; type: Type }[]): boolean {
  // a program without std/http: nothing to decide (its C stays as it was)
  if (!typed.modules.some((m) => m.isStd && basename(m.file) === "http.co")) return true;
  if (derivedCalls.some((c) => OBSERVING.has(c.kind) && holdsRequest(c.type))) return true;
  let seen = false;
  const visit = (e: A.Expr): void => {
    if (seen || e.kind !== "Field" || e.name !== "headers") return;
    const t = typed.exprTypes.get(e.target);
    if (t && holdsRequest(t)) seen = true;
  };
  for (const inst of mono.instances) if (inst.f.decl.body) walkBlock(inst.f.decl.body, visit);
  for (const t of p.tests) walkBlock(t.decl.body, visit);
  for (const g of p.globals) walkExpr(g.decl.value, visit);
  return seen;
}
