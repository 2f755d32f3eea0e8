// The .co files under a folder, in sorted order (the corpora the comparison
// scripts walk: scripts/c-identical.ts, scripts/ir-text-count.ts).

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function coFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) coFiles(p, out);
    else if (n.endsWith(".co")) out.push(p);
  }
  return out;
}
