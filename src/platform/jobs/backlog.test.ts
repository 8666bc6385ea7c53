import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { ManualClock, MINUTE } from '../clock.js';
import type { Database } from '../db/index.js';
import { dueBacklog } from './backlog.js';
import { claimJobs, completeJob, enqueueJob } from './jobs.js';

describeEachDatabase('the due backlog', (dialect) => {
  const get = useTestDatabase(dialect);
  let db: Database;
  let clock: ManualClock;

  beforeEach(() => {
    db = get().db;
    clock = new ManualClock();
  });

  it('counts running and due queued jobs of the kinds named; not later ones, finished ones or other kinds', async () => {
    for (let i = 0; i < 3; i++) await enqueueJob(db.kysely, clock, { kind: 'a' });
    await enqueueJob(db.kysely, clock, { kind: 'b' });
    await enqueueJob(db.kysely, clock, { kind: 'a', runAt: new Date(clock.now().getTime() + 10 * MINUTE) });
    await enqueueJob(db.kysely, clock, { kind: 'slot:1' });
    expect(await dueBacklog(db.kysely, clock, ['a', 'b'])).toBe(4);

    const [running, done] = await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE, kinds: ['a'], limit: 2 });
    await completeJob(db.kysely, clock, done!);
    expect(running).toBeDefined();
    expect(await dueBacklog(db.kysely, clock, ['a', 'b'])).toBe(3);
    expect(await dueBacklog(db.kysely, clock, ['b'])).toBe(1);
    expect(await dueBacklog(db.kysely, clock, [])).toBe(0);

    clock.advance(10 * MINUTE);
    expect(await dueBacklog(db.kysely, clock, ['a', 'b'])).toBe(4);
  });
});
