import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `#test-support/…` is test/support (package.json "imports", tsconfig "paths"): tests import it by name, not by ../../../../.
  resolve: { alias: [{ find: /^#test-support\/(.*)\.js$/, replacement: fileURLToPath(new URL('./test/support/$1.ts', import.meta.url)) }] },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/support/setup-file.ts'],
    pool: 'forks',
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
