import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ConflictError, InputError, NotFoundError } from '../../../platform/errors.js';
import { campaignInput, networkCampaign } from '../test-support/campaigns.js';
import { addBlackout, addConsent, declareAsset } from './assets.js';
import { advanceCampaigns, requestStop, stopCampaign } from './campaign-lifecycle.js';
import { campaignConflicts, getCampaign, listCampaigns, registerCampaign } from './campaigns.js';

async function refusal(promise: Promise<unknown>): Promise<ConflictError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConflictError);
  return error as ConflictError;
}

describeEachDatabase('scan campaigns', (dialect) => {
  const get = useTestRuntime(dialect);

  async function eventsOf(type: string): Promise<{ subject_id: string; org_id: string | null; payload: unknown }[]> {
    const rows = await get()
      .runtime.db.kysely.selectFrom('platform_event')
      .select(['subject_id', 'org_id', 'payload'])
      .where('type', '=', type)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload as string) as unknown }));
  }

  it('refuses active scanning of an operator’s asset without consent, naming the asset and the rule; accepts it with a standing consent', async () => {
    const { as, org } = get();
    const grid = await org('operator', { sectors: ['energy'] });
    const cisa = await org('agency');
    const asset = await declareAsset(as(grid), {
      name: 'Substation 14 SCADA',
      timeZone: 'America/Chicago',
      targets: ['10.20.0.0/16', '*.scada.grid.example'],
    });
    const refused = await refusal(registerCampaign(as(cisa), networkCampaign(['10.20.4.0/24'])));
    expect(refused.code).toBe('scan-policy-violation');
    expect(refused.extensions['violations']).toEqual([
      {
        rule: 'consent-required',
        target: '10.20.4.0/24',
        assetId: asset.id,
        assetName: 'Substation 14 SCADA',
        operatorOrgId: grid.orgId,
        detail: `active scanning of asset "Substation 14 SCADA" needs its operator's consent: no standing consent for your organisation`,
      },
    ]);
    await addConsent(as(grid), asset.id, {
      scannerOrgId: cisa.orgId,
      techniques: ['network'],
      maxIntensity: { requestsPerSecond: 20, concurrency: 4 },
    });
    const { campaign } = await registerCampaign(as(cisa), networkCampaign(['10.20.4.0/24', 'hmi.scada.grid.example']));
    expect(campaign).toMatchObject({ state: 'active', active: true, operatorOrgIds: [grid.orgId], technique: 'network' });
    // The operator whose asset it touches sees it (and may ask it to stop); nobody unrelated does.
    expect((await getCampaign(as(grid), campaign.id)).name).toBe('External attack surface scan');
    const stranger = await org('agency');
    await expect(getCampaign(as(stranger), campaign.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listCampaigns(as(stranger), {})).items).toEqual([]);
    expect((await eventsOf('scanning.campaign.started')).map((e) => e.subject_id)).toEqual([campaign.id]);
  });

  it('refuses network targets no operator declared, never-actively-scan assets, and names each bad field', async () => {
    const { as, org } = get();
    const water = await org('operator');
    const nsa = await org('agency');
    await declareAsset(as(water), {
      name: 'Pump PLCs',
      timeZone: 'America/New_York',
      targets: ['192.0.2.0/25', '192.0.2.128/25'],
      activeScanning: 'never',
    });
    const undeclared = await refusal(registerCampaign(as(nsa), networkCampaign(['192.0.2.0/23'])));
    expect((undeclared.extensions['violations'] as { rule: string }[]).map((v) => v.rule)).toEqual([
      'undeclared-network-target',
      'never-actively-scan',
    ]);
    // Two adjacent declared halves together hold the /24: only the policy refuses it.
    const fragile = await refusal(registerCampaign(as(nsa), networkCampaign(['192.0.2.0/24'])));
    expect(fragile.extensions['violations']).toMatchObject([{ rule: 'never-actively-scan', assetName: 'Pump PLCs' }]);
    // Reading code touches no live system: no policy applies.
    await expect(registerCampaign(as(nsa), campaignInput({ scope: [{ target: 'https://github.com/curl/curl' }] }))).resolves.toBeDefined();
    const bad = await registerCampaign(
      as(nsa),
      campaignInput({ technique: 'lasers', scope: [{ target: 'pkg:npm/lodash', versions: 'vers:npm/>=2|>=3' }], stopContact: {} }),
    ).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InputError);
    expect((bad as InputError).issues.map((i) => i.pointer)).toEqual(['/technique', '/scope/0/versions', '/stopContact']);
  });

  it('deconflicts two agencies’ overlapping campaigns, telling each as much as the other’s label allows', async () => {
    const { as, org, coordinatorAdmin } = get();
    const nsa = await org('agency');
    const cisa = await org('agency');
    const first = await registerCampaign(
      as(nsa),
      campaignInput({
        name: 'NSA fuzzing',
        technique: 'fuzzing',
        scope: [{ target: 'pkg:npm/lodash', versions: 'vers:npm/>=4.0.0|<5.0.0' }],
      }),
    );
    expect(first.conflicts).toEqual([]);
    const second = await registerCampaign(
      as(cisa),
      campaignInput({
        name: 'CISA fuzzing',
        technique: 'fuzzing',
        scope: [{ target: 'pkg:npm/lodash@4.17.20' }],
        window: { start: '2026-06-05T00:00:00Z', end: '2026-06-20T00:00:00Z' },
        tlp: 'GREEN',
      }),
    );
    // NSA's campaign is AMBER: CISA learns that someone fuzzes this target until then, not who.
    expect(second.conflicts).toEqual([
      {
        reason: 'same-technique',
        technique: 'fuzzing',
        during: { start: '2026-06-05T00:00:00.000Z', end: '2026-06-09T12:00:00.000Z' },
        until: '2026-06-09T12:00:00.000Z',
        targets: [{ ours: 'pkg:npm/lodash@4.17.20', theirs: null, overlap: 'pkg:npm/lodash versions = 4.17.20', approximate: false }],
        campaign: null,
      },
    ]);
    // On demand, NSA sees CISA's GREEN campaign in full; the coordinator sees both.
    const fromNsa = await campaignConflicts(as(nsa), first.campaign.id);
    expect(fromNsa).toMatchObject([
      { campaign: { id: second.campaign.id, orgId: cisa.orgId, name: 'CISA fuzzing' }, targets: [{ theirs: 'pkg:npm/lodash@4.17.20' }] },
    ]);
    expect((await campaignConflicts(as(coordinatorAdmin), second.campaign.id))[0]?.campaign?.id).toBe(first.campaign.id);
    // Each party was told by an event addressed to its organisation, with the same redaction.
    const told = await eventsOf('scanning.campaign.conflicted');
    expect(told.map((e) => [e.subject_id, e.org_id])).toEqual([
      [second.campaign.id, cisa.orgId],
      [first.campaign.id, nsa.orgId],
    ]);
    expect(told[0]?.payload).toMatchObject({ other: null });
    expect(told[1]?.payload).toMatchObject({ other: { campaignId: second.campaign.id, orgId: cisa.orgId } });
    // Different techniques on one package do not conflict; neither do stopped campaigns.
    expect((await registerCampaign(as(cisa), campaignInput({ technique: 'sast' }))).conflicts).toEqual([]);
    await stopCampaign(as(nsa), first.campaign.id, { reason: 'done early' });
    expect(await campaignConflicts(as(cisa), second.campaign.id)).toEqual([]);
  });

  it('refuses a campaign inside a blackout; a new blackout sends running campaigns a stop request', async () => {
    const { as, org, clock } = get();
    const grid = await org('operator', { sectors: ['energy'] });
    const cisa = await org('agency');
    const asset = await declareAsset(as(grid), {
      name: 'EMS front end',
      timeZone: 'America/Chicago',
      targets: ['ems.grid.example'],
      activeScanning: 'allowed',
    });
    await addBlackout(as(grid), asset.id, {
      reason: 'evening peak',
      window: { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '17:00', end: '21:00' },
    });
    // Tuesday 2026-06-02: 22:30Z is 17:30 CDT, inside the peak.
    const peak = await refusal(
      registerCampaign(
        as(cisa),
        networkCampaign(['ems.grid.example'], {
          technique: 'dynamic',
          window: { start: '2026-06-02T22:30:00Z', end: '2026-06-02T23:00:00Z' },
        }),
      ),
    );
    expect(peak.extensions['violations']).toMatchObject([{ rule: 'blackout', assetName: 'EMS front end' }]);
    const morning = await registerCampaign(
      as(cisa),
      networkCampaign(['ems.grid.example'], {
        technique: 'dynamic',
        window: { start: '2026-06-02T14:00:00Z', end: '2026-06-02T16:00:00Z' },
      }),
    );
    expect(morning.campaign.state).toBe('planned');
    clock.set('2026-06-02T14:30:00Z');
    expect(await advanceCampaigns(get().system)).toEqual({ started: 1, completed: 0 });
    const { stopRequests } = await addBlackout(as(grid), asset.id, {
      reason: 'emergency switching',
      window: { kind: 'once', start: '2026-06-02T10:00', end: '2026-06-02T12:00' },
    });
    expect(stopRequests).toMatchObject([{ campaignId: morning.campaign.id, source: 'blackout', assetId: asset.id }]);
    const [event] = await eventsOf('scanning.stop.requested');
    expect(event).toMatchObject({
      org_id: cisa.orgId,
      payload: { campaignId: morning.campaign.id, assetName: 'EMS front end', stopContact: { email: 'soc@scanner.example' } },
    });
    expect((await getCampaign(as(cisa), morning.campaign.id)).stopRequests).toHaveLength(1);
    clock.set('2026-06-02T16:00:00Z');
    expect(await advanceCampaigns(get().system)).toEqual({ started: 0, completed: 1 });
    expect((await getCampaign(as(cisa), morning.campaign.id)).state).toBe('completed');
  });

  it('lets the coordinator and the affected operator ask a campaign to stop, and only its owner stop it', async () => {
    const { as, org, coordinatorAdmin } = get();
    const grid = await org('operator');
    const otherOperator = await org('operator');
    const cisa = await org('agency');
    const asset = await declareAsset(as(grid), {
      name: 'Historian',
      timeZone: 'UTC',
      targets: ['historian.grid.example'],
      activeScanning: 'allowed',
    });
    const { campaign } = await registerCampaign(as(cisa), networkCampaign(['historian.grid.example'], { tlp: 'GREEN' }));
    const byOperator = await requestStop(as(grid), campaign.id, { reason: 'unexpected load on the historian' });
    expect(byOperator).toMatchObject({ source: 'operator', assetId: asset.id, requesterOrgId: grid.orgId });
    await expect(requestStop(as(otherOperator), campaign.id, { reason: 'no' })).rejects.toThrow(
      /touches no asset your organisation declared/,
    );
    expect(await requestStop(as(coordinatorAdmin), campaign.id, { reason: 'coordination' })).toMatchObject({ source: 'coordinator' });
    await expect(stopCampaign(as(grid), campaign.id)).rejects.toThrow(/scanning.campaign.stop/);
    const stopped = await stopCampaign(as(cisa), campaign.id, { reason: 'operator asked' });
    expect(stopped).toMatchObject({ state: 'stopped', stopReason: 'operator asked' });
    expect(stopped.stopRequests.map((s) => s.source)).toEqual(['operator', 'coordinator']);
    await expect(stopCampaign(as(cisa), campaign.id)).rejects.toMatchObject({ code: 'campaign-ended' });
    expect((await eventsOf('scanning.campaign.stopped'))[0]?.payload).toMatchObject({ state: 'stopped', reason: 'operator asked' });
  });
});
