import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotAllowedError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { parseRiskFinding, parseRiskStatus } from '../domain/inputs.js';
import { actsForDeveloper, canAct } from '../domain/program-roles.js';
import { presentRiskFinding, type RiskFinding } from '../presenters.js';
import { findRow, insertRow, updateRow, type RiskFindingRow } from '../store/tables.js';
import { PROGRAM_TLP, shareWith } from './audience.js';
import { requireEvaluator } from './participants.js';
import { actorOrgId, actorUserId, addTimeline, loadReview, loadVisible, pageOfReview } from './records.js';
import { RISK_FINDING_ADDED } from '../events.js';

/**
 * Written risk findings about the model, with a severity and, optionally, a recommendation — by the
 * coordinator or an agency granted access. The developer answers each with a status. Audited as
 * `frontier.risk_finding.create`; emits `frontier.risk_finding.added`.
 */
export async function addRiskFinding(ctx: ServiceContext, reviewId: string, input: Record<string, unknown>): Promise<RiskFinding> {
  const parsed = parseRiskFinding(input);
  return withTransaction(ctx.db, async (trx) => {
    const { review } = await loadReview(ctx, trx, reviewId);
    await requireEvaluator(ctx, trx, review);
    if (parsed.evaluationId !== null && (await findRow(trx, 'frontier_evaluation', parsed.evaluationId))?.review_id !== reviewId) {
      throw new InputError(`no evaluation ${parsed.evaluationId} in this review`, [
        { pointer: '/evaluationId', detail: 'must name an evaluation of this review' },
      ]);
    }
    const now = ctx.clock.now().toISOString();
    const row: RiskFindingRow = {
      id: newId('risk'),
      review_id: reviewId,
      model_id: review.model_id,
      owner_org_id: actorOrgId(ctx.actor) ?? review.owner_org_id,
      tlp: PROGRAM_TLP,
      created_by: actorUserId(ctx.actor),
      evaluation_id: parsed.evaluationId,
      title: parsed.title,
      severity: parsed.severity,
      description: parsed.description,
      recommendation: parsed.recommendation,
      status: 'open',
      status_note: null,
      status_by: null,
      status_at: null,
      created_at: now,
    };
    await insertRow(trx, 'frontier_risk_finding', row);
    await shareWith(trx, ctx, row.id, [review.owner_org_id]);
    await addTimeline(trx, ctx, reviewId, 'risk_finding.added', { riskFindingId: row.id, severity: row.severity }, row.id);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.risk_finding.create',
      subject: { type: 'risk_finding', id: row.id },
      orgId: review.owner_org_id,
      diff: parsed,
    });
    await ctx.events.emit(trx, {
      type: RISK_FINDING_ADDED,
      subjectId: row.id,
      orgId: review.owner_org_id,
      payload: { riskFindingId: row.id, reviewId, modelId: review.model_id, severity: row.severity },
    });
    return presentRiskFinding(row);
  });
}

/**
 * Sets a risk finding's status (open, acknowledged, mitigated, disputed) with a note: the developer
 * answering it, or its author. Audited as `frontier.risk_finding.update`.
 */
export async function setRiskFindingStatus(ctx: ServiceContext, id: string, input: Record<string, unknown>): Promise<RiskFinding> {
  const parsed = parseRiskStatus(input);
  return withTransaction(ctx.db, async (trx) => {
    const row = await loadVisible(ctx, trx, 'frontier_risk_finding', id, 'risk finding');
    const { review } = await loadReview(ctx, trx, row.review_id);
    const author = canAct(ctx.actor) && ctx.actor.kind === 'user' && ctx.actor.orgId === row.owner_org_id;
    if (!actsForDeveloper(ctx.actor, review.owner_org_id) && !author)
      throw new NotAllowedError('only the developer or the finding’s author sets its status');
    const patch = {
      status: parsed.status,
      status_note: parsed.note,
      status_by: describeActor(ctx.actor),
      status_at: ctx.clock.now().toISOString(),
    };
    await updateRow(trx, 'frontier_risk_finding', id, patch);
    await addTimeline(trx, ctx, row.review_id, 'risk_finding.status', { riskFindingId: id, status: parsed.status }, id);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.risk_finding.update',
      subject: { type: 'risk_finding', id },
      orgId: review.owner_org_id,
      diff: { status: [row.status, parsed.status], note: parsed.note },
    });
    return presentRiskFinding({ ...row, ...patch });
  });
}

export async function listRiskFindings(ctx: ServiceContext, reviewId: string, request: PageRequest): Promise<Page<RiskFinding>> {
  return pageOfReview(ctx, 'frontier_risk_finding', reviewId, request, presentRiskFinding);
}

export async function getRiskFinding(ctx: ServiceContext, id: string): Promise<RiskFinding> {
  return presentRiskFinding(await loadVisible(ctx, ctx.db.kysely, 'frontier_risk_finding', id, 'risk finding'));
}
