// The catalogue of every diagnostic the compiler can produce. Each entry has a
// stable code; a message greps to its call sites through the entry's name.
// Code ranges: E0001 unsupported; E0002–E0099 syntax and lexical; E01xx names,
// modules and declarations; E02xx types and expressions; E03xx memory; E04xx
// async; W0xxx warnings.

import type { Message } from "./diagnostics.js";

const err = (code: string, message: string, fix?: string): Message => ({ code, severity: "error", message, fix });
const warn = (code: string, message: string, fix?: string): Message => ({ code, severity: "warning", message, fix });

export const M = {
  // ---- E0001: parsed, but later work gives it meaning ----
  unsupported: (what: string) => err("E0001", `not supported yet: ${what}`),

  // ---- E0002–E0099: syntax ----
  syntax: (message: string, fix?: string) => err("E0002", message, fix),
  unclosed: (what: string, openedAt: string, closer: string) =>
    err("E0003", `expected \`${closer}\` to close the ${what} opened at ${openedAt}`, `add \`${closer}\``),
  unterminatedString: () => err("E0004", "unterminated string literal", "close the string with `\"`"),
  unterminatedComment: () => err("E0005", "unterminated block comment", "close the comment with `*/`"),
  badNumber: (text: string, why: string) => err("E0006", `invalid number literal \`${text}\`: ${why}`),
  badEscape: (esc: string) => err("E0007", `unknown escape sequence \`${esc}\``, "escapes are \\n \\t \\r \\0 \\\\ \\\" \\{ \\} \\u{XXXX}"),
  nestingTooDeep: (limit: number) => err("E0008", `nesting is too deep (more than ${limit} levels)`, "split the expression or block into smaller functions"),
  invalidUtf8: () => err("E0009", "source file is not valid UTF-8"),
  nulByte: () => err("E0010", "source contains a NUL byte"),
  keywordAsName: (kw: string) => err("E0011", `\`${kw}\` is a keyword and cannot be used as a name`, `rename it, e.g. \`${kw}_\``),
  fileTooLarge: (bytes: number) => err("E0012", `source file is too large (${bytes} bytes)`),
} as const;

export type MessageKey = keyof typeof M;
