import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { DAY, HOUR } from '../../platform/clock.js';
import { ADVISORY, notified } from './test-support/remediation-scene.js';

const share = (patched: number, of: number) => ({ patched, patchedShare: patched / of });

describeEachDatabase('remediation curves per advisory and sector', (dialect) => {
  const get = useTestServer(dialect);

  it('counts, day by day since notification, the assets first reported patched, overall and per sector', async () => {
    const t = get();
    // 2 June 12:00: pumps and scada (water) and grid (energy) notified.
    const { water, energy } = await notified(t);
    const assetOf = async (who: TestUser, name: string) => {
      const items = (await t.call(who, 'GET', '/api/v1/remediation')).body as { items: { assetId: string; assetName: string }[] };
      return items.items.find((i) => i.assetName === name)?.assetId as string;
    };
    const patch = async (who: TestUser, asset: string, status = 'patched') => {
      const answer = await t.call(who, 'POST', '/api/v1/remediation', {
        advisoryId: ADVISORY,
        status,
        assetIds: [await assetOf(who, asset)],
      });
      expect(answer.status).toBe(200);
    };
    // 3 June 18:00 (1 day 6 h): scada patched; pumps only acknowledged.
    t.clock.advance(DAY + 6 * HOUR);
    await patch(water, 'scada');
    await patch(water, 'pumps', 'acknowledged');
    // 5 June 18:00 (3 days 6 h): grid patched.
    t.clock.advance(2 * DAY);
    await patch(energy, 'grid');
    // 7 June 13:00: 5 whole days since the notification.
    t.clock.advance(DAY + 19 * HOUR);

    const answer = await t.call(t.coordinatorAdmin, 'GET', `/api/v1/remediation/advisories/${ADVISORY}/curves`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      advisoryId: ADVISORY,
      horizon: 5,
      overall: {
        assets: 3,
        points: [0, 1, 1, 2, 2, 2].map((n, day) => ({ day, ...share(n, 3) })),
      },
      bySector: [
        { sector: 'energy', assets: 1, points: [0, 0, 0, 1, 1, 1].map((n, day) => ({ day, ...share(n, 1) })) },
        { sector: 'water', assets: 2, points: [0, 1, 1, 1, 1, 1].map((n, day) => ({ day, ...share(n, 2) })) },
      ],
    });

    // The oversight is the coordinators': operators are refused, an advisory nobody was told of is not found.
    expect((await t.call(water, 'GET', `/api/v1/remediation/advisories/${ADVISORY}/curves`)).status).toBe(403);
    expect((await t.call(t.coordinatorAdmin, 'GET', '/api/v1/remediation/advisories/PYSEC-2026-0/curves')).status).toBe(404);
  });
});
