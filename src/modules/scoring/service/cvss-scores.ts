import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { InputError, type FieldIssue } from '../../../platform/errors.js';
import { type CvssScores, scoreCvss } from '../../../platform/cvss/index.js';
import { presentCvssScore, type CvssScoreRecord } from '../presenters.js';
import { cvssScoresOf, replaceCvssScores } from '../store/cvss-scores.js';
import { decisionStates } from '../store/decisions.js';
import { authorize } from '../../identity/index.js';
import { decideAndStore, storedItem } from './decision-engine.js';
import { policyInForce } from './policy.js';

/** Most vectors one subject carries (one per version and source is the norm). */
export const MAX_VECTORS_PER_SUBJECT = 50;

function scoreAll(vectors: readonly string[]): CvssScores[] {
  if (vectors.length > MAX_VECTORS_PER_SUBJECT)
    throw new InputError(`at most ${MAX_VECTORS_PER_SUBJECT} vectors per subject`, [
      { pointer: '/vectors', detail: `must hold at most ${MAX_VECTORS_PER_SUBJECT} vectors` },
    ]);
  const issues: FieldIssue[] = [];
  const scored = new Map<string, CvssScores>();
  vectors.forEach((vector, i) => {
    try {
      const scores = scoreCvss(vector, { pointer: `/vectors/${i}` });
      scored.set(scores.vector, scores);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(...error.issues);
    }
  });
  if (issues.length > 0) throw new InputError(`invalid CVSS vectors: ${issues.map((i) => `${i.pointer}: ${i.detail}`).join('; ')}`, issues);
  return [...scored.values()];
}

/**
 * Scores a subject's CVSS vectors (2.0, 3.0, 3.1, 4.0) — every score recomputed from the vector, whatever
 * score came with it — and stores them as the subject's set, replacing the previous one. When the subject
 * has a decision, it is recomputed in the same transaction, since its explanation shows the vector of the
 * newest version. InputError naming each malformed vector and metric (`/vectors/2`: `AV: 'Q' is not …`);
 * nothing is stored then. The system and the coordinator's admins and analysts only. Audited as
 * `scoring.cvss.score` when the set changed.
 */
export async function scoreVectors(ctx: ServiceContext, subjectId: string, vectors: readonly string[]): Promise<CvssScoreRecord[]> {
  authorize(ctx.actor, 'scoring.decision.compute');
  const scored = scoreAll(vectors);
  const policy = await policyInForce(ctx.db.kysely);
  return withTransaction(ctx.db, async (trx) => {
    const before = await cvssScoresOf(trx, [subjectId]);
    const same = before.length === scored.length && scored.every((s) => before.some((b) => b.vector === s.vector));
    if (same) return before.map(presentCvssScore);
    const at = ctx.clock.now().toISOString();
    const rows = scored.map((s) => ({
      subject_id: subjectId,
      vector: s.vector,
      version: s.version,
      base: s.base.score,
      overall: s.overall.score,
      severity: s.overall.severity,
      scores: JSON.stringify(s),
      scored_at: at,
    }));
    await replaceCvssScores(trx, subjectId, rows);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scoring.cvss.score',
      subject: { type: 'decision', id: subjectId },
      orgId: null,
      diff: { vectors: [before.map((b) => b.vector), rows.map((r) => r.vector)] },
    });
    const states = await decisionStates(trx, [subjectId]);
    if (states.length > 0) await decideAndStore(ctx, trx, states.map(storedItem), policy, { reason: 'cvss', auditEach: true });
    return rows.map(presentCvssScore);
  });
}
