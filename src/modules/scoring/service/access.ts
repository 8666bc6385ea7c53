import { sql, type Expression, type SqlBool } from 'kysely';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { isCoordinator, isCoordinatorAdmin, isCoordinatorRecipient } from '../../identity/index.js';
import { everyReportVisibleTo, getCluster, visibleClusterIds } from '../../intake/index.js';

/**
 * What the actor may see of a subject's decision: `none` (callers answer "not found", so that a decision's
 * existence does not leak), `all`, or — for a cluster of which it may see some reports only — the
 * vulnerability ids those reports carry: a decision is derived from every report of its subject (DESIGN §5,
 * derived data), so the ids that only hidden reports name are redacted from it ({@link redactDecision}).
 * Decisions are the coordinator's to read; its analysts and admins read every report, its viewers by the
 * labels.
 */
export type DecisionSight =
  { readonly kind: 'none' } | { readonly kind: 'all' } | { readonly kind: 'some'; readonly ids: ReadonlySet<string> };

export async function decisionSight(ctx: ServiceContext, subjectId: string): Promise<DecisionSight> {
  if (!isCoordinator(ctx.actor)) return { kind: 'none' };
  if (ctx.actor.kind === 'system' || isCoordinatorRecipient(ctx.actor)) return { kind: 'all' };
  const isCluster = (await visibleClusterIds(asActor(ctx, SCORING_READER), [subjectId])).has(subjectId);
  if (!isCluster) return { kind: 'all' };
  try {
    return { kind: 'some', ids: new Set((await getCluster(ctx, subjectId)).aliases) };
  } catch (error) {
    if (error instanceof NotFoundError) return { kind: 'none' };
    throw error;
  }
}

const SCORING_READER = systemActor('scoring');

/**
 * True for the decisions whose inputs the actor may build on in an answer of its own (an operator's
 * priorities): a decision derives from every report of its cluster (DESIGN §5, derived data), so outside
 * the system and the coordinator's recipients, only decisions of clusters whose every report the actor may
 * see. `subjectIdColumn` names the decision's subject id in the query.
 */
export function decisionUsableBy(actor: Actor, subjectIdColumn: string): Expression<SqlBool> {
  if (actor.kind === 'system' || isCoordinatorRecipient(actor)) return sql<SqlBool>`1 = 1`;
  return everyReportVisibleTo(actor, subjectIdColumn);
}

/** The decision (or any part of it) with every vulnerability id the sight does not cover replaced. */
export function redactDecision<T>(value: T, sight: DecisionSight, cveIds: readonly string[]): T {
  if (sight.kind !== 'some') return value;
  const hidden = cveIds.filter((id) => !sight.ids.has(id));
  if (hidden.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return hidden.reduce((text, id) => text.split(id).join('[a vulnerability id you may not see]'), v);
    if (Array.isArray(v)) return v.filter((item) => !(typeof item === 'string' && hidden.includes(item))).map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item)]));
    return v;
  };
  return walk(value) as T;
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
