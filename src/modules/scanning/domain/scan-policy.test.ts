import { describe, expect, it } from 'vitest';
import { checkAssetPolicy, evaluateActiveCampaign, type AssetPolicy, type CampaignPlan } from './scan-policy.js';

const substation: AssetPolicy = {
  assetId: 'asset_substation',
  name: 'Substation 14 SCADA',
  operatorOrgId: 'org_grid',
  timeZone: 'America/Chicago',
  activeScanning: 'consent-required',
  consents: [],
  blackouts: [
    {
      id: 'blk_peak',
      reason: 'evening peak',
      window: { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '17:00', end: '21:00' },
    },
  ],
};

// Tuesday 2026-07-14, 09:00–12:00 CDT: outside the evening peak.
const morning = { startMs: Date.parse('2026-07-14T14:00:00Z'), endMs: Date.parse('2026-07-14T17:00:00Z') };
const plan: CampaignPlan = {
  orgId: 'org_cisa',
  technique: 'dynamic',
  window: morning,
  intensity: { requestsPerSecond: 10, concurrency: 2 },
};

describe('evaluateActiveCampaign', () => {
  it('needs the operator’s consent by default, naming the asset and the rule', () => {
    expect(evaluateActiveCampaign(plan, [substation])).toEqual([
      {
        assetId: 'asset_substation',
        assetName: 'Substation 14 SCADA',
        operatorOrgId: 'org_grid',
        rule: 'consent-required',
        detail: 'active scanning of asset "Substation 14 SCADA" needs its operator\'s consent: no standing consent for your organisation',
      },
    ]);
  });

  it('accepts a standing consent for this scanner, technique, window and intensity', () => {
    const consent = {
      id: 'cns_1',
      scannerOrgId: 'org_cisa',
      techniques: ['dynamic', 'network'] as const,
      window: null,
      maxIntensity: { requestsPerSecond: 20, concurrency: 4 },
    };
    expect(evaluateActiveCampaign(plan, [{ ...substation, consents: [consent] }])).toEqual([]);
  });

  it('says why a consent falls short: another scanner’s does not count, nor a weaker one', () => {
    const others = {
      id: 'cns_other',
      scannerOrgId: 'org_nsa',
      techniques: ['dynamic'] as const,
      window: null,
      maxIntensity: { requestsPerSecond: 100, concurrency: 10 },
    };
    const weak = {
      id: 'cns_weak',
      scannerOrgId: 'org_cisa',
      techniques: ['dynamic'] as const,
      window: null,
      maxIntensity: { requestsPerSecond: 5, concurrency: 10 },
    };
    const nights = {
      id: 'cns_nights',
      scannerOrgId: 'org_cisa',
      techniques: ['dynamic'] as const,
      window: { kind: 'weekly', days: ['tue'], start: '00:00', end: '06:00' } as const,
      maxIntensity: { requestsPerSecond: 50, concurrency: 10 },
    };
    const [violation] = evaluateActiveCampaign(plan, [{ ...substation, consents: [others, weak, nights] }]);
    expect(violation?.rule).toBe('consent-required');
    expect(violation?.detail).toContain('consent cns_weak: 10 requests per second exceeds the 5 allowed');
    expect(violation?.detail).toContain('consent cns_nights applies only weekly tue 00:00–06:00 America/Chicago');
    expect(violation?.detail).not.toContain('cns_other');
  });

  it('refuses fragile assets outright, whatever consents say', () => {
    const fragile: AssetPolicy = { ...substation, activeScanning: 'never', blackouts: [] };
    expect(evaluateActiveCampaign(plan, [fragile]).map((v) => [v.assetName, v.rule])).toEqual([
      ['Substation 14 SCADA', 'never-actively-scan'],
    ]);
  });

  it('refuses a window that meets a blackout, naming it and the colliding local times', () => {
    const allowed: AssetPolicy = { ...substation, activeScanning: 'allowed' };
    const evening = { startMs: Date.parse('2026-07-14T21:30:00Z'), endMs: Date.parse('2026-07-14T23:00:00Z') };
    const [v] = evaluateActiveCampaign({ ...plan, window: evening }, [allowed]);
    expect(v).toMatchObject({ rule: 'blackout', blackoutId: 'blk_peak', assetName: 'Substation 14 SCADA' });
    expect(v?.detail).toContain('2026-07-14T17:00:00-05:00 to 2026-07-14T21:00:00-05:00 (America/Chicago)');
    expect(evaluateActiveCampaign(plan, [allowed])).toEqual([]);
  });

  it('lets an operator scan its own assets without consenting to itself, but not into its blackouts', () => {
    const own: CampaignPlan = { ...plan, orgId: 'org_grid' };
    expect(evaluateActiveCampaign(own, [substation])).toEqual([]);
    const evening = { startMs: Date.parse('2026-07-14T22:00:00Z'), endMs: Date.parse('2026-07-14T23:00:00Z') };
    expect(evaluateActiveCampaign({ ...own, window: evening }, [substation]).map((v) => v.rule)).toEqual(['blackout']);
  });
});

describe('checkAssetPolicy', () => {
  it('names the field of a broken window or consent', () => {
    expect(
      checkAssetPolicy({
        ...substation,
        blackouts: [{ id: 'b', reason: '', window: { kind: 'weekly', days: ['mon'], start: '9:00', end: '10:00' } }],
      }),
    ).toEqual({
      field: 'blackouts/0/window/start',
      rule: 'must be a time of day HH:MM from 00:00 to 23:59',
    });
    expect(
      checkAssetPolicy({
        ...substation,
        consents: [{ id: 'c', scannerOrgId: 'o', techniques: [], window: null, maxIntensity: { requestsPerSecond: 1, concurrency: 1 } }],
      }),
    ).toEqual({ field: 'consents/0/techniques', rule: 'must name at least one technique' });
    expect(checkAssetPolicy(substation)).toBeNull();
  });
});
