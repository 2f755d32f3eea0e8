// Emits the functions of the derive pass (src/lower/derive) that a program
// uses: each once, on first use, after the types and functions it needs. The
// string emitter (c.ts) hands its C operands over as IR bridge expressions.

import { deriveDisplay } from "./fn-names.js";
import type { FnInfo, Type } from "../check/types.js";
import { call, callees, type DeriveKind, type Expr, type Stmt } from "../lower/ir.js";
import { deriveFunc, eqExpr, hashExpr, showStmts, cloneExpr, promoteExpr, leaveExpr, restoreExpr, dropStmts } from "../lower/derive/index.js";
import { deriveName } from "./names.js";
import { printExpr, printFunc, printStmts, type PrintCtx } from "./print.js";
import { BuiltTexts } from "./text-ir.js";

export interface DerivedHost {
  defineType(t: Type): void;
  instance(f: FnInfo, typeArgs: Type[]): string;
  /** Adds a generated function: its prototype (declared before every body) and definition. */
  /** A derived function's C text, and its C and Colang names (for the stack-overflow panic). */
  addFunction(proto: string, def: string, cname: string, display: string): void;
}

/** A C expression of the string emitter, as an IR operand. */
const C = (text: string): Expr => ({ e: "c", text });

export class Derived {
  private done = new Set<string>();
  private ctx: PrintCtx;
  /** Every derived call scheduled (its kind and type), for passes that ask what a program does with a type (emit/http-headers.ts). */
  readonly calls: { kind: DeriveKind; type: Type }[] = [];
  /** The IR of every derived function emitted, in order (`coc dump --stage=ir`). */
  readonly funcs: ReturnType<typeof deriveFunc>[] = [];
  /** The texts of the derived calls built here over text operands, with their IR (text-ir.ts). */
  readonly built = new BuiltTexts();

  constructor(private host: DerivedHost) {
    this.ctx = { instance: (f, a) => host.instance(f, a) };
  }

  eq(t: Type, a: string, b: string): string { return this.expr(eqExpr(t, C(a), C(b))); }
  /** a == b on values of type t, as IR (its derived function scheduled). */
  eqIr(t: Type, a: Expr, b: Expr): Expr { const x = eqExpr(t, a, b); this.needAll([{ s: "expr", x }]); return x; }
  hash(t: Type, v: string): string { return this.expr(hashExpr(t, C(v))); }
  /** The hash of v (type t), as IR (its derived function scheduled). */
  hashIr(t: Type, v: Expr): Expr { const x = hashExpr(t, v); this.needAll([{ s: "expr", x }]); return x; }
  clone(t: Type, v: string): string { return this.expr(cloneExpr(t, C(v))); }
  /** A deep copy of the IR value x (of type t) in co_current, as IR (its derived functions scheduled). */
  cloneIr(t: Type, x: Expr): Expr { const c = cloneExpr(t, x); this.needAll([{ s: "expr", x: c }]); return c; }
  promote(dst: string, t: Type, v: string): string { return this.expr(promoteExpr(C(dst), t, C(v))); }
  /** v copied into region dst, as IR (its derived functions scheduled). */
  promoteIr(dst: Expr, t: Type, v: Expr): Expr { const x = promoteExpr(dst, t, v); this.needAll([{ s: "expr", x }]); return x; }
  /** The value storing v back into a slot of global memory that holds old (lower/derive/restore.ts), as IR. */
  restoreIr(t: Type, old: Expr, v: Expr): Expr { const x = restoreExpr(t, old, v); this.needAll([{ s: "expr", x }]); return x; }
  /** v leaving the block regions opened since region `since` for region dst (lower/derive/leave.ts). */
  leave(dst: string, since: string, t: Type, v: string): string { return this.expr(leaveExpr(C(dst), C(since), t, C(v))); }
  /** v leaving the block regions opened since region `since` for region dst, as IR (its derived functions scheduled). */
  leaveIr(dst: Expr, since: Expr, t: Type, v: Expr): Expr { const x = leaveExpr(dst, since, t, v); this.needAll([{ s: "expr", x }]); return x; }
  /** Statements (one line of C, or "" when t owns nothing) queueing the drop of v, a value just removed from global memory. */
  drop(t: Type, v: string): string {
    const ss = dropStmts(t, C(v));
    this.needAll(ss);
    return printStmts(ss, 0, this.ctx).join(" ");
  }
  /** The statements queueing the drop of v (IR, none when t owns nothing; their derived functions scheduled). */
  dropIr(t: Type, v: Expr): Stmt[] { const ss = dropStmts(t, v); this.needAll(ss); return ss; }
  /** The derived function `kind` of t called on args, as IR (scheduled now). */
  deriveIr(kind: DeriveKind, t: Type, ...args: Expr[]): Expr { const x = call({ c: "derive", kind, type: t }, ...args); this.needAll([{ s: "expr", x }]); return x; }
  /** `json.encode(v)`: a string. */
  jsonEncode(t: Type, v: string): string { return this.expr(call({ c: "derive", kind: "jsonStr", type: t }, C(v))); }
  /** `json.decode<T>(s)`, r being its `Result<T, json.Error>`. */
  jsonDecode(r: Type, s: string): string { return this.expr(call({ c: "derive", kind: "jsonDoc", type: r }, C(s))); }
  /** Statements (one line of C) appending v's text to the builder sb. */
  show(t: Type, sb: string, v: string, nested: boolean): string {
    const ss = showStmts(t, C(sb), C(v), nested);
    this.needAll(ss);
    return printStmts(ss, 0, this.ctx).join(" ");
  }

  /** The statements appending v's text to the builder sb, as IR (their derived functions scheduled). */
  showIr(t: Type, sb: Expr, v: Expr, nested: boolean): Stmt[] {
    const ss = showStmts(t, sb, v, nested);
    this.needAll(ss);
    return ss;
  }

  /** x (its derived functions scheduled) as the string emitter's text, recorded with x (text-ir.ts). */
  text(x: Expr): string { return this.expr(x); }

  private expr(x: Expr): string {
    this.needAll([{ s: "expr", x }]);
    return this.built.record(printExpr(x, this.ctx), x);
  }

  private needAll(body: Stmt[]): void {
    for (const c of callees({ name: { c: "rt", name: "" }, params: [], ret: null, body })) {
      if (c.c === "derive") { this.calls.push({ kind: c.kind, type: c.type }); this.ensure(c.kind, c.type); }
      else if (c.c === "coll") this.host.defineType(c.type);
    }
  }

  private ensure(kind: DeriveKind, t: Type): void {
    const name = deriveName(kind, t);
    if (this.done.has(name)) return;
    this.done.add(name);
    this.host.defineType(t);
    const f = deriveFunc(kind, t);
    this.funcs.push(f);
    this.needAll(f.body);
    const { proto, def } = printFunc(f, this.ctx);
    this.host.addFunction(proto, def, name, deriveDisplay(kind, t));
  }
}
