import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { MINUTE, SECOND } from '../../../platform/clock.js';
import { claimJobs, enqueueJobs } from '../../../platform/jobs/index.js';
import { addAllowlistEntry } from './allowlist.js';
import { testWebhook } from './deliveries.js';
import { DISPATCH_JOB } from './fan-out.js';
import { registerWebhook } from './webhooks.js';

describeEachDatabase('webhook dispatch behind a backlog of bulk work', (dialect) => {
  const get = useTestRuntime(dialect);

  it('is claimed before the matching and scoring jobs queued earlier', async () => {
    const rt = get();
    await addAllowlistEntry(rt.as(rt.coordinatorAdmin), { cidr: '127.0.0.0/8', note: 'never called: the job is only claimed' });
    const admin = await rt.org('operator', { sectors: ['energy'] });
    const { webhook } = await registerWebhook(rt.as(admin), { url: 'http://127.0.0.1:9/hook', events: ['*'] });
    // What the soak left queued: event deliveries to matching and scoring, each queued before the webhook.
    const bulk = ['event:notify.exposure', 'event:scoring.cluster-priority', 'event:inventory.reverse-match'];
    const db = rt.runtime.db;
    await enqueueJobs(
      db.kysely,
      db.caps,
      rt.clock,
      Array.from({ length: 60 }, (_, i) => ({ kind: bulk[i % bulk.length] as string, payload: { i }, dedupKey: `backlog:${i}` })),
    );
    rt.clock.advance(SECOND);
    await testWebhook(rt.as(admin), webhook.id);
    const claimed = await claimJobs(db, rt.clock, { worker: 'test', leaseMs: MINUTE, limit: 1 });
    expect(claimed.map((j) => j.kind)).toEqual([DISPATCH_JOB]);
  });
});
