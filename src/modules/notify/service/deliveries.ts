import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize } from '../../identity/index.js';
import { CLOSED_BREAKER } from '../domain/circuit-breaker.js';
import { saveBreaker } from '../store/endpoints.js';
import { presentAttempt, presentDelivery, type Delivery, type DeliveryDetail } from '../presenters.js';
import {
  attemptsOf,
  deliveryIdsOf,
  findDeliveries,
  findDelivery,
  listDeliveries as listDeliveryRows,
  requeueDead,
} from '../store/deliveries.js';
import type { DeliveryRow } from '../store/tables.js';
import { orgOf, requireMember } from './access.js';
import { fanOut, kickDispatch } from './fan-out.js';
import { visibleEndpoint } from './webhooks.js';

const STATUSES: readonly DeliveryRow['status'][] = ['pending', 'delivered', 'dead', 'cancelled'];

export interface DeliveryQuery {
  readonly orgId?: string;
  readonly webhookId?: string;
  readonly status?: string;
}

/**
 * An organisation's deliveries, newest first (`status=dead`: its dead letters), for its members. Each
 * names its notification and webhook, its attempts and the last error.
 */
export async function listDeliveries(ctx: ServiceContext, query: DeliveryQuery, request: PageRequest): Promise<Page<Delivery>> {
  const orgId = orgOf(ctx.actor, query.orgId);
  requireMember(ctx.actor, orgId, `organisation ${orgId}`);
  authorize(ctx.actor, 'notify.webhook.list', { ownerOrgId: orgId });
  if (query.status !== undefined && !(STATUSES as readonly string[]).includes(query.status)) {
    throw new InputError(`status must be one of ${STATUSES.join(', ')}`, [
      { pointer: '/status', detail: `must be one of ${STATUSES.join(', ')}` },
    ]);
  }
  if (query.webhookId !== undefined) await visibleEndpoint(ctx, query.webhookId);
  const page = await listDeliveryRows(
    ctx.db.kysely,
    orgId,
    {
      ...(query.webhookId === undefined ? {} : { endpointId: query.webhookId }),
      ...(query.status === undefined ? {} : { status: query.status as DeliveryRow['status'] }),
    },
    request,
  );
  return { items: page.items.map(presentDelivery), nextCursor: page.nextCursor };
}

async function visibleDelivery(ctx: ServiceContext, id: string): Promise<DeliveryRow> {
  const row = await findDelivery(ctx.db.kysely, id);
  if (row === undefined) throw new NotFoundError(`no delivery ${id}`);
  requireMember(ctx.actor, row.org_id, `delivery ${id}`);
  authorize(ctx.actor, 'notify.webhook.list', { ownerOrgId: row.org_id });
  return row;
}

export async function getDelivery(ctx: ServiceContext, id: string): Promise<DeliveryDetail> {
  const row = await visibleDelivery(ctx, id);
  return { ...presentDelivery(row), attemptLog: (await attemptsOf(ctx.db.kysely, id)).map(presentAttempt) };
}

/**
 * Puts dead letters back in the queue — the ones named, or every dead letter of a webhook — under their
 * original `webhook-id`, with a fresh 24-hour retry window. The organisation's admins; audited
 * `notify.delivery.replay`. Answers how many were requeued (those not dead are left alone).
 */
export async function replayDeadLetters(
  ctx: ServiceContext,
  input: { readonly deliveryIds?: readonly string[]; readonly webhookId?: string },
): Promise<{ readonly replayed: number }> {
  let ids: string[];
  let orgId: string;
  if (input.webhookId !== undefined) {
    const endpoint = await visibleEndpoint(ctx, input.webhookId);
    orgId = endpoint.org_id;
    authorize(ctx.actor, 'notify.webhook.manage', { ownerOrgId: orgId });
    ids = [];
    let cursor: string | undefined;
    do {
      const page = await listDeliveryRows(ctx.db.kysely, orgId, { endpointId: endpoint.id, status: 'dead' }, { limit: 500, cursor });
      ids.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  } else if (input.deliveryIds !== undefined && input.deliveryIds.length > 0 && input.deliveryIds.length <= 500) {
    const rows = await Promise.all(input.deliveryIds.map((id) => visibleDelivery(ctx, id)));
    orgId = (rows[0] as DeliveryRow).org_id;
    for (const row of rows) authorize(ctx.actor, 'notify.webhook.manage', { ownerOrgId: row.org_id });
    ids = rows.map((r) => r.id);
  } else {
    throw new InputError('name the dead letters to replay (1 to 500 delivery ids) or a webhook', [
      { pointer: '/deliveryIds', detail: 'must list 1 to 500 ids, or give webhookId' },
    ]);
  }
  return withTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now().toISOString();
    const replayed = await requeueDead(trx, ids, now);
    // Replaying says the receiver is mended: its circuit closes, so that the replay is attempted at once.
    const endpointIds =
      input.webhookId !== undefined ? [input.webhookId] : [...new Set((await findDeliveries(trx, ids)).map((d) => d.endpoint_id))];
    for (const endpointId of endpointIds) await saveBreaker(trx, endpointId, CLOSED_BREAKER, now);
    if (replayed > 0) await kickDispatch(trx, ctx);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.delivery.replay',
      subject: input.webhookId === undefined ? { type: 'delivery', id: ids[0] as string } : { type: 'webhook', id: input.webhookId },
      orgId,
      diff: { replayed, deliveries: ids.slice(0, 50) },
    });
    return { replayed };
  });
}

/**
 * Sends a `webhook.test` notification to one webhook now, through the same path as every delivery (signed,
 * retried, visible in its deliveries). The organisation's admins. Answers the delivery's id.
 */
export async function testWebhook(
  ctx: ServiceContext,
  webhookId: string,
): Promise<{ readonly deliveryId: string | null; readonly notificationId: string }> {
  const endpoint = await visibleEndpoint(ctx, webhookId);
  authorize(ctx.actor, 'notify.webhook.manage', { ownerOrgId: endpoint.org_id });
  if (endpoint.enabled !== 1)
    throw new ConflictError(`webhook ${webhookId} is disabled (${endpoint.disabled_reason}); enable it first`, {
      code: 'webhook-disabled',
    });
  return withTransaction(ctx.db, async (trx) => {
    const result = await fanOut(
      ctx,
      trx,
      [
        {
          orgId: endpoint.org_id,
          type: 'webhook.test',
          dedupKey: `webhook.test:${webhookId}:${newId('tst')}`,
          subjectId: webhookId,
          sourceEventId: null,
          title: `Test message to ${endpoint.url}`,
          tlp: 'CLEAR',
          build: (notificationId) => ({
            data: {
              schemaVersion: 1,
              notificationId,
              orgId: endpoint.org_id,
              webhookId,
              message: 'This is a test message from the clearinghouse.',
            },
            facets: { type: 'webhook.test', tlp: 'CLEAR', sectors: [], purls: [] },
          }),
        },
      ],
      { onlyEndpointId: webhookId, markRead: true },
    );
    const notificationId = result.createdIds[0] as string;
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.webhook.test',
      subject: { type: 'webhook', id: webhookId },
      orgId: endpoint.org_id,
      diff: { notificationId },
    });
    const [deliveryId] = await deliveryIdsOf(trx, notificationId);
    return { deliveryId: deliveryId ?? null, notificationId };
  });
}
