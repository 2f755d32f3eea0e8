// The compiler builds a Request's headers map only when the program can read
// it (src/emit/http-headers.ts): `#define CO_HTTP_NO_HEADERS` in the C of a
// program that never does, and not in one that reads `req.headers`, calls
// `req.header(name)`, or prints, compares or encodes a value holding a
// Request. Each case is compiled to C; the served behaviour of both kinds is
// in tests/run-http.ts (examples/hello-http reads no header, tests/http/server.co
// does) and tests/programs/http_request_headers.co.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontEnd } from "../../src/driver.js";

function cOf(body: string, extra = ""): string {
  const src = `import std/http\nimport std/json\n${extra}\nasync fn h(req: http.Request): http.Response {\n${body}\n}\nfn main() {\n  http.serve(0, h).close()\n}\n`;
  const r = frontEnd({ entry: "t.co", files: new Map([["t.co", src]]), emit: true });
  const errs = r.diagnostics.filter((d) => d.severity === "error");
  assert.equal(errs.map((d) => d.message), [], "compiles");
  assert.ok(r.c, "C emitted");
  return r.c!;
}
const built = (c: string): boolean => !c.includes("#define CO_HTTP_NO_HEADERS");

test("a handler that reads no header: the map is not built", () => {
  assert.is(built(cOf(`return http.text("{req.method} {req.path} {req.query.get("a") ?? "-"} {req.body}")`)), false);
});

test("req.header(name), req.headers, a loop over them: built", () => {
  assert.is(built(cOf(`return http.text(req.header("x-a") ?? "-")`)), true);
  assert.is(built(cOf(`return http.text("{req.headers.len()}")`)), true);
  assert.is(built(cOf(`var n = 0\n  for (k, v) in req.headers { n += k.len() + v.len() }\n  return http.text("{n}")`)), true);
});

test("only in reachable code: a helper that reads them but is never called does not count", () => {
  assert.is(built(cOf(`return http.text("ok")`, `fn unused(req: http.Request): int { return req.headers.len() }`)), false);
  assert.is(built(cOf(`return http.text("{count(req)}")`, `fn count(req: http.Request): int { return req.headers.len() }`)), true);
});

test("through a value holding a Request: a field of a struct, printed, compared", () => {
  const ctx = `struct Ctx { req: http.Request, n: int }`;
  assert.is(built(cOf(`let c = Ctx { req, n: 1 }\n  return http.text("{c.req.headers.len()}")`, ctx)), true);
  assert.is(built(cOf(`let c = Ctx { req, n: 1 }\n  return http.text("{c.n}")`, ctx)), false);
  assert.is(built(cOf(`return http.text("{req}")`)), true);
  assert.is(built(cOf(`let c = Ctx { req, n: 1 }\n  return http.text("{c}")`, ctx)), true);
  assert.is(built(cOf(`let v = [req]\n  return http.text("{v}")`)), true);
});

test.run();
