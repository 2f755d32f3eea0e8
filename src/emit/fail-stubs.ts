// The failure path of checked operations (integer overflow, division by zero,
// shift range, integer conversions; the runtime's arithmetic header): each site
// gets a stub, a cold, noinline, noreturn C function without arguments that
// calls the runtime's panic with the site's location, written once per
// distinct (failure, file, line, col). The checked helper receives the stub as
// a function pointer, which inlining turns into a direct call.
//
// Why: passing file, line and col to the panic costs three argument moves on
// the cold path of every check, and gcc's inliner counts them. That was enough
// to keep a small recursive function with two checked additions (a tree walk)
// from being inlined into itself, which made it 1.5x slower than the same C
// with `__builtin_add_overflow(...) -> abort()`. With a stub the failure path
// costs what a call to abort() costs. A conversion's stub takes one argument,
// the rejected value, which the panic message shows.
//
// The stubs are named co__fail_*, a generated prefix; they are not in the
// stack-overflow name table (emit/fn-names.ts), so a fault inside one is
// attributed like a fault in the runtime: to the Colang function below it.

import type * as A from "../syntax/ast.js";
import type { IntName } from "../check/types.js";
import { cStringLiteral } from "./names.js";

export type FailKind =
  | { k: "overflow" }
  | { k: "divZero" }
  | { k: "shift" }
  | { k: "convFloat" }
  | { k: "convInt"; from: "i" | "u"; to: IntName };

const TAG: Record<FailKind["k"], string> = { overflow: "ovf", divZero: "div0", shift: "shift", convFloat: "conv", convInt: "conv" };

export class FailStubs {
  private byKey = new Map<string, string>();
  /** The definitions, in the order first asked for; they call only the runtime, so they go before every function. */
  readonly defs: string[] = [];

  /** The C name of the stub for a failure of this kind at span. */
  stub(kind: FailKind, span: A.Span): string {
    const what = kind.k === "convInt" ? `${kind.k}:${kind.from}:${kind.to}` : kind.k;
    const key = `${what}\0${span.file}\0${span.line}\0${span.col}`;
    let name = this.byKey.get(key);
    if (name) return name;
    name = `co__fail_${TAG[kind.k]}_${this.byKey.size + 1}`;
    this.byKey.set(key, name);
    const loc = `${cStringLiteral(span.file).lit}, ${span.line}, ${span.col}`;
    const attrs = "static __attribute__((cold, noinline, noreturn)) void";
    switch (kind.k) {
      case "overflow": this.defs.push(`${attrs} ${name}(void) { co__overflow(${loc}); }`); break;
      case "divZero": this.defs.push(`${attrs} ${name}(void) { co__div_zero(${loc}); }`); break;
      case "shift": this.defs.push(`${attrs} ${name}(void) { co__shift_range(${loc}); }`); break;
      case "convFloat": this.defs.push(`${attrs} ${name}(void) { co__conv_fail_f(${loc}); }`); break;
      case "convInt": {
        const t = kind.from === "i" ? "int64_t" : "uint64_t";
        this.defs.push(`${attrs} ${name}(${t} v) { co__conv_fail_${kind.from}(v, "${kind.to}", ${loc}); }`);
        break;
      }
    }
    return name;
  }
}

const OPS: Partial<Record<A.BinOp, string>> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem", "<<": "shl", ">>": "shr" };

/** A checked runtime call: the runtime function and the failure stubs passed after its operands, requested in that order. */
export interface Checked { fn: string; stubs: string[] }

/** The checked runtime call for `l op r` on integers of type n (its stubs requested now), or null when op is not a checked operator. */
export function checkedBinaryCall(fails: FailStubs, op: A.BinOp, n: IntName, span: A.Span): Checked | null {
  const fn = OPS[op];
  if (!fn) return null;
  const ovf = () => fails.stub({ k: "overflow" }, span);
  let stubs: string[];
  if (fn === "shl" || fn === "shr") stubs = [fails.stub({ k: "shift" }, span)];
  else if (fn === "div" || fn === "rem") stubs = n[0] === "i" ? [fails.stub({ k: "divZero" }, span), ovf()] : [fails.stub({ k: "divZero" }, span)];
  else stubs = [ovf()];
  return { fn: `co_${fn}_${n}`, stubs };
}

/** The checked runtime call negating a signed integer of type n. */
export function checkedNegCall(fails: FailStubs, n: IntName, span: A.Span): Checked {
  return { fn: `co_neg_${n}`, stubs: [fails.stub({ k: "overflow" }, span)] };
}

/** The checked runtime call converting from `from` (an integer or float type name) to the integer type `to`. */
export function checkedConvCall(fails: FailStubs, from: IntName | "f64" | "f32", to: IntName, span: A.Span): Checked {
  const kind: FailKind = from[0] === "f" ? { k: "convFloat" } : { k: "convInt", from: from[0] === "i" ? "i" : "u", to };
  return { fn: `co_conv_${from}_${to}`, stubs: [fails.stub(kind, span)] };
}

const text = (c: Checked, ...operands: string[]): string => `${c.fn}(${[...operands, ...c.stubs].join(", ")})`;

/** The checked C call `l op r` on integers of type n, or null when op is not a checked operator. */
export function checkedBinary(fails: FailStubs, op: A.BinOp, n: IntName, l: string, r: string, span: A.Span): string | null {
  const c = checkedBinaryCall(fails, op, n, span);
  return c && text(c, l, r);
}

/** The checked negation of v (a signed integer of type n). */
export function checkedNeg(fails: FailStubs, n: IntName, v: string, span: A.Span): string {
  return text(checkedNegCall(fails, n, span), v);
}

/** The checked conversion of v from `from` (an integer or float type name) to the integer type `to`. */
export function checkedConv(fails: FailStubs, from: IntName | "f64" | "f32", to: IntName, v: string, span: A.Span): string {
  return text(checkedConvCall(fails, from, to, span), v);
}
