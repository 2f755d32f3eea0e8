// The state the borrow walk shares across function bodies (borrows.ts): the summaries computed to a fixpoint,
// the copies and diagnostics found, and the source text the fixes quote; and the text helpers of the fixes.

import { basename } from "node:path";
import type * as A from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Type, TypedProgram, FnInfo, GlobalInfo } from "../check/types.js";
import { type Summary, containsCollection, union } from "./borrow-roots.js";
import type { Need, Site } from "./safepoint-callers.js";

export class Analysis {
  readonly summaries = new Map<FnInfo, Summary>();
  readonly diagnostics: Diagnostic[] = [];
  readonly copies = new Map<A.Expr, Type>();
  /** Borrowed values stored into memory a function or closure body does not own: copied at the store. */
  readonly storeCopies = new Map<A.Expr, Type>();
  /** Loops whose back-edge is a safe point (safepoint-callers.ts, from what the recording walk found). */
  safepoints = new Set<A.Stmt>();
  /** The recording walk (Flow.record): each loop that may queue drops, with its function and what its back-edge
   *  needs to be a safe point (joined over every walk of it); each direct call of a program's function. */
  readonly loopNeeds = new Map<A.Stmt, { f: FnInfo; at: Need }>();
  readonly sites = new Map<A.Expr, Site>();
  /** Sync functions whose calls cannot queue a drop (borrow-loops.ts, quietFns): a loop calling only these gets no safe point. */
  quiet: ReadonlySet<FnInfo> = new Set();
  /** Async closures whose captures own heap memory: each frame copies them (the environment may be in global memory). */
  readonly captureCopies = new Map<A.Expr, { types: Type[]; captures: number[] }>();
  /** Values returned by closure bodies that may point into global state: copied at the return. */
  readonly returnCopies = new Map<A.Expr, Type>();
  changed = false;
  readonly reported = new Set<string>();
  /** Per closure literal, the parameters its body changes (borrow-closures.ts closureChanges). */
  readonly closureChanged = new Map<A.Expr, Map<number, A.Span>>();
  /** Locals bound once to a closure literal or a named function (`let f = pushInto`), by local id: what calling them calls. */
  readonly fnValueOf = new Map<number, A.Expr>();
  constructor(readonly p: TypedProgram, readonly sources: ReadonlyMap<string, string>) {}

  text(s: A.Span): string { return this.sources.get(s.file)?.slice(s.start, s.end) ?? ""; }
  typeOf(e: A.Expr): Type { return this.p.exprTypes.get(e) ?? { k: "error" }; }

  summary(f: FnInfo): Summary { return this.summaries.get(f) ?? { ret: [], acrossAwait: new Set(), escapes: new Set(), mutates: new Set(), mutatesInside: new Set(), changesColl: new Set() }; }

  /** Joins a body's new summary into what earlier rounds found: summaries only grow, over finite sets (roots are told
   *  apart by global, span and directness, spans being the program's), so the rounds reach a fixpoint. */
  setSummary(f: FnInfo, s: Summary): void {
    const old = this.summary(f);
    const joined: Summary = {
      ret: union(old.ret, s.ret), acrossAwait: new Set([...old.acrossAwait, ...s.acrossAwait]), escapes: new Set([...old.escapes, ...s.escapes]),
      mutates: new Set([...old.mutates, ...s.mutates]), mutatesInside: new Set([...old.mutatesInside, ...s.mutatesInside]), changesColl: new Set([...old.changesColl, ...s.changesColl]),
      changedAt: new Map([...(s.changedAt ?? []), ...(old.changedAt ?? [])]),
    };
    if (joined.ret.length !== old.ret.length || joined.acrossAwait.size !== old.acrossAwait.size || joined.escapes.size !== old.escapes.size || joined.mutates.size !== old.mutates.size || joined.mutatesInside.size !== old.mutatesInside.size || joined.changesColl.size !== old.changesColl.size) this.changed = true;
    this.summaries.set(f, joined);
  }

  report(key: string, d: Diagnostic): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(d);
  }

  /** A module-level value that is never replaced, removed or mutated cannot be freed while borrowed. */
  stable(g: GlobalInfo): boolean { return !g.mutable && !containsCollection(g.type); }
}

/** An expression as the receiver of `.clone()`: `(m.get(k) ?? []).clone()`. */
export function parenthesized(text: string): string {
  let depth = 0, quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === "\\") i++; else if (c === '"') quote = false; continue; }
    if (c === '"') quote = true;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && /^\s(\?\?|\|\||&&|[-+*\/%<>]=?|==|!=)\s/.test(text.slice(i, i + 4))) return `(${text})`;
  }
  return text;
}

/** The std externs whose result may share the bytes of a string argument (the rest copy what they return), named by
 *  the std file they are declared in (not by the alias a program imports it under: `import std/json as j`). */
const VIEW_EXTERNS = new Set(["json.decode", "http._decode"]);
export function returnsView(f: FnInfo): boolean {
  return f.module.isStd && VIEW_EXTERNS.has(`${basename(f.module.file, ".co")}.${f.name}`);
}

/** The part of a literal (an element, a field's value) that holds a borrow read at `at`, or `at` itself. */
export function partSpan(x: A.Expr, at: A.Span): A.Span {
  const parts = x.kind === "VecLit" || x.kind === "TupleLit" ? x.elems : x.kind === "StructLit" ? x.fields.map((f) => f.value) : [];
  const p = parts.find((e) => e.span.file === at.file && e.span.start <= at.start && at.end <= e.span.end);
  return p ? partSpan(p, at) === at ? p.span : partSpan(p, at) : at;
}
