import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_MANIFEST } from '../src/app/command-manifest.js';
import type { CommandShape } from '../src/app/command-tree.js';
import { cli } from '#test-support/cli.js';

/**
 * Issue 13, for every read command at once: each remote-capable command whose name says it only reads
 * (list, show, status, …) refuses to run on a data directory without a database (exit 2, naming it),
 * instead of creating an empty database and printing an empty answer. The commands come from the command
 * manifest, so a new read command is covered as soon as it exists.
 */
const READ_NAMES =
  /^(list|show|status|history|revisions|reporters|candidates|regroups|posts|timeline|assets|exposure|affected|dead-letters|report|plan|versions)$/;
/** Named like a read, but a write: `validate report` records a validation attempt. */
const WRITES = new Set(['validate report']);

function* readCommands(shapes: readonly CommandShape[], prefix: readonly string[] = []): Generator<string[]> {
  for (const shape of shapes) {
    const line = [...prefix, shape.name];
    if (shape.commands !== undefined) yield* readCommands(shape.commands, line);
    const remote = shape.options?.some((o) => o.flags.startsWith('--url')) ?? false;
    if (shape.action === true && remote && READ_NAMES.test(shape.name) && !WRITES.has(line.join(' '))) {
      const required = (shape.arguments ?? []).filter((a) => a.name.startsWith('<')).map(() => 'none_0000');
      const mandatory = (shape.options ?? []).filter((o) => o.mandatory === true).flatMap((o) => [o.flags.split(/[ ,]/)[0]!, 'none_0000']);
      yield [...line, ...required, ...mandatory];
    }
  }
}

const commands = Object.values(COMMAND_MANIFEST).flatMap((shapes) => [...readCommands(shapes)]);
const dir = mkdtempSync(path.join(tmpdir(), 'no-db-reads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every read command on a data directory without a database', () => {
  it('finds the read commands in the manifest', () => {
    expect(commands.length).toBeGreaterThan(30);
    expect(commands.map((c) => c.slice(0, 2).join(' '))).toEqual(expect.arrayContaining(['cluster list', 'org list', 'cases list']));
  });

  it('stops with exit 2 naming the missing database, and creates none', async () => {
    const env = { CLEARINGHOUSE_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
    const created: string[] = [];
    for (const argv of commands) {
      const run = await cli(env, ...argv);
      if (run.code !== 2 || !/no database at /.test(run.stderr))
        created.push(`${argv.join(' ')} → exit ${run.code}: ${run.stderr.split('\n')[0]}`);
      if (existsSync(path.join(dir, 'data', 'clearinghouse.sqlite'))) rmSync(path.join(dir, 'data'), { recursive: true, force: true });
    }
    expect(created).toEqual([]);
  }, 600_000);
});
