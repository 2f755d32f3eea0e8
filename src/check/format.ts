// Formatting: which pieces of an interpolation's format spec a type accepts
// (E0270), and the formatting methods `padStart` / `padEnd` on strings,
// `toFixed` on floats and `toString` on numbers (E0271 for a literal
// argument out of range). The spec's syntax is src/syntax/format-spec.ts.

import type * as A from "../syntax/ast.js";
import { MAX_FORMAT_NUMBER, type FormatSpec, type SpecPiece } from "../syntax/format-spec.js";
import { M } from "../messages.js";
import { T, showType, type Type, type ModuleInfo } from "./types.js";
import { type FnCtx, Scope, report, type CheckContext } from "./context.js";
import { inferCall } from "./calls.js";

export type FormatMethod = "padStart" | "padEnd" | "toFixed" | "toString";
type Family = "int" | "float" | "string" | "other";

const family = (t: Type): Family => (t.k === "int" ? "int" : t.k === "float" ? "float" : t.k === "string" ? "string" : "other");
const NUMERIC_PIECES: SpecPiece[] = ["sign", "zero", "group"];
const INT_TYPES = "dxXbo";
const FLOAT_TYPES = "feE";

type Spanned = FormatSpec & { span: A.Span };

/** Checks that every piece of `spec` applies to t, the interpolated expression's type. */
export function checkFormatSpec(cx: CheckContext, t: Type, spec: Spanned, e: A.Expr): void {
  if (t.k === "error") return;
  const fam = family(t);
  const ty = showType(t);
  const x = exprText(cx, e);
  const bad = (piece: SpecPiece, message: string, fix?: string) => {
    const off = spec.at[piece] ?? 0;
    // Columns count code points: an emoji inside the spec's string before the piece is one column, not two.
    const text = cx.program.sources.get(spec.span.file)?.slice(spec.span.start, spec.span.start + off) ?? "";
    const col = spec.span.col + (text ? [...text].length : off);
    report(cx, M.specNotForType(message, fix), { ...spec.span, start: spec.span.start + off, end: spec.span.start + off + 1, col });
  };
  const pieceText = (p: SpecPiece): string => p === "sign" ? spec.sign! : p === "zero" ? "0" : p === "group" ? "," : p === "alt" ? "#" : p === "precision" ? `.${spec.precision}` : spec.type!;
  const optNum = t.k === "optional" && (t.inner.k === "int" || t.inner.k === "float");
  const unwrap = optNum ? `unwrap it first: \`{${x} ?? ${t.inner.k === "int" ? "0" : "0.0"}:${spec.text}}\`` : undefined;

  if (fam === "string" || fam === "other") {
    for (const p of NUMERIC_PIECES) {
      if (spec.at[p] === undefined) continue;
      const fix = unwrap ?? (p === "zero" ? `to pad text with zeros, use \`0\` as a fill: \`{${x}:0>${spec.width}}\`` : "remove it");
      return bad(p, `\`${pieceText(p)}\` in a format spec is for numbers, and this is \`${ty}\``, fix);
    }
  }
  if (spec.type !== null && spec.type !== "?") {
    const forInt = INT_TYPES.includes(spec.type);
    if (forInt && fam !== "int") {
      const fix = unwrap ?? (fam === "float" ? `convert it first: \`{${x} as i64:${spec.text}}\` (truncates toward zero)` : undefined);
      return bad("type", `format type \`${spec.type}\` is for integers, and this is \`${ty}\``, fix);
    }
    if (!forInt && fam !== "float") {
      const fix = unwrap ?? (fam === "int" ? `convert it first: \`{${x} as f64:${spec.text}}\`` : undefined);
      return bad("type", `format type \`${spec.type}\` is for floats, and this is \`${ty}\``, fix);
    }
  }
  if (spec.alt && !(spec.type !== null && "xXbo".includes(spec.type))) {
    return bad("alt", "`#` adds a `0x`, `0b` or `0o` prefix and needs the format type `x`, `X`, `b` or `o`", fam === "int" ? `e.g. \`{${x}:#x}\`` : undefined);
  }
  if (spec.group && spec.type !== null && "xXbo".includes(spec.type)) {
    return bad("group", "`,` separates thousands in decimal only", "remove the `,`, or drop the type letter for decimal");
  }
  if (spec.precision !== null && fam !== "float" && fam !== "string") {
    const fix = unwrap ?? (fam === "int" ? `convert it first: \`{${x} as f64:${spec.text}}\`` : undefined);
    return bad("precision", `a precision (\`.${spec.precision}\`) is for floats (decimals) and strings (truncation), and this is \`${ty}\``, fix);
  }
}

/** The source text of e for a fix, parenthesised unless it is a simple name, field, call or index. */
function exprText(cx: CheckContext, e: A.Expr): string {
  const src = cx.program.sources.get(e.span.file)?.slice(e.span.start, e.span.end) ?? "";
  if (!src || src.length > 40 || src.includes("\n")) return "x";
  return /^(Ident|Field|Call|Index|TupleIndex|IntLit|FloatLit|StrLit|BoolLit)$/.test(e.kind) ? src : `(${src})`;
}

/** The call target of a formatting method on a receiver of type t, or null when there is none. */
export function formatMethodFor(t: Type, name: string): FormatMethod | null {
  if (t.k === "string" && (name === "padStart" || name === "padEnd")) return name;
  if (t.k === "float" && (name === "toFixed" || name === "toString")) return name;
  if (t.k === "int" && name === "toString") return name;
  return null;
}

/** Checks a call of a formatting method (formatMethodFor said it is one). */
export function formatMethodCall(cx: CheckContext, e: Extract<A.Expr, { kind: "Call" }>, recvT: Type, name: FormatMethod, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const qual = `${showType(recvT)}.${name}`;
  let params: Type[];
  switch (name) {
    case "padStart": case "padEnd": params = e.args.length >= 2 ? [T.i64, T.string] : [T.i64]; break;
    case "toFixed": params = [T.i64]; break;
    case "toString": params = recvT.k === "int" && e.args.length > 0 ? [T.i64] : []; break;
  }
  const r = inferCall(cx, e, [], new Map(), params, T.string, qual, scope, ctx, m, expected);
  const lit = e.args.length === params.length && e.args[0] ? literalInt(e.args[0]) : null;
  if (lit !== null) {
    if (name === "toString" && (lit < 2n || lit > 36n)) report(cx, M.formatArgRange(qual, String(lit), "a radix from 2 to 36"), e.args[0].span);
    if (name === "toFixed" && (lit < 0n || lit > BigInt(MAX_FORMAT_NUMBER))) report(cx, M.formatArgRange(qual, String(lit), `0 to ${MAX_FORMAT_NUMBER} decimals`), e.args[0].span);
  }
  return r;
}

function literalInt(e: A.Expr): bigint | null {
  if (e.kind === "IntLit") return e.value;
  if (e.kind === "Unary" && e.op === "-" && e.operand.kind === "IntLit") return -e.operand.value;
  return null;
}
