import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { openCase } from '../service/cases.js';
import { addParticipant } from '../service/participants.js';
import { setStatement } from '../service/statements.js';
import { acceptedCluster } from '../test-support/cases.js';
import { casesTransparencyFacts } from './transparency.js';

const DAY = 86_400_000;
const PRODUCT = { purl: 'pkg:npm/%40acme/widget@2.4.0' };

describeEachDatabase('what cases lends the transparency report', (dialect) => {
  const get = useTestRuntime(dialect);

  it('counts from the earliest report behind a case to its first vendor told and to the first statement that says fixed', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const coordinator = t.as(t.coordinatorAdmin);
    // Day 0 (2 June): the reports behind a's and b's clusters and one of c's (C1); day 1: c's other (C2).
    const [clusterA, clusterB, clusterC1] = [
      await acceptedCluster(t, researcher, { purl: 'pkg:npm/a@1.0.0', aliases: ['CVE-2026-4000'] }),
      await acceptedCluster(t, researcher, { purl: 'pkg:npm/b@1.0.0', aliases: ['CVE-2026-4001'] }),
      await acceptedCluster(t, researcher, { purl: 'pkg:npm/c@1.0.0', aliases: ['CVE-2026-4002'] }),
    ];
    t.clock.advance(DAY);
    const clusterC2 = await acceptedCluster(t, researcher, { purl: 'pkg:npm/c2@1.0.0', aliases: ['CVE-2026-4003'] });
    // Day 2: the three cases are opened, c listing C2 first; their vendors are told on days 3, 5 and 7.
    t.clock.advance(DAY);
    const cases = [];
    for (const clusterIds of [[clusterA!], [clusterB!], [clusterC2, clusterC1!]])
      cases.push({ clusterId: clusterIds.at(-1)!, opened: await openCase(coordinator, { clusterIds }), vendor: await t.org('vendor') });
    const [a, b, c] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    t.clock.advance(DAY);
    await addParticipant(coordinator, a.opened.id, { orgId: a.vendor.orgId });
    t.clock.advance(2 * DAY);
    await addParticipant(coordinator, b.opened.id, { orgId: b.vendor.orgId });
    // Day 5: a's vendor says affected; the same statement says fixed on day 12 and is revised on day 14.
    await setStatement(t.as(a.vendor), a.opened.id, { clusterId: a.clusterId, status: 'affected', product: PRODUCT });
    t.clock.advance(2 * DAY);
    await addParticipant(coordinator, c.opened.id, { orgId: c.vendor.orgId });
    // Day 7: c's vendor says fixed at once.
    const fixed = { status: 'fixed', product: PRODUCT, fixedVersions: ['2.4.1'], fixUrl: 'https://acme.example/2.4.1' };
    await setStatement(t.as(c.vendor), c.opened.id, { clusterId: c.clusterId, ...fixed });
    t.clock.advance(5 * DAY);
    await setStatement(t.as(a.vendor), a.opened.id, { clusterId: a.clusterId, ...fixed });
    t.clock.advance(2 * DAY);
    await setStatement(t.as(a.vendor), a.opened.id, { clusterId: a.clusterId, ...fixed, fixedVersions: ['2.4.1', '2.3.9'] });

    const figures = async (key: string) =>
      casesTransparencyFacts.find((f) => f.key === key)!.monthly(t.runtime.db.kysely, { from: '2026-06', to: '2026-06' });
    // Told on days 3, 5 and 7, every case's earliest report from day 0 (c's is C1's, though it lists C2 first):
    // 3, 5 and 7 days, the median is 5 (from the openings it would be 3).
    expect(await figures('medianDaysToVendorNotification')).toEqual([{ month: '2026-06', value: 5, n: 3 }]);
    // Fixed on day 12 (a: when its statement first said fixed, not when it was first written or last revised)
    // and on day 7 (c); b has no fix: the median of 12 and 7 is 9.5, from 2 cases (from the openings 7.5,
    // from c's first-listed cluster 9).
    expect(await figures('medianDaysToFix')).toEqual([{ month: '2026-06', value: 9.5, n: 2 }]);
  });
});
