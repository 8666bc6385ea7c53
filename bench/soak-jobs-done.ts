import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/platform/config.js';

const DONE = `select count(*) as n from platform_job where status = 'done'`;

/**
 * How many background jobs have finished on the soak's database, read beside the servers (a read-only SQLite
 * connection, or one PostgreSQL client): the difference between two readings is the background work done in
 * between, which the backlog figures alone do not give when jobs are queued meanwhile.
 */
export async function jobsDone(env: Record<string, string>): Promise<number> {
  const database = loadConfig(env).database;
  if (database.dialect === 'sqlite') {
    const handle = new BetterSqlite3(database.file, { readonly: true });
    try {
      return Number((handle.prepare(DONE).get() as { n: number }).n);
    } finally {
      handle.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(DONE)).rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
