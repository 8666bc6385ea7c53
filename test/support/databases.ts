import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
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

export interface TestDatabaseOptions {
  /**
   * The PostgreSQL database to make a schema in: the run's (from the global setup) unless given — a script
   * outside vitest (the crash harness) passes its own.
   */
  readonly pgBase?: string;
  /**
   * A copy of the run's migrated template (test/support/database-templates.ts) instead of an empty
   * database: what opening a runtime on an empty one would make, without the minutes of DDL over a run.
   * Inside Vitest only (outside, the database is empty); `pgBase` asks for an empty schema.
   */
  readonly migrated?: boolean;
}

/** Creates a database for one test: empty, or migrated when asked (see {@link TestDatabaseOptions}). */
export async function createTestDatabaseUrl(dialect: Dialect, options: TestDatabaseOptions = {}): Promise<TestDatabaseUrl> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chtest-'));
  // Outside Vitest (`npm run crash`) there is no run and so no template: the runtime migrates the database.
  const inVitest = process.env.VITEST !== undefined;
  const templates = options.migrated === true && options.pgBase === undefined && inVitest ? inject('databaseTemplates') : undefined;
  if (dialect === 'sqlite') {
    const file = path.join(dir, 'test.sqlite');
    if (templates !== undefined) copyFileSync(templates.sqliteFile, file);
    return {
      dialect,
      url: `sqlite:${file}`,
      dir,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (templates !== undefined && templates.postgresDatabase !== null) return cloneTemplate(templates.postgresDatabase, dir);
  const base = options.pgBase ?? inject('pgUrl');
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
 * A new PostgreSQL database cloned from the migrated template (`create database … template`, which PostgreSQL
 * 15 copies page by page through its WAL: 0.1–0.3 s against 2–4 s of migrations under the suite's load).
 * Dropping a database makes PostgreSQL checkpoint, so the drop runs in the background while the next test
 * goes on; every test file waits for its drops at its end (test/support/setup-file.ts).
 */
async function cloneTemplate(template: string, dir: string): Promise<TestDatabaseUrl> {
  const base = inject('pgUrl');
  if (base === null) throw new Error(`PostgreSQL is not available: ${inject('pgSkipReason')}`);
  const name = `${template}_${randomBytes(6).toString('hex')}`;
  await adminQuery(base, `create database ${name} template ${template}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    url: url.toString(),
    dir,
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      const dropped = adminQuery(base, `drop database if exists ${name} with (force)`);
      pendingDrops.add(dropped);
      void dropped.finally(() => pendingDrops.delete(dropped)).catch(() => undefined);
    },
  };
}

const pendingDrops = new Set<Promise<void>>();

/** Waits for the databases dropped in the background; their errors are this file's. */
export async function settleDatabaseDrops(): Promise<void> {
  await Promise.all([...pendingDrops]);
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
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
