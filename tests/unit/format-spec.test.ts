// Format specs: the spec grammar piece by piece (src/syntax/format-spec.ts),
// where an interpolation's spec starts, and the E0037 / E0038 positions the
// parser reports inside string literals.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseFormatSpec, type FormatSpec } from "../../src/syntax/format-spec.js";
import { parseModule } from "../../src/syntax/parse.js";
import type { Expr, FnDecl } from "../../src/syntax/ast.js";

function spec(text: string): FormatSpec {
  const r = parseFormatSpec(text);
  if ("error" in r) throw new Error(`${text}: ${r.error.message}`);
  return r.spec;
}

function bad(text: string): { offset: number; message: string } {
  const r = parseFormatSpec(text);
  if (!("error" in r)) throw new Error(`${text}: parsed`);
  return r.error;
}

test("every piece, in order", () => {
  const s = spec("*^+#12,.3x");
  assert.equal([s.fill, s.align, s.sign, s.alt, s.zero, s.width, s.group, s.precision, s.type], ["*", "^", "+", true, false, 12, true, 3, "x"]);
  assert.equal(s.at, { fill: 0, align: 1, sign: 2, alt: 3, width: 4, group: 6, precision: 7, type: 9 });
  const z = spec("+#012,.3x");
  assert.equal(z.at, { sign: 0, alt: 1, zero: 2, width: 3, group: 5, precision: 6, type: 8 });
});

test("single pieces are never taken for a fill", () => {
  assert.is(spec("x").type, "x");
  assert.is(spec("+").sign, "+");
  assert.is(spec(",").group, true);
  assert.is(spec(">").align, ">");
  assert.is(spec("").width, null);
  assert.is(spec("?").type, "?");
});

test("fills: any one code point before an alignment, the alignment characters included", () => {
  assert.equal([spec("<<5").fill, spec("<<5").align], ["<", "<"]);
  assert.equal([spec("0>8").fill, spec("0>8").zero], ["0", false]);
  assert.is(spec("😀^6").fill, "😀");
  assert.is(spec("😀^6").at.align, 2);
  assert.is(spec(" >4").fill, " ");
});

test("zero flag, width 0 and precision 0", () => {
  const z = spec("08");
  assert.equal([z.zero, z.width], [true, 8]);
  assert.equal([spec("0").zero, spec("0").width], [false, 0]);
  assert.is(spec(".0").precision, 0);
});

test("malformed specs point at the offending character", () => {
  assert.is(bad("q").offset, 0);
  assert.match(bad(">5q").message, /unknown format type `q`/);
  assert.is(bad(".2>").offset, 2);
  assert.is(bad("<08").offset, 1);
  assert.is(bad("8.").offset, 1);
  assert.is(bad("1001").offset, 0);
  assert.is(bad(".1001").offset, 1);
  assert.is(bad(">{w}").offset, 1);
  assert.is(bad(" 1").offset, 0);
  assert.is(bad(".2f ").offset, 3);
  assert.is(bad("\\>5").offset, 0);
  assert.match(bad("%").message, /no `%`/);
});

function interp(src: string): Extract<Expr, { kind: "StrLit" }> {
  const r = parseModule("t.co", `fn f() {\n  let s = ${src}\n}\n`);
  assert.equal(r.diagnostics.map((d) => d.message), []);
  const body = (r.value!.decls[0] as FnDecl).body!;
  const st = body.stmts[0] as unknown as { value: Expr };
  return st.value as Extract<Expr, { kind: "StrLit" }>;
}

test("the spec starts at the first `:` after a complete expression", () => {
  const a = interp(`"{m["a:b"]:>6}"`).parts[0];
  assert.is(a.kind === "interp" && a.spec?.text, ">6");
  const b = interp(`"{ {"k": 1}["k"] :03}"`).parts[0];
  assert.is(b.kind === "interp" && b.spec?.text, "03");
  const c = interp(`"{s.replace(":", "-"):<4}|"`).parts[0];
  assert.is(c.kind === "interp" && c.spec?.text, "<4");
  const d = interp(`"{x}"`).parts[0];
  assert.is(d.kind === "interp" && d.spec, undefined);
  const e = interp(`"{x:}"`).parts[0];
  assert.is(e.kind === "interp" && e.spec?.text, "");
});

test("the spec's span is the text after the `:`", () => {
  const p = interp(`"ab {x:>8.2}"`).parts[1];
  assert.ok(p.kind === "interp" && p.spec);
  if (p.kind === "interp" && p.spec) assert.equal([p.spec.span.line, p.spec.span.col, p.spec.span.end - p.spec.span.start], [2, 18, 4]);
});

function first(src: string): string {
  const r = parseModule("t.co", src);
  const d = r.diagnostics[0];
  return d ? `${d.code} ${d.span.line}:${d.span.col}` : "none";
}

test("E0038 at the character inside the string; E0037 at the brace", () => {
  assert.is(first(`fn f() { println("{n:>5q}") }`), "E0038 1:24");
  assert.is(first(`fn f() { println("a {} b") }`), "E0037 1:21");
  assert.is(first(`fn f() { println("{\\"a\\": 1}") }`), "E0037 1:19");
  assert.is(first(`fn f() { println("{:x}") }`), "E0037 1:19");
  assert.is(first(`fn f() { println("n = {{n}}") }`), "E0037 1:23");
  // \u{...} braces are an escape, not an interpolation
  assert.is(first(`fn f() { println("\\u{7B}") }`), "none");
  assert.is(first(`fn f() { println("\\{} and \\{\\}") }`), "none");
});

test.run();
