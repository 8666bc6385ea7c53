import { sql } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';
import type { AnyKysely } from './database.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Gathers the planner's statistics of each of `tables` that changed by more than a fifth (and 500 rows) since
 * they were last gathered, or never were — one round trip to ask, one ANALYZE per stale table. Autovacuum
 * does this on a default PostgreSQL server; where it is off or lags behind bulk inserts (intake adds thousands
 * of rows per submission), key lookups that should take milliseconds are planned as full scans and grow with
 * the table. Each table is analyzed a logarithmic number of times as it grows, so the total cost stays
 * linear. A no-op where the planner needs no statistics.
 */
export async function keepStatisticsFresh(db: AnyKysely, caps: DialectCapabilities, tables: string | readonly string[]): Promise<void> {
  if (!caps.plannerNeedsStatistics) return;
  const names = typeof tables === 'string' ? [tables] : [...tables];
  for (const name of names) if (!IDENTIFIER.test(name)) throw new Error(`keepStatisticsFresh: "${name}" is not a plain identifier`);
  if (names.length === 0) return;
  const { rows } = await sql<{ name: string; tuples: number; changed: number }>`
    select n.name, c.reltuples::float8 as tuples, pg_stat_get_mod_since_analyze(c.oid)::float8 as changed
    from unnest(${names}::text[]) as n(name) join pg_class c on c.oid = to_regclass(n.name)`.execute(db);
  for (const stats of rows) {
    if (stats.changed > 500 + 0.2 * Math.max(stats.tuples, 0)) await sql`analyze ${sql.table(stats.name)}`.execute(db);
  }
}
