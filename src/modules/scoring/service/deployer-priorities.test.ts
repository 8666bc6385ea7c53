import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { NotAllowedError } from '../../../platform/errors.js';
import type { ExposedAsset } from '../domain/exposure.js';
import { prioritize } from './decisions.js';
import { deployerPriorities } from './deployer-priorities.js';
import { importKevCatalog } from './kev-import.js';
import { kevCatalogJson } from '../test-support/feeds.js';

// Expected outcomes read off CERT/CC's SSVC tables (../shared/data/ssvc/data/csv/ssvc/): Human Impact
// 1.0.0 rows 0 and 10, Deployer Patch Application Priority 1.0.0 rows 22, 60 and 70; the policy's defaults
// (default-1) map the asset: internet-facing → open, energy → irreversible → critical, high → mef failure.
const exposed = (operatorId: string, assetId: string, over: Partial<ExposedAsset> = {}): ExposedAsset => ({
  operatorId,
  assetId,
  sector: 'energy',
  criticality: 'high',
  internetFacing: true,
  ...over,
});

describeEachDatabase('deployer priorities for operators’ assets', (dialect) => {
  const get = useTestRuntime(dialect);

  it('decides each asset from KEV and the asset, with the policy’s deadline', async () => {
    const { system, clock } = get();
    await importKevCatalog(system, {
      data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-1000' }]),
      source: 'kev.json',
    });
    const assets = [exposed('org_a', 'ast_1'), exposed('org_a', 'ast_2', { sector: 'water', criticality: 'low', internetFacing: false })];
    const listed = await deployerPriorities(system, { cveIds: ['GHSA-aaaa-bbbb-cccc', 'CVE-2026-1000'], assets });
    expect(listed.basis).toEqual({ kind: 'feeds' });
    // active, open, yes, high (row 70); active, controlled, yes, low (row 60).
    expect(listed.decisions.map((d) => [d.assetId, d.outcome, d.deadline.days])).toEqual([
      ['ast_1', 'immediate', 1],
      ['ast_2', 'out_of_cycle', 7],
    ]);
    expect(listed.decisions[0]?.deadline.dueAt).toBe(new Date(clock.now().getTime() + DAY).toISOString());
    expect(listed.decisions[0]?.explanation.inputs.exploitation).toMatchObject({
      value: 'active',
      source: { kind: 'kev', cveId: 'CVE-2026-1000' },
    });
    // none, open, yes, high (row 22).
    const unlisted = await deployerPriorities(system, { cveIds: ['CVE-2026-2000'], assets: [assets[0] as ExposedAsset] });
    expect(unlisted.decisions.map((d) => [d.outcome, d.deadline.days])).toEqual([['scheduled', 30]]);
  });

  it('stands on the coordinator decision of a subject naming the CVE', async () => {
    const { system } = get();
    await prioritize(system, {
      subjectId: 'clu_x',
      cveIds: ['CVE-2026-3000'],
      validation: { validator: 'org_v', assessedAt: '2026-06-01T00:00:00.000Z', activeExploitation: true, automatable: 'yes' },
    });
    const result = await deployerPriorities(system, { cveIds: ['CVE-2026-3000'], assets: [exposed('org_a', 'ast_1')] });
    expect(result.basis).toEqual({ kind: 'decision', subjectId: 'clu_x' });
    expect(result.decisions[0]).toMatchObject({
      outcome: 'immediate',
      explanation: { inputs: { exploitation: { value: 'active', source: { kind: 'validation' } } } },
    });
  });

  it('lets an operator decide for its own assets only', async () => {
    const { as, org } = get();
    const operator = await org('operator');
    const vendor = await org('vendor');
    const mine = await deployerPriorities(as(operator), { cveIds: [], assets: [exposed(operator.orgId, 'ast_1')] });
    expect(mine.decisions).toHaveLength(1);
    await expect(deployerPriorities(as(operator), { cveIds: [], assets: [exposed('org_other', 'ast_9')] })).rejects.toThrow(
      NotAllowedError,
    );
    await expect(deployerPriorities(as(vendor), { cveIds: [], assets: [exposed(operator.orgId, 'ast_1')] })).rejects.toThrow(
      NotAllowedError,
    );
  });
});
