import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { seededRandom } from '#test-support/seeded-random.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { NotFoundError } from '../../../platform/errors.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { seedPortfolio, type PortfolioOperator } from '../../inventory/test-support/portfolio.js';
import type { AdvisoryNoticeData } from '../domain/notification.js';
import { cycloneDx, osvRecord, pypi } from '../../inventory/test-support/fixtures.js';
import { startReceiver, type TestReceiver } from '../test-support/receiver.js';
import { addAllowlistEntry } from './allowlist.js';
import { getNotification, listInbox } from './inbox.js';
import { listRemediation, reportRemediation } from './remediation.js';
import { registerWebhook } from './webhooks.js';

// The advisory affects django from 4.0 until 4.2.2. Which operators run an affected version is decided here,
// from the versions the test gave them, not by the code under test.
const VERSIONS = ['3.2.0', '4.1.0', '4.2.1', '4.2.2', '5.0.0'] as const;
const AFFECTED = new Set(['4.1.0', '4.2.1']);
const SECTORS = ['energy', 'water', 'healthcare_public_health', 'transportation'] as const;

describeEachDatabase('targeting an advisory at exactly the operators that run it', (dialect) => {
  const get = useTestRuntime(dialect);
  let receiver: TestReceiver | undefined;
  afterEach(async () => receiver?.close());

  it('in a 1,000-operator portfolio: each affected operator hears of its own assets only, nobody else hears anything', async () => {
    const rt = get();
    const { system, runtime, clock } = rt;
    const random = seededRandom(1000);
    const portfolio: PortfolioOperator[] = [];
    const expected = new Map<string, Set<string>>(); // operator name → affected asset names
    for (let i = 0; i < 1000; i++) {
      const name = `Operator ${String(i).padStart(4, '0')}`;
      const sector = SECTORS[i % SECTORS.length] as (typeof SECTORS)[number];
      const assets = [0, 1].slice(0, 1 + (i % 2)).map((n) => {
        const version = VERSIONS[Math.floor(random() * VERSIONS.length)] as string;
        const assetName = `${name} asset ${n}`;
        if (AFFECTED.has(version)) expected.set(name, new Set([...(expected.get(name) ?? []), assetName]));
        return {
          name: assetName,
          sector,
          criticality: (['low', 'moderate', 'high'] as const)[i % 3] as 'low' | 'moderate' | 'high',
          internetFacing: i % 5 === 0,
          sbom: cycloneDx([pypi('django', version), pypi('requests', '2.31.0')], assetName),
        };
      });
      portfolio.push({ name, sectors: [sector], assets });
    }
    const seeded = await seedPortfolio(runtime.db, clock, portfolio);
    const nameOf = new Map(seeded.map((s, i) => [s.orgId, portfolio[i]?.name as string]));

    // A few operators take webhooks, on one receiver that verifies each with its own implementation.
    receiver = await startReceiver();
    const rcv = receiver;
    rcv.now = () => clock.now().getTime();
    await addAllowlistEntry(rt.as(rt.coordinatorAdmin), { cidr: '127.0.0.1/32' });
    const withHooks = seeded.slice(0, 40);
    for (const s of withHooks) {
      const { secret } = await registerWebhook(system, { orgId: s.orgId, url: `${rcv.url}?org=${s.orgId}`, events: ['advisory.*'] });
      rcv.secrets.push(secret);
    }

    await upsertAdvisory(
      system,
      osvRecord('PYSEC-2026-1', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], {
        aliases: ['CVE-2026-4242'],
        summary: 'SQL injection in django',
      }),
      {
        source: 'osv-import',
        tlp: 'GREEN',
      },
    );
    await runtime.jobs.drain();

    const notified = await runtime.db.kysely
      .selectFrom('notify_notification')
      .select(['org_id', 'body', 'type'])
      .where('type', '=', 'advisory.matched')
      .execute();
    expect(new Set(notified.map((n) => nameOf.get(n.org_id)))).toEqual(new Set(expected.keys()));
    expect(notified).toHaveLength(expected.size);
    expect(expected.size).toBeGreaterThan(200);
    for (const n of notified) {
      const data = (JSON.parse(n.body) as { data: AdvisoryNoticeData }).data;
      expect(data.orgId).toBe(n.org_id);
      expect(new Set(data.assets.map((a) => a.name))).toEqual(expected.get(nameOf.get(n.org_id) as string));
      for (const asset of data.assets) {
        expect(asset.components).toEqual([
          {
            purl: expect.stringMatching(/^pkg:pypi\/django@4\.(1\.0|2\.1)$/) as unknown,
            version: expect.any(String) as unknown,
            fixed: ['4.2.2'],
          },
        ]);
        expect(asset.decision).not.toBeNull();
        const { days, dueAt } = asset.decision as { days: number | null; dueAt: string | null };
        if (days !== null) expect(Date.parse(dueAt as string) - clock.now().getTime()).toBe(days * DAY);
      }
      expect(data.remediation?.link).toMatch(/\/api\/v1\/remediation\/link\?token=rml1\./);
    }

    // Webhooks: exactly the affected operators among those with one, each message signed for its own endpoint.
    const hooked = withHooks.filter((s) => expected.has(nameOf.get(s.orgId) as string)).map((s) => s.orgId);
    expect(rcv.received.every((r) => r.verified)).toBe(true);
    const deliveredTo = rcv.received.map((r) => (JSON.parse(r.body) as { data: AdvisoryNoticeData }).data.orgId);
    expect(new Set(deliveredTo)).toEqual(new Set(hooked));
    expect(deliveredTo).toHaveLength(hooked.length);
    expect(hooked.length).toBeGreaterThan(5);
    for (const r of rcv.received) {
      // Each message went to its own operator's endpoint.
      expect(new URL(r.path, 'http://receiver').searchParams.get('org')).toBe(
        (JSON.parse(r.body) as { data: AdvisoryNoticeData }).data.orgId,
      );
    }

    // Running the same change again tells nobody anything new.
    const before = notified.length;
    await upsertAdvisory(
      system,
      {
        ...osvRecord('PYSEC-2026-1', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], {
          aliases: ['CVE-2026-4242'],
          summary: 'SQL injection in django',
        }),
        modified: '2026-06-02T00:00:00Z',
      },
      { source: 'osv-import', tlp: 'GREEN' },
    );
    await runtime.jobs.drain();
    const after = await runtime.db.kysely.selectFrom('notify_notification').select('id').where('type', '=', 'advisory.matched').execute();
    expect(after).toHaveLength(before);
  });

  it('keeps operators apart: inboxes, notifications and remediation are each operator’s own', async () => {
    const rt = get();
    const { system, runtime, as, org } = rt;
    const alpha = await org('operator', { sectors: ['energy'] });
    const beta = await org('operator', { sectors: ['water'] });
    const gamma = await org('operator', { sectors: ['water'] });
    for (const [who, version] of [
      [alpha, '4.2.1'],
      [beta, '4.1.0'],
      [gamma, '5.0.0'],
    ] as const) {
      await uploadSbom(as(who), { asset: { name: 'plant' }, bytes: Buffer.from(cycloneDx([pypi('django', version)])) });
    }
    await upsertAdvisory(
      system,
      osvRecord('PYSEC-2026-2', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], {
        aliases: ['CVE-2026-4343'],
        summary: 'SQL injection in django',
      }),
      {
        source: 'osv-import',
        tlp: 'GREEN',
      },
    );
    await runtime.jobs.drain();

    const inboxA = await listInbox(as(alpha), {}, {});
    const inboxB = await listInbox(as(beta), {}, {});
    expect(inboxA.items.map((n) => n.type)).toEqual(['advisory.matched']);
    expect(inboxB.items.map((n) => n.type)).toEqual(['advisory.matched']);
    expect((await listInbox(as(gamma), {}, {})).items).toEqual([]);
    const noteB = inboxB.items[0]?.id as string;
    await expect(getNotification(as(alpha), noteB)).rejects.toThrow(NotFoundError);
    await expect(listInbox(as(alpha), { orgId: beta.orgId }, {})).rejects.toThrow(NotFoundError);
    expect(JSON.stringify(inboxA.items)).not.toContain(beta.orgId);

    const itemsA = await listRemediation(as(alpha), {}, {});
    expect(itemsA.items.map((i) => [i.assetName, i.status])).toEqual([['plant', 'notified']]);
    await expect(reportRemediation(as(alpha), { advisoryId: 'PYSEC-2026-2', orgId: beta.orgId, status: 'patched' })).rejects.toThrow(
      NotFoundError,
    );
    await reportRemediation(as(alpha), { advisoryId: 'PYSEC-2026-2', status: 'patched' });
    expect((await listRemediation(as(beta), {}, {})).items.map((i) => i.status)).toEqual(['notified']);
  });
});
