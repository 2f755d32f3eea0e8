// Printers for the intermediate forms (`coc dump --stage=ast|typed`): an
// indented tree, one node a line, stable enough for golden tests. The typed
// form adds each expression's type and what each name resolves to.

import type { LoadedProgram } from "./syntax/modules.js";
import { showType, type TypedProgram, type Type } from "./check/types.js";
import type { IrProgram } from "./lower/ir.js";
import { showFunc, showBody } from "./lower/print-ir.js";
import { showInstances } from "./lower/mono.js";

type Annotate = (node: object) => string;

function printTree(root: object, annotate: Annotate): string {
  const out: string[] = [];
  const visit = (node: unknown, indent: string, label: string): void => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) {
      if (node.length === 0) return;
      node.forEach((x, i) => visit(x, indent, `${label}[${i}]`));
      return;
    }
    if (typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    const kind = typeof o.kind === "string" ? o.kind : "";
    const span = o.span as { line: number; col: number } | undefined;
    const scalars: string[] = [];
    const children: [string, unknown][] = [];
    for (const [k, v] of Object.entries(o)) {
      if (k === "kind" || k === "span" || k === "nameSpan") continue;
      if (typeof v === "bigint") scalars.push(`${k}=${v}`);
      else if (typeof v === "string") scalars.push(`${k}=${JSON.stringify(v)}`);
      else if (typeof v === "number" || typeof v === "boolean") scalars.push(`${k}=${v}`);
      else if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x !== "object")) scalars.push(`${k}=${v.map((x) => JSON.stringify(typeof x === "bigint" ? String(x) : x)).join(".")}`);
      else if (v !== null && v !== undefined) children.push([k, v]);
    }
    const at = span ? ` @${span.line}:${span.col}` : "";
    out.push(`${indent}${label ? label + ": " : ""}${kind || "-"}${at}${scalars.length ? " " + scalars.join(" ") : ""}${annotate(o)}`);
    for (const [k, v] of children) visit(v, indent + "  ", k);
  };
  visit(root, "", "");
  return out.join("\n") + "\n";
}

export function dumpAst(p: LoadedProgram): string {
  return p.modules.map((m) => `== ${m.file}\n` + printTree(m.ast, () => "")).join("");
}

export function dumpTyped(t: TypedProgram): string {
  const annotate: Annotate = (node) => {
    const bits: string[] = [];
    const ty = t.exprTypes.get(node as never);
    if (ty) bits.push(`: ${showType(ty)}`);
    const ref = t.refs.get(node as never);
    if (ref) bits.push(ref.kind === "local" ? ` -> local ${ref.v.cname}` : ref.kind === "global" ? ` -> global ${ref.g.cname}` : ref.kind === "fn" ? ` -> fn ${ref.f.cname}` : ` -> variant ${ref.variant.name}`);
    const call = t.calls.get(node as never);
    if (call) {
      const args = (ts: Type[]) => (ts.length ? `<${ts.map((t) => showType(t)).join(", ")}>` : "");
      switch (call.kind) {
        case "fn": case "method": bits.push(` calls ${call.f.cname}${args(call.typeArgs)}`); break;
        case "variant": bits.push(` builds ${call.variant.name}`); break;
        case "traitMethod": bits.push(` calls ${call.trait.name}.${call.name} on ${showType(call.recvType)}`); break;
        case "closure": bits.push(" calls a function value"); break;
        case "clone": bits.push(" deep-copies its receiver"); break;
        default: bits.push(` calls ${call.kind}:${call.name}`);
      }
    }
    const local = t.patLocals.get(node as never);
    if (local) bits.push(` binds ${local.cname}: ${showType(local.type)}`);
    return bits.join("");
  };
  return t.modules.map((m) => `== ${m.file}\n` + printTree(m.ast, annotate)).join("");
}

/** The lowering IR of a program (`coc dump --stage=ir`): what has moved onto the IR so far. */
export function dumpIr(ir: IrProgram): string {
  const funcs = ir.funcs.length ? "// derived functions (src/lower/derive)\n" + ir.funcs.map(showFunc).join("\n") : "";
  const trees = ir.bodies.length
    ? "// function bodies (emit/body.ts): statements are IR; expressions are IR for literals, variables, paths, operators, checked arithmetic, calls of function instances, function values, mut self, collection and string methods, index reads and places, `!`, `?`, `??`, struct and tuple literals, with their operands' temporaries (emit/expr-ir*.ts), else C text (c{...} marks it; @N: source line N)\n" + ir.bodies.map(showBody).join("\n")
    : "";
  const coll = ir.collFns?.length ? "// collection functions (src/lower/coll-fns.ts)\n" + ir.collFns.map(showFunc).join("\n") : "";
  const helpers = ir.helperFns?.length
    ? "// helper functions (src/lower/helper-fns.ts): closure environments' clone and drop, function values' wrappers, collection operations dropping what they remove from global memory, unwrap's panic, recursive enums' zero values, map and set key hash and equality, an async main's future\n" + ir.helperFns.map(showFunc).join("\n")
    : "";
  const frames = ir.frames?.length
    ? "// async frames (emit/async.ts): each async body's constructor (allocates the frame, stores the arguments) and poll function (dispatch to the recorded resume point, the body, done); the body's statements as above\n" + ir.frames.map(showFunc).join("\n")
    : "";
  const main = ir.main ? "// the C main (src/lower/main-fn.ts): starts the runtime, runs the global initialiser, then main or the tests\n" + showFunc(ir.main) : "";
  const insts = ir.instances ? "// instances (src/lower/mono.ts): each with its substitution and why it is reachable; under it, its call sites\n" + showInstances(ir.instances) : "";
  return [insts, funcs, coll, helpers, main, trees, frames].filter((x) => x).join("\n") || "// nothing on the IR\n";
}
