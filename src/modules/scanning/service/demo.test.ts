import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { verifyAuditChain } from '../../audit/index.js';
import { getCampaign } from './campaigns.js';
import { seedScanningDemo } from './demo.js';

describeEachDatabase('the scanning demo', (dialect) => {
  const get = useTestRuntime(dialect);

  it('plays two agencies’ overlapping campaigns, a refused lease claim and an operator blackout that asks a campaign to stop', async () => {
    const t = get();
    const cisa = await t.org('agency');
    const nsa = await t.org('agency');
    const coop = await t.org('operator', { sectors: ['energy'] });
    const demo = await seedScanningDemo(t.system, { agencyOrgIds: [cisa.orgId, nsa.orgId], operatorOrgId: coop.orgId });
    expect(demo.conflicts).toBe(1);
    expect(demo.leaseConflict).toMatch(/^pkg:pypi\/django is leased for fuzzing by another party until /);
    expect(demo.stopRequestIds).toHaveLength(1);
    const network = await getCampaign(t.as(coop), demo.campaignIds[2]!);
    expect(network.stopRequests).toMatchObject([{ source: 'blackout', requesterOrgId: coop.orgId }]);
    expect((await verifyAuditChain(t.runtime.db)).ok).toBe(true);
  });
});
