import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { allMigrations } from '../../src/app/modules.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase, runMigrations } from '../../src/platform/db/index.js';

/**
 * Migrated empty databases the run's runtimes are copied from (test/support/databases.ts `migrated`):
 * a SQLite file, and a PostgreSQL database that `create database … template` clones.
 *
 * Every test runtime used to apply all migrations to a new database: 2–4 s of PostgreSQL DDL under the
 * suite's load (a few hundred statements, catalog work, a schema of ~150 tables and their indexes to drop
 * afterwards), 50–80 ms of CPU on SQLite — most of the suite's time. A copy of the same migrated database
 * is what that work produced: migrations run here once per run, by the same `runMigrations` over the same
 * `allMigrations` the runtime applies, so a copy holds exactly the tables, indexes and rows a fresh
 * migration would (only `platform_migration.applied_at` carries this moment instead of the test's clock).
 * The migrations themselves stay tested where tests open a database without the template.
 */
export interface DatabaseTemplates {
  /** The migrated SQLite file to copy. */
  readonly sqliteFile: string;
  /** The migrated PostgreSQL database to clone; null when the run has no PostgreSQL. */
  readonly postgresDatabase: string | null;
  drop(): Promise<void>;
}

export async function createDatabaseTemplates(pgAdminUrl: string | null, runName: string): Promise<DatabaseTemplates> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chx-template-'));
  const sqliteFile = path.join(dir, 'template.sqlite');
  await migrate(`sqlite:${sqliteFile}`, dir);
  // Closing the last connection checkpoints the WAL into the file and removes it: the file alone is the
  // database. Checked, because a copy of the file without its WAL would lack the migrations' last pages.
  if (existsSync(`${sqliteFile}-wal`)) throw new Error(`the SQLite template ${sqliteFile} kept a WAL file after closing`);

  let postgresDatabase: string | null = null;
  let admin: pg.Client | undefined;
  if (pgAdminUrl !== null) {
    postgresDatabase = `${runName}_template`;
    admin = new pg.Client({ connectionString: pgAdminUrl });
    await admin.connect();
    await admin.query(`create database ${postgresDatabase}`);
    const url = new URL(pgAdminUrl);
    url.pathname = `/${postgresDatabase}`;
    await migrate(url.toString(), dir);
  }
  return {
    sqliteFile,
    postgresDatabase,
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      if (admin !== undefined && postgresDatabase !== null) {
        await admin.query(`drop database if exists ${postgresDatabase} with (force)`);
        await admin.end();
      }
    },
  };
}

async function migrate(databaseUrl: string, dataDir: string): Promise<void> {
  const db = openDatabase(loadConfig({ DATABASE_URL: databaseUrl, CLEARINGHOUSE_DATA_DIR: dataDir }).database);
  try {
    await runMigrations(db, allMigrations);
  } finally {
    await db.close();
  }
}
