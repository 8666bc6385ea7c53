import { systemActor, type Actor, type UserActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { serializeOn, serializeOnMany, type Executor } from '../../../platform/db/index.js';
import { AuthenticationError, ConflictError, NotAllowedError } from '../../../platform/errors.js';
import { isCoordinator } from '../../identity/index.js';
import { getCluster, type ClusterDetail } from '../../intake/index.js';
import type { ValidationPolicy } from '../domain/policy.js';

/** The module acting on its own behalf: event consumers, jobs, and reads made to decide (never to show). */
export const VALIDATION_SYSTEM = systemActor('validation');

export function asSystem(ctx: ServiceContext): ServiceContext {
  return asActor(ctx, VALIDATION_SYSTEM);
}

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw new AuthenticationError('this needs a signed-in user of an organisation');
  return actor;
}

/** Coordinator analysts and admins (and the system): they set verdicts and quotas. */
export function isCoordinatorStaff(actor: Actor): boolean {
  return actor.kind === 'system' || (isCoordinator(actor) && actor.kind === 'user' && actor.role !== 'viewer');
}

export function requireCoordinatorStaff(actor: Actor, what: string): void {
  if (!isCoordinatorStaff(actor)) throw new NotAllowedError(`only coordinator analysts and admins ${what}`);
}

/** Analysts and admins of an organisation of a validating kind (policy `validatorKinds`). */
export function requireValidator(actor: Actor, policy: ValidationPolicy): UserActor {
  const user = requireUser(actor);
  if (user.role === 'viewer' || !(policy.validatorKinds as readonly string[]).includes(user.orgKind)) {
    throw new NotAllowedError(`only analysts and admins of ${policy.validatorKinds.join(', ')} organisations validate`);
  }
  return user;
}

/** The cluster as the actor may see it (intake's access rules); NotFoundError when it may not. */
export async function visibleCluster(ctx: ServiceContext, clusterId: string): Promise<ClusterDetail> {
  return getCluster(ctx, clusterId);
}

/** Work happens on the surviving cluster of a merge, never on the one merged away. */
export function requireUnmerged(cluster: ClusterDetail): void {
  if (cluster.mergedInto !== null)
    throw new ConflictError(`cluster ${cluster.id} was merged into ${cluster.mergedInto}; validate that one`, { code: 'cluster-merged' });
}

/** The actor's organisation, or null for the system. */
export function orgOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.orgId : null;
}

/** Serializes work on one cluster (verdicts, attempts, syncs) across processes, inside the caller's transaction. */
export async function lockCluster(trx: Executor, ctx: ServiceContext, clusterId: string): Promise<void> {
  await serializeOn(trx, ctx.db.caps, `validation.cluster:${clusterId}`);
}

/** {@link lockCluster} for many clusters in one round trip, in a stable order. */
export async function lockClusters(trx: Executor, ctx: ServiceContext, clusterIds: readonly string[]): Promise<void> {
  await serializeOnMany(
    trx,
    ctx.db.caps,
    clusterIds.map((id) => `validation.cluster:${id}`),
  );
}
