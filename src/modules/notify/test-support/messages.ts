import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Database } from '../../../platform/db/index.js';
import { deliveryIdsOf } from '../store/deliveries.js';
import { findEndpoint } from '../store/endpoints.js';
import { t } from '../store/tables.js';
import { fanOut } from '../service/fan-out.js';

/** Queues `count` test messages to one webhook in one transaction (faster than `testWebhook` one by one); answers their delivery ids. */
export async function queueTestMessages(ctx: ServiceContext, webhookId: string, count: number): Promise<string[]> {
  const endpoint = await findEndpoint(ctx.db.kysely, webhookId);
  if (endpoint === undefined) throw new Error(`no webhook ${webhookId}`);
  return withTransaction(ctx.db, async (trx) => {
    const drafts = Array.from({ length: count }, (_, i) => ({
      orgId: endpoint.org_id,
      type: 'webhook.test' as const,
      dedupKey: `bulk-test:${webhookId}:${i}`,
      subjectId: webhookId,
      sourceEventId: null,
      title: `test ${i}`,
      tlp: 'CLEAR' as const,
      build: (notificationId: string) => ({
        data: { schemaVersion: 1, notificationId, n: i },
        facets: { type: 'webhook.test', tlp: 'CLEAR' as const, sectors: [], purls: [] },
      }),
    }));
    const { createdIds } = await fanOut(ctx, trx, drafts, { onlyEndpointId: webhookId });
    const ids: string[] = [];
    for (const id of createdIds) ids.push(...(await deliveryIdsOf(trx, id)));
    return ids;
  });
}

/** Attempts recorded, in all. */
export async function attemptCount(db: Database): Promise<number> {
  const row = await t(db.kysely)
    .selectFrom('notify_attempt')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Dead-letters deliveries at once, as 24 hours of failures would (fixtures that need dead letters). */
export async function deadLetter(db: Database, ids: readonly string[], at: string): Promise<void> {
  await t(db.kysely)
    .updateTable('notify_delivery')
    .set({ status: 'dead', dead_at: at, dead_reason: 'failing for 24 hours', lease_owner: null, lease_expires_at: null, updated_at: at })
    .where('id', 'in', ids)
    .execute();
}
