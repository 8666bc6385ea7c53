import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PREBUILT_DIR, standaloneModule } from '../platform/input/prebuilt-validators.js';
import { MODULES } from './modules.js';

/**
 * `npm run build` runs this after compiling (`node dist/app/write-validators.js`): it writes the code of every
 * validator the modules declare (`prebuiltValidators` in their wiring) to dist/validators, so that a process
 * loads a published schema's validator instead of compiling it. Run from the sources it would write
 * src/validators, which nothing should hold: it refuses.
 */
function writeValidators(): void {
  if (!import.meta.url.endsWith('.js')) throw new Error(`write-validators runs compiled (dist/), not from ${import.meta.url}`);
  rmSync(PREBUILT_DIR, { recursive: true, force: true });
  mkdirSync(PREBUILT_DIR, { recursive: true });
  for (const build of MODULES.flatMap((m) => m.prebuiltValidators ?? [])) {
    writeFileSync(path.join(PREBUILT_DIR, `${build.name}.cjs`), standaloneModule(build));
  }
}

writeValidators();
