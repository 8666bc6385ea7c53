import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { DAY } from '../../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { readCisaAdpEnrichment } from '../domain/cisa-adp-ssvc.js';
import { DEFAULT_PRIORITIZATION_POLICY } from '../domain/prioritization-policy.js';
import { scoreVectors } from './cvss-scores.js';
import { getDecision, listDecisionHistory, prioritize, prioritizeMany } from './decisions.js';
import { importEpssScores } from './epss-import.js';
import { importKevCatalog } from './kev-import.js';
import { updatePrioritizationPolicy } from './policy.js';
import { reprioritize } from './reprioritize.js';
import { epssCsv, kevCatalogJson, subject } from '../test-support/feeds.js';
import { auditActions, countRows, eventsOfType } from '../test-support/records.js';

interface DecisionChanged {
  outcome: string;
  previousOutcome: string | null;
  reason: string;
}

const KEV = kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-1000', dateAdded: '2026-05-30' }]);

describeEachDatabase('decisions', (dialect) => {
  const get = useTestRuntime(dialect);

  it('decides a subject aliased to a KEV CVE as actively exploited, explains it, and stores it once', async () => {
    const { system, runtime, clock } = get();
    await importKevCatalog(system, { data: KEV, source: 'kev.json' });
    const result = await prioritize(system, subject('clu_kev', { cveIds: ['CVE-2026-9999', 'CVE-2026-1000'], orgId: 'org_owner' }));
    expect(result).toMatchObject({ created: true, outcomeChanged: true });
    const { decision } = result;
    expect(decision).toMatchObject({
      outcome: 'act',
      revision: 1,
      orgId: 'org_owner',
      cveIds: ['CVE-2026-1000', 'CVE-2026-9999'],
      supplier: { outcome: 'immediate' },
    });
    expect(decision.vendorFixDueAt).toBe(new Date(clock.now().getTime() + 2 * DAY).toISOString());
    expect(decision.explanation.inputs.exploitation).toEqual({
      value: 'active',
      source: {
        kind: 'kev',
        cveId: 'CVE-2026-1000',
        dateAdded: '2026-05-30',
        knownRansomwareCampaignUse: 'unknown',
        catalogVersion: '2026.06.01',
        dateReleased: '2026-06-01T12:00:00.000Z',
      },
    });
    expect(decision.explanation.inputs.missionWellbeing).toMatchObject({
      value: 'high',
      source: { kind: 'exposure', exposure: { operatorCount: 1, sectors: ['energy'] } },
    });
    expect(decision.explanation.decision).toMatchObject({ outcome: 'act', table: { id: 'cisa:DT_CO:2.0.3' }, row: { index: 35 } });

    const again = await prioritize(system, subject('clu_kev', { cveIds: ['CVE-2026-1000', 'CVE-2026-9999'], orgId: 'org_owner' }));
    expect(again).toMatchObject({ created: false, changes: [] });
    expect(await reprioritize(system, { reason: 'check' })).toEqual({ subjects: 1, changed: 0, created: 0, outcomeChanged: 0 });
    expect(await countRows(runtime.db, 'scoring_decision_history')).toBe(1);
    expect((await auditActions(runtime.db, 'scoring.decision')).map((a) => a.action)).toEqual(['scoring.decision.create']);
    expect((await eventsOfType<DecisionChanged>(runtime.db, 'scoring.decision.changed')).map((e) => e.payload)).toEqual([
      expect.objectContaining({ outcome: 'act', previousOutcome: null }),
    ]);
  });

  it('recomputes when a KEV release lists the CVE: later, with a new deadline, audited and announced', async () => {
    const { system, runtime, clock } = get();
    await prioritize(system, subject('clu_later', { cveIds: ['CVE-2026-2000'] }));
    expect((await getDecision(system, 'clu_later')).outcome).toBe('attend');
    clock.advance(3 * DAY);
    await importKevCatalog(system, {
      data: kevCatalogJson('2026.06.05', '2026-06-05T12:00:00.000Z', [{ cveID: 'CVE-2026-2000' }]),
      source: 'kev.json',
    });
    await runtime.jobs.drain();
    const decision = await getDecision(system, 'clu_later');
    expect(decision).toMatchObject({ outcome: 'act', revision: 2, outcomeSince: clock.now().toISOString() });
    expect(decision.vendorFixDueAt).toBe(new Date(clock.now().getTime() + 2 * DAY).toISOString());
    const history = await listDecisionHistory(system, 'clu_later', {});
    expect(history.items.map((h) => [h.revision, h.reason, h.previousOutcome, h.outcome])).toEqual([
      [2, 'kev', 'attend', 'act'],
      [1, 'inputs', null, 'attend'],
    ]);
    expect(history.items[0]?.changes).toMatchObject({ exploitation: ['none', 'active'], outcome: ['attend', 'act'] });
    expect(history.items[0]?.explanation?.inputs.exploitation.value).toBe('active');
    expect((await eventsOfType<DecisionChanged>(runtime.db, 'scoring.decision.changed')).map((e) => e.payload)).toEqual([
      expect.objectContaining({ outcome: 'attend', previousOutcome: null }),
      expect.objectContaining({ outcome: 'act', previousOutcome: 'attend', reason: 'kev' }),
    ]);
  });

  it('moves the tie-breaker on a new EPSS day but keeps the outcome and its deadline', async () => {
    const { system, runtime, clock } = get();
    const first = (await prioritize(system, subject('clu_epss', { cveIds: ['CVE-2026-3000', 'CVE-2026-3001'] }))).decision;
    clock.advance(DAY);
    await importEpssScores(system, {
      data: epssCsv('2026-06-02', [
        ['CVE-2026-3000', 0.2, 0.9],
        ['CVE-2026-3001', 0.4, 0.95],
      ]),
      source: 'epss.csv',
    });
    await runtime.jobs.drain();
    const decision = await getDecision(system, 'clu_epss');
    expect(decision).toMatchObject({
      outcome: first.outcome,
      vendorFixDueAt: first.vendorFixDueAt,
      outcomeSince: first.outcomeSince,
      tieBreak: { epss: 0.4 },
    });
    expect(decision.explanation.epss).toEqual({ cveId: 'CVE-2026-3001', epss: 0.4, percentile: 0.95, date: '2026-06-02' });
    const [latest] = (await listDecisionHistory(system, 'clu_epss', {})).items;
    expect(latest).toMatchObject({
      reason: 'epss',
      explanation: null,
      changes: { epss: [null, { cveId: 'CVE-2026-3001', epss: 0.4, date: '2026-06-02' }] },
    });
    expect((await auditActions(runtime.db, 'scoring.decision')).map((a) => a.action)).toEqual([
      'scoring.decision.create',
      'scoring.decision.reprioritize',
    ]);
    expect(await eventsOfType(runtime.db, 'scoring.decision.changed')).toHaveLength(1);
  });

  it('keeps the inputs a caller leaves out: each module gives what it owns', async () => {
    const { system } = get();
    await prioritize(system, {
      subjectId: 'clu_parts',
      cveIds: ['CVE-2026-4000'],
      exposure: [{ operatorId: 'org_op', assetId: 'ast_1', sector: 'water', criticality: 'high', internetFacing: false }],
    });
    const validated = await prioritize(system, {
      subjectId: 'clu_parts',
      validation: { validator: 'org_v', assessedAt: '2026-06-02T00:00:00.000Z', automatable: 'no', technicalImpact: 'partial' },
      reason: 'validation',
    });
    expect(validated.changes).toEqual(expect.arrayContaining(['inputs', 'outcome']));
    expect(validated.decision).toMatchObject({
      outcome: 'track',
      cveIds: ['CVE-2026-4000'],
      explanation: { inputs: { missionWellbeing: { value: 'high' }, automatable: { source: { kind: 'validation' } } } },
    });
    const unknown = await prioritize(system, { subjectId: 'clu_parts', exposure: null });
    expect(unknown.decision.explanation.inputs.missionWellbeing).toMatchObject({ value: 'medium', source: { kind: 'policy-default' } });
    expect((await listDecisionHistory(system, 'clu_parts', {})).items.map((h) => h.reason)).toEqual(['inputs', 'validation', 'inputs']);
  });

  it('shows the newest CVSS vector beside the decision, recomputed from the vector', async () => {
    const { system } = get();
    await prioritize(system, subject('clu_cvss'));
    const scored = await scoreVectors(system, 'clu_cvss', [
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    ]);
    expect(scored.map((s) => [s.version, s.overall])).toEqual([
      ['3.1', 9.8],
      ['4.0', 9.3],
    ]);
    const decision = await getDecision(system, 'clu_cvss');
    expect(decision.explanation.cvss).toMatchObject({ version: '4.0', overall: 9.3, severity: 'critical' });
    expect(decision.cvss).toHaveLength(2);
    await expect(scoreVectors(system, 'clu_cvss', ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'])).rejects.toMatchObject({
      issues: [{ pointer: '/vectors/0', detail: "AV: 'Q' is not one of N, A, L, P" }],
    });
    expect((await getDecision(system, 'clu_cvss')).cvss).toHaveLength(2);
  });

  it('recomputes every decision under a new policy', async () => {
    const { system, as, coordinatorAdmin, runtime } = get();
    await prioritize(system, subject('clu_policy'));
    await updatePrioritizationPolicy(as(coordinatorAdmin), {
      policy: { ...DEFAULT_PRIORITIZATION_POLICY, version: 'strict-2', vendorFixDays: { act: 1, attend: 7, 'track*': 30, track: 90 } },
    });
    await runtime.jobs.drain();
    const decision = await getDecision(system, 'clu_policy');
    expect(decision).toMatchObject({ policyVersion: 'strict-2', explanation: { vendorFix: { days: 7 } } });
  });

  it('shows decisions to the coordinator only, answering not found to others; only the coordinator decides', async () => {
    const { system, as, org, coordinatorAdmin, user } = get();
    await prioritize(system, subject('clu_private'));
    const operator = as(await org('operator'));
    await expect(getDecision(operator, 'clu_private')).rejects.toBeInstanceOf(NotFoundError);
    await expect(listDecisionHistory(operator, 'clu_private', {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(prioritize(operator, subject('clu_private'))).rejects.toBeInstanceOf(NotAllowedError);
    expect((await getDecision(as(await user(coordinatorAdmin.orgId, 'viewer')), 'clu_private')).subjectId).toBe('clu_private');
    await expect(getDecision(system, 'clu_none')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('decides many subjects in batches, checking every input first', async () => {
    const { system, runtime } = get();
    await expect(prioritizeMany(system, [subject('clu_a'), { subjectId: 'clu_b', cveIds: ['bad'] }])).rejects.toMatchObject({
      issues: [{ pointer: '/1/cveIds/0' }],
    });
    expect(await countRows(runtime.db, 'scoring_decision')).toBe(0);
    const summary = await prioritizeMany(
      system,
      Array.from({ length: 1200 }, (_, i) => subject(`clu_${String(i).padStart(4, '0')}`, { cveIds: [`CVE-2026-${5000 + (i % 10)}`] })),
    );
    expect(summary).toEqual({ subjects: 1200, changed: 1200, created: 1200, outcomeChanged: 1200 });
    expect(await countRows(runtime.db, 'scoring_subject_cve')).toBe(1200);
    await expect(prioritize(system, { subjectId: 'x'.repeat(200) })).rejects.toBeInstanceOf(InputError);
  });

  describeWithData('the real KEV catalog', 'kev', () => {
    describeWithData('and a real CVE record with CISA ADP enrichment', 'cve/records', () => {
      it("finds a real CVE in the real KEV catalog through the subject's aliases, and takes CISA's ADP values where nobody validated", async () => {
        const { system } = get();
        await importKevCatalog(system, { data: readFileSync(sharedData('kev/known_exploited_vulnerabilities.json')), source: 'kev' });
        const record = JSON.parse(readFileSync(sharedData('cve/records/2011/0xxx/CVE-2011-0611.json'), 'utf8')) as unknown;
        const cisaAdp = readCisaAdpEnrichment(record)?.ssvc ?? null;
        expect(cisaAdp).not.toBeNull();
        const { decision } = await prioritize(system, {
          subjectId: 'clu_real',
          cveIds: ['CVE-2099-0001', 'CVE-2011-0611'],
          cisaAdp,
          exposure: null,
        });
        expect(decision.explanation.inputs.exploitation).toMatchObject({
          value: 'active',
          source: { kind: 'kev', cveId: 'CVE-2011-0611', catalogVersion: '2025.08.25' },
        });
        expect(decision.explanation.inputs.automatable.source).toMatchObject({ kind: 'cisa-adp', cveId: 'CVE-2011-0611' });
        expect(decision.explanation.inputs.missionWellbeing).toMatchObject({
          value: 'medium',
          source: { kind: 'policy-default', reason: 'exposure unknown' },
        });
      });
    });
  });
});
