import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/**
 * The files that run longest, longest first (fresh-clone CI run, 2 cores: crash 222 s, access matrix 138 s,
 * OSV import 72 s, console scenario 66 s, races 56 s of a 1,255 s suite; the inventory corpus file ran 194 s
 * at load 15-18, after the access matrix's 394 s). Without durations from an earlier run (a clean clone has none) Vitest starts the largest
 * files first, and test/crash.test.ts, 26 lines, started among the last and ran on alone at the end. A file
 * missing here only starts where Vitest would start it.
 */
const LONGEST_FIRST = [
  'test/crash.test.ts',
  'test/access-matrix/access-matrix.test.ts',
  'src/modules/inventory/end-to-end-corpus.test.ts',
  'src/modules/intake/osv-corpus-import.test.ts',
  'test/console/scenario.test.ts',
  'test/races.test.ts',
];

/**
 * Files that must have a process of their own: one mocks a module every other file imports as it is
 * (`node:fs/promises`), one proves a library is never loaded in the process that runs it. Every other file
 * shares its worker's loaded modules with the files that ran there before it (`isolate: false`): each file
 * loading the whole application again in a fresh process was 368 s of module loading and 116 s of set-up in
 * a 1,186 s suite (2 workers), 31 s and 2 s shared.
 */
const OWN_PROCESS = ['test/blob-sweep.test.ts', 'src/modules/advisories/service/csaf-validator-thread.test.ts'];

/** Vitest's order (durations of the last run, else size), with {@link LONGEST_FIRST} ahead of the rest. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FIRST.indexOf(path.relative(ROOT, file.moduleId).split(path.sep).join('/'));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  // `#test-support/…` is test/support (package.json "imports", tsconfig "paths"): tests import it by name, not by ../../../../.
  resolve: { alias: [{ find: /^#test-support\/(.*)\.js$/, replacement: fileURLToPath(new URL('./test/support/$1.ts', import.meta.url)) }] },
  test: {
    projects: [
      { extends: true, test: { name: 'shared', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: OWN_PROCESS, isolate: false } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/support/setup-file.ts'],
    pool: 'forks',
    sequence: { sequencer: LongestFirst },
    // Vitest's default is one worker fewer than the cores: one worker on the 2-core CI machine, where the
    // suite ran 33 minutes at load average 1–3 (its files wait on servers, child processes and PostgreSQL
    // as much as they compute). Two keep both cores busy; each file has its own database and ports.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll retries until its condition holds or this passes. Vitest's default, 1 s, was shorter than
    // a console step's round trip on a loaded machine (a submission parsed, stored and rendered): the scenario
    // failed on load alone. As long as Playwright's own waits (30 s); a condition that never holds still fails.
    expect: { poll: { timeout: 30_000 } },
    reporters: ['default'],
  },
});
