import { describe, expect, it } from 'vitest';
import { decideOperatorPriority } from './operator-priority.js';
import { DEFAULT_PRIORITIZATION_POLICY as POLICY } from './prioritization-policy.js';
import type { SourcedValue } from './ssvc-input-sources.js';
import type { Automatable, Exploitation } from './ssvc-decision-points.js';
import { asset } from './test-support/priority-fixtures.js';

const NOW = new Date('2026-06-02T12:00:00.000Z');
const kevSource = {
  kind: 'kev',
  cveId: 'CVE-2026-1000',
  dateAdded: '2026-06-01',
  knownRansomwareCampaignUse: 'unknown',
  catalogVersion: '2026.06.01',
  dateReleased: '2026-06-01T17:00:00Z',
} as const;
const cluster = (exploitation: Exploitation, automatable: Automatable) => ({
  exploitation: {
    value: exploitation,
    source: exploitation === 'active' ? kevSource : { kind: 'no-evidence' },
  } as SourcedValue<Exploitation>,
  automatable: { value: automatable, source: { kind: 'policy-default', policyVersion: 'default-1' } } as SourcedValue<Automatable>,
});

describe('decideOperatorPriority', () => {
  it('derives the asset inputs through the policy and applies the deployer tree', () => {
    const plant = asset({ assetId: 'scada-1', operatorId: 'org_water', sector: 'water', criticality: 'high', internetFacing: true });
    const decision = decideOperatorPriority(cluster('active', 'no'), plant, NOW, POLICY);
    const { inputs } = decision.explanation;
    expect(inputs.systemExposure).toEqual({
      value: 'open',
      source: { kind: 'policy', policyVersion: 'default-1', rule: 'deployer.systemExposure.internetFacing' },
    });
    // Water is Irreversible and the asset high, so Safety Impact is critical; high criticality is MEF failure.
    expect(inputs.safetyImpact.value).toBe('critical');
    expect(inputs.missionImpact.value).toBe('mef_failure');
    // Human Impact row 10: critical, mef failure → high. Deployer row 66: active, open, no, high → out-of-cycle.
    expect(decision.explanation.humanImpact.row.index).toBe(10);
    expect(decision.explanation.decision.row.index).toBe(66);
    expect(decision.outcome).toBe('out_of_cycle');
    expect(decision.deadline).toEqual({ days: 7, dueAt: '2026-06-09T12:00:00.000Z' });
    expect(decision.explanation.inputs.exploitation.source).toEqual(kevSource);
  });

  it("uses the operator's own Safety and Mission Impact when stated", () => {
    const plant = asset({ assetId: 'scada-1', sector: 'water', criticality: 'high', internetFacing: true, safetyImpact: 'catastrophic' });
    const decision = decideOperatorPriority(cluster('active', 'no'), plant, NOW, POLICY);
    expect(decision.explanation.inputs.safetyImpact).toEqual({
      value: 'catastrophic',
      source: { kind: 'operator', operatorId: 'org_op1', assetId: 'scada-1' },
    });
    // Human Impact row 14: catastrophic, mef failure → very high; deployer row 67: active, open, no, very high → immediate.
    expect(decision.outcome).toBe('immediate');
    expect(decision.deadline).toEqual({ days: 1, dueAt: '2026-06-03T12:00:00.000Z' });
  });

  it('a deferred patch has no deadline', () => {
    const laptop = asset({ assetId: 'laptop', criticality: 'low' });
    const decision = decideOperatorPriority(cluster('none', 'no'), laptop, NOW, POLICY);
    // internal → controlled; low IT → negligible and degraded → Human Impact low; row 8: none, controlled, no, low → defer.
    expect(decision.explanation.decision.row.index).toBe(8);
    expect(decision.outcome).toBe('defer');
    expect(decision.deadline).toEqual({ days: null, dueAt: null });
  });
});
