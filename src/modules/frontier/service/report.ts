import type { ServiceContext } from '../../../platform/context.js';
import { NotAllowedError } from '../../../platform/errors.js';
import { isGovernmentKind, overseesReview } from '../domain/program-roles.js';
import { renderReportHtml } from '../domain/report-html.js';
import { buildReviewReport, type ReviewReport } from '../domain/review-report.js';
import {
  presentEvaluation,
  presentModel,
  presentRiskFinding,
  presentVulnerability,
  stateOf,
  type Evaluation,
  type RiskFinding,
  type Vulnerability,
} from '../presenters.js';
import { latestDeterminations } from '../store/program.js';
import { countOfReview } from '../store/reviews.js';
import { pageVisible } from '../store/tables.js';
import { currentPolicy, loadReview } from './records.js';

const ALL = { limit: 500 };

/**
 * The review report for the developer (and the coordinator and agencies taking part), at any time: a
 * draft while the review runs, final once it closed. Built from what the reader may see — a finding at
 * TLP:RED appears only to its named readers, counted for the rest. Informational only: it states no
 * verdict and gates nothing. Trusted partners get 403: the report is not theirs.
 */
/** The report as its route answers it: each record whole, as its own route gives it. */
export type ReviewReportAnswer = ReviewReport<Evaluation, RiskFinding, Vulnerability>;

export async function reviewReport(ctx: ServiceContext, reviewId: string): Promise<ReviewReportAnswer> {
  const executor = ctx.db.kysely;
  const { review, model } = await loadReview(ctx, executor, reviewId);
  const actor = ctx.actor;
  if (!overseesReview(actor, review.owner_org_id) && !(actor.kind === 'user' && isGovernmentKind(actor.orgKind))) {
    throw new NotAllowedError('the review report is for the developer, the coordinator and the agencies taking part');
  }
  const now = ctx.clock.now();
  const where = { review_id: reviewId };
  const [evaluations, risks, vulnerabilities, total, policy, latest] = await Promise.all([
    pageVisible(executor, actor, 'frontier_evaluation', where, ALL),
    pageVisible(executor, actor, 'frontier_risk_finding', where, ALL),
    pageVisible(executor, actor, 'frontier_vulnerability', where, ALL),
    countOfReview(executor, 'frontier_vulnerability', reviewId),
    currentPolicy(executor),
    latestDeterminations(executor, [model.id]),
  ]);
  const presentedModel = presentModel(model, latest.get(model.id));
  return buildReviewReport({
    generatedAt: now,
    model: {
      id: model.id,
      name: model.name,
      version: model.version,
      developerOrgId: model.owner_org_id,
      plannedRelease: model.planned_release,
      coveredStatus: presentedModel.coveredStatus,
    },
    review: {
      id: review.id,
      state: stateOf(review, now),
      windowStart: review.window_start,
      windowEnd: review.window_end,
      timeZone: review.time_zone,
      requestedDays: review.requested_days,
      policyVersion: review.policy_version,
    },
    policy: { version: policy.version, referenceThresholds: policy.referenceThresholds },
    evaluations: evaluations.items.map(presentEvaluation),
    riskFindings: risks.items.map(presentRiskFinding),
    vulnerabilities: { total, visible: vulnerabilities.items.map(presentVulnerability) },
  });
}

/** The same report as a self-contained HTML page, every value escaped. */
export async function reviewReportHtml(ctx: ServiceContext, reviewId: string): Promise<string> {
  return renderReportHtml(await reviewReport(ctx, reviewId));
}
