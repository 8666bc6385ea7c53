import { expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';

// Issue 13: `--help` says which options a command cannot run without, for real commands and for the
// stand-ins the CLI answers help from without loading any module.
it('marks the required options in --help, and only those', async () => {
  for (const argv of [
    ['inventory', 'upload', '--help'],
    ['frontier', 'review', 'open', '--help'],
  ]) {
    const help = await cli({ CLEARINGHOUSE_DATA_DIR: '/nonexistent' }, ...argv);
    expect(help.code, argv.join(' ')).toBe(0);
    const required = help.stdout.split('\n').filter((line) => line.includes('(required)'));
    expect(required.length, argv.join(' ')).toBeGreaterThan(0);
    expect(help.stdout).not.toMatch(/--json[^\n]*\(required\)/);
  }
  const upload = await cli({}, 'inventory', 'upload', '--help');
  expect(upload.stdout).toMatch(/--asset <name>\s+asset name; created on its first upload \(required\)/);
  expect(upload.stdout).not.toMatch(/--sector <sector>[^\n]*\(required\)/);
  const review = await cli({}, 'frontier', 'review', 'open', '--help');
  expect(review.stdout).toMatch(/--start <instant>[\s\S]*?\(required\)/);
});
