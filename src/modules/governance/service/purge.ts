import { authorize } from '../../identity/index.js';
import { describeActor } from '../../../platform/actor.js';
import { removeUnreferencedBlobs } from '../../../platform/blobs/index.js';
import { HOUR } from '../../../platform/clock.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import { removalDecision, retentionDecision, type Tombstone } from '../domain/retention-decision.js';
import { activeHolds } from '../store/holds.js';
import { addPendingBlobs, finishRun, insertRun, insertTombstones, pendingBlobs, removePendingBlobs } from '../store/purges.js';
import { currentRetentionTable } from '../store/retention-policy.js';
import type { TombstoneRow } from '../store/tables.js';
import { presentHold, walkRecords, type WalkedRecord } from './record-walk.js';
import type { RetentionRegistry } from './retention-registry.js';
import type { PurgeResult } from '../presenters.js';

/** Records deleted per transaction: small enough to keep locks short, large enough to be quick. */
export const PURGE_BATCH = 100;

export interface PurgeOptions {
  readonly batchSize?: number;
  /** Called when a batch has committed, before its blobs are deleted (progress; the crash test stops here). */
  readonly afterCommit?: (purgedSoFar: number) => Promise<void> | void;
  /** A purged record's blob stored again more recently than this is left to the blob sweeper; default 24 hours. */
  readonly blobGraceMs?: number;
}

interface Doomed {
  readonly walked: WalkedRecord;
  readonly expiredAt: string | null;
  readonly reason: string;
}

/** Default of {@link PurgeOptions.blobGraceMs}: the blob sweeper's default grace. */
export const PURGE_BLOB_GRACE_MS = 24 * HOUR;

/**
 * Deletes blobs whose last record a committed purge deleted, the way the blob sweeper does: unless some
 * record (of any module) refers to the same bytes again, or they were stored again within `graceMs` (an
 * upload of the same bytes whose record is not committed yet); those the sweeper removes later, if they
 * are still unreferenced then. The blob goes first and its pending row after, so that a crash in between
 * only repeats a deletion. Returns how many blobs were deleted.
 */
export async function flushPendingBlobs(ctx: ServiceContext, registry: RetentionRegistry, graceMs = PURGE_BLOB_GRACE_MS): Promise<number> {
  let deleted = 0;
  for (;;) {
    const pending = await pendingBlobs(ctx.db.kysely, 200);
    if (pending.length === 0) return deleted;
    const shas = pending.map((p) => p.sha256);
    const storedBefore = new Date(ctx.clock.now().getTime() - graceMs);
    const outcome = await removeUnreferencedBlobs(
      ctx,
      registry.blobReferences,
      shas.map((name) => ({ name, size: 0 })),
      storedBefore,
    );
    deleted += outcome.removed.length;
    await removePendingBlobs(ctx.db.kysely, shas);
  }
}

/** One transaction: the module deletes its records; tombstones, pending blobs and audit events are written. */
async function purgeBatch(
  ctx: ServiceContext,
  runId: string,
  policyVersion: number | null,
  cause: Tombstone['cause'],
  batch: readonly Doomed[],
): Promise<number> {
  const first = batch[0];
  if (first === undefined) return 0;
  const { source, dataClass } = first.walked;
  const now = ctx.clock.now().toISOString();
  return withTransaction(ctx.db, async (trx) => {
    const deleted = new Set(
      await source.purge(
        trx,
        dataClass,
        batch.map((d) => d.walked.record.recordId),
        { caps: ctx.db.caps, now },
      ),
    );
    const rows: TombstoneRow[] = batch
      .filter((d) => deleted.has(d.walked.record.recordId))
      .map((d) => ({
        record_id: d.walked.record.recordId,
        data_class: dataClass,
        module: source.module,
        owner_org_id: d.walked.record.ownerOrgId,
        created_at: d.walked.record.createdAt,
        expired_at: d.expiredAt,
        purged_at: now,
        cause,
        reason: d.reason,
        policy_version: policyVersion,
        run_id: runId,
      }));
    const written = await insertTombstones(trx, rows);
    const blobs = new Set(batch.filter((d) => written.has(d.walked.record.recordId)).flatMap((d) => d.walked.record.blobs));
    await addPendingBlobs(
      trx,
      [...blobs].map((sha256) => ({ sha256, run_id: runId, since: now })),
    );
    for (const d of batch) {
      if (!written.has(d.walked.record.recordId)) continue;
      await ctx.audit.record(trx, ctx.actor, {
        action: 'governance.record.purge',
        subject: { type: dataClass, id: d.walked.record.recordId },
        orgId: d.walked.record.ownerOrgId,
        diff: { dataClass, module: source.module, cause, reason: d.reason, expiredAt: d.expiredAt, runId, policyVersion },
      });
    }
    return written.size;
  });
}

/**
 * Walks every record, purging in batches those `decide` dooms; each batch is one transaction, then its
 * blobs are deleted. A run that dies part-way is simply run again: what was purged is gone from the walk,
 * what was not is decided again, and pending blobs are deleted first.
 */
async function purgeWhere(
  ctx: ServiceContext,
  registry: RetentionRegistry,
  run: { cause: Tombstone['cause']; orgId: string | null; removalId: string | null },
  decide: (walked: WalkedRecord) => { doomed: Doomed | null; held: boolean },
  options: PurgeOptions & { classes?: (c: WalkedRecord['dataClass']) => boolean },
): Promise<PurgeResult> {
  const policy = await currentRetentionTable(ctx.db.kysely);
  const runId = newId('purge');
  const startedAt = ctx.clock.now().toISOString();
  await insertRun(ctx.db.kysely, {
    id: runId,
    cause: run.cause,
    org_id: run.orgId,
    policy_version: policy.version,
    started_by: describeActor(ctx.actor),
    started_at: startedAt,
    finished_at: null,
    purged: 0,
    held: 0,
    blobs_deleted: 0,
    removal_id: run.removalId,
  });
  let blobsDeleted = await flushPendingBlobs(ctx, registry, options.blobGraceMs);
  let purged = 0;
  let held = 0;
  const byClass: Record<string, number> = {};
  const size = options.batchSize ?? PURGE_BATCH;
  for await (const page of walkRecords(ctx.db.kysely, registry, {
    ...(options.classes === undefined ? {} : { classes: options.classes }),
    ...(run.orgId === null ? {} : { orgId: run.orgId }),
  })) {
    const doomed: Doomed[] = [];
    for (const walked of page) {
      const decision = decide(walked);
      if (decision.held) held++;
      if (decision.doomed !== null) doomed.push(decision.doomed);
    }
    for (let i = 0; i < doomed.length; i += size) {
      const batch = doomed.slice(i, i + size);
      const n = await purgeBatch(ctx, runId, policy.version, run.cause, batch);
      purged += n;
      const dataClass = batch[0]?.walked.dataClass ?? '';
      byClass[dataClass] = (byClass[dataClass] ?? 0) + n;
      await options.afterCommit?.(purged);
      blobsDeleted += await flushPendingBlobs(ctx, registry, options.blobGraceMs);
    }
  }
  await finishRun(ctx.db.kysely, runId, { purged, held, blobsDeleted, finishedAt: ctx.clock.now().toISOString() });
  return { runId, cause: run.cause, policyVersion: policy.version, purged, held, blobsDeleted, byClass };
}

/**
 * The retention purge (the daily `governance.retention.purge` job, or `clearinghouse retention purge`):
 * deletes every record whose class's rule says it expired by now and no legal hold covers, with its
 * blobs; leaves a tombstone and an audit event for each. Idempotent and resumable.
 */
export async function runRetentionPurge(
  ctx: ServiceContext,
  registry: RetentionRegistry,
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  authorize(ctx.actor, 'governance.retention.purge');
  const policy = await currentRetentionTable(ctx.db.kysely);
  const holds = (await activeHolds(ctx.db.kysely)).map(presentHold);
  const now = ctx.clock.now();
  return purgeWhere(
    ctx,
    registry,
    { cause: 'retention', orgId: null, removalId: null },
    (walked) => {
      const decision = retentionDecision(policy.table.rules[walked.dataClass], walked.subject, holds, now);
      if (decision.outcome === 'purge') return { doomed: { walked, expiredAt: decision.expiresAt, reason: decision.reason }, held: false };
      return { doomed: null, held: decision.outcome === 'held' };
    },
    { ...options, classes: (c) => policy.table.rules[c].keep !== true },
  );
}

/**
 * Removes what an organisation that leaves asked to remove: every record it owns, except those a legal
 * hold covers, those the retention table keeps and the published record (published cases and advisories).
 * `removalId` names the removal request the run carries out (its tombstones count for it); the request's
 * job is what calls this (service/removals.ts).
 */
export async function runOrgRemoval(
  ctx: ServiceContext,
  registry: RetentionRegistry,
  orgId: string,
  options: PurgeOptions & { readonly removalId?: string } = {},
): Promise<PurgeResult> {
  const policy = await currentRetentionTable(ctx.db.kysely);
  const holds = (await activeHolds(ctx.db.kysely)).map(presentHold);
  const now = ctx.clock.now();
  return purgeWhere(
    ctx,
    registry,
    { cause: 'removal', orgId, removalId: options.removalId ?? null },
    (walked) => {
      const decision = removalDecision(policy.table.rules[walked.dataClass], walked.subject, holds, now);
      if (decision.outcome === 'remove') {
        return { doomed: { walked, expiredAt: null, reason: `removed at the request of organisation ${orgId}` }, held: false };
      }
      return { doomed: null, held: decision.holdIds !== undefined };
    },
    options,
  );
}
