import { expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../src/platform/clock.js';
import { JobRunner, enqueueJob, getJob } from '../src/platform/jobs/index.js';
import { testLogger } from '#test-support/run-logs.js';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { killed, spawnTs, waitForLine } from '#test-support/spawn.js';

describeEachDatabase('a job claimed by a worker that is killed', (dialect) => {
  const get = useTestDatabase(dialect);

  it('is run again once, by another worker, after its lease expires', async () => {
    const { db, target } = get();
    const clock = new ManualClock(new Date());
    const id = await enqueueJob(db.kysely, clock, { kind: 'intake.process', payload: { submission: 'sub_1' } });

    const worker = spawnTs('test/fixtures/claim-and-hang.ts', [], { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir });
    const [, claimedId] = await waitForLine(worker, /claimed (\S+)/);
    expect(claimedId).toBe(id);
    await killed(worker);

    const runs: unknown[] = [];
    const survivor = new JobRunner({
      db,
      clock,
      log: testLogger(),
      handlers: { 'intake.process': async (job) => void runs.push(job.payload) },
    });
    expect(await survivor.runOnce()).toBe(0);
    clock.advance(2 * MINUTE);
    expect(await survivor.runOnce()).toBe(1);
    expect(await survivor.runOnce()).toBe(0);
    expect(runs).toEqual([{ submission: 'sub_1' }]);
    expect(await getJob(db.kysely, id)).toMatchObject({ status: 'done', attempts: 2 });
  });
});
