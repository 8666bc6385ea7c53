import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, type Executor } from '../../../platform/db/index.js';
import { ConflictError, InputError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { GRANT_TERM_KEYS, type GrantEndReason, type GrantPlan } from '../domain/grant-rules.js';
import type { ReviewOutcome } from '../domain/review-window.js';
import { endLiveGrant, grantsOfReview, liveGrantOf } from '../store/grants.js';
import { insertRow, updateRow, type GrantRow, type ReviewRow } from '../store/tables.js';
import { PROGRAM_TLP, shareModel, shareWith } from './audience.js';
import { agreementTerms } from './agreements.js';
import { actorUserId, addTimeline, orgById } from './records.js';
import { GRANT_CREATED, GRANT_EXPIRED, GRANT_REVOKED, REVIEW_CLOSED } from '../events.js';

/**
 * The parts of the grant and review lifecycles that several use cases share: issuing a grant, ending
 * grants, closing a review. Each runs inside the caller's transaction and records its own audit event.
 */

/**
 * Issues a grant on a review (pending until the grantee acknowledges the terms) and widens the model's
 * audience to the grantee. ConflictError when the grantee holds a live grant on this review already.
 */
export async function issueGrant(
  trx: Executor,
  ctx: ServiceContext,
  review: ReviewRow,
  grant: GrantPlan & { readonly granteeOrgId: string; readonly nominationId: string | null },
): Promise<GrantRow> {
  // No unique key says "one live grant per grantee and review": two grants at once queue here instead.
  await serializeOn(trx, ctx.db.caps, `frontier.grant:${review.id}:${grant.granteeOrgId}`);
  if (await liveGrantOf(trx, review.id, grant.granteeOrgId)) {
    throw new ConflictError(`organisation ${grant.granteeOrgId} holds a grant on this review already; revoke it before issuing another`, {
      code: 'grant-exists',
    });
  }
  // A review opened under a voluntary testing agreement grants on its terms: who may be granted access, and
  // the protections each grantee acknowledges.
  const terms =
    review.agreement_id === null || review.agreement_version === null
      ? null
      : await agreementTerms(trx, review.agreement_id, review.agreement_version);
  if (terms !== null) {
    const kind = grant.nominationId !== null ? 'trusted_partner' : (await orgById(ctx, trx, grant.granteeOrgId)).kind;
    if (!(terms.grantees as readonly string[]).includes(kind)) {
      throw new InputError(
        `voluntary testing agreement ${review.agreement_id} version ${review.agreement_version}, under which this review opened, lets only ${terms.grantees.join(', ')} be granted access`,
        [{ pointer: '/granteeOrgId', detail: `must be one of the grantees the agreement names: ${terms.grantees.join(', ')}` }],
        { code: 'unprocessable' },
      );
    }
  }
  const now = ctx.clock.now().toISOString();
  const row: GrantRow = {
    id: newId('grant'),
    review_id: review.id,
    model_id: review.model_id,
    owner_org_id: review.owner_org_id,
    tlp: PROGRAM_TLP,
    created_by: actorUserId(ctx.actor),
    grantee_org_id: grant.granteeOrgId,
    nomination_id: grant.nominationId,
    scope: grant.scope,
    terms: JSON.stringify(terms?.grantTerms ?? GRANT_TERM_KEYS),
    credential_ref: grant.credentialRef,
    starts_at: grant.startsAt.toISOString(),
    expires_at: grant.expiresAt.toISOString(),
    status: 'pending',
    acknowledged_at: null,
    acknowledged_by: null,
    ended_at: null,
    end_reason: null,
    revocation_reason: null,
    created_at: now,
    updated_at: now,
  };
  await insertRow(trx, 'frontier_grant', row);
  await shareWith(trx, ctx, row.id, [row.grantee_org_id]);
  await shareModel(trx, ctx, review.model_id);
  const detail = {
    granteeOrgId: row.grantee_org_id,
    scope: row.scope,
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    nominationId: row.nomination_id,
  };
  await addTimeline(trx, ctx, review.id, 'grant.created', { grantId: row.id, ...detail }, row.id);
  await ctx.audit.record(trx, ctx.actor, {
    action: 'frontier.grant.create',
    subject: { type: 'grant', id: row.id },
    orgId: review.owner_org_id,
    diff: { ...detail, credentialRef: row.credential_ref },
  });
  await ctx.events.emit(trx, {
    type: GRANT_CREATED,
    subjectId: row.id,
    orgId: review.owner_org_id,
    payload: { grantId: row.id, reviewId: review.id, modelId: review.model_id, ...detail, credentialRef: row.credential_ref },
  });
  return row;
}

/**
 * Ends a pending or active grant (expiry, revocation, or its review closing). Returns false when it had
 * ended already — another worker or request got there first — so callers stay idempotent.
 */
export async function endGrant(
  trx: Executor,
  ctx: ServiceContext,
  grant: GrantRow,
  reason: GrantEndReason,
  revocationReason: string | null = null,
): Promise<boolean> {
  const now = ctx.clock.now().toISOString();
  const revoked = reason === 'revoked';
  const endedAt = reason === 'expired' && grant.expires_at < now ? grant.expires_at : now;
  const patch = {
    status: revoked ? 'revoked' : 'expired',
    ended_at: endedAt,
    end_reason: reason,
    revocation_reason: revocationReason,
    updated_at: now,
  };
  if (!(await endLiveGrant(trx, grant.id, patch))) return false;
  await addTimeline(
    trx,
    ctx,
    grant.review_id,
    revoked ? 'grant.revoked' : 'grant.expired',
    { grantId: grant.id, granteeOrgId: grant.grantee_org_id, reason, revocationReason },
    grant.id,
  );
  await ctx.audit.record(trx, ctx.actor, {
    action: revoked ? 'frontier.grant.revoke' : 'frontier.grant.expire',
    subject: { type: 'grant', id: grant.id },
    orgId: grant.owner_org_id,
    diff: { status: [grant.status, patch.status], endReason: reason, revocationReason },
  });
  // The developer's own credential system listens for these to withdraw the credentials it issued.
  await ctx.events.emit(trx, {
    type: revoked ? GRANT_REVOKED : GRANT_EXPIRED,
    subjectId: grant.id,
    orgId: grant.owner_org_id,
    payload: {
      grantId: grant.id,
      reviewId: grant.review_id,
      granteeOrgId: grant.grantee_org_id,
      credentialRef: grant.credential_ref,
      reason,
      endedAt,
    },
  });
  return true;
}

const CLOSE_ACTIONS: Record<ReviewOutcome, string> = {
  ended: 'frontier.review.end',
  withdrawn: 'frontier.review.withdraw',
  completed: 'frontier.review.complete',
};

/**
 * Closes a review: records the outcome, who closed it and when, and ends its grants. It touches nothing
 * of the model — in particular never its planned release. ConflictError when it was closed meanwhile.
 */
export async function closeReview(
  trx: Executor,
  ctx: ServiceContext,
  review: ReviewRow,
  outcome: ReviewOutcome,
  reason: string | null,
): Promise<ReviewRow> {
  const now = ctx.clock.now().toISOString();
  const closedAt = outcome === 'completed' ? review.window_end : now;
  const patch = { outcome, closed_at: closedAt, closed_by: describeActor(ctx.actor), close_reason: reason, updated_at: now };
  if (!(await updateRow(trx, 'frontier_review', review.id, patch, { outcome: null }))) {
    throw new ConflictError(`review ${review.id} has closed already`, { code: 'review-closed' });
  }
  for (const grant of await grantsOfReview(trx, review.id)) await endGrant(trx, ctx, grant, `review_${outcome}`);
  await addTimeline(trx, ctx, review.id, `review.${outcome}`, { closedAt, reason });
  await ctx.audit.record(trx, ctx.actor, {
    action: CLOSE_ACTIONS[outcome],
    subject: { type: 'review', id: review.id },
    orgId: review.owner_org_id,
    diff: { outcome, closedAt, reason },
  });
  await ctx.events.emit(trx, {
    type: REVIEW_CLOSED,
    subjectId: review.id,
    orgId: review.owner_org_id,
    payload: {
      reviewId: review.id,
      modelId: review.model_id,
      outcome,
      closedAt,
      reportPath: `/api/v1/frontier/reviews/${review.id}/report`,
    },
  });
  return { ...review, ...patch };
}
