// The fuzzer's C check (issue 11, item 3): every distinct C file the front end
// emitted is compiled with `gcc -fsyntax-only -Werror` and `clang -fsyntax-only
// -Werror`, many files per compiler process (for clang, per cc1 process: the
// driver would start one cc1 per file), so the check costs the compilers'
// own time and little process start-up. Files are keyed without their `#line`
// directives: mutations that only move lines give the same C, and without
// them the compilers' messages name the .c file, which attributes an error
// in a batch to its file.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { syntaxCheckArgs } from "../../src/toolchain/cc.js";

export function cKey(c: string): { key: string; text: string } {
  const text = c.replace(/^#line .*\n/gm, "");
  return { key: createHash("sha1").update(text).digest("hex").slice(0, 16), text };
}

export interface CFailure { key: string; error: string }
export interface CCheckResult { cc: string; checked: number; failures: CFailure[]; seconds: number; missing?: string }

function runCc(cc: string, args: string[]): Promise<{ code: number | null; stderr: string; error?: string }> {
  return new Promise((done) => {
    const child = spawn(cc, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => { if (stderr.length < 1 << 20) stderr += d; });
    child.on("error", (e) => done({ code: null, stderr, error: e.message }));
    child.on("close", (code) => done({ code, stderr }));
  });
}

/** The first error line the compiler printed about `file`. */
function firstError(stderr: string, file: string): string {
  return stderr.split("\n").find((l) => l.startsWith(file) && /error:/.test(l)) ?? stderr.split("\n").find((l) => /error/.test(l)) ?? stderr.slice(0, 300);
}

/** Splits one line of `clang -###` output ("a" "b c" "d\\"e") into its arguments. */
export function splitQuoted(line: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(line); m; m = re.exec(line)) args.push(m[1].replace(/\\(.)/g, "$1"));
  return args;
}

/** clang's driver starts one `clang -cc1` process per input file, and that
 * start-up (loading libclang-cpp and libLLVM) is about half of what a small
 * file's check costs; one cc1 given many inputs checks them one after another
 * in one process. This returns the cc1 command the driver runs for `args` on
 * one file, without that file (and without -main-file-name, which only names
 * it), so the batch is checked with exactly the driver's frontend flags; null
 * when the driver's plan is not one cc1 job (then the driver is used). */
async function clangCc1(cc: string, args: string[], dir: string): Promise<string[] | null> {
  const probe = join(dir, "cc1-probe.c");
  writeFileSync(probe, "int main(void) { return 0; }\n");
  const r = await runCc(cc, ["-###", ...args, probe]);
  if (r.code !== 0) return null;
  const jobs = r.stderr.split("\n").filter((l) => l.startsWith(" \""));
  if (jobs.length !== 1) return null;
  const argv = splitQuoted(jobs[0]);
  if (argv[1] !== "-cc1" || argv[argv.length - 1] !== probe || !argv.includes("-fsyntax-only")) return null;
  const out = argv.slice(0, -1);
  const i = out.indexOf("-main-file-name");
  if (i >= 0) out.splice(i, 2);
  return out;
}

/** Writes the files under `dir` and checks them with each compiler, `jobs` processes at a time. */
export async function checkC(files: Map<string, string>, compilers: string[], dir: string, jobs: number, batch = 40): Promise<CCheckResult[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const [key, text] of files) { const p = join(dir, `${key}.c`); writeFileSync(p, text); paths.push(p); }
  const results: CCheckResult[] = [];
  for (const cc of compilers) {
    const t0 = Date.now();
    const probe = await runCc(cc, ["--version"]);
    if (probe.error || probe.code !== 0) { results.push({ cc, checked: 0, failures: [], seconds: 0, missing: probe.error ?? "does not run" }); continue; }
    const args = syntaxCheckArgs(cc === "gcc");
    // clang: a batch goes to one cc1 process (clangCc1); gcc's cc1 takes one file (null here), so its driver it is.
    const cc1 = await clangCc1(cc, args, dir);
    const failures: CFailure[] = [];
    const batches: string[][] = [];
    for (let i = 0; i < paths.length; i += batch) batches.push(paths.slice(i, i + batch));
    const one = async (b: string[]): Promise<void> => {
      if (cc1 && b.length > 1) {
        const r = await runCc(cc1[0], [...cc1.slice(1), ...b]);
        if (r.code === 0) return;
        // A file failed (or cc1 stopped): the batch's files again through the driver, one by one,
        // so each failure is attributed to its own file and no file goes unchecked after a fatal error.
        for (const p of b) await one([p]);
        return;
      }
      const r = await runCc(cc, [...args, ...b]);
      if (r.code === 0) return;
      // Attribute the errors to files; if none can be, compile the batch's files one by one.
      const bad = b.filter((p) => r.stderr.includes(p + ":"));
      if (bad.length === 0 && b.length > 1) { for (const p of b) await one([p]); return; }
      for (const p of bad.length ? bad : b) failures.push({ key: p.slice(dir.length + 1, -2), error: firstError(r.stderr, p) });
    };
    let next = 0;
    await Promise.all(Array.from({ length: Math.max(1, jobs) }, async () => { while (next < batches.length) await one(batches[next++]); }));
    results.push({ cc, checked: paths.length, failures, seconds: (Date.now() - t0) / 1000 });
  }
  return results;
}
