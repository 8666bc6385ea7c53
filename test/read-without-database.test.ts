import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabaseUrl } from '#test-support/databases.js';

/**
 * Issue 13: a read without --url and without a local database says so (exit 2, naming where it looked and
 * how to create or point at one) instead of creating an empty database and printing an empty table; a
 * command that writes still creates it.
 */
describeEachDatabase('a read command without a database', (dialect) => {
  let target: TestDatabaseUrl;
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'no-db-'));
    target = await createTestDatabaseUrl(dialect);
    // SQLite: a data directory with nothing in it. PostgreSQL: a database no migration ran on.
    env =
      dialect === 'sqlite' ? { CLEARINGHOUSE_DATA_DIR: path.join(dir, 'data') } : { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: dir };
  });
  afterEach(async () => {
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with exit 2 naming the database, creates nothing, and a writing command still creates it', async () => {
    for (const argv of [
      ['cluster', 'list'],
      ['org', 'list'],
      ['jobs', 'status'],
      ['feeds', 'status'],
      ['inventory', 'assets'],
    ]) {
      const read = await cli(env, ...argv);
      expect(read.code, argv.join(' ')).toBe(2);
      expect(read.stdout).toBe('');
      expect(read.stderr).toMatch(
        dialect === 'sqlite' ? /no database at .*clearinghouse\.sqlite/ : /PostgreSQL database of DATABASE_URL is empty/,
      );
      expect(read.stderr).toMatch(/clearinghouse init/);
      expect(read.stderr).toMatch(/--url/);
    }
    if (dialect === 'sqlite') expect(existsSync(path.join(dir, 'data', 'clearinghouse.sqlite'))).toBe(false);
    expect((await cli(env, 'init')).code).toBe(0);
    const listed = await cli(env, 'org', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Clearinghouse Coordination Center/);
  });
});
