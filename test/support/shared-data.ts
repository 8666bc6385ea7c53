import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * The real public corpora live beside the project in ../shared/data (see its README). A fresh clone may
 * not have them: tests that need them are skipped with a printed reason, and none of the data is copied in.
 * CLEARINGHOUSE_SHARED_DATA points elsewhere; CI sets it to an absent folder for a second run that proves
 * a user's clone without the corpora passes.
 */
export const SHARED_DATA = path.resolve(
  process.env.CLEARINGHOUSE_SHARED_DATA ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data'),
);

/** Absolute path of a file or folder in the shared corpora. */
export function sharedData(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

export function hasSharedData(...parts: string[]): boolean {
  return existsSync(sharedData(...parts));
}

/** `describe`, skipped with a printed reason when the corpus folder is absent. */
export function describeWithData(name: string, relativePath: string, body: () => void): void {
  if (hasSharedData(relativePath)) {
    describe(name, body);
  } else {
    // The body is not run at all: it would read the absent folder while collecting tests.
    const reason = `${sharedData(relativePath)} is absent (real corpora; see ../shared/data/README.md)`;
    console.warn(`skipping "${name}": ${reason}`);
    describe.skip(name, () => {
      it.skip(`needs ${reason}`, () => undefined);
    });
  }
}
