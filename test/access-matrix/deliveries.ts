import { sql } from 'kysely';
import { addAllowlistEntry, registerWebhook } from '../../src/modules/notify/index.js';
import { startReceiver, type TestReceiver } from '../../src/modules/notify/test-support/receiver.js';
import type { ModuleMatrix } from './fixture.js';
import { CAST_KINDS, canariesIn, type World } from './world.js';
import type { Finding } from './engine.js';

/**
 * Background delivery under the canary method: a webhook of every organisation of the cast, registered
 * before any module seeds (so that every event of the world fans out to it) on a loopback receiver that
 * keeps what it is sent. After the whole matrix ran (reads and writes), every payload received and every
 * notification stored (each organisation's inbox: the bytes its webhooks are sent) is checked against the
 * organisation that receives it: any of its members reads them, none as a named recipient.
 */

interface DeliveriesWorld {
  readonly receiver: TestReceiver;
  /** Receiver path → the organisation whose webhook it is. */
  readonly orgOfPath: ReadonlyMap<string, string>;
}

const deliveriesWorld = (w: World) => w.get<DeliveriesWorld>('deliveries');

export const deliveriesMatrix: ModuleMatrix = {
  module: 'deliveries',
  async seed(w) {
    const receiver = await startReceiver();
    // 127.0.0.0/30 and not 127.0.0.1/32: the notify fixtures allow that one themselves.
    await addAllowlistEntry(w.t.as(w.t.coordinatorAdmin), { cidr: '127.0.0.0/30', note: 'matrix receivers' });
    const orgOfPath = new Map<string, string>();
    for (const kind of CAST_KINDS) {
      const path = `/hook/${kind}`;
      const { webhook, secret } = await registerWebhook(w.t.system, {
        orgId: w.orgs[kind].orgId,
        url: `${receiver.url.replace(/\/hook$/, '')}${path}`,
        events: ['*'],
        tlpCeiling: 'RED',
      });
      receiver.secrets.push(secret);
      orgOfPath.set(path, webhook.orgId);
    }
    receiver.now = () => w.t.clock.now().getTime();
    w.put<DeliveriesWorld>('deliveries', { receiver, orgOfPath });
  },
  fixtures: [],
};

/** What the background deliveries carried that their receiving organisation may not read. */
export async function deliveryFindings(w: World): Promise<{ payloads: number; notifications: number; findings: Finding[] }> {
  await w.t.runtime.jobs.drain();
  await w.refresh();
  const { receiver, orgOfPath } = deliveriesWorld(w);
  const findings: Finding[] = [];
  const check = (what: string, orgId: string, text: string) => {
    const recipient = w.recipientOrg(orgId);
    for (const canary of canariesIn(w, text))
      if (!canary.audience(recipient))
        findings.push({
          key: `${what} :: ${recipient.key} :: reads ${canary.label}`,
          detail: `${what} to ${recipient.key} shows ${canary.value} (${canary.label})`,
        });
  };
  for (const payload of receiver.received) {
    const orgId = orgOfPath.get(payload.path);
    if (orgId === undefined) throw new Error(`the matrix receiver was called at ${payload.path}`);
    check(`webhook payload ${(JSON.parse(payload.body) as { type?: string }).type ?? '?'}`, orgId, payload.body);
  }
  const rows = (
    await sql<{ org_id: string; type: string; title: string; facets: unknown; body: string }>`
      select org_id, type, title, facets, body from notify_notification`.execute(w.t.runtime.db.kysely)
  ).rows;
  for (const row of rows)
    check(
      `inbox item ${row.type}`,
      row.org_id,
      `${row.title} ${typeof row.facets === 'string' ? row.facets : JSON.stringify(row.facets)} ${row.body}`,
    );
  return { payloads: receiver.received.length, notifications: rows.length, findings };
}

export async function closeDeliveries(w: World | undefined): Promise<void> {
  if (w?.things.has('deliveries')) await deliveriesWorld(w).receiver.close();
}
