// The .co files under a folder, in sorted order (the corpora the comparison
// scripts walk: scripts/c-identical.ts, scripts/ir-text-count.ts).

import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

export function coFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    const st = lstatSync(p);   // symbolic links in fixtures (dangling, out of the tree) are not followed
    if (st.isDirectory()) coFiles(p, out);
    else if (st.isFile() && n.endsWith(".co")) out.push(p);
  }
  return out;
}
