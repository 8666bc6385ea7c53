import { writeTogether, type DialectCapabilities, type Executor, type WriteStatement } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import type { DedupPlan } from '../domain/index.js';
import * as store from '../store/index.js';

/** When a cluster was first reported and whether the submitter may see that first report. */
export interface FirstReport {
  readonly firstSeenAt: string;
  readonly visible: boolean;
}

export interface AppliedPlan {
  readonly rows: store.FindingRow[];
  /**
   * The first reports of the clusters the batch opened or grew, as stored by this transaction (a cluster merged
   * into is left out: its summary was recomputed). A cluster opened now has its first report in the batch,
   * which its submitter sees as it sees the submission.
   */
  readonly firstReports: ReadonlyMap<string, FirstReport>;
  readonly createdClusterIds: string[];
  readonly grownClusterIds: string[];
  readonly merges: { from: string; into: string; regroupId: string }[];
}

/**
 * Writes a dedup plan: folds merged clusters into their survivor (recorded as reversible regroups), opens
 * the new clusters, stores the findings and the new identity keys, and updates the summaries of the
 * clusters that grew. Runs inside the caller's transaction; the statements `alongside` answers for what the
 * plan does are written with the plan's rows (on PostgreSQL in the same statement).
 */
export async function applyPlan(
  trx: Executor,
  caps: DialectCapabilities,
  plan: DedupPlan,
  /** The rows of the findings about to be stored; their `cluster_id` and `outcome` are set here, from the plan. */
  pending: readonly store.FindingRow[],
  submission: { readonly id: string; readonly ownerOrgId: string },
  actor: string,
  /** What the submitter may see (service/access.ts): whether a grown cluster's first report is shown to it. */
  visible: store.Visibility,
  at: string,
  /** The caller's writes that need nothing from the plan's rows, given what the plan does: sent with them. */
  alongside: (applied: AppliedPlan) => Promise<readonly WriteStatement[]> = async () => [],
): Promise<AppliedPlan> {
  const byKey = new Map<string, store.FindingRow>();
  for (const row of pending) byKey.set(row.id, row);
  const merges: AppliedPlan['merges'] = [];
  for (const merge of plan.merges) {
    const findingIds = await store.findingIdsOfCluster(trx, merge.from);
    const keys = (await store.keysOfCluster(trx, merge.from)).map((k) => k.key);
    await store.moveFindings(trx, findingIds, merge.into);
    await store.moveKeys(trx, keys, merge.into);
    await store.markMergedAway(trx, merge.from, merge.into, at);
    const regroupId = newId('rgp');
    await store.insertRegroup(trx, {
      id: regroupId,
      kind: 'auto-merge',
      from_cluster_id: merge.from,
      into_cluster_id: merge.into,
      finding_ids: JSON.stringify(findingIds),
      key_names: JSON.stringify(keys),
      reason: `a new finding carries identity keys of both: ${merge.because.map((k) => k.key).join(', ')}`,
      actor,
      created_at: at,
      undone_at: null,
    });
    merges.push({ from: merge.from, into: merge.into, regroupId });
  }

  // Each pending row takes its cluster and outcome in place: no copy of a 21-field row per finding.
  const rows: store.FindingRow[] = plan.assignments.map((a) => {
    const row = byKey.get(a.key);
    if (row === undefined) throw new Error(`dedup plan names unknown finding ${a.key}`);
    row.cluster_id = a.clusterId;
    row.outcome = a.outcome;
    return row;
  });

  const members = new Map<string, store.FindingRow[]>();
  for (const row of rows) {
    const list = members.get(row.cluster_id);
    if (list) list.push(row);
    else members.set(row.cluster_id, [row]);
  }
  const newAliases = new Map<string, string[]>();
  for (const k of plan.newKeys) {
    if (k.kind !== 'alias') continue;
    const list = newAliases.get(k.clusterId);
    const alias = k.key.slice('alias:'.length);
    if (list) list.push(alias);
    else newAliases.set(k.clusterId, [alias]);
  }
  const aliasesOf = (clusterId: string) => newAliases.get(clusterId) ?? [];
  const cwesOf = (rowsOf: readonly store.FindingRow[]) =>
    new Set(rowsOf.flatMap((r) => (r.cwes === '[]' ? [] : (JSON.parse(r.cwes) as string[]))));
  // A new cluster of one finding with at most one CWE (most of them) has that finding's list as its label, as
  // written (JSON.stringify of one or no id is the sorted list): no parse, set, sort and stringify again.
  const clusterCwes = (rowsOf: readonly store.FindingRow[]) =>
    rowsOf.length === 1 && !rowsOf[0]!.cwes.includes(',') ? rowsOf[0]!.cwes : JSON.stringify([...cwesOf(rowsOf)].sort());

  const created = new Set(plan.created.map((c) => c.clusterId));
  const mergedInto = new Set(merges.map((m) => m.into));
  const grown = [...members.keys()].filter((id) => !created.has(id) && !mergedInto.has(id));
  // What the writes below need of the clusters that grew is read first: the writes then need nothing from one
  // another and go together, one statement on PostgreSQL under the deduplication lock every submission waits
  // for (issue 14), with the caller's own (`alongside`).
  const facts = await store.grownClusterFacts(trx, caps, visible, grown, submission.ownerOrgId, submission.id);
  const firstReports = new Map<string, FirstReport>();
  for (const id of created) if (!mergedInto.has(id)) firstReports.set(id, { firstSeenAt: at, visible: true });
  // Labels change only when the batch brings a CWE or alias the cluster lacked: rare for duplicates.
  const relabel = new Map<string, { cwes: string[]; aliases: string[] }>();
  for (const row of facts) {
    firstReports.set(row.id, { firstSeenAt: row.first_seen_at, visible: Number(row.first_visible) === 1 });
    const cwes = new Set<string>(JSON.parse(row.cwes) as string[]);
    const aliases = new Set<string>(JSON.parse(row.aliases) as string[]);
    const before = cwes.size + aliases.size;
    for (const cwe of cwesOf(members.get(row.id) ?? [])) cwes.add(cwe);
    for (const alias of aliasesOf(row.id)) aliases.add(alias);
    if (cwes.size + aliases.size !== before) relabel.set(row.id, { cwes: [...cwes].sort(), aliases: [...aliases].sort() });
  }
  const clusters = plan.created.map(({ clusterId, firstKey }): store.ClusterRow => {
    const first = byKey.get(firstKey)!;
    const rowsOf = members.get(clusterId) ?? [];
    return {
      id: clusterId,
      title: rowsOf.find((r) => r.title !== null)?.title ?? null,
      target_identity: rowsOf.find((r) => r.target_identity !== null)?.target_identity ?? null,
      cwes: clusterCwes(rowsOf),
      aliases: JSON.stringify([...new Set(aliasesOf(clusterId))].sort()),
      first_finding_id: first.id,
      first_reporter_org_id: submission.ownerOrgId,
      first_seen_at: at,
      finding_count: rowsOf.length,
      reporter_count: 1,
      state: 'received',
      merged_into: null,
      created_at: at,
      updated_at: at,
    };
  });
  const applied: AppliedPlan = { rows, firstReports, createdClusterIds: [...created], grownClusterIds: [...grown, ...mergedInto], merges };
  await writeTogether(trx, caps, [
    ...(await store.insertClustersStatements(trx, caps, clusters)),
    ...(await store.insertFindingsStatements(trx, caps, rows)),
    ...(await store.insertClusterKeysStatements(
      trx,
      caps,
      plan.newKeys.map((k) => ({ key: k.key, cluster_id: k.clusterId, finding_id: k.findingKey, created_at: at })),
    )),
    ...store.growClusterCountsStatements(
      caps,
      new Map(facts.map((f) => [f.id, { findings: members.get(f.id)?.length ?? 0, newReporter: Number(f.reported_before) !== 1 }])),
      at,
    ),
    ...(await alongside(applied)),
  ]);
  await store.relabelClusters(trx, relabel);
  for (const clusterId of mergedInto) await store.refreshClusterSummary(trx, clusterId, at);

  return applied;
}
