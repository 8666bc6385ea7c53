import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDatabaseTemplates } from '#test-support/database-templates.js';
import { RUN_LOG_DIR_ENV } from '#test-support/run-logs.js';
import { scanLogDirectory } from '#test-support/secret-scan.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh PostgreSQL database for this test run, or null when PostgreSQL tests are skipped. */
    pgUrl: string | null;
    /** Why PostgreSQL tests are skipped, when they are. */
    pgSkipReason: string;
    /** The migrated databases test runtimes are copied from (test/support/database-templates.ts). */
    databaseTemplates: { sqliteFile: string; postgresDatabase: string | null };
  }
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Creates one fresh PostgreSQL database for the whole run (each test file then works in its own schema
 * inside it) and drops it at the end.
 *
 * CLEARINGHOUSE_TEST_PG=postgres://… — use this server; it must be reachable (CI sets it).
 * CLEARINGHOUSE_TEST_PG=off          — SQLite only.
 * unset                              — try postgres@127.0.0.1:5432; skip PostgreSQL tests, saying so, if absent.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Each test project (vitest.config.ts: files sharing a worker's modules, files that need their own) runs
  // this setup; the run's database, templates and log folder are made once and dropped after the last one.
  const holder = globalThis as { [RUN]?: SharedRun };
  const shared = (holder[RUN] ??= { run: setUpRun(), projects: 0 });
  shared.projects++;
  const { provided } = await shared.run;
  project.provide('pgUrl', provided.pgUrl);
  project.provide('pgSkipReason', provided.pgSkipReason);
  project.provide('databaseTemplates', provided.databaseTemplates);
  return async () => {
    if (--shared.projects > 0) return;
    delete holder[RUN];
    await (await shared.run).teardown();
  };
}

const RUN = Symbol.for('clearinghouse.test-run');

interface SharedRun {
  readonly run: Promise<TestRun>;
  projects: number;
}

interface TestRun {
  readonly provided: {
    pgUrl: string | null;
    pgSkipReason: string;
    databaseTemplates: { sqliteFile: string; postgresDatabase: string | null };
  };
  teardown(): Promise<void>;
}

async function setUpRun(): Promise<TestRun> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'chx-test-logs-'));
  process.env[RUN_LOG_DIR_ENV] = logDir;
  const database = await setUpDatabase();
  const templates = await createDatabaseTemplates(database.adminUrl, database.name);
  return {
    provided: {
      pgUrl: database.pgUrl,
      pgSkipReason: database.pgSkipReason,
      databaseTemplates: { sqliteFile: templates.sqliteFile, postgresDatabase: templates.postgresDatabase },
    },
    teardown: async () => {
      await templates.drop();
      await database.teardown();
      await checkLogsForSecrets(logDir);
    },
  };
}

/**
 * Every log line the run wrote (runtimes, servers, child processes: test/support/run-logs.ts) searched for
 * the shapes of the secrets the clearinghouse issues and accepts. A finding fails the run: a teardown that
 * throws does not change Vitest's exit code, so the code is set here.
 */
async function checkLogsForSecrets(logDir: string): Promise<void> {
  const { files, lines, findings } = await scanLogDirectory(logDir);
  if (findings.length === 0) {
    console.log(`secrets in logs: ${lines} log lines in ${files} files of this run searched, no secret found`);
    rmSync(logDir, { recursive: true, force: true });
    return;
  }
  console.error(`secrets in logs: ${findings.length} secrets in ${lines} log lines of this run (logs kept in ${logDir}):`);
  for (const f of findings.slice(0, 20)) console.error(`  ${path.basename(f.file)}:${f.line}: ${f.shape}: ${f.excerpt}`);
  process.exitCode = 1;
}

interface RunDatabase {
  /** The PostgreSQL server's administrative URL, or null when the run has no PostgreSQL. */
  readonly adminUrl: string | null;
  /** This run's name: its database's, and the prefix of every database the run makes. */
  readonly name: string;
  /** The run's database, or null when PostgreSQL tests are skipped. */
  readonly pgUrl: string | null;
  /** Why PostgreSQL tests are skipped, when they are. */
  readonly pgSkipReason: string;
  teardown(): Promise<void>;
}

async function setUpDatabase(): Promise<RunDatabase> {
  const name = `chtest_${Date.now()}_${process.pid}`;
  const none = (pgSkipReason: string) => ({ adminUrl: null, name, pgUrl: null, pgSkipReason, teardown: async () => undefined });
  const setting = process.env.CLEARINGHOUSE_TEST_PG;
  const required = setting !== undefined && setting !== '' && setting !== 'off';
  const adminUrl = required ? setting : DEFAULT_ADMIN_URL;
  if (setting === 'off') return none('CLEARINGHOUSE_TEST_PG=off');
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: required ? 10_000 : 1500 });
  try {
    await admin.connect();
  } catch (error) {
    if (required) throw new Error(`CLEARINGHOUSE_TEST_PG=${adminUrl} is not reachable: ${(error as Error).message}`, { cause: error });
    const reason = `no PostgreSQL at ${adminUrl} (${(error as Error).message}); set CLEARINGHOUSE_TEST_PG to run the PostgreSQL half`;
    console.warn(`skipping PostgreSQL tests: ${reason}`);
    return none(reason);
  }
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    adminUrl,
    name,
    pgUrl: url.toString(),
    pgSkipReason: '',
    teardown: async () => {
      // With the run's database go the copies of the template a test file left behind (a worker that died).
      const left = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${name}\\_%`]);
      for (const { datname } of left.rows) await admin.query(`drop database if exists ${datname} with (force)`);
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
