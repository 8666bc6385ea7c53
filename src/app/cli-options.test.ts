import { expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { tempDirForTest } from '#test-support/temp-dir.js';

// `frontier agreement sign --version <n>` and `cases decide --version <n>` name the version signed or decided
// on. The program's own `--version` used to take them wherever they stood: the command printed the program's
// version, exited 0 and signed nothing.
it("leaves a command its own --version; the program's --version only answers before any command", async () => {
  const program = await cli({}, '--version');
  expect(program.code).toBe(0);
  const version = program.stdout.trim();
  expect(version).toMatch(/^\d+\.\d+\.\d+/);
  const empty = { CLEARINGHOUSE_DATA_DIR: tempDirForTest('cli-options-') };
  for (const argv of [
    ['frontier', 'agreement', 'sign', 'agreement_x', '--version', '1'],
    ['cases', 'decide', 'stm_x', '--version', '1'],
  ]) {
    const run = await cli(empty, ...argv);
    // The command itself ran: there is nothing to sign or decide in an empty data directory, and it says so.
    expect(run.stdout.trim(), argv.join(' ')).not.toBe(version);
    expect(run.code, argv.join(' ')).not.toBe(0);
    expect(run.stderr, argv.join(' ')).toMatch(/^error: /);
  }
});
