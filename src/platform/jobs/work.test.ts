import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { ManualClock } from '../clock.js';
import type { Database } from '../db/index.js';
import { testLogger } from '#test-support/run-logs.js';
import { JobRunner } from './job-runner.js';
import { enqueueJob, getJob } from './jobs.js';
import { jobCountsByKind, startWork, workCountsByKind, workJobCounts, workState } from './work.js';

describeEachDatabase('background work', (dialect) => {
  const get = useTestDatabase(dialect);
  let db: Database;
  let clock: ManualClock;
  let runner: JobRunner;

  beforeEach(() => {
    db = get().db;
    clock = new ManualClock();
    runner = new JobRunner({
      db,
      clock,
      log: testLogger(),
      pollMs: 1,
      handlers: {
        // A match that fans out into one prioritization per affected advisory, as the reverse match does.
        match: async (job) => {
          for (let i = 0; i < (job.payload as number); i++) await enqueueJob(db.kysely, clock, { kind: 'prioritize', payload: i });
        },
        prioritize: async () => undefined,
        broken: async () => {
          throw new Error('no');
        },
      },
    });
  });

  it('tags the jobs a request queued and the jobs they queue in turn, and counts them', async () => {
    const { work } = await startWork(db.kysely, { kind: 'inventory.advisory.import', orgId: 'org_a', mayCount: true }, async () => {
      await enqueueJob(db.kysely, clock, { kind: 'match', payload: 3 });
    });
    const unrelated = await enqueueJob(db.kysely, clock, { kind: 'match', payload: 2 });
    expect(work.jobs).toBe(1);
    expect(workState(await workJobCounts(db.kysely, work.id))).toBe('pending');

    const seen: number[] = [];
    const final = await runner.runWork(work.id, (c) => seen.push(c.done));
    // One match and the three prioritizations it caused; the job outside the work is left for the server.
    expect(final).toEqual({ pending: 0, running: 0, failed: 0, done: 4 });
    expect(seen.at(-1)).toBe(4);
    expect((await getJob(db.kysely, unrelated))?.status).toBe('queued');
    expect(await jobCountsByKind(db.kysely)).toEqual([{ kind: 'match', pending: 1, running: 0, failed: 0 }]);
  });

  it("withholds the count from a caller who may not count, and counts an organisation's works once each", async () => {
    const one = await startWork(db.kysely, { kind: 'inventory.sbom.upload', orgId: 'org_op', mayCount: false }, async () => {
      await enqueueJob(db.kysely, clock, { kind: 'prioritize', payload: 1 });
      await enqueueJob(db.kysely, clock, { kind: 'prioritize', payload: 2 });
    });
    expect(one.work.jobs).toBeNull();
    await startWork(db.kysely, { kind: 'inventory.sbom.upload', orgId: 'org_other', mayCount: false }, async () => {
      await enqueueJob(db.kysely, clock, { kind: 'prioritize', payload: 3 });
    });
    await startWork(db.kysely, { kind: 'scoring.feed.load', orgId: 'org_op', mayCount: false }, async () => {
      await enqueueJob(db.kysely, clock, { kind: 'broken', maxAttempts: 1 });
    });
    expect(await workCountsByKind(db.kysely, 'org_op')).toEqual([
      { kind: 'inventory.sbom.upload', pending: 1, running: 0, failed: 0 },
      { kind: 'scoring.feed.load', pending: 1, running: 0, failed: 0 },
    ]);
    await runner.drain();
    expect(await workCountsByKind(db.kysely, 'org_op')).toEqual([{ kind: 'scoring.feed.load', pending: 0, running: 0, failed: 1 }]);
    expect(await workCountsByKind(db.kysely)).toEqual([{ kind: 'scoring.feed.load', pending: 0, running: 0, failed: 1 }]);
  });
});
