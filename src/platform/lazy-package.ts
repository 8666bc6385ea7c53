import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * A package loaded on first use, synchronously, for a heavy package most commands never touch (the CSAF
 * validator library compiles some forty schemas as it is imported: seconds of CPU that `match` or
 * `submit` of a SARIF file would pay for nothing). Node ≥ 20.19 loads an ES module through `require`.
 * Give the module's type from an `import type * as M from '…'`, so that nothing loads it eagerly.
 */
export function lazyPackage<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(specifier) as T);
}
