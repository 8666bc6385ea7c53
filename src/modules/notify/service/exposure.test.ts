import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { importKevCatalog } from '../../scoring/index.js';
import { kevCatalogJson } from '../../scoring/test-support/feeds.js';
import { cycloneDx, osvRecord, pypi } from '../../inventory/test-support/fixtures.js';
import { auditActionsOf } from '../test-support/audit.js';
import { DAY } from '../../../platform/clock.js';
import { listInbox } from './inbox.js';
import { listRemediation, reportRemediation } from './remediation.js';
import { planNotices, planNoticesAmong, type NamedTargetingRequest, type PlannedNotices } from './targeting.js';

/** What a planned page would write, with a fixed notification id in place of a new one. */
function written(page: PlannedNotices) {
  return {
    ...page,
    drafts: page.drafts.map(({ build, ...draft }) => ({ ...draft, built: build('ntf_planned') })),
  };
}

describeEachDatabase('notify.exposure: the exposure changes of one upload, handled together', (dialect) => {
  const get = useTestRuntime(dialect);

  it('tells the operator of each advisory its upload matches, and clears only the one a later upload patches', async () => {
    const rt = get();
    // Two advisories of one package: 4.2.2 fixes the first, 5.0.0 the second.
    await upsertAdvisory(rt.system, osvRecord('PYSEC-2026-71', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }]), {
      source: 'osv-import',
      tlp: 'GREEN',
    });
    await upsertAdvisory(rt.system, osvRecord('PYSEC-2026-72', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '5.0.0' }]), {
      source: 'osv-import',
      tlp: 'GREEN',
    });
    await rt.runtime.jobs.drain();
    const operator = await rt.org('operator', { sectors: ['energy'] });
    const other = await rt.org('operator', { sectors: ['water'] });
    await uploadSbom(rt.as(operator), { asset: { name: 'grid' }, bytes: Buffer.from(cycloneDx([pypi('django', '4.2.0')])) });
    await rt.runtime.jobs.drain();
    const matched = (await listInbox(rt.as(operator), { type: 'advisory.matched' }, {})).items;
    expect(matched.map((n) => n.subjectId).sort()).toEqual(['PYSEC-2026-71', 'PYSEC-2026-72']);
    expect((await listInbox(rt.as(other), {}, {})).items).toEqual([]);
    // One audit line per advisory, as if each had been told on its own.
    for (const advisory of ['PYSEC-2026-71', 'PYSEC-2026-72'])
      expect((await auditActionsOf(rt.runtime.db, advisory)).filter((a) => a === 'notify.notification.create')).toHaveLength(1);

    await uploadSbom(rt.as(operator), { asset: { name: 'grid' }, bytes: Buffer.from(cycloneDx([pypi('django', '4.2.2')])) });
    await rt.runtime.jobs.drain();
    const items = (await listRemediation(rt.as(operator), { open: false }, {})).items;
    expect(items.map((i) => [i.advisoryId, i.status]).sort()).toEqual([
      ['PYSEC-2026-71', 'patched'],
      ['PYSEC-2026-72', 'notified'],
    ]);
    const cleared = (await listInbox(rt.as(operator), { type: 'advisory.cleared' }, {})).items;
    expect(cleared.map((n) => n.subjectId)).toEqual(['PYSEC-2026-71']);

    // Another operator's upload that patches both at once (one acknowledged a day before): each item closed,
    // the acknowledged one keeping when it was, each advisory cleared once.
    await uploadSbom(rt.as(other), { asset: { name: 'pumps' }, bytes: Buffer.from(cycloneDx([pypi('django', '4.2.0')])) });
    await rt.runtime.jobs.drain();
    const acknowledged = await reportRemediation(rt.as(other), { advisoryId: 'PYSEC-2026-71', status: 'acknowledged' });
    rt.clock.advance(DAY);
    await uploadSbom(rt.as(other), { asset: { name: 'pumps' }, bytes: Buffer.from(cycloneDx([pypi('django', '5.0.0')])) });
    await rt.runtime.jobs.drain();
    const closed = (await listRemediation(rt.as(other), { open: false }, {})).items;
    expect(closed.map((i) => [i.advisoryId, i.status, i.acknowledgedAt]).sort()).toEqual([
      ['PYSEC-2026-71', 'patched', acknowledged[0]?.acknowledgedAt],
      ['PYSEC-2026-72', 'patched', rt.clock.now().toISOString()],
    ]);
    const told = (await listInbox(rt.as(other), { type: 'advisory.cleared' }, {})).items;
    expect(told.map((n) => n.subjectId).sort()).toEqual(['PYSEC-2026-71', 'PYSEC-2026-72']);
  });

  it('plans the notices of many changes read together exactly as it plans each change alone', async () => {
    const rt = get();
    const a = await rt.org('operator', { sectors: ['energy'] });
    const b = await rt.org('operator', { sectors: ['water'] });
    const c = await rt.org('operator', { sectors: ['water'] });
    const bytes = (...components: ReturnType<typeof pypi>[]) => Buffer.from(cycloneDx(components));
    await uploadSbom(rt.as(a), { asset: { name: 'grid' }, bytes: bytes(pypi('django', '4.2.0'), pypi('flask', '2.0.0')) });
    await uploadSbom(rt.as(b), { asset: { name: 'pumps' }, bytes: bytes(pypi('django', '4.2.0'), pypi('flask', '2.0.0')) });
    await uploadSbom(rt.as(c), { asset: { name: 'valves' }, bytes: bytes(pypi('flask', '1.0.0')) });
    const django = osvRecord('PYSEC-2026-81', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], {
      aliases: ['CVE-2026-8181'],
    });
    await upsertAdvisory(rt.system, django, { source: 'osv-import', tlp: 'GREEN' });
    // Readable by its owner alone among the operators.
    const flask = osvRecord('PYSEC-2026-82', 'PyPI', 'flask', [{ introduced: '0' }, { fixed: '2.1.0' }]);
    await upsertAdvisory(rt.system, flask, { source: 'osv-import', tlp: 'AMBER', ownerOrgId: a.orgId });
    await rt.runtime.jobs.drain();

    // Each change names other operators than the others, which also match the other advisories.
    const request = (advisoryId: string, orgIds: string[], n: number): NamedTargetingRequest => ({
      type: 'advisory.matched',
      advisoryId,
      orgIds: orgIds.sort(),
      dedupScope: 'exposure',
      sourceEventId: `evt_${n}`,
    });
    const requests = [
      request('PYSEC-2026-81', [b.orgId], 1),
      request('PYSEC-2026-82', [a.orgId, b.orgId, c.orgId], 2),
      request('PYSEC-2026-99', [a.orgId], 3),
      request('PYSEC-2026-81', [a.orgId, c.orgId], 4),
    ];
    const deps = { publicUrl: 'https://clearinghouse.example' };
    const alone = { matchedOperators: 0, entitledOperators: 0 };
    const eachAlone = [];
    for (const r of requests) for await (const page of planNotices(rt.system, deps, r, alone)) eachAlone.push(written(page));
    const together = { matchedOperators: 0, entitledOperators: 0 };
    const allTogether = [];
    for await (const page of planNoticesAmong(rt.system, deps, requests, together)) allTogether.push(written(page));

    expect(allTogether).toEqual(eachAlone);
    expect(together).toEqual(alone);
    // What the oracle planned: b of the first change; of the second, a alone (b and c run flask 2.0.0 and 1.0.0, affected, but may not read it).
    expect(eachAlone.map((p) => [p.sourceEventId, p.drafts.map((d) => d.orgId)])).toEqual([
      ['evt_1', [b.orgId]],
      ['evt_2', [a.orgId]],
      ['evt_4', [a.orgId]],
    ]);
    expect(alone).toEqual({ matchedOperators: 5, entitledOperators: 3 });
  });

  it("brings an item's due date forward when a later notice of its advisory decides sooner, and never pushes one back", async () => {
    const rt = get();
    for (const [id, cve] of [
      ['PYSEC-2026-61', 'CVE-2026-6161'],
      ['PYSEC-2026-62', 'CVE-2026-6262'],
    ] as const)
      await upsertAdvisory(rt.system, osvRecord(id, 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], { aliases: [cve] }), {
        source: 'osv-import',
        tlp: 'GREEN',
      });
    const operator = await rt.org('operator', { sectors: ['energy'] });
    const upload = async (version: string) => {
      await uploadSbom(rt.as(operator), {
        asset: { name: 'grid', criticality: 'high', internetFacing: true },
        bytes: Buffer.from(cycloneDx([pypi('django', version)])),
      });
      await rt.runtime.jobs.drain();
    };
    const items = async () =>
      new Map((await listRemediation(rt.as(operator), {}, {})).items.map((i) => [i.advisoryId, { decision: i.decision, dueAt: i.dueAt }]));
    await upload('4.2.0');
    const before = await items();

    // KEV lists the first advisory's CVE: its next notice decides sooner; the second's decides the same.
    await importKevCatalog(rt.system, {
      data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-6161' }]),
      source: 'kev.json',
    });
    rt.clock.advance(DAY);
    await upload('4.2.1');
    const after = await items();
    const sent = (await listInbox(rt.as(operator), { type: 'advisory.matched' }, {})).items;
    expect(sent).toHaveLength(4);

    const first = after.get('PYSEC-2026-61');
    expect(first?.decision).not.toBe(before.get('PYSEC-2026-61')?.decision);
    expect(Date.parse(first?.dueAt ?? '')).toBeLessThan(Date.parse(before.get('PYSEC-2026-61')?.dueAt ?? ''));
    // Decided a day later on the same inputs, the second's notice would be due a day later: it stays as it was.
    expect(after.get('PYSEC-2026-62')).toEqual(before.get('PYSEC-2026-62'));
  });
});
