// The order in which globals are initialised, and the check that no
// initialiser reads, through the functions it calls, a global whose
// initialiser has not run yet (E0141).
//
// Globals are initialised in order before `main`, imported modules first,
// except the constant `const`s: a `const` whose value is made of literals,
// operators, casts and other constant `const`s (no cycle) is initialised
// before every other global (after the constant `const`s it reads), so any
// initialiser may read it, directly or from a function it calls, wherever it
// is declared.
//
// A direct read of a later global in an initialiser is E0120 (same module) or
// E0140 (import cycle), reported where the read is checked (statements.ts).
// This pass follows the calls of each initialiser — functions, methods,
// associated functions, trait methods on a known type, and functions and
// closure literals handed to the built-in collection and helper methods,
// which call them at once — through the bodies of the functions they reach.
// Calls through function values (a parameter, a field, a variable holding a
// closure) and trait methods called through a type parameter's bound cannot
// be followed and are not.

import type * as A from "../syntax/ast.js";
import { at, type Diagnostic } from "../diagnostics.js";
import { M } from "../messages.js";
import { walkNested } from "../syntax/nested.js";
import type { FnInfo, GlobalInfo, ModuleInfo, TypedProgram } from "./types.js";

const constantMemo = new WeakMap<GlobalInfo, boolean>();

/** Whether `g` is a constant `const`: literals, operators, casts and other constant `const`s (not in a cycle). */
export function isConstantConst(g: GlobalInfo): boolean {
  if (g.decl.form !== "const") return false;
  let r = constantMemo.get(g);
  if (r === undefined) {
    constantMemo.set(g, false); // while it is computed: a cycle back to it is not constant
    r = constantDeps(g.decl.value, g, []) !== null;
    constantMemo.set(g, r);
  }
  return r;
}

/** The constant `const`s a constant expression reads (into `out`); null when it is not a constant expression. */
function constantDeps(e: A.Expr, g: GlobalInfo, out: GlobalInfo[]): GlobalInfo[] | null {
  const sub = (x: A.Expr): boolean => constantDeps(x, g, out) !== null;
  const ref = (t: GlobalInfo | undefined): boolean => !!t && isConstantConst(t) && (out.push(t), true);
  switch (e.kind) {
    case "IntLit": case "FloatLit": case "BoolLit": return out;
    case "StrLit": return e.parts.every((p) => p.kind !== "interp" || sub(p.expr)) ? out : null;
    case "Binary": return sub(e.left) && sub(e.right) ? out : null;
    case "Unary": case "Cast": return sub(e.operand) ? out : null;
    case "Ident": return ref(g.module.globals.get(e.name)) ? out : null;
    case "Field": return e.target.kind === "Ident" && ref(g.module.imports.get(e.target.name)?.globals.get(e.name)) ? out : null;
    default: return null;
  }
}

/** The initialisation order: the constant `const`s first (each after the ones it reads), then the other globals in declaration order. */
export function initialisationOrder(globals: readonly GlobalInfo[]): GlobalInfo[] {
  const out: GlobalInfo[] = [];
  const placed = new Set<GlobalInfo>();
  const place = (g: GlobalInfo): void => {
    if (placed.has(g)) return;
    placed.add(g);
    for (const d of constantDeps(g.decl.value, g, [])!) place(d);
    out.push(g);
  };
  for (const g of globals) if (isConstantConst(g)) place(g);
  return [...out, ...globals.filter((g) => !isConstantConst(g))];
}

type Read = { g: GlobalInfo; span: A.Span; assigns: boolean }; // assigns: the target of a plain `=`
type Event = Read | { f: FnInfo; span: A.Span };

/** Collection and helper methods that keep a function value rather than call it. */
const STORES = new Set(["push", "insert", "set", "add", "extend", "append", "unshift", "fill"]);

/** The globals a body reads and the functions it calls, in source order. */
function events(p: TypedProgram, body: A.Block | A.Expr): Event[] {
  const out: Event[] = [];
  const assigned = new Set<A.Expr>();
  const visit = (b: A.Block | A.Expr): void => walkNested(b, {
    stmt(s) { if (s.kind === "Assign" && s.op === "=") assigned.add(s.target); },
    expr(e) {
      if (e.kind === "Ident" || e.kind === "Field") {
        const r = p.refs.get(e);
        if (r?.kind === "global") out.push({ g: r.g, span: e.span, assigns: assigned.has(e) });
      }
      if (e.kind !== "Call") return;
      const c = p.calls.get(e);
      if (!c) return;
      if (c.kind === "fn" || c.kind === "method") out.push({ f: c.f, span: e.span });
      else if (c.kind === "traitMethod") {
        const t = c.recvType;
        const f = t.k === "struct" || t.k === "enum" ? t.info.methods.get(c.name) : undefined;
        if (f) out.push({ f, span: e.span });
      } else if ((c.kind === "collection" || c.kind === "helper") && !STORES.has(c.name)) {
        for (const a of e.args) {
          if (a.kind === "Closure") visit(a.body);
          else { const r = p.refs.get(a); if (r?.kind === "fn") out.push({ f: r.f, span: a.span }); }
        }
      }
    },
  });
  visit(body);
  return out;
}

const modName = (m: ModuleInfo): string => m.file.split(/[\\/]/).pop()!.replace(/\.co$/, "");

/** How a function is named from module `from`. */
function fnName(f: FnInfo, from: ModuleInfo): string {
  const base = f.owner ? `${f.owner.name}.${f.name}` : f.name;
  return f.module === from || f.module.isStd && !f.owner ? base : `${modName(f.module)}.${base}`;
}

/**
 * E0141: every read of a global not yet initialised, reached from a global's
 * initialiser through the functions it calls. Reported at the call in the
 * initialiser, with the chain of calls to the read.
 */
export function checkInitOrder(p: TypedProgram): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const index = new Map(p.globals.map((g, i) => [g, i]));
  const memo = new Map<FnInfo, Event[]>();
  const eventsOf = (f: FnInfo): Event[] => {
    let ev = memo.get(f);
    if (!ev) { ev = f.decl.body ? events(p, f.decl.body) : []; memo.set(f, ev); }
    return ev;
  };
  for (const cur of p.globals) {
    if (isConstantConst(cur)) continue;
    const at0 = index.get(cur)!;
    const late = (g: GlobalInfo): boolean => !isConstantConst(g) && (index.get(g) ?? -1) >= at0;
    for (const ev of events(p, cur.decl.value)) {
      if (!("f" in ev)) continue; // a direct read: E0120 or E0140 where it is checked
      const found = firstLateRead(ev.f, eventsOf, late);
      if (found) diags.push(report(cur, ev.span, found.chain, found.read));
    }
  }
  return diags;
}

/** Breadth first from `start`: the shortest chain of calls to a read of a late global. */
function firstLateRead(start: FnInfo, eventsOf: (f: FnInfo) => Event[], late: (g: GlobalInfo) => boolean):
  { chain: FnInfo[]; read: Read } | null {
  const parent = new Map<FnInfo, FnInfo | null>([[start, null]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const f = queue[i];
    for (const ev of eventsOf(f)) {
      if ("g" in ev) {
        if (!late(ev.g)) continue;
        const chain: FnInfo[] = [];
        for (let x: FnInfo | null = f; x; x = parent.get(x) ?? null) chain.unshift(x);
        return { chain, read: ev };
      }
      if (!parent.has(ev.f)) { parent.set(ev.f, f); queue.push(ev.f); }
    }
  }
  return null;
}

function report(cur: GlobalInfo, span: A.Span, chain: FnInfo[], read: Read): Diagnostic {
  const g = read.g;
  const names = chain.map((f) => fnName(f, cur.module));
  const other = g.module !== cur.module;
  const gName = other ? `${modName(g.module)}.${g.name}` : g.name;
  const where = other ? `line ${g.decl.span.line} of module \`${modName(g.module)}\`` : `line ${g.decl.span.line}`;
  let fix: string;
  if (other) {
    fix = `the modules \`${modName(g.module)}\` and \`${modName(cur.module)}\` import each other, and \`${modName(g.module)}\` is initialised second: ` +
      `move the value into a function (\`${cur.pub ? "pub " : ""}fn ${cur.name}()\`), or break the import cycle`;
  } else if (g === cur) {
    fix = `\`${names[names.length - 1]}\` cannot read \`${g.name}\` while its value is being computed: compute the value in \`main\`, or pass what the function needs as parameters`;
  } else {
    fix = `move \`${cur.decl.form} ${cur.name}\` below \`${g.decl.form} ${g.name}\``;
  }
  return at(M.initReadsLater(cur.name, names, read.assigns ? "assigns" : "reads", gName, g === cur, where, fix), span,
    { message: `\`${gName}\` is ${read.assigns ? "assigned" : "read"} here`, span: read.span },
    { message: `\`${gName}\` is declared here`, span: g.decl.nameSpan });
}
