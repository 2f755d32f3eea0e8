// Inputs built to break a recursive-descent mind: 10,000-deep nesting, 1 MB
// lines, NUL bytes, invalid UTF-8, unterminated tokens at EOF, an empty file.
// Each goes through the real CLI (`coc check`, then `coc dump --stage=c` when
// it type-checks) and must end with exit 0 or 1 within 10 s: never an
// internal compiler error (70), never a signal, never a stack overflow.
//
//   node dist/scripts/fuzz/pathological.js [--jobs N] [--filter SUBSTR]

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pool, run, type ProcResult } from "../../tests/run-programs.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const OUT = join(ROOT, "build/pathological");
const COC = join(ROOT, "bin/coc.js");
// A C warning in generated code fails the build here (a user build only reports it; docs/reliability.md).
process.env.COLANG_STRICT_C ??= "1";
const TIMEOUT_MS = 10_000;
const DEEP = 10_000;
const MB = 1 << 20;

const inMain = (body: string): string => `fn main() {\n${body}\n}\n`;

export const CASES: { name: string; content: string | Buffer }[] = [
  { name: "deep-parens", content: inMain(`  let x = ${"(".repeat(DEEP)}1${")".repeat(DEEP)}\n  println("{x}")`) },
  { name: "deep-blocks", content: inMain(`${"{".repeat(DEEP)}${"}".repeat(DEEP)}`) },
  { name: "deep-ifs", content: inMain(`${"if true { ".repeat(DEEP)}println("deep")${" }".repeat(DEEP)}`) },
  { name: "long-else-if-chain", content: inMain(`  let n = 3\n  ${Array.from({ length: DEEP }, (_, i) => `if n == ${i} { println("${i}") }`).join(" else ")} else { println("none") }`) },
  { name: "deep-unary", content: inMain(`  let b = ${"not ".repeat(DEEP)}true\n  println("{b}")`) },
  { name: "deep-vec-literal", content: inMain(`  let v = ${"[".repeat(DEEP)}1${"]".repeat(DEEP)}`) },
  { name: "deep-calls", content: `fn f(x: int): int { return x + 1 }\n` + inMain(`  println("{${"f(".repeat(DEEP)}0${")".repeat(DEEP)}}")`) },
  { name: "deep-interpolation", content: inMain(`  let x = 1\n  println(${'"{'.repeat(2000)}x${'}"'.repeat(2000)})`) },
  { name: "huge-string-literal", content: inMain(`  let s = "${"a".repeat(MB)}"\n  println(s.len())`) },
  { name: "long-sum-line", content: inMain(`  let x = 1${" + 1".repeat(MB / 4)}\n  println("{x}")`) },
  { name: "many-statements", content: inMain(Array.from({ length: 20_000 }, (_, i) => `  let x${i} = ${i} * 2 + 1`).join("\n")) },
  { name: "nul-bytes", content: inMain(`  println("a\0b")\0\n  let x\0= 1`) + "\0" },
  {
    name: "invalid-utf8",
    content: Buffer.from([
      ...Buffer.from('fn main() {\n  println("'),
      0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, // bad start bytes, truncated sequences, an encoded surrogate, a 5-byte form
      ...Buffer.from('")\n  let é = 1\n}\n'),
      0x80,
    ]),
  },
  { name: "unterminated-string", content: `fn main() {\n  println("abc` },
  { name: "unterminated-raw-string", content: `fn main() {\n  let s = """abc\n` },
  { name: "unterminated-interpolation", content: `fn main() {\n  let x = 1\n  println("a {x` },
  { name: "unterminated-block-comment", content: `fn main() {\n  println("x")\n}\n/* never closed\n` },
  { name: "unclosed-braces", content: `fn main() {\n  if true {\n    while false {` },
  { name: "empty", content: "" },
  { name: "only-whitespace-and-bom", content: "\ufeff\n \t\r\n" },
];

interface Outcome { name: string; problems: string[] }

function verdict(r: ProcResult): string[] {
  const text = r.stdout + r.stderr;
  const p: string[] = [];
  if (r.timedOut) p.push(`did not finish within ${TIMEOUT_MS / 1000} s`);
  else if (r.error) p.push(`could not start: ${r.error}`);
  else if (r.signal) p.push(`killed by ${r.signal}`);
  else if (r.code === 70) p.push("internal compiler error (exit 70)");
  else if (r.code !== 0 && r.code !== 1) p.push(`exit ${r.code} (expected 0 or 1)`);
  if (/RangeError: Maximum call stack/.test(text)) p.push("stack overflow (RangeError: Maximum call stack size exceeded)");
  if (p.length) {
    const lines = text.replace(/\s+$/, "").split("\n").filter((l) => l.trim()).slice(0, 8).map((l) => "  | " + (l.length > 160 ? l.slice(0, 160) + "…" : l));
    p.push(...lines);
  }
  return p;
}

async function main(): Promise<void> {
  let jobs = 2, filter = "";
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--jobs") jobs = Math.max(1, Number(argv[++i]) || 1);
    else if (argv[i] === "--filter") filter = argv[++i] ?? "";
    else { process.stderr.write(`pathological: unknown argument ${argv[i]}\n`); process.exit(2); }
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const cases = CASES.filter((c) => c.name.includes(filter));
  for (const c of cases) writeFileSync(join(OUT, `${c.name}.co`), c.content);

  let passed = 0, failed = 0;
  const record = (o: Outcome, ms: number): void => {
    if (o.problems.length === 0) { passed++; return; }
    failed++;
    console.log([`FAIL pathological ${o.name} (${ms} ms): ${o.problems[0]}`, ...o.problems.slice(1).map((l) => "    " + l)].join("\n"));
  };
  await pool(cases, jobs, async (c) => {
    const file = `${c.name}.co`;
    let t0 = Date.now();
    const chk = await run(process.execPath, [COC, "check", file], { cwd: OUT, timeoutMs: TIMEOUT_MS });
    record({ name: `${c.name} (check)`, problems: verdict(chk) }, Date.now() - t0);
    // When it type-checks, push it through lowering and the C emitter too.
    if (chk.code === 0 && !chk.timedOut) {
      t0 = Date.now();
      const dump = await run(process.execPath, [COC, "dump", "--stage=c", file], { cwd: OUT, timeoutMs: TIMEOUT_MS });
      record({ name: `${c.name} (dump --stage=c)`, problems: verdict(dump) }, Date.now() - t0);
    }
  });
  console.log(`pathological: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
