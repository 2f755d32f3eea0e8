// The format spec of an interpolation (`"{x:>8.2}"`): the text after the
// `:` parsed into its pieces. One grammar for every type, modelled on Rust's
// and Python's mini-language:
//
//   [[fill]align][sign][#][0][width][,][.precision][type]
//
// This file knows the syntax only; which pieces a type accepts is the
// checker's (src/check/format.ts), and the emitter turns a spec into a
// runtime `co_fmt` (src/emit/format.ts). Offsets are UTF-16 indexes into the
// spec text: the spec sits on one line, so a piece's column is the spec's
// column plus its offset.

export type FormatAlign = "<" | ">" | "^";
export type FormatType = "d" | "x" | "X" | "b" | "o" | "f" | "e" | "E" | "?";
export type SpecPiece = "fill" | "align" | "sign" | "alt" | "zero" | "width" | "group" | "precision" | "type";

export interface FormatSpec {
  text: string;
  /** One code point; a space unless given. */
  fill: string;
  align: FormatAlign | null;
  sign: "+" | "-" | null;
  /** `#`: the 0x / 0b / 0o prefix. */
  alt: boolean;
  /** `0`: pad numbers with zeros after the sign. */
  zero: boolean;
  width: number | null;
  /** `,`: thousands separators. */
  group: boolean;
  precision: number | null;
  type: FormatType | null;
  /** Where each piece present starts in `text`. */
  at: Partial<Record<SpecPiece, number>>;
}

export interface SpecError { offset: number; length: number; message: string; fix?: string }

/** Widths, precisions and `toFixed` digits above this are refused (a typo more likely than a wish). */
export const MAX_FORMAT_NUMBER = 1000;

export const SPEC_ORDER = "[[fill]align][sign][#][0][width][,][.precision][type]";
const TYPES = "dxXbofeE?";
const ALIGN = "<>^";

/** What a type letter that does not exist was probably meant as. */
const TYPE_HINTS: Record<string, string> = {
  s: "strings need no type letter: `{s:10}`",
  g: "`.N` gives N decimals (`{x:.2}`); `e` gives scientific notation",
  G: "`.N` gives N decimals (`{x:.2}`); `E` gives scientific notation",
  i: "integers print in decimal without a type letter (or with `d`)",
  u: "integers print in decimal without a type letter (or with `d`)",
  B: "binary is `b`",
  O: "octal is `o`",
  D: "decimal is `d`",
  F: "fixed decimals are `f` (or just `.N`)",
  c: "there is no character type; interpolate the string itself",
  n: "`,` adds thousands separators: `{n:,}`",
};

const TYPE_LIST = "the types are `d` `x` `X` `b` `o` (integers), `f` `e` `E` (floats) and `?` (debug: strings quoted)";

/** Parses the text after an interpolation's `:`. */
export function parseFormatSpec(text: string): { spec: FormatSpec } | { error: SpecError } {
  const spec: FormatSpec = { text, fill: " ", align: null, sign: null, alt: false, zero: false, width: null, group: false, precision: null, type: null, at: {} };
  let i = 0;
  const ch = () => text[i] ?? "";
  const fail = (offset: number, message: string, fix?: string, length?: number): { error: SpecError } =>
    ({ error: { offset, length: length ?? ((text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1), message, fix } });

  // A fill is any one code point followed by an alignment.
  const cp0 = text.codePointAt(0);
  const n0 = cp0 !== undefined && cp0 > 0xffff ? 2 : 1;
  const isAlign = (c: string | undefined) => c !== undefined && c.length === 1 && ALIGN.includes(c);
  if (cp0 !== undefined && isAlign(text[n0])) {
    const fill = text.slice(0, n0);
    const bad = badChar(fill, 0);
    if (bad) return bad;
    spec.fill = fill; spec.at.fill = 0;
    spec.align = text[n0] as FormatAlign; spec.at.align = n0;
    i = n0 + 1;
  } else if (isAlign(text[0])) {
    spec.align = ch() as FormatAlign; spec.at.align = 0; i = 1;
  }
  if (ch() === "+" || ch() === "-") { spec.sign = ch() as "+" | "-"; spec.at.sign = i++; }
  if (ch() === "#") { spec.alt = true; spec.at.alt = i++; }
  if (ch() === "0" && /[0-9]/.test(text[i + 1] ?? "")) {
    if (spec.align) {
      return fail(i, "`0` pads a number with zeros after its sign and cannot be combined with an alignment",
        `use \`0\` as the fill instead: \`0${spec.align}${text.slice(i + 1).replace(/^0+/, "") || "8"}\``);
    }
    spec.zero = true; spec.at.zero = i++;
  }
  const digits = (): string => { const s = i; while (/[0-9]/.test(ch())) i++; return text.slice(s, i); };
  const w0 = i, w = digits();
  if (w) {
    const v = Number(w);
    if (v > MAX_FORMAT_NUMBER) return fail(w0, `format width ${w} is too large (at most ${MAX_FORMAT_NUMBER})`, undefined, w.length);
    spec.width = v; spec.at.width = w0;
  }
  if (ch() === ",") { spec.group = true; spec.at.group = i++; }
  if (ch() === ".") {
    const p0 = i++;
    const p = digits();
    if (!p) return fail(p0, "`.` in a format spec must be followed by the number of decimals", "write the precision after the dot, e.g. `.2`");
    const v = Number(p);
    if (v > MAX_FORMAT_NUMBER) return fail(p0 + 1, `format precision ${p} is too large (at most ${MAX_FORMAT_NUMBER})`, undefined, p.length);
    spec.precision = v; spec.at.precision = p0;
  }
  if (i < text.length && /[A-Za-z?]/.test(ch())) {
    const c = ch();
    if (!TYPES.includes(c)) return fail(i, `unknown format type \`${c}\``, TYPE_HINTS[c] ? `${TYPE_HINTS[c]}; ${TYPE_LIST}` : TYPE_LIST);
    spec.type = c as FormatType; spec.at.type = i++;
  }
  if (i < text.length) return misplaced(text, i, spec);
  return { spec };
}

/** A fill that cannot be written inside a string literal's interpolation. */
function badChar(c: string, offset: number): { error: SpecError } | null {
  if (c === "{") return { error: { offset, length: 1, message: "a format spec cannot contain `{`", fix: "widths and precisions are numbers written in the spec; for a computed width use `s.padStart(n)` / `s.padEnd(n)`" } };
  if (c === "\\") return { error: { offset, length: 1, message: "a format spec cannot contain `\\`", fix: "escapes do not work in a format spec; choose another fill character" } };
  if (c === "\t") return { error: { offset, length: 1, message: "a format spec cannot contain a tab" } };
  return null;
}

/** The character at i is not where the order allows it (or not a spec character at all). */
function misplaced(text: string, i: number, spec: FormatSpec): { error: SpecError } {
  const cp = text.codePointAt(i)!;
  const c = String.fromCodePoint(cp);
  const bad = badChar(c, i);
  if (bad) return bad;
  const at = (message: string, fix?: string): { error: SpecError } => ({ error: { offset: i, length: c.length, message, fix } });
  if (c === " " && i === 0) {
    return at("a format spec cannot start with a space",
      "if the `{` was meant as a literal brace, write `\\{` (and `\\}`); a space fill needs an alignment after it: `{x: >8}`");
  }
  if (spec.type !== null) return at(`\`${c}\` after the format type \`${spec.type}\``, `the type letter comes last: ${SPEC_ORDER}`);
  if (ALIGN.includes(c)) return at(`alignment \`${c}\` is out of place in format spec \`${text}\``, `the alignment comes first (after an optional fill): ${SPEC_ORDER}`);
  if ("+-#,.0".includes(c) || /[0-9]/.test(c)) return at(`\`${c}\` is out of place in format spec \`${text}\``, `the pieces go in this order: ${SPEC_ORDER}`);
  if (c === "%") return at("there is no `%` format type", "multiply by 100 and add the sign: `{x * 100.0:.1}%`");
  if (c === "_") return at("`_` is not a digit separator in format specs", "use `,`: `{n:,}`");
  return at(`unexpected \`${c}\` in format spec \`${text}\``, `a format spec is ${SPEC_ORDER}; if the \`{\` was meant as a literal brace, write \`\\{\``);
}
