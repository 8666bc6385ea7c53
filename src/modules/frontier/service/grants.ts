import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import {
  REVOCATION_REASONS,
  checkAcknowledgement,
  grantStatus,
  grantUsable,
  planGrant,
  type GrantStatus,
  type GrantTerm,
} from '../domain/grant-rules.js';
import { actsForDeveloper, canAct, isGovernmentKind } from '../domain/program-roles.js';
import { isFinalState } from '../domain/review-window.js';
import { presentAccessLog, presentGrant, stateOf, type AccessLogEntry, type Grant } from '../presenters.js';
import { isSelectedPartner } from '../store/partners.js';
import { accessLog } from '../store/reviews.js';
import { insertRow, pageVisible, parseJson, updateRow, type GrantRow } from '../store/tables.js';
import { endGrant, issueGrant } from './grant-lifecycle.js';
import { actorOrgId, addTimeline, loadReview, loadVisible, orgById } from './records.js';
import { GRANT_ACKNOWLEDGED } from '../events.js';

async function granteeOf(
  ctx: ServiceContext,
  executor: Executor,
  granteeOrgId: string,
  modelId: string,
  developerOrgId: string,
): Promise<string> {
  const org = await orgById(ctx, executor, granteeOrgId).catch((error: unknown) => {
    if (error instanceof NotFoundError)
      throw new InputError(`no organisation ${granteeOrgId}`, [{ pointer: '/granteeOrgId', detail: 'must name an organisation' }]);
    throw error;
  });
  if (org.id === developerOrgId)
    throw new InputError('a developer does not grant access to itself', [
      { pointer: '/granteeOrgId', detail: 'must be another organisation' },
    ]);
  if (!isGovernmentKind(org.kind) && (await isSelectedPartner(executor, modelId, org.id)) === undefined) {
    throw new InputError(
      `${org.name} is neither an agency nor a trusted partner selected for this model by both sides`,
      [{ pointer: '/granteeOrgId', detail: 'must be an agency, the coordinator, or a selected trusted partner of the model' }],
      { code: 'unprocessable' },
    );
  }
  return org.id;
}

/**
 * Grants an agency or a selected trusted partner access for this review (the developer only): a scope,
 * an expiry no later than the window's end (422 otherwise), and a reference to where the developer's
 * system issues the credentials. The grant is pending until the grantee acknowledges its terms.
 * Audited as `frontier.grant.create`; emits `frontier.grant.created`.
 */
export async function createGrant(
  ctx: ServiceContext,
  reviewId: string,
  input: { granteeOrgId?: unknown; scope?: unknown; startsAt?: unknown; expiresAt?: unknown; credentialRef?: unknown },
): Promise<Grant> {
  const r = new FieldReader();
  const granteeOrgId = r.text('/granteeOrgId', input.granteeOrgId, 64);
  r.done();
  return withTransaction(ctx.db, async (trx) => {
    const { review } = await loadReview(ctx, trx, reviewId);
    if (!actsForDeveloper(ctx.actor, review.owner_org_id)) throw new NotAllowedError('only the developer grants access to its model');
    const now = ctx.clock.now();
    const state = stateOf(review, now);
    if (isFinalState(state))
      throw new ConflictError(`review ${reviewId} is ${state}; grants are issued only while it is scheduled or open`, {
        code: 'review-closed',
      });
    const plan = planGrant(input, { windowStart: review.window_start, windowEnd: review.window_end }, now);
    const grantee = await granteeOf(ctx, trx, granteeOrgId, review.model_id, review.owner_org_id);
    const nomination = await isSelectedPartner(trx, review.model_id, grantee);
    return presentGrant(await issueGrant(trx, ctx, review, { ...plan, granteeOrgId: grantee, nominationId: nomination?.id ?? null }), now);
  });
}

/** Grants the actor may see, newest first: a grantee sees only its own. */
export async function listGrants(ctx: ServiceContext, request: PageRequest & { reviewId?: string | undefined }): Promise<Page<Grant>> {
  const page = await pageVisible(ctx.db.kysely, ctx.actor, 'frontier_grant', { review_id: request.reviewId }, request);
  const now = ctx.clock.now();
  return { items: page.items.map((g) => presentGrant(g, now)), nextCursor: page.nextCursor };
}

export async function getGrant(ctx: ServiceContext, id: string): Promise<Grant> {
  return presentGrant(await loadVisible(ctx, ctx.db.kysely, 'frontier_grant', id, 'grant'), ctx.clock.now());
}

function requireGrantee(ctx: ServiceContext, grant: GrantRow, verb: string): void {
  if (!canAct(ctx.actor) || (ctx.actor.kind === 'user' && ctx.actor.orgId !== grant.grantee_org_id)) {
    throw new NotAllowedError(`only analysts and admins of the grantee ${verb}`);
  }
}

/**
 * The grantee acknowledges every term of the grant (confidentiality, cybersecurity, insider risk,
 * intellectual property, use restrictions, nondisclosure), which makes it active. Acknowledging again is
 * harmless. Audited as `frontier.grant.acknowledge`; emits `frontier.grant.acknowledged`.
 */
export async function acknowledgeGrant(ctx: ServiceContext, id: string, input: { terms?: unknown }): Promise<Grant> {
  return withTransaction(ctx.db, async (trx) => {
    const grant = await loadVisible(ctx, trx, 'frontier_grant', id, 'grant');
    requireGrantee(ctx, grant, 'acknowledge its terms');
    const now = ctx.clock.now();
    const status = grantStatus({ status: grant.status as GrantStatus, expiresAt: grant.expires_at }, now);
    if (status === 'active') return presentGrant(grant, now);
    if (status !== 'pending') throw new ConflictError(`grant ${id} is ${status}`, { code: 'grant-ended' });
    const terms = checkAcknowledgement(parseJson<GrantTerm[]>(grant.terms), input.terms);
    const patch = {
      status: 'active',
      acknowledged_at: now.toISOString(),
      acknowledged_by: describeActor(ctx.actor),
      updated_at: now.toISOString(),
    };
    if (!(await updateRow(trx, 'frontier_grant', id, patch, { status: 'pending' })))
      throw new ConflictError(`grant ${id} changed meanwhile`, { code: 'grant-changed' });
    await addTimeline(trx, ctx, grant.review_id, 'grant.acknowledged', { grantId: id, terms }, id);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.grant.acknowledge',
      subject: { type: 'grant', id },
      orgId: grant.owner_org_id,
      diff: { status: ['pending', 'active'], terms },
    });
    await ctx.events.emit(trx, {
      type: GRANT_ACKNOWLEDGED,
      subjectId: id,
      orgId: grant.owner_org_id,
      payload: { grantId: id, reviewId: grant.review_id, granteeOrgId: grant.grantee_org_id, credentialRef: grant.credential_ref },
    });
    return presentGrant({ ...grant, ...patch }, now);
  });
}

/**
 * Revokes a grant at any time (the developer only), with a reason; `for_cause` counts against the
 * grantee's compliance record in partner scoring. Audited as `frontier.grant.revoke`; emits `frontier.grant.revoked`.
 */
export async function revokeGrant(ctx: ServiceContext, id: string, input: { reason?: unknown }): Promise<Grant> {
  const r = new FieldReader();
  const reason = r.oneOf('/reason', input.reason, REVOCATION_REASONS, 'developer_decision');
  r.done();
  return withTransaction(ctx.db, async (trx) => {
    const grant = await loadVisible(ctx, trx, 'frontier_grant', id, 'grant');
    if (!actsForDeveloper(ctx.actor, grant.owner_org_id)) throw new NotAllowedError('only the developer revokes its grants');
    if (!(await endGrant(trx, ctx, grant, 'revoked', reason))) {
      throw new ConflictError(
        `grant ${id} has ended already (${grantStatus({ status: grant.status as GrantStatus, expiresAt: grant.expires_at }, ctx.clock.now())})`,
        { code: 'grant-ended' },
      );
    }
    return getGrantIn(ctx, trx, id);
  });
}

async function getGrantIn(ctx: ServiceContext, executor: Executor, id: string): Promise<Grant> {
  return presentGrant(await loadVisible(ctx, executor, 'frontier_grant', id, 'grant'), ctx.clock.now());
}

/** Refuses use of a grant that is not usable now, saying why (pending, not begun, expired, revoked). */
export function requireUsable(grant: GrantRow, now: Date): void {
  const stored = { status: grant.status as GrantStatus, startsAt: grant.starts_at, expiresAt: grant.expires_at };
  if (grantUsable(stored, now)) return;
  const status = grantStatus(stored, now);
  const why =
    status === 'pending'
      ? 'its terms are not acknowledged yet'
      : status === 'active'
        ? `it starts at ${grant.starts_at}`
        : `it is ${status}`;
  throw new ConflictError(`access refused: grant ${grant.id} is not usable now, ${why}`, { code: 'grant-not-usable' });
}

/**
 * The grantee reports one use of its access (a session, a test run). Refused once the grant has expired
 * or been revoked. Logged in the access log and audited as `frontier.grant.use`.
 */
export async function reportGrantUse(ctx: ServiceContext, id: string, input: { description?: unknown }): Promise<AccessLogEntry> {
  const r = new FieldReader();
  const description = r.prose('/description', input.description, 5000, true);
  r.done();
  return withTransaction(ctx.db, async (trx) => {
    const grant = await loadVisible(ctx, trx, 'frontier_grant', id, 'grant');
    requireGrantee(ctx, grant, 'report uses of a grant');
    const now = ctx.clock.now();
    requireUsable(grant, now);
    const row = {
      id: newId('access'),
      review_id: grant.review_id,
      grant_id: id,
      material_id: null,
      kind: 'use',
      org_id: actorOrgId(ctx.actor),
      actor: describeActor(ctx.actor),
      used_at: now.toISOString(),
      description,
      created_at: now.toISOString(),
    };
    await insertRow(trx, 'frontier_access_log', row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.grant.use',
      subject: { type: 'grant', id },
      orgId: grant.owner_org_id,
      diff: { description },
    });
    return presentAccessLog(row);
  });
}

/** The access log of a grant (uses and downloads), newest first, for whoever may see the grant. */
export async function listGrantAccess(ctx: ServiceContext, id: string, request: PageRequest): Promise<Page<AccessLogEntry>> {
  const grant = await loadVisible(ctx, ctx.db.kysely, 'frontier_grant', id, 'grant');
  const page = await accessLog(ctx.db.kysely, { reviewId: grant.review_id, grantId: id }, request);
  return { items: page.items.map(presentAccessLog), nextCursor: page.nextCursor };
}
