import type { ServiceContext } from '../../../platform/context.js';
import { keepStatisticsFresh, withTransaction } from '../../../platform/db/index.js';
import { newIds } from '../../../platform/ids.js';
import { authorize } from '../../identity/index.js';
import { decidedCount, epssMoves, insertHistoryRows, storeEpssColumns, type EpssColumns, type EpssMove } from '../store/decisions.js';
import { storeEpssBatch } from '../store/epss-batch.js';
import type { DecisionHistoryRow } from '../store/tables.js';
import { epssOf } from './decision-compute.js';
import { auditTieBreakers } from './decision-engine.js';
import type { BulkSummary } from './decisions.js';

/** What the comparison reads. */
const READ_TABLES = ['scoring_decision', 'scoring_subject_cve', 'scoring_epss_latest'] as const;

/**
 * Subjects per write transaction by default: a day that moves every score writes 100,000 decisions in 20
 * transactions, not 200 (each a commit and an audit event).
 */
export const EPSS_BATCH_SIZE = 5000;

export interface ReprioritizeAfterEpssOptions {
  /** Consecutive decided subjects (in subject id order) whose changes one transaction writes; default {@link EPSS_BATCH_SIZE}. */
  readonly batchSize?: number;
  /** Called after each batch with the subjects looked at so far. */
  readonly onProgress?: (done: number) => void;
}

/**
 * What a new EPSS day changes in the stored decisions, without deciding them again. EPSS is only a
 * tie-breaker (see `decidePriority`): a new score cannot move an outcome, a deadline or the stored
 * explanation, only the decision's EPSS columns. So the database finds the decisions whose score that counts
 * (`pickEpss`'s, ranked in SQL) is no longer the one they hold — where it can, in the statement that writes
 * them, batch by batch (see storeEpssBatch) — and only those are written —
 * EPSS columns and revision, history row, one audit event per batch of subjects — exactly as
 * {@link reprioritize} with reason `epss` stores them: a day that moves a tenth of the scores rewrites a tenth
 * of the decisions, a day with the same scores (or only new percentiles) writes nothing. Run again, it writes
 * nothing. The system and the coordinator's admins and analysts only.
 *
 * Crash safety: each batch is one transaction (decisions, history and audit event together), and a decision is
 * written only if its revision is still the one read, so a batch either happened or did not; a run killed between
 * batches leaves the later decisions holding their old score, which the next run (the consumer's retry) finds
 * moved and writes. A decision decided again between the read and its batch keeps what that decision wrote.
 */
export async function reprioritizeAfterEpss(ctx: ServiceContext, options: ReprioritizeAfterEpssOptions = {}): Promise<BulkSummary> {
  authorize(ctx.actor, 'scoring.decision.compute');
  const size = options.batchSize ?? EPSS_BATCH_SIZE;
  // An EPSS day rewrites most of scoring_epss_latest: without fresh statistics PostgreSQL may plan the
  // comparison's joins on estimates from before the import.
  await keepStatisticsFresh(ctx.db.kysely, ctx.db.caps, READ_TABLES);
  if (ctx.db.caps.writesInWith && ctx.db.caps.distinctOn) return reprioritizeInDatabase(ctx, size, options.onProgress);
  const moves = await epssMoves(ctx.db.kysely);
  // A subject decided meanwhile may stand past the count: counted as looked at.
  const subjects = Math.max(await decidedCount(ctx.db.kysely), moves[moves.length - 1]?.position ?? 0);
  let changed = 0;
  let next = 0;
  for (let batchEnd = size; batchEnd < subjects + size; batchEnd += size) {
    const batch: EpssMove[] = [];
    for (; next < moves.length && (moves[next]?.position ?? 0) <= batchEnd; next += 1) batch.push(moves[next] as EpssMove);
    if (batch.length > 0) changed += await storeBatch(ctx, batch);
    options.onProgress?.(Math.min(batchEnd, subjects));
  }
  return { subjects, changed, created: 0, outcomeChanged: 0 };
}

/**
 * The same, each batch read, compared and written by one statement in the database (see storeEpssBatch):
 * batches of `size` consecutive decided subjects in subject id order, each its own transaction with its
 * audit event, the next starting after the last subject of the one before.
 */
async function reprioritizeInDatabase(ctx: ServiceContext, size: number, onProgress?: (done: number) => void): Promise<BulkSummary> {
  let subjects = 0;
  let changed = 0;
  let after = '';
  for (;;) {
    const batch = await withTransaction(
      ctx.db,
      async (trx) => {
        const historyIds = newIds('dech', size);
        const now = ctx.clock.now().toISOString();
        const stored = await storeEpssBatch(trx, ctx.db.caps, { after, size, evaluatedAt: now, historyIds });
        await auditTieBreakers(ctx, trx, 'epss', stored.written);
        return stored;
      },
      { durability: 'deferred' },
    );
    if (batch.last === null) break;
    subjects += batch.looked;
    changed += batch.written.length;
    after = batch.last;
    onProgress?.(subjects);
    if (batch.looked < size) break;
  }
  return { subjects, changed, created: 0, outcomeChanged: 0 };
}

/** Writes one batch of moves in one transaction; returns how many decisions it changed. */
async function storeBatch(ctx: ServiceContext, moves: readonly EpssMove[]): Promise<number> {
  return withTransaction(
    ctx.db,
    async (trx) => {
      const now = ctx.clock.now().toISOString();
      const rows = moves.map((move): EpssColumns => ({
        subject_id: move.subject_id,
        revision: move.revision + 1,
        epss: move.next_epss,
        epss_percentile: move.next_percentile,
        epss_date: move.next_date,
        epss_cve_id: move.next_cve_id,
      }));
      const updated = await storeEpssColumns(trx, ctx.db.caps, now, rows);
      const history: DecisionHistoryRow[] = [];
      const ids = newIds('dech', moves.length);
      for (const [i, move] of moves.entries()) {
        const next = rows[i] as EpssColumns;
        if (!updated.has(move.subject_id)) continue;
        history.push({
          id: ids[i] as string,
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
      await insertHistoryRows(trx, ctx.db.caps, history);
      await auditTieBreakers(
        ctx,
        trx,
        'epss',
        history.map((h) => h.subject_id),
      );
      return history.length;
      // Derived and idempotent: a batch lost with the machine is found changed again by the next run, and the
      // consumer's own (full) commit that marks the event handled takes every batch before it to the disk.
    },
    { durability: 'deferred' },
  );
}
