import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { analyzeStaleTables, keepAllStatisticsFresh, keepStatisticsFresh } from './fresh-statistics.js';
import type { AnyKysely } from './database.js';

describeEachDatabase('planner statistics kept fresh', (dialect) => {
  const get = useTestDatabase(dialect);

  async function insert(db: AnyKysely, from: number, count: number): Promise<void> {
    const values = Array.from({ length: count }, (_, i) => `k${from + i}`);
    for (let i = 0; i < values.length; i += 500)
      await sql`insert into sample_key (k) values ${sql.join(values.slice(i, i + 500).map((v) => sql`(${v})`))}`.execute(db);
  }

  it('gathers them once a table grew by a fifth since they were last gathered, and not before', async () => {
    const { db } = get();
    await sql`create table sample_key (k text not null)`.execute(db.kysely);
    await sql`create index sample_key_k on sample_key (k)`.execute(db.kysely);
    if (!db.caps.plannerNeedsStatistics) {
      await insert(db.kysely, 0, 2000);
      await expect(keepStatisticsFresh(db.kysely, db.caps, 'sample_key')).resolves.toBeUndefined();
      return;
    }
    // One connection, so that its activity counters can be flushed to where the check reads them.
    await db.kysely.connection().execute(async (one) => {
      const tuples = async () =>
        Number(
          (await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = to_regclass('sample_key')`.execute(one)).rows[0]
            ?.n,
        );
      const flush = () => sql`select pg_stat_force_next_flush()`.execute(one);
      await insert(one, 0, 2000);
      await flush();
      expect(await tuples()).toBeLessThanOrEqual(0);
      await keepStatisticsFresh(one, db.caps, 'sample_key');
      expect(await tuples()).toBe(2000);
      // 5 % more rows: the statistics stand.
      await insert(one, 2000, 100);
      await flush();
      await keepStatisticsFresh(one, db.caps, 'sample_key');
      expect(await tuples()).toBe(2000);
      // Past 500 rows and a fifth more since they were gathered (1,000 > 500 + 400): gathered again.
      await insert(one, 2100, 900);
      await flush();
      await keepStatisticsFresh(one, db.caps, 'sample_key');
      expect(await tuples()).toBe(3000);
    });
  });

  it('asked at most once a period, looks at a table again only once the period is over', async () => {
    const { db } = get();
    if (!db.caps.plannerNeedsStatistics) return;
    await db.kysely.connection().execute(async (one) => {
      const tuples = () => tuplesOf(one, 'sample_key');
      const flush = () => sql`select pg_stat_force_next_flush()`.execute(one);
      await sql`create table sample_key (k text not null)`.execute(one);
      await insert(one, 0, 2000);
      await flush();
      await keepStatisticsFresh(one, db.caps, 'sample_key', { atMostEveryMs: 3_600_000 });
      expect(await tuples()).toBe(2000);
      // Grown past the threshold, but asked about within the hour: not looked at.
      await insert(one, 2000, 1000);
      await flush();
      await keepStatisticsFresh(one, db.caps, 'sample_key', { atMostEveryMs: 3_600_000 });
      expect(await tuples()).toBe(2000);
      // A period already over (none at all): looked at, and gathered.
      await keepStatisticsFresh(one, db.caps, 'sample_key', { atMostEveryMs: 0 });
      expect(await tuples()).toBe(3000);
    });
  });

  it('does not gather them again for rows rewritten in place: only a table that grew or shrank is stale', async () => {
    const { db } = get();
    if (!db.caps.plannerNeedsStatistics) return;
    await db.kysely.connection().execute(async (one) => {
      const analyzeCount = async () =>
        Number((await sql<{ n: number }>`select pg_stat_get_analyze_count(to_regclass('sample_key'))::int as n`.execute(one)).rows[0]?.n);
      const flush = () => sql`select pg_stat_force_next_flush()`.execute(one);
      await sql`create table sample_key (k text not null, n int not null default 0)`.execute(one);
      await insert(one, 0, 2000);
      await flush();
      await keepStatisticsFresh(one, db.caps, 'sample_key');
      await flush();
      expect(await analyzeCount()).toBe(1);
      // Every row rewritten twice (4,000 changes, far past 500 + a fifth), none added: the statistics stand.
      await sql`update sample_key set n = n + 1`.execute(one);
      await sql`update sample_key set n = n + 1`.execute(one);
      await flush();
      await keepStatisticsFresh(one, db.caps, 'sample_key');
      await flush();
      expect(await analyzeCount()).toBe(1);
      // 1,111 of them deleted (k1, k10…k19, k100…k199, k1000…k1999): the count moved by more than a fifth and 500.
      await sql`delete from sample_key where k like 'k1%'`.execute(one);
      await flush();
      await keepStatisticsFresh(one, db.caps, 'sample_key');
      await flush();
      expect(await analyzeCount()).toBe(2);
    });
  });

  const tuplesOf = async (db: AnyKysely, table: string) =>
    Number(
      (await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = to_regclass(${table})`.execute(db)).rows[0]?.n,
    );

  /** Two tables of 2,000 rows: `sample_grown` never analyzed, `sample_steady` analyzed and grown by 5 % since. */
  async function growTwoTables(db: AnyKysely): Promise<void> {
    await db.connection().execute(async (one) => {
      const fill = (table: string, count: number) =>
        sql`insert into ${sql.table(table)} (k) select 'k' || g from generate_series(1, ${count}::int) g`.execute(one);
      for (const table of ['sample_grown', 'sample_steady']) await sql`create table ${sql.table(table)} (k text not null)`.execute(one);
      await fill('sample_grown', 2000);
      await fill('sample_steady', 2000);
      await sql`select pg_stat_force_next_flush()`.execute(one);
      await sql`analyze sample_steady`.execute(one);
      await fill('sample_steady', 100);
      await sql`select pg_stat_force_next_flush()`.execute(one);
    });
  }

  it('checks several tables in one call and gathers only those that grew', async () => {
    const { db } = get();
    if (!db.caps.plannerNeedsStatistics) {
      for (const table of ['sample_grown', 'sample_steady'])
        await sql`create table ${sql.table(table)} (k text not null)`.execute(db.kysely);
      await expect(keepStatisticsFresh(db.kysely, db.caps, ['sample_grown', 'sample_steady'])).resolves.toBeUndefined();
      return;
    }
    await growTwoTables(db.kysely);
    await keepStatisticsFresh(db.kysely, db.caps, ['sample_grown', 'sample_steady']);
    expect(await tuplesOf(db.kysely, 'sample_grown')).toBe(2000);
    expect(await tuplesOf(db.kysely, 'sample_steady')).toBe(2000);
  });

  it('gathers those of every table of the schema that grew, and names them', async () => {
    const { db } = get();
    if (!db.caps.plannerNeedsStatistics) {
      await sql`create table sample_grown (k text not null)`.execute(db.kysely);
      await expect(analyzeStaleTables(db)).resolves.toEqual([]);
      return;
    }
    await growTwoTables(db.kysely);
    expect(await analyzeStaleTables(db)).toEqual(['sample_grown']);
    expect(await tuplesOf(db.kysely, 'sample_grown')).toBe(2000);
    expect(await tuplesOf(db.kysely, 'sample_steady')).toBe(2000);
    // Gathered now: nothing more to do.
    expect(await analyzeStaleTables(db)).toEqual([]);
  });

  it('leaves the round to the process that is already gathering them', async () => {
    const { db, another } = get();
    if (!db.caps.plannerNeedsStatistics) return;
    await growTwoTables(db.kysely);
    const other = another();
    await other.kysely.transaction().execute(async (trx) => {
      // The other process's turn, as analyzeStaleTables takes it.
      await sql`select pg_advisory_xact_lock(hashtext('platform.statistics:' || current_schema()))`.execute(trx);
      expect(await analyzeStaleTables(db)).toEqual([]);
    });
    expect(await tuplesOf(db.kysely, 'sample_grown')).toBeLessThanOrEqual(0);
    expect(await analyzeStaleTables(db)).toEqual(['sample_grown']);
  });

  it('keeps them fresh in the background until stopped', async () => {
    const { db } = get();
    if (!db.caps.plannerNeedsStatistics) {
      const calls: unknown[] = [];
      const keeper = keepAllStatisticsFresh(db, { everyMs: 5, onAnalyzed: (t) => calls.push(t), onError: (e) => calls.push(e) });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await keeper.stop();
      expect(calls).toEqual([]);
      return;
    }
    await growTwoTables(db.kysely);
    const errors: unknown[] = [];
    const analyzed = new Promise<string[]>((resolve) => {
      const keeper = keepAllStatisticsFresh(db, {
        everyMs: 5,
        onAnalyzed: (tables) => void keeper.stop().then(() => resolve(tables)),
        onError: (error) => errors.push(error),
      });
    });
    expect(await analyzed).toEqual(['sample_grown']);
    expect(errors).toEqual([]);
    expect(await tuplesOf(db.kysely, 'sample_grown')).toBe(2000);
  });
});
