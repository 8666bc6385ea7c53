import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withSerializedTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { DEDUP_LOCK } from './dedup-lock.js';
import { ConflictError, InputError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { identityKeys } from '../domain/index.js';
import { restoreFinding } from '../domain/finding-json.js';
import * as store from '../store/index.js';
import { requireRegroup, requireRegroupVisible } from './access.js';
import { getCluster } from './clusters.js';
import { presentRegroup, type RegroupView, type SplitAnswer } from '../presenters.js';
import { CLUSTER_MERGED, CLUSTER_REGROUPED, CLUSTER_SPLIT } from '../events.js';

async function liveCluster(trx: Executor, id: string, pointer: string): Promise<store.ClusterRow> {
  const row = await store.findCluster(trx, id);
  if (row === undefined) throw new NotFoundError(`no cluster ${id}`);
  if (row.merged_into !== null)
    throw new ConflictError(`cluster ${id} was merged into ${row.merged_into}; act on that one`, { code: 'cluster-merged' });
  if (pointer === '') return row;
  return row;
}

function reasonOf(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '')
    throw new InputError('a reason is required', [{ pointer: '/reason', detail: 'is required' }]);
  return reason.trim().slice(0, 2000);
}

/**
 * Folds cluster `from` into `into` (coordinators): its reports and identity keys move, and `from` points at
 * `into` from then on. Recorded as a regroup that {@link undoRegroup} reverses; audited; emits
 * `intake.cluster.merged`.
 */
export async function mergeClusters(ctx: ServiceContext, input: { from: string; into: string; reason?: unknown }): Promise<RegroupView> {
  // Hidden clusters answer "not found" before anything else is said about the call.
  await getCluster(ctx, input.from);
  if (typeof input.into === 'string' && input.into !== input.from) await getCluster(ctx, input.into);
  requireRegroup(ctx.actor, 'intake.cluster.regroup');
  const reason = reasonOf(input.reason);
  if (input.from === input.into)
    throw new InputError('a cluster cannot be merged into itself', [{ pointer: '/into', detail: 'must differ from the merged cluster' }]);
  return withSerializedTransaction(ctx.db, DEDUP_LOCK, async (trx) => {
    await liveCluster(trx, input.from, '/from');
    await liveCluster(trx, input.into, '/into');
    const at = ctx.clock.now().toISOString();
    const findingIds = await store.findingIdsOfCluster(trx, input.from);
    const keys = (await store.keysOfCluster(trx, input.from)).map((k) => k.key);
    await store.moveFindings(trx, findingIds, input.into);
    await store.moveKeys(trx, keys, input.into);
    await store.setMergedInto(trx, input.from, input.into, at);
    await store.refreshClusterSummary(trx, input.into, at);
    await store.refreshClusterSummary(trx, input.from, at);
    const row: store.RegroupRow = {
      id: newId('rgp'),
      kind: 'merge',
      from_cluster_id: input.from,
      into_cluster_id: input.into,
      finding_ids: JSON.stringify(findingIds),
      key_names: JSON.stringify(keys),
      reason,
      actor: describeActor(ctx.actor),
      created_at: at,
      undone_at: null,
    };
    await store.insertRegroup(trx, row);
    await store.markCandidatesMerged(trx, input.from, input.into, at, describeActor(ctx.actor));
    await ctx.audit.record(trx, ctx.actor, {
      action: 'intake.cluster.merge',
      subject: { type: 'cluster', id: input.from },
      diff: { into: input.into, regroup: row.id, reason, findings: findingIds.length },
    });
    await ctx.events.emit(trx, {
      type: CLUSTER_MERGED,
      subjectId: input.into,
      payload: { from: input.from, into: input.into, regroupId: row.id },
    });
    return presentRegroup(row);
  });
}

/**
 * Moves some reports out of a cluster into a new one (coordinators): they were a different vulnerability.
 * Identity keys that only the moved reports carry go with them; keys both sides carry stay. Reversible.
 */
export async function splitCluster(
  ctx: ServiceContext,
  clusterId: string,
  input: { findingIds?: unknown; reason?: unknown },
): Promise<SplitAnswer> {
  await getCluster(ctx, clusterId);
  requireRegroup(ctx.actor, 'intake.cluster.regroup');
  const reason = reasonOf(input.reason);
  const moving = Array.isArray(input.findingIds) ? [...new Set(input.findingIds.filter((x): x is string => typeof x === 'string'))] : [];
  if (moving.length === 0)
    throw new InputError('name the findings to split off', [{ pointer: '/findingIds', detail: 'must list at least one finding id' }]);
  const regroup = await withSerializedTransaction(ctx.db, DEDUP_LOCK, async (trx) => {
    await liveCluster(trx, clusterId, '');
    const all = await store.identitiesOfCluster(trx, clusterId);
    const inCluster = new Set(all.map((f) => f.id));
    const strangers = moving.filter((id) => !inCluster.has(id));
    if (strangers.length > 0)
      throw new InputError(
        `findings not in cluster ${clusterId}: ${strangers.join(', ')}`,
        strangers.map((id, i) => ({ pointer: `/findingIds/${i}`, detail: `${id} is not in this cluster` })),
      );
    if (moving.length === all.length)
      throw new InputError('a split must leave at least one finding behind', [
        { pointer: '/findingIds', detail: 'names every finding of the cluster' },
      ]);
    const keysOf = (f: { id: string; data: string; fingerprint: string }) =>
      identityKeys({
        key: f.id,
        aliases: restoreFinding(f.data).aliases,
        fingerprint: f.fingerprint.startsWith('none:') ? null : f.fingerprint,
      }).map((k) => k.key);
    const staying = new Set(all.filter((f) => !moving.includes(f.id)).flatMap(keysOf));
    const stored = new Set((await store.keysOfCluster(trx, clusterId)).map((k) => k.key));
    const movingKeys = [...new Set(all.filter((f) => moving.includes(f.id)).flatMap(keysOf))].filter(
      (k) => stored.has(k) && !staying.has(k),
    );

    const at = ctx.clock.now().toISOString();
    const newClusterId = newId('clu');
    const firstMoving = all.find((f) => moving.includes(f.id))!;
    await store.insertClusters(trx, ctx.db.caps, [
      {
        id: newClusterId,
        title: null,
        target_identity: null,
        cwes: '[]',
        aliases: '[]',
        first_finding_id: firstMoving.id,
        first_reporter_org_id: '',
        first_seen_at: at,
        finding_count: 0,
        reporter_count: 0,
        state: 'received',
        merged_into: null,
        created_at: at,
        updated_at: at,
      },
    ]);
    await store.moveFindings(trx, moving, newClusterId);
    await store.moveKeys(trx, movingKeys, newClusterId);
    await store.refreshClusterSummary(trx, newClusterId, at);
    await store.refreshClusterSummary(trx, clusterId, at);
    const row: store.RegroupRow = {
      id: newId('rgp'),
      kind: 'split',
      from_cluster_id: clusterId,
      into_cluster_id: newClusterId,
      finding_ids: JSON.stringify(moving),
      key_names: JSON.stringify(movingKeys),
      reason,
      actor: describeActor(ctx.actor),
      created_at: at,
      undone_at: null,
    };
    await store.insertRegroup(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'intake.cluster.split',
      subject: { type: 'cluster', id: clusterId },
      diff: { newCluster: newClusterId, regroup: row.id, findings: moving, keys: movingKeys, reason },
    });
    await ctx.events.emit(trx, {
      type: CLUSTER_SPLIT,
      subjectId: clusterId,
      payload: { from: clusterId, into: newClusterId, regroupId: row.id },
    });
    return presentRegroup(row);
  });
  return { regroup, cluster: await getCluster(ctx, regroup.intoClusterId) };
}

/**
 * Reverses a merge (manual or automatic) or a split: the reports and keys it moved go back, and the
 * cluster emptied by a split points at its original again. Reports added since stay where they are.
 */
export async function undoRegroup(ctx: ServiceContext, regroupId: string): Promise<RegroupView> {
  requireRegroupVisible(ctx.actor, regroupId);
  return withSerializedTransaction(ctx.db, DEDUP_LOCK, async (trx) => {
    const row = await store.findRegroup(trx, regroupId);
    if (row === undefined) throw new NotFoundError(`no regroup ${regroupId}`);
    if (row.undone_at !== null) throw new ConflictError(`regroup ${regroupId} was undone at ${row.undone_at}`, { code: 'already-undone' });
    const at = ctx.clock.now().toISOString();
    const findingIds = JSON.parse(row.finding_ids) as string[];
    const keys = JSON.parse(row.key_names) as string[];
    if (row.kind === 'split') {
      await store.moveFindings(trx, findingIds, row.from_cluster_id);
      await store.moveKeys(trx, keys, row.from_cluster_id);
      await store.setMergedInto(trx, row.into_cluster_id, row.from_cluster_id, at);
    } else {
      await store.moveFindings(trx, findingIds, row.from_cluster_id);
      await store.moveKeys(trx, keys, row.from_cluster_id);
      await store.setMergedInto(trx, row.from_cluster_id, null, at);
    }
    await store.refreshClusterSummary(trx, row.from_cluster_id, at);
    await store.refreshClusterSummary(trx, row.into_cluster_id, at);
    await store.markRegroupUndone(trx, regroupId, at);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'intake.regroup.undo',
      subject: { type: 'regroup', id: regroupId },
      diff: { kind: row.kind, from: row.from_cluster_id, into: row.into_cluster_id },
    });
    await ctx.events.emit(trx, {
      type: CLUSTER_REGROUPED,
      subjectId: row.from_cluster_id,
      payload: { regroupId, undone: true, clusters: [row.from_cluster_id, row.into_cluster_id] },
    });
    return presentRegroup({ ...row, undone_at: at });
  });
}

/** Regroups touching a cluster, newest first, a page at a time (coordinators). */
export async function listRegroups(ctx: ServiceContext, clusterId: string, request: PageRequest = {}): Promise<Page<RegroupView>> {
  await getCluster(ctx, clusterId);
  requireRegroup(ctx.actor, 'intake.regroup.list');
  const page = await store.regroupPage(ctx.db.kysely, clusterId, request);
  return { items: page.items.map(presentRegroup), nextCursor: page.nextCursor };
}
