import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../test/support/databases.js';
import { ManualClock } from '../clock.js';
import { withTransaction } from '../db/index.js';
import { JobRunner } from '../jobs/index.js';
import { testLogger } from '../../../test/support/run-logs.js';
import { defineEvent } from './event-type.js';
import { createOutbox, eventJobHandlers, eventsAbout, type EventConsumer, type StoredEvent } from './outbox.js';

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
    const outbox = createOutbox(clock, consumers);
    const runner = new JobRunner({ db: get().db, clock, log: testLogger(), handlers: eventJobHandlers(consumers) });
    return { outbox, runner, received };
  }

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

  it('refuses two consumers with one name', () => {
    const c = { name: 'a.b', types: [], handle: async () => undefined };
    expect(() => eventJobHandlers([c, c])).toThrow(/two event consumers/);
  });
});
