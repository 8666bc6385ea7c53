import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { getJob } from '../../../platform/jobs/index.js';
import { mergeClusters, undoRegroup } from '../../intake/index.js';
import { openWork } from '../store/work.js';
import { distinctFinding, report, reproduced } from '../test-support/scene.js';
import { recordAttempt } from './attempts.js';
import { listTriageQueue } from './queue.js';
import { syncClusters } from './triage-sync.js';
import { getValidationView } from './validation-view.js';

describeEachDatabase('the triage entries follow intake', (dialect) => {
  const get = useTestRuntime(dialect);

  it('takes merged clusters out of the queue with their open work, and puts them back when the merge is undone', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const [a, b] = await report(t, lab, [distinctFinding(), distinctFinding()]);
    const coordinator = t.as(t.coordinatorAdmin);
    const slot = (await openWork(t.runtime.db.kysely, b!))[0];
    expect(slot).toBeDefined();
    const merge = await mergeClusters(coordinator, { from: b!, into: a!, reason: 'the same bug' });
    await t.runtime.jobs.drain();
    const queue = await listTriageQueue(coordinator, {});
    expect(queue.items.map((r) => [r.clusterId, r.reportCount])).toEqual([[a, 2]]);
    expect(await openWork(t.runtime.db.kysely, b!)).toEqual([]);
    expect((await getJob(t.runtime.db.kysely, slot!.job_id))?.status).toBe('done');
    expect(await getValidationView(coordinator, b!)).toMatchObject({ active: false, mergedInto: a });

    await undoRegroup(coordinator, merge.id);
    await t.runtime.jobs.drain();
    expect((await listTriageQueue(coordinator, {})).items.map((r) => [r.clusterId, r.reportCount]).sort()).toEqual(
      [
        [a, 1],
        [b, 1],
      ].sort(),
    );
    expect(await openWork(t.runtime.db.kysely, b!)).toHaveLength(1);
  });

  it('is idempotent: a repeated delivery changes nothing', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const [a] = await report(t, lab, [distinctFinding()]);
    const before = await listTriageQueue(t.as(t.coordinatorAdmin), {});
    const again = await syncClusters(t.system, [a!, 'clu_unknown']);
    expect(again).toEqual({ created: [], updated: [a], inactive: [] });
    expect(await listTriageQueue(t.as(t.coordinatorAdmin), {})).toEqual(before);
    expect(await openWork(t.runtime.db.kysely, a!)).toHaveLength(1);
  });

  it('re-places many grown clusters in one sync: slots follow each quorum, confirmations stay counted', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const researcher = await t.org('researcher');
    const plain = distinctFinding();
    const rising = distinctFinding();
    const tried = distinctFinding({ cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    const [a, b, c] = await report(t, lab, [plain, rising, tried], { shareWith: [agency.orgId] });
    expect((await recordAttempt(t.as(agency), c!, reproduced())).quorum).toMatchObject({ needed: 2, confirmations: 1 });
    // Another organisation reports all three again in one document, one of them now rated critical (9.8).
    const critical = { ...rising, cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' };
    expect(await report(t, researcher, [plain, critical, tried])).toEqual([a, b, c]);
    const db = t.runtime.db.kysely;
    expect((await openWork(db, a!)).map((w) => w.seq)).toEqual([1]);
    expect((await openWork(db, b!)).map((w) => w.seq)).toEqual([1, 2]);
    expect((await openWork(db, c!)).map((w) => w.seq)).toEqual([2]);
    const queue = await listTriageQueue(t.as(t.coordinatorAdmin), {});
    expect(
      queue.items
        .filter((r) => [a, b, c].includes(r.clusterId))
        .map((r) => [r.clusterId, r.reportCount])
        .sort(),
    ).toEqual(
      [
        [a, 2],
        [b, 2],
        [c, 2],
      ].sort(),
    );
    expect(await getValidationView(t.as(t.coordinatorAdmin), c!)).toMatchObject({ quorum: { needed: 2, confirmations: 1 } });
  });
});
