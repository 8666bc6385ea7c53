import { holds, authorize, trackWork } from '../../identity/index.js';
import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { currentWork, enqueueJob, type QueuedWork } from '../../../platform/jobs/index.js';
import { completeRemoval, findActiveRemoval, findRemoval, insertRemoval, markRemovalRunning, removalTally } from '../store/removals.js';
import { presentRemoval, type Removal, type RemovalRequest } from '../presenters.js';
import { targetOrg } from './organisations.js';
import { runOrgRemoval, type PurgeOptions } from './purge.js';
import type { RetentionRegistry } from './retention-registry.js';

/** The job kind that carries out an organisation's removal. */
export const ORG_REMOVAL_JOB = 'governance.org.remove';

/** The background work of a removal, as `--wait` follows it. */
export function removalWorks(removal: Removal): QueuedWork[] {
  const w = removal.work;
  if (w === null) return [];
  return [{ id: w.id, jobs: w.jobs === null ? null : w.jobs.pending + w.jobs.running + w.jobs.done + w.jobs.failed }];
}

function checkReason(reason: unknown): string | null {
  if (reason === undefined || reason === null) return null;
  if (typeof reason !== 'string' || reason.length > 2000) {
    throw new InputError('reason must be text of at most 2000 characters', [
      { pointer: '/reason', detail: 'must be at most 2000 characters' },
    ]);
  }
  return reason;
}

/**
 * An organisation that leaves asks for its data to be removed (its admins, or a coordinator admin for it).
 * The request is recorded, audited and its job queued in one transaction, so the removal happens exactly
 * when the request committed, and answered at once; the job deletes every record the organisation owns
 * except what a legal hold covers, what the retention table keeps and the published record. While one is
 * queued or running a second request answers it (`created: false`) and changes nothing; once it completed,
 * a new request removes what a released hold no longer protects.
 */
export async function requestOrgRemoval(
  ctx: ServiceContext,
  input: { readonly orgId?: string | undefined; readonly reason?: unknown } = {},
): Promise<RemovalRequest> {
  const org = await targetOrg(ctx, input.orgId);
  authorize(ctx.actor, 'governance.org.remove', { ownerOrgId: org.id });
  const reason = checkReason(input.reason);
  // Two tries: a removal that completed between our conflict and our read leaves room for this one.
  for (let attempt = 0; attempt < 2; attempt++) {
    const { result: created } = await trackWork(ctx, ORG_REMOVAL_JOB, () =>
      withTransaction(ctx.db, async (trx) => {
        const id = newId('removal');
        const inserted = await insertRemoval(trx, {
          id,
          org_id: org.id,
          requested_by: describeActor(ctx.actor),
          requested_at: ctx.clock.now().toISOString(),
          reason,
          status: 'queued',
          run_id: null,
          completed_at: null,
          summary: null,
          active_org_id: org.id,
          work_id: currentWork()?.id ?? null,
        });
        if (!inserted) return null;
        await enqueueJob(trx, ctx.clock, { kind: ORG_REMOVAL_JOB, payload: { removalId: id }, dedupKey: `${ORG_REMOVAL_JOB}:${id}` });
        await ctx.audit.record(trx, ctx.actor, {
          action: 'governance.org.remove',
          subject: { type: 'org', id: org.id },
          orgId: org.id,
          // The reason stays on the removal, read under its rule (the organisation's admins, coordinator admins).
          diff: { removalId: id, withReason: reason !== null },
        });
        return id;
      }),
    );
    const row = created === null ? await findActiveRemoval(ctx.db.kysely, org.id) : await findRemoval(ctx.db.kysely, created);
    if (row !== undefined) return { removal: await presentRemoval(ctx, row), created: created !== null };
  }
  throw new Error(`removal of ${org.id}: neither recorded nor found under way`);
}

/** One removal request, for its organisation's admins and coordinator admins; anyone else: not found. */
export async function getRemoval(ctx: ServiceContext, id: string): Promise<Removal> {
  const row = await findRemoval(ctx.db.kysely, id);
  if (row === undefined || !holds(ctx.actor, 'governance.org.remove', { ownerOrgId: row.org_id })) {
    throw new NotFoundError(`no removal ${id}`);
  }
  return presentRemoval(ctx, row);
}

/**
 * The job of a removal request: purges the organisation's records (as the purge does, batch by batch, each
 * batch one transaction with its tombstones and audit events), then completes the request. Run again after a
 * crash, it finishes what the first run left: purged records are gone from the walk, pending blobs are
 * deleted first, and a completed request is not run twice.
 */
export async function runQueuedRemoval(
  ctx: ServiceContext,
  registry: RetentionRegistry,
  removalId: string,
  options: PurgeOptions = {},
): Promise<void> {
  const row = await findRemoval(ctx.db.kysely, removalId);
  if (row === undefined || row.status === 'completed') return;
  await markRemovalRunning(ctx.db.kysely, removalId);
  const purge = await runOrgRemoval(ctx, registry, row.org_id, { ...options, removalId });
  const removed = await removalTally(ctx.db.kysely, removalId);
  const total = Object.values(removed).reduce((n, c) => n + c, 0);
  await withTransaction(ctx.db, async (trx) => {
    const completed = await completeRemoval(trx, removalId, {
      runId: purge.runId,
      completedAt: ctx.clock.now().toISOString(),
      summary: JSON.stringify({ removed, held: purge.held, blobsDeleted: purge.blobsDeleted }),
    });
    if (!completed) return;
    await ctx.audit.record(trx, ctx.actor, {
      action: 'governance.org.removed',
      subject: { type: 'org', id: row.org_id },
      orgId: row.org_id,
      diff: { removalId, removed: total, held: purge.held },
    });
  });
}
