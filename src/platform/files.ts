import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The files under a directory, recursively, whose names match `pattern`, sorted: what a batch command
 * reads when handed a directory. Dot directories (.git, .cache) are skipped — never entered: they hold no
 * documents. Symbolic links are neither followed nor listed.
 */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  // Paths are joined by hand, as path.join would join them: the root normalized once, then names that hold no
  // separator (path.join normalizes every path again: half the walk's CPU on the 8,158 files of an OSV tree).
  const walk = (at: string, prefix: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) walk(`${prefix}${entry.name}`, `${prefix}${entry.name}${path.sep}`);
      } else if (entry.isFile() && pattern.test(entry.name)) out.push(`${prefix}${entry.name}`);
    }
  };
  // path.join('.', name) is name; a root ends with a separator already.
  const root = path.join(dir, '.');
  walk(root, root === '.' ? '' : root.endsWith(path.sep) ? root : `${root}${path.sep}`);
  return out.sort();
}
