// Csmith-style random program generator for the differential campaign
// (issue 11, item 11; scripts/fuzz/diff.ts runs it). A program is a pure
// function of its seed: well-typed by construction (every expression is
// generated for a wanted type from the variables in scope), free of undefined
// behaviour by the language's definition (Colang has none: overflow, division
// by zero, bad casts and bad indices panic), and bounded (no recursion, every
// loop has a literal trip count). It folds what it computes into a checksum
// that main prints; it may also print values along the way and may panic —
// every build must then panic at the same place after the same output.

export function rng(seed: number): () => number {
  let s = (seed ^ 0x5bd1e995) >>> 0;
  return () => { // mulberry32, as scripts/fuzz/fuzz.ts
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type IntT = "int" | "i8" | "i16" | "i32" | "u8" | "u16" | "u32" | "u64";
type Ty = IntT | "bool" | "string" | "S" | "E" | "VI" | "MS" | "float";
const INTS: IntT[] = ["int", "i8", "i16", "i32", "u8", "u16", "u32", "u64"];
const BITS: Record<IntT, number> = { int: 64, i8: 8, i16: 16, i32: 32, u8: 8, u16: 16, u32: 32, u64: 64 };
const SRC: Record<Ty, string> = { int: "int", i8: "i8", i16: "i16", i32: "i32", u8: "u8", u16: "u16", u32: "u32", u64: "u64", bool: "bool", string: "string", S: "S", E: "E", VI: "Vec<int>", MS: "Map<string, int>", float: "float" };
const signed = (t: IntT): boolean => t[0] !== "u";
const isInt = (t: Ty): t is IntT => (INTS as string[]).includes(t);

interface Var { name: string; ty: Ty; mut: boolean }
interface Fn { name: string; params: Ty[]; ret: IntT }

const WORDS = ["a", "bc", "xyz", "hello", "é", "k=v", "", " sp ", "42", "-7", "Colang"];

class Gen {
  private r: () => number;
  private out: string[] = [];
  private ind = 1;
  private n = 0;
  private scopes: Var[][] = [[]];
  private fns: Fn[] = [];
  private loopDepth = 0;
  private noGrow = 0; // inside a `for` over a vec: growing any vec would be a (deterministic) panic; keep programs long-lived
  constructor(seed: number) { this.r = rng(seed); }

  private int(lo: number, hi: number): number { return lo + Math.floor(this.r() * (hi - lo + 1)); }
  private chance(p: number): boolean { return this.r() < p; }
  private pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.r() * xs.length)]; }
  private fresh(p: string): string { return `${p}${this.n++}`; }
  private line(s: string): void { this.out.push("  ".repeat(this.ind) + s); }
  private vars(pred: (v: Var) => boolean): Var[] { return this.scopes.flat().filter(pred); }
  private declare(v: Var): void { this.scopes[this.scopes.length - 1].push(v); }
  private block(f: () => void): void { this.scopes.push([]); this.ind++; f(); this.ind--; this.scopes.pop(); }

  // ---------------------------------------------------------------- expressions
  private lit(t: IntT): string {
    const bits = BITS[t];
    const max = signed(t) ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
    const min = signed(t) ? -(2n ** BigInt(bits - 1)) : 0n;
    let v: bigint;
    const k = this.r();
    if (k < 0.85) v = BigInt(this.int(signed(t) ? -20 : 0, 40));
    else if (k < 0.89) v = max - BigInt(this.int(0, 3));
    else if (k < 0.91) v = min + BigInt(this.int(0, 3));
    else v = BigInt(this.int(0, 1000));
    if (v > max) v = max;
    // A literal takes its type from context, but a subexpression made of
    // literals only (`(3 + 4) < x`) has none: say the type.
    if (t === "u64" && v > 2n ** 63n - 1n) return `(U64TOP - ${max - v})`;
    if (t === "int") return v < 0n ? `(${v})` : `${v}`;
    return `(${v} as ${t})`;
  }

  intExpr(t: IntT, d: number): string {
    const k = this.r();
    if (d <= 0 || k < 0.2) {
      const vs = this.vars((v) => v.ty === t);
      return vs.length && this.chance(0.7) ? this.pick(vs).name : this.lit(t);
    }
    if (k < 0.45) {
      const op = this.pick(["+", "-", "*", "+", "-", "&", "|", "^", "/", "%", "&", "+"]);
      // A divisor that folds to a constant 0 is a compile error (E0225); a variable may still be 0 and panic.
      const vs = this.vars((v) => v.ty === t);
      const div = (): string => this.chance(0.6) ? this.lit(t).replace(/^\(?0( as \w+)?\)?$/, "1") : vs.length && this.chance(0.5) ? this.pick(vs).name : `(${this.intExpr(t, d - 1)} | 1)`;
      const rhs = op === "/" || op === "%" ? div() : this.intExpr(t, d - 1);
      return `(${this.intExpr(t, d - 1)} ${op} ${rhs})`;
    }
    if (k < 0.5) return `(${this.intExpr(t, d - 1)} ${this.pick(["<<", ">>"])} ${this.int(0, Math.min(BITS[t] - 1, 12))})`;
    if (k < 0.53 && signed(t)) return `(-${this.intExpr(t, d - 1)})`;
    if (k < 0.6) { // conversion from another width: may panic when the value does not fit
      const from = this.pick(INTS);
      const e = this.intExpr(from, d - 1);
      // Masked, it always fits; unmasked, it may panic.
      return from === t ? e : this.chance(0.6) ? `((${e} & 63) as ${t})` : `((${e}) as ${t})`;
    }
    if (k < 0.65) return `(if ${this.boolExpr(d - 1)} { ${this.intExpr(t, d - 1)} } else { ${this.intExpr(t, d - 1)} })`;
    if (k < 0.72 && t === "int") {
      const fs = this.fns;
      if (fs.length) {
        const f = this.pick(fs);
        return `${f.name}(${f.params.map((p) => this.expr(p, d - 1)).join(", ")})`;
      }
    }
    if (k < 0.8 && t === "int") return this.intFromOther(d - 1);
    if (k < 0.85) return `math.${this.pick(["min", "max"])}(${this.intExpr(t, d - 1)}, ${this.intExpr(t, d - 1)})`;
    if (k < 0.9 && t === "int") return `gfirst(${this.expr("VI", d - 1)}, ${this.intExpr("int", d - 1)})`;
    const vs = this.vars((v) => v.ty === t);
    return vs.length ? this.pick(vs).name : this.lit(t);
  }

  private intFromOther(d: number): string {
    switch (this.int(0, 9)) {
      case 0: return `${this.strExpr(d)}.len()`;
      case 1: return `${this.expr("VI", d)}.len()`;
      case 2: return `(${this.expr("MS", d)}.get(${this.strExpr(d)}) ?? ${this.lit("int")})`;
      case 3: { const v = this.expr("VI", d); return `(if ${v}.len() > 0 { ${v}[(${this.intExpr("int", d)} & 1023) % ${v}.len()] } else { 7 })`; }
      case 4: return `${this.expr("S", d)}.a`;
      case 5: return `(${this.expr("S", d)}.b as int)`;
      case 6: return `ekey(${this.expr("E", d)})`;
      case 7: return `(match ${this.expr("E", d)} { A(n) => n + 1, B(x, y) => (x as int) * 3 + y.len(), C => 11 })`;
      case 8: return `(${this.strExpr(d)}.find(${this.pick(['"a"', '"l"', '"="', '"é"'])}) ?? (-1))`;
      default: return `(${this.expr("VI", d)}.filter(|x| x % 2 == 0).len())`;
    }
  }

  boolExpr(d: number): string {
    const k = this.r();
    if (d <= 0 || k < 0.15) {
      const vs = this.vars((v) => v.ty === "bool");
      return vs.length && this.chance(0.6) ? this.pick(vs).name : this.pick(["true", "false"]);
    }
    if (k < 0.6) { const t = this.pick(INTS); return `(${this.intExpr(t, d - 1)} ${this.pick(["<", "<=", ">", ">=", "==", "!="])} ${this.intExpr(t, d - 1)})`; }
    if (k < 0.7) return `(${this.boolExpr(d - 1)} ${this.pick(["and", "or"])} ${this.boolExpr(d - 1)})`;
    if (k < 0.75) return `(not ${this.boolExpr(d - 1)})`;
    if (k < 0.8) return `(${this.strExpr(d - 1)} ${this.pick(["==", "<", "!="])} ${this.strExpr(d - 1)})`;
    if (k < 0.85) return `${this.strExpr(d - 1)}.contains(${this.pick(['"a"', '"1"', '"e"'])})`;
    if (k < 0.9) return `${this.expr("VI", d - 1)}.contains(${this.intExpr("int", d - 1)})`;
    if (k < 0.95) return `${this.expr("MS", d - 1)}.has(${this.strExpr(d - 1)})`;
    return `(${this.expr("S", d - 1)} == ${this.expr("S", d - 1)})`;
  }

  strExpr(d: number): string {
    const k = this.r();
    if (d <= 0 || k < 0.25) {
      const vs = this.vars((v) => v.ty === "string");
      return vs.length && this.chance(0.6) ? this.pick(vs).name : JSON.stringify(this.pick(WORDS));
    }
    if (k < 0.45) return `"${this.pick(["v", "x=", "", "<"])}{${this.intExpr(this.pick(INTS), d - 1)}}${this.pick(["", ">", "|"])}"`;
    if (k < 0.6) return `(${this.strExpr(d - 1)} + ${this.strExpr(d - 1)})`;
    if (k < 0.65) return `${this.strExpr(d - 1)}.toUpper()`;
    if (k < 0.7) return `${this.strExpr(d - 1)}.trim()`;
    if (k < 0.75) return `${this.strExpr(d - 1)}.repeat(${this.int(0, 3)})`;
    if (k < 0.8) return `${this.strExpr(d - 1)}.replace("a", "A")`;
    if (k < 0.85) return `${this.expr("S", d - 1)}.s`;
    if (k < 0.9) return `"{${this.expr(this.pick(["S", "E", "VI", "MS", "bool"] as Ty[]), d - 1)}}"`;
    if (k < 0.95) return `${this.expr("VI", d - 1)}.map(|x| "{x}").join("${this.pick([",", "-", ""])}")`;
    return `gfirst(${this.strExpr(d - 1)}.split(","), "none")`;
  }

  expr(t: Ty, d: number): string {
    if (isInt(t)) return this.intExpr(t, d);
    if (t === "bool") return this.boolExpr(d);
    if (t === "string") return this.strExpr(d);
    const vs = this.vars((v) => v.ty === t);
    if (vs.length && (d <= 0 || this.chance(0.5))) return this.pick(vs).name;
    const dd = Math.max(0, d - 1);
    switch (t) {
      case "S": return `(S { a: ${this.intExpr("int", dd)}, b: ${this.intExpr("i32", dd)}, s: ${this.strExpr(dd)} })`;
      case "E": {
        const k = this.int(0, 2);
        return k === 0 ? `E.A(${this.intExpr("int", dd)})` : k === 1 ? `E.B(${this.intExpr("i32", dd)}, ${this.strExpr(dd)})` : "E.C";
      }
      case "VI": {
        const k = this.int(0, 3);
        if (k === 0) { const n = this.int(0, 5); return n ? `[${Array.from({ length: n }, () => this.intExpr("int", dd)).join(", ")}]` : "Vec<int>()"; }
        if (k === 1) return `range(${this.int(0, 8)})`;
        if (k === 2 && vs.length) return `${this.pick(vs).name}.map(|x| x * ${this.int(-3, 3)} + ${this.int(0, 9)})`;
        return `gpair(${this.intExpr("int", dd)}, ${this.strExpr(dd)}).v`;
      }
      case "MS": { const n = this.int(0, 3); return n ? `{${Array.from({ length: n }, () => `${JSON.stringify(this.pick(WORDS))}: ${this.intExpr("int", dd)}`).join(", ")}}` : "Map<string, int>()"; }
      default: return `${this.int(0, 100)}.5`;
    }
  }

  // ---------------------------------------------------------------- statements
  private toInt(v: Var): string {
    switch (v.ty) {
      case "u64": return `((${v.name} % 1000000007) as int)`;
      case "bool": return `(${v.name} as int)`;
      case "string": return `${v.name}.len()`;
      case "S": return `${v.name}.a`;
      case "E": return `ekey(${v.name})`;
      case "VI": return `vsum(${v.name})`;
      case "MS": return `${v.name}.len()`;
      case "float": return "0";
      default: return v.ty === "int" ? v.name : `(${v.name} as int)`;
    }
  }

  stmt(d: number): void {
    const k = this.r();
    if (k < 0.25) {
      const t = this.pick<Ty>(["int", "i8", "i16", "i32", "u8", "u16", "u32", "u64", "int", "bool", "string", "S", "E", "VI", "MS"]);
      const mut = this.chance(0.5);
      const name = this.fresh("v");
      this.line(`${mut ? "var" : "let"} ${name}: ${SRC[t]} = ${this.expr(t, 3)}`);
      this.declare({ name, ty: t, mut });
      return;
    }
    if (k < 0.4) { // assignment
      const vs = this.vars((v) => v.mut && (isInt(v.ty) || v.ty === "string" || v.ty === "S" || v.ty === "bool"));
      if (vs.length) {
        const v = this.pick(vs);
        if (isInt(v.ty) && this.chance(0.5)) this.line(`${v.name} ${this.pick(["+=", "-=", "*=", "^=", "|="])} ${this.intExpr(v.ty, 2)}`);
        else if (v.ty === "S" && this.chance(0.6)) this.line(`${v.name}.${this.pick(["a", "b"])} += ${this.int(-5, 5)}`);
        else this.line(`${v.name} = ${this.expr(v.ty, 3)}`);
        return;
      }
    }
    if (k < 0.55) { const vs = this.vars(() => true); if (vs.length) { this.line(`h = mix(h, ${this.toInt(this.pick(vs))})`); return; } }
    if (k < 0.6) { this.line(`h = mix(h, ${this.intExpr("int", 3)})`); return; }
    if (k < 0.63) { const vs = this.vars(() => true); if (vs.length) { const v = this.pick(vs); this.line(`println("${v.name} = {${v.name}}")`); return; } }
    if (k < 0.68 && this.noGrow === 0) {
      const vs = this.vars((v) => v.ty === "VI");
      if (vs.length) { this.line(`${this.pick(vs).name}.push(${this.intExpr("int", 2)})`); return; }
    }
    if (k < 0.72) {
      const vs = this.vars((v) => v.ty === "MS");
      if (vs.length) {
        const m = this.pick(vs).name, key = JSON.stringify(this.pick(WORDS));
        if (this.noGrow === 0 && this.chance(0.7)) this.line(`${m}[${key}] = (${m}.get(${key}) ?? 0) + ${this.intExpr("int", 1)}`);
        else this.line(`${m}.delete(${key})`);
        return;
      }
    }
    if (d <= 0) { this.line(`h = mix(h, ${this.intExpr("int", 2)})`); return; }
    if (k < 0.78) {
      this.line(`if ${this.boolExpr(2)} {`);
      this.block(() => this.stmts(d - 1));
      if (this.chance(0.5)) { this.line("} else {"); this.block(() => this.stmts(d - 1)); }
      this.line("}");
      return;
    }
    if (k < 0.83) {
      const i = this.fresh("i");
      const lo = this.int(-3, 3);
      this.line(`for ${i} in ${lo}..${this.pick(["", "="])}${lo + this.int(0, 8)} {`);
      this.loop(() => { this.declare({ name: i, ty: "int", mut: false }); this.stmts(d - 1); });
      this.line("}");
      return;
    }
    if (k < 0.87) {
      const c = this.fresh("w");
      this.line(`var ${c} = 0`);
      this.line(`while ${c} < ${this.int(0, 7)} {`);
      this.loop(() => { this.line(`${c} += 1`); this.stmts(d - 1); });
      this.line("}");
      return;
    }
    if (k < 0.9) {
      const x = this.fresh("x");
      this.line(`for ${x} in ${this.expr("VI", 1)} {`);
      this.noGrow++;
      this.loop(() => { this.declare({ name: x, ty: "int", mut: false }); this.stmts(d - 1); });
      this.noGrow--;
      this.line("}");
      return;
    }
    if (k < 0.93) {
      const a = this.fresh("n"), b = this.fresh("y");
      this.line(`match ${this.expr("E", 2)} {`);
      this.ind++;
      this.line(`A(${a}) if ${a} > ${this.int(-5, 20)} => { h = mix(h, ${a}) }`);
      this.line(`A(${a}) => {`); this.block(() => { this.declare({ name: a, ty: "int", mut: false }); this.stmts(d - 1); }); this.line("}");
      this.line(`B(${a}, ${b}) => {`); this.block(() => { this.declare({ name: a, ty: "i32", mut: false }); this.declare({ name: b, ty: "string", mut: false }); this.stmts(d - 1); }); this.line("}");
      this.line(`C => { h = mix(h, ${this.int(0, 99)}) }`);
      this.ind--;
      this.line("}");
      return;
    }
    if (k < 0.96) { // closure capturing by value
      const f = this.fresh("cl"), cap = this.vars((v) => v.ty === "int");
      const body = cap.length ? `p * ${this.int(-3, 5)} + ${this.pick(cap).name}` : `p + ${this.int(0, 9)}`;
      this.line(`let ${f} = |p: int| ${body}`);
      this.line(`h = mix(h, ${f}(${this.intExpr("int", 2)}))`);
      const vs = this.vars((v) => v.ty === "VI");
      if (vs.length) this.line(`h = mix(h, vsum(${this.pick(vs).name}.map(${f})))`);
      return;
    }
    if (k < 0.98 && this.loopDepth > 0) { this.line(`if ${this.boolExpr(2)} { ${this.pick(["break", "continue"])} }`); return; }
    const vs = this.vars((v) => v.ty === "VI");
    if (vs.length && this.noGrow === 0) { const v = this.pick(vs).name; this.line(this.pick([`${v}.sort()`, `${v}.pop()`, `${v}.sortBy(|a, b| b - a)`])); return; }
    this.line(`h = mix(h, ${this.intExpr("int", 3)})`);
  }

  private loop(f: () => void): void { this.loopDepth++; this.block(f); this.loopDepth--; }
  stmts(d: number): void { const n = this.int(1, 4); for (let i = 0; i < n; i++) this.stmt(d); }

  // ---------------------------------------------------------------- program
  program(): string {
    const head = [
      "// generated by scripts/fuzz/gen-program.ts",
      "let U64TOP: u64 = 18446744073709551615",
      "struct S { a: int, b: i32, s: string }",
      "enum E { A(int), B(x: i32, y: string), C }",
      "struct Pair<K, V> { k: K, v: Vec<V> }",
      "fn mix(h: int, x: int): int { return (h * 31 + x % 1000003) % 1000000007 }",
      "fn vsum(v: Vec<int>): int {\n  var t = 0\n  for x in v { t = mix(t, x) }\n  return t\n}",
      "fn ekey(e: E): int {\n  return match e {\n    A(n) => n % 1000,\n    B(x, y) => (x as int) % 1000 + y.len(),\n    C => -1,\n  }\n}",
      "fn range(n: int): Vec<int> {\n  var v: Vec<int> = []\n  for i in 0..n { v.push(i * i - 3) }\n  return v\n}",
      "fn gfirst<T>(v: Vec<T>, d: T): T {\n  if v.len() > 0 { return v[0] }\n  return d\n}",
      "fn gpair<K, V>(k: K, v: V): Pair<K, int> {\n  var p = Pair { k: k, v: [1, 2, 3] }\n  p.v.push(7)\n  return p\n}",
    ];
    const parts: string[] = [head.join("\n\n")];
    const nf = this.int(1, 4);
    for (let i = 0; i < nf; i++) {
      const params = Array.from({ length: this.int(0, 3) }, () => this.pick(INTS));
      const name = `f${i}`;
      this.out = [];
      this.scopes = [params.map((t, j) => ({ name: `p${j}`, ty: t as Ty, mut: false }))];
      this.ind = 1;
      this.line("var h = 0");
      this.stmts(2);
      this.line(`return mix(h, ${this.intExpr("int", 3)})`);
      parts.push(`fn ${name}(${params.map((t, j) => `p${j}: ${t}`).join(", ")}): int {\n${this.out.join("\n")}\n}`);
      this.fns.push({ name, params, ret: "int" });
    }
    this.out = [];
    this.scopes = [[]];
    this.ind = 1;
    this.line("var h = 0");
    const n = this.int(4, 10);
    for (let i = 0; i < n; i++) this.stmt(3);
    this.line('println("checksum {h}")');
    parts.push(`fn main() {\n${this.out.join("\n")}\n}`);
    return parts.join("\n\n") + "\n";
  }
}

export function generateProgram(seed: number): string { return new Gen(seed).program(); }

// `node dist/scripts/fuzz/gen-program.js SEED` prints the program of one seed.
if (process.argv[1] && /gen-program\.js$/.test(process.argv[1])) process.stdout.write(generateProgram(Number(process.argv[2] ?? 1)));
