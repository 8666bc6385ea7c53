import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { ConflictError, NotAllowedError } from '../../../platform/errors.js';
import { actsForGovernment, canAct, overseesReview } from '../domain/program-roles.js';
import { stateOf } from '../presenters.js';
import { grantsOfReview } from '../store/grants.js';
import type { ReviewRow } from '../store/tables.js';

/** Who takes part in a review's work, beyond seeing it. */

async function holdsGrant(executor: Executor, review: ReviewRow, orgId: string): Promise<boolean> {
  return (await grantsOfReview(executor, review.id)).some((g) => g.grantee_org_id === orgId);
}

function notWithdrawn(ctx: ServiceContext, review: ReviewRow): void {
  if (stateOf(review, ctx.clock.now()) === 'withdrawn')
    throw new ConflictError(`review ${review.id} was withdrawn by the developer`, { code: 'review-withdrawn' });
}

/**
 * Evaluations and risk findings come from government: the coordinator, or an agency granted access to
 * this review (its grant may have ended since: results often arrive after the window).
 */
export async function requireEvaluator(ctx: ServiceContext, executor: Executor, review: ReviewRow): Promise<void> {
  const actor = ctx.actor;
  const allowed =
    actsForGovernment(actor) &&
    (actor.kind !== 'user' || actor.orgKind === 'coordinator' || (await holdsGrant(executor, review, actor.orgId)));
  if (!allowed)
    throw new NotAllowedError(
      'evaluations and risk findings are attached by the coordinator and the agencies granted access to this review',
    );
  notWithdrawn(ctx, review);
}

/**
 * Vulnerabilities the model found may be reported by anyone who tested it: the developer, the coordinator,
 * and every grantee of this review (agency or trusted partner).
 */
export async function requireTester(ctx: ServiceContext, executor: Executor, review: ReviewRow): Promise<void> {
  const actor = ctx.actor;
  const allowed =
    canAct(actor) &&
    (overseesReview(actor, review.owner_org_id) || (actor.kind === 'user' && (await holdsGrant(executor, review, actor.orgId))));
  if (!allowed)
    throw new NotAllowedError(
      'vulnerabilities found by the model are reported by the developer, the coordinator and the grantees of this review',
    );
}
