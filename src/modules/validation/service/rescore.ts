import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { receivedClustersReportedBy } from '../store/reports.js';
import { chunks } from '../store/tables.js';
import { receivedClusters } from '../store/triage.js';
import { placeClusters } from './placement.js';
import { currentPolicy } from './policy.js';

export interface RescorePayload {
  /** Re-place the received clusters these organisations reported. */
  readonly orgIds?: readonly string[];
  /** Re-place every received cluster (a changed prior or default severity). */
  readonly all?: boolean;
}

/** Idempotent: placing a cluster twice gives the same place. Audited per batch as `validation.queue.rescore`. */
export async function rescoreQueue(ctx: ServiceContext, payload: RescorePayload): Promise<number> {
  const clusterIds = payload.all
    ? await receivedClusters(ctx.db.kysely)
    : await receivedClustersReportedBy(ctx.db.kysely, payload.orgIds ?? []);
  for (const ids of chunks(clusterIds)) {
    await withTransaction(ctx.db, async (trx) => {
      const { policy } = await currentPolicy(trx);
      await placeClusters(trx, ids, policy, ctx.clock.now().toISOString());
      await ctx.audit.record(trx, ctx.actor, {
        action: 'validation.queue.rescore',
        subject: { type: 'triage-queue', id: 'received' },
        diff: { ...payload, clusters: ids.length },
      });
    });
  }
  return clusterIds.length;
}
