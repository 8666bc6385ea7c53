import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { enqueueJobs, finishJobByKey } from '../../../platform/jobs/index.js';
import type { TriageRow, WorkRow } from '../store/tables.js';
import { insertWorks, lastWorkSeqs, openWorks, updateWork } from '../store/work.js';

/**
 * Validation work for partner sandboxes is held in the platform jobs table, one job per open slot, so that
 * its lease, expiry and concurrent claims (SKIP LOCKED on PostgreSQL) are the platform's. Each cluster's
 * slots have their own job kind: the background job runner never claims them (it claims only kinds it
 * has handlers for), and a validator claims a chosen cluster's slot by naming its kind.
 */
export const REPRODUCE_KIND_PREFIX = 'validation.reproduce:';

export const reproduceKind = (clusterId: string): string => `${REPRODUCE_KIND_PREFIX}${clusterId}`;

/** The lease owner recorded on a claimed job: the organisation, so that any of its validators may report. */
export const workerOf = (orgId: string): string => `validator:${orgId}`;

const slotKey = (clusterId: string, seq: number): string => `${reproduceKind(clusterId)}:${seq}`;

/** Abandoned leases come back many times; a slot only ends when the cluster no longer needs it. */
const SLOT_MAX_ATTEMPTS = 1000;

/** Ends a slot: its job done (a validator still holding it finds its lease lost), the row closed. */
export async function closeWork(trx: Executor, ctx: ServiceContext, work: WorkRow, attemptId: string | null = null): Promise<void> {
  await finishJobByKey(trx, ctx.clock, slotKey(work.cluster_id, work.seq));
  await updateWork(trx, work.job_id, { closed_at: ctx.clock.now().toISOString(), attempt_id: attemptId });
}

/** Opens these slots (cluster and number) in a few statements: a job each, and the work row that holds it. */
async function openSlots(trx: Executor, ctx: ServiceContext, slots: readonly { clusterId: string; seq: number }[]): Promise<void> {
  if (slots.length === 0) return;
  const jobIds = await enqueueJobs(
    trx,
    ctx.db.caps,
    ctx.clock,
    slots.map((s) => ({
      kind: reproduceKind(s.clusterId),
      payload: { clusterId: s.clusterId },
      dedupKey: slotKey(s.clusterId, s.seq),
      maxAttempts: SLOT_MAX_ATTEMPTS,
    })),
  );
  const now = ctx.clock.now().toISOString();
  await insertWorks(
    trx,
    ctx.db.caps,
    slots.map((s) => ({
      job_id: jobIds.get(slotKey(s.clusterId, s.seq)) ?? '',
      cluster_id: s.clusterId,
      seq: s.seq,
      opened_at: now,
      closed_at: null,
      claimed_org_id: null,
      claimed_user_id: null,
      claimed_at: null,
      lease_expires_at: null,
      attempt_id: null,
    })),
  );
}

/**
 * Opens the slots of clusters that have none yet (just entered the queue), in a few statements for the
 * whole batch: the path every new cluster of a large submission takes.
 */
export async function openFirstWork(
  trx: Executor,
  ctx: ServiceContext,
  needs: readonly { clusterId: string; needed: number }[],
): Promise<void> {
  await openSlots(
    trx,
    ctx,
    needs.flatMap(({ clusterId, needed }) => Array.from({ length: needed }, (_, i) => ({ clusterId, seq: i + 1 }))),
  );
}

/**
 * Keeps one open slot per confirmation each cluster still needs while it is received and active; closes
 * them all otherwise. Surplus slots close unclaimed ones first. The open slots of all the clusters are read
 * at once and missing ones opened at once: a sync of a thousand grown clusters costs a few statements.
 */
export async function reconcileWorks(
  trx: Executor,
  ctx: ServiceContext,
  entries: readonly { readonly row: TriageRow; readonly needed: number }[],
): Promise<void> {
  if (entries.length === 0) return;
  const open = await openWorks(
    trx,
    entries.map((e) => e.row.cluster_id),
  );
  const now = ctx.clock.now().toISOString();
  const live = (w: WorkRow) => w.lease_expires_at !== null && w.lease_expires_at > now;
  const missing: { clusterId: string; count: number }[] = [];
  for (const { row, needed } of entries) {
    const slots = open.get(row.cluster_id) ?? [];
    const remaining = row.state === 'received' && row.active === 1 ? Math.max(0, needed - row.confirmations) : 0;
    if (slots.length > remaining) {
      const surplus = [...slots].sort((a, b) => Number(live(a)) - Number(live(b))).slice(0, slots.length - remaining);
      for (const work of surplus) await closeWork(trx, ctx, work);
    } else if (slots.length < remaining) missing.push({ clusterId: row.cluster_id, count: remaining - slots.length });
  }
  if (missing.length === 0) return;
  const last = await lastWorkSeqs(
    trx,
    missing.map((m) => m.clusterId),
  );
  await openSlots(
    trx,
    ctx,
    missing.flatMap(({ clusterId, count }) =>
      Array.from({ length: count }, (_, i) => ({ clusterId, seq: (last.get(clusterId) ?? 0) + i + 1 })),
    ),
  );
}

/** {@link reconcileWorks} for one cluster. */
export async function reconcileWork(trx: Executor, ctx: ServiceContext, row: TriageRow, needed: number): Promise<void> {
  await reconcileWorks(trx, ctx, [{ row, needed }]);
}
