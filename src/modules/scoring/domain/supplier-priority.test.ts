import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITIZATION_POLICY as POLICY } from './prioritization-policy.js';
import { decidePriority } from './priority-decision.js';
import { decideSupplierPriority } from './supplier-priority.js';
import { NOTHING_KNOWN, asset, cisaAdp, kevEntry } from './test-support/priority-fixtures.js';

const NOW = new Date('2026-06-02T12:00:00.000Z');

describe('decideSupplierPriority', () => {
  it('builds on the coordinator decision and the exposure: an exploited bug at a water plant is Immediate', () => {
    const adp = cisaAdp('CVE-2026-1000', { exploitation: 'active', automatable: 'no', technicalImpact: 'total' });
    const plant = asset({ assetId: 'scada-1', sector: 'water', criticality: 'high' });
    const decision = decidePriority({ ...NOTHING_KNOWN, kev: kevEntry('CVE-2026-1000'), cisaAdp: adp, exposure: [plant] }, NOW);
    const supplier = decideSupplierPriority(decision, null, POLICY);
    expect(supplier.explanation.inputs.valueDensity).toEqual({
      value: 'concentrated',
      source: { kind: 'policy-default', policyVersion: 'default-1' },
    });
    expect(supplier.explanation.inputs.safetyImpact).toEqual({ value: 'critical', rule: 'deployer.safetyImpact.irreversible' });
    // Utility: no, concentrated → efficient; PSI: critical → significant; supplier row 31: active, efficient, total, significant.
    expect(supplier.explanation.decision.derived.utility.outcome).toBe('efficient');
    expect(supplier.explanation.decision.derived.publicSafetyImpact.outcome).toBe('significant');
    expect(supplier.explanation.decision.row.index).toBe(31);
    expect(supplier.outcome).toBe('immediate');
  });

  it("takes the validator's Value Density, and Minimal well-being as negligible safety impact", () => {
    const validation = {
      validator: 'org_lab',
      assessedAt: '2026-06-01T00:00:00Z',
      automatable: 'no' as const,
      technicalImpact: 'partial' as const,
      valueDensity: 'diffuse' as const,
    };
    const decision = decidePriority({ ...NOTHING_KNOWN, validation, exposure: [] }, NOW);
    const supplier = decideSupplierPriority(decision, validation, POLICY);
    expect(supplier.explanation.inputs.valueDensity.source.kind).toBe('validation');
    // none, laborious, partial, minimal → defer (row 0).
    expect(supplier.explanation.decision.row.index).toBe(0);
    expect(supplier.outcome).toBe('defer');
  });

  it('while exposure is unknown, the policy default Safety Impact applies', () => {
    const supplier = decideSupplierPriority(decidePriority(NOTHING_KNOWN, NOW), null, POLICY);
    expect(supplier.explanation.inputs.safetyImpact).toEqual({ value: 'marginal', rule: 'assessmentDefaults.safetyImpact' });
    // none; yes + concentrated → super effective; total; marginal → significant: row 11, out-of-cycle.
    expect(supplier.explanation.decision.row.index).toBe(11);
    expect(supplier.outcome).toBe('out_of_cycle');
  });
});
