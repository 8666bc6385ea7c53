import { expect, it } from 'vitest';
import { openRuntime } from '../src/app/runtime.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { enqueueJob, getJob, type JobRow } from '../src/platform/jobs/index.js';
import { testLogger } from '#test-support/run-logs.js';
import { createTestDatabaseUrl, describeEachDatabase } from '#test-support/databases.js';
import { killed, spawnTs, waitForLine } from '#test-support/spawn.js';

/**
 * Issue 10, recovery: a process running a job is killed (SIGKILL); the server started again on the same
 * data directory runs the job at once — long before the 5-minute lease the dead process took would expire.
 */
describeEachDatabase('a job whose process was killed, after a restart on the same data directory', (dialect) => {
  it('runs at once instead of when the lease expires', async () => {
    const target = await createTestDatabaseUrl(dialect, { migrated: true });
    const env = { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir, LOG_LEVEL: 'silent', PORT: '0' };
    const runtime = await openRuntime(loadConfig(env), testLogger());
    try {
      const id = await enqueueJob(runtime.db.kysely, systemClock, { kind: 'audit.checkpoint', payload: null });
      const doomed = spawnTs('test/fixtures/run-and-hang.ts', ['audit.checkpoint'], env);
      await waitForLine(doomed, new RegExp(`running ${id}`));
      const leased = (await getJob(runtime.db.kysely, id)) as JobRow;
      expect(leased).toMatchObject({ status: 'running', attempts: 1, lease_pid: doomed.pid });
      await killed(doomed);

      const server = spawnTs('src/app/main.ts', ['serve'], { ...env, LOG_LEVEL: 'info' });
      try {
        await waitForLine(server, /listening on/);
        let row = leased;
        for (let i = 0; i < 300 && row.status === 'running'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          row = (await getJob(runtime.db.kysely, id)) as JobRow;
        }
        expect(row).toMatchObject({ status: 'done', attempts: 2 });
        expect(new Date(row.finished_at as string).getTime()).toBeLessThan(new Date(leased.lease_expires_at as string).getTime());
      } finally {
        await killed(server);
      }
    } finally {
      await runtime.close();
      await target.drop();
    }
  });
});
