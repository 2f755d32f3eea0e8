// The stages recurse over the syntax tree. Nesting is bounded (parse.ts,
// modules.ts), but a long left-associative operator chain (`1 + 1 + ... + 1`,
// up to 20000 terms) is accepted and can exhaust Node's default stack of
// about 1 MB. Rather than make every stage iterate such chains, the CLI runs
// the same command again once, in a Node with a bigger stack. Nothing has
// been printed or built when the overflow happens: the front end runs first.

import { spawnSync } from "node:child_process";

const RETRIED = "COLANG_BIG_STACK";
const STACK_KB = 512 * 1024;
/** Exit status of the shell when the stack limit cannot be raised. */
const NO_STACK = 113;

export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack size/i.test(e.message);
}

/** Reruns this command with a bigger stack; its exit status, or null when it cannot (already retried, or the OS refuses). */
export function rerunWithBigStack(): number | null {
  if (process.env[RETRIED] === "1") return null;
  // V8's --stack-size must stay below the thread's real stack (ulimit -s), or it crashes instead of throwing.
  const script = `ulimit -s ${STACK_KB + 64 * 1024} 2>/dev/null || exit ${NO_STACK}; exec "$0" --stack-size=${STACK_KB} "$@"`;
  const r = spawnSync("/bin/sh", ["-c", script, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit", env: { ...process.env, [RETRIED]: "1" },
  });
  if (r.error || r.status === NO_STACK) return null;
  return r.status ?? 70;
}
