import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase, platformMigrations, runMigrations, type Database, type ModuleMigrations } from '../../src/platform/db/index.js';

export type Dialect = 'sqlite' | 'postgres';

/** A database URL for one test: a new SQLite file, or a new schema in the run's PostgreSQL database. */
export interface TestDatabaseUrl {
  readonly dialect: Dialect;
  /** For DATABASE_URL. */
  readonly url: string;
  /** A scratch directory for this test (data dir, blobs). */
  readonly dir: string;
  drop(): Promise<void>;
}

export function postgresAvailable(): boolean {
  return inject('pgUrl') !== null;
}

/**
 * Creates an empty database for one test. `pgBase` is the PostgreSQL database to make a schema in: the
 * run's (from the global setup) unless given — a script outside vitest (the crash harness) passes its own.
 */
export async function createTestDatabaseUrl(dialect: Dialect, pgBase?: string): Promise<TestDatabaseUrl> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chtest-'));
  if (dialect === 'sqlite') {
    return {
      dialect,
      url: `sqlite:${path.join(dir, 'test.sqlite')}`,
      dir,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = pgBase ?? inject('pgUrl');
  if (base === null) throw new Error(`PostgreSQL is not available: ${inject('pgSkipReason')}`);
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    dialect,
    url: url.toString(),
    dir,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the same suite once per database: always on SQLite, and on PostgreSQL when the run has one
 * (skipped with the reason otherwise). Store and service tests use this so both dialects stay proven.
 */
export function describeEachDatabase(name: string, body: (dialect: Dialect) => void): void {
  describe(`${name} [sqlite]`, () => body('sqlite'));
  if (postgresAvailable()) {
    describe(`${name} [postgres]`, () => body('postgres'));
  } else {
    describe.skip(`${name} [postgres] (skipped: ${inject('pgSkipReason')})`, () => body('postgres'));
  }
}

export interface OpenTestDatabase {
  readonly target: TestDatabaseUrl;
  readonly db: Database;
  /** Opens a second handle on the same database, as another process would. Closed with the first. */
  another(): Database;
}

/**
 * beforeEach/afterEach wiring: a fresh database of the dialect, opened and migrated with `migrations`
 * (the platform's own tables by default), closed and dropped after each test.
 */
export function useTestDatabase(dialect: Dialect, migrations: readonly ModuleMigrations[] = [platformMigrations]): () => OpenTestDatabase {
  let current: (OpenTestDatabase & { extra: Database[] }) | undefined;
  beforeEach(async () => {
    const target = await createTestDatabaseUrl(dialect);
    const open = () => openDatabase(loadConfig({ DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir }).database);
    const db = open();
    await runMigrations(db, migrations);
    const extra: Database[] = [];
    current = {
      target,
      db,
      extra,
      another: () => {
        const handle = open();
        extra.push(handle);
        return handle;
      },
    };
  });
  afterEach(async () => {
    if (!current) return;
    for (const handle of [current.db, ...current.extra]) await handle.close();
    await current.target.drop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('the test database exists only inside a test');
    return current;
  };
}
