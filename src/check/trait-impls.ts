// Conformance of a trait implementation's methods to the trait's declarations.
// A call through a bound (`fn total<T: Area>(x: T)`, `x.area()`) is typed by the
// trait's signature but runs the impl's method, so the two must agree exactly:
// the receiver (`self` / `mut self` / none), the method's own type parameters
// (as many, with the same bounds; names may differ: the impl's are read as the
// trait's), the parameter types in order, and the result type. Parameter names do
// not matter (calls are positional). Runs once every module's signatures are
// resolved, so an impl of a trait from a module checked later is compared too.

import type * as A from "../syntax/ast.js";
import { M } from "../messages.js";
import { showType, typeEq, subst, containsError, traitSig, applyTrait, type Type, type FnInfo, type ImplInfo, type ModuleInfo, type TypeParamInfo } from "./types.js";
import { report, type CheckContext } from "./context.js";

export function checkTraitImpls(cx: CheckContext): void {
  for (const tr of cx.allTraits) {
    for (const impl of tr.impls) for (const f of impl.methods.values()) checkMethod(cx, impl, f);
  }
}

/** One difference: where it is in the impl method, and what it is. */
interface Difference { span: A.Span; what: string }

function checkMethod(cx: CheckContext, impl: ImplInfo, f: FnInfo): void {
  const tr = impl.trait;
  const td = tr.methods.get(f.name);
  const raw = tr.sigs.get(f.name);
  const sig = traitSig(applyTrait(tr, impl.traitArgs), f.name, impl.target); // `Self` read as this impl's target, `T` as its argument
  // Poisoned (generic) methods are already E0001; an unresolved type already has its error.
  if (!td || !sig) return;
  if ([...sig.params, sig.ret, ...f.params.map((p) => p.type), f.ret].some(containsError)) return;
  const d = f.decl;
  const m = f.module;
  const ty = (t: Type) => showType(t, m);
  const diffs: Difference[] = [];

  if (td.async !== d.async) {
    diffs.push({ span: d.nameSpan, what: td.async ? "the trait's method is `async`, this one is not (a call through the trait is awaited)" : "this one is `async`, the trait's method is not (a call through the trait is not awaited)" });
  }
  const recv = (s: A.FnDecl["selfParam"]) => (s ? (s.mut ? "`mut self`" : "`self`") : "no `self`");
  if (!!td.selfParam !== !!d.selfParam || (td.selfParam && d.selfParam && td.selfParam.mut !== d.selfParam.mut)) {
    const span = d.selfParam?.span ?? d.params[0]?.span ?? d.nameSpan;
    diffs.push({ span, what: `the trait's method takes ${recv(td.selfParam)}, this one ${d.selfParam ? "takes " : "has "}${recv(d.selfParam)}` });
  }
  // The method's own type parameters (`fn apply<U>`) correspond by position, whatever their names: the impl's are
  // read as the trait's (renamed), and each must have the trait's bounds.
  const own = f.typeParams.slice(f.typeParams.length - d.typeParams.length);
  const tps = sig.typeParams;
  const list = (ps: { name: string }[]) => `\`<${ps.map((p) => p.name).join(", ")}>\``;
  if (own.length !== tps.length) {
    diffs.push({
      span: d.typeParams[0]?.span ?? d.nameSpan,
      what: !tps.length ? `this one declares type parameters (${list(own)}), the trait's method has none`
        : !own.length ? `the trait's method declares type parameters (${list(tps)}), this one has none`
        : `the trait's method declares ${tps.length} type parameter${tps.length === 1 ? "" : "s"} (${list(tps)}), this one ${own.length} (${list(own)})`,
    });
  }
  const renamed = new Map<TypeParamInfo, Type>();
  // Those in both (by position) are renamed, so one extra or missing parameter is one difference, not one per use.
  if (own.length === tps.length) {
    own.forEach((p, i) => {
      renamed.set(p, { k: "param", p: tps[i] });
      const bounds = (ps: TypeParamInfo) => ps.bounds.map((b) => b.name).sort().join(" + ");
      if (bounds(p) !== bounds(tps[i])) {
        const b = bounds(tps[i]);
        diffs.push({ span: d.typeParams[i].span, what: `type parameter \`${p.name}\` is ${p.bounds.length ? `bounded by \`${bounds(p)}\`` : "unbounded"} here, ${b ? `by \`${b}\`` : "unbounded"} in the trait` });
      }
    });
  } else own.slice(0, tps.length).forEach((p, i) => renamed.set(p, { k: "param", p: tps[i] }));
  const mine = (t: Type) => subst(t, renamed); // an impl's type read with the trait's type parameters
  const tn = sig.params.length;
  const fn = f.params.length;
  if (tn !== fn) {
    const count = (n: number) => `${n === 0 ? "no" : n} parameter${n === 1 ? "" : "s"}${td.selfParam || d.selfParam ? " besides `self`" : ""}`;
    const span = fn > tn ? d.params[tn].span : d.params[fn - 1]?.span ?? d.selfParam?.span ?? d.nameSpan;
    diffs.push({ span, what: `the trait's method takes ${count(tn)}, this one ${fn}` });
  }
  for (let i = 0; i < Math.min(tn, fn); i++) {
    if (typeEq(sig.params[i], mine(f.params[i].type))) continue;
    const p = d.params[i];
    diffs.push({ span: p.type?.span ?? p.span, what: `parameter \`${p.name}\` is \`${ty(f.params[i].type)}\` here, \`${ty(sig.params[i])}\` in the trait` });
  }
  if (!typeEq(sig.ret, mine(f.ret))) {
    const returns = (t: Type) => (t.k === "unit" ? "returns nothing" : `returns \`${ty(t)}\``);
    diffs.push({ span: d.ret?.span ?? d.nameSpan, what: `the trait's method ${returns(sig.ret)}, this one ${returns(f.ret)}` });
  }
  if (!diffs.length) return;

  // The fix keeps the impl's own parameter names where it has them (its body reads them), except a name the
  // trait gives another parameter: swapped parameters keep their names and get the trait's order.
  const names: string[] = [];
  sig.params.forEach((_, i) => {
    const own = d.params[i]?.name;
    const theirs = td.params[i]?.name ?? `p${i}`;
    const ownFits = own !== undefined && !td.params.some((p, j) => j !== i && p.name === own);
    names.push(ownFits && !names.includes(own) ? own : !names.includes(theirs) ? theirs : `${theirs}${i}`);
  });
  // The fix spells the trait's type parameters with the impl's names where it has as many (its body uses them).
  const back = new Map<TypeParamInfo, Type>(own.length === tps.length ? tps.map((p, i) => [p, { k: "param", p: own[i] }]) : []);
  const wantParams = own.length === tps.length ? own : tps;
  const typeParamsOf = (ps: TypeParamInfo[]) => ps.map((p) => (p.bounds.length ? `${p.name}: ${p.bounds.map((b) => b.name).join(" + ")}` : p.name));
  const bounded = (ps: TypeParamInfo[]) => typeParamsOf(ps.map((p, i) => ({ ...p, bounds: tps[i]?.bounds ?? p.bounds })));
  const want = (td.async ? "async " : "") + spell(f.name, td.selfParam, sig.params.map((t, i) => [names[i], subst(t, back)]), subst(sig.ret, back), m, bounded(wantParams));
  const declared = (td.async ? "async " : "") + spell(f.name, td.selfParam, raw!.params.map((t, i) => [td.params[i]?.name ?? `p${i}`, t]), raw!.ret, m, typeParamsOf(tps));
  const have = (d.async ? "async " : "") + spell(f.name, d.selfParam, f.params.map((p) => [p.name, p.type]), f.ret, m, typeParamsOf(own));
  const trName = impl.traitArgs.length ? `${tr.name}<${impl.traitArgs.map(ty).join(", ")}>` : tr.name;
  report(cx, M.traitSignatureMismatch(f.name, trName, ty(impl.target), diffs.map((x) => x.what), { declared, at: td.nameSpan }, have, want), diffs[0].span);
}

/** A method signature as the user writes it in an impl, types spelled as module m names them. */
function spell(name: string, self: A.FnDecl["selfParam"], params: [string, Type][], ret: Type, m: ModuleInfo, typeParams: string[] = []): string {
  const parts = [...(self ? [self.mut ? "mut self" : "self"] : []), ...params.map(([n, t]) => `${n}: ${showType(t, m)}`)];
  return `fn ${name}${typeParams.length ? `<${typeParams.join(", ")}>` : ""}(${parts.join(", ")})${ret.k === "unit" ? "" : `: ${showType(ret, m)}`}`;
}
