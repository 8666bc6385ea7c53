import type { Actor } from '../../../platform/actor.js';
import type { Executor } from '../../../platform/db/index.js';
import { isCoordinatorRecipient } from '../../identity/index.js';
import { restoreFinding } from '../domain/finding-json.js';
import { presentCluster, type ClusterSummary } from '../presenters.js';
import * as store from '../store/index.js';
import { findingVisibility } from './access.js';

/** Whether the actor may see every report there is: the stored summaries are theirs as they are. */
export function seesEveryReport(actor: Actor): boolean {
  return actor.kind === 'system' || isCoordinatorRecipient(actor);
}

interface Tally {
  readonly total: number;
  readonly visible: number;
  readonly reporters: number;
  readonly first: string | null;
}

/** Per cluster: its reports, those the actor may see, their organisations and the earliest of them. One query. */
async function tallies(executor: Executor, actor: Actor, clusterIds: readonly string[]): Promise<Map<string, Tally>> {
  const rows = await store.reportTallies(executor, findingVisibility(actor), clusterIds);
  return new Map(
    rows.map((r) => [
      r.cluster_id,
      {
        total: Number(r.total),
        visible: Number(r.visible),
        reporters: Number(r.reporters),
        first: r.first === null ? null : String(r.first),
      },
    ]),
  );
}

/** The labels of the reports the actor may see in these clusters, oldest first. One query. */
async function visibleLabels(
  executor: Executor,
  actor: Actor,
  clusterIds: readonly string[],
): Promise<Map<string, { title: string | null; target: string | null; cwes: Set<string>; aliases: Set<string> }>> {
  const out = new Map<string, { title: string | null; target: string | null; cwes: Set<string>; aliases: Set<string> }>();
  if (clusterIds.length === 0) return out;
  const rows = await store.visibleLabelRows(executor, findingVisibility(actor), clusterIds);
  for (const row of rows) {
    let label = out.get(row.cluster_id);
    if (label === undefined) out.set(row.cluster_id, (label = { title: null, target: null, cwes: new Set(), aliases: new Set() }));
    label.title ??= row.title;
    label.target ??= row.target_identity;
    for (const cwe of JSON.parse(row.cwes) as string[]) label.cwes.add(cwe);
    for (const alias of restoreFinding(row.data).aliases) label.aliases.add(alias.id);
  }
  return out;
}

/**
 * The summaries of these clusters as the actor may see them, by id: from the stored summary when the actor
 * may see every report of the cluster, else from the reports it may see — two queries for any number of
 * clusters (a page), never one per row. Clusters of which the actor may see no report are absent, and so
 * are clusters merged away (they hold no reports; see {@link mergedSummary}).
 */
export async function summariesFor(
  executor: Executor,
  actor: Actor,
  rows: readonly store.ClusterRow[],
): Promise<Map<string, ClusterSummary>> {
  if (rows.length === 0) return new Map();
  if (seesEveryReport(actor)) return new Map(rows.map((r) => [r.id, presentCluster(r)]));
  const counted = await tallies(
    executor,
    actor,
    rows.map((r) => r.id),
  );
  const partial = rows.filter((r) => {
    const tally = counted.get(r.id);
    return tally !== undefined && tally.visible > 0 && tally.visible < tally.total;
  });
  const labels = await visibleLabels(
    executor,
    actor,
    partial.map((r) => r.id),
  );
  const out = new Map<string, ClusterSummary>();
  for (const row of rows) {
    const tally = counted.get(row.id);
    if (tally === undefined || tally.visible === 0 || tally.first === null) continue;
    if (tally.visible === tally.total) {
      out.set(row.id, presentCluster(row));
      continue;
    }
    const label = labels.get(row.id);
    out.set(row.id, {
      id: row.id,
      title: label?.title ?? null,
      state: row.state,
      targetIdentity: label?.target ?? null,
      cwes: [...(label?.cwes ?? [])].sort(),
      aliases: [...(label?.aliases ?? [])].sort(),
      firstSeenAt: tally.first,
      findingCount: tally.visible,
      reporterCount: tally.reporters,
      mergedInto: row.merged_into,
    });
  }
  return out;
}

/**
 * A cluster merged away, as the actor sees it: it holds no reports any more, so it shows its survivor's
 * first-seen time as the actor may see it and nothing derived from the reports it once held.
 */
export function mergedSummary(row: store.ClusterRow, actor: Actor, survivor: ClusterSummary): ClusterSummary {
  if (seesEveryReport(actor)) return { ...presentCluster(row), mergedInto: survivor.id };
  return {
    id: row.id,
    title: null,
    state: row.state,
    targetIdentity: null,
    cwes: [],
    aliases: [],
    firstSeenAt: survivor.firstSeenAt,
    findingCount: 0,
    reporterCount: 0,
    mergedInto: survivor.id,
  };
}
