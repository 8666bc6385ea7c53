import { describe, expect, it } from 'vitest';
import { runToEnd, spawnTs } from '#test-support/spawn.js';

// The npm-run harnesses (package.json: bench, fuzz, soak, crash) answer --help with their usage and a wrong
// option with exit 2 naming it, as the product's CLI does, not with a stack trace.
const HARNESSES = [
  { script: 'bench', entry: 'bench/run.ts' },
  { script: 'fuzz', entry: 'test/fuzz/main.ts' },
  { script: 'soak', entry: 'bench/soak-cli.ts' },
  { script: 'crash', entry: 'test/crash/run.ts' },
];

describe.each(HARNESSES)('npm run $script', ({ script, entry }) => {
  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await runToEnd(spawnTs(entry, ['--help'], {}));
    expect(code).toBe(0);
    expect(stdout).toContain(`npm run ${script}`);
  }, 60_000);

  it('names an unknown option and exits 2, without a stack trace', async () => {
    const { code, stderr } = await runToEnd(spawnTs(entry, ['--no-such-option'], {}));
    expect(code).toBe(2);
    expect(stderr).toContain('--no-such-option');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
