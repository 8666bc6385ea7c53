import { describe, expect, it } from 'vitest';
import { assetPublicWellbeing, missionWellbeingFromExposure, summarizeExposure } from './exposure.js';
import { DEFAULT_PRIORITIZATION_POLICY as POLICY } from './prioritization-policy.js';
import { asset } from './test-support/priority-fixtures.js';

describe('missionWellbeingFromExposure', () => {
  it('unknown exposure takes the policy default', () => {
    expect(missionWellbeingFromExposure(null, POLICY)).toEqual({
      value: 'medium',
      source: { kind: 'policy-default', policyVersion: 'default-1', reason: 'exposure unknown' },
    });
  });

  it('no exposed asset is Minimal × Minimal, hence Low', () => {
    const result = missionWellbeingFromExposure([], POLICY);
    expect(result.value).toBe('low');
    expect(result.source).toMatchObject({
      kind: 'exposure',
      missionPrevalence: 'minimal',
      publicWellbeing: 'minimal',
      exposure: { operatorCount: 0, assetCount: 0, sectors: [], highestCriticality: null },
      decisiveAssets: [],
      decision: { row: { index: 0 }, table: { id: 'clearinghouse:DT_MWI:1.0.0' } },
    });
  });

  it('a high-criticality water asset is Essential × Irreversible, hence High', () => {
    const result = missionWellbeingFromExposure([asset({ assetId: 'pump', sector: 'water', criticality: 'high' })], POLICY);
    expect(result.value).toBe('high');
    expect(result.source).toMatchObject({
      missionPrevalence: 'essential',
      publicWellbeing: 'irreversible',
      decision: { row: { index: 8 } },
    });
  });

  it('a moderate IT asset is Support × Material, hence Medium', () => {
    expect(missionWellbeingFromExposure([asset({ assetId: 'crm' })], POLICY).value).toBe('medium');
  });

  it("caps a sector's well-being impact by the asset's criticality", () => {
    expect(assetPublicWellbeing(asset({ assetId: 'a', sector: 'water', criticality: 'low' }), POLICY)).toBe('minimal');
    expect(assetPublicWellbeing(asset({ assetId: 'b', sector: 'water', criticality: 'moderate' }), POLICY)).toBe('material');
    expect(assetPublicWellbeing(asset({ assetId: 'c', sector: 'financial_services', criticality: 'high' }), POLICY)).toBe('material');
    expect(assetPublicWellbeing(asset({ assetId: 'd', sector: null, criticality: 'high' }), POLICY)).toBe('material');
    expect(missionWellbeingFromExposure([asset({ assetId: 'e', sector: 'water', criticality: 'low' })], POLICY).value).toBe('low');
  });

  it('takes the highest level over all assets and names the assets that set it', () => {
    const assets = [
      asset({ assetId: 'crm', operatorId: 'org_a', criticality: 'low' }),
      asset({ assetId: 'scada', operatorId: 'org_b', sector: 'energy', criticality: 'high' }),
      asset({ assetId: 'billing', operatorId: 'org_b', sector: 'financial_services' }),
    ];
    const result = missionWellbeingFromExposure(assets, POLICY);
    expect(result.value).toBe('high');
    expect(result.source).toMatchObject({
      missionPrevalence: 'essential',
      publicWellbeing: 'irreversible',
      decisiveAssets: [{ operatorId: 'org_b', assetId: 'scada' }],
      exposure: {
        operatorCount: 2,
        assetCount: 3,
        sectors: ['energy', 'financial_services', 'information_technology'],
        highestCriticality: 'high',
      },
    });
  });
});

describe('summarizeExposure', () => {
  it('counts distinct operators and sectors', () => {
    const summary = summarizeExposure([
      asset({ assetId: 'a' }),
      asset({ assetId: 'b', sector: null }),
      asset({ assetId: 'c', operatorId: 'org_op2', criticality: 'low' }),
    ]);
    expect(summary).toEqual({ operatorCount: 2, assetCount: 3, sectors: ['information_technology'], highestCriticality: 'moderate' });
  });
});
