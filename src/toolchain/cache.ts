// Content-hashed build cache: a binary is stored under the sha256 of
// everything that determines it (C source, flags, compiler version, runtime
// library key), so an unchanged rebuild copies the stored binary and never
// runs the C compiler. Entries appear atomically (temp file + rename), so
// concurrent coc processes may share one cache directory.

import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { makeDirs } from "./paths.js";

export type BuildResult = { ok: true; warnings?: string } | { ok: false; stderr: string };

/** Where coc keeps built runtimes and binaries: $COLANG_CACHE_DIR, else
 * $XDG_CACHE_HOME/colang, else ~/.cache/colang. */
export function cacheDir(): string {
  const env = process.env;
  if (env.COLANG_CACHE_DIR) return env.COLANG_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "colang");
  return join(homedir(), ".cache", "colang");
}

/** sha256 of the parts, each length-prefixed so that ["ab","c"] != ["a","bc"]. */
export function hashKey(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(`${Buffer.byteLength(p)}:`);
    h.update(p);
  }
  return h.digest("hex");
}

/** A unique sibling name for writing `path` before renaming it into place. */
export function tempSibling(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** Copies `src` to `dest` via a temp file and rename: never a half-written
 * output, and no ETXTBSY when `dest` is a binary that is running. */
export async function installFile(src: string, dest: string, mode = 0o755): Promise<void> {
  await makeDirs(dirname(dest), "the directory");
  const tmp = tempSibling(dest);
  try {
    await fs.copyFile(src, tmp);
    await fs.chmod(tmp, mode);
    await fs.rename(tmp, dest);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

export interface CachedBuildOptions {
  keyParts: readonly string[];
  /** Where the caller wants the result. */
  out: string;
  /** Builds the artifact at exactly `path` (a fresh temp path in the cache). */
  produce: (path: string) => Promise<BuildResult>;
  /** Subdirectory of the cache dir (default "bin"). */
  bucket?: string;
  /** Keep at most this many entries in the bucket; the oldest by mtime go. */
  maxEntries?: number;
}

export type CachedBuildResult = { ok: true; cached: boolean; key: string; warnings?: string } | { ok: false; stderr: string };

/** Returns the cached artifact for the key, or produces, stores and returns
 * it. COLANG_NO_CACHE=1 bypasses the cache (always produce, store nothing). */
export async function cachedBuild(opts: CachedBuildOptions): Promise<CachedBuildResult> {
  const key = hashKey(opts.keyParts);
  if (process.env.COLANG_NO_CACHE === "1") {
    await makeDirs(dirname(opts.out), "the directory");
    const tmp = tempSibling(opts.out);
    const r = await opts.produce(tmp);
    if (!r.ok) {
      await fs.rm(tmp, { force: true });
      return r;
    }
    await fs.rename(tmp, opts.out);
    return { ok: true, cached: false, key, ...(r.warnings ? { warnings: r.warnings } : {}) };
  }
  const dir = join(cacheDir(), opts.bucket ?? "bin");
  const entry = join(dir, key);
  try {
    await installFile(entry, opts.out);
    const now = new Date();
    await fs.utimes(entry, now, now).catch(() => {});   // LRU: a hit counts as recent use
    return { ok: true, cached: true, key };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await makeDirs(dir, "the build cache");
  const tmp = tempSibling(entry);
  let r: BuildResult;
  try {
    r = await opts.produce(tmp);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  if (!r.ok) {
    await fs.rm(tmp, { force: true });
    return r;
  }
  await fs.rename(tmp, entry);   // atomic; a concurrent identical build just replaces it
  await installFile(entry, opts.out);
  await evict(dir, opts.maxEntries ?? 200);
  return { ok: true, cached: false, key, ...(r.warnings ? { warnings: r.warnings } : {}) };
}

/** Deletes the oldest entries (by mtime) beyond `max`; temp files of other
 * processes are left alone unless they are over an hour old. */
async function evict(dir: string, max: number): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  if (names.length <= max) return;
  const stats: { path: string; mtime: number; tmp: boolean }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = await fs.stat(path);
      stats.push({ path, mtime: st.mtimeMs, tmp: name.includes(".tmp-") });
    } catch {
      // deleted concurrently
    }
  }
  const hourAgo = Date.now() - 3600_000;
  const doomed = stats.filter((s) => s.tmp && s.mtime < hourAgo);
  const entries = stats.filter((s) => !s.tmp).sort((a, b) => a.mtime - b.mtime);
  doomed.push(...entries.slice(0, Math.max(0, entries.length - max)));
  await Promise.all(doomed.map((s) => fs.rm(s.path, { force: true, recursive: true })));
}
