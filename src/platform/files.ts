import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The files under a directory, recursively, whose names match `pattern`, sorted: what a batch command
 * reads when handed a directory. Dot directories (.git, .cache) are skipped — never entered: they hold no
 * documents. Symbolic links are neither followed nor listed.
 */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) walk(path.join(at, entry.name));
      } else if (entry.isFile() && pattern.test(entry.name)) out.push(path.join(at, entry.name));
    }
  };
  walk(dir);
  return out.sort();
}
