import { sql, type Expression, type SqlBool } from 'kysely';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { NotFoundError } from '../../../platform/errors.js';
import { holds, isCoordinatorRecipient } from '../../identity/index.js';
import { everyReportVisibleTo, findingsData, getCluster, visibleClusterIds } from '../../intake/index.js';
import { scoreCvss } from '../../../platform/cvss/index.js';

/**
 * What the actor may see of a subject's decision: `none` (callers answer "not found", so that a decision's
 * existence does not leak), `all`, or — for a cluster of which it may see some reports only — what those
 * reports carry: their vulnerability ids, exploit references and CVSS vectors. A decision is derived from
 * every report of its subject (DESIGN §5, derived data), so what only hidden reports bring is redacted from
 * it ({@link redactDecision}). Decisions are the coordinator's to read (`scoring.decision.read`); its
 * analysts and admins read every report, its viewers by the labels. Who validated is shown only to those
 * who may see every organisation's validation attempts (`validation.attempt.list`: not viewers).
 */
export type DecisionSight =
  | { readonly kind: 'none' }
  | { readonly kind: 'all'; readonly validators: boolean }
  | {
      readonly kind: 'some';
      readonly validators: boolean;
      readonly ids: ReadonlySet<string>;
      readonly references: ReadonlySet<string>;
      /** Canonical CVSS vectors (as scored). */
      readonly vectors: ReadonlySet<string>;
    };

function canonicalVector(vector: string): string | null {
  try {
    return scoreCvss(vector).vector;
  } catch {
    return null;
  }
}

export async function decisionSight(ctx: ServiceContext, subjectId: string): Promise<DecisionSight> {
  if (!holds(ctx.actor, 'scoring.decision.read')) return { kind: 'none' };
  if (ctx.actor.kind === 'system' || isCoordinatorRecipient(ctx.actor)) return { kind: 'all', validators: true };
  const validators = holds(ctx.actor, 'validation.attempt.list');
  const isCluster = (await visibleClusterIds(asActor(ctx, SCORING_READER), [subjectId])).has(subjectId);
  if (!isCluster) return { kind: 'all', validators };
  let cluster: Awaited<ReturnType<typeof getCluster>>;
  try {
    cluster = await getCluster(ctx, subjectId);
  } catch (error) {
    if (error instanceof NotFoundError) return { kind: 'none' };
    throw error;
  }
  const findings = [
    ...(
      await findingsData(
        ctx.db.kysely,
        cluster.findings.map((f) => f.id),
      )
    ).values(),
  ];
  const vectors = findings.flatMap((f) => f.severities.flatMap((s) => (s.kind === 'cvss' ? [canonicalVector(s.vector)] : [])));
  return {
    kind: 'some',
    validators,
    ids: new Set(cluster.aliases),
    references: new Set(findings.flatMap((f) => f.references.map((r) => r.url))),
    vectors: new Set(vectors.filter((v): v is string => v !== null)),
  };
}

const SCORING_READER = systemActor('scoring');
const HIDDEN_ID = '[a vulnerability id you may not see]';
const HIDDEN_VALIDATOR = '[a validator]';

/**
 * The decision (or any part of it) as the sight allows: every vulnerability id it does not cover replaced
 * (and dropped from lists); exploit references and CVSS scores that only hidden reports bring left out (a
 * score becomes null); an EPSS score of a hidden id null; the validator unnamed unless the sight shows
 * validators.
 */
export function redactDecision<T>(value: T, sight: DecisionSight, cveIds: readonly string[]): T {
  if (sight.kind === 'none' || (sight.kind === 'all' && sight.validators)) return value;
  const hidden = sight.kind === 'some' ? cveIds.filter((id) => !sight.ids.has(id)) : [];
  const hiddenVector = (v: unknown) =>
    sight.kind === 'some' && typeof v === 'string' && /^(CVSS:|\(?AV:)/.test(v) && !sight.vectors.has(canonicalVector(v) ?? v);
  const walk = (v: unknown): unknown => {
    if (hiddenVector(v)) return null;
    if (typeof v === 'string') return hidden.reduce((text, id) => text.split(id).join(HIDDEN_ID), v);
    if (Array.isArray(v)) return v.filter((item) => !(typeof item === 'string' && hidden.includes(item))).map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (hiddenVector(o['vector'])) return null;
    if (typeof o['epss'] === 'number' && typeof o['cveId'] === 'string' && hidden.includes(o['cveId'])) return null;
    const out = Object.fromEntries(Object.entries(o).map(([k, item]) => [k, walk(item)]));
    if (o['kind'] === 'validation' && typeof o['validator'] === 'string' && !sight.validators) out['validator'] = HIDDEN_VALIDATOR;
    if (o['kind'] === 'public-exploit' && Array.isArray(o['references']) && sight.kind === 'some')
      out['references'] = o['references'].filter((r) => typeof r === 'string' && sight.references.has(r));
    return out;
  };
  return walk(value) as T;
}

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
