import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { addEvidence } from '../validation/index.js';
import { distinctFinding, report } from '../validation/test-support/scene.js';
import { placeHold } from './service/holds.js';

interface RemovalAnswer {
  removal: {
    id: string;
    orgId: string;
    status: string;
    removed: Record<string, number>;
    held: number | null;
    work: { id: string; state: string } | null;
  };
  created: boolean;
}

/** A researcher with one report and three proof-of-concept files, the first of them under a legal hold. */
async function leaving(t: TestServer) {
  const researcher = await t.org('researcher');
  const [cluster] = await report(t, researcher, [distinctFinding()]);
  const evidence = [];
  for (let i = 0; i < 3; i++) {
    evidence.push(
      await addEvidence(t.as(researcher), cluster!, {
        bytes: Buffer.from(`poc ${i} ${researcher.orgId}`),
        filename: `poc${i}.py`,
        kind: 'proof_of_concept',
      }),
    );
  }
  await placeHold(t.as(t.coordinatorAdmin), { scope: 'record', targetId: evidence[0]!.id, reason: 'subpoena' });
  await t.runtime.jobs.drain();
  return { researcher, evidence };
}

const evidenceIds = async (t: TestServer) =>
  (await t.runtime.db.kysely.selectFrom('validation_evidence').select('id').execute()).map((r) => r.id as string).sort();

const auditCount = async (t: TestServer, action: string) =>
  (await t.runtime.db.kysely.selectFrom('audit_event').select('subject_id').where('action', '=', action).execute()).length;

describeEachDatabase('an organisation removal as a background job', (dialect) => {
  const get = useTestServer(dialect);

  it('answers 202 at once with the queued removal, removes nothing in the request, and its job honours the hold', async () => {
    const t = get();
    const { researcher, evidence } = await leaving(t);
    const bystander = await t.org('researcher');
    const [otherCluster] = await report(t, bystander, [distinctFinding()]);
    const kept = await addEvidence(t.as(bystander), otherCluster!, {
      bytes: Buffer.from('bystander poc'),
      filename: 'b.py',
      kind: 'proof_of_concept',
    });
    const before = await evidenceIds(t);

    const asked = await t.call(researcher, 'POST', '/api/v1/governance/removals', { reason: 'we leave the program' });
    expect(asked.status).toBe(202);
    const answer = asked.body as RemovalAnswer;
    expect(answer).toMatchObject({ created: true, removal: { orgId: researcher.orgId, status: 'queued', removed: {}, held: null } });
    expect(answer.removal.work?.state).toBe('pending');
    expect(await evidenceIds(t)).toEqual(before);

    // Asked again while queued: the same removal, nothing new recorded.
    const again = await t.call(researcher, 'POST', '/api/v1/governance/removals', { reason: 'again' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ created: false, removal: { id: answer.removal.id } });
    expect(await auditCount(t, 'governance.org.remove')).toBe(1);

    await t.runtime.jobs.drain();
    const done = await t.call(researcher, 'GET', `/api/v1/governance/removals/${answer.removal.id}`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', held: 1, work: { state: 'done' } });
    expect((done.body as RemovalAnswer['removal']).removed.poc_evidence).toBe(2);
    const after = await evidenceIds(t);
    expect(after).toContain(evidence[0]!.id);
    expect(after).toContain(kept.id);
    expect(after).not.toContain(evidence[1]!.id);
    expect(after).not.toContain(evidence[2]!.id);
    expect(await auditCount(t, 'governance.org.removed')).toBe(1);

    // Completed: a new request is a new removal (what a released hold no longer protects).
    const later = await t.call(researcher, 'POST', '/api/v1/governance/removals', {});
    expect(later.status).toBe(202);
    expect((later.body as RemovalAnswer).created).toBe(true);
    expect((later.body as RemovalAnswer).removal.id).not.toBe(answer.removal.id);
  });

  it("lets only the organisation's admins and coordinator admins read a removal; others are told it does not exist", async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const asked = await t.call(researcher, 'POST', '/api/v1/governance/removals', {});
    const url = `/api/v1/governance/removals/${(asked.body as RemovalAnswer).removal.id}`;
    const readers: [string, TestUser | null, number][] = [
      ['its admin', researcher, 200],
      ['a coordinator admin', t.coordinatorAdmin, 200],
      ['its analyst', await t.user(researcher.orgId, 'analyst'), 404],
      ['a coordinator analyst', await t.user(t.coordinatorAdmin.orgId, 'analyst'), 404],
      ['another admin', await t.org('vendor'), 404],
      ['nobody signed in', null, 401],
    ];
    for (const [who, user, status] of readers) expect((await t.call(user, 'GET', url)).status, who).toBe(status);
    expect((await t.call(researcher, 'GET', '/api/v1/governance/removals/removal_nope')).status).toBe(404);
    // An admin asking for another organisation is refused and records nothing.
    const other = await t.org('vendor');
    expect((await t.call(researcher, 'POST', '/api/v1/governance/removals', { orgId: other.orgId })).status).toBe(403);
    expect((await t.call(researcher, 'POST', '/api/v1/governance/removals', { reason: 'x'.repeat(2001) })).status).toBe(400);
    expect(await auditCount(t, 'governance.org.remove')).toBe(1);
  });

  it('makes one removal of twenty requests at once', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => t.call(researcher, 'POST', '/api/v1/governance/removals', { reason: 'race' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 202));
    const ids = new Set(answers.map((a) => (a.body as RemovalAnswer).removal.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => (a.body as RemovalAnswer).created)).toHaveLength(1);
    expect(await auditCount(t, 'governance.org.remove')).toBe(1);
    const jobs = await t.runtime.db.kysely.selectFrom('platform_job').select('id').where('kind', '=', 'governance.org.remove').execute();
    expect(jobs).toHaveLength(1);
  });
});
