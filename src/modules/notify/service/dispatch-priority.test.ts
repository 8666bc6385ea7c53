import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { MINUTE, SECOND } from '../../../platform/clock.js';
import { withTransaction } from '../../../platform/db/index.js';
import { claimJobs, enqueueJobs } from '../../../platform/jobs/index.js';
import { addAllowlistEntry } from './allowlist.js';
import { testWebhook } from './deliveries.js';
import { DISPATCH_JOB, kickDispatch } from './fan-out.js';
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

describeEachDatabase('asking for dispatch', (dialect) => {
  const get = useTestRuntime(dialect);

  it('asks once per shard and second, and once more, after it, for a shard whose job has started', async () => {
    const rt = get();
    const { db } = rt.runtime;
    const dispatchJobs = () =>
      db.kysely
        .selectFrom('platform_job')
        .select(['id', 'dedup_key', 'status'])
        .where('kind', '=', DISPATCH_JOB)
        .orderBy('dedup_key')
        .execute();
    await withTransaction(db, (trx) => kickDispatch(trx, rt.system));
    await withTransaction(db, (trx) => kickDispatch(trx, rt.system));
    const second = Math.floor(rt.clock.now().getTime() / 1000);
    expect((await dispatchJobs()).map((j) => [j.dedup_key, j.status])).toEqual([
      [`${DISPATCH_JOB}:${second}:0`, 'queued'],
      [`${DISPATCH_JOB}:${second}:1`, 'queued'],
    ]);

    // A process takes one shard's job: it may not see deliveries committed after it started.
    const [started] = await claimJobs(db, rt.clock, { worker: 'test', leaseMs: MINUTE, limit: 1 });
    await withTransaction(db, (trx) => kickDispatch(trx, rt.system));
    const rows = await dispatchJobs();
    const startedKey = rows.find((j) => j.id === started?.id)?.dedup_key;
    expect(rows.map((j) => [j.dedup_key, j.status])).toEqual(
      [
        ...[`${DISPATCH_JOB}:${second}:0`, `${DISPATCH_JOB}:${second}:1`].map((key) => [key, key === startedKey ? 'running' : 'queued']),
        [`${DISPATCH_JOB}:after:${started?.id}`, 'queued'],
      ].sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1)),
    );
  });
});
