import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestUser } from '#test-support/runtime.js';
import { submitDocument } from '../intake/index.js';
import { nativeDocument, nativeFinding } from '../intake/test-support/native.js';
import { auditEvents } from '#test-support/audit.js';

// Audit lines about a record say what the record is; an organisation admin reads them only where they may see
// the record (DESIGN §5, derived data), while the coordinator, who reads the whole trail, keeps every line —
// also those of records purged since.
describeEachDatabase('audit: lines read as their subjects are', (dialect) => {
  const get = useTestRuntime(dialect);

  const finding = (n: string, aliases: string[]) =>
    nativeFinding({ title: `finding ${n}`, location: { path: `m${n}.py`, function: `f${n}` }, aliases });

  /** Two reports with one alias each, then one with both: the third merges the first two clusters. */
  async function mergeByAliases(analyst: TestUser, tlp: string, ids: [string, string]) {
    const ctx = get().as(analyst);
    const recipients = tlp === 'RED' ? { userIds: [analyst.userId] } : undefined;
    const submit = (n: number, aliases: string[]) =>
      submitDocument(ctx, { bytes: nativeDocument([finding(`${tlp}-${n}`, aliases)]), tlp, recipients });
    const first = await submit(1, [ids[0]]);
    const second = await submit(2, [ids[1]]);
    await submit(3, ids);
    return [first.findings[0]!.clusterId, second.findings[0]!.clusterId];
  }

  const clusterLines = async (reader: TestUser) =>
    (await auditEvents(get().as(reader), { action: 'intake.cluster.', limit: 500 })).items.map((e) => [e.action, e.subjectId]);

  it('shows an organisation admin the automatic merge of clusters only when it may see them', async () => {
    const { org, user, coordinatorAdmin } = get();
    const red = await org('researcher');
    const redAnalyst = await user(red.orgId, 'analyst');
    const amber = await org('researcher');
    const amberAnalyst = await user(amber.orgId, 'analyst');
    const redClusters = await mergeByAliases(redAnalyst, 'RED', ['CVE-2099-0001', 'CVE-2099-0002']);
    const amberClusters = await mergeByAliases(amberAnalyst, 'AMBER', ['CVE-2099-0003', 'CVE-2099-0004']);

    // The merged-away cluster has no reports left: it is seen as the cluster it was merged into is.
    const amberLines = await clusterLines(amber);
    expect(amberLines).toHaveLength(1);
    expect(amberLines[0]?.[0]).toBe('intake.cluster.merge');
    expect(amberClusters).toContain(amberLines[0]?.[1]);
    // The RED reports are their analyst's and the named users' only: not their admin's, nor the merge of them.
    expect(await clusterLines(red)).toEqual([]);
    expect(await clusterLines(redAnalyst)).toEqual([]);

    const all = (await clusterLines(coordinatorAdmin)).map(([, subject]) => subject);
    expect(all).toHaveLength(2);
    expect(redClusters.filter((c) => all.includes(c))).toHaveLength(1);
    expect(amberClusters.filter((c) => all.includes(c))).toHaveLength(1);
  });

  it('keeps the lines of purged records for the coordinator, and no longer shows them to the owner’s admin', async () => {
    const { org, user, coordinatorAdmin, as, runtime } = get();
    const owner = await org('researcher');
    const analyst = await user(owner.orgId, 'analyst');
    const answer = await submitDocument(as(analyst), { bytes: nativeDocument([finding('purged', ['CVE-2099-0005'])]), tlp: 'GREEN' });
    const submissionId = answer.submission.id;
    const lines = async (reader: TestUser) =>
      (await auditEvents(as(reader), { subjectId: submissionId, limit: 500 })).items.map((e) => e.action).sort();
    expect(await lines(owner)).toEqual(['intake.submission.create', 'intake.submission.process']);

    // What governance's purge leaves behind: the records gone, their audit lines kept.
    const db = runtime.db.kysely;
    await db
      .deleteFrom('intake_finding' as never)
      .where('submission_id' as never, '=', submissionId as never)
      .execute();
    await db
      .deleteFrom('intake_submission' as never)
      .where('id' as never, '=', submissionId as never)
      .execute();

    expect(await lines(coordinatorAdmin)).toEqual(['intake.submission.create', 'intake.submission.process']);
    expect((await auditEvents(get().system, { subjectId: submissionId })).items).toHaveLength(2);
    expect(await lines(owner)).toEqual([]);
  });
});
