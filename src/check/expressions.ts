// Expressions: the dispatch over expression kinds (checkExpr, which records
// every expression's type), literals, names, operators, casts, `?`, `if` and
// block values, and the assignability rules.

import type * as A from "../syntax/ast.js";
import type { Message } from "../diagnostics.js";
import { M } from "../messages.js";
import { T, typeEq, containsError, showType, hasEq, fieldTypes, hasOrd, hasShow, showProblem, intRange, isSigned, subst, unifyTypes, satisfiesTrait, type Type, type IntName, type ModuleInfo, type FnInfo, type EnumInfo, type TypeParamInfo, type VariantInfo } from "./types.js";
import { unmetBound, compareFix, partWithout } from "./builtin-bounds.js";
import { importedName, suggest } from "./suggest.js";
import { BUILTINS, callType } from "./calls.js";
import { PRIMS, resolveType, importAliasFailed } from "./declarations.js";
import { type FnCtx, Scope, isNumLit, report, record, type CheckContext } from "./context.js";
import { useGlobal, checkBlock, checkStmt, regionType } from "./statements.js";
import { joinOpenBranches, blockTail, widenForNone, type Branch } from "./branch-join.js";
import { ifLetPattern, matchType } from "./patterns.js";
import { asyncCallee, callAsWritten, awaitType, spawnType, asyncMismatchFix, taskMethodCall } from "./async.js";
import { implicitSpawn } from "./tasks.js";
import { fieldType, structLitType, vecLitType, mapLitType, indexType } from "./aggregates.js";
import { closureType } from "./closures.js";
import { castFix, unwrapFix, syncLoopFix, foreignName, missingStdImport, optionalChain, postfixOperand, sourceText } from "./habits.js";
import { knownTypeArgs } from "./static-calls.js";
import { checkFormatSpec } from "./format.js";

export function expectCond(cx: CheckContext, t: Type, e: A.Expr): void {
  if (t.k === "optional") report(cx, { ...M.conditionNotBool(showType(t)), fix: "test for a value with `if let v = x { ... }` or `x != none`" }, e.span);
  else if (t.k !== "bool" && t.k !== "error" && t.k !== "never") report(cx, M.conditionNotBool(showType(t)), e.span);
}

/** Reports if a value of type `found` cannot be stored where `expected` is wanted. */
export function expectAssignable(cx: CheckContext, expected: Type, found: Type, e: A.Expr): boolean {
  if (assignable(cx, expected, found)) return true;
  let fix: string | undefined;
  if (expected.k === "float" && found.k === "int" && e.kind === "Binary" && e.op === "/") fix = floatDivisionFix(cx, e, showType(expected));
  else if ((expected.k === "float" && found.k === "int") || (expected.k === "int" && (found.k === "int" || found.k === "float"))) fix = `convert it: \`${castOperand(cx, e)} as ${showType(expected)}\``;
  else if (holdsExpected(cx, expected, found)) fix = unwrapFix(cx, e, found);
  else if (expected.k === "string" && found.k !== "unit" && found.k !== "error" && hasShow(found)) {
    // Interpolation only for a value that prints (a Result or an optional is taken out above), with its own text.
    const t = sourceText(cx, e.span);
    fix = t.length <= 60 && !t.includes("\n") ? `interpolate it: \`"{${t}}"\`` : "interpolate it: put the expression inside `\"{...}\"`";
  } else if (expected.k === "enum" && expected.info === cx.resultEnum && assignable(cx, expected.args[0], found) && found.k !== "error") {
    // `return a / b` in a function that returns `Result<int, E>`: the value goes in `Ok`.
    const t = sourceText(cx, e.span);
    fix = `wrap it in \`Ok\`: \`Ok(${t.length <= 60 && !t.includes("\n") ? t : "..."})\``;
  }
  else if (found.k === "optional" && expected.k === "optional" && typeEq(found.inner, expected)) {
    // `first([none, "a"])` with `first<T>(v: Vec<T>): T?`: T is itself an optional, so the result nests two.
    const t = sourceText(cx, e.span);
    fix = `this is an optional of an optional (\`none\` outside, or \`none\` inside): the value it may hold is itself \`${showType(expected)}\`; flatten both into one with \`${t.length <= 60 && !t.includes("\n") ? t : "..."} ?? none\``;
  }
  else if (expected.k === "fn" && found.k === "fn" && expected.async && !found.async && namedFn(cx, e)) fix = `declare it \`async fn ${namedFn(cx, e)}\`: an async function value is called with \`await\``;
  else if (expected.k === "fn" && found.k === "fn" && !expected.async !== !found.async) fix = (found.async ? syncLoopFix(cx, e) : undefined) ?? asyncMismatchFix(expected, found, e.kind === "Closure" ? e.params.map((p) => sourceText(cx, p.span)) : null);
  else if (expected.k === "fn" && found.k === "struct" && found.info.name === "Router" && found.info.module.isStd && found.info.methods.has("handler")) fix = `pass the router's handler: \`${postfixOperand(sourceText(cx, e.span))}.handler()\``;
  report(cx, M.mismatch(showType(expected), showType(found), fix), e.span);
  return false;
}

/** A `Result` whose `Ok` value, or an optional whose value, is what is expected (not itself a Result or an optional). */
function holdsExpected(cx: CheckContext, expected: Type, found: Type): boolean {
  if (expected.k === "optional" || expected.k === "error" || (expected.k === "enum" && expected.info === cx.resultEnum)) return false;
  if (found.k === "optional") return found.inner.k !== "error" && assignable(cx, expected, found.inner);
  return found.k === "enum" && found.info === cx.resultEnum && found.args[0]?.k !== "error" && assignable(cx, expected, found.args[0]);
}

/** `let f: float = n / 2` with int n: converting the quotient keeps the integer division (tester round 13), so the
 *  operands are converted: `n as float / 2.0`. */
function floatDivisionFix(cx: CheckContext, e: Extract<A.Expr, { kind: "Binary" }>, to: string): string {
  const side = (x: A.Expr): string | null => {
    if (x.kind === "IntLit") { const t = sourceText(cx, x.span); return /^[0-9_]+$/.test(t) ? `${t}.0` : `${t} as ${to}`; }
    const t = operandText(cx, x, true);
    return t === null ? null : `${t} as ${to}`;
  };
  const l = side(e.left), r = side(e.right);
  return l && r ? `divide as floats: \`${l} / ${r}\` (\`(...) as ${to}\` of the quotient would keep the integer division)`
    : `divide as floats: convert each operand with \`as ${to}\` before the \`/\` (converting the quotient would keep the integer division)`;
}

/** The expression as the operand of `as` in a fix: its own text, parenthesised unless it is a path, call or index. */
function castOperand(cx: CheckContext, e: A.Expr): string {
  const t = sourceText(cx, e.span);
  if (t.length > 60 || t.includes("\n")) return "(...)";
  return /^[\w.()[\]"]+$/.test(t) || e.kind === "Call" ? t : `(${t})`;
}

/** E0216 on two maps or sets: compare the sizes and the entries (names the operands when they are variables). */
function collectionEqFix(cx: CheckContext, k: "map" | "set", l: A.Expr | undefined, r: A.Expr): string {
  const a = l?.kind === "Ident" ? l.name : "a";
  const b = r.kind === "Ident" && (r.name !== a || l?.kind === "Ident") ? r.name : a === "b" ? "c" : "b";
  const test = k === "map" ? `${a}.keys().all(|k| ${a}.get(k) == ${b}.get(k))` : `${a}.values().all(|x| ${b}.has(x))`;
  const what = k === "map" ? "map" : "set";
  const named = l?.kind === "Ident" && r.kind === "Ident" ? "" : l?.kind === "Ident" ? ` (with the other ${what} in a variable \`${b}\`)` : ` (with the ${what}s in variables \`${a}\` and \`${b}\`)`;
  void cx;
  return `compare the sizes and the ${k === "map" ? "entries" : "elements"}: \`${a}.len() == ${b}.len() and ${test}\`${named}`;
}

/** The user's function an expression names (`h`), or null. */
function namedFn(cx: CheckContext, e: A.Expr): string | null {
  const r = e.kind === "Ident" ? cx.out.refs.get(e) : undefined;
  return r?.kind === "fn" && !r.f.decl.async && !r.f.module.isStd ? r.f.name : null;
}

export function assignable(cx: CheckContext, expected: Type, found: Type): boolean {
  if (expected.k === "error" || found.k === "error" || found.k === "never") return true;
  if (typeEq(expected, found)) return true;
  if (expected.k === "optional" && assignable(cx, expected.inner, found) && found.k !== "optional") return true;
  return false;
}

export function concreteOrReport(cx: CheckContext, t: Type, e: A.Expr): Type {
  if (t.k === "unit") { report(cx, M.unitValue(), e.span); return T.error; }
  if (t.k === "never") return T.error;
  return t;
}

/** `awaited`: the expression is a call in a position that awaits or spawns it, so an async callee is fine. */
export function checkExpr(cx: CheckContext, e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt = false, awaited = false): Type {
  return record(cx, e, exprType(cx, e, scope, ctx, m, expected, stmt, awaited));
}

function exprType(cx: CheckContext, e: A.Expr, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean, awaited: boolean): Type {
  switch (e.kind) {
    case "IntLit": return intLit(cx, e.value, e.text, e, expected);
    case "FloatLit": {
      const t = expected?.k === "float" ? expected : (expected?.k === "optional" && expected.inner.k === "float" ? expected.inner : T.f64);
      // f64 literals that overflow are a syntax error; f32 ones are checked here, where the type is known.
      if (t.k === "float" && t.name === "f32" && !Number.isFinite(Math.fround(e.value))) { report(cx, M.literalRange(e.text, "f32"), e.span); return T.error; }
      return t;
    }
    case "BoolLit": return T.bool;
    case "StrLit": {
      for (const p of e.parts) {
        if (p.kind === "interp") {
          const t = checkExpr(cx, p.expr, scope, ctx, m, undefined);
          expectShow(cx, t, p.expr);
          if (p.spec) checkFormatSpec(cx, t, p.spec, p.expr);
        }
      }
      return T.string;
    }
    case "NoneLit": {
      if (expected?.k === "optional") return expected;
      if (expected?.k === "error") return T.error;
      if (expected) { report(cx, M.mismatch(showType(expected), "none", "only optional types (`T?`) can be `none`"), e.span); return T.error; }
      report(cx, M.cannotInfer("`none`", "give the variable a type, e.g. `var x: int? = none`"), e.span);
      return T.error;
    }
    case "Ident": return identType(cx, e, scope, ctx, m, expected);
    case "Unary": return unaryType(cx, e, scope, ctx, m, expected);
    case "Binary": return binaryType(cx, e, scope, ctx, m, expected);
    case "Call": {
      const t = callType(cx, e, scope, ctx, m, expected, stmt);
      const name = asyncCallee(cx, e);
      if (name !== null && !awaited) {
        if (expected?.k === "task" && taskMethodCall(cx, e)) { report(cx, M.spawnTaskMethod(callAsWritten(cx, e)), e.span); return T.error; }
        if (expected?.k === "task") return implicitSpawn(cx, e, t);
        report(cx, M.asyncCallNotAwaited(name || null, callAsWritten(cx, e)), e.span);
      }
      return t;
    }
    case "Field": return fieldType(cx, e, scope, ctx, m, expected);
    case "Cast": return castType(cx, e, scope, ctx, m);
    case "Unwrap": {
      const t = checkExpr(cx, e.operand, scope, ctx, m, expected ? T.optional(expected) : undefined);
      if (t.k === "error") return T.error;
      if (t.k !== "optional") {
        // `none => ..., v => v!`, written before arms narrowed: harmless, so only a warning.
        const v = e.operand.kind === "Ident" ? scope.lookup(e.operand.name) : undefined;
        if (v && cx.narrowedLocals.has(v)) { report(cx, M.unwrapNarrowed(v.name), e.span); return t; }
        const msg = M.notOptional("!", showType(t));
        // A Result's value or a panic (tester round 12: `json.decode<U>(s)!`): `.unwrap()` / `.expect("...")`.
        if (t.k === "enum" && t.info === cx.resultEnum) {
          const op = sourceText(cx, e.operand.span);
          const lhs = /^[\w.<>]+(\(.*\))?$/.test(op) && !op.includes(" ") && !op.includes("\n") && op.length <= 60 ? op : "r";
          msg.fix = `a \`Result\` is not an optional: its value, or a panic with the error, is \`${lhs}.unwrap()\` (or \`${lhs}.expect("why")\`); in a function returning a \`Result\`, \`${lhs}?\` passes the error on`;
        }
        report(cx, msg, e.span);
        return T.error;
      }
      return t.inner;
    }
    case "StructLit": return structLitType(cx, e, scope, ctx, m, expected);
    case "If": return ifType(cx, e, scope, ctx, m, expected, stmt);
    case "IfLet": return ifLetType(cx, e, scope, ctx, m, expected, stmt);
    case "BlockExpr": {
      const t = blockValue(cx, e.block, new Scope(scope), ctx, m, expected, stmt);
      return t;
    }
    case "TupleLit": {
      if (e.elems.length === 0) return T.unit;
      const want = expected?.k === "tuple" && expected.elems.length === e.elems.length ? expected.elems : undefined;
      const elems = e.elems.map((x, i) => {
        const t = checkExpr(cx, x, scope, ctx, m, want?.[i]);
        if (want) expectAssignable(cx, want[i], t, x);
        return want && t.k !== "error" ? want[i] : t;
      });
      if (elems.some((x) => x.k === "error")) return T.error;
      for (const [i, x] of elems.entries()) if (x.k === "unit" || x.k === "never") { report(cx, M.unitValue(), e.elems[i].span); return T.error; }
      return T.tuple(elems);
    }
    case "TupleIndex": {
      const t = checkExpr(cx, e.target, scope, ctx, m, undefined);
      if (t.k === "error") return T.error;
      if (t.k !== "tuple") { report(cx, M.noFields(showType(t)), e.span); return T.error; }
      if (e.index >= t.elems.length) { report(cx, M.tupleIndex(e.index, showType(t)), e.span); return T.error; }
      return t.elems[e.index];
    }
    case "Index": return indexType(cx, e, scope, ctx, m);
    case "Try": return tryType(cx, e, scope, ctx, m, expected);
    case "VecLit": return vecLitType(cx, e, scope, ctx, m, expected);
    case "MapLit": return mapLitType(cx, e, scope, ctx, m, expected);
    case "Range": report(cx, { ...M.unsupported("ranges outside `for` loops"), fix: "build the values in a loop: `var xs: Vec<int> = []` then `for i in a..b { xs.push(i) }`" }, e.span); return T.error;
    case "Match": return matchType(cx, e, scope, ctx, m, expected, stmt);
    case "Closure": return closureType(cx, e, scope, ctx, m, expected);
    case "Await": return awaitType(cx, e, scope, ctx, m, expected);
    case "Spawn": return spawnType(cx, e, scope, ctx, m, expected, stmt);
    case "RegionExpr": return regionType(cx, e, scope, ctx, m, expected, stmt);
  }
}

function intLit(cx: CheckContext, value: bigint, text: string, e: A.Expr, expected: Type | undefined): Type {
  // `017` (C, Python 2 and JavaScript's sloppy mode read it as octal 15): decimal here, so say so.
  const digits = text.replace(/_/g, "");
  if (/^0[0-9]+$/.test(digits)) report(cx, M.leadingZero(text, value.toString(), /^[0-7]+$/.test(digits) ? BigInt("0o" + digits) : null), e.span);
  let t: Type = T.i64;
  if (expected?.k === "int") t = expected;
  else if (expected?.k === "float" || (expected?.k === "optional" && expected.inner.k === "float")) {
    // An integer literal where a float is expected is that float, if it fits.
    const ft = expected.k === "float" ? expected : (expected as { inner: Type }).inner as Extract<Type, { k: "float" }>;
    const v = Number(value);
    if (!Number.isFinite(ft.name === "f32" ? Math.fround(v) : v)) { report(cx, M.literalRange(text, ft.name), e.span); return T.error; }
    return ft;
  } else if (expected?.k === "optional" && expected.inner.k === "int") t = expected.inner;
  const name = (t as { name: IntName }).name;
  const r = intRange(name);
  if (value < r.min || value > r.max) { report(cx, M.literalRange(text, showType(t)), e.span); return T.error; }
  return t;
}

/** A task handle used as its value (`println(h)`, `h + 1`): `await h` gives it (LANGUAGE.md, "Task handles"). */
function taskFix(cx: CheckContext, e: A.Expr, t: Extract<Type, { k: "task" }>): string {
  const x = operandText(cx, e, true) ?? "h";
  return `\`${x}\` is a task handle, not its result: wait for it once, \`let r = await ${x}\`, and use \`r\` (its \`${showType(t.inner)}\`)`;
}

export function expectShow(cx: CheckContext, t: Type, e: A.Expr): void {
  const why = showProblem(t);
  if (why !== null) {
    const m = M.notShowable(showType(t), t.k === "struct" || t.k === "enum" ? why : null);
    if ((t.k === "struct" || t.k === "enum") && t.info.decl && !t.info.module.isStd) m.fix = `give \`${t.info.name}\` a \`fn toString(self): string\` method, or print its fields`;
    if (t.k === "param") m.fix = `add a bound: \`${t.p.name}: Show\``;
    if (t.k === "task") m.fix = taskFix(cx, e, t);
    report(cx, m, e.span);
  }
}

function identType(cx: CheckContext, e: Extract<A.Expr, { kind: "Ident" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const v = scope.lookup(e.name);
  if (v) { cx.out.refs.set(e, { kind: "local", v }); return v.type; }
  const g = m.globals.get(e.name);
  if (g) { cx.out.refs.set(e, { kind: "global", g }); return useGlobal(cx, g, e, ctx); }
  const variant = findVariant(cx, e.name, m, expected, e.span);
  if (variant === "reported") return T.error;
  if (variant) return unitVariant(cx, e, variant.type, variant.variant, expected);
  const f = m.fns.get(e.name);
  if (f) return fnAsValue(cx, e, f, expected);
  if (m.structs.has(e.name) || m.enums.has(e.name)) { report(cx, M.typeNotValue(e.name), e.span); return T.error; }
  if (PRIMS.has(e.name)) { report(cx, { ...M.typeNotValue(e.name), fix: undefined }, e.span); return T.error; }
  if (m.imports.has(e.name) || importAliasFailed(cx, m, e.name)) {
    if (m.imports.has(e.name)) report(cx, M.moduleAsValue(e.name), e.span);
    return T.error;
  }
  if (BUILTINS.has(e.name)) { report(cx, M.unsupported("builtin functions as values"), e.span); return T.error; }
  if (e.name === "self") {
    const f = ctx.fn;
    if (f?.ownerType && !f.self && !ctx.closure) {
      // An associated function that uses `self`: a forgotten receiver. Reported once, at its first use.
      const msg = M.selfNotDeclared(f.name, showType(f.ownerType), `add \`self\` as its first parameter: \`fn ${f.name}(self${f.params.length ? ", ..." : ""})\``);
      if (!cx.diags.some((d) => d.code === msg.code && d.message === msg.message)) report(cx, msg, e.span);
    } else report(cx, M.selfOutsideMethod(), e.span);
    return T.error;
  }
  const tp = ctx.env.get(e.name);
  if (tp && !tp.alias) {
    // A type parameter is no value; its bound's associated functions are called through it (`T.zero()`, calls.ts).
    report(cx, { ...M.typeNotValue(e.name), message: `\`${e.name}\` is a type parameter, not a value`, fix: assocFix(tp) }, e.span);
    return T.error;
  }
  const candidates = [...scope.allNames(), ...m.globals.keys(), ...m.fns.keys()];
  report(cx, foreignName(e.name) ?? missingStdImport(e.name) ?? M.unknownName(e.name, importedName(m, e.name, "value") ?? suggest(e.name, candidates)), e.span);
  return T.error;
}

/** The fix where a type parameter is used as a value: call an associated function of its bounds through it. */
function assocFix(tp: TypeParamInfo): string | undefined {
  for (const b of tp.bounds) {
    for (const [name, d] of b.methods) if (!d.selfParam) return `call an associated function of its bound \`${b.name}\` through it: \`${tp.name}.${name}(${d.params.length ? "..." : ""})\``;
  }
  return undefined;
}

/** A named function used as a value (`list.map(double)`). */
export function fnAsValue(cx: CheckContext, e: A.Expr, f0: FnInfo, expected: Type | undefined, preset: [TypeParamInfo, Type][] = []): Type {
  let f = f0;
  if (f0.overloads) {
    const g = expected?.k === "fn" ? [f0, ...f0.overloads].find((x) => expected.params.length && typeEq(x.params[0].type, expected.params[0])) : undefined;
    if (!g) { report(cx, M.unsupported(`overloaded function \`${f0.name}\` as a value where no function type is expected (give it one, or wrap the call in a closure)`), e.span); return T.error; }
    f = g;
  }
  if (f.decl.async && f.decl.extern && f.ret.k !== "unit") { report(cx, M.unsupported(`\`${f.name}\` as a value`), e.span); return T.error; }
  // A generic extern is a compiler intrinsic (json.encode, json.decode): there is no function to point at.
  if (f.decl.extern && f.typeParams.length) { report(cx, M.unsupported(`\`${f.name}\` as a value (wrap it in a closure: \`|v| ${sourceText(cx, e.span)}(v)\`)`), e.span); return T.error; }
  const ft: Type = { k: "fn", params: f.params.map((p) => p.type), ret: f.ret, ...(f.decl.async ? { async: true } : {}) };
  // A generic function is instantiated by the function type the context expects.
  // A generic function is instantiated by the type's arguments written before the `.` (`Stat<int>.of`) and the
  // function type the context expects; where that type's result is still open (`v.map(Stat.of)`: `fn(int): U`),
  // its parameter types alone may fix them.
  let map = new Map<TypeParamInfo, Type>(preset);
  const fixes = (m: Map<TypeParamInfo, Type>) => f.typeParams.every((p) => m.has(p));
  if (f.typeParams.length && !fixes(map) && expected?.k === "fn" && !unifyTypes(ft, expected, map, f.typeParams)) {
    map = new Map(preset);
    if (expected.params.length !== ft.params.length || !ft.params.every((p, i) => unifyTypes(p, expected.params[i], map, f.typeParams))) map = new Map(preset);
  }
  if (f.typeParams.length && !fixes(map)) {
    const written = sourceText(cx, e.span);
    const own = f.typeParams.slice(f.typeParams.length - f.decl.typeParams.length);
    // a static method whose open type arguments are its type's: those are written before the `.` (`Stat<int>.of`)
    const typeFirst = f.owner && f.owner.typeParams.length && !own.some((p) => !map.has(p)) && e.kind === "Field"
      ? `write the type's arguments before the \`.\`: \`${f.owner.name}<${knownTypeArgs(f.owner.typeParams, map, "int").join(", ")}>.${f.name}\`, or give it a function type: `
      : "give it a function type: ";
    const where = expected?.k === "fn" && !containsError(expected) ? `: the expected type \`${showType(expected)}\` does not fix its type arguments`
      : expected?.k === "fn" ? ": nothing here fixes its type arguments" : " where no function type is expected";
    report(cx, { ...M.unsupported(`generic function \`${written}\` as a value${where}`), fix: `${typeFirst}\`let g: ${showType(ft)} = ${written}\` with the type arguments filled in` }, e.span);
    return T.error;
  }
  for (const p of f.typeParams) for (const b of p.bounds) if (!satisfiesTrait(map.get(p)!, b)) report(cx, unmetBound(b, map.get(p)!, f.name, cx.byFile.get(e.span.file)), e.span);
  cx.out.refs.set(e, { kind: "fn", f, typeArgs: f.typeParams.map((p) => map.get(p)!) });
  return subst(ft, map);
}

/** A variant named without its enum: from the expected type, else unique among the module's enums. */
export function findVariant(cx: CheckContext, name: string, m: ModuleInfo, expected: Type | undefined, span: A.Span): { type: Extract<Type, { k: "enum" }>; variant: VariantInfo } | "reported" | null {
  const exp = expected?.k === "optional" ? expected.inner : expected;
  if (exp?.k === "enum") {
    const v = exp.info.variants.find((x) => x.name === name);
    if (v) return { type: exp, variant: v };
  }
  const found: { info: EnumInfo; v: VariantInfo }[] = [];
  for (const en of [...m.enums.values(), cx.resultEnum]) {
    const v = en.variants.find((x) => x.name === name);
    if (v) found.push({ info: en, v });
  }
  if (found.length === 0) return null;
  if (found.length > 1) { report(cx, M.ambiguousVariant(name, found.map((f) => f.info.name)), span); return "reported"; }
  const { info, v } = found[0];
  return { type: { k: "enum", info, args: info.typeParams.map((p) => ({ k: "param", p }) as Type) }, variant: v };
}

/** A unit variant used as a value (`Empty`, `Shape.Empty`). */
export function unitVariant(cx: CheckContext, e: A.Expr, t: Extract<Type, { k: "enum" }>, v: VariantInfo, expected?: Type): Type {
  if (expected?.k === "error") return T.error;
  if (v.fields.length) {
    report(cx, M.argCount(v.name, v.fields.length, 0), e.span);
    return T.error;
  }
  if (t.info.typeParams.length && t.args.some((a) => a.k === "param" && t.info.typeParams.includes(a.p))) {
    report(cx, M.cannotInfer(`\`${v.name}\``, `give the variable a type, e.g. \`let x: ${t.info.name}<int> = ${v.name}\``), e.span);
    return T.error;
  }
  cx.out.refs.set(e, { kind: "variant", type: t, variant: v });
  return t;
}

function unaryType(cx: CheckContext, e: Extract<A.Expr, { kind: "Unary" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  if (e.op === "-" && e.operand.kind === "IntLit") {
    // Fold so that the minimum value of each type is writable.
    const t = intLit(cx, -e.operand.value, "-" + e.operand.text, e, expected);
    record(cx, e.operand, t);
    if (t.k === "int" && !isSigned(t.name)) { report(cx, M.literalRange("-" + e.operand.text, showType(t)), e.span); return T.error; }
    return t;
  }
  const t = checkExpr(cx, e.operand, scope, ctx, m, e.op === "not" ? T.bool : expected);
  if (t.k === "error") return T.error;
  switch (e.op) {
    case "-":
      if ((t.k === "int" && isSigned(t.name)) || t.k === "float") return t;
      break;
    case "not":
      if (t.k === "bool") return t;
      break;
    case "~":
      if (t.k === "int") return t;
      break;
  }
  report(cx, M.unaryType(e.op, showType(t)), e.span);
  return T.error;
}

function binaryType(cx: CheckContext, e: Extract<A.Expr, { kind: "Binary" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  const op = e.op;
  if (op === "and" || op === "or") {
    const l = checkExpr(cx, e.left, scope, ctx, m, T.bool);
    const r = checkExpr(cx, e.right, scope, ctx, m, T.bool);
    if (l.k !== "bool" && l.k !== "error") report(cx, M.binaryTypes(op, showType(l), showType(r)), e.left.span);
    else if (r.k !== "bool" && r.k !== "error") report(cx, M.binaryTypes(op, showType(l), showType(r)), e.right.span);
    return T.bool;
  }
  if (op === "??") {
    // `a ?? b == c` is `a ?? (b == c)`: then the expected bool says nothing about `a` (see the fix below).
    const cmpRight = e.right.kind === "Binary" && ["==", "!=", "<", "<=", ">", ">="].includes(e.right.op);
    const l = checkExpr(cx, e.left, scope, ctx, m, expected && !cmpRight ? T.optional(expected) : undefined);
    if (l.k === "error") { checkExpr(cx, e.right, scope, ctx, m, undefined); return T.error; }
    if (l.k !== "optional") {
      const msg = M.notOptional("??", showType(l));
      // A Result's value or a default (std/fs returns Result everywhere; tester round 8): `.unwrapOr(d)`.
      if (l.k === "enum" && l.info === cx.resultEnum) {
        const left = sourceText(cx, e.left.span), right = sourceText(cx, e.right.span);
        const lhs = /^[\w.]+(\(.*\))?$/.test(left) && !left.includes(" ") ? left : `(${left.replace(/^\((.*)\)$/, "$1")})`;
        msg.fix = left.length + right.length <= 70 && !left.includes("\n") && !right.includes("\n")
          ? `a \`Result\` is not an optional: its value or a default is \`${lhs}.unwrapOr(${right})\`` : "a `Result` is not an optional: its value or a default is `r.unwrapOr(default)`";
      }
      report(cx, msg, e.left.span);
      checkExpr(cx, e.right, scope, ctx, m, undefined);
      return T.error;
    }
    const r = checkExpr(cx, e.right, scope, ctx, m, l.inner);
    if (r.k === "optional" && typeEq(r, l)) return l;
    if (cmpRight && r.k === "bool" && !assignable(cx, l.inner, r)) {
      report(cx, M.mismatch(showType(l.inner), "bool", "`??` binds more loosely than a comparison, so this is `x ?? (d == y)`: write `(x ?? d) == y`"), e.right.span);
      return T.error;
    }
    expectAssignable(cx, l.inner, r, e.right);
    return l.inner;
  }
  const isCmp = op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";
  const isShift = op === "<<" || op === ">>";
  // Literal operands take their type from the other side.
  let l: Type, r: Type;
  const hint = isCmp ? undefined : expected;
  if (isNumLit(e.left) && !isNumLit(e.right)) {
    r = checkExpr(cx, e.right, scope, ctx, m, isShift ? undefined : hint);
    l = checkExpr(cx, e.left, scope, ctx, m, isShift ? hint : (r.k === "optional" ? r.inner : r));
  } else if (e.left.kind === "NoneLit") {
    r = checkExpr(cx, e.right, scope, ctx, m, undefined);
    l = checkExpr(cx, e.left, scope, ctx, m, r.k === "optional" || r.k === "error" ? r : undefined);
  } else {
    l = checkExpr(cx, e.left, scope, ctx, m, hint);
    // The right operand takes its type from the left (literals, `none`, unqualified variants).
    // An operand already in error gives `none` nothing to report (E0219 would be a consequence, not news).
    const rhint = isCmp || l.k === "int" || l.k === "float" || l.k === "string" ? (l.k === "error" && e.right.kind !== "NoneLit" ? undefined : l) : undefined;
    r = checkExpr(cx, e.right, scope, ctx, m, rhint);
  }
  return binaryResult(cx, op, l, r, e.span, e.right, e.left.kind === "NoneLit" || e.right.kind === "NoneLit", e.left);
}

/** The result type of `l op r`, reporting operand errors. */
export function binaryResult(cx: CheckContext, op: A.BinOp, l: Type, r: Type, span: A.Span, rightExpr: A.Expr, noneTest = false, leftExpr?: A.Expr): Type {
  const operands = leftExpr ? { left: leftExpr, right: rightExpr } : undefined;
  if (l.k === "error" || r.k === "error") return op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=" ? T.bool : T.error;
  const sl = showType(l), sr = showType(r);
  switch (op) {
    case "==": case "!=": {
      if (!typeEq(l, r) && !(l.k === "optional" && assignable(cx, l, r)) && !(r.k === "optional" && assignable(cx, r, l))) {
        report(cx, M.binaryTypes(op, sl, sr), span);
      } else if (!hasEq(l) && !noneTest) { // `x == none` only tests presence
        // The fix names a field of the struct that can be compared (tester round 6: it said `a.name` of a struct without one).
        const field = l.k === "struct" ? fieldTypes(l).find((f) => hasEq(f.type))?.name ?? null : null;
        const msg = M.noEq(sl, partWithout(l, false), field, l.k === "enum");
        report(cx, l.k === "param" ? { ...msg, fix: `add a bound: \`${l.p.name}: Eq\`` } : l.k === "map" || l.k === "set" ? { ...msg, fix: collectionEqFix(cx, l.k, leftExpr, rightExpr) } : msg, span);
      }
      return T.bool;
    }
    case "<": case "<=": case ">": case ">=":
      if (!typeEq(l, r)) { report(cx, numericMismatch(cx, op, l, r, operands), span); return T.bool; }
      if (!hasOrd(l)) report(cx, { ...M.noOrd(sl), fix: l.k === "param" ? `add a bound: \`${l.p.name}: Ord\`` : compareFix(l, op) }, span);
      return T.bool;
    case "+": case "-": case "*": case "/": case "%":
      if (op === "+" && l.k === "string" && r.k === "string") return T.string;
      if ((l.k === "int" || l.k === "float") && typeEq(l, r)) {
        if ((op === "/" || op === "%") && l.k === "int" && rightExpr.kind === "IntLit" && rightExpr.value === 0n) report(cx, M.divisionByZeroConst(), rightExpr.span);
        return l;
      }
      report(cx, numericMismatch(cx, op, l, r, operands), span);
      return T.error;
    case "&": case "|": case "^": case "<<": case ">>":
      if (l.k === "int" && typeEq(l, r)) return l;
      report(cx, M.binaryTypes(op, sl, sr), span);
      return T.error;
    case "and": case "or": case "??":
      return T.error; // handled by the caller
  }
}

/** An operand as written, when it is short and on one line (for a fix); `wrap`: parenthesised unless it is a name, call or literal. */
function operandText(cx: CheckContext, e: A.Expr, wrap: boolean): string | null {
  const t = sourceText(cx, e.span);
  if (t.length > 40 || t.includes("\n")) return null;
  return wrap && !/^[A-Za-z_][A-Za-z0-9_.]*(\(.*\))?$|^[0-9][0-9_.]*$/.test(t) ? `(${t})` : t;
}

/** `"count: " + n` as one interpolated literal, `"count: {n}"`; null when an operand is not short or a literal has interpolations. */
function interpolated(cx: CheckContext, a: A.Expr, b: A.Expr): string | null {
  const part = (e: A.Expr): string | null => {
    if (e.kind === "StrLit") return !e.raw && e.parts.every((p) => p.kind === "text") ? sourceText(cx, e.span).slice(1, -1) : null;
    const t = operandText(cx, e, false);
    return t === null || t.includes('"') ? null : `{${t}}`;
  };
  const x = part(a), y = part(b);
  return x === null || y === null ? null : `"${x}${y}"`;
}

function numericMismatch(cx: CheckContext, op: string, l: Type, r: Type, operands?: { left: A.Expr; right: A.Expr }): Message {
  // `n + 1` with `n: int?` (a `parseInt()`, a `get`): a default or an unwrap, on the optional side.
  const num = (t: Type) => t.k === "int" || t.k === "float";
  const opt = (t: Type) => t.k === "optional" && num(t.inner);
  // `h + 1` with `h = spawn f()`: the task's value is what `await h` gives.
  if (l.k === "task" || r.k === "task") {
    const side = l.k === "task" ? operands?.left : operands?.right;
    return M.binaryTypes(op, showType(l), showType(r), side ? taskFix(cx, side, (l.k === "task" ? l : r) as Extract<Type, { k: "task" }>) : undefined);
  }
  if ((opt(l) && (num(r) || opt(r))) || (opt(r) && num(l))) {
    const side = opt(l) ? operands?.left : operands?.right;
    const t = side ? operandText(cx, side, true) : null;
    const inner = ((opt(l) ? l : r) as Extract<Type, { k: "optional" }>).inner;
    const zero = inner.k === "float" ? "0.0" : "0";
    return M.binaryTypes(op, showType(l), showType(r), t
      ? `\`${t}\` may be \`none\`: give it a default, \`(${t} ?? ${zero})\`, or unwrap it where it cannot be none, \`${t}!\``
      : `an operand may be \`none\`: give it a default with \`?? ${zero}\`, or unwrap it with \`!\``);
  }
  if ((l.k === "int" || l.k === "float") && (r.k === "int" || r.k === "float")) {
    // Suggest the conversion that loses nothing: to the float side, or to the wider integer.
    const wider = (a: Type, b: Type): Type => {
      if (a.k === "float") return b.k === "float" && b.name === "f64" ? b : a;
      if (b.k === "float") return b;
      const ra = intRange((a as { name: IntName }).name), rb = intRange((b as { name: IntName }).name);
      if (ra.min <= rb.min && ra.max >= rb.max) return a;
      if (rb.min <= ra.min && rb.max >= ra.max) return b;
      return T.i64;
    };
    const to = wider(l, r);
    const narrow = typeEq(to, l) ? "right" : typeEq(to, r) ? "left" : "both";
    const lt = operands && operandText(cx, operands.left, true), rt = operands && operandText(cx, operands.right, true);
    const conv = (t: string, side: Type) => typeEq(side, to) ? t : `${t} as ${showType(to)}`;
    const whole = lt && rt ? `: \`${conv(lt, l)} ${op} ${conv(rt, r)}\`` : `: \`(...) as ${showType(to)}\``;
    return { ...M.mixedNumeric(op, showType(l), showType(r)), fix: `convert the ${narrow === "both" ? "operands" : narrow + " side"} explicitly${whole}` };
  }
  if (op === "+" && (l.k === "string" || r.k === "string")) {
    const lit = operands ? interpolated(cx, operands.left, operands.right) : null;
    return M.binaryTypes(op, showType(l), showType(r), `interpolate instead: \`${lit ?? "\"{a}{b}\""}\``);
  }
  // `"ab" * n` (Python's habit): `repeat`, on the string side (tester round 13).
  if (op === "*" && ((l.k === "string" && r.k === "int") || (l.k === "int" && r.k === "string"))) {
    const [s, n] = l.k === "string" ? [operands?.left, operands?.right] : [operands?.right, operands?.left];
    const st = s && (s.kind === "StrLit" ? operandText(cx, s, false) : operandText(cx, s, true)), nt = n && operandText(cx, n, false);
    return M.binaryTypes(op, showType(l), showType(r), `repeat the string: \`${st ?? "s"}.repeat(${nt ?? "n"})\``);
  }
  return M.binaryTypes(op, showType(l), showType(r));
}

function castType(cx: CheckContext, e: Extract<A.Expr, { kind: "Cast" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo): Type {
  const to = resolveType(cx, e.type, m, ctx.env);
  // `none as int?`, `9 as int?` (TypeScript's and Kotlin's habit): the operand is checked as the optional it is
  // meant to be (no E0219 on the `none`), then E0210 says where the type comes from instead.
  const from = checkExpr(cx, e.operand, scope, ctx, m, to.k === "optional" ? to : undefined);
  if (from.k === "error" || to.k === "error") return to;
  const ok = (from.k === "int" || from.k === "float" || from.k === "bool") && (to.k === "int" || to.k === "float")
    && !(from.k === "bool" && to.k === "float");
  if (!ok && !typeEq(from, to)) { report(cx, { ...M.badCast(showType(from), showType(to)), fix: castFix(cx, e.operand, from, to) }, e.span); return T.error; }
  return to;
}

function tryType(cx: CheckContext, e: Extract<A.Expr, { kind: "Try" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined): Type {
  // `let v: Vec<int> = json.decode(s)?`: the operand is expected to be a Result (or an optional, as the enclosing
  // result type says) of the expected value; its error type is left open (a hole), the operand decides it.
  const ret = ctx.ret;
  const want = !expected || containsError(expected) ? undefined
    : ret.k === "enum" && ret.info === cx.resultEnum ? { k: "enum", info: cx.resultEnum, args: [expected, T.error] } as Type
    : ret.k === "optional" ? T.optional(expected)
    // a `?` the enclosing function cannot take (it returns neither): the operand is still inferred as the
    // usual `Result`, so the error reported is that one (E0233), not a follow-on "cannot infer" (tester round 9)
    : ret.k !== "error" && (ctx.fn || ctx.closure) ? { k: "enum", info: cx.resultEnum, args: [expected, T.error] } as Type : undefined;
  const t = checkExpr(cx, e.operand, scope, ctx, m, want);
  if (ctx.infer && ctx.infer.ret === null && t.k !== "error") {
    // Which `?` is allowed depends on the result type, not known yet.
    ctx.infer.pendingTries.push({ e, operand: t });
    if (t.k === "optional") return t.inner;
    if (t.k === "enum" && t.info === cx.resultEnum) return t.args[0];
  }
  return tryResult(cx, e, t, ctx);
}

/** The operand of `x?` as written, for a fix that converts it first. */
/** A type named with its module when it comes from another one (`fs.Error` and `json.Error` both print as `Error`). */
function qualifiedType(t: Type): string {
  if ((t.k === "struct" || t.k === "enum") && !t.info.module.isEntry && !t.args.length) return `${t.info.module.alias}.${t.info.name}`;
  return showType(t);
}

function tryOperand(cx: CheckContext, e: Extract<A.Expr, { kind: "Try" }>): string {
  const s = sourceText(cx, e.operand.span);
  return s.length <= 40 && !s.includes("\n") ? s : "x";
}

/** `json.decode(s)?` took its `T` from the variable's type: a fix that rewrites the operand (`.mapErr(...)?`, a
 * `match`) no longer has that context, so it writes the type argument. */
function decodeTyped(op: string, e: Extract<A.Expr, { kind: "Try" }>, t: Type): string {
  const call = e.operand.kind === "Call" ? e.operand : undefined;
  if (call && !call.typeArgs?.length && /^json\.decode\(/.test(op) && t.k === "enum" && t.args[0].k !== "error")
    return op.replace(/^json\.decode/, `json.decode<${showType(t.args[0])}>`);
  return op;
}

/** E0233 in an HTTP handler (its result is `http.Response`, which it cannot change): it answers the error itself. */
function handlerTryFix(cx: CheckContext, e: Extract<A.Expr, { kind: "Try" }>, t: Type, ret: Type): { fix: string } | undefined {
  if (ret.k !== "struct" || ret.info.name !== "Response" || !ret.info.module.isStd || !ret.info.module.file.endsWith("http.co")) return undefined;
  let op = sourceText(cx, e.operand.span);
  if (op.includes("\n") || op.length > 60) return undefined;
  op = decodeTyped(op, e, t);
  return { fix: `a handler returns \`http.Response\`: answer the error instead of \`?\`: \`match ${op} { Ok(v) => v, Err(e) => return http.json(400, { "error": "{e}" }) }\`` };
}

/** The value of `e?` with operand type t, reporting a `?` the enclosing result type does not allow. */
export function tryResult(cx: CheckContext, e: Extract<A.Expr, { kind: "Try" }>, t: Type, ctx: FnCtx): Type {
  if (t.k === "error") return T.error;
  const ret = ctx.ret;
  if (t.k === "optional") {
    if (ret.k === "enum" && ret.info === cx.resultEnum) {
      report(cx, M.tryKindMismatch(ctx.name, "an optional", showType(ret), `turn the optional into a \`Result\` first: \`${tryOperand(cx, e)}.okOr(err)?\`, where \`err\` is the \`${showType(ret.args[1])}\` to return when it is \`none\``), e.span);
      return T.error;
    }
    if (ret.k !== "optional" && ret.k !== "error") { report(cx, optionalChain(cx, e, ctx.name) ?? M.tryOutsideResult(ctx.name), e.span); return T.error; }
    return t.inner;
  }
  if (t.k !== "enum" || t.info !== cx.resultEnum) { report(cx, M.notOptional("?", showType(t)), e.span); return T.error; }
  if (ret.k === "error") return t.args[0];
  if (ret.k === "optional" && (ctx.fn || ctx.closure)) {
    report(cx, M.tryKindMismatch(ctx.name, "a `Result`", showType(ret), `keep the value and drop the error: \`${tryOperand(cx, e)}.ok()?\` (an \`Err\` returns \`none\`)`), e.span);
    return T.error;
  }
  if (ret.k !== "enum" || ret.info !== cx.resultEnum || (!ctx.fn && !ctx.closure)) {
    report(cx, { ...M.tryOutsideResult(ctx.name), ...handlerTryFix(cx, e, t, ret) }, e.span);
    return T.error;
  }
  if (!typeEq(ret.args[1], t.args[1]) && t.args[1].k !== "error" && ret.args[1].k !== "error") {
    report(cx, M.tryErrorMismatch(qualifiedType(t.args[1]), qualifiedType(ret.args[1]), postfixOperand(decodeTyped(tryOperand(cx, e), e, t))), e.span);
    return T.error;
  }
  return t.args[0];
}

function ifType(cx: CheckContext, e: Extract<A.Expr, { kind: "If" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  const ct = checkExpr(cx, e.cond, scope, ctx, m, T.bool);
  expectCond(cx, ct, e.cond);
  return branches(cx, e, e.then, e.else_, new Scope(scope), scope, ctx, m, expected, stmt);
}

function ifLetType(cx: CheckContext, e: Extract<A.Expr, { kind: "IfLet" }>, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  const vt = checkExpr(cx, e.value, scope, ctx, m, undefined);
  const inner = new Scope(scope);
  ifLetPattern(cx, e, vt, inner, m);
  return branches(cx, e, e.then, e.else_, new Scope(inner), scope, ctx, m, expected, stmt);
}

/** The two arms of an if / if-let; as a statement (stmt) their values are ignored. */
export function branches(cx: CheckContext, e: A.Expr, then: A.Block, else_: A.Block | A.Expr | null, thenScope: Scope, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  if (stmt) {
    const a = checkBlock(cx, then, thenScope, ctx, m);
    if (!else_) return T.unit;
    const b = else_.kind === "Block" ? checkBlock(cx, else_, new Scope(scope), ctx, m) : { diverges: checkExpr(cx, else_, scope, ctx, m, undefined, true).k === "never" };
    return a.diverges && b.diverges ? T.never : T.unit;
  }
  if (!else_) {
    report(cx, M.ifWithoutElse(), e.span);
    checkBlock(cx, then, thenScope, ctx, m);
    return T.error;
  }
  const mark = cx.diags.length;
  let a = blockValue(cx, then, thenScope, ctx, m, expected, false);
  // An expected type with holes (a closure's shape) gives way to the then branch's type, which is complete.
  const holed = expected !== undefined && containsError(expected);
  const fromThen = a.k !== "never" && !containsError(a) ? (expected?.k === "optional" && a.k !== "optional" ? T.optional(a) : a) : undefined;
  const want = holed ? fromThen ?? expected : expected ?? widenForNone(blockTail(else_), fromThen);
  const elseScope = else_.kind === "Block" ? new Scope(scope) : scope;
  let b = else_.kind === "Block" ? blockValue(cx, else_, elseScope, ctx, m, want, false) : checkExpr(cx, else_, scope, ctx, m, want);
  if ((!expected || holed) && (containsError(a) || containsError(b))) {
    // `if c { Err("x") } else { Ok(n) }`: each branch leaves a type parameter open, together they decide it
    // (also against a closure's shape with holes: `retry(|i| if i < 2 { Err("e") } else { Ok(i) })`).
    const both: Branch[] = [{ tail: blockTail(then), scope: thenScope, type: a }, { tail: else_.kind === "Block" ? blockTail(else_) : null, scope: elseScope, type: b }];
    const joined = joinOpenBranches(cx, ctx, m, both, mark);
    if (joined) {
      a = both[0].type; b = both[1].type;
      if (a.k !== "error" && b.k !== "error" && assignable(cx, joined, a) && assignable(cx, joined, b)) return joined;
    }
  }
  if (a.k === "never") return b;
  if (b.k === "never") return a;
  if (a.k === "error" || b.k === "error") return T.error;
  if (expected && !holed && assignable(cx, expected, a) && assignable(cx, expected, b)) return expected;
  if (holed && fromThen && assignable(cx, fromThen, a) && assignable(cx, fromThen, b)) return fromThen;
  if (typeEq(a, b)) return a;
  if (a.k === "optional" && assignable(cx, a, b)) return a;
  if (b.k === "optional" && assignable(cx, b, a)) return b;
  const span = else_.kind === "Block" ? lastExprSpan(cx, else_) : else_.span;
  report(cx, M.mismatch(showType(a), showType(b), "both branches of an `if` value must have the same type"), span);
  return T.error;
}

export function lastExprSpan(cx: CheckContext, b: A.Block): A.Span {
  const last = b.stmts[b.stmts.length - 1];
  return last ? last.span : b.span;
}

/** Type of a block used as a value: its last expression statement. */
export function blockValue(cx: CheckContext, b: A.Block, scope: Scope, ctx: FnCtx, m: ModuleInfo, expected: Type | undefined, stmt: boolean): Type {
  const stmts = b.stmts;
  let diverges = false;
  let warned = false;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    if (diverges && !warned) { report(cx, M.unreachable(), s.span); warned = true; }
    if (i === stmts.length - 1 && s.kind === "ExprStmt" && !stmt) {
      const t = checkExpr(cx, s.expr, scope, ctx, m, expected);
      return diverges ? T.never : t;
    }
    if (checkStmt(cx, s, scope, ctx, m).diverges) diverges = true;
  }
  if (diverges) return T.never;
  if (!stmt) { report(cx, M.unitValue(), stmts.length ? stmts[stmts.length - 1].span : b.span); return T.error; }
  return T.unit;
}

export function intValue(e: A.Expr): bigint {
  if (e.kind === "IntLit") return e.value;
  if (e.kind === "Unary" && e.op === "-" && e.operand.kind === "IntLit") return -e.operand.value;
  return 0n;
}
