// A TypeScript/JSON object literal where Colang reads a map literal:
// `{ error: "bad input", code: 42 }` (bare-name keys that name nothing in
// scope, E0133) or `{ "id": 1, "name": "x" }` (values of different types,
// E0200 once, at the first value that differs). Colang's answer to a JSON
// object with mixed value types is a struct (std/json and http.json encode
// any struct whose fields are `Json`), or a `json.Value` built by hand.

import type * as A from "../syntax/ast.js";
import { showType, type Type, type ModuleInfo } from "./types.js";
import type { Scope, CheckContext } from "./context.js";
import { sourceText } from "./habits.js";

type MapLit = Extract<A.Expr, { kind: "MapLit" }>;

const MAX_FIX = 400;

/** The first bare-name key of `e` that names nothing in scope, when every key is a bare name (`{ error: ..., code: ... }`). */
export function unknownBareKey(e: MapLit, scope: Scope, m: ModuleInfo): Extract<A.Expr, { kind: "Ident" }> | null {
  if (!e.entries.length || !e.entries.every((x) => x.key.kind === "Ident" && !x.shorthand)) return null;
  for (const x of e.entries) {
    const name = (x.key as Extract<A.Expr, { kind: "Ident" }>).name;
    if (scope.lookup(name) || m.globals.has(name) || m.fns.has(name) || m.imports.has(name)) continue;
    if ([...m.enums.values()].some((en) => en.variants.some((v) => v.name === name))) continue;
    return x.key as Extract<A.Expr, { kind: "Ident" }>;
  }
  return null;
}

/** The key of an entry as a field name (`error`, `"error"`), or null when it is neither. */
function keyName(key: A.Expr): string | null {
  if (key.kind === "Ident") return key.name;
  const part = key.kind === "StrLit" && key.parts.length === 1 ? key.parts[0] : null;
  if (part?.kind === "text" && /^[a-z_][A-Za-z0-9_]*$/.test(part.value)) return part.value;
  return null;
}

/** What `e` is in Colang: a struct (when its keys can be field names and its values have types), or a `json.Value`. */
export function objectLiteralFix(cx: CheckContext, e: MapLit, types: Type[], m: ModuleInfo, mixed: boolean, mapExpected = false): string {
  const names = e.entries.map((x) => keyName(x.key));
  const values = e.entries.map((x) => sourceText(cx, x.value.span));
  const typed = types.every((t) => t.k !== "error" && t.k !== "never" && t.k !== "unit" && t.k !== "param");
  const parts: string[] = [];
  if (!mixed && (typed || mapExpected) && e.entries.every((x) => x.key.kind === "Ident")) {
    parts.push(`quote the keys: \`{ ${names.map((n, i) => `"${n}": ${values[i]}`).join(", ")} }\``);
  }
  if (mapExpected) return parts.length && parts[0].length <= MAX_FIX ? parts[0] : "quote the keys: `{ \"name\": value }`";
  if (typed && names.every((n) => n !== null) && new Set(names).size === names.length) {
    const fields = names.map((n, i) => `${n}: ${showType(types[i], m)}`).join(", ");
    parts.push(`${mixed ? "a JSON object with values of different types is a struct" : "or a struct"}: declare \`struct Body { ${fields} }\` and write \`Body { ${names.map((n, i) => `${n}: ${values[i]}`).join(", ")} }\``);
  }
  const json = jsonValue(cx, e, types, m);
  if (json) parts.push(`${parts.length ? "or" : "write it as"} a \`json.Value\`: \`${json}`);
  const fix = parts.join("; ");
  if (fix && fix.length <= MAX_FIX) return fix;
  return mixed ? "a JSON object with values of different types is a struct (`struct Body { name: string, count: int }`, then `Body { ... }`), or a `json.Value` (docs/json.md)"
    : "keys of a map literal are quoted strings (`{ \"name\": value }`); an object with named fields is a struct (`Body { name: value }`)";
}

/** `e` built as a `json.Value.Object`, when every value is a string, number or bool; null otherwise. */
function jsonValue(cx: CheckContext, e: MapLit, types: Type[], m: ModuleInfo): string | null {
  const mod = [...m.imports].find(([, im]) => im.isStd && /(^|\/)json\.co$/.test(im.file))?.[0];
  const q = mod ?? "json";
  const entries: string[] = [];
  for (let i = 0; i < e.entries.length; i++) {
    const key = e.entries[i].key;
    const k = key.kind === "Ident" ? `"${key.name}"` : key.kind === "StrLit" ? sourceText(cx, key.span) : null;
    const v = e.entries[i].value, t = types[i], src = sourceText(cx, v.span);
    if (k === null) return null;
    let jv: string;
    if (t.k === "string") jv = `${q}.Value.String(${src})`;
    else if (t.k === "bool") jv = `${q}.Value.Bool(${src})`;
    else if (t.k === "float" && t.name === "f64") jv = `${q}.Value.Number(${src})`;
    else if (t.k === "int" || t.k === "float") jv = `${q}.Value.Number(${v.kind === "IntLit" && /^[0-9]+$/.test(src) ? `${src}.0` : `${/^[A-Za-z0-9_.]+$/.test(src) ? src : `(${src})`} as float`})`;
    else return null;
    entries.push(`${k}: ${jv}`);
  }
  return `${q}.Value.Object({ ${entries.join(", ")} })\`${mod ? "" : " (with `import std/json`)"}`;
}
