import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import {
  keepStatisticsFresh,
  withSerializedTransaction,
  withTransaction,
  type DialectCapabilities,
  type Executor,
} from '../../../platform/db/index.js';
import { DEDUP_LOCK } from './dedup-lock.js';
import { AuthenticationError, ConflictError, InputError, NotFoundError } from '../../../platform/errors.js';
import { newId, newIds } from '../../../platform/ids.js';
import { addJobsStatements, enqueueJob, finishJobByKeyStatement } from '../../../platform/jobs/index.js';
import { isTlp, type Tlp } from '../../../platform/tlp.js';
import { authorize, canSee, listOrgs, recipientsByRecord, setRecipients, type RecipientInput } from '../../identity/index.js';
import { assignClusters, parseSubmission, type ClusterDirectory, type SourceFormat } from '../domain/index.js';
import { prepareDocument, type PreparedDocument } from '../domain/prepared-document.js';
import * as store from '../store/index.js';
import { outcomesOf, storedOutcomes } from './submission-outcomes.js';
import { recordAnchors } from './anchor-proposals.js';
import { findingVisibility } from './access.js';
import { applyPlan, type AppliedPlan } from './apply-plan.js';
import { readUploadOffThread } from './upload-threads.js';
import { presentSubmission, type FindingOutcome, type SubmissionAnswer } from '../presenters.js';
import { SUBMISSION_PROCESSED, VEX_SUBMITTED, type VexSubmittedPayload } from '../events.js';

export const PROCESS_JOB = 'intake.submission.process';

export const NEAR_DUPLICATE_JOB = 'intake.near-duplicates';

export interface SubmitInput {
  /** The document as uploaded; gzip is recognized and inflated. */
  readonly bytes: Uint8Array;
  /** For messages and the record; never trusted for the format. */
  readonly filename?: string | undefined;
  /** Force a format instead of detecting it. */
  readonly format?: SourceFormat | 'auto' | undefined;
  /** Default: the document's own (CLEAR for OSV and published CVE records, else AMBER). */
  readonly tlp?: string | undefined;
  /** Who else may see it, beyond the coordinator (always a recipient). TLP:RED needs named users. */
  readonly recipients?: RecipientInput | undefined;
  readonly campaignId?: string | undefined;
  /** Import CVE records whose state is REJECTED (default false). */
  readonly includeRejected?: boolean | undefined;
}

function submitter(ctx: ServiceContext): { orgId: string; userId: string | null; orgKind: string } {
  if (ctx.actor.kind !== 'user') throw new AuthenticationError('submissions need a signed-in user');
  // Viewers only read (identity's permission table).
  authorize(ctx.actor, 'intake.submission.create');
  return { orgId: ctx.actor.orgId, userId: ctx.actor.userId, orgKind: ctx.actor.orgKind };
}

function parseTlp(value: string | undefined, fallback: Tlp): Tlp {
  if (value === undefined) return fallback;
  const upper = value.toUpperCase();
  if (!isTlp(upper))
    throw new InputError(`tlp must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED, got "${value}"`, [
      { pointer: '/tlp', detail: 'must be a TLP 2.0 label' },
    ]);
  return upper;
}

async function coordinatorOrgIds(ctx: ServiceContext): Promise<string[]> {
  return (await listOrgs({ ...ctx, actor: { kind: 'system', name: 'intake' } }, { kind: 'coordinator', limit: 10 })).items.map((o) => o.id);
}

/**
 * Accepts a document: decodes, detects and validates it (bad input throws and nothing is stored), stores
 * the raw bytes and the submission, commits, then deduplicates its findings into clusters and answers
 * per finding. Identical bytes from the same organisation answer the same, storing nothing again. Should
 * the process die after the commit, the queued processing job finishes the work on restart.
 *
 * @throws InputError (400/422), PayloadTooLargeError (413), UnsupportedMediaTypeError (415).
 */
export async function submitDocument(ctx: ServiceContext, input: SubmitInput): Promise<SubmissionAnswer> {
  const who = submitter(ctx);
  const name = input.filename ?? 'the submission';
  // Decoded, validated, hashed and prepared on an upload thread when large: the main thread only stores rows.
  const {
    bytes,
    sha256,
    document: parsed,
  } = await readUploadOffThread(input.bytes, name, { format: input.format ?? 'auto', includeRejected: input.includeRejected ?? false });
  const tlp = parseTlp(input.tlp, parsed.suggestedTlp);
  if (tlp === 'RED' && (input.recipients?.userIds ?? []).length === 0) {
    throw new InputError('TLP:RED is for named recipients only: name at least one user in recipients.userIds', [
      { pointer: '/recipients/userIds', detail: 'must name at least one user for TLP:RED' },
    ]);
  }
  // A vendor's VEX states the vendor's own products' status: statements for its cases, not more findings.
  const statements = parsed.vex && who.orgKind === 'vendor';
  const existing = await store.findSubmissionBySha(ctx.db.kysely, who.orgId, sha256);
  if (existing !== undefined) return answerRepeat(ctx, existing);

  await ctx.blobs.put(bytes);
  const coordinators = await coordinatorOrgIds(ctx);
  const now = ctx.clock.now().toISOString();
  const recipients: RecipientInput = {
    ...input.recipients,
    orgIds: [...new Set([...(input.recipients?.orgIds ?? []), ...coordinators])].filter((id) => id !== who.orgId),
  };
  const row: store.SubmissionRow = {
    id: newId('sub'),
    owner_org_id: who.orgId,
    created_by: who.userId,
    tlp,
    sha256,
    size: bytes.length,
    filename: input.filename ?? null,
    format: parsed.format,
    format_version: parsed.formatVersion,
    document_id: parsed.documentId,
    campaign_id: input.campaignId ?? null,
    recipients: JSON.stringify(recipients),
    status: statements ? 'statements' : 'received',
    finding_count: statements ? 0 : parsed.findings.length,
    warnings: JSON.stringify(parsed.warnings),
    error: null,
    created_at: now,
    processed_at: null,
  };
  const stored = await withTransaction(
    ctx.db,
    async (trx) => {
      const raced = await store.findSubmissionBySha(trx, who.orgId, sha256);
      if (raced !== undefined) return raced;
      await store.insertSubmission(trx, row);
      await setRecipients(trx, row.id, recipients);
      if (statements) {
        const payload: VexSubmittedPayload = {
          submissionId: row.id,
          orgId: who.orgId,
          userId: who.userId,
          format: 'csaf',
          documentId: row.document_id,
          sha256,
          statements: parsed.findings.length,
        };
        await ctx.events.emit(trx, { type: VEX_SUBMITTED, subjectId: row.id, orgId: who.orgId, payload });
      } else {
        await enqueueJob(trx, ctx.clock, { kind: PROCESS_JOB, payload: { submissionId: row.id }, dedupKey: `${PROCESS_JOB}:${row.id}` });
      }
      await ctx.audit.record(trx, ctx.actor, {
        action: 'intake.submission.create',
        subject: { type: 'submission', id: row.id },
        orgId: who.orgId,
        diff: {
          sha256,
          size: row.size,
          format: row.format,
          tlp,
          findings: row.finding_count,
          filename: row.filename,
          vex: statements || undefined,
        },
      });
      return row;
    },
    // Where processing follows, its own commit (full) reaches the disk with this one before the answer is
    // given; a killed process keeps both. A VEX document is answered on this commit alone.
    { replayOnUniqueViolation: true, durability: statements ? 'full' : 'deferred' },
  );
  if (stored.id !== row.id) return answerRepeat(ctx, stored);
  if (statements) return answerFor(ctx, row, false);
  const processed = await processSubmission(ctx, row.id, parsed);
  // Answered from what processing wrote, unless another process got there first (then from the database).
  if (processed === null) {
    // Another request processed it: answered once what it wrote (and this submission's commit) is on disk.
    await ctx.db.flushed?.();
    return answerFor(ctx, (await store.findSubmission(ctx.db.kysely, row.id))!, false);
  }
  return { submission: presentSubmission(processed.submission), findings: processed.findings, repeated: false };
}

/**
 * The answer to bytes submitted before. When they arrived at the same moment from another request, that
 * request may not have processed them yet: wait for (or do) the processing, idempotent, so that this
 * answer is the whole one a later repeat gets.
 */
async function answerRepeat(ctx: ServiceContext, submission: store.SubmissionRow): Promise<SubmissionAnswer> {
  // A colleague's submission under a label that keeps it from the caller (TLP:RED names people): its
  // answer would tell its file name, time and clusters. Say only that the bytes are known, storing nothing.
  if (!(await mayRead(ctx, submission)))
    throw new ConflictError(
      'your organisation submitted these bytes before, under a TLP label that keeps that submission from you; nothing was stored. Ask its submitter to name you as a recipient',
      { code: 'submitted-before-hidden' },
    );
  // Stored by a request that may still be waiting for its commit to reach the disk: answered after it does.
  await ctx.db.flushed?.();
  if (submission.status !== 'received') return answerFor(ctx, submission, true);
  await processSubmission(ctx, submission.id);
  return answerFor(ctx, (await store.findSubmission(ctx.db.kysely, submission.id)) ?? submission, true);
}

/**
 * The stored clusters, for a batch whose findings carry `anchorKeys`: their stored anchors are asked with the
 * batch's identity keys, in one statement on PostgreSQL (clustersOfKeysAndAnchors), not in another after it.
 */
function directoryOf(trx: Executor, caps: DialectCapabilities, anchorKeys: readonly string[]): ClusterDirectory {
  let stored: store.StoredAnchors | undefined;
  return {
    lookup: async (keys) => {
      const found = await store.clustersOfKeysAndAnchors(trx, caps, keys, anchorKeys);
      stored = found.anchors;
      return found.clusters;
    },
    anchors: (keys, exact) => store.clustersOfAnchors(trx, caps, keys, exact, stored),
    newClusterId: () => newId('clu'),
  };
}

// Not intake_finding: ANALYZE of its wide rows on this path cost PostgreSQL intake a fifth of its rate. Nor
// intake_cluster and intake_cluster_key: their lookups go as arrays (`oneOf`), which the planner probes the
// index with once the table is large, from its size on disk, with or without statistics (the same ~120
// sequential scans of each at 100,000 findings either way, of ~18,000 rows on average, while the table was
// small), and their ANALYZE cost 38-44 µs of server CPU per finding, the most after the finding insert (issue 14).
const DEDUP_LOOKUP_TABLES = ['intake_anchor'];

/** What processing a submission wrote: the submission as processed and each finding's outcome, in order. */
export interface ProcessedSubmission {
  readonly submission: store.SubmissionRow;
  readonly findings: FindingOutcome[];
}

/**
 * Deduplicates a stored submission's findings into clusters, once: a submission already processed is left
 * alone, so the call is idempotent and safe to repeat after a crash. `parsed` saves re-reading the blob
 * when the caller has it. Answers what it wrote, as the submitter (the context's actor) is told it; null when
 * there was nothing to do.
 */
export async function processSubmission(
  ctx: ServiceContext,
  submissionId: string,
  parsed?: PreparedDocument,
): Promise<ProcessedSubmission | null> {
  const submission = await store.findSubmission(ctx.db.kysely, submissionId);
  if (submission === undefined) throw new NotFoundError(`no submission ${submissionId}`);
  // A vendor's VEX document carries statements, which the cases module reads; it is never clustered.
  if (submission.status === 'processed' || submission.status === 'statements') return null;
  let document = parsed;
  if (document === undefined) {
    const bytes = await ctx.blobs.get(submission.sha256);
    if (bytes === null)
      throw new Error(`the raw bytes of submission ${submissionId} (${submission.sha256}) are missing from the blob store`);
    document = prepareDocument(parseSubmission(bytes, { format: submission.format as SourceFormat, includeRejected: true }));
  }
  const findings = document.findings;
  // Deduplication looks its keys up by the hundred: index lookups only while the planner knows how big these
  // tables have grown (PostgreSQL without autovacuum plans them as full scans otherwise — measured in issue 14).
  await keepStatisticsFresh(ctx.db.kysely, ctx.db.caps, DEDUP_LOOKUP_TABLES);
  // Fingerprints and stored JSON were made with the document (prepareDocument): the work done while holding the
  // deduplication's turn is the database's. Ids and times are taken inside it, so that they follow the order in
  // which submissions are deduplicated.
  // Deduplication decides cluster membership from what is stored: one batch at a time, across processes (and
  // within this one in its own queue, so that waiting submissions hold no pooled connection).
  return withSerializedTransaction(
    ctx.db,
    DEDUP_LOCK,
    async (trx) => {
      const current = await store.findSubmission(trx, submissionId);
      if (current === undefined || current.status === 'processed' || current.status === 'statements') return null;
      const now = ctx.clock.now().toISOString();
      // Ids made together (as newId makes them one by one within a millisecond), each row a plain object: an anchor
      // proposal's reason, the one reader of the whole finding, restores it from the row's stored JSON.
      const ids = newIds('fnd', findings.length);
      const pending: store.FindingRow[] = new Array(findings.length);
      for (let position = 0; position < findings.length; position++) {
        const finding = findings[position]!;
        const id = ids[position]!;
        pending[position] = {
          id,
          submission_id: submissionId,
          position,
          ref: finding.ref,
          product_id: finding.productId,
          owner_org_id: submission.owner_org_id,
          created_by: submission.created_by,
          tlp: submission.tlp,
          cluster_id: '',
          outcome: 'new',
          fingerprint: finding.fingerprint ?? `none:${id}`,
          format: finding.format,
          title: finding.title,
          target_identity: finding.targetIdentity,
          cwes: finding.cwes,
          tool: finding.tool,
          model: finding.model,
          ai_generated: finding.aiGenerated === null ? null : finding.aiGenerated ? 1 : 0,
          near_dup_indexed: 0,
          data: finding.data,
          created_at: now,
        };
      }
      const plan = await assignClusters(
        pending.map((row, position) => ({
          key: row.id,
          aliases: findings[position]!.aliases,
          fingerprint: findings[position]!.fingerprint,
          anchors: findings[position]!.anchors,
        })),
        directoryOf(trx, ctx.db.caps, [...new Set(findings.flatMap((f) => (f.anchors ?? []).map((a) => a.key)))]),
      );
      const counts = {
        findings: findings.length,
        new: plan.created.length,
        duplicate: findings.length - plan.created.length,
        merged: plan.merges.length,
      };
      // The submission marked processed, its processing job done, its near-duplicate job queued and the event
      // that it was processed: written with the plan's rows, in the one statement that holds them on PostgreSQL.
      const alongside = async (applied: AppliedPlan) => [
        store.markSubmissionProcessedStatement(trx, submissionId, now, findings.length),
        finishJobByKeyStatement(trx, ctx.clock, `${PROCESS_JOB}:${submissionId}`),
        ...(findings.length === 0
          ? []
          : await addJobsStatements(trx, ctx.db.caps, ctx.clock, [
              { kind: NEAR_DUPLICATE_JOB, payload: { submissionId }, dedupKey: `${NEAR_DUPLICATE_JOB}:${submissionId}` },
            ])),
        ...(await ctx.events.emitStatements(trx, {
          type: SUBMISSION_PROCESSED,
          subjectId: submissionId,
          orgId: submission.owner_org_id,
          payload: {
            submissionId,
            format: submission.format,
            createdClusterIds: applied.createdClusterIds,
            grownClusterIds: applied.grownClusterIds,
            merges: applied.merges,
            counts,
          },
        })),
      ];
      const applied = await applyPlan(
        trx,
        ctx.db.caps,
        plan,
        pending,
        { id: submissionId, ownerOrgId: submission.owner_org_id },
        describeActor(ctx.actor),
        findingVisibility(ctx.actor),
        now,
        alongside,
      );
      const proposed = await recordAnchors(trx, ctx.db.caps, plan, pending, now);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'intake.submission.process',
        subject: { type: 'submission', id: submissionId },
        orgId: submission.owner_org_id,
        diff: proposed > 0 ? { ...counts, proposed } : counts,
      });
      for (const merge of applied.merges) {
        await ctx.audit.record(trx, ctx.actor, {
          action: 'intake.cluster.merge',
          subject: { type: 'cluster', id: merge.from },
          diff: { into: merge.into, regroup: merge.regroupId, automatic: true },
        });
      }
      return {
        submission: { ...current, status: 'processed', processed_at: now, finding_count: findings.length },
        findings: await outcomesOf(trx, ctx.db.caps, ctx.actor, applied.rows, applied.firstReports),
      };
    },
    // The answer waits for the disk, as a full commit does, but the connection does not: the next submission's
    // deduplication runs while this one's flush (shared with every commit made meanwhile) is under way.
    { durability: 'grouped' },
  );
}

async function answerFor(ctx: ServiceContext, submission: store.SubmissionRow, repeated: boolean): Promise<SubmissionAnswer> {
  return { submission: presentSubmission(submission), findings: await storedOutcomes(ctx.db.kysely, ctx.actor, submission.id), repeated };
}

/** A submission and its per-finding answer; NotFoundError when the actor may not see it. */
export async function getSubmission(ctx: ServiceContext, id: string): Promise<SubmissionAnswer> {
  const row = await store.findSubmission(ctx.db.kysely, id);
  if (row === undefined || !(await mayRead(ctx, row))) throw new NotFoundError(`no submission ${id}`);
  return answerFor(ctx, row, false);
}

async function mayRead(ctx: ServiceContext, row: store.SubmissionRow): Promise<boolean> {
  const recipients = (await recipientsByRecord(ctx.db.kysely, [row.id])).get(row.id) ?? [];
  return canSee(ctx.actor, { ownerOrgId: row.owner_org_id, tlp: row.tlp as Tlp, createdBy: row.created_by, recipients });
}
