import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import type { Tlp } from '../../../platform/tlp.js';
import { submitDocument } from '../../intake/index.js';
import { osvRecord } from '../../intake/test-support/native.js';
import { scoreVectors } from './cvss-scores.js';
import { getDecision, listDecisionHistory, prioritize } from './decisions.js';
import { importEpssScores } from './epss-import.js';
import { epssCsv } from '../test-support/feeds.js';

// What a coordinator viewer may read of a decision, by identity's permission table: the decision
// (`scoring.decision.read`), within the reports it may see, without who validated (`validation.attempt.list`
// is its analysts' and admins'). Everything below that only the RED report brings, or that names the
// validator, the coordinator's admin reads and its viewer must not.
const SHARED = 'CVE-2026-7000';
const RED_ONLY = 'CVE-2026-7001';
const GREEN_EXPLOIT = 'https://green.example/exploit/poc.py';
const RED_EXPLOIT = 'https://red.example/exploit/poc.py';
const GREEN_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const RED_VECTOR = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const RED_EPSS = 0.4321;

async function report(
  t: TestRuntime,
  by: TestUser,
  tlp: Tlp,
  id: string,
  aliases: string[],
  vector: string,
  exploit: string,
): Promise<string> {
  const answer = await submitDocument(t.as(by), {
    bytes: osvRecord(id, aliases, undefined, {
      severity: [{ type: vector.startsWith('CVSS:4') ? 'CVSS_V4' : 'CVSS_V3', score: vector }],
      references: [{ type: 'EVIDENCE', url: exploit }],
    }),
    tlp,
    ...(tlp === 'RED' ? { recipients: { userIds: [by.userId] } } : {}),
  });
  await t.runtime.jobs.drain();
  return answer.findings[0]!.clusterId;
}

describeEachDatabase("a coordinator viewer's sight of a decision", (dialect) => {
  const get = useTestRuntime(dialect);

  async function mixedDecision(t: TestRuntime): Promise<{ clusterId: string; validator: string }> {
    const researcher = await t.org('researcher');
    const vendor = await t.org('vendor');
    const validator = (await t.org('researcher')).orgId;
    const clusterId = await report(t, vendor, 'GREEN', 'x_green-1', [SHARED], GREEN_VECTOR, GREEN_EXPLOIT);
    expect(await report(t, researcher, 'RED', 'x_red-1', [SHARED, RED_ONLY], RED_VECTOR, RED_EXPLOIT)).toBe(clusterId);
    await importEpssScores(t.system, { data: epssCsv('2026-06-01', [[RED_ONLY, RED_EPSS, 0.99]]), source: 'epss' });
    await prioritize(t.system, {
      subjectId: clusterId,
      cveIds: [SHARED, RED_ONLY],
      publicExploitReferences: [GREEN_EXPLOIT, RED_EXPLOIT],
      validation: { validator, assessedAt: '2026-06-01T00:00:00.000Z', automatable: 'yes', technicalImpact: 'total' },
    });
    await scoreVectors(t.system, clusterId, [GREEN_VECTOR, RED_VECTOR]);
    return { clusterId, validator };
  }

  it("shows the admin everything, the viewer only what the reports it may see bring, and no validator's name", async () => {
    const t = get();
    const { clusterId, validator } = await mixedDecision(t);
    const viewer = t.as(await t.user(t.coordinatorAdmin.orgId, 'viewer'));
    const admin = t.as(t.coordinatorAdmin);

    const full = await getDecision(admin, clusterId);
    const fullText = JSON.stringify([full, await listDecisionHistory(admin, clusterId, {})]);
    // The admin's answer holds each of them: the viewer's answer below must lack each.
    for (const secret of [RED_ONLY, RED_EXPLOIT, validator, String(RED_EPSS), 'CVSS:4.0']) expect(fullText).toContain(secret);
    expect(full.tieBreak.epss).toBe(RED_EPSS);
    expect(full.cvss.map((c) => c.version).sort()).toEqual(['3.1', '4.0']);

    const seen = await getDecision(viewer, clusterId);
    const history = await listDecisionHistory(viewer, clusterId, {});
    const seenText = JSON.stringify([seen, history]);
    for (const secret of [RED_ONLY, RED_EXPLOIT, validator, String(RED_EPSS), 'CVSS:4.0']) expect(seenText).not.toContain(secret);
    expect(seen.cveIds).toEqual([SHARED]);
    expect(seen.explanation.inputs.exploitation).toEqual({ value: 'poc', source: { kind: 'public-exploit', references: [GREEN_EXPLOIT] } });
    expect(seen.explanation.inputs.automatable.source).toEqual({
      kind: 'validation',
      validator: '[a validator]',
      assessedAt: '2026-06-01T00:00:00.000Z',
    });
    expect(seen.explanation.epss).toBeNull();
    expect(seen.tieBreak.epss).toBeNull();
    expect(seen.explanation.cvss).toBeNull();
    expect(seen.cvss.map((c) => c.vector)).toEqual([GREEN_VECTOR]);
    // What the viewer may know stays as the admin reads it.
    expect({ outcome: seen.outcome, vendorFixDueAt: seen.vendorFixDueAt, revision: seen.revision }).toEqual({
      outcome: full.outcome,
      vendorFixDueAt: full.vendorFixDueAt,
      revision: full.revision,
    });
    expect(history.items.map((h) => [h.revision, h.outcome])).toEqual(
      (await listDecisionHistory(admin, clusterId, {})).items.map((h) => [h.revision, h.outcome]),
    );
  });

  it('names the validator to coordinator analysts only, also where the viewer may see every report', async () => {
    const t = get();
    const validator = (await t.org('researcher')).orgId;
    await prioritize(t.system, {
      subjectId: 'clu_open',
      cveIds: [SHARED],
      validation: { validator, assessedAt: '2026-06-01T00:00:00.000Z', activeExploitation: true },
    });
    const analyst = await getDecision(t.as(await t.user(t.coordinatorAdmin.orgId, 'analyst')), 'clu_open');
    expect(analyst.explanation.inputs.exploitation.source).toMatchObject({ kind: 'validation', validator });
    const viewer = t.as(await t.user(t.coordinatorAdmin.orgId, 'viewer'));
    const seen = JSON.stringify([await getDecision(viewer, 'clu_open'), await listDecisionHistory(viewer, 'clu_open', {})]);
    expect(seen).not.toContain(validator);
    expect(seen).toContain('[a validator]');
  });
});
