import { sql } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';
import type { AnyKysely, Database } from './database.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Statistics are stale once a table changed by more than a fifth (and 500 rows) since they were gathered, or never were. */
function stale(stats: { readonly tuples: number; readonly changed: number }): boolean {
  return stats.changed > 500 + 0.2 * Math.max(stats.tuples, 0);
}

/** Its row count is off by more than a fifth (and 500 rows) from the one its statistics were gathered at, or never were. */
function resized(stats: { readonly tuples: number; readonly live: number }): boolean {
  const gathered = Math.max(stats.tuples, 0);
  return Math.abs(stats.live - gathered) > 500 + 0.2 * gathered;
}

export interface FreshStatisticsOptions {
  /**
   * Asks about a table through this database handle at most once in this many milliseconds, for callers that
   * run many times a second (a background job per submission). PostgreSQL's backends report the row counts
   * asked for at most once a second (PGSTAT_MIN_INTERVAL), so asking more often sees nothing newer.
   */
  readonly atMostEveryMs?: number;
}

/** When each table was last asked about through each database handle (see FreshStatisticsOptions). */
const lastChecked = new WeakMap<AnyKysely, Map<string, number>>();

/**
 * Gathers the planner's statistics of each of `tables` whose row count grew or shrank by more than a fifth
 * (and 500 rows) since they were last gathered, or that never had any — one round trip to ask, one ANALYZE
 * per stale table. Autovacuum does this on a default PostgreSQL server; where it is off or lags behind bulk
 * inserts (intake adds thousands of rows per submission), key lookups that should take milliseconds are
 * planned as full scans and grow with the table. Each table is analyzed a logarithmic number of times as it
 * grows, so the total cost stays linear. Updates do not count here (they do in {@link analyzeStaleTables},
 * off the request path): a table whose rows are rewritten on every call — validation's triage rows, upserted
 * for each grown cluster — was analyzed again every few calls, 19 times and 32 s of a 100k-finding intake's
 * background work against 5 times and 1.1 s at 10k. A no-op where the planner needs no statistics.
 */
export async function keepStatisticsFresh(
  db: AnyKysely,
  caps: DialectCapabilities,
  tables: string | readonly string[],
  options: FreshStatisticsOptions = {},
): Promise<void> {
  if (!caps.plannerNeedsStatistics) return;
  let names = typeof tables === 'string' ? [tables] : [...tables];
  for (const name of names) if (!IDENTIFIER.test(name)) throw new Error(`keepStatisticsFresh: "${name}" is not a plain identifier`);
  const period = options.atMostEveryMs;
  if (period !== undefined) {
    const now = performance.now();
    const checked = lastChecked.get(db) ?? new Map<string, number>();
    lastChecked.set(db, checked);
    names = names.filter((name) => now - (checked.get(name) ?? -Infinity) >= period);
    for (const name of names) checked.set(name, now);
  }
  if (names.length === 0) return;
  const { rows } = await sql<{ name: string; tuples: number; live: number }>`
    select n.name, c.reltuples::float8 as tuples, pg_stat_get_live_tuples(c.oid)::float8 as live
    from unnest(${names}::text[]) as n(name) join pg_class c on c.oid = to_regclass(n.name)`.execute(db);
  for (const stats of rows) if (resized(stats)) await sql`analyze ${sql.table(stats.name)}`.execute(db);
}

/**
 * {@link keepStatisticsFresh} for every table of the schema: the stale ones, by the same rule, are analyzed,
 * and their names returned. One process at a time per schema (the others return at once with nothing), so
 * that two servers do not gather the same statistics twice. A no-op where the planner needs no statistics.
 */
export async function analyzeStaleTables(db: Database): Promise<string[]> {
  if (!db.caps.plannerNeedsStatistics) return [];
  return db.kysely.transaction().execute(async (trx) => {
    const { rows: turn } = await sql<{ mine: boolean }>`
      select pg_try_advisory_xact_lock(hashtext('platform.statistics:' || current_schema())) as mine`.execute(trx);
    if (turn[0]?.mine !== true) return [];
    const { rows } = await sql<{ name: string; tuples: number; changed: number }>`
      select c.relname as name, c.reltuples::float8 as tuples, pg_stat_get_mod_since_analyze(c.oid)::float8 as changed
      from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = current_schema() and c.relkind in ('r', 'p')
      order by c.relname`.execute(trx);
    const analyzed: string[] = [];
    for (const stats of rows.filter(stale)) {
      await sql`analyze ${sql.table(stats.name)}`.execute(trx);
      analyzed.push(stats.name);
    }
    return analyzed;
  });
}

/**
 * Runs {@link analyzeStaleTables} every `everyMs` until stopped — what autovacuum's ANALYZE does on a default
 * PostgreSQL server, for servers where it is off (this project's CI server) or lags behind: without it, the
 * researcher cluster list's visibility checks were planned from no statistics at all as scans of every
 * submission (hashed subplans, JIT-compiled past the cost threshold), each list costing more the more reports
 * were stored (issue 20's soak: 62.5 % of PostgreSQL's busy time after 5 minutes). A failed round (the
 * database away) is reported to `onError` and the next one tries again. Nothing runs where the planner needs
 * no statistics.
 */
export function keepAllStatisticsFresh(
  db: Database,
  options: { readonly everyMs: number; readonly onAnalyzed?: (tables: string[]) => void; readonly onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  if (!db.caps.plannerNeedsStatistics) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const round = async () => {
    try {
      const analyzed = await analyzeStaleTables(db);
      if (analyzed.length > 0) options.onAnalyzed?.(analyzed);
    } catch (error) {
      options.onError(error);
    } finally {
      running = undefined;
    }
  };
  // A round still running when the next is due (a large table's ANALYZE) is not joined by another.
  const timer = setInterval(() => void (running ??= round()), options.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
