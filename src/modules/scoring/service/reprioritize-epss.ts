import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import { authorize } from '../../identity/index.js';
import type { EpssScore } from '../domain/epss-score.js';
import { decisionsAfter, latestEpssOfSubjects, storeEpssChanges } from '../store/decisions.js';
import type { DecisionHistoryRow, DecisionRow } from '../store/tables.js';
import { epssOf, pickEpss } from './decision-compute.js';
import { auditTieBreakers } from './decision-engine.js';
import { DECISION_BATCH_SIZE, type BulkSummary } from './decisions.js';

export interface ReprioritizeAfterEpssOptions {
  /** Subjects read per transaction; default {@link DECISION_BATCH_SIZE}. */
  readonly batchSize?: number;
  /** Called after each batch with the subjects looked at so far. */
  readonly onProgress?: (done: number) => void;
}

/**
 * What a new EPSS day changes in the stored decisions, without deciding them again. EPSS is only a
 * tie-breaker (see `decidePriority`): a new score cannot move an outcome, a deadline or the stored
 * explanation, only the decision's EPSS columns. So each batch reads the narrow decision rows and the
 * newest scores of their CVEs in two range queries, picks the score that counts as a full recomputation
 * would ({@link pickEpss}), and writes — revision, history row, one batch audit event — only the decisions
 * whose score changed, exactly as {@link reprioritize} with reason `epss` stores them. Run again, it
 * writes nothing. The system and the coordinator's admins and analysts only.
 */
export async function reprioritizeAfterEpss(ctx: ServiceContext, options: ReprioritizeAfterEpssOptions = {}): Promise<BulkSummary> {
  authorize(ctx.actor, 'scoring.decision.compute');
  const size = options.batchSize ?? DECISION_BATCH_SIZE;
  let summary: BulkSummary = { subjects: 0, changed: 0, created: 0, outcomeChanged: 0 };
  let after: string | null = null;
  for (;;) {
    const from = after;
    const batch = await withTransaction(
      ctx.db,
      async (trx) => {
        const rows = await decisionsAfter(trx, from, size);
        const first = rows[0];
        const last = rows[rows.length - 1];
        if (first === undefined || last === undefined) return null;
        const scores = new Map<string, EpssScore[]>();
        for (const s of await latestEpssOfSubjects(trx, first.subject_id, last.subject_id)) {
          const score: EpssScore = { cveId: s.cve_id, epss: s.epss, percentile: s.percentile, date: s.score_date };
          const held = scores.get(s.subject_id);
          if (held === undefined) scores.set(s.subject_id, [score]);
          else held.push(score);
        }
        const now = ctx.clock.now().toISOString();
        const changed: { next: DecisionRow; history: DecisionHistoryRow }[] = [];
        for (const row of rows) {
          const picked = pickEpss(scores.get(row.subject_id) ?? []);
          const next: DecisionRow = {
            ...row,
            revision: row.revision + 1,
            epss: picked?.epss ?? null,
            epss_percentile: picked?.percentile ?? null,
            epss_date: picked?.date ?? null,
            epss_cve_id: picked?.cveId ?? null,
            evaluated_at: now,
          };
          const [before, after] = [epssOf(row), epssOf(next)];
          if (JSON.stringify(before) === JSON.stringify(after)) continue;
          changed.push({
            next,
            history: {
              id: newId('dech'),
              subject_id: row.subject_id,
              revision: next.revision,
              at: now,
              reason: 'epss',
              outcome: row.outcome,
              previous_outcome: row.outcome,
              changes: JSON.stringify({ epss: [before, after] }),
              explanation: null,
            },
          });
        }
        await storeEpssChanges(
          trx,
          ctx.db.caps,
          changed.map((c) => c.next),
          changed.map((c) => c.history),
        );
        await auditTieBreakers(
          ctx,
          trx,
          'epss',
          changed.map((c) => c.next.subject_id),
        );
        return { looked: rows.length, changed: changed.length, last: last.subject_id };
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
