import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { uploadSbom, upsertAdvisory } from '../inventory/index.js';
import { cycloneDx, osvRecord, pypi } from '../inventory/test-support/fixtures.js';
import { startReceiver, type TestReceiver } from './test-support/receiver.js';

const ADVISORY = 'PYSEC-2026-31';

async function affectedOperator(t: TestServer): Promise<TestUser> {
  const operator = await t.org('operator', { sectors: ['water'] });
  await uploadSbom(t.as(operator), {
    asset: { name: 'pumps', criticality: 'high' },
    bytes: Buffer.from(cycloneDx([pypi('django', '4.2.1')])),
  });
  await upsertAdvisory(
    t.system,
    osvRecord(ADVISORY, 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], { aliases: ['CVE-2026-3131'], summary: 'SQLi' }),
    { source: 'osv-import', tlp: 'GREEN' },
  );
  await t.runtime.jobs.drain();
  return operator;
}

describeEachDatabase('notify routes', (dialect) => {
  const get = useTestServer(dialect);
  let receiver: TestReceiver | undefined;
  afterEach(async () => receiver?.close());

  it('registers a webhook (201, the secret once), test-sends a signed message, and lists its deliveries', async () => {
    const t = get();
    receiver = await startReceiver();
    const rcv = receiver;
    rcv.now = () => t.clock.now().getTime();
    const operator = await t.org('operator', { sectors: ['energy'] });
    const refused = await t.call(operator, 'POST', '/api/v1/webhooks', { url: rcv.url, events: ['*'] });
    expect(refused.status).toBe(400);
    expect(refused.problem.errors?.[0]?.pointer).toBe('/url');
    expect((await t.call(operator, 'POST', '/api/v1/webhook-allowlist', { cidr: '127.0.0.1' })).status).toBe(403);
    expect((await t.call(t.coordinatorAdmin, 'POST', '/api/v1/webhook-allowlist', { cidr: '127.0.0.1' })).status).toBe(201);

    const created = await t.call(operator, 'POST', '/api/v1/webhooks', { url: rcv.url, events: ['advisory.*', 'webhook.test'] });
    expect(created.status).toBe(201);
    const { id, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    rcv.secrets.push(secret);
    const shown = await t.call(operator, 'GET', `/api/v1/webhooks/${id}`);
    expect(JSON.stringify(shown.body)).not.toContain(secret);
    expect((await t.call(await t.org('operator'), 'GET', `/api/v1/webhooks/${id}`)).status).toBe(404);

    const sent = await t.call(operator, 'POST', `/api/v1/webhooks/${id}/test`);
    expect(sent.status).toBe(202);
    await t.runtime.jobs.drain();
    expect(rcv.received.map((r) => [r.id, r.verified])).toEqual([[(sent.body as { deliveryId: string }).deliveryId, true]]);
    const deliveries = (await t.call(operator, 'GET', `/api/v1/webhook-deliveries?webhookId=${id}`)).body as {
      items: { status: string }[];
    };
    expect(deliveries.items.map((d) => d.status)).toEqual(['delivered']);
    expect((await t.call(operator, 'GET', '/api/v1/webhook-deliveries?status=dead')).body).toEqual({ items: [], nextCursor: null });
    expect((await t.call(operator, 'GET', '/api/v1/webhook-deliveries?status=lost')).problem.errors?.[0]?.pointer).toMatch(/status/);

    const patched = await t.call(operator, 'PATCH', `/api/v1/webhooks/${id}`, { enabled: false });
    expect((patched.body as { enabled: boolean }).enabled).toBe(false);
    expect((await t.call(operator, 'DELETE', `/api/v1/webhooks/${id}`)).status).toBe(204);
    expect((await t.call(operator, 'GET', '/api/v1/webhooks')).body).toEqual({ items: [], nextCursor: null });
  });

  it('shows the inbox and marks it read; takes remediation by API and by the signed link; gives coordinators the report and CSV', async () => {
    const t = get();
    const operator = await affectedOperator(t);
    const inbox = (await t.call(operator, 'GET', '/api/v1/inbox?unread=true')).body as {
      items: { id: string; type: string; data: { remediation: { link: string } } }[];
      unread: number;
    };
    expect(inbox.items.map((n) => n.type)).toEqual(['advisory.matched']);
    expect(inbox.unread).toBe(1);
    const viewer = await t.user(operator.orgId, 'viewer');
    expect((await t.call(viewer, 'POST', '/api/v1/inbox/read', { all: true })).status).toBe(403);
    expect((await t.call(operator, 'POST', '/api/v1/inbox/read', { ids: [inbox.items[0]!.id] })).body).toEqual({ marked: 1 });

    const open = (await t.call(operator, 'GET', '/api/v1/remediation')).body as { items: { advisoryId: string; status: string }[] };
    expect(open.items.map((i) => [i.advisoryId, i.status])).toEqual([[ADVISORY, 'notified']]);
    const bad = await t.call(operator, 'POST', '/api/v1/remediation', { advisoryId: ADVISORY, status: 'mitigated' });
    expect(bad.status).toBe(400);
    expect(bad.problem.errors?.[0]?.pointer).toBe('/mitigation');
    const acked = await t.call(operator, 'POST', '/api/v1/remediation', { advisoryId: ADVISORY, status: 'acknowledged' });
    expect((acked.body as { items: { status: string }[] }).items.map((i) => i.status)).toEqual(['acknowledged']);

    const link = inbox.items[0]!.data.remediation.link;
    const path = link.slice(link.indexOf('/api/v1/'));
    const read = await t.call(null, 'GET', path);
    expect(read.body, path).toMatchObject({ advisoryId: ADVISORY });
    const viaLink = await t.call(null, 'POST', path, { status: 'patched' });
    expect((viaLink.body as { items: { status: string; open: boolean }[] }).items).toMatchObject([{ status: 'patched', open: false }]);
    expect((await t.call(null, 'POST', `${path.slice(0, -2)}xx`, { status: 'patched' })).status).toBe(404);

    expect((await t.call(operator, 'GET', `/api/v1/remediation/advisories/${ADVISORY}`)).status).toBe(403);
    const report = (await t.call(t.coordinatorAdmin, 'GET', `/api/v1/remediation/advisories/${ADVISORY}`)).body as {
      operators: { notified: number; patched: number };
      bySector: { sector: string; patchedShare: number }[];
    };
    expect(report.operators).toEqual({ notified: 1, acknowledged: 1, patched: 1 });
    expect(report.bySector).toMatchObject([{ sector: 'water', patchedShare: 1 }]);
    const csv = await t.call(t.coordinatorAdmin, 'GET', `/api/v1/remediation/advisories/${ADVISORY}/csv`);
    expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(csv.body).split('\r\n')[0]).toMatch(/^operator_id,operator,asset_id,asset,sector,status,/);
  });
});
