import type { ServiceContext } from '../../../platform/context.js';
import { chunks, type Executor } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import { addJobs, jobsByDedupKey, JOB_PRIORITY } from '../../../platform/jobs/index.js';
import { filterNotification, type DeliveryFilter, type NotificationFacets } from '../domain/delivery-filter.js';
import { webhookBody, type NotificationType } from '../domain/notification.js';
import type { Tlp } from '../../../platform/tlp.js';
import { groupBy } from '../../../platform/collections.js';
import { insertDeliveries } from '../store/deliveries.js';
import { enabledEndpointsOf } from '../store/endpoints.js';
import { insertNotifications } from '../store/notifications.js';
import { insertItems, itemsOfOrgs, NO_DUE_DATE, updateItem } from '../store/remediation.js';
import type { DeliveryRow, EndpointRow, NotificationRow, RemediationRow } from '../store/tables.js';

export const DISPATCH_JOB = 'notify.dispatch';
/** Dispatch jobs enqueued per kick, so that several server processes deliver in parallel. */
export const DISPATCH_SHARDS = 2;
/**
 * How dispatch jobs are enqueued: urgent, so that a webhook goes out before the bulk work (matching,
 * scoring) queued earlier, and at most 3 attempts (the dispatcher keeps each delivery's own retries).
 */
export const DISPATCH_JOB_OPTIONS = { kind: DISPATCH_JOB, maxAttempts: 3, priority: JOB_PRIORITY.urgent } as const;

/** An asset whose remediation the notification starts tracking. */
export interface RemediationSeed {
  readonly advisoryId: string;
  readonly assetId: string;
  readonly assetName: string;
  readonly sector: string | null;
  readonly decision: string | null;
  readonly dueAt: string | null;
}

/** A notification to one organisation, before it has an id. */
export interface NoticeDraft {
  readonly orgId: string;
  readonly type: NotificationType;
  /** What makes it the same notification again: a consumer run twice creates it once. */
  readonly dedupKey: string;
  readonly subjectId: string | null;
  readonly sourceEventId: string | null;
  readonly title: string;
  readonly tlp: Tlp;
  /** The payload, once the id is known (it names the notification and signs its remediation link). */
  build(notificationId: string): { readonly data: unknown; readonly facets: NotificationFacets };
  readonly remediation?: readonly RemediationSeed[];
}

export interface FanOutResult {
  /** Notifications created now (not those that existed under the same dedup key). */
  readonly notifications: number;
  readonly deliveries: number;
  readonly createdIds: string[];
}

/** What {@link fanOut} did with each draft it created a notification for (drafts whose notification existed are absent). */
export interface FanOutDetail extends FanOutResult {
  readonly created: ReadonlyMap<NoticeDraft, { readonly id: string; readonly deliveries: number }>;
}

const NOTHING: FanOutDetail = { notifications: 0, deliveries: 0, createdIds: [], created: new Map() };

function filterOf(endpoint: EndpointRow): DeliveryFilter {
  return {
    eventTypes: JSON.parse(endpoint.event_types) as string[],
    tlpCeiling: endpoint.tlp_ceiling as DeliveryFilter['tlpCeiling'],
    sectors: endpoint.sectors === null ? null : (JSON.parse(endpoint.sectors) as string[]),
    products: endpoint.products === null ? null : (JSON.parse(endpoint.products) as string[]),
  };
}

/**
 * Asks for delivery soon: dispatch jobs, deduplicated per second, a few so that processes share the work. A
 * job of this second that has started already may not see the deliveries of the caller's transaction, so
 * then one more is asked for (named after it): deliveries go at once, not at the next safety-net run. The
 * shards are asked for together: two statements a round.
 */
export async function kickDispatch(executor: Executor, ctx: Pick<ServiceContext, 'clock' | 'db'>, at?: Date): Promise<void> {
  const when = at ?? ctx.clock.now();
  const second = Math.floor(when.getTime() / 1000);
  let keys = Array.from({ length: DISPATCH_SHARDS }, (_, shard) => `${DISPATCH_JOB}:${second}:${shard}`);
  while (keys.length > 0) {
    await addJobs(
      executor,
      ctx.db.caps,
      ctx.clock,
      keys.map((dedupKey) => ({ ...DISPATCH_JOB_OPTIONS, runAt: when, dedupKey })),
    );
    keys = (await jobsByDedupKey(executor, keys)).filter((j) => j.status !== 'queued').map((j) => `${DISPATCH_JOB}:after:${j.id}`);
  }
}

/**
 * Stores notifications with the change that causes them (the caller's transaction): each organisation's
 * inbox entry, one delivery per enabled webhook of it whose filters pass, and remediation items for the
 * assets concerned; then asks for dispatch. Idempotent: a draft whose (organisation, dedup key) exists
 * already adds nothing. `onlyEndpointId` restricts deliveries to one webhook (test sends).
 */
export async function fanOut(
  ctx: ServiceContext,
  trx: Executor,
  drafts: readonly NoticeDraft[],
  options: { readonly onlyEndpointId?: string; readonly markRead?: boolean } = {},
): Promise<FanOutDetail> {
  if (drafts.length === 0) return NOTHING;
  const now = ctx.clock.now().toISOString();
  const built = drafts.map((draft) => {
    const id = newId('ntf');
    const { data, facets } = draft.build(id);
    const row: NotificationRow = {
      id,
      org_id: draft.orgId,
      type: draft.type,
      dedup_key: draft.dedupKey,
      subject_id: draft.subjectId,
      source_event_id: draft.sourceEventId,
      tlp: draft.tlp,
      title: draft.title.slice(0, 300),
      facets: JSON.stringify(facets),
      body: webhookBody(draft.type, now, data),
      created_at: now,
      read_at: options.markRead === true ? now : null,
      read_by: options.markRead === true ? 'system:notify' : null,
    };
    return { draft, row, facets };
  });
  const { stored } = await insertNotifications(
    trx,
    ctx.db.caps,
    built.map((b) => b.row),
  );
  const created = built.filter((b) => stored.get(`${b.row.org_id}\u0000${b.row.dedup_key}`)?.created === true);
  if (created.length === 0) return NOTHING;

  const endpoints = await enabledEndpointsOf(
    trx,
    created.map((c) => c.row.org_id),
  );
  const byOrg = groupBy(
    endpoints.filter((e) => options.onlyEndpointId === undefined || e.id === options.onlyEndpointId),
    (e) => e.org_id,
  );
  const deliveries: DeliveryRow[] = [];
  const detail = new Map<NoticeDraft, { id: string; deliveries: number }>();
  for (const c of created) {
    const mine = { id: c.row.id, deliveries: 0 };
    detail.set(c.draft, mine);
    for (const endpoint of byOrg.get(c.row.org_id) ?? []) {
      if (options.onlyEndpointId === undefined && !filterNotification(filterOf(endpoint), c.facets).pass) continue;
      mine.deliveries++;
      deliveries.push({
        id: newId('msg'),
        notification_id: c.row.id,
        endpoint_id: endpoint.id,
        org_id: c.row.org_id,
        status: 'pending',
        attempts: 0,
        retry_base: 0,
        next_attempt_at: now,
        first_attempt_at: null,
        lease_owner: null,
        lease_expires_at: null,
        lease_instance: null,
        lease_boot_id: null,
        lease_pid_ns: null,
        lease_pid: null,
        lease_started: null,
        last_status: null,
        last_error: null,
        delivered_at: null,
        dead_at: null,
        dead_reason: null,
        replays: 0,
        created_at: now,
        updated_at: now,
      });
    }
  }
  await insertDeliveries(trx, ctx.db.caps, deliveries);
  await trackRemediation(
    ctx,
    trx,
    created.map((c) => ({ notificationId: c.row.id, orgId: c.row.org_id, seeds: c.draft.remediation ?? [] })),
    now,
  );
  if (deliveries.length > 0) await kickDispatch(trx, ctx);
  return { notifications: created.length, deliveries: deliveries.length, createdIds: created.map((c) => c.row.id), created: detail };
}

/**
 * Starts tracking remediation of each asset notified, and tightens the due date of an item tracked already
 * when a newer decision makes it sooner (a KEV listing turns `scheduled` into `immediate`); a later date never
 * pushes a deadline back.
 */
async function trackRemediation(
  ctx: ServiceContext,
  trx: Executor,
  notices: readonly { notificationId: string; orgId: string; seeds: readonly RemediationSeed[] }[],
  now: string,
): Promise<void> {
  const rows: RemediationRow[] = notices.flatMap((n) =>
    n.seeds.map((s) => ({
      id: newId('rem'),
      org_id: n.orgId,
      advisory_id: s.advisoryId,
      asset_id: s.assetId,
      asset_name: s.assetName,
      sector: s.sector,
      notification_id: n.notificationId,
      status: 'notified',
      mitigation: null,
      justification: null,
      expires_at: null,
      note: null,
      decision: s.decision,
      due_at: s.dueAt,
      due_sort: s.dueAt ?? NO_DUE_DATE,
      notified_at: now,
      acknowledged_at: null,
      closed_at: null,
      last_reminder_at: null,
      reported_at: null,
      reported_by: null,
      updated_at: now,
    })),
  );
  if (rows.length === 0) return;
  await insertItems(trx, ctx.db.caps, rows);
  // Items that existed before (their id is not the one just offered) may need a sooner deadline. They are
  // read for every advisory × organisation offered at once (an SBOM upload's notices name dozens of
  // advisories for one organisation); the pairs not offered are passed over.
  const offered = new Map(rows.map((r) => [`${r.org_id}\u0000${r.advisory_id}\u0000${r.asset_id}`, r]));
  const orgIds = [...new Set(rows.map((r) => r.org_id))];
  for (const advisories of chunks([...new Set(rows.map((r) => r.advisory_id))], 100)) {
    for (const part of chunks(orgIds)) {
      for (const item of await itemsOfOrgs(trx, advisories, part)) {
        const mine = offered.get(`${item.org_id}\u0000${item.advisory_id}\u0000${item.asset_id}`);
        if (mine === undefined || mine.id === item.id || mine.due_sort >= item.due_sort) continue;
        await updateItem(trx, item.id, { due_at: mine.due_at, due_sort: mine.due_sort, decision: mine.decision, updated_at: now });
      }
    }
  }
}
