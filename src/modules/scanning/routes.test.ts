import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { campaignInput } from './test-support/campaigns.js';

describeEachDatabase('scanning routes', (dialect) => {
  const get = useTestServer(dialect);

  it('answer a held lease with 409 problem+json naming the expiry and next free time, and the holder only to who may see it', async () => {
    const t = get();
    const nsa = await t.org('agency', { name: 'NSA test' });
    const cisa = await t.org('agency');
    const claim = { target: 'pkg:npm/lodash', technique: 'fuzzing', seconds: 600 };
    const won = await t.call(nsa, 'POST', '/api/v1/scanning/leases', claim);
    expect(won.status).toBe(201);
    expect(won.body).toMatchObject({ id: expect.stringMatching(/^lse_/), expiresAt: '2026-06-02T12:10:00.000Z' });
    const lost = await t.call(cisa, 'POST', '/api/v1/scanning/leases', claim);
    expect(lost.status).toBe(409);
    expect(String(lost.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(lost.body).toMatchObject({
      code: 'lease-held',
      holder: { orgId: null, orgName: null },
      expiresAt: '2026-06-02T12:10:00.000Z',
      nextFreeAt: '2026-06-02T12:10:00.000Z',
    });
    const seen = await t.call(t.coordinatorAdmin, 'POST', '/api/v1/scanning/leases', claim);
    expect(seen.body).toMatchObject({ holder: { orgId: nsa.orgId, orgName: 'NSA test' } });
    const status = await t.call(cisa, 'GET', '/api/v1/scanning/targets/status?target=pkg:npm/lodash@4.17.21');
    expect(status.body).toMatchObject({
      key: 'pkg:npm/lodash',
      leases: [{ technique: 'fuzzing', leaseId: null, holder: { orgId: null } }],
    });
    const bad = await t.call(cisa, 'POST', '/api/v1/scanning/leases', { ...claim, seconds: 1 });
    expect(bad.status).toBe(400);
    expect(bad.problem.errors?.[0]?.pointer).toBe('/body/seconds');
  });

  it('register campaigns with their conflicts, list, stop them, and refuse a bad campaign naming the field', async () => {
    const t = get();
    const nsa = await t.org('agency');
    const cisa = await t.org('agency');
    const first = await t.call(nsa, 'POST', '/api/v1/scanning/campaigns', campaignInput({ tlp: 'GREEN' }));
    expect(first.status).toBe(201);
    const second = await t.call(
      cisa,
      'POST',
      '/api/v1/scanning/campaigns',
      campaignInput({ scope: [{ target: 'pkg:npm/lodash', versions: 'vers:npm/>=4.0.0' }] }),
    );
    expect(second.status).toBe(201);
    const { campaign, conflicts } = second.body as { campaign: { id: string }; conflicts: { campaign: { orgId: string } | null }[] };
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.campaign?.orgId).toBe(nsa.orgId);
    const mine = await t.call(cisa, 'GET', '/api/v1/scanning/campaigns?state=active');
    expect((mine.body as { items: unknown[] }).items).toHaveLength(2);
    const stopped = await t.call(cisa, 'POST', `/api/v1/scanning/campaigns/${campaign.id}/stop`, { reason: 'done early' });
    expect(stopped.body).toMatchObject({ state: 'stopped', stopReason: 'done early' });
    expect((await t.call(nsa, 'GET', `/api/v1/scanning/campaigns/${campaign.id}`)).status).toBe(404);
    const bad = await t.call(nsa, 'POST', '/api/v1/scanning/campaigns', campaignInput({ scope: [{ target: 'nonsense target!' }] }));
    expect(bad.status).toBe(400);
    expect(bad.problem.errors?.map((e) => e.pointer)).toEqual(['/scope/0/target']);
  });
});
