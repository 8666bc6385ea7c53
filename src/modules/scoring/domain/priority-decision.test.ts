import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock, DAY } from '../../../platform/clock.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { readCisaAdpEnrichment } from './cisa-adp-ssvc.js';
import { scoreCvss } from '../../../platform/cvss/index.js';
import { parseKevCatalog } from './kev-catalog.js';
import { parsePrioritizationPolicy } from './prioritization-policy-schema.js';
import { DEFAULT_PRIORITIZATION_POLICY } from './prioritization-policy.js';
import { comparePriorityDecisions, decidePriority, type PriorityInputs } from './priority-decision.js';
import { NOTHING_KNOWN, asset, cisaAdp, kevEntry } from './test-support/priority-fixtures.js';

const NOW = new Date('2026-06-02T12:00:00.000Z');
const WATER_PLANT = asset({ assetId: 'scada-1', operatorId: 'org_water', sector: 'water', criticality: 'high', internetFacing: true });

describe('decidePriority', () => {
  it('with nothing known: Exploitation none, the policy defaults, Medium for unknown exposure → Track', () => {
    const decision = decidePriority(NOTHING_KNOWN, NOW);
    const { inputs } = decision.explanation;
    expect(inputs.exploitation).toEqual({ value: 'none', source: { kind: 'no-evidence' } });
    expect(inputs.automatable).toEqual({ value: 'yes', source: { kind: 'policy-default', policyVersion: 'default-1' } });
    expect(inputs.technicalImpact.value).toBe('total');
    expect(inputs.missionWellbeing.value).toBe('medium');
    // CISA coordinator 2.0.3, row 10: none, yes, total, medium → track.
    expect(decision.explanation.decision.row).toEqual({
      index: 10,
      inputs: { exploitation: 'none', automatable: 'yes', technicalImpact: 'total', missionWellbeing: 'medium' },
      outcome: 'track',
    });
    expect(decision.outcome).toBe('track');
    expect(decision.vendorFixDueAt).toBe('2026-08-31T12:00:00.000Z'); // 90 days
  });

  it('a KEV listing makes Exploitation active and cites the entry and catalog', () => {
    const kev = kevEntry('CVE-2026-1000', { knownRansomwareCampaignUse: 'known' });
    const decision = decidePriority({ ...NOTHING_KNOWN, kev, exposure: [WATER_PLANT] }, NOW);
    expect(decision.explanation.inputs.exploitation).toEqual({
      value: 'active',
      source: {
        kind: 'kev',
        cveId: 'CVE-2026-1000',
        dateAdded: '2026-06-01',
        knownRansomwareCampaignUse: 'known',
        catalogVersion: '2026.06.01',
        dateReleased: '2026-06-01T17:00:00.000Z',
      },
    });
    // Row 35: active, yes, total, high → act; due in 2 days.
    expect(decision.explanation.decision.row.index).toBe(35);
    expect(decision.outcome).toBe('act');
    expect(decision.vendorFixDueAt).toBe('2026-06-04T12:00:00.000Z');
    expect(decision.explanation.vendorFix).toEqual({ days: 2, dueAt: '2026-06-04T12:00:00.000Z' });
  });

  it('evidence only raises Exploitation: KEV wins over a stale "none" from CISA', () => {
    const adp = cisaAdp('CVE-2026-1000', { exploitation: 'none', automatable: 'no', technicalImpact: 'partial' });
    const decision = decidePriority({ ...NOTHING_KNOWN, cisaAdp: adp, kev: kevEntry('CVE-2026-1000') }, NOW);
    expect(decision.explanation.inputs.exploitation.source.kind).toBe('kev');
    expect(decision.explanation.inputs.automatable).toEqual({
      value: 'no',
      source: { kind: 'cisa-adp', cveId: 'CVE-2026-1000', version: '2.0.3', timestamp: '2026-05-30T10:00:00Z' },
    });
  });

  it('ranks the evidence: validation of active exploitation, then CISA, then public exploits', () => {
    const validation = { validator: 'org_nsa', assessedAt: '2026-06-01T09:00:00Z', activeExploitation: true };
    expect(decidePriority({ ...NOTHING_KNOWN, validation }, NOW).explanation.inputs.exploitation).toEqual({
      value: 'active',
      source: { kind: 'validation', validator: 'org_nsa', assessedAt: '2026-06-01T09:00:00Z' },
    });
    const references = ['https://www.exploit-db.com/exploits/12345'];
    const poc = decidePriority({ ...NOTHING_KNOWN, publicExploitReferences: references }, NOW).explanation.inputs.exploitation;
    expect(poc).toEqual({ value: 'poc', source: { kind: 'public-exploit', references } });
    const adpActive = cisaAdp('CVE-2026-1000', { exploitation: 'active', automatable: 'no', technicalImpact: 'partial' });
    expect(
      decidePriority({ ...NOTHING_KNOWN, cisaAdp: adpActive, publicExploitReferences: references }, NOW).explanation.inputs.exploitation
        .value,
    ).toBe('active');
    const adpPoc = cisaAdp('CVE-2026-1000', { exploitation: 'poc', automatable: 'no', technicalImpact: 'partial' });
    expect(decidePriority({ ...NOTHING_KNOWN, cisaAdp: adpPoc }, NOW).explanation.inputs.exploitation.source.kind).toBe('cisa-adp');
  });

  it("prefers the validator's assessment to CISA's enrichment, point by point", () => {
    const adp = cisaAdp('CVE-2026-1000', { exploitation: 'none', automatable: 'yes', technicalImpact: 'total' });
    const validation = { validator: 'org_cisa', assessedAt: '2026-06-01T09:00:00Z', automatable: 'no' as const, technicalImpact: null };
    const { inputs } = decidePriority({ ...NOTHING_KNOWN, cisaAdp: adp, validation }, NOW).explanation;
    expect([inputs.automatable.value, inputs.automatable.source.kind]).toEqual(['no', 'validation']);
    expect([inputs.technicalImpact.value, inputs.technicalImpact.source.kind]).toEqual(['total', 'cisa-adp']);
  });

  it('uses the policy it is given and records its version', () => {
    const policy = parsePrioritizationPolicy({
      ...structuredClone(DEFAULT_PRIORITIZATION_POLICY),
      version: 'strict-2',
      vendorFixDays: { act: 1, attend: 7, 'track*': 14, track: 30 },
    });
    const decision = decidePriority(NOTHING_KNOWN, NOW, policy);
    expect(decision.explanation.policyVersion).toBe('strict-2');
    expect(decision.explanation.vendorFix.days).toBe(30);
  });

  it('carries the tie-breakers and the CVSS and EPSS context', () => {
    const epss = { cveId: 'CVE-2026-1000', epss: 0.42, percentile: 0.97, date: '2026-06-01' };
    const cvss = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    const exposure = [
      WATER_PLANT,
      asset({ assetId: 'scada-2', operatorId: 'org_water' }),
      asset({ assetId: 'erp', operatorId: 'org_grid' }),
    ];
    const decision = decidePriority({ ...NOTHING_KNOWN, epss, cvss, exposure }, NOW);
    expect(decision.tieBreak).toEqual({ epss: 0.42, exposureCount: 2 });
    expect(decision.explanation.epss).toEqual(epss);
    expect(decision.explanation.cvss).toEqual({ version: '3.1', vector: cvss.vector, base: 9.8, overall: 9.8, severity: 'critical' });
  });

  it('is plain data: the explanation survives a JSON round trip unchanged', () => {
    const decision = decidePriority(
      { ...NOTHING_KNOWN, kev: kevEntry('CVE-2026-1000'), exposure: [WATER_PLANT], cvss: scoreCvss('AV:N/AC:L/Au:N/C:C/I:C/A:C') },
      NOW,
    );
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision);
  });
});

describe('comparePriorityDecisions', () => {
  it('a new KEV entry, a day later, changes the outcome and says which input moved', () => {
    const clock = new ManualClock('2026-06-02T12:00:00.000Z');
    const inputs: PriorityInputs = { ...NOTHING_KNOWN, exposure: [WATER_PLANT] };
    const before = decidePriority(inputs, clock.now());
    clock.advance(DAY);
    const after = decidePriority({ ...inputs, kev: kevEntry('CVE-2026-1000', { dateAdded: '2026-06-03' }) }, clock.now());
    expect([before.outcome, after.outcome]).toEqual(['attend', 'act']);
    expect(comparePriorityDecisions(before, after)).toEqual({ outcomeChanged: true, changedInputs: ['exploitation'] });
    expect(after.vendorFixDueAt).toBe('2026-06-05T12:00:00.000Z');
  });

  it('a recomputation with the same inputs changes nothing, even at another time', () => {
    const first = decidePriority(NOTHING_KNOWN, NOW);
    const again = decidePriority(NOTHING_KNOWN, new Date(NOW.getTime() + DAY));
    expect(comparePriorityDecisions(first, again)).toEqual({ outcomeChanged: false, changedInputs: [] });
  });

  it('a new EPSS day is a changed input without a changed outcome', () => {
    const epss = (score: number) => ({ cveId: 'CVE-2026-1000', epss: score, percentile: 0.5, date: '2026-06-01' });
    const result = comparePriorityDecisions(
      decidePriority({ ...NOTHING_KNOWN, epss: epss(0.1) }, NOW),
      decidePriority({ ...NOTHING_KNOWN, epss: epss(0.2) }, NOW),
    );
    expect(result).toEqual({ outcomeChanged: false, changedInputs: ['epss'] });
  });
});

describeWithData('decidePriority on the real KEV catalog', 'kev', () => {
  describeWithData('and a real CVE record', 'cve/records', () => {
    it('a cluster aliased to a CVE in the real KEV catalog is active, citing the catalog; CISA supplies the rest', () => {
      const catalog = parseKevCatalog(readFileSync(sharedData('kev', 'known_exploited_vulnerabilities.json')));
      const kev = catalog.entries.find((e) => e.cveId === 'CVE-2019-1069') ?? null;
      const record: unknown = JSON.parse(readFileSync(sharedData('cve/records/2019/1xxx/CVE-2019-1069.json'), 'utf8'));
      const adp = readCisaAdpEnrichment(record)?.ssvc ?? null;
      const decision = decidePriority({ ...NOTHING_KNOWN, kev, cisaAdp: adp, exposure: [] }, NOW);
      expect(decision.explanation.inputs.exploitation).toMatchObject({
        value: 'active',
        source: { kind: 'kev', cveId: 'CVE-2019-1069', catalogVersion: '2025.08.25', dateAdded: '2022-03-15' },
      });
      expect(decision.explanation.inputs.automatable).toMatchObject({ value: 'no', source: { kind: 'cisa-adp' } });
      expect(decision.explanation.inputs.technicalImpact).toMatchObject({ value: 'total', source: { kind: 'cisa-adp' } });
      // No registered operator runs it: Mission & Well-being Low; row 27: active, no, total, low → track.
      expect(decision.explanation.decision.row.index).toBe(27);
      expect(decision.outcome).toBe('track');
    });
  });
});
