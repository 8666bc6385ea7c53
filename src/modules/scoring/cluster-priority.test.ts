import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { withTransaction } from '../../platform/db/index.js';
import { EVENT_JOB_PREFIX, type StoredEvent } from '../../platform/events/index.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob } from '../../platform/jobs/index.js';
import { submitDocument } from '../intake/index.js';
import { uploadSbom, upsertAdvisory } from '../inventory/index.js';
import { cycloneDx, osvRecord, pypi } from '../inventory/test-support/fixtures.js';
import { nativeDocument, nativeFinding } from '../intake/test-support/native.js';
import { CLUSTER_VALIDATED, type ClusterTransitionPayload, type ClusterTransitionPayloadV1 } from '../validation/pure.js';
import { getDecision } from './service/decisions.js';

const IN_INTAKE = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const IN_EVENT = 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N';

/** A cluster as intake stores it: one report naming CVE-2026-5150, scored IN_INTAKE, no references. */
async function storedCluster(t: TestRuntime): Promise<string> {
  const lab = await t.org('model_developer');
  const report = await submitDocument(t.as(lab), {
    bytes: nativeDocument([nativeFinding({ aliases: ['CVE-2026-5150'], cvssVector: IN_INTAKE })]),
  });
  await t.runtime.jobs.drain();
  return report.findings[0]!.clusterId;
}

function transition(clusterId: string): ClusterTransitionPayloadV1 {
  return {
    clusterId,
    from: 'received',
    to: 'valid',
    basis: 'verdict',
    reason: null,
    reasonLabel: null,
    note: null,
    duplicateOf: null,
    quorum: { needed: 1, because: 'test', cvssBase: null },
    confirmations: [],
    assessments: [],
    reporterOrgIds: [],
    at: '2026-05-01T00:00:00.000Z',
  };
}

describeEachDatabase('scoring.cluster-priority on a validated cluster', (dialect) => {
  const get = useTestRuntime(dialect);

  it("decides from what the event says the cluster's reports said, not from intake's records", async () => {
    const t = get();
    const clusterId = await storedCluster(t);
    const payload: ClusterTransitionPayload = {
      ...transition(clusterId),
      reports: {
        aliases: ['CVE-2026-5151', 'GHSA-aaaa-bbbb-cccc'],
        cvssVectors: [IN_EVENT],
        references: [
          { url: 'https://example.test/advisory', type: 'ADVISORY' },
          { url: 'https://example.test/poc/trigger.py', type: 'EVIDENCE' },
        ],
        ssvc: [
          {
            role: 'CISA Coordinator',
            version: '2.0.3',
            timestamp: '2026-05-01T00:00:00Z',
            options: { Exploitation: 'none' },
            provider: 'CISA-ADP',
          },
          {
            role: 'CISA Coordinator',
            version: '2.0.3',
            timestamp: '2026-05-01T00:00:00Z',
            options: { Exploitation: 'none', Automatable: 'yes', 'Technical Impact': 'total' },
            provider: 'CISA-ADP',
          },
        ],
      },
    };
    await withTransaction(t.system.db, (trx) => t.system.events.emit(trx, { type: CLUSTER_VALIDATED, subjectId: clusterId, payload }));
    await t.runtime.jobs.drain();

    const decision = await getDecision(t.system, clusterId);
    expect(decision.cveIds).toEqual(['CVE-2026-5151']);
    expect(decision.cvss.map((c) => c.vector)).toEqual([IN_EVENT]);
    expect(decision.explanation.inputs.exploitation).toMatchObject({
      value: 'poc',
      source: { kind: 'public-exploit', references: ['https://example.test/poc/trigger.py'] },
    });
    // The first enrichment is incomplete; the second is CISA's answer.
    expect(decision.explanation.inputs.automatable.value).toBe('yes');
    expect(decision.explanation.inputs.technicalImpact.value).toBe('total');
  });

  it('still decides a version 1 event queued before the upgrade, reading the reports from intake', async () => {
    const t = get();
    const clusterId = await storedCluster(t);
    const event: StoredEvent<ClusterTransitionPayloadV1> = {
      id: newId('evt'),
      type: 'validation.cluster.validated',
      subjectId: clusterId,
      orgId: null,
      payload: transition(clusterId),
      at: t.clock.now().toISOString(),
    };
    // As the outbox queued it then: the job carries the stored event.
    await enqueueJob(t.system.db.kysely, t.clock, { kind: `${EVENT_JOB_PREFIX}scoring.cluster-priority`, payload: event });
    await t.runtime.jobs.drain();

    const decision = await getDecision(t.system, clusterId);
    expect(decision.cveIds).toEqual(['CVE-2026-5150']);
    expect(decision.cvss.map((c) => c.vector)).toEqual([IN_INTAKE]);
  });

  it("re-decides the clusters an upload's exposure changes name, each from its own exposure, and no other", async () => {
    const t = get();
    const lab = await t.org('model_developer');
    // Three bugs in different places, each known by its own CVE and decided at validation.
    const clusterOf = async (alias: string, n: number) => {
      const finding = nativeFinding({
        aliases: [alias],
        title: alias,
        target: { purl: `pkg:pypi/lib-${n}@1.0.0` },
        location: { path: `lib${n}.py`, function: `handler_${n}` },
      });
      const clusterId = (await submitDocument(t.as(lab), { bytes: nativeDocument([finding]) })).findings[0]!.clusterId;
      const payload: ClusterTransitionPayload = {
        ...transition(clusterId),
        reports: { aliases: [alias], cvssVectors: [IN_EVENT], references: [], ssvc: [] },
      };
      await withTransaction(t.system.db, (trx) => t.system.events.emit(trx, { type: CLUSTER_VALIDATED, subjectId: clusterId, payload }));
      return clusterId;
    };
    const clusters = [await clusterOf('CVE-2026-6001', 1), await clusterOf('CVE-2026-6002', 2), await clusterOf('CVE-2026-6003', 3)];
    expect(new Set(clusters).size).toBe(3);
    // Advisories of one package: two known by the first cluster's CVE, one by the second's, none by the third's.
    for (const [id, alias] of [
      ['PYSEC-2026-91', 'CVE-2026-6001'],
      ['GHSA-2026-aaaa-0091', 'CVE-2026-6001'],
      ['PYSEC-2026-92', 'CVE-2026-6002'],
    ] as const)
      await upsertAdvisory(t.system, osvRecord(id, 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], { aliases: [alias] }), {
        source: 'osv-import',
        tlp: 'GREEN',
      });
    await t.runtime.jobs.drain();
    const exposureCounts = async () => Promise.all(clusters.map(async (id) => (await getDecision(t.system, id)).tieBreak.exposureCount));
    expect(await exposureCounts()).toEqual([0, 0, 0]);

    const operator = await t.org('operator', { sectors: ['energy'] });
    await uploadSbom(t.as(operator), {
      asset: { name: 'grid', sector: 'energy', criticality: 'high' },
      bytes: Buffer.from(cycloneDx([pypi('django', '4.2.0')])),
    });
    await t.runtime.jobs.drain();

    expect(await exposureCounts()).toEqual([1, 1, 0]);
    expect((await getDecision(t.system, clusters[2]!)).revision).toBe(1);
  });
});
