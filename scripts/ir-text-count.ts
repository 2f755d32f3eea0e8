// Counts the statement lines the lowering IR still carries as C text (issue 8:
// function bodies moving from the string emitter onto the IR). Over every
// golden program, example, tests/memory and tests/ir program (the corpus of
// scripts/c-identical.ts; test mode too for files holding tests), it lowers
// and emits each one and walks the IR (derived functions, bodies, async
// frames, the generated functions, the C main):
//
//   - statement lines: one per statement, as `coc dump --stage=ir` writes
//     them (`row` and `empty` none, their statements their own);
//   - statements with a C expression: the statement lines holding
//     `{ e: "c" }` text somewhere (`c{...}` in the dump, other than a
//     declaration's C type), by statement kind and by the text's first word.
//     (The IR has no C text statements since stop 31: the `c` and `cnest`
//     statements are gone.)
//
//   - lookups: the IR expression nodes of statements that a text lookup gave
//     back (src/emit/lookup-marks.ts: a variable by its C name, the IR
//     remembered with a printed text, a recorded text, `x->owner`, a leaf
//     read from text), by path: the outermost ones, and all with those
//     looked up inside them;
//   - layout hints: the nodes carrying each (`paren`, `bare`, `own`, `flat`,
//     `short`, `keepElse`; a block's `inline`, `row`).
//
//   node dist/scripts/ir-text-count.js [REPO] [--top N] [--show LABEL] [--files]
//        [--corpus DIR,DIR] [--no-test-mode]
//
// REPO (default: this checkout) has dist/ built. --show LABEL prints the text
// of every line under that label (an `expr:KIND:WORD`, or
// `all`: every label); --files
// lists, per label, the files that hold it.

import { existsSync, readFileSync } from "node:fs";
import { join, dirname, basename, resolve, relative } from "node:path";
import { coFiles } from "./co-files.js";
import { pathToFileURL, fileURLToPath } from "node:url";
import type { Expr, IrProgram, Stmt, IrType } from "../src/lower/ir.js";

interface Driver { frontEnd(o: { entry: string; emit?: boolean; test?: boolean; dir?: string }): { ir: IrProgram | null } }

const args = process.argv.slice(2);
const opt = (name: string, d: string): string => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : d; };
const flag = (name: string): boolean => { const i = args.indexOf(name); if (i >= 0) args.splice(i, 1); return i >= 0; };
const top = Number(opt("--top", "40"));
const show = opt("--show", "");
const files = flag("--files");
const noTests = flag("--no-test-mode");
const groups = opt("--corpus", "tests/programs,examples,tests/memory,tests/ir").split(",");
const repo = resolve(args[0] ?? join(dirname(fileURLToPath(import.meta.url)), "..", ".."));


/** The operands of an IR expression, in order. */
function kids(x: Expr): Expr[] {
  switch (x.e) {
    case "call": return [...(x.f.c === "value" || x.f.c === "ptr" ? [x.f.fn] : []), ...x.args];
    case "fnValue": return [x.env];
    case "field": case "elem": case "tag": case "payload": case "box": case "has": case "val": case "len": case "strLen": case "strPtr": case "dot": case "env": case "addr": return [x.of];
    case "strOf": return [x.ptr, x.len];
    case "at": case "index": return [x.of, x.i];
    case "deref": case "arrow": case "sizeofDeref": case "view": return [x.p];
    case "bin": return [x.l, x.r];
    case "seq": return [x.first, x.then];
    case "not": case "unop": case "bitnot": case "cast": case "paren": case "unlikely": case "some": case "inc": return [x.x];
    case "cond": return [x.c, x.a, x.b];
    case "variant": return [...x.fields, ...(x.box ? [x.box] : [])];
    case "optional": return [x.has, x.v];
    case "struct": return x.fields.map((f) => f.v);
    case "tuple": case "array": return x.elems;
    case "envClone": return [x.fnv];
    case "set": return [x.to, x.v];
    default: return [];
  }
}

/** The C text an expression holds (`{ e: "c" }` nodes), outermost first. */
function cTexts(x: Expr, out: string[]): void {
  if (x.e === "c") out.push(x.text);
  else kids(x).forEach((y) => cTexts(y, out));
}

const firstWord = (t: string): string => (/^[(!&*~-]*\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(t)?.[1] ?? t.slice(0, 12)).replace(/_[0-9]+$/, "_N");

/** The lookup path (src/emit/lookup-marks.ts) that gave an IR node back from a text, in the build counted. */
let lookupPath: (x: Expr) => string | undefined = () => undefined;

/** The layout hints an IR expression carries (issue 8: each goes when no text asks for it). */
function exprHints(x: Expr): string[] {
  switch (x.e) {
    case "paren": return ["paren"];
    case "deref": case "cast": case "view": case "addr": return x.bare ? [`bare (${x.e})`] : [];
    case "cond": return [...(x.own ? ["own (cond)"] : []), ...(x.flat ? ["flat (cond)"] : [])];
    case "bin": return x.flat ? ["flat (bin)"] : [];
    default: return [];
  }
}

/** What an IR node is, for the list of looked-up forms: its kind, a call's callee. */
function form(x: Expr): string {
  if (x.e !== "call") return x.e === "paren" ? `paren ${form(x.x)}` : x.e === "cast" || x.e === "deref" || x.e === "addr" ? `${x.e} ${form("x" in x ? x.x : "p" in x ? x.p : x.of)}` : x.e;
  const f = x.f;
  const name = f.c === "rt" || f.c === "helper" ? f.name : f.c === "coll" || f.c === "dropping" ? f.op : f.c === "collfn" ? f.op : f.c === "derive" ? f.kind : f.c === "instance" || f.c === "extern" ? f.f.name : "";
  return `call ${f.c} ${name}`.trimEnd();
}

class Tally {
  total = 0;
  /** IR expression nodes in statements, and those a text lookup gave back: every node, and the outermost. */
  nodes = 0;
  looked = new Map<string, number>();
  lookedTop = new Map<string, number>();
  cNodes = 0;
  hints = new Map<string, number>();
  /** The outermost looked-up nodes by path and form (`built: call rt.co_str_concat`). */
  lookedForms = new Map<string, number>();
  exprs = new Map<string, number>();
  samples = new Map<string, string[]>();
  where = new Map<string, Set<string>>();
  add(m: Map<string, number>, label: string, n: number, lines: string[], file: string): void {
    m.set(label, (m.get(label) ?? 0) + n);
    if (show === label || show === "all") (this.samples.get(label) ?? this.samples.set(label, []).get(label)!).push(...lines.map((l) => `${file}: ${l}`));
    if (files) (this.where.get(label) ?? this.where.set(label, new Set()).get(label)!).add(file);
  }
}

const isCtype = (t: IrType): boolean => t.k === "ctype";

function count(ir: IrProgram, file: string, t: Tally): void {
  const bump = (m: Map<string, number>, k: string): void => { m.set(k, (m.get(k) ?? 0) + 1); };
  const visit = (x: Expr, under: boolean): void => {
    t.nodes++;
    if (x.e === "c") t.cNodes++;
    for (const h of exprHints(x)) bump(t.hints, h);
    const p = lookupPath(x);
    if (p) { bump(t.looked, p); if (!under) { bump(t.lookedTop, p); t.add(t.lookedForms, `${p}: ${form(x)}`, 1, [], file); } }
    for (const y of kids(x)) visit(y, under || !!p);
  };
  const exprLine = (kind: string, xs: Expr[]): void => {
    xs.forEach((x) => visit(x, false));
    const texts: string[] = [];
    xs.forEach((x) => cTexts(x, texts));
    if (texts.length) t.add(t.exprs, `expr:${kind}:${firstWord(texts[0])}`, 1, texts, file);
  };
  const st = (s: Stmt): void => {
    switch (s.s) {
      case "row": bump(t.hints, "row"); s.body.forEach(st); return;
      case "empty": return;
      case "block": case "loop": t.total++; if (s.s === "block" && s.inline) bump(t.hints, "inline (block)"); s.body.forEach(st); return;
      case "if": t.total++; if (s.short) bump(t.hints, "short (if)"); if (s.keepElse) bump(t.hints, "keepElse (if)"); exprLine("if", [s.cond]); s.then.forEach(st); s.else_.forEach(st); return;
      case "while": t.total++; exprLine("while", [s.cond]); s.body.forEach(st); return;
      case "for": t.total++; exprLine("for", [s.from, s.cond, s.next]); s.body.forEach(st); return;
      case "cfor": {
        t.total++;
        if (s.short) bump(t.hints, "short (cfor)");
        const init = s.init.s === "decl" ? (s.init.init ? [s.init.init] : []) : s.init.s === "assign" ? [s.init.to, s.init.v] : [];
        exprLine("cfor", [...init, ...(s.cond ? [s.cond] : []), s.step]);
        s.body.forEach(st);
        return;
      }
      case "switch": t.total++; exprLine("switch", [s.on]); s.cases.forEach((c) => c.body.forEach(st)); s.default_.forEach(st); return;
      case "decl": t.total++; if (isCtype(s.l.type)) t.add(t.exprs, "(decl C type, not counted)", 0, [], file); if (s.init) exprLine("decl", [s.init]); return;
      case "assign": t.total++; exprLine("assign", [s.to, s.v]); return;
      case "expr": case "discard": case "unused": t.total++; exprLine(s.s, [s.x]); return;
      case "return": case "done": t.total++; if (s.v) exprLine(s.s, [s.v]); return;
      default: t.total++; return;
    }
  };
  for (const f of ir.funcs) f.body.forEach(st);
  for (const b of ir.bodies) b.body.forEach(st);
  for (const f of ir.frames ?? []) f.body.forEach(st);
  for (const f of [...ir.collFns ?? [], ...ir.helperFns ?? [], ...ir.main ? [ir.main] : []]) f.body.forEach(st);
}

async function main(): Promise<void> {
  const d = (await import(pathToFileURL(join(repo, "dist/src/driver.js")).href)) as Driver;
  const marks = join(repo, "dist/src/emit/lookup-marks.js");
  if (existsSync(marks)) lookupPath = ((await import(pathToFileURL(marks).href)) as { lookupPath: typeof lookupPath }).lookupPath;
  else console.log("(this build marks no lookups: dist/src/emit/lookup-marks.js is missing)");
  const corpus = groups.flatMap((g) => coFiles(join(repo, g)));
  const t = new Tally();
  let programs = 0;
  for (const f of corpus) {
    const modes = !noTests && /^\s*test\s+"/m.test(readFileSync(f, "utf8")) ? [false, true] : [false];
    for (const test of modes) {
      let ir: IrProgram | null = null;
      try { ir = d.frontEnd({ entry: basename(f), dir: dirname(f), emit: true, test }).ir; } catch (e) { console.log(`crash: ${relative(repo, f)}: ${(e as Error).message}`); }
      if (!ir) continue;
      programs++;
      count(ir, relative(repo, f) + (test ? " (test)" : ""), t);
    }
  }
  const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const pct = (n: number): string => `${(100 * n / t.total).toFixed(2)}%`;
  const list = (m: Map<string, number>): void => {
    for (const [k, n] of [...m].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top)) {
      console.log(`  ${String(n).padStart(6)}  ${k}`);
      if (files) console.log(`          ${[...(t.where.get(k) ?? [])].slice(0, 8).join(", ")}`);
    }
  };
  const exprN = sum(t.exprs);
  console.log(`${programs} programs (${groups.join(", ")}${noTests ? "" : "; test mode too"}), ${t.total} IR statement lines`);
  console.log(`statement lines with a C expression (c{...}, not a declaration's type): ${exprN} (${pct(exprN)}), by statement and first word:`);
  list(t.exprs);
  console.log(`all lines with C text: ${exprN} (${pct(exprN)})`);
  const lookN = sum(t.looked), topN = sum(t.lookedTop);
  const of = (n: number): string => `${(100 * n / t.nodes).toFixed(2)}%`;
  console.log(`IR expression nodes in statements: ${t.nodes}; { e: "c" } nodes ${t.cNodes}`);
  console.log(`nodes a text lookup gave back: ${topN} outermost (${of(topN)}), ${lookN} with those inside them (${of(lookN)}), by lookup path (outermost / all):`);
  for (const [k, n] of [...t.looked].sort((a, b) => b[1] - a[1])) console.log(`  ${String(t.lookedTop.get(k) ?? 0).padStart(6)} / ${String(n).padStart(6)}  ${k}`);
  console.log("the outermost looked-up nodes by path and form:");
  list(t.lookedForms);
  console.log("layout hints (nodes carrying each):");
  list(t.hints);
  if (show) for (const [k, ls] of t.samples) for (const l of ls) console.log(`${k}\t${l}`);
}

void main();
