// Checker helpers for async function values: what to tell a user who mixes
// up sync and async function types.

import { showType, type Type } from "./types.js";

/** The fix for a sync function where an async one is expected, or the reverse. */
export function asyncMismatchFix(expected: Extract<Type, { k: "fn" }>, found: Extract<Type, { k: "fn" }>): string {
  const ps = expected.params.map((p, i) => `x${i}: ${showType(p)}`).join(", ");
  if (expected.async) {
    return `an async function value is called with \`await\`: write an async closure, \`async |${ps}| ...\`, or pass an \`async fn\``;
  }
  return `a sync function is expected, so it cannot await: wrap the work in a sync closure that spawns it, \`|${ps}| { spawn f(...) }\`, or change the expected type to \`${showType({ ...found, params: expected.params, async: true })}\``;
}
