import type { Database, Executor, Page, PageRequest } from '../../../platform/db/index.js';
import { chunks, insertMany, paginate, type DialectCapabilities } from '../../../platform/db/index.js';
import { holderIsGone, processStartTime, type LeaseHolder } from '../../../platform/jobs/index.js';
import { groupBy } from '../../../platform/collections.js';
import { t, type AttemptRow, type DeliveryRow } from './tables.js';

const COLUMNS = [
  'id',
  'notification_id',
  'endpoint_id',
  'org_id',
  'status',
  'attempts',
  'retry_base',
  'next_attempt_at',
  'first_attempt_at',
  'lease_owner',
  'lease_expires_at',
  'last_status',
  'last_error',
  'delivered_at',
  'dead_at',
  'dead_reason',
  'replays',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof DeliveryRow)[];

/** Inserts deliveries; a (notification, endpoint) pair that exists already is left as it is. */
export async function insertDeliveries(executor: Executor, caps: DialectCapabilities, rows: readonly DeliveryRow[]): Promise<void> {
  await insertMany(
    executor,
    caps,
    'notify_delivery',
    COLUMNS,
    rows.map((r) => COLUMNS.map((c) => r[c])),
    { onConflictDoNothing: ['notification_id', 'endpoint_id'] },
  );
}

/**
 * Claims up to `limit` due deliveries for one batch: pending, due, and not leased (or leased by a worker
 * whose lease ran out — it died or hung). The attempt count goes up by one: each claim is one attempt,
 * and the (delivery, attempt) pair is never claimed twice. On PostgreSQL several processes claim at once
 * with `FOR UPDATE SKIP LOCKED`; on SQLite the single statement is atomic.
 */
export async function claimDeliveries(
  db: Database,
  options: {
    readonly leaseOwner: string;
    /** The claiming process, recorded so that its successor can give the deliveries back at once should it die. */
    readonly holder?: LeaseHolder | undefined;
    readonly now: string;
    readonly leaseExpiresAt: string;
    readonly limit: number;
  },
): Promise<DeliveryRow[]> {
  const { leaseOwner, holder, now, leaseExpiresAt, limit } = options;
  return t(db.kysely)
    .updateTable('notify_delivery')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      lease_owner: leaseOwner,
      lease_expires_at: leaseExpiresAt,
      lease_instance: holder?.instance ?? null,
      lease_boot_id: holder?.bootId ?? null,
      lease_pid_ns: holder?.pidNamespace ?? null,
      lease_pid: holder?.pid ?? null,
      lease_started: holder?.startTime ?? null,
      first_attempt_at: eb.fn.coalesce('first_attempt_at', eb.val(now)),
      updated_at: now,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notify_delivery')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .$if(db.caps.skipLocked, (q) => q.forUpdate().skipLocked()),
    )
    .returningAll()
    .execute();
}

/**
 * Gives back at once the pending deliveries whose lease a dead process of `holder`'s instance holds (see
 * holderIsGone: same instance, boot and pid namespace, and that pid gone or reused), instead of leaving them
 * until the lease runs out (a minute): the next claim takes them, as one more attempt under the same id, as
 * after an expiry. A lease another process took meanwhile (its owner changed) is left alone. Returns their ids.
 */
export async function releaseGoneDeliveryLeases(
  executor: Executor,
  holder: LeaseHolder,
  now: string,
  startTimeOf: (pid: number) => string | null = processStartTime,
): Promise<string[]> {
  const held = await t(executor)
    .selectFrom('notify_delivery')
    .select(['id', 'lease_owner', 'lease_instance', 'lease_boot_id', 'lease_pid_ns', 'lease_pid', 'lease_started'])
    .where('status', '=', 'pending')
    .where('lease_instance', '=', holder.instance)
    .where('lease_expires_at', '>', now)
    .execute();
  const released: string[] = [];
  for (const lease of held) {
    if (lease.lease_owner === null || !holderIsGone(lease, holder, startTimeOf)) continue;
    const result = await t(executor)
      .updateTable('notify_delivery')
      .set({ lease_expires_at: now, updated_at: now })
      .where('id', '=', lease.id)
      .where('status', '=', 'pending')
      .where('lease_owner', '=', lease.lease_owner)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) released.push(lease.id);
  }
  return released;
}

/** Gives claimed deliveries back unattempted (their endpoint's circuit is open): no attempt is spent. */
export async function releaseDeliveries(
  executor: Executor,
  leaseOwner: string,
  ids: readonly string[],
  until: string,
  now: string,
): Promise<void> {
  for (const part of chunks(ids)) {
    await t(executor)
      .updateTable('notify_delivery')
      .set((eb) => ({
        attempts: eb('attempts', '-', 1),
        lease_owner: null,
        lease_expires_at: null,
        next_attempt_at: until,
        updated_at: now,
      }))
      .where('id', 'in', part)
      .where('lease_owner', '=', leaseOwner)
      .execute();
  }
}

/** Records successes of one batch; a delivery whose lease was lost meanwhile is left to its new holder. */
export async function markDelivered(
  executor: Executor,
  leaseOwner: string,
  results: readonly { id: string; status: number }[],
  now: string,
): Promise<void> {
  const byStatus = groupBy(
    results,
    (r) => r.status,
    (r) => r.id,
  );
  for (const [status, ids] of byStatus) {
    for (const part of chunks(ids)) {
      await t(executor)
        .updateTable('notify_delivery')
        .set({
          status: 'delivered',
          delivered_at: now,
          last_status: status,
          last_error: null,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: now,
        })
        .where('id', 'in', part)
        .where('lease_owner', '=', leaseOwner)
        .execute();
    }
  }
}

/** Records one failure: retried at `retryAt`, or dead-lettered with `deadReason`. */
export async function markFailed(
  executor: Executor,
  leaseOwner: string,
  failure: { id: string; status: number | null; error: string; retryAt: string | null; deadReason: string | null },
  now: string,
): Promise<void> {
  await t(executor)
    .updateTable('notify_delivery')
    .set({
      status: failure.retryAt === null ? 'dead' : 'pending',
      next_attempt_at: failure.retryAt ?? now,
      last_status: failure.status,
      last_error: failure.error.slice(0, 2000),
      dead_at: failure.retryAt === null ? now : null,
      dead_reason: failure.retryAt === null ? failure.deadReason : null,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    })
    .where('id', '=', failure.id)
    .where('lease_owner', '=', leaseOwner)
    .execute();
}

const ATTEMPT_COLUMNS = [
  'delivery_id',
  'attempt',
  'worker',
  'started_at',
  'outcome',
  'status_code',
  'error',
  'duration_ms',
] as const satisfies readonly (keyof AttemptRow)[];

export async function insertAttempts(executor: Executor, caps: DialectCapabilities, rows: readonly AttemptRow[]): Promise<void> {
  await insertMany(
    executor,
    caps,
    'notify_attempt',
    ATTEMPT_COLUMNS,
    rows.map((r) => ATTEMPT_COLUMNS.map((c) => r[c])),
    { onConflictDoNothing: ['delivery_id', 'attempt'] },
  );
}

/** Holds an endpoint's pending deliveries back until its circuit closes (they spend no attempt). */
export async function postponeEndpoint(executor: Executor, endpointId: string, until: string, now: string): Promise<void> {
  await t(executor)
    .updateTable('notify_delivery')
    .set({ next_attempt_at: until, updated_at: now })
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<', until)
    .where('lease_owner', 'is', null)
    .execute();
}

/** Stops every delivery not yet made to an endpoint (it was deleted or disabled). */
export async function cancelEndpointDeliveries(executor: Executor, endpointId: string, reason: string, now: string): Promise<number> {
  const result = await t(executor)
    .updateTable('notify_delivery')
    .set({ status: 'cancelled', dead_reason: reason, lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findDeliveries(executor: Executor, ids: readonly string[]): Promise<DeliveryRow[]> {
  const out: DeliveryRow[] = [];
  for (const part of chunks([...new Set(ids)]))
    out.push(...(await t(executor).selectFrom('notify_delivery').selectAll().where('id', 'in', part).execute()));
  return out;
}

export async function findDelivery(executor: Executor, id: string): Promise<DeliveryRow | undefined> {
  return t(executor).selectFrom('notify_delivery').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface DeliveryQuery {
  readonly endpointId?: string;
  readonly status?: DeliveryRow['status'];
}

/** An organisation's deliveries, newest first. */
export async function listDeliveries(
  executor: Executor,
  orgId: string,
  query: DeliveryQuery,
  request: PageRequest,
): Promise<Page<DeliveryRow>> {
  const q = t(executor)
    .selectFrom('notify_delivery')
    .selectAll()
    .where('org_id', '=', orgId)
    .$if(query.endpointId !== undefined, (b) => b.where('endpoint_id', '=', query.endpointId ?? ''))
    .$if(query.status !== undefined, (b) => b.where('status', '=', query.status ?? 'pending'));
  return paginate(q, request, {
    sort: 'notify_delivery.id',
    id: 'notify_delivery.id',
    sortOf: (r) => r.id,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}

export async function attemptsOf(executor: Executor, deliveryId: string): Promise<AttemptRow[]> {
  return t(executor).selectFrom('notify_attempt').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
}

/** Puts dead-lettered deliveries back in the queue, due now, with a fresh 24-hour window. */
export async function requeueDead(executor: Executor, ids: readonly string[], now: string): Promise<number> {
  let changed = 0;
  for (const part of chunks(ids)) {
    const result = await t(executor)
      .updateTable('notify_delivery')
      .set((eb) => ({
        status: 'pending',
        next_attempt_at: now,
        first_attempt_at: null,
        retry_base: eb.ref('attempts'),
        dead_at: null,
        dead_reason: null,
        replays: eb('replays', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', part)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}

/** When the next pending delivery falls due, for scheduling the dispatcher; null when none is pending. */
export async function nextDueAt(executor: Executor): Promise<string | null> {
  const row = await t(executor)
    .selectFrom('notify_delivery')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}

export async function deliveryIdsOf(executor: Executor, notificationId: string): Promise<string[]> {
  return (
    await t(executor).selectFrom('notify_delivery').select('id').where('notification_id', '=', notificationId).orderBy('id').execute()
  ).map((r) => r.id);
}
