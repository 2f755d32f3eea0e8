// What the diagnostics unit tests share: the front end's diagnostics for one source file, a readable dump of them,
// the one diagnostic of a code, and "compiles" (no diagnostics at all).

import * as assert from "uvu/assert";
import { frontEnd } from "../src/driver.js";
import type { Diagnostic } from "../src/diagnostics.js";

export function diags(src: string): Diagnostic[] {
  return frontEnd({ entry: "t.co", files: new Map([["t.co", src]]), emit: false }).diagnostics;
}

export const show = (src: string): string => diags(src).map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message} [${d.fix}]`).join("\n");

export function one(src: string, code: string): Diagnostic {
  const ds = diags(src).filter((d) => d.code === code);
  assert.is(ds.length, 1, `one ${code} in:\n${show(src)}`);
  return ds[0];
}

export const compiles = (src: string): void => assert.is(diags(src).length, 0, `does not compile:\n${src}\n${show(src)}`);

/** The n-th code in a fix (the text between backticks). */
export function code(d: Diagnostic, n = 0): string {
  const all = [...(d.fix ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  assert.ok(all[n] !== undefined, `no code ${n} in the fix of ${d.code}: ${d.fix}`);
  return all[n];
}

/** src with `from` replaced by `to` (the fix applied); `from` must be there. */
export function apply(src: string, from: string, to: string): string {
  const out = src.replace(from, to);
  assert.ok(out !== src, `${from} is not in:\n${src}`);
  return out;
}
