// Import resolution: starting from the entry file, parse every module the
// program imports (relative `./x` files and `std/x` modules), once each, and
// report imports that cannot be found. Reading files is injected by the driver.

import * as path from "node:path";
import type { Module, Span } from "./ast.js";
import { at, type Diagnostic } from "../diagnostics.js";
import { M } from "../messages.js";
import { parseModule } from "./parse.js";
import { regionPerAwaitingLoop } from "./loops.js";

export interface SourceFile { path: string; text: string | null; error?: Diagnostic }

/** Reads a source file; returns null text when it does not exist. */
export type ReadSource = (file: string) => SourceFile;

export interface LoadedModule {
  file: string; // normalised path used in spans
  ast: Module;
  isStd: boolean;
  alias: string;
  imports: Map<string, string>; // alias -> file of the imported module
}

export interface LoadedProgram {
  entry: string;
  modules: LoadedModule[]; // dependencies before dependents, entry last
  sources: Map<string, string>;
}

export const STD_MODULES = new Set<string>(["time", "fs", "os", "io", "runtime", "http", "json", "net", "random"]); // std modules that exist so far (std/*.co)

export function loadProgram(entry: string, read: ReadSource, stdDir: string): { value: LoadedProgram; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const byFile = new Map<string, LoadedModule | null>();
  const order: LoadedModule[] = [];
  const entryFile = path.normalize(entry);
  const userAlias = new Map<string, string>();   // module file -> the alias its first importer outside std/ gave it

  const visit = (file: string, isStd: boolean, alias: string, from: Span | null): void => {
    if (byFile.has(file)) return;
    const src = read(file);
    if (src.error) { diagnostics.push(src.error); byFile.set(file, null); return; }
    if (src.text === null) {
      if (from) diagnostics.push(at(M.moduleNotFound(alias, file), from));
      byFile.set(file, null);
      return;
    }
    sources.set(file, src.text);
    const parsed = parseModule(file, src.text);
    diagnostics.push(...parsed.diagnostics);
    byFile.set(file, null); // placeholder: breaks import cycles
    if (!parsed.value) return;
    const deep = tooDeep(parsed.value);
    if (deep) { diagnostics.push(at(M.nestingTooDeep(MAX_TREE_DEPTH), deep)); return; }
    regionPerAwaitingLoop(parsed.value);
    const mod: LoadedModule = { file, ast: parsed.value, isStd, alias, imports: new Map() };
    for (const d of parsed.value.decls) {
      if (d.kind !== "Import") continue;
      const target = d.std ? path.join(stdDir, d.path + ".co") : path.normalize(path.join(path.dirname(file), d.path + ".co"));
      if (mod.imports.has(d.alias)) {
        const written = src.text.slice(d.span.start, d.span.end).replace(/\s+as\s+\w+\s*$/, "").trim();
        diagnostics.push(at(M.duplicateImport(d.alias, mod.imports.get(d.alias) === target ? null : `${written} as ${d.alias}2`), d.span));
        continue;
      }
      // Recorded even when the module cannot be loaded, so that uses of the
      // alias are not reported a second time as unknown names.
      mod.imports.set(d.alias, target);
      if (!isStd && !userAlias.has(target)) userAlias.set(target, d.alias);
      if (d.std && !STD_MODULES.has(d.path)) {
        diagnostics.push(at(M.unsupported(`module \`std/${d.path}\` (the standard library grows with later work)`), d.span));
        continue;
      }
      visit(target, d.std, d.alias, d.span);
    }
    // `runtime` (std/runtime: runtime.stats()) is visible in every module, as `math` is.
    const declares = (name: string) => parsed.value!.decls.some((d) => "name" in d && d.name === name);
    if (!isStd && !mod.imports.has("runtime") && !declares("runtime")) {
      const target = path.join(stdDir, "runtime.co");
      mod.imports.set("runtime", target);
      // Implicit, so a missing std/runtime.co is reported at the top of the module that needed it.
      visit(target, true, "std/runtime", { file, start: 0, end: 0, line: 1, col: 1 });
    }
    byFile.set(file, mod);
    order.push(mod);
  };
  visit(entryFile, false, "", null);
  // A module's alias names it in diagnostics (and C names): a std module
  // first imported by another std module under an internal alias (`import
  // std/json as jsonc` in std/http.co) is named as the program imports it,
  // or by its own name, never by that internal alias.
  for (const mod of order) if (mod.isStd) mod.alias = userAlias.get(mod.file) ?? path.basename(mod.file, ".co");
  if (!sources.has(entryFile) && !diagnostics.length) {
    diagnostics.push(at(M.moduleNotFound(entry, entryFile), { file: entryFile, start: 0, end: 0, line: 1, col: 1 }));
  }
  return { value: { entry: entryFile, modules: order, sources }, diagnostics };
}

/** Later stages recurse over the tree; past this depth they could exhaust the JS stack. */
const MAX_TREE_DEPTH = 1000;
/**
 * A link of a left-associative operator chain (`1 + 1 + ... + 1`) is not
 * nesting the programmer wrote: it counts 1/CHAIN_WEIGHT of a level, so a
 * chain of up to MAX_TREE_DEPTH * CHAIN_WEIGHT terms is accepted. The stages
 * still recurse through it; the CLI reruns a compilation that exhausts the
 * default JS stack with a bigger one (cli.ts).
 */
const CHAIN_WEIGHT = 20;

/** The span of the first node nested deeper than MAX_TREE_DEPTH, found without recursion. */
function tooDeep(root: Module): Span | null {
  const stack: [unknown, number, Span | null][] = [[root, 0, null]];
  const limit = MAX_TREE_DEPTH * CHAIN_WEIGHT;
  while (stack.length) {
    const [node, depth, span] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) { for (const x of node) stack.push([x, depth, span]); continue; }
    const o = node as Record<string, unknown>;
    const here = (o.span as Span | undefined) ?? span;
    const d = "kind" in o ? depth + CHAIN_WEIGHT : depth;
    if (d > limit) return here;
    const left = o.kind === "Binary" ? o.left as Record<string, unknown> : null;
    for (const [k, v] of Object.entries(o)) {
      if (k === "span" || k === "nameSpan" || v === null || typeof v !== "object") continue;
      // The chain link's own level is charged as one unit instead of a whole level.
      if (v === left && left.kind === "Binary") stack.push([v, d - CHAIN_WEIGHT + 1, here]);
      else stack.push([v, d, here]);
    }
  }
  return null;
}
