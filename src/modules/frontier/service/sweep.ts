import { HOUR } from '../../../platform/clock.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { ConflictError } from '../../../platform/errors.js';
import { grantsOfReview, grantsPastExpiry } from '../store/grants.js';
import { claimReminder, reviewsPastWindow, runningReviews } from '../store/reviews.js';
import { findRow, type ReviewRow } from '../store/tables.js';
import { closeReview, endGrant } from './grant-lifecycle.js';
import { addTimeline, currentPolicy } from './records.js';
import { REVIEW_CLOSING } from '../events.js';

/** What one sweep did, for logs and tests. */
export interface SweepResult {
  readonly reviewsCompleted: number;
  readonly grantsExpired: number;
  readonly remindersSent: number;
}

/**
 * The reminder due for a review now, if any: the shortest lead time whose moment has come and that was
 * not sent for this window end yet. Lead times as long as the window itself are skipped (a reminder at
 * the opening says nothing). Several leads due at once (a sweep that ran late) give one reminder.
 */
function dueLeads(review: ReviewRow, leads: readonly number[], now: Date): number[] {
  const end = Date.parse(review.window_end);
  const lengthHours = (end - Date.parse(review.window_start)) / HOUR;
  return leads.filter((lead) => lead < lengthHours && now.getTime() >= end - lead * HOUR).sort((a, b) => a - b);
}

async function remind(ctx: ServiceContext, review: ReviewRow, leads: readonly number[]): Promise<boolean> {
  return withTransaction(ctx.db, async (trx) => {
    const current = await findRow(trx, 'frontier_review', review.id);
    if (current === undefined || current.outcome !== null || current.window_end !== review.window_end) return false;
    const sentAt = ctx.clock.now().toISOString();
    let claimed = false;
    for (const lead of leads)
      claimed =
        (await claimReminder(trx, { review_id: review.id, lead_hours: lead, window_end: review.window_end, sent_at: sentAt })) || claimed;
    if (!claimed) return false;
    const hoursLeft = Math.max(0, Math.round((Date.parse(review.window_end) - ctx.clock.now().getTime()) / HOUR));
    const grantees = (await grantsOfReview(trx, review.id)).map((g) => g.grantee_org_id);
    const participantOrgIds = [...new Set([review.owner_org_id, ...grantees])];
    await addTimeline(trx, ctx, review.id, 'review.reminder', { windowEnd: review.window_end, hoursLeft, leadHours: leads[0] });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.review.remind',
      subject: { type: 'review', id: review.id },
      orgId: review.owner_org_id,
      diff: { windowEnd: review.window_end, hoursLeft },
    });
    // notify delivers this to the participants; the clearinghouse sends nothing itself from here.
    await ctx.events.emit(trx, {
      type: REVIEW_CLOSING,
      subjectId: review.id,
      orgId: review.owner_org_id,
      payload: { reviewId: review.id, modelId: review.model_id, windowEnd: review.window_end, hoursLeft, participantOrgIds },
    });
    return true;
  });
}

/**
 * The frontier job, run every minute: records reviews whose window ran out as completed (ending their
 * grants), expires grants past their expiry, and sends the reminders due before windows close. Each
 * item is its own transaction and every step is idempotent, so two workers sweeping at once, or a
 * sweep run again after a crash, do each thing once.
 */
export async function sweepFrontier(ctx: ServiceContext): Promise<SweepResult> {
  const now = ctx.clock.now();
  let reviewsCompleted = 0;
  let grantsExpired = 0;
  let remindersSent = 0;
  for (const review of await reviewsPastWindow(ctx.db.kysely, now.toISOString())) {
    try {
      await withTransaction(ctx.db, (trx) => closeReview(trx, ctx, review, 'completed', null));
      reviewsCompleted++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error; // closed meanwhile by the developer or another worker
    }
  }
  for (const grant of await grantsPastExpiry(ctx.db.kysely, now.toISOString())) {
    if (await withTransaction(ctx.db, (trx) => endGrant(trx, ctx, grant, 'expired'))) grantsExpired++;
  }
  const policy = await currentPolicy(ctx.db.kysely);
  for (const review of await runningReviews(ctx.db.kysely, now.toISOString())) {
    const leads = dueLeads(review, policy.reminderLeadHours, now);
    if (leads.length > 0 && (await remind(ctx, review, leads))) remindersSent++;
  }
  return { reviewsCompleted, grantsExpired, remindersSent };
}
