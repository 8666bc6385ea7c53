import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ConflictError, NotFoundError, type InputError } from '../../../platform/errors.js';
import { networkCampaign } from '../test-support/campaigns.js';
import { addBlackout, declareAsset } from './assets.js';
import { stopCampaign } from './campaign-lifecycle.js';
import { registerCampaign } from './campaigns.js';
import { claimLease, releaseLease, renewLease } from './leases.js';

async function conflict(promise: Promise<unknown>): Promise<ConflictError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConflictError);
  return error as ConflictError;
}

describeEachDatabase('scan leases', (dialect) => {
  const get = useTestRuntime(dialect);

  it('give one party a target for a technique until it expires, renews or releases it', async () => {
    const { as, org, clock, coordinatorAdmin } = get();
    const nsa = await org('agency', { name: 'NSA test' });
    const cisa = await org('agency');
    const lease = await claimLease(as(nsa), { target: 'pkg:npm/lodash@4.17.20', technique: 'fuzzing', seconds: 600 });
    expect(lease).toMatchObject({ key: 'pkg:npm/lodash', technique: 'fuzzing', expiresAt: '2026-06-02T12:10:00.000Z' });
    // Held: the other party learns the expiry and the next free time, not who (no campaign it may see).
    const held = await conflict(claimLease(as(cisa), { target: 'pkg:npm/lodash', technique: 'fuzzing', seconds: 60 }));
    expect(held.code).toBe('lease-held');
    expect(held.extensions).toMatchObject({
      holder: { orgId: null, orgName: null },
      expiresAt: '2026-06-02T12:10:00.000Z',
      nextFreeAt: '2026-06-02T12:10:00.000Z',
    });
    const forCoordinator = await conflict(
      claimLease(as(coordinatorAdmin), { target: 'pkg:npm/lodash', technique: 'fuzzing', seconds: 60 }),
    );
    expect(forCoordinator.extensions['holder']).toMatchObject({ orgId: nsa.orgId, orgName: 'NSA test' });
    // Another technique on the same target is another slot.
    await expect(claimLease(as(cisa), { target: 'pkg:npm/lodash', technique: 'sast', seconds: 60 })).resolves.toBeDefined();
    const renewed = await renewLease(as(nsa), lease.id, { seconds: 1200 });
    expect(renewed.expiresAt).toBe('2026-06-02T12:20:00.000Z');
    await expect(renewLease(as(cisa), lease.id, { seconds: 60 })).rejects.toBeInstanceOf(NotFoundError);
    clock.advance(20 * 60 * 1000);
    // Expired on its own: the other party takes the target; the old holder cannot renew.
    const taken = await claimLease(as(cisa), { target: 'pkg:npm/lodash', technique: 'fuzzing', seconds: 60 });
    expect(taken.orgId).toBe(cisa.orgId);
    await expect(renewLease(as(nsa), lease.id, { seconds: 60 })).rejects.toBeInstanceOf(NotFoundError);
    await releaseLease(as(cisa), taken.id);
    await expect(releaseLease(as(cisa), taken.id)).rejects.toMatchObject({ code: 'lease-ended' });
    await expect(claimLease(as(nsa), { target: 'pkg:npm/lodash', technique: 'fuzzing', seconds: 60 })).resolves.toBeDefined();
    const bad = await claimLease(as(nsa), { target: 'not a target!', technique: 'x', seconds: 5 }).catch((e: unknown) => e);
    expect((bad as InputError).issues.map((i) => i.pointer)).toEqual(['/target', '/technique', '/seconds']);
  });

  it('on networks: only under an active campaign covering the target, never two on nested blocks, never in a blackout', async () => {
    const { as, org, clock } = get();
    const grid = await org('operator');
    const nsa = await org('agency');
    const cisa = await org('agency');
    const asset = await declareAsset(as(grid), {
      name: 'Control centre',
      timeZone: 'America/Chicago',
      targets: ['10.30.0.0/16'],
      activeScanning: 'allowed',
    });
    const a = await registerCampaign(as(nsa), networkCampaign(['10.30.0.0/20'], { tlp: 'GREEN' }));
    const b = await registerCampaign(as(cisa), networkCampaign(['10.30.0.0/16']));
    const missing = await claimLease(as(nsa), { target: '10.30.1.0/24', technique: 'network', seconds: 600 }).catch((e: unknown) => e);
    expect((missing as InputError).issues).toEqual([
      { pointer: '/campaignId', detail: expect.stringContaining('is required for a network target') },
    ]);
    await expect(
      claimLease(as(nsa), { target: '10.30.64.0/24', technique: 'network', seconds: 600, campaignId: a.campaign.id }),
    ).rejects.toMatchObject({
      code: 'campaign-does-not-cover',
    });
    await expect(
      claimLease(as(cisa), { target: '10.30.1.0/24', technique: 'network', seconds: 600, campaignId: a.campaign.id }),
    ).rejects.toMatchObject({
      code: 'campaign-does-not-cover',
    });
    const lease = await claimLease(as(nsa), { target: '10.30.1.0/24', technique: 'network', seconds: 600, campaignId: a.campaign.id });
    // The /16 holds the leased /24: refused, naming the holder (CISA may see NSA's GREEN campaign).
    const nested = await conflict(
      claimLease(as(cisa), { target: '10.30.0.0/16', technique: 'network', seconds: 60, campaignId: b.campaign.id }),
    );
    expect(nested.extensions).toMatchObject({ holder: { orgId: nsa.orgId, campaignId: a.campaign.id }, target: '10.30.1.0/24' });
    // Adjacent blocks are free.
    await expect(
      claimLease(as(cisa), { target: '10.30.2.0/24', technique: 'network', seconds: 60, campaignId: b.campaign.id }),
    ).resolves.toBeDefined();
    // Stopping the campaign releases its leases.
    await stopCampaign(as(nsa), a.campaign.id);
    await expect(renewLease(as(nsa), lease.id, { seconds: 60 })).rejects.toMatchObject({ code: 'lease-ended' });
    // A blackout in force refuses the claim and says when the target is next free.
    await addBlackout(as(grid), asset.id, { reason: 'switching', window: { kind: 'weekly', days: ['tue'], start: '07:00', end: '09:00' } });
    const blacked = await conflict(
      claimLease(as(cisa), { target: '10.30.9.0/24', technique: 'network', seconds: 60, campaignId: b.campaign.id }),
    );
    expect(blacked.code).toBe('blackout');
    expect(blacked.extensions).toMatchObject({
      assetName: 'Control centre',
      until: '2026-06-02T14:00:00.000Z',
      nextFreeAt: '2026-06-02T14:00:00.000Z',
    });
    clock.set('2026-06-02T14:00:00Z');
    await expect(
      claimLease(as(cisa), { target: '10.30.9.0/24', technique: 'network', seconds: 60, campaignId: b.campaign.id }),
    ).resolves.toBeDefined();
  });

  it('grant a slot to exactly one of many simultaneous claims', async () => {
    const { as, org } = get();
    const parties = await Promise.all([org('agency'), org('agency'), org('researcher'), org('model_developer')]);
    const claims = Array.from({ length: 40 }, (_, i) =>
      claimLease(as(parties[i % parties.length]!), { target: `pkg:pypi/target-${i % 5}`, technique: 'sast', seconds: 300 }).then(
        () => 'granted',
        (e: unknown) => (e instanceof ConflictError && e.code === 'lease-held' ? 'held' : `error: ${String(e)}`),
      ),
    );
    const outcomes = await Promise.all(claims);
    expect(outcomes.filter((o) => o === 'granted')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'held')).toHaveLength(35);
  });
});
