import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The files under a directory, recursively, whose names match `pattern`, sorted: what a batch command
 * reads when handed a directory. Dot directories (.git, .cache) are skipped: they hold no documents.
 */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (e) =>
        e.isFile() &&
        pattern.test(e.name) &&
        !path
          .relative(dir, e.parentPath)
          .split(path.sep)
          .some((p) => p.startsWith('.')),
    )
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
