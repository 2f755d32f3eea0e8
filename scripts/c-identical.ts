// Checks that a change to the compiler leaves the generated C byte-identical:
// emits the C of every golden program, example, tests/memory and tests/ir
// program and N fuzz programs (scripts/fuzz/gen-program.ts) with two builds
// of the compiler, in one process, and compares. Test-mode C is compared too
// for files holding tests. The repository root of each build (it appears in
// the std paths of #line directives) is replaced by <ROOT> before comparing.
//
//   node dist/scripts/c-identical.js OLD_REPO NEW_REPO [--fuzz N] [--keep DIR] [--loose]
//
// --loose compares with every space and tab removed, for a step that only
// re-spaces what it writes (the async frames moving onto the IR printer wrote
// `T * x` where the string emitter wrote `T *x`, and `(&F->hdr)`).
//
// OLD_REPO and NEW_REPO are checkouts with dist/ built (e.g. a worktree of
// main and this one). Exit code 1 when any output differs.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative, dirname, basename, resolve } from "node:path";
import { coFiles } from "./co-files.js";
import { pathToFileURL } from "node:url";

interface Driver { frontEnd(o: { entry: string; emit?: boolean; test?: boolean; dir?: string }): { c: string | null; diagnostics: { code?: string }[] } }

const args = process.argv.slice(2);
const opt = (name: string, d: string): string => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : d; };
const fuzzN = Number(opt("--fuzz", "300"));
const keep = opt("--keep", "");
const looseAt = args.indexOf("--loose");
const loose = looseAt >= 0;
if (loose) args.splice(looseAt, 1);
const normal = (c: string | null): string | null => c === null || !loose ? c : c.replace(/[ \t]+/g, "").split("(&F->hdr)").join("&F->hdr");
const [oldRepo, newRepo] = args.map((a) => resolve(a));
if (!oldRepo || !newRepo) { console.error("usage: c-identical OLD_REPO NEW_REPO [--fuzz N] [--keep DIR] [--loose]"); process.exit(2); }

const load = async (repo: string): Promise<Driver> => (await import(pathToFileURL(join(repo, "dist/src/driver.js")).href)) as Driver;


async function main(): Promise<void> {
  const [oldD, newD] = [await load(oldRepo), await load(newRepo)];
  const groups: [string, string[]][] = [
    ["tests/programs", coFiles(join(newRepo, "tests/programs"))],
    ["examples", coFiles(join(newRepo, "examples"))],
    ["tests/memory", coFiles(join(newRepo, "tests/memory"))],
    ["tests/ir", coFiles(join(newRepo, "tests/ir"))],
  ];
  if (fuzzN > 0) {
    const { generateProgram } = (await import(pathToFileURL(join(newRepo, "dist/scripts/fuzz/gen-program.js")).href)) as { generateProgram(seed: number): string };
    const dir = keep || "/tmp/c-identical-fuzz";
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    for (let seed = 1; seed <= fuzzN; seed++) { const f = join(dir, `fuzz${seed}.co`); writeFileSync(f, generateProgram(seed)); files.push(f); }
    groups.push(["fuzz", files]);
  }
  let bad = 0;
  // Front-end time of each compiler (lex to C), summed: a change to the emitter should not slow it down.
  const ms = { old: 0, new: 0 };
  for (const [name, files] of groups) {
    let same = 0, differ = 0, noC = 0;
    for (const f of files) {
      const modes = /^\s*test\s+"/m.test(readFileSync(f, "utf8")) ? [false, true] : [false];
      for (const test of modes) {
        const run = (d: Driver, root: string): string | null => {
          const t0 = performance.now();
          try {
            const r = d.frontEnd({ entry: basename(f), dir: dirname(f), emit: true, test });
            ms[d === oldD ? "old" : "new"] += performance.now() - t0;
            return r.c === null ? null : r.c.split(root).join("<ROOT>");
          } catch (e) { return `crash: ${(e as Error).stack}`; }
        };
        const a = normal(run(oldD, oldRepo)), b = normal(run(newD, newRepo));
        if (a === null && b === null) { noC++; continue; }
        if (a === b) { same++; continue; }
        differ++; bad++;
        const rel = relative(newRepo, f).startsWith("..") ? f : relative(newRepo, f);
        console.log(`DIFFERS: ${rel}${test ? " (test mode)" : ""}`);
        if (keep) { writeFileSync(join(keep, `${basename(f)}${test ? ".test" : ""}.old.c`), a ?? "<no C>"); writeFileSync(join(keep, `${basename(f)}${test ? ".test" : ""}.new.c`), b ?? "<no C>"); }
      }
    }
    console.log(`${name}: ${same} identical, ${differ} differ, ${noC} without C in both (errors)`);
  }
  console.log(`front end, all programs: old ${(ms.old / 1000).toFixed(1)} s, new ${(ms.new / 1000).toFixed(1)} s (wall time, one process, loaded machine)`);
  process.exit(bad ? 1 : 0);
}

void main();
