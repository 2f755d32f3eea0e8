// The table of the program's C functions and their Colang names that the
// runtime uses to name the function a stack overflow happened in
// (cruntime/src/stack.c resolves the faulting address to a C symbol through
// the executable's symbol table, then looks the symbol up here).

import type { FnInfo, Type } from "../check/types.js";
import { showType } from "../check/types.js";
import type { DeriveKind } from "../lower/ir.js";
import { cStringLiteral } from "./names.js";

/** How a user function is named to the user, quoted: `deeper`, `geometry.norm`, `Point.len`, `first<int>`. */
export function fnDisplay(f: FnInfo, args: Type[]): string {
  const mod = f.module.isEntry || f.module.isStd ? "" : `${f.module.alias}.`;
  const owner = f.owner ? `${f.owner.name}.` : "";
  const own = f.typeParams.length ? args.slice(args.length - f.decl.typeParams.length) : [];
  return `\`${mod}${owner}${f.name}${own.length ? `<${own.map((t) => showType(t)).join(", ")}>` : ""}\``;
}

const DERIVED: Record<DeriveKind, string> = {
  eq: "comparing", hash: "hashing", show: "printing", showNested: "printing", clone: "cloning",
  promote: "copying to global memory", restore: "storing back into global memory", leave: "copying out of a region block", drop: "freeing", dropStep: "freeing",
  jsonEnc: "encoding to JSON", jsonDec: "decoding JSON", jsonStr: "encoding to JSON", jsonDoc: "decoding JSON",
  keep: "moving into a carry region",
};

/** A function the compiler derives: printing `List`. */
export function deriveDisplay(kind: DeriveKind, t: Type): string {
  return `${DERIVED[kind]} \`${showType(t)}\``;
}

export class FnNames {
  private rows = new Map<string, string>();
  add(cname: string, display: string): void { if (!this.rows.has(cname)) this.rows.set(cname, display); }
  /** The C definition of the table and its number of rows (the C `main` hands both to the runtime). */
  emit(): { def: string[]; rows: number } {
    if (!this.rows.size) return { def: [], rows: 0 };
    const rows = [...this.rows].map(([c, n]) => `  {${cStringLiteral(c).lit}, ${cStringLiteral(n).lit}},`);
    return {
      def: ["static const co_fn_name co__fn_names[] = {", ...rows, "};", ""],
      rows: this.rows.size,
    };
  }
}
