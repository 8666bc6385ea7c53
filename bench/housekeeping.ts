import { loadavg } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { DAY, HOUR, systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import {
  insertMany,
  openDatabase,
  platformMigrations,
  runMigrations,
  tables,
  withDeferredDurability,
  type Database,
} from '../src/platform/db/index.js';
import { sweepHousekeeping, HOUSEKEEPING_BATCH } from '../src/platform/housekeeping.js';
import { newId } from '../src/platform/ids.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { report } from './report.js';

/**
 * The housekeeping sweep (platform/housekeeping.ts) against a plain DELETE by primary key of the same rows, in
 * the same batches, on a copy seeded alike: `events` events of two hours ago, one delivery job per 100 of them
 * (a tenth still queued, so their events stay), and as many other jobs, the done ones finished two days ago. Figures: rows
 * deleted per second, and the time each deleting statement (its own transaction, so the write lock on SQLite)
 * took, median and largest. The order of sweep and baseline alternates by round. Plans printed on stderr.
 */
export async function benchHousekeeping(options: {
  readonly events: number;
  readonly rounds: number;
  readonly databases?: readonly ('sqlite' | 'postgres')[];
}): Promise<void> {
  for (const dialect of options.databases ?? ['sqlite', 'postgres']) {
    for (let round = 0; round < options.rounds; round++) {
      const order: ('sweep' | 'baseline')[] = round % 2 === 0 ? ['sweep', 'baseline'] : ['baseline', 'sweep'];
      for (const what of order) {
        const bench = dialect === 'sqlite' ? benchSqlite('housekeeping') : await benchPostgres('housekeeping');
        if (bench === null) return;
        try {
          await measure(bench, what, options.events, round);
        } finally {
          await bench.drop();
        }
      }
    }
  }
}

interface Seeded {
  readonly events: string[];
  readonly jobs: string[];
}

async function seed(db: Database, count: number): Promise<Seeded> {
  const now = Date.now();
  const old = new Date(now - 2 * HOUR).toISOString();
  const finished = new Date(now - 2 * DAY).toISOString();
  const enqueued = new Date(now - 2 * DAY - HOUR).toISOString();
  const gone: Seeded = { events: [], jobs: [] };
  const payload = JSON.stringify({ advisoryId: `adv_${'x'.repeat(26)}`, assets: 12, operators: 3, purls: ['pkg:pypi/requests@2.31.0'] });
  for (let start = 0; start < count; start += 10_000) {
    const events: unknown[][] = [];
    const jobs: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + 10_000); i += 100) {
      const ids = Array.from({ length: Math.min(100, count - i) }, () => newId('evt'));
      for (const id of ids) events.push([id, 'inventory.exposure.changed', `adv_${i}`, null, payload, old]);
      const queued = (i / 100) % 10 === 0;
      if (!queued) gone.events.push(...ids);
      const job = newId('job');
      jobs.push(
        jobRow(
          job,
          'event:bench.consumer',
          { eventIds: ids },
          queued ? 'queued' : 'done',
          `${ids[0]}+${ids.length}:bench.consumer`,
          enqueued,
          queued ? null : finished,
        ),
      );
      if (!queued) gone.jobs.push(job);
    }
    for (let i = start; i < Math.min(count, start + 10_000); i++) {
      const job = newId('job');
      jobs.push(jobRow(job, 'bench.work', { n: i }, 'done', `bench.work:${i}`, enqueued, finished));
      gone.jobs.push(job);
    }
    await withDeferredDurability(async () => {
      await insertMany(db.kysely, db.caps, 'platform_event', ['id', 'type', 'subject_id', 'org_id', 'payload', 'created_at'], events);
      await insertMany(db.kysely, db.caps, 'platform_job', JOB_COLUMNS, jobs);
    });
  }
  if (db.caps.plannerNeedsStatistics) await sql`analyze`.execute(db.kysely);
  gone.events.sort();
  gone.jobs.sort();
  return gone;
}

const JOB_COLUMNS = 'id kind payload status dedup_key run_at attempts max_attempts created_at updated_at finished_at priority'.split(' ');

function jobRow(id: string, kind: string, payload: unknown, status: string, key: string, at: string, finished: string | null): unknown[] {
  return [id, kind, JSON.stringify(payload), status, key, at, status === 'done' ? 1 : 0, 5, at, finished ?? at, finished, 0];
}

async function measure(bench: BenchDatabase, what: 'sweep' | 'baseline', events: number, round: number): Promise<void> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    ...bench.env,
    CLEARINGHOUSE_DATA_DIR: bench.env.CLEARINGHOUSE_DATA_DIR ?? path.resolve('data'),
  });
  const db = openDatabase(config.database);
  try {
    await runMigrations(db, [platformMigrations]);
    const gone = await seed(db, events);
    if (round === 0 && what === 'sweep') await explain(db, bench.dialect);
    const holds: number[] = [];
    const cpu = process.cpuUsage();
    const started = performance.now();
    let rows = 0;
    if (what === 'sweep') {
      const result = await sweepHousekeeping(db, systemClock, {
        doneJobsKeepMs: DAY,
        failedJobsKeepMs: 30 * DAY,
        eventsKeepMs: HOUR,
        maxRows: Number.MAX_SAFE_INTEGER,
        onBatch: (b) => holds.push(b.ms),
      });
      rows = result.jobs.removedDone + result.events.removed;
      if (result.jobs.removedDone !== gone.jobs.length || result.events.removed !== gone.events.length)
        throw new Error(
          `the sweep deleted ${result.jobs.removedDone} jobs and ${result.events.removed} events, not ${gone.jobs.length} and ${gone.events.length}`,
        );
    } else {
      const k = tables<{ platform_job: { id: string }; platform_event: { id: string } }>(db.kysely);
      for (const [table, ids] of [
        ['platform_job', gone.jobs],
        ['platform_event', gone.events],
      ] as const) {
        for (let i = 0; i < ids.length; i += HOUSEKEEPING_BATCH) {
          const part = ids.slice(i, i + HOUSEKEEPING_BATCH);
          const t0 = performance.now();
          await withDeferredDurability(() => k.deleteFrom(table).where('id', 'in', part).execute());
          holds.push(performance.now() - t0);
          rows += part.length;
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const left = await tables<{ platform_event: { id: string }; platform_job: { id: string } }>(db.kysely)
      .selectFrom('platform_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    holds.sort((a, b) => a - b);
    const extra = {
      database: bench.dialect,
      round,
      rows,
      eventsLeft: Number(left.n),
      statements: holds.length,
      processCpuMs: Math.round((used.user + used.system) / 1000),
      load: loadavg().map((l) => Math.round(l * 10) / 10),
    };
    report(`housekeeping.${what}.rows_per_s`, rows / seconds, extra);
    report(`housekeeping.${what}.batch_ms_p50`, holds[Math.floor(holds.length / 2)] ?? 0, extra);
    report(`housekeeping.${what}.batch_ms_max`, holds[holds.length - 1] ?? 0, extra);
  } finally {
    await db.close();
  }
}

/** The plans of the sweep's reads and deletes, on stderr: each must walk an index, not the table. */
async function explain(db: Database, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const firstEvent = (await sql<{ id: string }>`select min(id) as id from platform_event`.execute(db.kysely)).rows[0]?.id ?? '';
  const lastEvent =
    (await sql<{ id: string }>`select id from platform_event order by id limit 1 offset ${HOUSEKEEPING_BATCH - 1}`.execute(db.kysely))
      .rows[0]?.id ?? '';
  const page = (await sql<{ id: string }>`select id from platform_event order by id limit ${HOUSEKEEPING_BATCH}`.execute(db.kysely)).rows;
  const statements = [
    sql`select id, status, dedup_key, created_at, finished_at from platform_job where id > ${''} order by id limit ${HOUSEKEEPING_BATCH}`,
    sql`select id, created_at from platform_event where id > ${''} order by id limit ${HOUSEKEEPING_BATCH}`,
    sql`select payload from platform_job where dedup_key >= ${firstEvent} and dedup_key < ${lastEvent + '~'} and status <> 'done' and kind like 'event:%'`,
    sql`delete from platform_event where id in (${sql.join(page.map((r) => r.id))})`,
  ];
  const rollback = new Error('rolled back');
  for (const statement of statements) {
    let lines: string[] = [];
    if (dialect === 'sqlite') {
      const plan = await sql<Record<string, string>>`explain query plan ${statement}`.execute(db.kysely);
      lines = plan.rows.map((r) => Object.values(r).join(' '));
    } else {
      // EXPLAIN ANALYZE runs the statement: the delete's is rolled back.
      await db.kysely
        .transaction()
        .execute(async (trx) => {
          const plan = await sql<Record<string, string>>`explain (analyze, buffers) ${statement}`.execute(trx);
          lines = plan.rows.map((r) => Object.values(r).join(' '));
          throw rollback;
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
        });
    }
    console.error(`${dialect}:\n${lines.join('\n')}\n`);
  }
}
