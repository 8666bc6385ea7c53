import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { getOrg } from '../../identity/index.js';
import { distinctFinding, errorOf, report, reproduced } from '../test-support/scene.js';
import { recordAttempt } from './attempts.js';
import { listTriageQueue } from './queue.js';
import { getReporterRecord, listReporterRecords, listToolRecords } from './track-record.js';
import { setVerdict } from './verdicts.js';

describeEachDatabase('reporter track records and the triage queue', (dialect) => {
  const get = useTestRuntime(dialect);

  /**
   * A lab (deepscan + Atlas) with 3 valid, 1 invalid and 1 pending report; a researcher (otherscan) with a
   * duplicate of one of the lab's valid reports, 2 invalid and 1 pending; one pending cluster both reported.
   */
  async function history() {
    const t = get();
    const lab = await t.org('model_developer');
    const researcher = await t.org('researcher');
    const agency = await t.org('agency');
    const share = { shareWith: [agency.orgId] };
    const labFindings = [1, 2, 3, 4, 5, 6].map(() => distinctFinding());
    const labIds = await report(t, lab, labFindings, {
      ...share,
      provenance: { tool: { name: 'deepscan', version: '1.4.0' }, model: { name: 'Atlas', version: '3.0' }, aiGenerated: true },
    });
    const [, , , , , shared] = labIds;
    const other = { ...share, provenance: { tool: { name: 'otherscan', version: '9' } } };
    const researcherIds = await report(
      t,
      researcher,
      [labFindings[0]!, distinctFinding(), distinctFinding(), distinctFinding(), labFindings[5]!],
      other,
    );
    expect(researcherIds[0]).toBe(labIds[0]);
    expect(researcherIds[4]).toBe(shared);
    for (const id of labIds.slice(0, 3)) await recordAttempt(t.as(agency), id!, reproduced());
    const coordinator = t.as(t.coordinatorAdmin);
    await setVerdict(coordinator, labIds[3]!, { state: 'invalid', reason: 'false_positive', note: 'sanitized upstream' });
    await setVerdict(coordinator, researcherIds[1]!, { state: 'invalid', reason: 'false_positive', note: 'dead code' });
    await setVerdict(coordinator, researcherIds[2]!, { state: 'invalid', reason: 'not_reproducible', note: 'no crash in 10 000 runs' });
    await t.runtime.jobs.drain();
    return { t, lab, researcher, agency, labIds, researcherIds, shared: shared! };
  }

  it('counts valid, invalid by reason, duplicates and pending, with the smoothed precision computed by hand', async () => {
    const { t, lab, researcher } = await history();
    const records = await listReporterRecords(t.as(t.coordinatorAdmin), {});
    const byOrg = new Map(records.items.map((r) => [r.orgId, r]));
    const nameOf = async (orgId: string) => (await getOrg(t.as(t.coordinatorAdmin), orgId)).name;
    // Lab: Beta(1 + 3, 1 + 1) → mean 4/6, sd √(8/252), 90 % interval from 5x⁴ − 4x⁵.
    expect(byOrg.get(lab.orgId)).toEqual({
      orgId: lab.orgId,
      orgName: await nameOf(lab.orgId),
      reports: 6,
      clusters: 6,
      valid: 3,
      invalid: 1,
      invalidByReason: { false_positive: 1 },
      duplicates: 0,
      pending: 2,
      precision: { valid: 3, invalid: 1, prior: { alpha: 1, beta: 1 }, mean: 0.6667, sd: 0.1782, low: 0.3426, high: 0.9236 },
    });
    // Researcher: the duplicate of a valid report counts valid → Beta(1 + 1, 1 + 2): mean 0.4, sd √(6/150) = 0.2.
    expect(byOrg.get(researcher.orgId)).toEqual({
      orgId: researcher.orgId,
      orgName: await nameOf(researcher.orgId),
      reports: 5,
      clusters: 5,
      valid: 1,
      invalid: 2,
      invalidByReason: { false_positive: 1, not_reproducible: 1 },
      duplicates: 2,
      pending: 2,
      precision: { valid: 1, invalid: 2, prior: { alpha: 1, beta: 1 }, mean: 0.4, sd: 0.2, low: 0.0976, high: 0.7514 },
    });
  });

  it('keeps each organisation to its own record, and counts per tool and model', async () => {
    const { t, lab, researcher } = await history();
    expect((await listReporterRecords(t.as(lab), {})).items.map((r) => r.orgId)).toEqual([lab.orgId]);
    expect((await errorOf(getReporterRecord(t.as(lab), researcher.orgId))).name).toBe('NotFoundError');
    const own = await getReporterRecord(t.as(lab), lab.orgId);
    expect(own.quota).toMatchObject({
      dailyLimit: null,
      basis: 'none',
      explanation: 'no quota: only 4 decided reports (a quota needs 10)',
    });
    const tools = await listToolRecords(t.as(t.coordinatorAdmin), {});
    expect(tools.items.map((r) => [r.tool, r.model, r.valid, r.invalid, r.duplicates])).toEqual(
      expect.arrayContaining([
        ['deepscan 1.4.0', 'Atlas 3.0', 3, 1, 0],
        ['otherscan 9', null, 1, 2, 2],
      ]),
    );
    expect((await listToolRecords(t.as(researcher), {})).items.map((r) => r.tool)).toEqual(['otherscan 9']);
  });

  it('orders the queue by severity × corroboration, and shows why', async () => {
    const { t, lab, researcher, labIds, researcherIds, shared } = await history();
    const queue = await listTriageQueue(t.as(t.coordinatorAdmin), {});
    // Unknown severity 0.5 × (1 − (1 − 0.6667)(1 − 0.4)) = 0.4; lab alone 0.5 × 0.6667; researcher alone 0.5 × 0.4.
    expect(queue.items.every((r) => r.title !== null && r.title.startsWith('Command injection number'))).toBe(true);
    expect(queue.items.map((r) => [r.clusterId, r.score])).toEqual([
      [shared, 0.4],
      [labIds[4], 0.3334],
      [researcherIds[3], 0.2],
    ]);
    expect(queue.items[0]?.why).toEqual({
      severity: { value: 0.5, source: 'no severity stated; policy default 0.5' },
      corroboration: {
        value: 0.8,
        reporters: [lab.orgId, researcher.orgId].sort().map((orgId) => ({ orgId, precision: orgId === lab.orgId ? 0.6667 : 0.4 })),
      },
      formula: '0.5 severity × 0.8 corroboration = 0.4',
    });
    const page = await listTriageQueue(t.as(t.coordinatorAdmin), { limit: 2 });
    const rest = await listTriageQueue(t.as(t.coordinatorAdmin), { limit: 2, cursor: page.nextCursor ?? undefined });
    expect([...page.items, ...rest.items].map((r) => r.clusterId)).toEqual(queue.items.map((r) => r.clusterId));
    expect((await listTriageQueue(t.as(t.coordinatorAdmin), { state: 'invalid', reporter: researcher.orgId })).items).toHaveLength(2);
    expect((await errorOf(listTriageQueue(t.as(lab), {}))).name).toBe('NotAllowedError');
  });
});
