// E0030: a `{` inside a string literal that cannot start an interpolation —
// nearly always a brace meant literally (JSON, templates: `"{}"`,
// `"{\"a\": 1}"`). The fix rewrites the literal with its braces escaped when
// it can tell which braces were meant literally.

import type { Message } from "../diagnostics.js";
import { M } from "../messages.js";

const MAX_FIX = 80;

/** The E0030 message for the `{` at `pos`, in the string literal starting at `strStart`. */
export function literalBraceMessage(src: string, pos: number, strStart: number): Message {
  let j = pos + 1;
  while (src[j] === " " || src[j] === "\t") j++;
  const what = src[j] === "}" ? "`{}` is an empty interpolation"
    : src[j] === ":" ? "this interpolation has a format spec but no value before the `:`"
    : "`\\` cannot start the expression of an interpolation";
  if (src[j] === ":") {
    return M.literalBrace(`\`{\` in a string starts an interpolation, and ${what}`,
      "put the value before the `:` (`{n:x}`), or write `\\{` for a literal brace (and `\\}`)");
  }
  const fixed = escapedLiteral(src, strStart);
  const fix = fixed !== null && fixed.length <= MAX_FIX
    ? `write \`\\{\` for a literal brace (and \`\\}\`): ${fixed}`
    : "write `\\{` for a literal brace (and `\\}`), or put a value inside: `{x}`";
  return M.literalBrace(`\`{\` in a string starts an interpolation, and ${what}`, fix);
}

/**
 * The string literal at `start` read as plain text (no interpolation), with
 * every brace escaped except those of `{name...}` interpolations, which were
 * probably meant. Null when the literal does not end on its line.
 */
function escapedLiteral(src: string, start: number): string | null {
  let out = '"';
  let open = 0; // kept interpolations not yet closed
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i];
    if (c === "\n") return null;
    if (c === "\\") { if (src[i + 1] === undefined || src[i + 1] === "\n") return null; out += c + src[i + 1]; i++; continue; }
    if (c === '"') return "`" + out + '"`';
    if (c === "{") {
      if (/[A-Za-z_(]/.test(src[i + 1] ?? "")) { open++; out += c; } else out += "\\{";
      continue;
    }
    if (c === "}") { if (open > 0) { open--; out += c; } else out += "\\}"; continue; }
    out += c;
  }
  return null;
}
