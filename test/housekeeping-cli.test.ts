import { expect, it } from 'vitest';
import { DAY, ManualClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase, tables, withTransaction } from '../src/platform/db/index.js';
import { createOutbox, defineEvent } from '../src/platform/events/index.js';
import type { HousekeepingReport } from '../src/platform/housekeeping.js';
import { enqueueJob } from '../src/platform/jobs/index.js';
import { cli, useCliDatabase } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';

const NOTED = defineEvent<null>('test.thing.noted');

/** `clearinghouse jobs sweep`: the housekeeping sweep from the command line, on the configured database. */
describeEachDatabase('jobs sweep', (dialect) => {
  const get = useCliDatabase(dialect);

  /** Two done jobs and three unnamed events stored two days ago, one of each now. */
  async function oldRows(env: Record<string, string>): Promise<void> {
    const db = openDatabase(loadConfig(env).database);
    try {
      const clock = new ManualClock(new Date(Date.now() - 2 * DAY));
      const outbox = createOutbox(clock, [], db.caps);
      for (const when of ['old', 'old', 'now']) {
        if (when === 'now') clock.set(new Date());
        const key = `housekeeping-test:${when}:${Math.random()}`;
        await enqueueJob(db.kysely, clock, { kind: 'test.nothing', dedupKey: key });
        const done = clock.now().toISOString();
        await tables<{ platform_job: { dedup_key: string; status: string; finished_at: string } }>(db.kysely)
          .updateTable('platform_job')
          .set({ status: 'done', finished_at: done })
          .where('dedup_key', '=', key)
          .execute();
      }
      clock.set(new Date(Date.now() - 2 * DAY));
      await withTransaction(db, (trx) =>
        outbox.emitAll(
          trx,
          NOTED,
          [0, 1, 2].map(() => ({ subjectId: 'x', payload: null })),
        ),
      );
      clock.set(new Date());
      await withTransaction(db, (trx) => outbox.emit(trx, { type: NOTED, subjectId: 'x', payload: null }));
    } finally {
      await db.close();
    }
  }

  it('deletes what is old enough, prints what it did as text or JSON, and does nothing the second time', async () => {
    const { env } = get();
    await oldRows(env);

    const dry = await cli(env, 'jobs', 'sweep', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(dry.json<HousekeepingReport>()).toMatchObject({
      dryRun: true,
      complete: true,
      jobs: { removedDone: 2 },
      events: { removed: 3 },
      batches: 0,
    });

    const human = await cli(env, 'jobs', 'sweep');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /^removed 2 done jobs finished before \S+, 0 failed jobs finished before \S+\nremoved 3 events stored before \S+; kept 0 of them that a job not done names\n$/,
    );

    const again = await cli(env, 'jobs', 'sweep', '--json');
    expect(again.code).toBe(0);
    expect(again.json<HousekeepingReport>()).toMatchObject({
      dryRun: false,
      jobs: { removedDone: 0, removedFailed: 0 },
      events: { removed: 0 },
      batches: 0,
    });
  });

  it('keeps what is younger than the configured times', async () => {
    const { env } = get();
    await oldRows(env);
    const swept = await cli(
      { ...env, CLEARINGHOUSE_DONE_JOBS_KEEP_MINUTES: '4320', CLEARINGHOUSE_EVENTS_KEEP_MINUTES: '4320' },
      'jobs',
      'sweep',
      '--json',
    );
    expect(swept.code).toBe(0);
    expect(swept.json<HousekeepingReport>()).toMatchObject({ jobs: { removedDone: 0 }, events: { removed: 0 } });
  });

  it('exits 2 naming the problem for a bad setting or option, and deletes nothing', async () => {
    const { env } = get();
    await oldRows(env);
    const bad = await cli({ ...env, CLEARINGHOUSE_EVENTS_KEEP_MINUTES: '0' }, 'jobs', 'sweep');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CLEARINGHOUSE_EVENTS_KEEP_MINUTES must be between 1 and/);
    const unknown = await cli(env, 'jobs', 'sweep', '--older-than', '5');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--older-than'/);
    expect((await cli(env, 'jobs', 'sweep', '--dry-run', '--json')).json<HousekeepingReport>().events.removed).toBe(3);
  });
});
