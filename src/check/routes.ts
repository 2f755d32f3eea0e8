// http.Router patterns written as string literals are checked here, so a
// misplaced `*` or a nameless `:` is a compile error rather than a route that
// matches the wrong paths. std/http.co (`patternProblem`) applies the same
// rules at registration, as a panic, to patterns built at run time.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { report, type CheckContext } from "./context.js";

const ROUTE_METHODS: Record<string, number> = { get: 0, post: 0, put: 0, delete: 0, add: 1 };

/** Why the pattern is malformed, and how to write it, or null. */
export function routePatternProblem(pattern: string): { why: string; fix: string } | null {
  const parts = pattern.split("/").filter((s) => s !== "");
  const names = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === "*" && i + 1 < parts.length) {
      const head = "/" + parts.slice(0, i).join("/");
      return { why: "`*` matches the rest of the path, so it must be the last segment",
        fix: `end the pattern at \`*\` (\`${head === "/" ? "" : head}/*\`), or match one segment with a name: \`${"/" + parts.map((x, j) => j === i ? ":part" : x).join("/")}\`` };
    }
    if (p.startsWith("*") && p !== "*") {
      // `/files/*rest` (Express, Fastify habits): the rest is read as `req.param("*")` (tester round 11)
      return { why: `a \`*\` segment has no name (\`${p}\` would be a literal segment)`,
        fix: `write \`${"/" + parts.map((x, j) => j === i ? "*" : x).join("/")}\` and read the rest of the path with \`req.param("*")\`` };
    }
    if (p.startsWith(":")) {
      const name = p.slice(1);
      if (name === "") return { why: "a `:` needs a parameter name after it", fix: `name it: \`${"/" + parts.map((x, j) => j === i ? ":id" : x).join("/")}\`, read with \`req.param("id")\`` };
      if (names.has(name)) return { why: `the parameter \`:${name}\` appears twice (the second would overwrite the first)`, fix: `give each parameter its own name, e.g. \`:${name}2\`` };
      names.add(name);
    }
  }
  return null;
}

export function routePatternLint(cx: CheckContext): void {
  for (const [e, target] of cx.out.calls) {
    if (target.kind !== "method" || e.kind !== "Call") continue;
    const f = target.f;
    if (!f.module.isStd || !f.module.file.endsWith("http.co") || f.owner?.name !== "Router") continue;
    const at = ROUTE_METHODS[f.name];
    if (at === undefined) continue;
    const arg = e.args[at];
    if (arg?.kind === "StrLit" && !arg.raw) explainInterpolation(cx, arg);
    if (!arg || arg.kind !== "StrLit" || arg.parts.some((p) => p.kind !== "text")) continue;
    const text = arg.parts.map((p) => (p as A.StrPart).value).join("");
    const problem = routePatternProblem(text);
    if (problem) report(cx, M.badRoutePattern(text, problem.why, problem.fix), arg.span);
  }
}

/**
 * `r.get("/users/{id}", ...)`: the `{id}` interpolates, so E0100 says `id` is unknown. A route parameter
 * is written `:id`: the E0100s inside the pattern's interpolations get a note and the pattern rewritten.
 */
function explainInterpolation(cx: CheckContext, arg: Extract<A.Expr, { kind: "StrLit" }>): void {
  const inside = (s: A.Span) => arg.parts.some((p) => p.kind === "interp" && p.expr.span.file === s.file && p.expr.span.start <= s.start && s.end <= p.expr.span.end);
  const unknown = cx.diags.filter((d) => d.code === "E0100" && inside(d.span));
  if (!unknown.length) return;
  const names = arg.parts.map((p) => (p.kind === "text" ? null : p.expr.kind === "Ident" ? p.expr.name : null));
  const rewritten = arg.parts.every((p, i) => p.kind === "text" || names[i] !== null)
    ? arg.parts.map((p, i) => (p.kind === "text" ? p.value : `:${names[i]}`)).join("") : null;
  const first = names.find((n) => n !== null);
  for (const d of unknown) {
    d.notes.push({ message: "`{...}` in a string interpolates a value; in a route pattern, a parameter is written `:name`" });
    if (rewritten !== null && first) d.fix = `write the parameter with \`:\`: \`"${rewritten}"\`, and read it with \`req.param("${first}")\``;
  }
}
