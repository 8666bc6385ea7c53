import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { hasSharedData, sharedData } from '#test-support/shared-data.js';
import { GITHUB_RUNNER, onOtherMachine, syntheticLog } from '../test-support/ci-runs.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { nativeDocument, nativeFinding, osvRecord } from '../test-support/native.js';
import type { ServiceContext } from '../../../platform/context.js';
import { auditEvents } from '#test-support/audit.js';
import { submitDocument } from './submissions.js';

const ALIKE = {
  summary: 'Prototype pollution in shopfront merge helpers',
  details: 'Crafted keys passed to the merge helper reach the object prototype and change every object of the process.',
};

/** An OSV record whose wording is the same whatever its id: only the id tells two of them apart. */
const alikeAdvisory = (id: string, aliases: string[]) => osvRecord(id, aliases, undefined, ALIKE);

describeEachDatabase('intake identity with partial information', (dialect) => {
  const get = useTestRuntime(dialect);

  async function candidates(): Promise<{ cluster_id: string; other_cluster_id: string; reason: string }[]> {
    return get()
      .runtime.db.kysely.selectFrom('intake_candidate')
      .select(['cluster_id', 'other_cluster_id', 'reason'])
      .orderBy('id')
      .execute() as Promise<{ cluster_id: string; other_cluster_id: string; reason: string }[]>;
  }

  it('does not propose two advisories with different CVE ids as near duplicates, however alike their words', async () => {
    const { as, org, runtime } = get();
    const lab = await org('researcher');
    const one = await submitDocument(as(lab), { bytes: alikeAdvisory('PYSEC-2026-1', ['CVE-2026-1000']) });
    const two = await submitDocument(as(lab), { bytes: alikeAdvisory('PYSEC-2026-2', ['CVE-2026-2000']) });
    expect(one.findings[0]?.clusterId).not.toBe(two.findings[0]?.clusterId);
    // A report naming no id, in the same words, is proposed: the refusal is the ids', not the wording's.
    const three = await submitDocument(as(lab), {
      bytes: nativeDocument([
        nativeFinding({
          title: ALIKE.summary,
          description: ALIKE.details,
          cwe: [],
          location: undefined,
        }),
      ]),
    });
    await runtime.jobs.drain();
    const proposed = await candidates();
    const pairs = proposed.map((c) => [c.cluster_id, c.other_cluster_id].sort().join('|'));
    const cluster = (a: typeof one) => a.findings[0]?.clusterId ?? '';
    expect(pairs).not.toContain([cluster(one), cluster(two)].sort().join('|'));
    expect(pairs).toContain([cluster(one), cluster(three)].sort().join('|'));
  });

  const SQL = 'String query = "SELECT * FROM orders WHERE owner = \'" + owner + "\'";';
  const corpus = sharedData('sarif/sarif-sdk/src/Sarif/Taxonomies/CweGhasSample.sarif');
  const withCorpus = hasSharedData('sarif/sarif-sdk/src/Sarif/Taxonomies/CweGhasSample.sarif') ? it : it.skip;
  if (!hasSharedData('sarif/sarif-sdk')) console.warn(`skipping the real-SARIF cases: ${corpus} is absent (see ../shared/data/README.md)`);

  /** The real log as another machine writes it: absolute paths, lines shifted, no partialFingerprints. */
  const otherMachine = (shift: number) => {
    const log = JSON.parse(readFileSync(corpus, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    return Buffer.from(JSON.stringify(onOtherMachine(log, { ...GITHUB_RUNNER, shift })));
  };

  withCorpus('joins the second CI machine’s report of the SQL injection to the cluster the first run opened', async () => {
    const { as, org } = get();
    const ci = await org('researcher');
    const first = await submitDocument(as(ci), { bytes: readFileSync(corpus) });
    expect(first.findings.map((f) => f.outcome)).toEqual(Array(7).fill('new'));
    const second = await submitDocument(as(ci), { bytes: otherMachine(3) });
    expect(second.findings.map((f) => [f.clusterId, f.outcome])).toEqual(first.findings.map((f) => [f.clusterId, 'duplicate']));
    expect(await candidates()).toEqual([]);
  });

  withCorpus('joins two such reports submitted at once to the one cluster', async () => {
    const { as, org, runtime } = get();
    const ci = await org('researcher');
    const other = await org('vendor');
    const first = await submitDocument(as(ci), { bytes: readFileSync(corpus) });
    const [a, b] = await Promise.all([
      submitDocument(as(ci), { bytes: otherMachine(3) }),
      submitDocument(as(other), { bytes: otherMachine(5) }),
    ]);
    const expected = first.findings.map((f) => [f.clusterId, 'duplicate']);
    expect(a.findings.map((f) => [f.clusterId, f.outcome])).toEqual(expected);
    expect(b.findings.map((f) => [f.clusterId, f.outcome])).toEqual(expected);
    const clusters = await runtime.db.kysely
      .selectFrom('intake_cluster')
      .select(['id', 'finding_count', 'reporter_count'])
      .where('merged_into', 'is', null)
      .orderBy('id')
      .execute();
    expect(clusters).toHaveLength(7);
    expect(clusters.every((c) => Number(c.finding_count) === 3 && Number(c.reporter_count) === 2)).toBe(true);
  });

  /** Two reports in one file with the same snippet and different line hashes: two clusters. */
  const twoClustersSharingASnippet = (ctx: ServiceContext) =>
    submitDocument(ctx, {
      bytes: syntheticLog([
        { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'aa11:1' },
        { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 90, snippet: SQL, lineHash: 'bb22:1' },
      ]),
    });

  it('proposes the clusters a report without the line hash cannot choose between, and joins none', async () => {
    const { as, org } = get();
    const ci = await org('researcher');
    const first = await twoClustersSharingASnippet(as(ci));
    const later = await submitDocument(as(ci), {
      bytes: syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 93, snippet: SQL }]),
    });
    expect(later.findings[0]?.outcome).toBe('new');
    const proposed = await candidates();
    const mine = later.findings[0]?.clusterId ?? '';
    expect(proposed.map((c) => [c.cluster_id, c.other_cluster_id])).toEqual(first.findings.map((f) => [f.clusterId, mine].sort()));
    expect(proposed[0]?.reason).toMatch(/same file src\/Orders\.java and code snippet; 2 clusters share that anchor/);
  });

  it('proposes each pair once, and counts it once, however many reports of a submission meet it', async () => {
    const { as, org, system } = get();
    const ci = await org('researcher');
    const first = await twoClustersSharingASnippet(as(ci));
    // Two reports without the line hash, in one submission: one cluster, each report meeting both clusters.
    const later = await submitDocument(as(ci), {
      bytes: syntheticLog([
        { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 93, snippet: SQL },
        { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 97, snippet: SQL },
      ]),
    });
    const mine = later.findings[0]?.clusterId ?? '';
    expect(later.findings.map((f) => [f.outcome, f.clusterId])).toEqual([
      ['new', mine],
      ['duplicate', mine],
    ]);
    const pairs = (await candidates()).map((c) => [c.cluster_id, c.other_cluster_id]);
    expect(pairs).toEqual(first.findings.map((f) => [f.clusterId, mine].sort()));
    const processed = async (submissionId: string) =>
      (await auditEvents(system, { subjectId: submissionId, action: 'intake.submission.process' })).items[0]?.diff;
    expect(await processed(later.submission.id)).toMatchObject({ proposed: 2 });
  });
});
