// Paths coc writes to (the output binary, OUT.c, the build cache) fail as one
// line for the user, never as an internal error: a read-only file system, a
// directory where a file should go, a path under a regular file, /proc.
// Node's recursive mkdir loops forever on some of these (`/proc/x/y`), so
// directories are made one component at a time here.

import { constants, promises as fs, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";

/** A problem of the machine, not of the program or of coc (a killed compiler, a
 * directory that cannot be written): the CLI prints its message on one line and exits 1. */
export class EnvironmentError extends Error {}

const WHY: Record<string, string> = {
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  ENOENT: "no such file or directory",
  ENAMETOOLONG: "name too long",
  ELOOP: "too many symbolic links",
  EEXIST: "it exists and is not a directory",
};

/** "read-only file system" for an errno error, else its message. */
export function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return (code && WHY[code]) || (e instanceof Error ? e.message : String(e));
}

export function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
}

/** mkdir -p without Node's recursive mode; throws EnvironmentError naming `what`. */
export async function makeDirs(dir: string, what: string): Promise<void> {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) {
    let st;
    try { st = await fs.stat(d); } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new EnvironmentError(`cannot create ${what} \`${dir}\`: ${why(e)}`);
    }
    if (st) {
      if (!st.isDirectory()) throw new EnvironmentError(`cannot create ${what} \`${dir}\`: \`${d}\` is not a directory`);
      continue;
    }
    try { await fs.mkdir(d); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") continue; // made concurrently
      throw new EnvironmentError(`cannot create ${what} \`${dir}\`: ${why(e)}`);
    }
  }
}

/** Null if a file can be written at `out` (creating missing directories is
 * allowed); else one line saying why not. Probes with a real temp file, since
 * permission bits do not tell about read-only mounts or /proc. */
export async function checkWritable(out: string, what: string): Promise<string | null> {
  if (out === "") return `the ${what} path is empty`;
  const abs = resolve(out);
  try {
    if (statSync(abs).isDirectory()) return `cannot write the ${what} \`${out}\`: it is a directory`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return `cannot write the ${what} \`${out}\`: a part of the path is a file, not a directory`;
    if (code !== "ENOENT") return `cannot write the ${what} \`${out}\`: ${why(e)}`;
  }
  try { await makeDirs(dirname(abs), "the directory"); } catch (e) {
    return e instanceof EnvironmentError ? e.message : `cannot write the ${what} \`${out}\`: ${why(e)}`;
  }
  const probe = join(dirname(abs), `.coc-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const h = await fs.open(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    await h.close();
  } catch (e) {
    return `cannot write the ${what} \`${out}\`: ${why(e)}`;
  }
  await fs.rm(probe, { force: true });
  return null;
}
