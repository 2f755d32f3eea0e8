// E0037: a `{` inside a string literal that cannot start an interpolation —
// nearly always a brace meant literally (JSON, templates: `"{}"`,
// `"{\"a\": 1}"`). The fix rewrites the literal with its braces escaped when
// it can tell which braces were meant literally.

import type { Message } from "../diagnostics.js";
import { M } from "../messages.js";

const MAX_FIX = 80;

/** The E0037 message for the `{` at `pos`, in the string literal starting at `strStart`. */
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
 * When the grammar fails at the string literal starting at `start`: the
 * E0037 message and position for a `{{` in it (Python's and C#'s escape for
 * a literal brace), or null when it has none.
 */
export function doubledBrace(src: string, start: number): { message: Message; pos: number } | null {
  if (src.startsWith('"""', start)) return null;
  let out = '"', pos = -1;
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i];
    if (c === "\n") return null;
    if (c === "\\") { out += c + (src[i + 1] ?? ""); i++; continue; }
    if (c === '"') break;
    if ((c === "{" || c === "}") && src[i + 1] === c) {
      if (c === "{" && pos < 0) pos = i;
      out += "\\" + c; i++; continue;
    }
    out += c;
  }
  if (pos < 0) return null;
  out += '"';
  const fix = out.length <= MAX_FIX ? `write \`\\{\` for a literal brace (and \`\\}\`): \`${out}\`` : "write `\\{` for a literal brace (and `\\}`)";
  return { message: M.literalBrace("`{{` does not write a literal brace: `{` starts an interpolation", fix), pos };
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
