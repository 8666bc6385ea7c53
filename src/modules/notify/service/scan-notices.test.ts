import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { declareAsset, registerCampaign, requestStop, stopCampaign } from '../../scanning/index.js';
import { networkCampaign } from '../../scanning/test-support/campaigns.js';
import { startReceiver, type TestReceiver } from '../test-support/receiver.js';
import { addAllowlistEntry } from './allowlist.js';
import { listInbox } from './inbox.js';
import { notifyScanEvent } from './scan-notices.js';
import { registerWebhook } from './webhooks.js';

type Body = { type: string; data: Record<string, unknown> };

describeEachDatabase('scanning events delivered by notify', (dialect) => {
  const get = useTestRuntime(dialect);
  let receiver: TestReceiver | undefined;
  afterEach(async () => receiver?.close());

  it('a stop request reaches the scanning organisation’s inbox and webhook at once, with its stop contact; once per event', async () => {
    const t = get();
    const grid = await t.org('operator');
    const bystander = await t.org('operator');
    const cisa = await t.org('agency');
    const asset = await declareAsset(t.as(grid), {
      name: 'Historian',
      timeZone: 'UTC',
      targets: ['historian.grid.example'],
      activeScanning: 'allowed',
    });
    receiver = await startReceiver();
    const rcv = receiver;
    rcv.now = () => t.clock.now().getTime();
    await addAllowlistEntry(t.as(t.coordinatorAdmin), { cidr: '127.0.0.1/32' });
    const hook = await registerWebhook(t.as(cisa), { url: `${rcv.url}/cisa`, events: ['scan.*'] });
    rcv.secrets.push(hook.secret);

    // AMBER: the scanner and the operators it touches (recipients) read it; a bystander operator does not.
    const { campaign } = await registerCampaign(
      t.as(cisa),
      networkCampaign(['historian.grid.example'], { tlp: 'AMBER', stopContact: { name: 'CISA VM desk', phone: '+1-888-282-0870' } }),
    );
    await t.runtime.jobs.drain();
    await requestStop(t.as(grid), campaign.id, { reason: 'unexpected load on the historian' });
    await t.runtime.jobs.drain();

    const stops = await listInbox(t.as(cisa), { type: 'scan.stop_requested' }, {});
    expect(stops.items).toHaveLength(1);
    const stop = stops.items[0]?.data as Record<string, unknown>;
    expect(stop).toMatchObject({
      campaign: { id: campaign.id, name: 'External attack surface scan' },
      stopRequest: { source: 'operator', requesterOrgId: grid.orgId, asset: { id: asset.id } },
      stopContact: { name: 'CISA VM desk', phone: '+1-888-282-0870' },
    });
    expect(stops.items[0]?.title).toContain('unexpected load on the historian');
    // The webhook got it at once, signed (verified by the receiver's own implementation of the scheme).
    const sent = rcv.received.map((r) => JSON.parse(r.body) as Body);
    const stopSent = sent.filter((b) => b.type === 'scan.stop_requested');
    expect(stopSent).toHaveLength(1);
    expect(stopSent[0]?.data).toMatchObject({ stopContact: { phone: '+1-888-282-0870' }, campaign: { id: campaign.id } });
    expect(rcv.received.every((r) => r.verified)).toBe(true);
    // The requesting operator and a bystander get no stop request; the operator hears of the campaign it touches.
    expect((await listInbox(t.as(grid), { type: 'scan.stop_requested' }, {})).items).toEqual([]);
    expect((await listInbox(t.as(grid), { type: 'scan.campaign.registered' }, {})).items).toHaveLength(1);
    expect((await listInbox(t.as(bystander), {}, {})).items).toEqual([]);

    // The same event again (delivered at least once) tells nobody twice.
    const requested = (await eventsAbout(t.runtime.db.kysely, campaign.id)).find((e) => e.type === 'scanning.stop.requested');
    expect(requested).toBeDefined();
    if (requested !== undefined) expect((await notifyScanEvent(t.system, requested)).notifications).toBe(0);
    expect((await listInbox(t.as(cisa), { type: 'scan.stop_requested' }, {})).items).toHaveLength(1);

    // The scanner stops: both the scanner and the operator are told the campaign ended.
    await stopCampaign(t.as(cisa), campaign.id, { reason: 'operator asked' });
    await t.runtime.jobs.drain();
    for (const who of [cisa, grid]) {
      const ended = await listInbox(t.as(who), { type: 'scan.campaign.stopped' }, {});
      expect(ended.items.map((n) => (n.data as { state: string; reason: string }).reason)).toEqual(['operator asked']);
    }
    expect((await listInbox(t.as(bystander), {}, {})).items).toEqual([]);
  }, 120_000);
});
