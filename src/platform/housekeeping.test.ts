import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { testLogger } from '#test-support/run-logs.js';
import { DAY, HOUR, ManualClock, MINUTE } from './clock.js';
import { tables, withTransaction, type Database } from './db/index.js';
import { createOutbox, defineEvent, eventJobHandlers, type EventConsumer, type StoredEvent } from './events/index.js';
import { idAfter, sweepHousekeeping, type HousekeepingOptions } from './housekeeping.js';
import { claimJobs, enqueueJob, failJob, JobRunner } from './jobs/index.js';

const SEEN = defineEvent<{ n: number }>('test.thing.seen');
const IGNORED = defineEvent<{ n: number }>('test.thing.ignored');

const KEEP: HousekeepingOptions = { doneJobsKeepMs: DAY, failedJobsKeepMs: 30 * DAY, eventsKeepMs: HOUR, scheduleKeepMs: DAY };

interface Rows {
  platform_job: { id: string; kind: string; status: string; dedup_key: string | null };
  platform_event: { id: string; created_at: string };
}
const rows = (db: Database): Kysely<Rows> => tables<Rows>(db.kysely);
const eventIds = async (db: Database) =>
  (await rows(db).selectFrom('platform_event').select('id').orderBy('id').execute()).map((r) => r.id);
const jobKeys = async (db: Database) =>
  (await rows(db).selectFrom('platform_job').select('dedup_key').orderBy('dedup_key').execute()).map((r) => r.dedup_key);

it('names the id after another in base 32, carrying, so that every key beginning with the id sorts before it', () => {
  expect(idAfter('evt_01ARZ3NDEKTSV4RRFFQ69G5FA0')).toBe('evt_01ARZ3NDEKTSV4RRFFQ69G5FA1');
  expect(idAfter('evt_01ARZ3NDEKTSV4RRFFQ69G5FA9')).toBe('evt_01ARZ3NDEKTSV4RRFFQ69G5FAA');
  expect(idAfter('evt_01ARZ3NDEKTSV4RRFFQ69G5FZZ')).toBe('evt_01ARZ3NDEKTSV4RRFFQ69G5G00');
  const id = 'evt_01ARZ3NDEKTSV4RRFFQ69G5FAZ';
  for (const key of [`${id}:scoring.rescore`, `${id}+100:a.b`]) expect(key < idAfter(id) && key >= id).toBe(true);
});

describeEachDatabase('the housekeeping sweep', (dialect) => {
  const get = useTestDatabase(dialect);

  function setup() {
    const clock = new ManualClock();
    const handled: StoredEvent[] = [];
    const fail = { next: false };
    const consumer: EventConsumer = {
      name: 'test.count',
      types: [SEEN],
      handle: async (event) => {
        if (fail.next) throw new Error('not now');
        handled.push(event);
      },
    };
    const db = get().db;
    const outbox = createOutbox(clock, [consumer], db.caps);
    const runner = new JobRunner({
      db,
      clock,
      log: testLogger(),
      batch: 100,
      handlers: { ...eventJobHandlers([consumer], db.kysely), 'test.work': async () => {} },
    });
    const sweep = (options: Partial<HousekeepingOptions> = {}) => sweepHousekeeping(db, clock, { ...KEEP, ...options });
    return { db, clock, outbox, runner, handled, fail, sweep };
  }

  it('deletes done jobs a day after they finished, and keeps those done since, the unfinished and scheduled runs of the day', async () => {
    const { db, clock, runner, sweep } = setup();
    for (const key of ['old-1', 'old-2']) await enqueueJob(db.kysely, clock, { kind: 'test.work', dedupKey: key });
    await enqueueJob(db.kysely, clock, { kind: 'test.work', dedupKey: 'schedule:test.work:1' });
    await runner.drain();
    await enqueueJob(db.kysely, clock, { kind: 'test.later', dedupKey: 'queued-long-ago' });
    clock.advance(23 * HOUR);
    await enqueueJob(db.kysely, clock, { kind: 'test.work', dedupKey: 'recent' });
    await runner.drain();
    clock.advance(2 * HOUR);

    const report = await sweep({ scheduleKeepMs: 2 * DAY });
    expect(report.jobs).toMatchObject({ removedDone: 2, removedFailed: 0 });
    expect(await jobKeys(db)).toEqual(['queued-long-ago', 'recent', 'schedule:test.work:1']);
    clock.advance(DAY);
    expect((await sweep({ scheduleKeepMs: 2 * DAY })).jobs.removedDone).toBe(2);
    expect(await jobKeys(db)).toEqual(['queued-long-ago']);
  });

  it('keeps failed jobs for their own, longer time', async () => {
    const { db, clock, sweep } = setup();
    await enqueueJob(db.kysely, clock, { kind: 'test.work', dedupKey: 'dead', maxAttempts: 1 });
    const [job] = await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE });
    await failJob(db.kysely, clock, job!, 'broken', 0);
    clock.advance(2 * DAY);
    expect((await sweep()).jobs.removedFailed).toBe(0);
    expect(await jobKeys(db)).toEqual(['dead']);
    clock.advance(29 * DAY);
    expect((await sweep()).jobs.removedFailed).toBe(1);
    expect(await jobKeys(db)).toEqual([]);
  });

  it('keeps every event a job not done names, in each form, and deletes the old ones no job names', async () => {
    const { db, clock, outbox, runner, handled, sweep } = setup();
    const batched = await withTransaction(db, (trx) =>
      outbox.emitAll(
        trx,
        SEEN,
        [1, 2, 3, 4, 5, 6, 7].map((n) => ({ subjectId: `s${n}`, payload: { n } })),
      ),
    );
    const single = await withTransaction(db, (trx) => outbox.emit(trx, { type: SEEN, subjectId: 's8', payload: { n: 8 } }));
    const unnamed = await withTransaction(db, (trx) => outbox.emitAll(trx, IGNORED, [{ subjectId: 's9', payload: { n: 9 } }]));
    // A job queued before 16e9c66 carried copies of its events.
    const [carried] = await withTransaction(db, (trx) => outbox.emitAll(trx, IGNORED, [{ subjectId: 's10', payload: { n: 10 } }]));
    await enqueueJob(db.kysely, clock, {
      kind: 'event:test.count',
      payload: { events: [carried] },
      dedupKey: `${carried!.id}+1:test.count`,
    });
    clock.advance(2 * HOUR);
    const [recent] = await withTransaction(db, (trx) => outbox.emitAll(trx, IGNORED, [{ subjectId: 's11', payload: { n: 11 } }]));

    // Pages of three: the seven events one job names lie on three pages, the job's key on the first.
    const report = await sweep({ batch: 3 });
    expect(report.events).toMatchObject({ removed: 1, named: 9 });
    expect(await eventIds(db)).toEqual([...batched, single, carried!, recent!].map((e) => e.id).sort());

    expect(await runner.drain()).toBe(3);
    expect(handled).toHaveLength(9);
    expect((await sweep({ batch: 3 })).events).toMatchObject({ removed: 9, named: 0 });
    expect(await eventIds(db)).toEqual([recent!.id]);
    expect(unnamed).toHaveLength(1);
  });

  it('keeps the events of a job waiting for its retry and of a failed one', async () => {
    const { db, clock, outbox, runner, fail, sweep } = setup();
    const [retried] = await withTransaction(db, (trx) => outbox.emitAll(trx, SEEN, [{ subjectId: 'a', payload: { n: 1 } }]));
    fail.next = true;
    await runner.runOnce();
    clock.advance(2 * HOUR);
    expect((await sweep()).events.removed).toBe(0);
    expect(await eventIds(db)).toEqual([retried!.id]);
    // Its last attempts fail: the dead job keeps its event while it is kept.
    for (let i = 0; i < 5; i++) {
      clock.advance(2 * HOUR);
      await runner.runOnce();
    }
    expect((await rows(db).selectFrom('platform_job').select('status').executeTakeFirstOrThrow()).status).toBe('failed');
    expect((await sweep()).events.removed).toBe(0);
    clock.advance(31 * DAY);
    const report = await sweep();
    expect([report.jobs.removedFailed, report.events.removed]).toEqual([1, 1]);
  });

  it('deletes in pages of the batch size, each its own statement, and leaves nothing for a second run', async () => {
    const { db, clock, outbox, runner, sweep } = setup();
    for (let i = 0; i < 25; i++) await enqueueJob(db.kysely, clock, { kind: 'test.work', dedupKey: `w${i}` });
    await withTransaction(db, (trx) =>
      outbox.emitAll(
        trx,
        IGNORED,
        Array.from({ length: 25 }, (_, n) => ({ subjectId: 's', payload: { n } })),
      ),
    );
    await runner.drain();
    clock.advance(2 * DAY);

    const dry = await sweep({ batch: 10, dryRun: true });
    expect([dry.jobs.removedDone, dry.events.removed, dry.batches]).toEqual([25, 25, 0]);
    expect(await eventIds(db)).toHaveLength(25);

    const stopped = await sweep({ batch: 10, maxRows: 10 });
    expect([stopped.complete, stopped.jobs.removedDone, stopped.events.removed, stopped.batches]).toEqual([false, 10, 10, 2]);
    const report = await sweep({ batch: 10 });
    expect([report.complete, report.jobs.removedDone, report.events.removed, report.batches]).toEqual([true, 15, 15, 4]);
    const again = await sweep({ batch: 10 });
    expect([again.jobs.removedDone, again.events.removed, again.batches]).toEqual([0, 0, 0]);
  });

  // PostgreSQL: the emitters and the sweep on connections of their own, the emitters' events older than the
  // grace before they commit (the clock moves while their transactions are open).
  if (dialect === 'postgres')
    it('loses no event named by a job to sweeps running beside the transactions that emit them', async () => {
      const { db, clock, outbox, runner, handled, sweep } = setup();
      let emitting = true;
      let removed = 0;
      let sweeps = 0;
      const sweeper = (async () => {
        while (emitting) {
          removed += (await sweep({ eventsKeepMs: 1, batch: 5 })).events.removed;
          sweeps++;
        }
      })();
      for (let round = 0; round < 10; round++)
        await Promise.all(
          [0, 1, 2].map(() =>
            withTransaction(db, async (trx) => {
              await outbox.emitAll(
                trx,
                SEEN,
                Array.from({ length: 7 }, (_, n) => ({ subjectId: `r${round}`, payload: { n } })),
              );
              await outbox.emitAll(trx, IGNORED, [{ subjectId: `r${round}`, payload: { n: -1 } }]);
              clock.advance(MINUTE);
              await new Promise((resolve) => setTimeout(resolve, 2));
            }),
          ),
        );
      emitting = false;
      await sweeper;
      removed += (await sweep({ eventsKeepMs: 1 })).events.removed;
      expect(sweeps).toBeGreaterThan(0);
      expect(removed).toBe(30);
      expect(await runner.drain()).toBe(30);
      expect(handled).toHaveLength(210);
      expect(await rows(db).selectFrom('platform_job').select('status').where('status', '<>', 'done').execute()).toEqual([]);
    });
});
