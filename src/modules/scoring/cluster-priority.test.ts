import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { withTransaction } from '../../platform/db/index.js';
import { EVENT_JOB_PREFIX, type StoredEvent } from '../../platform/events/index.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob } from '../../platform/jobs/index.js';
import { submitDocument } from '../intake/index.js';
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
});
