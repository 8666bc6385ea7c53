import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { publishedFigure } from '../../governance/test-support/published-figures.js';
import { declareAsset } from '../service/assets.js';
import { stopCampaign } from '../service/campaign-lifecycle.js';
import { registerCampaign } from '../service/campaigns.js';
import { networkCampaign } from '../test-support/campaigns.js';
import { scanningTransparencyFacts } from './transparency.js';

const fact = scanningTransparencyFacts.find((f) => f.key === 'scanCoverage')!;

async function host(t: TestRuntime, operator: TestUser, name: string): Promise<void> {
  await declareAsset(t.as(operator), { name, timeZone: 'UTC', targets: [`${name}.grid.example`], activeScanning: 'allowed' });
}

async function campaign(t: TestRuntime, scanner: TestUser, hosts: string[], start: string, end: string): Promise<string> {
  const input = networkCampaign(
    hosts.map((h) => `${h}.grid.example`),
    { window: { start, end } },
  );
  return (await registerCampaign(t.as(scanner), input)).campaign.id;
}

describeEachDatabase('what scanning lends the transparency report', (dialect) => {
  const get = useTestRuntime(dialect);

  it('counts the registered assets a campaign scanned during the month, and not those of a campaign withdrawn before it ran', async () => {
    const t = get();
    const grid = await t.org('operator', { sectors: ['energy'] });
    const cisa = await t.org('agency');
    // 2 June: two assets; a campaign scans a from 3 to 10 June.
    await host(t, grid, 'a');
    await host(t, grid, 'b');
    await campaign(t, cisa, ['a'], '2026-06-03T00:00:00Z', '2026-06-10T00:00:00Z');
    // 1 July: two more assets. b and c are scanned from 2 to 9 July; a from 10 July until it is stopped on the
    // 12th (it ran: it counts); d's campaign, due 20 to 25 July, is withdrawn on 3 July before it opens.
    t.clock.set('2026-07-01T12:00:00.000Z');
    await host(t, grid, 'c');
    await host(t, grid, 'd');
    await campaign(t, cisa, ['b', 'c'], '2026-07-02T00:00:00Z', '2026-07-09T00:00:00Z');
    const stopped = await campaign(t, cisa, ['a'], '2026-07-10T00:00:00Z', '2026-07-15T00:00:00Z');
    const withdrawn = await campaign(t, cisa, ['d'], '2026-07-20T00:00:00Z', '2026-07-25T00:00:00Z');
    t.clock.set('2026-07-03T00:00:00.000Z');
    await stopCampaign(t.as(cisa), withdrawn, { reason: 'called off' });
    t.clock.set('2026-07-12T00:00:00.000Z');
    await stopCampaign(t.as(cisa), stopped, { reason: 'done early' });
    // b's campaign into August is stopped on 31 July: it touched no day of August.
    await campaign(t, cisa, ['b'], '2026-07-30T00:00:00Z', '2026-08-05T00:00:00Z').then(async (id) => {
      t.clock.set('2026-07-31T00:00:00.000Z');
      await stopCampaign(t.as(cisa), id);
    });

    const range = { from: '2026-05', to: '2026-08' };
    // May: nothing registered. June: a of a and b. July: a, b and c of four (not d). August: none of four.
    expect(await fact.monthly(t.runtime.db.kysely, range)).toEqual([
      { month: '2026-06', value: 1 / 2, n: 2 },
      { month: '2026-07', value: 3 / 4, n: 4 },
      { month: '2026-08', value: 0, n: 4 },
    ]);
    // Published: June stands on two assets and is withheld.
    expect(await publishedFigure(fact, t.runtime.db.kysely, range)).toEqual([
      { month: '2026-05', value: null, withheld: false },
      { month: '2026-06', value: null, withheld: true },
      { month: '2026-07', value: 0.75, withheld: false },
      { month: '2026-08', value: 0, withheld: false },
    ]);
  });
});
