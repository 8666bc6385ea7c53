import type { Command } from 'commander';
import {
  emit,
  moreHint,
  pages,
  queryString,
  table,
  withPaging,
  withRemoteOptions,
  type ApiClient,
  type CommandDeps,
  type PagingFlags,
} from '../../../platform/cli/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import type { Page } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import { getOrg, type Org } from '../../identity/index.js';
import { getCluster, listClusters, type ClusterDetail, type ClusterSummary } from '../../intake/index.js';
import { getValidationView, type ValidationView } from '../service/validation-view.js';
import { dispatchActing, type ActingFlags as RemoteFlags } from '../../identity/index.js';
import { registerRegroupCommands } from './regroup-commands.js';
import type { ClusterPriority, ClusterPriorityReader } from '../extension-points.js';

/** A cluster as a person reads it: content, state, priority and the reports the caller may see, with names. */
export interface ClusterShow {
  readonly cluster: ClusterDetail;
  readonly validation: ValidationView | null;
  /** The coordinator's decision, or null when there is none the caller may read. */
  readonly priority: ClusterPriority | null;
  /** Names of the reporting organisations the caller may see, by id. */
  readonly orgNames: Record<string, string>;
}

const orNull = async <T>(work: Promise<T>): Promise<T | null> => {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
};

async function gather(
  cluster: ClusterDetail,
  read: { validation: () => Promise<ValidationView>; decision: () => Promise<ClusterPriority | null>; org: (id: string) => Promise<Org> },
): Promise<ClusterShow> {
  const ids = [...new Set(cluster.findings.map((f) => f.reporterOrgId))];
  const orgs = await Promise.all(ids.map((id) => orNull(read.org(id))));
  return {
    cluster,
    validation: await orNull(read.validation()),
    priority: await orNull(read.decision()),
    orgNames: Object.fromEntries(orgs.flatMap((o) => (o === null ? [] : [[o.id, o.name]]))),
  };
}

const local = (ctx: ServiceContext, id: string, priority: ClusterPriorityReader | undefined) => async () => {
  const cluster = await getCluster(ctx, id);
  return gather(cluster, {
    validation: () => getValidationView(ctx, cluster.id),
    decision: async () => (priority === undefined ? null : priority.local(ctx, cluster.id)),
    org: (orgId) => getOrg(ctx, orgId),
  });
};

const remote = (api: ApiClient, id: string, priority: ClusterPriorityReader | undefined) => async () => {
  const enc = encodeURIComponent;
  const cluster = await api.get<ClusterDetail>(`/api/v1/clusters/${enc(id)}`);
  return gather(cluster, {
    validation: () => api.get<ValidationView>(`/api/v1/validation/clusters/${enc(cluster.id)}`),
    decision: async () => (priority === undefined ? null : priority.remote(api, cluster.id)),
    org: (orgId) => api.get<Org>(`/api/v1/orgs/${enc(orgId)}`),
  });
};

export function describeClusterShow(s: ClusterShow): string {
  const c = s.cluster;
  const name = (orgId: string) => s.orgNames[orgId] ?? orgId;
  const v = s.validation;
  const p = s.priority;
  const lines = [
    `${c.id}: ${c.title ?? '(no title)'}`,
    `target      ${c.targetIdentity ?? 'unknown'}`,
    `known as    ${[...c.aliases, ...c.cwes].join(', ') || '-'}`,
    `state       ${c.state}${v === null ? '' : `; quorum ${v.quorum.confirmations} of ${v.quorum.needed} independent confirmations${v.verdict?.reasonLabel ? `; ${v.verdict.reasonLabel}` : ''}`}`,
    `priority    ${p === null ? 'none you may read' : `${p.outcome}, vendor fix due ${p.vendorFixDueAt.slice(0, 10)} (clearinghouse priority show ${c.id})`}`,
    `reports     ${c.findings.length} you may see of ${c.findingCount}, from ${c.reporterCount} reporter(s); first seen ${c.firstSeenAt}` +
      (c.firstReport === null ? '' : ` by ${name(c.firstReport.reporterOrgId)}`),
  ];
  if (c.mergedInto !== null) lines.push(`merged into ${c.mergedInto}`);
  if (c.findings.length > 0)
    lines.push(
      '',
      table(
        ['FINDING', 'REPORTER', 'TLP', 'FORMAT', 'TOOL', 'OUTCOME', 'TITLE'],
        c.findings.map((f) => [f.id, name(f.reporterOrgId), f.tlp, f.format, f.tool ?? f.model ?? '-', f.outcome, f.title ?? '-']),
      ),
    );
  return lines.join('\n');
}

function describeClusterList(p: Page<ClusterSummary>): string {
  if (p.items.length === 0) return 'no clusters you may see';
  return [
    table(
      ['CLUSTER', 'STATE', 'REPORTS', 'FIRST SEEN', 'TARGET', 'TITLE'],
      p.items.map((c) => [c.id, c.state, String(c.findingCount), c.firstSeenAt.slice(0, 10), c.targetIdentity ?? '-', c.title ?? '-']),
    ),
    moreHint(p.items.length, p.nextCursor),
  ]
    .filter(Boolean)
    .join('\n');
}

/** `cluster show|list`: clusters as content — title, target, the reports you may see, state and priority. */
export interface ClusterCommandDeps extends CommandDeps {
  /** Who reads a cluster's priority (CLUSTER_PRIORITY; scoring's); none prints no priority. */
  readonly clusterPriority: readonly ClusterPriorityReader[];
}

export function registerClusterCommands(program: Command, deps: ClusterCommandDeps): void {
  const [priority] = deps.clusterPriority;
  const cluster = program.command('cluster').description('vulnerability clusters: what was reported, by whom you may see, where it stands');
  registerRegroupCommands(cluster, deps);

  withRemoteOptions(
    cluster
      .command('show')
      .description('a cluster: title, target, state and quorum, priority, and the reports you may see')
      .argument('<cluster>', 'cluster id')
      .option('--org <id>', 'local database only: as this organisation’s admin (default: the coordinator)')
      .option('--json', 'print JSON {cluster, validation, priority, orgNames}'),
  ).action(async (id: string, flags: RemoteFlags) => {
    const shown = await dispatchActing(
      deps,
      flags,
      (ctx) => local(ctx, id, priority)(),
      (api) => remote(api, id, priority)(),
      { reads: true },
    );
    emit(deps.output, flags.json, shown, describeClusterShow);
  });

  withPaging(
    withRemoteOptions(
      cluster
        .command('list')
        .description('clusters you may see, newest first')
        .option('--state <state>', 'only in this state')
        .option('--target <identity>', 'exact target identity, or a prefix ending in / or :')
        .option('--cwe <cwe>', 'only with this CWE')
        .option('--alias <id>', 'only known by this vulnerability id (CVE, GHSA, …)')
        .option('--org <id>', 'local database only: as this organisation’s admin (default: the coordinator)')
        .option('--json', 'print JSON {items, nextCursor}'),
    ),
  ).action(async (flags: RemoteFlags & PagingFlags & { state?: string; target?: string; cwe?: string; alias?: string }) => {
    const filters = { state: flags.state, target: flags.target, cwe: flags.cwe, alias: flags.alias };
    const page = await dispatchActing(
      deps,
      flags,
      (ctx) => pages(flags, (p) => listClusters(ctx, { ...filters, ...p })),
      (api) => pages(flags, (p) => api.get<Page<ClusterSummary>>(`/api/v1/clusters?${queryString({ ...filters, ...p })}`)),
      { reads: true },
    );
    emit(deps.output, flags.json, page, describeClusterList);
  });
}
