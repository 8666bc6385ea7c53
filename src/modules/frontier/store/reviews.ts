import { sql } from 'kysely';
import { visibleTo } from '../../identity/index.js';
import type { Actor } from '../../../platform/actor.js';
import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { t, type AccessLogRow, type MaterialRow, type ReviewEventRow, type ReviewRow } from './tables.js';

/** Reviews (seen with their model), their timelines, reminders, materials and the access log. */

export async function listReviews(
  executor: Executor,
  actor: Actor,
  filter: { modelId?: string | undefined },
  page: PageRequest,
): Promise<Page<ReviewRow>> {
  const q = t(executor)
    .selectFrom('frontier_review as r')
    .innerJoin('frontier_model as m', 'm.id', 'r.model_id')
    .selectAll('r')
    .where(visibleTo(actor, 'm'))
    .$if(filter.modelId !== undefined, (w) => w.where('r.model_id', '=', filter.modelId ?? ''));
  return paginate(q, page, { sort: 'r.id', id: 'r.id', sortOf: (r) => r.id, idOf: (r) => r.id, direction: 'desc' });
}

/** Reviews of a model that have not closed (scheduled, open, or run out but not yet swept). */
export async function unclosedReviewsOf(executor: Executor, modelId: string): Promise<ReviewRow[]> {
  return t(executor).selectFrom('frontier_review').selectAll().where('model_id', '=', modelId).where('outcome', 'is', null).execute();
}

/** Reviews whose window has run out but that are not recorded as closed yet. */
export async function reviewsPastWindow(executor: Executor, nowIso: string): Promise<ReviewRow[]> {
  return t(executor)
    .selectFrom('frontier_review')
    .selectAll()
    .where('outcome', 'is', null)
    .where('window_end', '<=', nowIso)
    .orderBy('window_end')
    .limit(500)
    .execute();
}

/** Reviews inside their window at `nowIso`. */
export async function runningReviews(executor: Executor, nowIso: string): Promise<ReviewRow[]> {
  return t(executor)
    .selectFrom('frontier_review')
    .selectAll()
    .where('outcome', 'is', null)
    .where('window_start', '<=', nowIso)
    .where('window_end', '>', nowIso)
    .orderBy('window_end')
    .limit(5000)
    .execute();
}

export async function reviewEvents(executor: Executor, reviewId: string): Promise<ReviewEventRow[]> {
  return t(executor)
    .selectFrom('frontier_review_event')
    .selectAll()
    .where('review_id', '=', reviewId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Records that a reminder went out; false when it had been recorded already (another worker sent it). */
export async function claimReminder(
  executor: Executor,
  row: { review_id: string; lead_hours: number; window_end: string; sent_at: string },
): Promise<boolean> {
  const inserted = await t(executor)
    .insertInto('frontier_reminder')
    .values(row)
    .onConflict((oc) => oc.columns(['review_id', 'lead_hours', 'window_end']).doNothing())
    .returning('review_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function materialsOf(executor: Executor, reviewId: string): Promise<MaterialRow[]> {
  return t(executor).selectFrom('frontier_material').selectAll().where('review_id', '=', reviewId).orderBy('id').execute();
}

export async function accessLog(
  executor: Executor,
  filter: { reviewId: string; grantId?: string | undefined; orgId?: string | undefined },
  page: PageRequest,
): Promise<Page<AccessLogRow>> {
  const q = t(executor)
    .selectFrom('frontier_access_log')
    .selectAll()
    .where('review_id', '=', filter.reviewId)
    .$if(filter.grantId !== undefined, (w) => w.where('grant_id', '=', filter.grantId ?? ''))
    .$if(filter.orgId !== undefined, (w) => w.where('org_id', '=', filter.orgId ?? ''));
  return paginate(q, page, {
    sort: 'frontier_access_log.id',
    id: 'frontier_access_log.id',
    sortOf: (r) => r.id,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}

/** How many rows of a review-scoped table belong to the review, whoever may see them. */
export async function countOfReview(
  executor: Executor,
  table: 'frontier_vulnerability' | 'frontier_evaluation' | 'frontier_risk_finding',
  reviewId: string,
): Promise<number> {
  const row = await t(executor)
    .selectFrom(table)
    .select(sql<number>`count(*)`.as('n'))
    .where('review_id', '=', reviewId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
