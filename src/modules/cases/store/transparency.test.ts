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

  it('counts from a case’s opening to its first vendor told and to the first statement that says fixed', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const coordinator = t.as(t.coordinatorAdmin);
    // Three cases opened on 2 June; their vendors are told after 1, 3 and 5 days.
    const cases = [];
    for (const [n, purl] of ['pkg:npm/a@1.0.0', 'pkg:npm/b@1.0.0', 'pkg:npm/c@1.0.0'].entries()) {
      const clusterId = await acceptedCluster(t, researcher, { purl, aliases: [`CVE-2026-${4000 + n}`] });
      cases.push({ clusterId, opened: await openCase(coordinator, { clusterIds: [clusterId] }), vendor: await t.org('vendor') });
    }
    const [a, b, c] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    t.clock.advance(DAY);
    await addParticipant(coordinator, a.opened.id, { orgId: a.vendor.orgId });
    t.clock.advance(2 * DAY);
    await addParticipant(coordinator, b.opened.id, { orgId: b.vendor.orgId });
    // Day 3: a's vendor says affected; the same statement says fixed on day 10 and is revised on day 12.
    await setStatement(t.as(a.vendor), a.opened.id, { clusterId: a.clusterId, status: 'affected', product: PRODUCT });
    t.clock.advance(2 * DAY);
    await addParticipant(coordinator, c.opened.id, { orgId: c.vendor.orgId });
    // Day 5: c's vendor says fixed at once.
    const fixed = { status: 'fixed', product: PRODUCT, fixedVersions: ['2.4.1'], fixUrl: 'https://acme.example/2.4.1' };
    await setStatement(t.as(c.vendor), c.opened.id, { clusterId: c.clusterId, ...fixed });
    t.clock.advance(5 * DAY);
    await setStatement(t.as(a.vendor), a.opened.id, { clusterId: a.clusterId, ...fixed });
    t.clock.advance(2 * DAY);
    await setStatement(t.as(a.vendor), a.opened.id, { clusterId: a.clusterId, ...fixed, fixedVersions: ['2.4.1', '2.3.9'] });

    const figures = async (key: string) =>
      casesTransparencyFacts.find((f) => f.key === key)!.monthly(t.runtime.db.kysely, { from: '2026-06', to: '2026-06' });
    // Told after 1, 3 and 5 days: the median is 3.
    expect(await figures('medianDaysToVendorNotification')).toEqual([{ month: '2026-06', value: 3, n: 3 }]);
    // Fixed after 10 days (a: when its statement first said fixed, not when it was first written or last
    // revised) and after 5 (c); b has no fix: the median of 5 and 10 is 7.5, from 2 cases.
    expect(await figures('medianDaysToFix')).toEqual([{ month: '2026-06', value: 7.5, n: 2 }]);
  });
});
