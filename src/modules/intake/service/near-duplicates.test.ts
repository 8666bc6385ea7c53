import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { runGroupedAndAlone } from '#test-support/job-groups.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { nativeDocument, nativeFinding } from '../test-support/native.js';
import { t } from '../store/tables.js';
import { listCandidates, proposeNearDuplicates } from './near-duplicates.js';
import { NEAR_DUPLICATE_JOB, submitDocument } from './submissions.js';

describeEachDatabase('near-duplicate indexing', (dialect) => {
  // The runner does not run in tests: the test decides when and how the queued jobs run.
  const get = useTestRuntime(dialect);

  const text =
    'The upload handler joins the archive entry name to the extraction directory without normalising it, so an entry named with dot-dot segments writes outside it';

  it('proposes the pair of two submissions whose jobs run at the same moment, and indexes each report once', async () => {
    const { as, org, system, coordinatorAdmin } = get();
    const one = await org('model_developer');
    const two = await org('agency');
    const a = await submitDocument(as(one), {
      bytes: nativeDocument([nativeFinding({ description: text, location: { path: 'ingest/archive.py', function: 'extract_all' } })]),
    });
    // The same bug after a refactor renamed its function: another fingerprint, the same words.
    const b = await submitDocument(as(two), {
      bytes: nativeDocument([nativeFinding({ description: `${text}.`, location: { path: 'ingest/archive.py', function: 'unpack_all' } })]),
    });
    expect(b.findings[0]?.outcome).toBe('new');

    // Both jobs at once (two lanes, or two servers), each twice (a lease that ran out while the first still ran).
    await Promise.all([
      proposeNearDuplicates(system, a.submission.id),
      proposeNearDuplicates(system, b.submission.id),
      proposeNearDuplicates(system, a.submission.id),
      proposeNearDuplicates(system, b.submission.id),
    ]);

    const candidates = (await listCandidates(as(coordinatorAdmin), a.findings[0]!.clusterId)).items;
    expect(candidates.map((c) => c.other.id)).toEqual([b.findings[0]!.clusterId]);
    const buckets = await t(system.db.kysely)
      .selectFrom('intake_lsh')
      .select(['finding_id', 'bucket'])
      .where('cluster_id', 'in', [a.findings[0]!.clusterId, b.findings[0]!.clusterId])
      .execute();
    const perReport = new Map<string, string[]>();
    for (const row of buckets) perReport.set(row.finding_id, [...(perReport.get(row.finding_id) ?? []), row.bucket]);
    expect(perReport.size).toBe(2);
    for (const list of perReport.values()) expect(new Set(list).size).toBe(list.length);
  });

  // The runner hands intake.near-duplicates several queued jobs at once (one transaction, one commit of the
  // bucket index's pages): each submission must still find the reports of those before it in the group.
  it('proposes what the same jobs propose one by one when several run as one group', async () => {
    const t = get();
    const orgs = [await t.org('model_developer'), await t.org('agency'), await t.org('researcher')];
    // Each submission reports the bug of the one before after a refactor renamed its function (another
    // fingerprint, the same words), and a bug of its own.
    for (const [i, who] of orgs.entries())
      await submitDocument(t.as(who), {
        bytes: nativeDocument([
          nativeFinding({ description: `${text}${'.'.repeat(i)}`, location: { path: 'ingest/archive.py', function: `extract_v${i}` } }),
          nativeFinding({ title: `Bug ${i}`, target: { purl: `pkg:npm/other-${i}@1.0.0` }, location: { path: `m${i}.js` } }),
        ]),
      });

    const { grouped, alone, groups } = await runGroupedAndAlone(t, NEAR_DUPLICATE_JOB);
    expect(groups).toEqual([3]);
    expect(grouped).toEqual(alone);
    // Three reports of one bug: each pair proposed once, two of them between submissions of the one group.
    expect(alone['intake_candidate']).toHaveLength(3);
  });
});
