// The compile-time check of route patterns (src/check/routes.ts, E0290) and
// the run-time one (std/http.co `patternProblem`, a panic at registration)
// must agree. The golden program tests/programs/http_route_patterns_agree.co
// registers each pattern of its PATTERNS list at run time; its expected
// output says which ones std/http accepts (`ok  P`) and its expected stderr
// which it rejects. This reads both and holds the compiler's rule to them, so
// a change to either side without the other fails here or in the golden run.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { routePatternProblem } from "../../src/check/routes.js";
import { frontEnd } from "../../src/driver.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const BASE = join(ROOT, "tests/programs/http_route_patterns_agree");

function patterns(): string[] {
  const src = readFileSync(BASE + ".co", "utf8");
  const m = /const PATTERNS = \[([^\]]*)\]/.exec(src);
  assert.ok(m, "PATTERNS not found in the golden program");
  return [...m![1].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
}

test("every pattern is either accepted or rejected by std/http, once", () => {
  const ps = patterns();
  const ok = readFileSync(BASE + ".out", "utf8").split("\n").filter((l) => l.startsWith("ok  ")).map((l) => l.slice(4));
  const bad = [...readFileSync(BASE + ".err", "utf8").matchAll(/bad route pattern "([^"]*)"/g)].map((x) => x[1]);
  assert.equal([...ok, ...bad].sort(), [...ps].sort());
  assert.ok(ok.length > 0 && bad.length > 0);
});

test("the compiler's rule agrees with std/http on every pattern", () => {
  const ok = new Set(readFileSync(BASE + ".out", "utf8").split("\n").filter((l) => l.startsWith("ok  ")).map((l) => l.slice(4)));
  for (const p of patterns()) {
    const problem = routePatternProblem(p);
    assert.is(problem === null, ok.has(p), `${p}: compiler says ${problem ? "bad (" + problem.why + ")" : "ok"}, std/http says ${ok.has(p) ? "ok" : "bad"}`);
  }
});

test("the same reason in both places", () => {
  const err = readFileSync(BASE + ".err", "utf8");
  for (const p of patterns()) {
    const problem = routePatternProblem(p);
    if (!problem) continue;
    const line = err.split("\n").find((l) => l.includes(`"${p}"`)) ?? "";
    // std/http's text may add an example; the compiler's starts the same way.
    const stem = problem.why.split(" (")[0];
    assert.ok(line.includes(stem), `${p}: "${stem}" not in: ${line}`);
  }
});

test("a literal pattern that std/http rejects is E0290 at compile time", () => {
  const src = 'import std/http\nasync fn h(req: http.Request): http.Response { return http.text("x") }\nfn main() {\n  let r = http.Router()\n  r.get("/a/*/b", h)\n}\n';
  const ds = frontEnd({ entry: "t.co", files: new Map([["t.co", src]]), emit: false }).diagnostics;
  assert.ok(ds.some((d) => d.code === "E0290"), ds.map((d) => d.code).join(","));
});

test.run();
