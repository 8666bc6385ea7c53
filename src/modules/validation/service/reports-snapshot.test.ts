import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { submitDocument } from '../../intake/index.js';
import { osvRecord } from '../../intake/test-support/native.js';
import { CLUSTER_VALIDATED, type ClusterTransitionPayload } from '../events.js';
import { reproduced } from '../test-support/scene.js';
import { recordAttempt } from './attempts.js';

const VECTOR = 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N';

describeEachDatabase("a transition event carries what the cluster's reports said", (dialect) => {
  const get = useTestRuntime(dialect);

  it('names the aliases, CVSS vectors and references of the reports, for consumers that weigh them', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const agency = await t.org('agency');
    const advisory = osvRecord('PYSEC-2026-51', ['CVE-2026-5152'], undefined, {
      severity: [{ type: 'CVSS_V3', score: VECTOR }],
      references: [
        { type: 'EVIDENCE', url: 'https://example.test/poc/trigger.py' },
        { type: 'WEB', url: 'https://example.test/notes' },
      ],
    });
    const answer = await submitDocument(t.as(researcher), { bytes: advisory, tlp: 'AMBER', recipients: { orgIds: [agency.orgId] } });
    const clusterId = answer.findings[0]!.clusterId;
    await t.runtime.jobs.drain();
    expect(await recordAttempt(t.as(agency), clusterId, reproduced())).toMatchObject({ state: 'valid' });

    const [validated] = (await eventsAbout(t.runtime.db.kysely, clusterId)).filter((e) => e.type === CLUSTER_VALIDATED);
    expect((validated?.payload as ClusterTransitionPayload).reports).toEqual({
      aliases: ['CVE-2026-5152', 'PYSEC-2026-51'],
      cvssVectors: [VECTOR],
      references: [
        { type: 'EVIDENCE', url: 'https://example.test/poc/trigger.py' },
        { type: 'WEB', url: 'https://example.test/notes' },
      ],
      ssvc: [],
    });
  });
});
