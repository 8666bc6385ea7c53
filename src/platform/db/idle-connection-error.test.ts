import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabaseUrl, postgresAvailable } from '#test-support/databases.js';
import { loadConfig } from '../config.js';
import { openDatabase } from './database.js';

/**
 * Issue 20, faults: PostgreSQL restarting cuts the pool's idle connections. That failure used to reach the
 * pool as an 'error' event nobody listened to, which ends a Node process: the server died with the
 * database instead of waiting for it. Now the owner is told, and the next query opens a new connection.
 */
describe.runIf(postgresAvailable())('an idle PostgreSQL connection cut by the server', () => {
  it('is reported and replaced, and does not end the process', async () => {
    const target = await createTestDatabaseUrl('postgres');
    const errors: Error[] = [];
    const db = openDatabase(loadConfig({ DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir }).database, {
      onIdleConnectionError: (error) => errors.push(error),
    });
    const admin = new pg.Client({ connectionString: inject('pgUrl') as string });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db.kysely);
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(errors[0]!.message).toMatch(/terminat/i);
      const again = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db.kysely);
      expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
    } finally {
      await admin.end();
      await db.close();
      await target.drop();
    }
  });
});
