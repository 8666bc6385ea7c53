import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { runGroupedAndAlone } from '#test-support/job-groups.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { mergeClusters, submitDocument } from '../../intake/index.js';
import { distinctFinding, findingsDocument, report } from '../test-support/scene.js';

// The job runner hands validation.triage several queued jobs at once (one transaction): it must leave the
// database exactly as running them one by one does — triage entries, mirrored reports, work slots, the
// reporters' track record, one audit record per submission or cluster event in the same order, and the jobs
// it queues.
describeEachDatabase('triage syncs of several jobs at once', (dialect) => {
  const get = useTestRuntime(dialect);

  it('leave what the same syncs leave one by one, also where the jobs name the same clusters', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const researcher = await t.org('researcher');
    const coordinator = t.as(t.coordinatorAdmin);
    const [shared, lone, later] = [distinctFinding(), distinctFinding(), distinctFinding()];
    // A cluster synced before: the jobs below grow it.
    const [earlier] = await report(t, lab, [later]);
    const submit = async (who: typeof lab, findings: Record<string, unknown>[]) =>
      (await submitDocument(t.as(who), { bytes: findingsDocument(findings), tlp: 'AMBER', recipients: { orgIds: [] } })).findings.map(
        (f) => f.clusterId,
      );
    // Queued, not run: two submissions naming the same new cluster, one growing the earlier one, and a merge.
    const [a, b] = await submit(lab, [shared, lone]);
    expect(await submit(researcher, [shared, distinctFinding()])).toContain(a);
    expect(await submit(researcher, [later])).toEqual([earlier]);
    await mergeClusters(coordinator, { from: b!, into: earlier!, reason: 'the same bug' });

    const { grouped, alone, groups } = await runGroupedAndAlone(t, 'event:validation.triage');
    expect(groups.some((size) => size > 1)).toBe(true);
    expect(grouped).toEqual(alone);
    const syncs = (alone.audit_event ?? []).filter((row) => row.includes('validation.triage.sync'));
    expect(syncs.length).toBeGreaterThanOrEqual(4);
  });
});
