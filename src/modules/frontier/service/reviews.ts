import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, NotAllowedError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import type { GrantScope } from '../domain/grant-rules.js';
import { actsForDeveloper, overseesReview } from '../domain/program-roles.js';
import { extendWindow, isFinalState, planWindow, windowTooLong, type ReviewOutcome } from '../domain/review-window.js';
import { effectiveWindow } from '../domain/testing-agreement.js';
import { presentReview, presentTimelineEntry, stateOf, type Review, type TimelineEntry } from '../presenters.js';
import { nominationsOf } from '../store/partners.js';
import { listReviews as listReviewRows, reviewEvents, unclosedReviewsOf } from '../store/reviews.js';
import { insertRow, updateRow, type ReviewRow } from '../store/tables.js';
import { agreementForModel, agreementTerms } from './agreements.js';
import { closeReview, issueGrant } from './grant-lifecycle.js';
import { actorUserId, addTimeline, currentPolicy, loadModel, loadReview, visibleById } from './records.js';
import { REVIEW_EXTENDED, REVIEW_OPENED } from '../events.js';

/**
 * Opens a review of one of the developer's models (voluntary: only the developer does this). The window is
 * `days` of 24 hours from `accessStart`, at most the policy maximum — a longer request is refused with a
 * 422 stating the maximum and the policy version, never shortened. Selected trusted partners of the model
 * receive their grants with it. ConflictError when the model has a review scheduled or open.
 * Audited as `frontier.review.open`; emits `frontier.review.opened`.
 */
export async function openReview(
  ctx: ServiceContext,
  input: { modelId?: unknown; accessStart?: unknown; days?: unknown; timeZone?: unknown },
): Promise<Review> {
  const ids = new FieldReader();
  const modelId = ids.text('/modelId', input.modelId, 64);
  ids.done();
  const model = await loadModel(ctx, ctx.db.kysely, modelId);
  if (!actsForDeveloper(ctx.actor, model.owner_org_id)) throw new NotAllowedError('only the developer opens a review of its model');
  const now = ctx.clock.now();
  const policy = await currentPolicy(ctx.db.kysely);
  // A voluntary testing agreement covering the model sets the default window and may lower the maximum;
  // it never gates the review: without one the policy alone applies.
  const agreement = await agreementForModel(ctx.db.kysely, model.owner_org_id, model);
  const window = effectiveWindow(agreement?.terms ?? null, policy);
  const days = input.days ?? window.defaultDays ?? undefined;
  if (agreement !== null && typeof days === 'number' && Number.isInteger(days) && days > window.maxDays) {
    throw windowTooLong(
      days,
      { version: policy.version, windowMaxDays: window.maxDays },
      '/days',
      `voluntary testing agreement ${agreement.agreementId} version ${agreement.version}`,
    );
  }
  const plan = planWindow({ ...input, days }, policy, now);
  return withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, `frontier.review:${modelId}`);
    for (const open of await unclosedReviewsOf(trx, modelId)) {
      // A window that ran out but was not swept yet is simply recorded as completed now.
      if (stateOf(open, now) === 'completed') await closeReview(trx, ctx, open, 'completed', null);
      else
        throw new ConflictError(`model ${modelId} has review ${open.id} scheduled or open; extend, end or withdraw it first`, {
          code: 'review-open',
        });
    }
    const row: ReviewRow = {
      id: newId('review'),
      model_id: modelId,
      owner_org_id: model.owner_org_id,
      requested_days: plan.days,
      window_start: plan.windowStart.toISOString(),
      window_end: plan.windowEnd.toISOString(),
      time_zone: plan.timeZone,
      policy_version: policy.version,
      agreement_id: agreement?.agreementId ?? null,
      agreement_version: agreement?.version ?? null,
      outcome: null,
      closed_at: null,
      closed_by: null,
      close_reason: null,
      created_by: actorUserId(ctx.actor),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await insertRow(trx, 'frontier_review', row);
    const detail = {
      modelId,
      windowStart: row.window_start,
      windowEnd: row.window_end,
      days: plan.days,
      timeZone: plan.timeZone,
      policyVersion: policy.version,
      windowMaxDays: policy.windowMaxDays,
    };
    await addTimeline(trx, ctx, row.id, 'review.opened', detail);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.review.open',
      subject: { type: 'review', id: row.id },
      orgId: model.owner_org_id,
      diff: detail,
    });
    await ctx.events.emit(trx, {
      type: REVIEW_OPENED,
      subjectId: row.id,
      orgId: model.owner_org_id,
      payload: { reviewId: row.id, ...detail },
    });
    for (const nomination of await nominationsOf(trx, modelId)) {
      if (nomination.status !== 'selected') continue;
      const scope = nomination.scope as GrantScope;
      await issueGrant(trx, ctx, row, {
        granteeOrgId: nomination.candidate_org_id,
        nominationId: nomination.id,
        scope,
        startsAt: plan.windowStart,
        expiresAt: plan.windowEnd,
        credentialRef: null,
      });
    }
    return presentReview(row, now);
  });
}

export async function getReview(ctx: ServiceContext, id: string): Promise<Review> {
  const { review } = await loadReview(ctx, ctx.db.kysely, id);
  return presentReview(review, ctx.clock.now());
}

/** Reviews of the models the actor may see, newest first. */
export async function listReviews(ctx: ServiceContext, request: PageRequest & { modelId?: string | undefined }): Promise<Page<Review>> {
  const page = await listReviewRows(ctx.db.kysely, ctx.actor, { modelId: request.modelId }, request);
  const now = ctx.clock.now();
  return { items: page.items.map((r) => presentReview(r, now)), nextCursor: page.nextCursor };
}

/** A review the developer may still change: visible, the developer's, and scheduled or open. */
async function runningReviewOfDeveloper(
  ctx: ServiceContext,
  trx: Parameters<typeof loadReview>[1],
  id: string,
  verb: string,
): Promise<ReviewRow> {
  const { review } = await loadReview(ctx, trx, id);
  if (!actsForDeveloper(ctx.actor, review.owner_org_id)) throw new NotAllowedError(`only the developer may ${verb} its review`);
  const state = stateOf(review, ctx.clock.now());
  if (isFinalState(state))
    throw new ConflictError(`review ${id} is ${state}; only a scheduled or open review can be changed`, { code: 'review-closed' });
  return review;
}

/**
 * Extends a review by `additionalDays`, as long as its whole length stays within the maximum of the policy
 * in force (422 otherwise, stating both). Grants keep their expiry; the developer issues new ones if it
 * wants them longer. Audited as `frontier.review.extend`; emits `frontier.review.extended`.
 */
export async function extendReview(ctx: ServiceContext, id: string, input: { additionalDays?: unknown }): Promise<Review> {
  return withTransaction(ctx.db, async (trx) => {
    const review = await runningReviewOfDeveloper(ctx, trx, id, 'extend');
    const policy = await currentPolicy(trx);
    // The agreement version the review opened under still bounds it, whatever became of the agreement since.
    const terms =
      review.agreement_id === null || review.agreement_version === null
        ? null
        : await agreementTerms(trx, review.agreement_id, review.agreement_version);
    const bound = { version: policy.version, windowMaxDays: effectiveWindow(terms, policy).maxDays };
    const next = extendWindow({ windowStart: new Date(review.window_start), days: review.requested_days }, input.additionalDays, bound);
    const now = ctx.clock.now().toISOString();
    const patch = { requested_days: next.days, window_end: next.windowEnd.toISOString(), updated_at: now };
    if (!(await updateRow(trx, 'frontier_review', id, patch, { outcome: null, window_end: review.window_end }))) {
      throw new ConflictError(`review ${id} changed meanwhile; read it again`, { code: 'review-changed' });
    }
    const detail = {
      days: [review.requested_days, next.days],
      windowEnd: [review.window_end, patch.window_end],
      policyVersion: policy.version,
      windowMaxDays: policy.windowMaxDays,
    };
    await addTimeline(trx, ctx, id, 'review.extended', detail);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.review.extend',
      subject: { type: 'review', id },
      orgId: review.owner_org_id,
      diff: detail,
    });
    await ctx.events.emit(trx, {
      type: REVIEW_EXTENDED,
      subjectId: id,
      orgId: review.owner_org_id,
      payload: { reviewId: id, windowEnd: patch.window_end, days: next.days },
    });
    return presentReview({ ...review, ...patch }, ctx.clock.now());
  });
}

async function closeByDeveloper(
  ctx: ServiceContext,
  id: string,
  outcome: Extract<ReviewOutcome, 'ended' | 'withdrawn'>,
  input: { reason?: unknown },
): Promise<Review> {
  const r = new FieldReader();
  const reason = r.optionalText('/reason', input.reason, 2000);
  r.done();
  return withTransaction(ctx.db, async (trx) => {
    const review = await runningReviewOfDeveloper(ctx, trx, id, outcome === 'ended' ? 'end' : 'withdraw');
    return presentReview(await closeReview(trx, ctx, review, outcome, reason), ctx.clock.now());
  });
}

/**
 * Ends a review early, at any time the developer chooses; its grants end with it. Audited as
 * `frontier.review.end`; emits `frontier.review.closed`. The model's release is not affected in any way.
 */
export function endReview(ctx: ServiceContext, id: string, input: { reason?: unknown } = {}): Promise<Review> {
  return closeByDeveloper(ctx, id, 'ended', input);
}

/**
 * Withdraws the developer's participation in a review (scheduled or open); its grants end with it.
 * Audited as `frontier.review.withdraw`; emits `frontier.review.closed`.
 */
export function withdrawReview(ctx: ServiceContext, id: string, input: { reason?: unknown } = {}): Promise<Review> {
  return closeByDeveloper(ctx, id, 'withdrawn', input);
}

/**
 * The review's timeline, oldest first: who did what and when. Entries about a grant, an evaluation or a
 * finding appear only to those who may see that record, so that partners do not learn of each other; and
 * outside the developer and the coordinator, other participants' acts are shown without naming them.
 */
export async function reviewTimeline(ctx: ServiceContext, id: string): Promise<TimelineEntry[]> {
  const { review } = await loadReview(ctx, ctx.db.kysely, id);
  const overseer = overseesReview(ctx.actor, review.owner_org_id);
  const ownOrg = ctx.actor.kind === 'user' ? ctx.actor.orgId : null;
  const seen = new Map<string, boolean>();
  const entries: TimelineEntry[] = [];
  for (const row of await reviewEvents(ctx.db.kysely, id)) {
    const restricted = row.restricted_to;
    if (restricted !== null) {
      if (!seen.has(restricted)) seen.set(restricted, await visibleById(ctx.db.kysely, ctx.actor, restricted));
      if (seen.get(restricted) !== true) continue;
    }
    const named = overseer || row.actor_org_id === ownOrg || row.actor_org_id === review.owner_org_id;
    entries.push(presentTimelineEntry(named ? row : { ...row, actor: 'another participant', actor_org_id: null }));
  }
  return entries;
}
