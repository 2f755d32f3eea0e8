// The C layout of enum values: the one place that knows how a variant's index
// and payload are stored (docs/memory.md "Enum layout"). Everything that reads
// or writes an enum (construction, match, the derived functions through the
// IR printer, zero values, Result helpers) goes through these functions.
//
// Two layouts:
// - tagged: `struct E { int32_t tag; union { ... } u; }`. Payloads are inline
//   structs, or, for a recursive enum with more than 8 variants, pointers to
//   boxes.
// - packed: a recursive enum (every payload is boxed) with at most 8 variants
//   is one word, `struct E { uintptr_t w; }`: the box pointer with the variant
//   index in its low 3 bits (boxes come from co_alloc, 8-aligned, or global
//   memory, 16-aligned); a unit variant is its index with a null pointer part.
//   A `Node(Tree, Tree)` payload is then 16 bytes, not 32, and no value needs
//   an extra word for its tag.

import { variantFields, type Type } from "../check/types.js";
import { cType, payloadName } from "./names.js";

export type EnumT = Extract<Type, { k: "enum" }>;

/** Variant indexes a packed value can carry in the low bits of an aligned pointer. */
const PACK_BITS = 3;
const PACK_MAX = 1 << PACK_BITS;

/** Whether t's values are one tagged pointer word. */
export function isPacked(t: EnumT): boolean {
  return t.info.recursive && t.info.variants.length <= PACK_MAX;
}

/** Whether t's payloads live in boxes (the enum holds pointers to them). */
export const isBoxed = (t: EnumT): boolean => t.info.recursive;

/** The C name of variant v's payload struct. */
export const payloadType = (t: EnumT, v: number): string => payloadName(t, v);

/** The members of t's C struct (inside `struct E { ... };`); members(v) are the C members of variant v's payload. */
export function enumMembers(t: EnumT, members: (v: number) => string): string {
  if (isPacked(t)) return "uintptr_t w; ";
  const withFields = t.info.variants.filter((v) => v.fields.length > 0);
  const u = withFields.map((v) => (isBoxed(t) ? `${payloadType(t, v.index)} *v${v.index};` : `struct { ${members(v.index)} } v${v.index};`)).join(" ");
  return `int32_t tag; ${u ? `union { ${u} } u; ` : ""}`;
}

// ---------- reading (x: a C expression of type t, already parenthesised if it needs it) ----------

/** The variant index of x, an int32_t. */
export function tagOf(t: EnumT, x: string): string {
  return isPacked(t) ? `((int32_t)(${x}.w & ${PACK_MAX - 1}))` : `${x}.tag`;
}

/** The box pointer of x, known to be variant v (a boxed enum). */
export function boxOf(t: EnumT, x: string, v: number): string {
  if (!isBoxed(t)) throw new Error(`internal: ${t.info.name} has no boxed payloads`);
  // The variant is known, so the tag bits are a constant to subtract: the C
  // compiler folds it into the field offset of the load that follows.
  return isPacked(t) ? `((${payloadType(t, v)} *)(${x}.w - ${v}))` : `${x}.u.v${v}`;
}

/** Field i of x's payload, x known to be variant v. */
export function fieldOf(t: EnumT, x: string, v: number, i: number): string {
  return isBoxed(t) ? `${boxOf(t, x, v)}->f${i}` : `${x}.u.v${v}.f${i}`;
}

// ---------- writing ----------

/** A value of variant v. payload: null for a unit variant; the box pointer of a boxed enum; else the
 *  payload's field values. */
export function variantValue(t: EnumT, v: number, payload: string | string[] | null): string {
  const c = cType(t);
  const unit = !variantFields(t, t.info.variants[v]).length;
  if (isPacked(t)) return unit || payload === null ? `((${c}){ .w = ${v} })` : `((${c}){ .w = (uintptr_t)(${payload}) | ${v} })`;
  if (unit || payload === null) return `((${c}){ .tag = ${v} })`;
  if (isBoxed(t)) return `((${c}){ .tag = ${v}, .u.v${v} = ${payload} })`;
  return `((${c}){ .tag = ${v}, .u.v${v} = { ${(payload as string[]).join(", ")} } })`;
}

/** An assignment (without `;`) making place variant `tag` (a C int expression; its value when known), keeping
 *  the box pointer of a boxed enum (a unit variant's is cleared). */
export function setTag(t: EnumT, place: string, tag: string, known: number | null): string {
  if (!isPacked(t)) return `${place}.tag = ${tag}`;
  if (known !== null && !variantFields(t, t.info.variants[known]).length) return `${place}.w = ${known}`;
  return `${place}.w = (${place}.w & ~(uintptr_t)${PACK_MAX - 1}) | (uintptr_t)(${tag})`;
}

/** An assignment (without `;`) storing box b as place's payload of variant v (which place becomes). */
export function setBox(t: EnumT, place: string, v: number, b: string): string {
  if (!isBoxed(t)) throw new Error(`internal: ${t.info.name} has no boxed payloads`);
  return isPacked(t) ? `${place}.w = (uintptr_t)(${b}) | ${v}` : `${place}.tag = ${v}, ${place}.u.v${v} = ${b}`;
}
