import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { DAY, HOUR } from '../../../platform/clock.js';
import { anonymousActor } from '../../../platform/actor.js';
import { InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { importKevCatalog } from '../../scoring/index.js';
import { kevCatalogJson } from '../../scoring/test-support/feeds.js';
import type { AdvisoryNoticeData } from '../domain/notification.js';
import { cycloneDx, osvRecord, pypi } from '../../inventory/test-support/fixtures.js';
import { auditActionsOf } from '../test-support/audit.js';
import { listInbox } from './inbox.js';
import { advisoryRemediation, advisoryRemediationCsv } from './oversight.js';
import { listRemediation, readRemediationLink, reportByLink, reportRemediation } from './remediation.js';
import { sendOverdueReminders } from './reminders.js';

const ADVISORY = 'PYSEC-2026-7';

/** A water operator with two assets (pumps, scada) and an energy operator with one (grid), all notified of {@link ADVISORY}. */
async function notified(rt: TestRuntime): Promise<{ water: TestUser; energy: TestUser; link: (who: TestUser) => Promise<string> }> {
  // Listed in KEV: Exploitation active, so that the assets' deployer decisions differ.
  await importKevCatalog(rt.system, {
    data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-7777' }]),
    source: 'kev.json',
  });
  const water = await rt.org('operator', { sectors: ['water'] });
  const energy = await rt.org('operator', { sectors: ['energy'] });
  await uploadSbom(rt.as(water), {
    asset: { name: 'pumps', criticality: 'low' },
    bytes: Buffer.from(cycloneDx([pypi('django', '4.2.1')])),
  });
  await uploadSbom(rt.as(water), {
    asset: { name: 'scada', criticality: 'high', internetFacing: true },
    bytes: Buffer.from(cycloneDx([pypi('django', '4.1.0')])),
  });
  await uploadSbom(rt.as(energy), {
    asset: { name: 'grid', criticality: 'high' },
    bytes: Buffer.from(cycloneDx([pypi('django', '4.2.0')])),
  });
  await upsertAdvisory(
    rt.system,
    osvRecord(ADVISORY, 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], {
      aliases: ['CVE-2026-7777'],
      summary: 'SQL injection in django',
    }),
    {
      source: 'osv-import',
      tlp: 'GREEN',
    },
  );
  await rt.runtime.jobs.drain();
  const link = async (who: TestUser) => {
    const [note] = (await listInbox(rt.as(who), { type: 'advisory.matched' }, {})).items;
    const url = (note?.data as AdvisoryNoticeData).remediation?.link as string;
    return new URL(url).searchParams.get('token') as string;
  };
  return { water, energy, link };
}

describeEachDatabase('remediation tracking', (dialect) => {
  const get = useTestRuntime(dialect);

  it('lists an operator’s open items soonest due first, each with its deployer decision', async () => {
    const rt = get();
    const { water } = await notified(rt);
    const items = (await listRemediation(rt.as(water), {}, {})).items;
    // SSVC deployer table rows 70 (active, open, yes, high) and 60 (active, controlled, yes, low).
    expect(items.map((i) => [i.assetName, i.status, i.decision, i.open, i.overdue])).toEqual([
      ['scada', 'notified', 'immediate', true, false],
      ['pumps', 'notified', 'out_of_cycle', true, false],
    ]);
    const now = rt.clock.now().getTime();
    expect(items.map((i) => (Date.parse(i.dueAt as string) - now) / DAY)).toEqual([1, 7]);
  });

  it('records each report with what its status needs, and reopens an accepted risk when it expires', async () => {
    const rt = get();
    const { water } = await notified(rt);
    const viewer = await rt.user(water.orgId, 'viewer');
    await expect(reportRemediation(rt.as(viewer), { advisoryId: ADVISORY, status: 'acknowledged' })).rejects.toThrow(NotAllowedError);
    await expect(reportRemediation(rt.as(water), { advisoryId: ADVISORY, status: 'mitigated' })).rejects.toThrow(InputError);
    await expect(reportRemediation(rt.as(water), { advisoryId: ADVISORY, assetIds: ['ast_unknown'], status: 'patched' })).rejects.toThrow(
      NotFoundError,
    );
    const acked = await reportRemediation(rt.as(water), { advisoryId: ADVISORY, status: 'acknowledged' });
    expect(acked.map((i) => i.status)).toEqual(['acknowledged', 'acknowledged']);
    const scada = acked.find((i) => i.assetName === 'scada');
    const pumps = acked.find((i) => i.assetName === 'pumps');
    await reportRemediation(rt.as(water), {
      advisoryId: ADVISORY,
      assetIds: [scada?.assetId as string],
      status: 'mitigated',
      mitigation: 'admin path blocked at the WAF',
    });
    const until = new Date(rt.clock.now().getTime() + 10 * DAY).toISOString();
    await reportRemediation(rt.as(water), {
      advisoryId: ADVISORY,
      assetIds: [pumps?.assetId as string],
      status: 'risk_accepted',
      expiresAt: until,
    });
    expect((await listRemediation(rt.as(water), {}, {})).items).toEqual([]);
    rt.clock.advance(10 * DAY);
    const reopened = (await listRemediation(rt.as(water), {}, {})).items;
    expect(reopened.map((i) => [i.assetName, i.status, i.open])).toEqual([['pumps', 'reopened', true]]);
    expect(await auditActionsOf(rt.runtime.db, ADVISORY)).toContain('notify.remediation.report');
  });

  it('takes a report through the notification’s signed link, without a token, for that operator only', async () => {
    const rt = get();
    const { water, energy, link } = await notified(rt);
    const anonymous = rt.runtime.contextFor(anonymousActor);
    const token = await link(water);
    const view = await readRemediationLink(anonymous, token);
    expect(view).toMatchObject({ advisoryId: ADVISORY, orgId: water.orgId });
    expect(view.items.map((i) => i.assetName).sort()).toEqual(['pumps', 'scada']);
    const patched = await reportByLink(anonymous, token, { status: 'patched', note: 'upgraded to 4.2.2' });
    expect(patched.map((i) => i.status)).toEqual(['patched', 'patched']);
    expect((await listRemediation(rt.as(energy), {}, {})).items.map((i) => i.status)).toEqual(['notified']);
    // A forged or altered link leads nowhere; an expired one neither.
    const [prefix, body, sig] = token.split('.');
    const otherBody = Buffer.from(JSON.stringify({ n: 'ntf_x', o: energy.orgId, x: 9_999_999_999 })).toString('base64url');
    await expect(reportByLink(anonymous, `${prefix}.${otherBody}.${sig}`, { status: 'patched' })).rejects.toThrow(NotFoundError);
    await expect(readRemediationLink(anonymous, `${prefix}.${body}.${sig?.slice(0, -2)}AA`)).rejects.toThrow(NotFoundError);
    rt.clock.advance(91 * DAY);
    await expect(readRemediationLink(anonymous, token)).rejects.toThrow(/expired/);
  });

  it('gives the coordinator shares acknowledged and patched, by sector and over time, and a CSV', async () => {
    const rt = get();
    const { water, energy } = await notified(rt);
    await expect(advisoryRemediation(rt.as(water), ADVISORY)).rejects.toThrow(NotAllowedError);
    rt.clock.advance(DAY);
    await reportRemediation(rt.as(energy), { advisoryId: ADVISORY, status: 'acknowledged' });
    rt.clock.advance(DAY);
    await reportRemediation(rt.as(energy), { advisoryId: ADVISORY, status: 'patched' });
    const pumps = (await listRemediation(rt.as(water), {}, {})).items.find((i) => i.assetName === 'pumps');
    await reportRemediation(rt.as(water), {
      advisoryId: ADVISORY,
      assetIds: [pumps?.assetId as string],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    });
    const view = await advisoryRemediation(rt.as(rt.coordinatorAdmin), ADVISORY);
    expect(view.operators).toEqual({ notified: 2, acknowledged: 1, patched: 1 });
    expect(view.totals).toMatchObject({
      assets: 3,
      acknowledged: 2,
      patched: 1,
      notAffected: 1,
      open: 1,
      acknowledgedShare: 2 / 3,
      patchedShare: 1 / 3,
    });
    expect(view.bySector.map((s) => [s.sector, s.assets, s.patched, s.open])).toEqual([
      ['energy', 1, 1, 0],
      ['water', 2, 0, 1],
    ]);
    expect(view.timeline.map((d) => [d.acknowledgedShare, d.patchedShare])).toEqual([
      [0, 0],
      [1 / 3, 0],
      [2 / 3, 1 / 3],
    ]);
    const csv = await advisoryRemediationCsv(rt.as(rt.coordinatorAdmin), ADVISORY);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'operator_id,operator,asset_id,asset,sector,status,open,overdue,decision,due_at,notified_at,acknowledged_at,closed_at,mitigation,justification,risk_accepted_until',
    );
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.includes(',patched,false,'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('vulnerable_code_not_in_execute_path'))).toBe(true);
  });

  it('reminds operators of overdue items once a day at most, then every three days', async () => {
    const rt = get();
    const { water, energy } = await notified(rt);
    await reportRemediation(rt.as(energy), { advisoryId: ADVISORY, status: 'patched' });
    expect(await sendOverdueReminders(rt.system)).toEqual({ operators: 0, items: 0 });
    rt.clock.advance(31 * DAY);
    expect(await sendOverdueReminders(rt.system)).toEqual({ operators: 1, items: 2 });
    const reminders = (await listInbox(rt.as(water), { type: 'remediation.overdue' }, {})).items;
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.data).toMatchObject({ itemsTotal: 2 });
    expect((await listInbox(rt.as(energy), { type: 'remediation.overdue' }, {})).items).toEqual([]);
    rt.clock.advance(DAY);
    expect(await sendOverdueReminders(rt.system)).toEqual({ operators: 0, items: 0 });
    rt.clock.advance(2 * DAY);
    expect(await sendOverdueReminders(rt.system)).toEqual({ operators: 1, items: 2 });
  });

  it('closes an item as patched when the operator’s new SBOM no longer holds an affected version', async () => {
    const rt = get();
    const { energy } = await notified(rt);
    await uploadSbom(rt.as(energy), { asset: { name: 'grid' }, bytes: Buffer.from(cycloneDx([pypi('django', '4.2.2')])) });
    await rt.runtime.jobs.drain();
    expect((await listRemediation(rt.as(energy), { open: false }, {})).items.map((i) => [i.assetName, i.status])).toEqual([
      ['grid', 'patched'],
    ]);
    expect((await listInbox(rt.as(energy), { type: 'advisory.cleared' }, {})).items).toHaveLength(1);
  });
});

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
