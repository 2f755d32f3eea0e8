// The C printer for the lowering IR (src/lower/ir.ts): IR in, C text out. It
// decides nothing about the program; every name comes from names.ts, and the
// one thing it needs from the emitter is the C name of a function instance.

import type { FnInfo, Type } from "../check/types.js";
import type { Callee, Expr, Func, IrType, Loc, Stmt } from "../lower/ir.js";
import { RUNTIME_ABI } from "./runtime-abi.js";
import { closureEnv, entryType, payloadName, frameType, resultViewName, cRet, cStr, externName, collFnName, helperFnName, cStringLiteral, cType, deriveName, fieldName, mangle, varName } from "./names.js";
import { floatLit, intLit, zero } from "./ctext.js";
import type { FormatSpec } from "../syntax/format-spec.js";
import { boxOf, fieldOf, isBoxed, setBox, setTag, tagOf, variantValue } from "./enum-layout.js";

export interface PrintCtx {
  /** The C name of a function instance (the emitter schedules it); `unchecked`: its copy without integer checks. */
  instance(f: FnInfo, typeArgs: Type[], unchecked?: boolean): string;
}

const RUNTIME_NAMES: ReadonlySet<string> = new Set(RUNTIME_ABI.map((e) => e.name));

export function irCType(t: IrType): string {
  switch (t.k) {
    case "region": return "co_region *";
    case "ptr": { const c = (t.const ? "const " : "") + irCType(t.to); return c.endsWith("*") ? `${c}*` : `${c} *`; }
    case "cstr": return "const char *";
    case "voidp": return "void *";
    case "payload": return payloadName(t.type, t.variant);
    case "jsonDec": return "co_json_dec";
    case "ctype": return t.c;
    case "frame": return frameType(t.name);
    case "fut": return "co_fut";
    case "futView": return resultViewName(t.t);
    case "void": return "void";
    case "handle": return "co_handle";
    case "cint": return "int";
    case "clong": return "long long";
    case "char": return "char";
    case "fail": return "co_fail *";
    case "sb": return "co_sb";
    case "env": return closureEnv(t.closure);
    case "entry": return entryType(t.type);
    case "header": return mangle(t.type);
    default: return cType(t);
  }
}

/** The C name of what a call calls (a function value or pointer has none). */
export function calleeName(f: Callee, ctx: PrintCtx): string {
  switch (f.c) {
    case "rt":
      if (!RUNTIME_NAMES.has(f.name)) throw new Error(`internal: ${f.name} is not in the runtime ABI table`);
      return f.name;
    case "derive": return deriveName(f.kind, f.type);
    case "coll": return `${mangle(f.type)}_${f.op === "lookup" ? "_lookup" : f.op}`;
    case "instance": return ctx.instance(f.f, f.typeArgs, f.unchecked);
    case "value": case "ptr": throw new Error("internal: a function value or pointer has no name (printExpr calls it)");
    case "extern": return externName(f.f) + (f.part ? `_${f.part}` : "");
    case "frame": return f.part === "fut" ? f.name : `${f.name}_${f.part}`;
    case "helper": return f.name;
    case "collfn": return collFnName(f.op, f.on, f.args);
    case "asyncMain": return "co__make_main";
    case "main": return "main";
    case "initGlobals": return "co__init_globals";
    case "test": return f.name;
    case "wrap": return `${f.async ? "afv" : "fnv"}_${calleeName(f.of, ctx)}`;
    case "envfn": case "dropping": case "unwrapFail": case "zero": case "key": return helperFnName(f);
  }
}

/** A C expression; `top`: the whole of a condition or statement, so it needs no outer parentheses
 *  (clang warns about `if ((a == b))`). */
export function printExpr(x: Expr, ctx: PrintCtx, top = false): string {
  const p = (y: Expr) => printExpr(y, ctx);
  switch (x.e) {
    case "local": return x.l.name;
    case "var": return varName(x.v.cname, x.frame);
    case "int": return String(x.v);
    case "bool": return x.v ? "true" : "false";
    case "cstr": return cStringLiteral(x.v).lit;
    case "field": return `${p(x.of)}.${fieldName(x.name)}`;
    case "elem": return `${p(x.of)}.f${x.i}`;
    case "tag": return tagOf(x.type, p(x.of));
    case "payload": return fieldOf(x.type, p(x.of), x.variant, x.i);
    case "box": return boxOf(x.type, p(x.of), x.variant);
    case "has": return `${p(x.of)}.has`;
    case "val": return `${p(x.of)}.val`;
    case "len": return `${p(x.of)}->len`;
    case "at": return `${p(x.of)}->data[${printExpr(x.i, ctx, true)}]`;
    case "deref": return x.bare ? `*${p(x.p)}` : `(*${p(x.p)})`;
    case "strLen": return `${p(x.of)}.len`;
    case "strPtr": return `${p(x.of)}.ptr`;
    case "strOf": return `((co_str){ ${printExpr(x.ptr, ctx, true)}, ${printExpr(x.len, ctx, true)} })`;
    case "arrow": return `${p(x.p)}->${x.field}`;
    case "dot": return `${p(x.of)}.${x.field}`;
    case "bin": { const q = x.flat ? (y: Expr) => printExpr(y, ctx, true) : p, s = `${q(x.l)} ${x.op} ${q(x.r)}`; return top ? s : `(${s})`; }
    case "not": return `!${p(x.x)}`;
    case "bitnot": return `((${cType(x.t)})~${p(x.x)})`;
    case "unop": { const s = `${x.op}${p(x.x)}`; return top ? s : `(${s})`; }
    case "cast": return x.bare ? `(${irCType(x.to)})(${printExpr(x.x, ctx, true)})` : `((${irCType(x.to)})(${printExpr(x.x, ctx, true)}))`;
    case "call": {
      const args = x.args.map((a) => printExpr(a, ctx, true));
      // A function value: its code pointer, called with its environment first.
      if (x.f.c === "value") { const f = p(x.f.fn); return `${f}.fn(${[`${f}.env`, ...args].join(", ")})`; }
      if (x.f.c === "ptr") return `${p(x.f.fn)}(${args.join(", ")})`;
      return `${calleeName(x.f, ctx)}(${args.join(", ")})`;
    }
    case "sizeofDeref": return `sizeof *${p(x.p)}`;
    case "sizeof": return `${x.align ? "_Alignof" : "sizeof"}(${irCType(x.t)})`;
    case "offsetof": return `offsetof(${irCType(x.t)}, ${x.field})`;
    case "cond": {
      // A branch is whole but for C's comma operator, which binds looser than `?:`.
      const br = (y: Expr): string => printExpr(y, ctx, y.e !== "seq");
      const s = `${printExpr(x.c, ctx, !!x.flat)} ? ${br(x.a)} : ${br(x.b)}`;
      return top && x.own ? s : `(${s})`;
    }
    case "sym":
      if (!RUNTIME_NAMES.has(x.name)) throw new Error(`internal: ${x.name} is not in the runtime ABI table`);
      return x.name;
    case "fail": return x.stub;
    case "fmt": return fmtLiteral(x.spec);
    case "seq": { const s = `${printExpr(x.first, ctx, true)}, ${printExpr(x.then, ctx, true)}`; return top ? s : `(${s})`; }
    case "unlikely": return `__builtin_expect(${printExpr(x.x, ctx, true)}, 0)`;
    case "paren": return `(${printExpr(x.x, ctx, true)})`;
    case "view": return x.bare ? `(${irCType(x.to)})${p(x.p)}` : `((${irCType(x.to)})${p(x.p)})`;
    case "env": return `${p(x.of)}.env`;
    case "envClone": { const f = p(x.fnv); return `(*(void *(**)(void *))${f}.env)(${f}.env)`; }
    case "null": return "NULL";
    case "fnref": return calleeName(x.f, ctx);
    case "fnNames": return "co__fn_names";
    case "fnValue": return `((${cType(x.t)}){ ${calleeName(x.fn, ctx)}, ${printExpr(x.env, ctx, true)} })`;
    case "addr": return x.bare ? `&${p(x.of)}` : `(&${p(x.of)})`;
    case "zero": return placeholder(x.t);
    case "default": return zero(x.t);
    case "none": return `((${cType(x.t)}){0})`;
    case "some": return `((${cType(x.t)}){ true, ${printExpr(x.x, ctx, true)} })`;
    case "optional": return `((${cType(x.t)}){ ${printExpr(x.has, ctx, true)}, ${printExpr(x.v, ctx, true)} })`;
    case "struct": return `((${cType(x.type)}){ ${x.fields.map((f) => `.${fieldName(f.name)} = ${printExpr(f.v, ctx, true)}`).join(", ")} })`;
    case "tuple": return `((${cType(x.type)}){ ${x.elems.map((v) => printExpr(v, ctx, true)).join(", ")} })`;
    case "variant":
      if (x.box) return variantValue(x.type, x.variant, printExpr(x.box, ctx, true));
      if (isBoxed(x.type) && x.fields.length) throw new Error("internal: a variant value of a boxed enum without its box");
      return variantValue(x.type, x.variant, x.fields.length ? x.fields.map((f) => printExpr(f, ctx, true)) : null);
    case "lit": return typeof x.v === "string" ? cStr(x.v) : x.t.k === "float" ? floatLit(Number(x.v), x.t) : intLit(BigInt(x.v), x.t);
    case "array": return `((${irCType(x.t)}[]){ ${x.elems.map((v) => printExpr(v, ctx, true)).join(", ")} })`;
    case "index": return `${p(x.of)}[${printExpr(x.i, ctx, true)}]`;
    case "inc": return `${p(x.x)}++`;
    case "set": return `${p(x.to)} = ${printExpr(x.v, ctx, true)}`;
    // A bridge operand from the string emitter: parenthesised unless it is a plain name or path.
    case "c": return top || /^[A-Za-z_]\w*((\.|->)\w+)*$/.test(x.text) ? x.text : `(${x.text})`;
  }
}

/** A format spec as a C `const co_fmt *` (a compound literal, co_fmt.h). */
export function fmtLiteral(s: FormatSpec): string {
  const f: string[] = [`.fill = ${s.fill.codePointAt(0)}`];
  if (s.align) f.push(`.align = '${s.align}'`);
  if (s.sign === "+") f.push(".sign = '+'");
  if (s.type && s.type !== "?") f.push(`.type = '${s.type}'`);
  if (s.alt) f.push(".alt = true");
  if (s.zero) f.push(".zero = true");
  if (s.group) f.push(".group = true");
  if (s.width !== null) f.push(`.width = ${s.width}`);
  f.push(`.prec = ${s.precision ?? -1}`);
  return `(&(const co_fmt){ ${f.join(", ")} })`;
}

/**
 * Statements as C lines. `at` (given when the lines are a function body's, not one line of a bigger
 * statement): the source location of what holds them. A statement without its own location belongs to the
 * one before it in the list, or to what holds it; a marker line records that, and `placeLines` turns it into a
 * `#line` directive where the C compiler's count would otherwise name a later source line (a Colang statement
 * written as several C statements).
 */
export function printStmts(ss: Stmt[], ind: number, ctx: PrintCtx, at?: Loc | null): string[] {
  const out: string[] = [];
  let cur = at;
  for (const s of ss) {
    // The directive is in the first column, on the line before the statement it locates.
    if (s.src) { out.push(`#line ${s.src.line} ${cStringLiteral(s.src.file).lit}`); if (cur !== undefined) cur = s.src; }
    else if (cur && s.s !== "empty") out.push(`${MARK}${cur.line} ${cStringLiteral(cur.file).lit}`);
    printStmt(s, ind, ctx, out, cur);
  }
  return out;
}

const MARK = "\u0000line ";

/**
 * A function body's lines with the location markers of printStmts resolved: a marker becomes a `#line`
 * directive unless the C compiler already counts the next line as that source line.
 */
export function placeLines(lines: string[]): string[] {
  const out: string[] = [];
  let file = "", next = -1;
  for (const l of lines) {
    const mark = l.startsWith(MARK);
    if (mark || l.startsWith("#line ")) {
      const rest = l.slice(mark ? MARK.length : 6), sp = rest.indexOf(" ");
      const n = Number(rest.slice(0, sp)), f = rest.slice(sp + 1);
      if (mark && f === file && n === next) continue;
      out.push(`#line ${n} ${f}`);
      file = f; next = n;
      continue;
    }
    out.push(l);
    if (next >= 0) next++;
  }
  return out;
}

function printStmt(s: Stmt, ind: number, ctx: PrintCtx, out: string[], at?: Loc | null): void {
  const pad = "  ".repeat(ind);
  const e = (x: Expr) => printExpr(x, ctx, true);
  const body = (b: Stmt[]) => printStmts(b, ind + 1, ctx, at);
  switch (s.s) {
    case "decl": out.push(`${pad}${declType(s.l.type)}${s.l.name}${s.init ? ` = ${e(s.init)}` : ""};`); break;
    case "assign": out.push(`${pad}${assignText(s.to, s.v, ctx)};`); break;
    case "expr": out.push(`${pad}${e(s.x)};`); break;
    case "discard": out.push(`${pad}(void)(${printExpr(s.x, ctx)});`); break;
    case "unused": out.push(`${pad}(void)${printExpr(s.x, ctx)};`); break;
    case "return": out.push(`${pad}return${s.v ? " " + e(s.v) : ""};`); break;
    case "break": out.push(`${pad}break;`); break;
    case "continue": out.push(`${pad}continue;`); break;
    case "loop": out.push(`${pad}for (;;) {`, ...body(s.body), `${pad}}`); break;
    case "cfor": {
      const head = `${pad}for (${oneLine([s.init], ctx).slice(0, -1)}; ${s.cond ? e(s.cond) : ""}; ${e(s.step)})`;
      if (s.short) out.push(`${head} ${oneLine(s.body, ctx)}`);
      else out.push(`${head} {`, ...body(s.body), `${pad}}`);
      break;
    }
    case "while": out.push(`${pad}while (${e(s.cond)}) {`, ...body(s.body), `${pad}}`); break;
    case "if":
      if (s.short) {
        if (s.then.length !== 1 || s.then[0].src || s.else_.length) throw new Error("internal: a short if holds one statement and no else");
        const [first, ...rest] = printStmts(s.then, ind, ctx);
        out.push(`${pad}if (${e(s.cond)}) ${first.slice(pad.length)}`, ...rest);
        break;
      }
      out.push(`${pad}if (${e(s.cond)}) {`, ...body(s.then));
      if (s.else_.length || s.keepElse) out.push(`${pad}} else {`, ...body(s.else_));
      out.push(`${pad}}`);
      break;
    case "for":
      out.push(`${pad}for (${irCType(s.l.type)} ${s.l.name} = ${e(s.from)}; ${e(s.cond)}; ${s.l.name} = ${e(s.next)}) {`,
        ...body(s.body), `${pad}}`);
      break;
    case "switch":
      out.push(`${pad}switch (${e(s.on)}) {`);
      for (const c of s.cases) out.push(`${pad}case ${c.v}: {`, ...body(c.body), `${pad}}`);
      out.push(`${pad}default: {`, ...body(s.default_.length ? s.default_ : [{ s: "break" }]), `${pad}}`);
      out.push(`${pad}}`);
      break;
    case "block": {
      const n = s.inline ?? 0;
      const head = s.body.slice(0, n).map((x) => " " + oneLine([x], ctx)).join("");
      out.push(...n === s.body.length ? [`${pad}{${head} }`] : [`${pad}{${head}`, ...body(s.body.slice(n)), `${pad}}`]);
      break;
    }
    case "row": out.push(pad + s.body.map((x) => oneLine([x], ctx)).join(" ")); break;
    case "empty": break;
    case "label": out.push(`${pad}${s.name}:;`); break;
    case "suspend": out.push(`${pad}F->st = ${s.k}; F->rg = co_current;`); break;
    case "resume": out.push(`${pad}R_${s.k}: co_current = F->rg;`); break;
    case "done": out.push(`${pad}${s.v ? `F->result = ${e(s.v)}; ` : ""}F->st = -1; return true;`); break;
    case "dispatch": {
      const cases = Array.from({ length: s.resumes }, (_, i) => `case ${i + 1}: goto R_${i + 1}; `).join("");
      out.push(`${pad}switch (F->st) { case 0: break; ${cases}default: return true; }`);
      break;
    }
    case "goto": out.push(`${pad}goto ${s.name};`); break;
    case "panic": out.push(`${pad}co_panic_at(${cStringLiteral(s.at.file).lit}, ${s.at.line}, ${s.at.col}, ${cStringLiteral(s.msg).lit});`); break;
  }
}

/** A declaration's type and the space before the name: a pointer's `*` stands against the name (`T *name`). */
function declType(t: IrType): string {
  const c = irCType(t);
  return c.endsWith(" *") ? `${c.slice(0, -2)} *` : `${c} `;
}

/** The one statement of ss, printed on the line of what holds it. */
function oneLine(ss: Stmt[], ctx: PrintCtx): string {
  const l = ss.length === 1 && !ss[0].src ? printStmts(ss, 0, ctx) : [];
  if (l.length !== 1) throw new Error("internal: a statement printed on the line of its if or brace is not one line");
  return l[0];
}

/** to = v. An enum's tag or box is no C lvalue of its own: enum-layout.ts writes it. */
function assignText(to: Expr, v: Expr, ctx: PrintCtx): string {
  if (to.e === "tag") return setTag(to.type, printExpr(to.of, ctx), printExpr(v, ctx, true), v.e === "int" ? v.v : null);
  if (to.e === "box") return setBox(to.type, printExpr(to.of, ctx), to.variant, printExpr(v, ctx));
  return `${printExpr(to, ctx, true)} = ${printExpr(v, ctx, true)}`;
}

/** A value of type t that is overwritten before it is read: zero bits, allocating nothing. */
function placeholder(t: Type): string {
  switch (t.k) {
    case "int": return `((${cType(t)})0)`;
    case "float": return t.name === "f64" ? "0.0" : "0.0f";
    case "bool": return "false";
    case "unit": case "never": return "((uint8_t)0)";
    case "vec": case "map": case "set": case "builder": return "NULL";
    default: return `((${cType(t)}){0})`;
  }
}

/** A function's prototype (without `;`) and its definition (`static` but for the C `main`). */
export function printFunc(f: Func, ctx: PrintCtx): { proto: string; def: string } {
  const params = f.params.map((l) => `${irCType(l.type)} ${l.name}`).join(", ") || "void";
  const ret = f.ret === null ? "void" : f.ret.k === "unit" || f.ret.k === "never" ? cRet(f.ret) : irCType(f.ret);
  const proto = `${f.name.c === "main" ? "" : "static "}${f.noreturn ? "_Noreturn " : ""}${ret} ${calleeName(f.name, ctx)}(${params})`;
  return { proto, def: `${proto} {\n${placeLines(printStmts(f.body, 1, ctx, null)).join("\n")}\n}\n` };
}
