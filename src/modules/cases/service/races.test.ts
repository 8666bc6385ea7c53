import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { acceptedCluster } from '../test-support/cases.js';
import { caseWithVendors } from '../test-support/scene.js';
import { openCase } from './cases.js';
import { addParticipant } from './participants.js';
import { setStatement } from './statements.js';

const settled = async <T>(work: Promise<T>[]) => Promise.allSettled(work);

describeEachDatabase('cases under concurrency', (dialect) => {
  const get = useTestRuntime(dialect);

  it('number cases opened at once without gaps or duplicates, and open a cluster in one case only', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const clusters = [];
    for (let i = 0; i < 8; i += 1) clusters.push(await acceptedCluster(t, researcher));
    const coordinator = t.as(t.coordinatorAdmin);
    const opened = await Promise.all(clusters.map((id) => openCase(coordinator, { clusterIds: [id] })));
    expect(opened.map((c) => c.number).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `CH-2026-${String(i + 1).padStart(4, '0')}`));

    const contested = await acceptedCluster(t, researcher);
    const results = await settled(Array.from({ length: 6 }, () => openCase(coordinator, { clusterIds: [contested] })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    // Every loser answers as the sequential path does: the cluster is in that case (409), never a 500.
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'cluster-in-case', extensions: { caseNumber: 'CH-2026-0009' } });
  });

  it('add the same participant and store the same statement once when asked at once', async () => {
    const t = get();
    const { vendors, opened, clusterId } = await caseWithVendors(t, 1);
    const late = await t.org('vendor');
    const added = await settled(
      Array.from({ length: 5 }, () => addParticipant(t.as(t.coordinatorAdmin), opened.id, { orgId: late.orgId })),
    );
    expect(added.every((r) => r.status === 'fulfilled')).toBe(true);
    const statement = { clusterId, status: 'affected', product: { purl: 'pkg:npm/%40acme/widget@2.4.0' }, actionStatement: 'Upgrade.' };
    const stored = await settled(Array.from({ length: 5 }, () => setStatement(t.as(vendors[0]!), opened.id, statement)));
    const ids = stored.map((r) => (r.status === 'fulfilled' ? `${r.value.id}@${r.value.version}` : String(r.reason)));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^stm_.+@1$/);
  });
});
