import type { ServiceContext } from '../../../platform/context.js';
import { keepStatisticsFresh, withTransaction } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import { authorize } from '../../identity/index.js';
import { epssMovesBetween, storeEpssMoves, subjectIdsAfter, type EpssColumns } from '../store/decisions.js';
import type { DecisionHistoryRow } from '../store/tables.js';
import { epssOf } from './decision-compute.js';
import { auditTieBreakers } from './decision-engine.js';
import { DECISION_BATCH_SIZE, type BulkSummary } from './decisions.js';

/** What each batch reads, by primary key. */
const READ_TABLES = ['scoring_decision', 'scoring_subject_cve', 'scoring_epss_latest'] as const;

export interface ReprioritizeAfterEpssOptions {
  /** Subjects read per transaction; default {@link DECISION_BATCH_SIZE}. */
  readonly batchSize?: number;
  /** Called after each batch with the subjects looked at so far. */
  readonly onProgress?: (done: number) => void;
}

/**
 * What a new EPSS day changes in the stored decisions, without deciding them again. EPSS is only a
 * tie-breaker (see `decidePriority`): a new score cannot move an outcome, a deadline or the stored
 * explanation, only the decision's EPSS columns. So each batch of subjects (in subject id order) asks the
 * database for the decisions whose score that counts (`pickEpss`'s, ranked in SQL) is no longer the one
 * they hold, and writes — EPSS columns and revision, history row, one batch audit event — only those, exactly
 * as {@link reprioritize} with reason `epss` stores them: a day that moves a tenth of the scores rewrites a
 * tenth of the decisions, a day with the same scores (or only new percentiles) writes nothing. Run again, it
 * writes nothing. The system and the coordinator's admins and analysts only.
 */
export async function reprioritizeAfterEpss(ctx: ServiceContext, options: ReprioritizeAfterEpssOptions = {}): Promise<BulkSummary> {
  authorize(ctx.actor, 'scoring.decision.compute');
  const size = options.batchSize ?? DECISION_BATCH_SIZE;
  // An EPSS day rewrites most of scoring_epss_latest: without fresh statistics PostgreSQL plans each batch's
  // lookups as full scans of it (55 ms a batch instead of 3 at 100,000 CVEs).
  await keepStatisticsFresh(ctx.db.kysely, ctx.db.caps, READ_TABLES);
  let summary: BulkSummary = { subjects: 0, changed: 0, created: 0, outcomeChanged: 0 };
  let after: string | null = null;
  for (;;) {
    const from = after;
    const batch = await withTransaction(
      ctx.db,
      async (trx) => {
        const ids = await subjectIdsAfter(trx, from, size);
        const last = ids[ids.length - 1];
        if (last === undefined) return null;
        const moves = await epssMovesBetween(trx, from, ids.length < size ? null : last);
        const now = ctx.clock.now().toISOString();
        const rows: EpssColumns[] = [];
        const history: DecisionHistoryRow[] = [];
        for (const move of moves) {
          const next: EpssColumns = {
            subject_id: move.subject_id,
            revision: move.revision + 1,
            epss: move.next_epss,
            epss_percentile: move.next_percentile,
            epss_date: move.next_date,
            epss_cve_id: move.next_cve_id,
          };
          rows.push(next);
          history.push({
            id: newId('dech'),
            subject_id: move.subject_id,
            revision: next.revision,
            at: now,
            reason: 'epss',
            outcome: move.outcome,
            previous_outcome: move.outcome,
            changes: JSON.stringify({ epss: [epssOf(move), epssOf(next)] }),
            explanation: null,
          });
        }
        await storeEpssMoves(trx, ctx.db.caps, now, rows, history);
        await auditTieBreakers(
          ctx,
          trx,
          'epss',
          rows.map((r) => r.subject_id),
        );
        return { looked: ids.length, changed: rows.length, last };
        // Derived and idempotent: a batch lost with the machine is found changed again by the next run, and the
        // consumer's own (full) commit that marks the event handled takes every batch before it to the disk.
      },
      { durability: 'deferred' },
    );
    if (batch === null) break;
    after = batch.last;
    summary = { ...summary, subjects: summary.subjects + batch.looked, changed: summary.changed + batch.changed };
    options.onProgress?.(summary.subjects);
  }
  return summary;
}
