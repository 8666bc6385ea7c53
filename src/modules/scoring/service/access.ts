import type { Actor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { NotAllowedError } from '../../../platform/errors.js';
import { isCoordinator, isCoordinatorAdmin } from '../../identity/index.js';

/**
 * Who may read a subject's decision: for now the coordinator (and the system). This is the single place
 * to widen it — when subjects are clusters, a party that may see the cluster (its reporter, the vendors of
 * its case) should see its priority too; give this function the cluster visibility check then. It is
 * async and takes the context so that such a check can read the database. Callers answer "not found" when
 * it says no, so that a decision's existence does not leak.
 */
export async function canReadDecision(ctx: ServiceContext, subjectId: string): Promise<boolean> {
  void subjectId; // read by the cluster visibility check to come
  return isCoordinator(ctx.actor);
}

/** Loading feeds, setting where they come from and changing the policy: coordinator admins and the system. */
export function requireScoringAdmin(actor: Actor, what: string): void {
  if (!isCoordinatorAdmin(actor)) throw new NotAllowedError(`only coordinator admins ${what}`);
}

/** Making decisions: the system (event consumers) and the coordinator's admins and analysts. */
export function requireDecisionWriter(actor: Actor): void {
  const allowed = actor.kind === 'system' || (actor.kind === 'user' && actor.orgKind === 'coordinator' && actor.role !== 'viewer');
  if (!allowed) throw new NotAllowedError('only the coordinator prioritizes');
}
