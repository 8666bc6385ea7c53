import type { ServiceContext } from '../../platform/context.js';
import { startWork, type QueuedWork } from '../../platform/jobs/index.js';
import { holds } from './domain/authorize.js';

/**
 * Runs `fn` as a new background work of `kind` started by the context's actor (see platform/jobs/work.ts),
 * and answers with its id and, when the actor may count every job (`governance.jobs.oversee`), how many
 * jobs it queued: imports and uploads say how much work they left behind, and the caller can follow it
 * with `GET /api/v1/jobs/status?work=`.
 */
export function trackWork<T>(
  ctx: ServiceContext,
  kind: string,
  fn: () => Promise<T>,
): Promise<{ readonly result: T; readonly work: QueuedWork }> {
  const orgId = ctx.actor.kind === 'user' ? ctx.actor.orgId : null;
  return startWork(ctx.db.kysely, { kind, orgId, mayCount: holds(ctx.actor, 'governance.jobs.oversee') }, fn);
}
