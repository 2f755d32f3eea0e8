// The IR as text (`coc dump --stage=ir` and the IR golden tests in tests/ir/):
// one statement a line, types in Colang spelling, calls named by what they
// call (rt.NAME, derive.KIND<T>, Vec<T>.push, fn NAME<T>).

import { showType } from "../check/types.js";
import type { Callee, Expr, Func, IrBody, IrType, Stmt } from "./ir.js";

/** A path's base: a pointer's target in parentheses (`(*self).n`, not `*self.n`). */
function ofDeref(x: Expr): string { return x.e === "deref" ? `(${showIrExpr(x)})` : showIrExpr(x); }

export function showIrType(t: IrType): string {
  switch (t.k) {
    case "region": return "region";
    case "ptr": return `*${showIrType(t.to)}`;
    case "cstr": return "cstr";
    case "voidp": return "voidp";
    case "payload": return `${showType(t.type)}.${t.type.info.variants[t.variant].name}.box`;
    case "jsonDec": return "jsonDec";
    case "ctype": return `c{${t.c}}`;
    case "frame": return `frame ${t.name}`;
    case "fut": return "fut";
    case "futView": return `fut<${showType(t.t)}>`;
    case "void": return "void";
    case "handle": return "handle";
    case "cint": return "c.int";
    case "clong": return "c.long";
    case "char": return "c.char";
    case "fail": return "fail";
    case "sb": return "sb";
    case "env": return `env ${t.closure}`;
    case "entry": return `${showType(t.type)}.entry`;
    case "header": return `${showType(t.type)}.header`;
    default: return showType(t);
  }
}

function showCallee(f: Callee): string {
  switch (f.c) {
    case "rt": return `rt.${f.name}`;
    case "derive": return `${f.kind}<${showType(f.type)}>`;
    case "coll": return `${showType(f.type)}.${f.op}`;
    case "instance": return `${f.unchecked ? "unchecked " : ""}fn ${f.f.name}${f.typeArgs.length ? `<${f.typeArgs.map((t) => showType(t)).join(", ")}>` : ""}`;
    case "value": return `fnv ${showIrExpr(f.fn)}`;
    case "extern": return `extern ${f.f.name}${f.part ? `.${f.part}` : ""}`;
    case "frame": return `frame ${f.name}.${f.part}`;
    case "helper": return `helper ${f.name}`;
    case "ptr": return `(*${showIrExpr(f.fn)})`;
    case "collfn": return `${showType(f.on)}.${f.op}${f.args.length ? `<${f.args.map((t) => showType(t)).join(", ")}>` : ""}`;
    case "asyncMain": return `asyncMain ${showCallee(f.of)}`;
    case "main": return "main";
    case "initGlobals": return "initGlobals";
    case "test": return `test ${f.name}`;
    case "envfn": return `env ${f.closure}.${f.part}`;
    case "wrap": return `${f.async ? "async " : ""}fnvalue ${showCallee(f.of)}`;
    case "dropping": return `${showType(f.type)}.${f.op} dropping`;
    case "unwrapFail": return `unwrapFail<${showType(f.err)}>`;
    case "zero": return `zero<${showType(f.type)}>`;
    case "key": return `key${f.kind === "hash" ? "Hash" : "Eq"}<${showType(f.type)}>`;
  }
}

export function showIrExpr(x: Expr): string {
  const p = showIrExpr;
  switch (x.e) {
    case "local": return x.l.name;
    case "var": return `${x.frame ? "frame." : ""}${x.v.name}`;
    case "int": return String(x.v);
    case "bool": return String(x.v);
    case "cstr": return JSON.stringify(x.v);
    case "field": return `${ofDeref(x.of)}.${x.name}`;
    case "elem": return `${ofDeref(x.of)}.${x.i}`;
    case "tag": return `tag(${p(x.of)})`;
    case "payload": return `${p(x.of)}.${x.type.info.variants[x.variant].name}.${x.i}`;
    case "box": return `box(${p(x.of)}.${x.type.info.variants[x.variant].name})`;
    case "has": return `has(${p(x.of)})`;
    case "val": return `val(${p(x.of)})`;
    case "len": return `len(${p(x.of)})`;
    case "at": return `${p(x.of)}[${p(x.i)}]`;
    case "deref": return `*${p(x.p)}`;
    case "arrow": return `${p(x.p)}->${x.field}`;
    case "dot": return `${p(x.of)}.${x.field}`;
    case "array": return `array<${showIrType(x.t)}>[${x.elems.map(p).join(", ")}]`;
    case "index": return `${p(x.of)}[${p(x.i)}]`;
    case "bin": return `(${p(x.l)} ${x.op} ${p(x.r)})`;
    case "not": return `!${p(x.x)}`;
    case "bitnot": return `(~${p(x.x)} as ${showType(x.t)})`;
    case "unop": return `(${x.op}${p(x.x)})`;
    case "cast": return `(${p(x.x)} as ${showIrType(x.to)})`;
    case "call": return `${showCallee(x.f)}(${x.args.map(p).join(", ")})`;
    case "sizeofDeref": return `sizeof(*${p(x.p)})`;
    case "sizeof": return `${x.align ? "alignof" : "sizeof"}(${showIrType(x.t)})`;
    case "offsetof": return `offsetof(${showIrType(x.t)}, ${x.field})`;
    case "cond": return `(${p(x.c)} ? ${p(x.a)} : ${p(x.b)})`;
    case "sym": return `rt.${x.name}`;
    case "fail": return `fail.${x.stub}`;
    case "seq": return `(${p(x.first)}, ${p(x.then)})`;
    case "unlikely": return `unlikely(${p(x.x)})`;
    case "fmt": return `fmt{${x.spec.text}}`;
    case "paren": return p(x.x); // layout only
    case "view": return `view<${showIrType(x.to)}>(${p(x.p)})`;
    case "env": return `env(${p(x.of)})`;
    case "envClone": return `cloneEnv(${p(x.fnv)})`;
    case "null": return "null";
    case "fnref": return `&${showCallee(x.f)}`;
    case "fnNames": return "fnNames";
    case "fnValue": return `fnvalue(${showCallee(x.fn)}, ${p(x.env)})`;
    case "addr": return `&${p(x.of)}`;
    case "zero": return `zero<${showType(x.t)}>`;
    case "default": return `default<${showType(x.t)}>`;
    case "none": return `none<${showType(x.t)}>`;
    case "some": return `some(${p(x.x)})`;
    case "optional": return `optional(${p(x.has)}, ${p(x.v)})`;
    case "strLen": return `strLen(${p(x.of)})`;
    case "strPtr": return `strPtr(${p(x.of)})`;
    case "strOf": return `str(${p(x.ptr)}, ${p(x.len)})`;
    case "struct": return `${showType(x.type)} { ${x.fields.map((f) => `${f.name}: ${p(f.v)}`).join(", ")} }`;
    case "tuple": return `(${x.elems.map(p).join(", ")})`;
    case "variant": return `${showType(x.type)}.${x.type.info.variants[x.variant].name}(${x.box ? `box ${p(x.box)}` : x.fields.map(p).join(", ")})`;
    case "lit": return typeof x.v === "string" ? JSON.stringify(x.v) : String(x.v);
    case "c": return `c{${x.text}}`;
    case "inc": return `${p(x.x)}++`;
    case "set": return `${p(x.to)} = ${p(x.v)}`;
  }
}

function showStmts(ss: Stmt[], ind: number, out: string[]): void {
  const pad = "  ".repeat(ind);
  for (const s of ss) {
    if (s.src) out.push(`${pad}@${s.src.line}`);
    switch (s.s) {
      case "decl": out.push(`${pad}let ${s.l.name}: ${showIrType(s.l.type)}${s.init ? ` = ${showIrExpr(s.init)}` : ""}`); break;
      case "assign": out.push(`${pad}${showIrExpr(s.to)} = ${showIrExpr(s.v)}`); break;
      case "expr": out.push(`${pad}${showIrExpr(s.x)}`); break;
      case "discard": out.push(`${pad}discard ${showIrExpr(s.x)}`); break;
      case "unused": out.push(`${pad}unused ${showIrExpr(s.x)}`); break;
      case "return": out.push(`${pad}return${s.v ? " " + showIrExpr(s.v) : ""}`); break;
      case "break": out.push(`${pad}break`); break;
      case "continue": out.push(`${pad}continue`); break;
      case "loop": out.push(`${pad}loop {`); showStmts(s.body, ind + 1, out); out.push(`${pad}}`); break;
      case "cfor": {
        const init: string[] = [];
        showStmts([s.init], 0, init);
        out.push(`${pad}for ${init.join(" ")}; ${s.cond ? showIrExpr(s.cond) : ""}; ${showIrExpr(s.step)} {`); showStmts(s.body, ind + 1, out); out.push(`${pad}}`);
        break;
      }
      case "while": out.push(`${pad}while ${showIrExpr(s.cond)} {`); showStmts(s.body, ind + 1, out); out.push(`${pad}}`); break;
      case "if":
        out.push(`${pad}if ${showIrExpr(s.cond)} {`);
        showStmts(s.then, ind + 1, out);
        if (s.else_.length || s.keepElse) { out.push(`${pad}} else {`); showStmts(s.else_, ind + 1, out); }
        out.push(`${pad}}`);
        break;
      case "for":
        out.push(`${pad}for ${s.l.name}: ${showIrType(s.l.type)} = ${showIrExpr(s.from)}; ${showIrExpr(s.cond)}; ${s.l.name} = ${showIrExpr(s.next)} {`);
        showStmts(s.body, ind + 1, out);
        out.push(`${pad}}`);
        break;
      case "switch":
        out.push(`${pad}switch ${showIrExpr(s.on)} {`);
        for (const c of s.cases) { out.push(`${pad}case ${c.v}:`); showStmts(c.body, ind + 1, out); }
        if (s.default_.length) { out.push(`${pad}default:`); showStmts(s.default_, ind + 1, out); }
        out.push(`${pad}}`);
        break;
      case "block": out.push(`${pad}{`); showStmts(s.body, ind + 1, out); out.push(`${pad}}`); break;
      case "row": showStmts(s.body, ind, out); break;
      case "empty": break;
      case "suspend": out.push(`${pad}suspend ${s.k}`); break;
      case "resume": out.push(`${pad}resume ${s.k}`); break;
      case "done": out.push(`${pad}done${s.v ? " " + showIrExpr(s.v) : ""}`); break;
      case "dispatch": out.push(`${pad}dispatch ${s.resumes}`); break;
      case "label": out.push(`${pad}${s.name}:`); break;
      case "goto": out.push(`${pad}goto ${s.name}`); break;
      case "panic": out.push(`${pad}panic ${JSON.stringify(s.msg)} at ${s.at.line}:${s.at.col}`); break;
    }
  }
}

export function showFunc(f: Func): string {
  const out = [`${f.noreturn ? "noreturn " : ""}fn ${showCallee(f.name)}(${f.params.map((l) => `${l.name}: ${showIrType(l.type)}`).join(", ")})${f.ret ? `: ${showIrType(f.ret)}` : ""} {`];
  showStmts(f.body, 1, out);
  out.push("}");
  return out.join("\n") + "\n";
}

export function showBody(t: IrBody): string {
  const out = [`body ${t.name} {`];
  showStmts(t.body, 1, out);
  out.push("}");
  return out.join("\n") + "\n";
}
