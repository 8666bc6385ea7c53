import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface BenchDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh SQLite data dir. */
export function benchSqlite(label: string): BenchDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), `ch-bench-${label}-`));
  return { dialect: 'sqlite', env: { CLEARINGHOUSE_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A fresh PostgreSQL database `name` on the server named by CLEARINGHOUSE_BENCH_PG (default the local one),
 * dropped by `drop()`, or null, with the reason printed, when none answers. Its name starts with
 * CLEARINGHOUSE_BENCH_PG_PREFIX (default `ch_bench`), so that sessions sharing a server keep to their own names.
 */
export async function benchPostgres(
  label: string,
  name = `${process.env.CLEARINGHOUSE_BENCH_PG_PREFIX ?? 'ch_bench'}_${label}_${Date.now()}`,
): Promise<BenchDatabase | null> {
  const adminUrl = process.env.CLEARINGHOUSE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    console.error(`skipping the PostgreSQL figures: ${adminUrl} does not answer (${(error as Error).message})`);
    return null;
  }
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(path.join(tmpdir(), `ch-bench-${label}-`));
  return {
    dialect: 'postgres',
    env: { CLEARINGHOUSE_DATA_DIR: dir, DATABASE_URL: url.toString() },
    drop: async () => {
      // A closed pool ends its connections without waiting for them to go: give them a moment to, so that
      // the forced drop does not kill a connection whose pool would then report the error.
      for (let waited = 0; waited < 2000; waited += 50) {
        const open = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if ((open.rows[0] as { n: number }).n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
