import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { verifyAuditChain } from '../../audit/index.js';
import { registerModel } from '../../frontier/index.js';
import { seedValidationDemo } from './demo.js';
import { getEvidence } from './evidence.js';
import { listMyReports } from './track-record.js';
import { getValidationView } from './validation-view.js';

describeEachDatabase('the validation demo', (dialect) => {
  const get = useTestRuntime(dialect);

  it('has an agency validate a lab’s finding and the coordinator invalidate another as a false positive', async () => {
    const t = get();
    const lab = await t.org('model_developer', { name: 'Meridian AI' });
    const agency = await t.org('agency', { name: 'Cybersecurity and Infrastructure Security Agency' });
    await registerModel(t.as(lab), { name: 'Atlas', version: '3.0', plannedRelease: '2026-09-01' });
    const demo = await seedValidationDemo(t.system, { labOrgId: lab.orgId, agencyOrgId: agency.orgId });
    await t.runtime.jobs.drain();

    const validated = await getValidationView(t.as(t.coordinatorAdmin), demo.validatedClusterId);
    expect(validated).toMatchObject({ state: 'valid', quorum: { needed: 1, confirmations: 1, cvssBase: 8.1 } });
    expect(validated.attempts[0]).toMatchObject({
      validatorOrgId: agency.orgId,
      confirms: true,
      jobId: expect.any(String),
      assessment: { automatable: 'yes', technicalImpact: 'total' },
    });
    await expect(getEvidence(t.as(agency), demo.evidenceId)).resolves.toMatchObject({
      tlp: 'RED',
      kind: 'log',
      attemptId: demo.attemptIds[0],
    });

    const mine = await listMyReports(t.as(lab), {});
    expect(mine.items.map((r) => [r.clusterId, r.state, r.verdict?.reasonLabel ?? null]).sort()).toEqual(
      [
        [demo.validatedClusterId, 'valid', null],
        [demo.invalidatedClusterId, 'invalid', 'False positive'],
      ].sort(),
    );
    expect((await verifyAuditChain(t.runtime.db)).ok).toBe(true);
  });
});
