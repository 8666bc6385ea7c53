import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import {
  keepStatisticsFresh,
  withSerializedTransaction,
  withTransaction,
  type Executor,
  type Page,
  type PageRequest,
} from '../../../platform/db/index.js';
import { ConflictError, NotFoundError } from '../../../platform/errors.js';
import { MAX_BUCKET, findNearDuplicates, nearDuplicateBuckets, type NearDuplicateSubject } from '../domain/index.js';
import { restoreFinding } from '../domain/finding-json.js';
import * as store from '../store/index.js';
import { isCoordinatorRecipient } from '../../identity/index.js';
import { everyReportVisibleTo, requireRegroup } from './access.js';
import { proposeCandidates } from './anchor-proposals.js';
import { getCluster, summariesFor, visibleClusterIds } from './clusters.js';
import { mergeClusters } from './regroup.js';
import type { CandidateDecision, CandidateView } from '../presenters.js';

function subjectOf(row: { id: string; cluster_id: string; data: string }): NearDuplicateSubject {
  const f = restoreFinding(row.data);
  return {
    key: row.id,
    clusterId: row.cluster_id,
    aliases: f.aliases,
    targets: f.targets,
    cwes: f.cwes,
    locations: f.locations,
    title: f.title,
    description: f.description,
  };
}

/**
 * Identity layer 3 for one processed submission, run as a background job: the reports that opened new
 * clusters are indexed by their MinHash bands, file and function per target, compared with the reports
 * already indexed in the same buckets, and pairs that look alike are proposed to the coordinators —
 * never merged. Idempotent: indexed reports are marked and skipped on a re-run.
 */
export async function proposeNearDuplicates(ctx: ServiceContext, submissionId: string): Promise<number> {
  // A bucket lookup is an index lookup only while the planner knows the buckets are nearly unique.
  await keepStatisticsFresh(ctx.db.kysely, ctx.db.caps, 'intake_lsh');
  // One submission at a time, across job lanes and processes, reading the buckets in the transaction that adds
  // its own: two jobs that both read before either wrote would each miss the other's reports, and a pair
  // between two submissions indexed at once would never be proposed; a job run again while its first run is
  // still at work (a lease that ran out) finds its reports indexed and adds no bucket twice.
  return withSerializedTransaction(ctx.db, NEAR_DUPLICATE_LOCK, (trx) => indexAndPropose(ctx, trx, submissionId), {
    durability: 'deferred',
  });
}

/**
 * {@link proposeNearDuplicates} for several processed submissions, one after the other in one transaction:
 * each reads the buckets the ones before it added, so the proposals are those of running them alone in
 * this order. Answers the proposals made, per submission.
 */
export async function proposeNearDuplicatesOfMany(ctx: ServiceContext, submissionIds: readonly string[]): Promise<number[]> {
  await keepStatisticsFresh(ctx.db.kysely, ctx.db.caps, 'intake_lsh');
  return withSerializedTransaction(
    ctx.db,
    NEAR_DUPLICATE_LOCK,
    async (trx) => {
      const proposed: number[] = [];
      for (const submissionId of submissionIds) proposed.push(await indexAndPropose(ctx, trx, submissionId));
      return proposed;
    },
    { durability: 'deferred' },
  );
}

/** The lock near-duplicate indexing serializes on (see {@link proposeNearDuplicates}). */
const NEAR_DUPLICATE_LOCK = 'intake.near-duplicates';

async function indexAndPropose(ctx: ServiceContext, db: Executor, submissionId: string): Promise<number> {
  const rows = await store.findingsToIndex(db, submissionId);
  if (rows.length === 0) return 0;
  const subjects = rows.map(subjectOf);
  const bucketsOf = new Map(subjects.map((s) => [s.key, nearDuplicateBuckets(s)]));
  const allBuckets = [...new Set([...bucketsOf.values()].flat())];

  const members = new Map<string, { finding_id: string; cluster_id: string }[]>();
  for (const r of await store.lshMembers(db, allBuckets)) {
    const list = members.get(r.bucket);
    if (list) list.push(r);
    else members.set(r.bucket, [r]);
  }
  const neighbourIds = new Set<string>();
  for (const list of members.values()) if (list.length <= MAX_BUCKET) for (const m of list) neighbourIds.add(m.finding_id);
  const batchIds = new Set(rows.map((r) => r.id));
  const neighbours: NearDuplicateSubject[] = (
    await store.findingSubjects(
      db,
      [...neighbourIds].filter((id) => !batchIds.has(id)),
    )
  ).map(subjectOf);

  const clusterOf = new Map([...subjects, ...neighbours].map((s) => [s.key, s.clusterId ?? '']));
  // Only pairs with a report of this batch: the neighbours were compared with each other when they came.
  const pairs = findNearDuplicates([...subjects, ...neighbours], { involving: batchIds }).filter(
    (p) => clusterOf.get(p.a) !== clusterOf.get(p.b),
  );
  const at = ctx.clock.now().toISOString();
  // Derived and idempotent (the caller's transaction, durability deferred): a job whose commit a power cut lost
  // is still queued and runs again. One lookup and one multi-row insert per 500 pairs, not a statement per pair.
  const proposed = await proposeCandidates(
    db,
    ctx.db.caps,
    pairs.map((pair) => ({
      pair: [clusterOf.get(pair.a) ?? '', clusterOf.get(pair.b) ?? ''],
      similarity: pair.score,
      reason: pair.reason,
    })),
    at,
  );
  await store.insertLsh(
    db,
    ctx.db.caps,
    subjects.flatMap((s) => (bucketsOf.get(s.key) ?? []).map((bucket) => ({ bucket, finding_id: s.key, cluster_id: s.clusterId ?? '' }))),
  );
  await store.markNearDuplicateIndexed(
    db,
    rows.map((r) => r.id),
  );
  if (proposed > 0) {
    await ctx.audit.record(db, ctx.actor, {
      action: 'intake.candidate.propose',
      subject: { type: 'submission', id: submissionId },
      diff: { proposed },
    });
  }
  return proposed;
}

/**
 * Near-duplicate proposals involving a cluster, most alike first, a page at a time, listing only pairs whose
 * every report the actor may see.
 */
export async function listCandidates(ctx: ServiceContext, clusterId: string, request: PageRequest = {}): Promise<Page<CandidateView>> {
  await getCluster(ctx, clusterId);
  // A proposal's similarity and reason are read off the reports of both clusters: it is shown only to those
  // who may see every one of them, or it would tell of a hidden report (its file, its likeness).
  const page = await store.candidatePage(ctx.db.kysely, clusterId, (column) => everyReportVisibleTo(ctx.actor, column), request);
  const others = await summariesFor(ctx.db.kysely, ctx.actor, page.items);
  return {
    items: page.items.flatMap((r) => {
      const other = others.get(r.id);
      if (other === undefined) return [];
      return [
        {
          id: r.candidate_id,
          similarity: r.similarity,
          reason: r.reason,
          status: r.candidate_status,
          other,
          createdAt: r.proposed_at,
          decidedAt: r.decided_at,
        },
      ];
    }),
    nextCursor: page.nextCursor,
  };
}

/** A coordinator's decision on a proposal: `merge` folds the newer cluster into the older; `dismiss` keeps them apart. */
export async function decideCandidate(
  ctx: ServiceContext,
  candidateId: string,
  decision: 'merge' | 'dismiss',
  reason?: string,
): Promise<CandidateDecision> {
  const row = await store.findCandidate(ctx.db.kysely, candidateId);
  // A proposal is seen by whoever sees both its clusters; to anyone else it does not exist. The coordinator's
  // analysts and admins read every record, so a proposal settled by a merge (one cluster emptied) is still
  // theirs to be told it was decided.
  const seen = isCoordinatorRecipient(ctx.actor)
    ? 2
    : (await visibleClusterIds(ctx, [row?.cluster_id ?? '', row?.other_cluster_id ?? ''])).size;
  if (row === undefined || seen < 2) throw new NotFoundError(`no candidate ${candidateId}`);
  requireRegroup(ctx.actor, 'intake.cluster.regroup');
  if (row.status !== 'proposed')
    throw new ConflictError(`candidate ${candidateId} was ${row.status} already`, { code: 'candidate-decided' });
  if (decision === 'merge') {
    const regroup = await mergeClusters(ctx, {
      from: row.other_cluster_id,
      into: row.cluster_id,
      reason: reason ?? `near duplicate (similarity ${row.similarity}): ${row.reason}`,
    });
    return { status: 'merged', regroup };
  }
  await withTransaction(ctx.db, async (trx) => {
    // Only a proposal still proposed is dismissed: of two coordinators deciding at once, the second is told.
    const dismissed = await store.dismissCandidate(trx, candidateId, ctx.clock.now().toISOString(), describeActor(ctx.actor));
    if (!dismissed) throw new ConflictError(`candidate ${candidateId} was decided already`, { code: 'candidate-decided' });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'intake.candidate.dismiss',
      subject: { type: 'candidate', id: candidateId },
      diff: { reason: reason ?? null },
    });
  });
  return { status: 'dismissed', regroup: null };
}
