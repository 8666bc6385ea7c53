import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import type { Tlp } from '../../../platform/tlp.js';
import { submitDocument } from '../../intake/index.js';
import { nativeDocument, nativeFinding } from '../../intake/test-support/native.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { cycloneDx, osvRecord, pypi } from '../../inventory/test-support/fixtures.js';
import { deployerPriorities, prioritize } from '../../scoring/index.js';
import type { AdvisoryNoticeData } from '../domain/notification.js';
import { listInbox } from './inbox.js';
import { listRemediation } from './remediation.js';

const CVE = 'CVE-2026-4242';

/** A cluster of one report naming CVE, at `tlp` (RED: its author alone), decided as actively exploited and automatable. */
async function decidedCluster(t: TestRuntime, by: TestUser, tlp: Tlp): Promise<void> {
  const answer = await submitDocument(t.as(by), {
    bytes: nativeDocument([
      nativeFinding({
        title: `Exploited ${CVE}`,
        aliases: [CVE],
        target: { purl: 'pkg:pypi/django@4.2.1' },
        location: { path: 'db.py', function: 'q' },
      }),
    ]),
    tlp,
    ...(tlp === 'RED' ? { recipients: { userIds: [by.userId] } } : {}),
  });
  await t.runtime.jobs.drain();
  const clusterId = answer.findings[0]?.clusterId as string;
  await prioritize(t.system, {
    subjectId: clusterId,
    cveIds: [CVE],
    validation: { validator: by.orgId, assessedAt: '2026-06-01T00:00:00.000Z', activeExploitation: true, automatable: 'yes' },
  });
}

/**
 * An operator running django 4.2.1 on a high-criticality internet-facing asset, a cluster naming CVE decided as
 * exploited at `tlp`, then a GREEN advisory of the CVE: what the operator was sent, and the request that asks
 * scoring for that asset's decision.
 */
async function notifiedBeside(t: TestRuntime, tlp: Tlp) {
  const operator = await t.org('operator', { sectors: ['energy'] });
  const asset = { name: 'grid', criticality: 'high' as const, internetFacing: true };
  await uploadSbom(t.as(operator), { asset, bytes: Buffer.from(cycloneDx([pypi('django', '4.2.1')])) });
  await decidedCluster(t, await t.org('researcher'), tlp);
  await upsertAdvisory(
    t.system,
    osvRecord('PYSEC-2026-42', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], { aliases: [CVE], summary: 'SQLi' }),
    { source: 'osv-import', tlp: 'GREEN' },
  );
  await t.runtime.jobs.drain();
  const [note] = (await listInbox(t.as(operator), {}, {})).items;
  const [sent] = (note?.data as AdvisoryNoticeData).assets;
  const request = {
    cveIds: [CVE],
    assets: [{ operatorId: operator.orgId, assetId: sent?.assetId as string, sector: 'energy' as const, ...asset }],
  };
  return { operator, sent, request };
}

describeEachDatabase('a notification holds only what its recipient may read', (dialect) => {
  const get = useTestRuntime(dialect);

  it("decides each asset's priority without the decision of a cluster the operator may not see", async () => {
    const t = get();
    const { operator, sent, request } = await notifiedBeside(t, 'RED');
    // What the operator may learn (its own priorities, asked itself), and what the hidden decision would make of it.
    const [own] = (await deployerPriorities(t.as(operator), request)).decisions;
    const [hidden] = (await deployerPriorities(t.system, request)).decisions;
    expect(hidden?.outcome, 'the hidden decision bears on this asset').not.toBe(own?.outcome);
    expect(sent?.decision).toMatchObject({ outcome: own?.outcome, dueAt: own?.deadline.dueAt });
    const [item] = (await listRemediation(t.as(operator), {}, {})).items;
    expect(item).toMatchObject({ decision: own?.outcome, dueAt: own?.deadline.dueAt });
  });

  it('builds on the decision of a cluster the operator may see', async () => {
    const t = get();
    const { sent, request } = await notifiedBeside(t, 'GREEN');
    const [shared] = (await deployerPriorities(t.system, request)).decisions;
    expect(sent?.decision).toMatchObject({ outcome: shared?.outcome, dueAt: shared?.deadline.dueAt });
  });
});
