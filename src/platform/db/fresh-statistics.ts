import { sql } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';
import type { AnyKysely } from './database.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Gathers the planner's statistics of `table` when it changed by more than a fifth (and 500 rows) since they
 * were last gathered, or never were. Autovacuum does this on a default PostgreSQL server; where it is off or
 * lags behind bulk inserts (intake adds thousands of rows per submission), key lookups that should take
 * milliseconds are planned as full scans and grow with the table. Each table is analyzed a logarithmic
 * number of times as it grows, so the total cost stays linear. A no-op where the planner needs no statistics.
 */
export async function keepStatisticsFresh(db: AnyKysely, caps: DialectCapabilities, table: string): Promise<void> {
  if (!caps.plannerNeedsStatistics) return;
  if (!IDENTIFIER.test(table)) throw new Error(`keepStatisticsFresh: "${table}" is not a plain identifier`);
  const { rows } = await sql<{ tuples: number; changed: number }>`
    select c.reltuples::float8 as tuples, pg_stat_get_mod_since_analyze(c.oid)::float8 as changed
    from pg_class c where c.oid = to_regclass(${table})`.execute(db);
  const stats = rows[0];
  if (stats === undefined) return;
  if (stats.changed > 500 + 0.2 * Math.max(stats.tuples, 0)) await sql`analyze ${sql.table(table)}`.execute(db);
}
