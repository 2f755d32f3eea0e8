// The statement tree of the body being emitted: the FnEmitter adds IR
// statements (src/lower/ir.ts) here instead of writing lines of C, and
// src/emit/print.ts prints the whole tree, so the emitter tracks neither
// indentation nor braces. A compound statement's parts are built by `nest`,
// which collects what its callback adds into a list of their own.
//
// Source locations: a Colang statement announces its location before it
// emits anything (`at`); the location goes to the next IR statement added to
// the same list, which the printer writes after a `#line` directive. A
// location nothing claims (the Colang statement emitted no C, or another
// location came first) becomes an `empty` statement that carries it, so every
// directive stays where the text emitter wrote it.

import type * as A from "../syntax/ast.js";
import type { Expr, Loc, Stmt } from "../lower/ir.js";

/** A C expression from the string emitter (the bridge while expressions move onto the IR). */
export const C = (text: string): Expr => ({ e: "c", text });

export class BodyIr {
  private readonly root: Stmt[] = [];
  private out: Stmt[] = this.root;
  private pending: Loc | null = null;

  /** The location of the Colang statement about to be emitted. */
  at(span: A.Span): void {
    this.flush();
    this.pending = { file: span.file, line: span.line, col: span.col };
  }

  add(s: Stmt): void {
    if (this.pending && s.src) this.flush();
    if (this.pending) { s.src = this.pending; this.pending = null; }
    this.out.push(s);
  }

  addAll(ss: Stmt[]): void { for (const s of ss) this.add(s); }

  /** The statements f adds, as a list of their own (a branch, a loop body, a block). */
  nest(f: () => void): Stmt[] {
    const saved = this.out, savedAt = this.pending;
    this.out = [];
    this.pending = null;
    try {
      f();
      this.flush();
      return this.out;
    } finally {
      this.out = saved;
      this.pending = savedAt;
    }
  }

  /** The whole body (no statement may be added after this). */
  finish(): Stmt[] { this.flush(); return this.root; }

  private flush(): void {
    if (this.pending) { this.out.push({ s: "empty", src: this.pending }); this.pending = null; }
  }
}
