// The type checker's entry: resolves every name, gives every expression a type,
// and reports what is wrong with the program (collecting diagnostics and going
// on, with a poison type to keep one mistake from causing a cascade). Its
// output, the TypedProgram, is what the later stages read. The passes live in
// the files beside it, one per concern (docs/compiler.md lists them).

import type { LoadedProgram } from "../syntax/modules.js";
import type { Diagnostic } from "../diagnostics.js";
import { M } from "../messages.js";
import type { ModuleInfo, TypedProgram } from "./types.js";
import { declareNames, makePrelude, resolveSignatures } from "./declarations.js";
import { checkRecursiveTypes } from "./recursive-types.js";
import { report, type CheckContext, newContext } from "./context.js";
import { checkBodies } from "./statements.js";
import { workersLint } from "./lints.js";
import { checkTraitImpls } from "./trait-impls.js";
import { routePatternLint } from "./routes.js";
import { checkInitOrder, initialisationOrder } from "./init-order.js";

export function check(program: LoadedProgram, opts: { requireMain: boolean }): { value: TypedProgram; diagnostics: Diagnostic[] } {
  const cx = newContext(program);
  run(cx, opts.requireMain);
  return { value: cx.out, diagnostics: cx.diags };
}

function run(cx: CheckContext, requireMain: boolean): void {
  // Pass 1: modules and their top-level names.
  let id = 0;
  for (const lm of cx.program.modules) {
    const isEntry = lm.file === cx.program.entry;
    const mi: ModuleInfo = {
      id: id++, file: lm.file, alias: lm.alias, isEntry, isStd: lm.isStd, prefix: "", ast: lm.ast,
      imports: new Map(), fns: new Map(), structs: new Map(), enums: new Map(), traits: new Map(), globals: new Map(),
    };
    cx.modules.push(mi);
    cx.byFile.set(lm.file, mi);
  }
  for (const lm of cx.program.modules) {
    const mi = cx.byFile.get(lm.file)!;
    for (const [alias, file] of lm.imports) {
      const target = cx.byFile.get(file);
      if (target) mi.imports.set(alias, target);
    }
  }
  cx.out.modules = cx.modules;
  cx.out.entry = cx.modules.find((m) => m.isEntry) ?? cx.modules[cx.modules.length - 1];
  makePrelude(cx);
  for (const m of cx.modules) declareNames(cx, m);
  // Pass 2: signatures (types of fields, params, globals).
  for (const m of cx.modules) resolveSignatures(cx, m);
  checkRecursiveTypes(cx);
  checkTraitImpls(cx);
  // Pass 3: bodies.
  for (const m of cx.modules) checkBodies(cx, m);
  // The constant `const`s are initialised first; no initialiser reaches a later global through calls.
  cx.out.globals = initialisationOrder(cx.out.globals);
  cx.diags.push(...checkInitOrder(cx.out));
  workersLint(cx);
  routePatternLint(cx);
  if (cx.out.entry) {
    const main = cx.out.entry.fns.get("main");
    if (main) {
      cx.out.main = main;
      if (main.params.length > 0 || main.ret.k !== "unit") report(cx, M.badMain(main.decl.async, main.params.length > 0, main.ret.k !== "unit"), main.decl.nameSpan);
    } else if (requireMain) {
      report(cx, M.noMain(), { file: cx.out.entry.file, start: 0, end: 0, line: 1, col: 1 });
    }
  }
}
