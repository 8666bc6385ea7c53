import { tlpRank, type Tlp } from '../../../platform/tlp.js';
import type { ServiceContext } from '../../../platform/context.js';
import { restoreFinding } from '../domain/finding-json.js';
import * as store from '../store/index.js';
import { clusterVisibility, findingVisibility } from './access.js';

/**
 * A vulnerability cluster as one viewer may share it onward: built only from the reports that viewer may
 * see, and of those only the most openly labelled ones — so that what it says is exactly as open as its
 * label. A cluster the viewer sees through a GREEN report and a RED one is shared at GREEN with what the
 * GREEN report says; the RED report's content never reaches it.
 */
export interface SharedCluster {
  readonly clusterId: string;
  readonly tlp: Tlp;
  readonly title: string;
  readonly description: string | null;
  readonly aliases: readonly string[];
  readonly cwes: readonly string[];
  readonly targets: readonly string[];
  /** Report-management state (received, valid, invalid, …). */
  readonly state: string;
  /** The earliest and latest of the reports it is built from. */
  readonly createdAt: string;
  readonly modifiedAt: string;
}

const distinct = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * The clusters the actor (the recipient) may see, in id order after `afterId`, at most `limit`, each as
 * {@link SharedCluster}. Filtered in SQL through the access policy; merged clusters are left out (their
 * reports are in the survivor).
 */
export async function sharedClusters(
  ctx: ServiceContext,
  page: { readonly afterId?: string | null; readonly limit: number },
): Promise<SharedCluster[]> {
  const visible = findingVisibility(ctx.actor);
  const clusters = await store.clustersWithVisibleReports(ctx.db.kysely, clusterVisibility(ctx.actor), page);
  if (clusters.length === 0) return [];
  const findings = await store.visibleReportsOf(
    ctx.db.kysely,
    visible,
    clusters.map((c) => c.id),
  );
  return clusters.flatMap((cluster) => {
    const mine = findings.filter((f) => f.cluster_id === cluster.id);
    const open = Math.min(...mine.map((f) => tlpRank(f.tlp as Tlp)));
    const used = mine.filter((f) => tlpRank(f.tlp as Tlp) === open);
    const first = used[0];
    if (first === undefined) return [];
    const data = used.map((f) => restoreFinding(f.data));
    return [
      {
        clusterId: cluster.id,
        tlp: first.tlp as Tlp,
        title: data.find((d) => d.title !== null)?.title ?? first.title ?? 'Untitled vulnerability',
        description: data.find((d) => d.description !== null)?.description ?? null,
        aliases: distinct(data.flatMap((d) => d.aliases.map((a) => a.id))),
        cwes: distinct(data.flatMap((d) => d.cwes)),
        targets: distinct(data.flatMap((d) => d.targets.map((x) => x.identity))),
        state: cluster.state,
        createdAt: first.created_at,
        modifiedAt: used.map((f) => f.created_at).reduce((a, b) => (a > b ? a : b)),
      },
    ];
  });
}
