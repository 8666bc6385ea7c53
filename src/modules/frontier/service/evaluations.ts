import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, PayloadTooLargeError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { parseBenchmarkResults, type Measurement } from '../domain/benchmarks.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import { readInspectLog } from '../domain/inspect-log.js';
import { presentEvaluation, stateOf, type Evaluation } from '../presenters.js';
import { insertRow, type EvaluationRow, type ReviewRow } from '../store/tables.js';
import { PROGRAM_TLP, shareWith } from './audience.js';
import { requireEvaluator } from './participants.js';
import { actorOrgId, actorUserId, addTimeline, loadReview, loadVisible, pageOfReview } from './records.js';
import { EVALUATION_ADDED } from '../events.js';

/** Largest Inspect log accepted (a `.json` log or an `.eval` archive, before decompression). */
export const MAX_INSPECT_LOG_BYTES = 64 * 1024 * 1024;

type NewEvaluation = Pick<EvaluationRow, 'kind' | 'title' | 'blob_sha256' | 'filename'> & {
  readonly summary: unknown;
  readonly measurements: readonly Measurement[];
};

/** Evaluations belong to the window: none before it opens, none after it ends (409 `review-not-open`). */
function requireOpen(ctx: ServiceContext, review: ReviewRow): void {
  const state = stateOf(review, ctx.clock.now());
  if (state !== 'open')
    throw new ConflictError(`review ${review.id} is ${state}; evaluations are recorded only while its window is open`, {
      code: 'review-not-open',
    });
}

async function recordEvaluation(trx: Executor, ctx: ServiceContext, review: ReviewRow, evaluation: NewEvaluation): Promise<Evaluation> {
  requireOpen(ctx, review);
  const row: EvaluationRow = {
    id: newId('eval'),
    review_id: review.id,
    model_id: review.model_id,
    owner_org_id: actorOrgId(ctx.actor) ?? review.owner_org_id,
    tlp: PROGRAM_TLP,
    created_by: actorUserId(ctx.actor),
    kind: evaluation.kind,
    title: evaluation.title,
    blob_sha256: evaluation.blob_sha256,
    filename: evaluation.filename,
    summary: JSON.stringify(evaluation.summary),
    measurements: JSON.stringify(evaluation.measurements),
    created_at: ctx.clock.now().toISOString(),
  };
  await insertRow(trx, 'frontier_evaluation', row);
  await shareWith(trx, ctx, row.id, [review.owner_org_id]);
  const detail = {
    evaluationId: row.id,
    kind: row.kind,
    title: row.title,
    authorOrgId: row.owner_org_id,
    measurements: evaluation.measurements.length,
  };
  await addTimeline(trx, ctx, review.id, 'evaluation.added', detail, row.id);
  await ctx.audit.record(trx, ctx.actor, {
    action: 'frontier.evaluation.create',
    subject: { type: 'evaluation', id: row.id },
    orgId: review.owner_org_id,
    diff: { ...detail, sha256: row.blob_sha256 },
  });
  await ctx.events.emit(trx, {
    type: EVALUATION_ADDED,
    subjectId: row.id,
    orgId: review.owner_org_id,
    payload: { ...detail, reviewId: review.id, modelId: review.model_id },
  });
  return presentEvaluation(row);
}

/**
 * Imports an Inspect evaluation log (`.json`, or an `.eval` archive with deflate or zstd entries) for a
 * review. The raw bytes go to the blob store first, so that nothing accepted is lost; then the log is
 * read into a summary (task, model, metrics, scored and unscored samples — NaN scores count as unscored).
 * By the coordinator or an agency granted access to the review. Throws PayloadTooLargeError beyond
 * {@link MAX_INSPECT_LOG_BYTES}, InputError (400) or UnsupportedMediaTypeError (415) for a file that is not
 * an Inspect log. Audited as `frontier.evaluation.create`; emits `frontier.evaluation.added`.
 */
export async function importInspectLog(
  ctx: ServiceContext,
  reviewId: string,
  input: { bytes: Uint8Array; filename?: unknown; title?: unknown },
): Promise<Evaluation> {
  const r = new FieldReader();
  const filename = r.optionalText('/filename', input.filename, 255);
  const title = r.optionalText('/title', input.title, 300);
  r.done();
  if (input.bytes.length > MAX_INSPECT_LOG_BYTES)
    throw new PayloadTooLargeError(`an Inspect log may be at most ${MAX_INSPECT_LOG_BYTES} bytes`, MAX_INSPECT_LOG_BYTES);
  const { review } = await loadReview(ctx, ctx.db.kysely, reviewId);
  await requireEvaluator(ctx, ctx.db.kysely, review);
  // Checked again in the transaction; here so that a refused log leaves no blob behind.
  requireOpen(ctx, review);
  const blob = await ctx.blobs.put(input.bytes);
  const summary = readInspectLog(input.bytes);
  return withTransaction(ctx.db, async (trx) => {
    const { review: current } = await loadReview(ctx, trx, reviewId);
    return recordEvaluation(trx, ctx, current, {
      kind: 'inspect',
      title: title ?? `${summary.task} on ${summary.model}`,
      blob_sha256: blob.sha256,
      filename,
      summary,
      measurements: summary.metrics,
    });
  });
}

/**
 * Attaches named cyber benchmark results (Cybench, CyberSecEval, CVE-Bench, CyberGym, BountyBench or any
 * other, each with a metric and a value). Same rules and records as {@link importInspectLog}.
 */
export async function addBenchmarkResults(
  ctx: ServiceContext,
  reviewId: string,
  input: { title?: unknown; results?: unknown },
): Promise<Evaluation> {
  const r = new FieldReader();
  const title = r.optionalText('/title', input.title, 300);
  r.done();
  const results = parseBenchmarkResults(input.results);
  return withTransaction(ctx.db, async (trx) => {
    const { review } = await loadReview(ctx, trx, reviewId);
    await requireEvaluator(ctx, trx, review);
    const names = [...new Set(results.map((x) => x.benchmark.name))];
    return recordEvaluation(trx, ctx, review, {
      kind: 'benchmark',
      title: title ?? `Benchmark results: ${names.join(', ')}`,
      blob_sha256: null,
      filename: null,
      summary: { results },
      measurements: results.map((x) => ({ benchmark: x.benchmark.key, metric: x.metric, value: x.value, scorer: null })),
    });
  });
}

/** A review's evaluations the actor may see: its own organisation's, or all of them for the developer and the coordinator. */
export async function listEvaluations(ctx: ServiceContext, reviewId: string, request: PageRequest): Promise<Page<Evaluation>> {
  return pageOfReview(ctx, 'frontier_evaluation', reviewId, request, presentEvaluation);
}

export async function getEvaluation(ctx: ServiceContext, id: string): Promise<Evaluation> {
  return presentEvaluation(await loadVisible(ctx, ctx.db.kysely, 'frontier_evaluation', id, 'evaluation'));
}
