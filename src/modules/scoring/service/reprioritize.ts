import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { decisionStates, subjectIdsAfter, subjectIdsOfCves } from '../store/decisions.js';
import { authorize } from '../../identity/index.js';
import { decideAndStore, storedItem } from './decision-engine.js';
import { DECISION_BATCH_SIZE, summarize, type BulkSummary } from './decisions.js';
import { policyInForce } from './policy.js';

export interface ReprioritizeOptions {
  /** Why (`kev`, `epss`, `policy`, …): recorded in the history, the audit trail and events. */
  readonly reason: string;
  /** Only the subjects naming one of these CVEs; default every subject with a decision. */
  readonly cveIds?: readonly string[];
  /** Subjects per transaction; default {@link DECISION_BATCH_SIZE}. */
  readonly batchSize?: number;
  /** Called after each batch with the subjects done (and the total, when known in advance). */
  readonly onProgress?: (done: number, total: number | null) => void;
}

/**
 * Recomputes stored decisions from their stored inputs and the feeds and policy as they are now — after
 * a KEV release, a new EPSS day or a policy change. Works in batches, each its own transaction; decisions
 * that come out the same write nothing, so an interrupted run can simply be run again. Changes are stored
 * and audited as {@link decideAndStore} says (bulk mode). The system and the coordinator's admins and
 * analysts only.
 */
export async function reprioritize(ctx: ServiceContext, options: ReprioritizeOptions): Promise<BulkSummary> {
  authorize(ctx.actor, 'scoring.decision.compute');
  const size = options.batchSize ?? DECISION_BATCH_SIZE;
  const policy = await policyInForce(ctx.db.kysely);
  const named = options.cveIds === undefined ? null : await subjectIdsOfCves(ctx.db.kysely, options.cveIds);
  let summary: BulkSummary = { subjects: 0, changed: 0, created: 0, outcomeChanged: 0 };
  let after: string | null = null;
  for (let offset = 0; ; offset += size) {
    const ids: string[] = named === null ? await subjectIdsAfter(ctx.db.kysely, after, size) : named.slice(offset, offset + size);
    if (ids.length === 0) break;
    after = ids[ids.length - 1] ?? null;
    const outcomes = await withTransaction(ctx.db, async (trx) => {
      const items = (await decisionStates(trx, ids)).map(storedItem);
      return decideAndStore(ctx, trx, items, policy, { reason: options.reason, auditEach: false });
    });
    summary = summarize(outcomes, summary);
    options.onProgress?.(summary.subjects, named?.length ?? null);
  }
  return summary;
}
