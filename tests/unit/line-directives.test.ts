// The `#line` directives of generated C: a Colang statement written as several
// C statements names its own source line on every one of them, so a sanitizer
// report or a debugger points at the right Colang line (a new-user report: an
// UBSan error named line 8 of a 4-line file, the C compiler having counted on
// from the statement's one directive).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";

const SRC = `fn f(xs: Vec<int>, i: int): string {
  let s = "n={xs.len()} first={xs[0]} at={xs[i]} sum={xs[0] + xs[1]}"
  if i > 0 {
    return "{s} {xs[i]} {i * 2}"
  }
  return s
}
fn main() { println(f([1, 2, 3], 1)) }
`;

/** The source line the C compiler assigns to each line of `fn`'s definition, per `#line` counting. */
function sourceLines(c: string, fn: string): { text: string; line: number }[] {
  const lines = c.split("\n");
  let next = -1;
  const out: { text: string; line: number }[] = [];
  let inside = false;
  for (const l of lines) {
    const m = /^#line (\d+) /.exec(l);
    if (m) { next = Number(m[1]); continue; }
    if (l.startsWith(`static co_str ${fn}(`) && l.endsWith("{")) inside = true;
    else if (inside && l === "}") inside = false;
    else if (inside) out.push({ text: l.trim(), line: next });
    if (next >= 0) next++;
  }
  return out;
}

test("every C line of a multi-statement Colang statement names that statement's line", () => {
  const r = frontEnd({ entry: "t.co", files: new Map([["t.co", SRC]]), emit: true });
  assert.ok(r.c, "C emitted");
  const got = sourceLines(r.c!, "f_f");
  assert.ok(got.length > 10, "the body of f is found");
  for (const { text, line } of got) {
    if (text === "}" || text === "} else {") continue;
    if (text.includes("first=") || text.includes("sum=")) assert.is(line, 2, text);
    if (text.includes("co_mul_i64")) assert.is(line, 4, text);
    assert.ok(line >= 2 && line <= 6, `${text}: line ${line} is outside f's statements`);
  }
});

test.run();
