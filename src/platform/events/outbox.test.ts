import { sql, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { ManualClock } from '../clock.js';
import { withTransaction } from '../db/index.js';
import { enqueueJob, JobRunner } from '../jobs/index.js';
import { testLogger } from '#test-support/run-logs.js';
import { defineEvent } from './event-type.js';
import { createOutbox, EVENT_BATCH, eventJobHandlers, eventsAbout, type EventConsumer, type StoredEvent } from './outbox.js';

const VALIDATED = defineEvent<unknown>('validation.cluster.validated');

describeEachDatabase('the event outbox', (dialect) => {
  const get = useTestDatabase(dialect);

  function setup() {
    const clock = new ManualClock();
    const received: { consumer: string; event: StoredEvent }[] = [];
    const consumer = (name: string, types: string[]): EventConsumer => ({
      name,
      types: types.map((t) => defineEvent<unknown>(t)),
      handle: async (event) => void received.push({ consumer: name, event }),
    });
    const consumers = [
      consumer('scoring.rescore', ['validation.cluster.validated']),
      consumer('cases.open', ['validation.cluster.validated', 'x.y.z']),
    ];
    const outbox = createOutbox(clock, consumers, get().db.caps);
    const runner = new JobRunner({ db: get().db, clock, log: testLogger(), handlers: eventJobHandlers(consumers, get().db.kysely) });
    return { outbox, runner, received };
  }

  it('stores events under their key alone: every change writes them and nothing on the server reads them back by another column', async () => {
    const db = get().db;
    const { rows } =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from pragma_index_list('platform_event') where origin <> 'pk'`.execute(db.kysely)
        : await sql<{ name: string }>`select indexname as name from pg_indexes
            where schemaname = current_schema() and tablename = 'platform_event' and indexname <> 'platform_event_pkey'`.execute(db.kysely);
    expect(rows).toEqual([]);
    const { outbox } = setup();
    await withTransaction(db, (trx) => outbox.emit(trx, { type: VALIDATED, subjectId: 'clu_2', orgId: 'org_1', payload: { quorum: 2 } }));
    await withTransaction(db, (trx) => outbox.emit(trx, { type: VALIDATED, subjectId: 'clu_3', orgId: 'org_1', payload: { quorum: 3 } }));
    await withTransaction(db, (trx) => outbox.emit(trx, { type: VALIDATED, subjectId: 'clu_2', orgId: 'org_1', payload: { quorum: 4 } }));
    expect((await eventsAbout(db.kysely, 'clu_2')).map((e) => e.payload)).toEqual([{ quorum: 2 }, { quorum: 4 }]);
  });

  it('delivers a committed event to every subscribed consumer exactly once', async () => {
    const { outbox, runner, received } = setup();
    const db = get().db;
    const stored = await withTransaction(db, (trx) =>
      outbox.emit(trx, { type: VALIDATED, subjectId: 'clu_1', orgId: 'org_1', payload: { quorum: 1 } }),
    );
    await withTransaction(db, (trx) =>
      outbox.emit(trx, { type: defineEvent<null>('nobody.listens.here'), subjectId: 'clu_1', payload: null }),
    );
    expect(await runner.drain()).toBe(2);
    expect(received.map((r) => r.consumer).sort()).toEqual(['cases.open', 'scoring.rescore']);
    expect(received[0]?.event).toEqual(stored);
    expect(await runner.drain()).toBe(0);
    expect((await eventsAbout(db.kysely, 'clu_1')).map((e) => e.type)).toEqual(['validation.cluster.validated', 'nobody.listens.here']);
  });

  it('records and delivers nothing when the transaction rolls back', async () => {
    const { outbox, runner, received } = setup();
    const db = get().db;
    await expect(
      withTransaction(db, async (trx) => {
        await outbox.emit(trx, { type: VALIDATED, subjectId: 'clu_2', payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await runner.drain()).toBe(0);
    expect(received).toEqual([]);
    expect(await eventsAbout(db.kysely, 'clu_2')).toEqual([]);
  });

  it('delivers many events of one change in one job per consumer, in order, and none to a consumer that declines them', async () => {
    const clock = new ManualClock();
    const db = get().db;
    const received: string[] = [];
    const consumers: EventConsumer[] = [
      { name: 'scoring.rescore', types: [VALIDATED], handle: async (event) => void received.push(`rescore ${event.subjectId}`) },
      {
        name: 'cases.open',
        types: [VALIDATED],
        wants: (event) => event.subjectId.endsWith('7'),
        handle: async (event) => void received.push(`open ${event.subjectId}`),
      },
    ];
    const outbox = createOutbox(clock, consumers, db.caps);
    const runner = new JobRunner({ db, clock, log: testLogger(), handlers: eventJobHandlers(consumers, get().db.kysely), batch: 100 });
    const subjects = Array.from({ length: EVENT_BATCH + 5 }, (_, i) => `clu_${String(i).padStart(3, '0')}`);
    const stored = await withTransaction(db, (trx) =>
      outbox.emitAll(
        trx,
        VALIDATED,
        subjects.map((subjectId) => ({ subjectId, payload: { quorum: 1 } })),
      ),
    );
    expect(await runner.drain()).toBe(3);
    expect(received.filter((r) => r.startsWith('rescore'))).toEqual(subjects.map((s) => `rescore ${s}`));
    expect(received.filter((r) => r.startsWith('open'))).toEqual(subjects.filter((s) => s.endsWith('7')).map((s) => `open ${s}`));
    expect(await eventsAbout(db.kysely, 'clu_007')).toEqual([stored[7]]);
  });

  it("names emitAll's events in its jobs rather than carrying them, and delivers them as stored, in order; a job queued with its events still delivers them", async () => {
    const clock = new ManualClock();
    const db = get().db;
    const received: StoredEvent[] = [];
    const consumers: EventConsumer[] = [
      { name: 'inventory.rematch', types: [VALIDATED], handle: async (event) => void received.push(event) },
    ];
    const outbox = createOutbox(clock, consumers, db.caps);
    const runner = new JobRunner({ db, clock, log: testLogger(), handlers: eventJobHandlers(consumers, db.kysely), batch: 100 });
    const stored = await withTransaction(db, (trx) =>
      outbox.emitAll(
        trx,
        VALIDATED,
        ['clu_c', 'clu_a', 'clu_b'].map((subjectId, i) => ({
          subjectId,
          orgId: i === 1 ? 'org_1' : null,
          payload: { quorum: i, why: 'x' },
        })),
      ),
    );
    const jobs = await sql<{ payload: string }>`select payload from platform_job where kind = 'event:inventory.rematch'`.execute(db.kysely);
    expect(jobs.rows.map((r) => JSON.parse(typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload)) as unknown)).toEqual([
      { eventIds: stored.map((e) => e.id) },
    ]);
    await enqueueJob(db.kysely, clock, { kind: 'event:inventory.rematch', payload: { events: [stored[1]] } });
    expect(await runner.drain()).toBe(2);
    expect(received).toEqual([...stored, stored[1]]);
  });

  it('gives each event of emitAll its own job when asked to, as emit does', async () => {
    const clock = new ManualClock();
    const db = get().db;
    const received: string[] = [];
    const consumers: EventConsumer[] = [
      { name: 'inventory.rematch', types: [VALIDATED], handle: async (event) => void received.push(event.subjectId) },
    ];
    const outbox = createOutbox(clock, consumers, db.caps);
    const runner = new JobRunner({ db, clock, log: testLogger(), handlers: eventJobHandlers(consumers, get().db.kysely), batch: 100 });
    const subjects = ['clu_a', 'clu_b', 'clu_c'];
    await withTransaction(db, (trx) =>
      outbox.emitAll(
        trx,
        VALIDATED,
        subjects.map((subjectId) => ({ subjectId, payload: {} })),
        { jobPerEvent: true },
      ),
    );
    expect(await runner.drain()).toBe(3);
    expect(received).toEqual(subjects);
  });

  it('hands a consumer that groups its jobs the events of the jobs claimed together in one call, and one that does not each job alone', async () => {
    const clock = new ManualClock();
    const db = get().db;
    const calls: string[] = [];
    const consumer = (name: string, groupJobs: boolean): EventConsumer => ({
      name,
      types: [VALIDATED],
      handle: async () => expect.fail('handleAll handles'),
      handleAll: async (events) => void calls.push(`${name}: ${events.map((e) => e.subjectId).join(',')}`),
      groupJobs,
    });
    const consumers = [consumer('a.grouped', true), consumer('b.alone', false)];
    const outbox = createOutbox(clock, consumers, db.caps);
    const runner = new JobRunner({ db, clock, log: testLogger(), handlers: eventJobHandlers(consumers, get().db.kysely), batch: 100 });
    for (const subjectId of ['clu_1', 'clu_2', 'clu_3']) {
      await withTransaction(db, (trx) => outbox.emit(trx, { type: VALIDATED, subjectId, payload: {} }));
      clock.advance(1);
    }
    expect(await runner.drain()).toBe(6);
    expect(calls.sort()).toEqual(['a.grouped: clu_1,clu_2,clu_3', 'b.alone: clu_1', 'b.alone: clu_2', 'b.alone: clu_3']);
  });

  it('reads the events a claimed group of jobs names in one statement, however many jobs the group holds', async () => {
    const clock = new ManualClock();
    const db = get().db;
    const calls: string[][] = [];
    const consumers: EventConsumer[] = [
      {
        name: 'a.grouped',
        types: [VALIDATED],
        handle: async () => expect.fail('handleAll handles'),
        handleAll: async (events) => void calls.push(events.map((e) => e.subjectId)),
        groupJobs: true,
      },
    ];
    // Every statement the delivery jobs' reader sends, counted as its result comes back.
    let reads = 0;
    const reader = db.kysely.withPlugin({
      transformQuery: (args: { node: RootOperationNode }) => args.node,
      transformResult: async (args: { result: QueryResult<UnknownRow> }) => (reads++, args.result),
    });
    const outbox = createOutbox(clock, consumers, db.caps);
    const runner = new JobRunner({ db, clock, log: testLogger(), handlers: eventJobHandlers(consumers, reader), batch: 100 });
    // Three changes, each emitting two events: three jobs, each naming its two events by id.
    for (const change of ['a', 'b', 'c']) {
      await withTransaction(db, (trx) =>
        outbox.emitAll(
          trx,
          VALIDATED,
          [1, 2].map((n) => ({ subjectId: `clu_${change}${n}`, payload: {} })),
        ),
      );
      clock.advance(1);
    }
    expect(await runner.drain()).toBe(3);
    expect(calls).toEqual([['clu_a1', 'clu_a2', 'clu_b1', 'clu_b2', 'clu_c1', 'clu_c2']]);
    expect(reads).toBe(1);
  });

  it('queues no job for a consumer that declines the event', async () => {
    const clock = new ManualClock();
    const db = get().db;
    const consumers: EventConsumer[] = [{ name: 'a.b', types: [VALIDATED], wants: () => false, handle: async () => undefined }];
    const outbox = createOutbox(clock, consumers, db.caps);
    const runner = new JobRunner({ db, clock, log: testLogger(), handlers: eventJobHandlers(consumers, get().db.kysely) });
    await withTransaction(db, (trx) => outbox.emit(trx, { type: VALIDATED, subjectId: 'clu_3', payload: {} }));
    expect(await runner.drain()).toBe(0);
    expect(await eventsAbout(db.kysely, 'clu_3')).toHaveLength(1);
  });

  it('writes an event and its jobs for every consumer in one statement on PostgreSQL and two elsewhere, however many consume it', async () => {
    const clock = new ManualClock();
    const db = get().db;
    const received: string[] = [];
    const consumers: EventConsumer[] = ['a.one', 'b.two', 'c.three', 'd.four'].map((name) => ({
      name,
      types: [VALIDATED],
      handle: async (event) => void received.push(`${name} ${event.subjectId}`),
    }));
    const outbox = createOutbox(clock, consumers, db.caps);
    const runner = new JobRunner({ db, clock, log: testLogger(), handlers: eventJobHandlers(consumers, get().db.kysely), batch: 100 });
    // PostgreSQL's bulk insert learns a table's column types once per process (insert-many.ts): done here,
    // uncounted, so that what is counted is what every later emit sends.
    await withTransaction(db, (trx) => outbox.emitAll(trx, VALIDATED, [{ subjectId: 'clu_warm', payload: {} }]));
    // Every statement the transaction sends, counted as its result comes back.
    let statements = 0;
    const counter = {
      transformQuery: (args: { node: RootOperationNode }) => args.node,
      transformResult: async (args: { result: QueryResult<UnknownRow> }) => (statements++, args.result),
    };
    await withTransaction(db, (trx) => outbox.emit(trx.withPlugin(counter), { type: VALIDATED, subjectId: 'clu_one', payload: {} }));
    // On PostgreSQL the event and its jobs go together (writeTogether): one round trip in the emitter's transaction.
    expect(statements).toBe(db.caps.writesInWith ? 1 : 2);
    statements = 0;
    const subjects = Array.from({ length: 2 * EVENT_BATCH + 1 }, (_, i) => `clu_${String(i).padStart(3, '0')}`);
    await withTransaction(db, (trx) =>
      outbox.emitAll(
        trx.withPlugin(counter),
        VALIDATED,
        subjects.map((subjectId) => ({ subjectId, payload: {} })),
      ),
    );
    const withFour = statements;
    // PostgreSQL: one statement for both tables. SQLite runs a bulk insert as a few prepared statement shapes
    // (power-of-two row counts, no round trips): maybe more than one per table, but as many for one consumer
    // as for four (checked below).
    if (db.caps.writesInWith) expect(withFour).toBe(1);
    // One job per consumer for each single event (the uncounted first one too), three per consumer for the batches.
    expect(await runner.drain()).toBe(4 * 2 + 4 * 3);
    for (const name of ['a.one', 'b.two', 'c.three', 'd.four'])
      expect(received.filter((r) => r.startsWith(`${name} `))).toEqual([
        `${name} clu_warm`,
        `${name} clu_one`,
        ...subjects.map((s) => `${name} ${s}`),
      ]);
    statements = 0;
    const alone = createOutbox(clock, consumers.slice(0, 1), db.caps);
    await withTransaction(db, (trx) =>
      alone.emitAll(
        trx.withPlugin(counter),
        VALIDATED,
        subjects.map((subjectId) => ({ subjectId: `${subjectId}_alone`, payload: {} })),
      ),
    );
    expect(withFour).toBe(statements);
  });

  it('refuses two consumers with one name', () => {
    const c = { name: 'a.b', types: [], handle: async () => undefined };
    expect(() => eventJobHandlers([c, c], get().db.kysely)).toThrow(/two event consumers/);
  });
});
