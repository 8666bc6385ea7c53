import type { Command } from 'commander';
import {
  collect,
  emit,
  enc,
  moreHint,
  pages,
  queryOf,
  table,
  withPaging,
  withRemoteOptions,
  type CommandDeps,
  type PagingFlags,
} from '../../../platform/cli/index.js';
import type { Page } from '../../../platform/db/index.js';
import { InputError } from '../../../platform/errors.js';
import {
  decideCandidate,
  listCandidates,
  listRegroups,
  mergeClusters,
  splitCluster,
  undoRegroup,
  type CandidateView,
  type ClusterDetail,
  type RegroupView,
} from '../../intake/index.js';
import { dispatchActing, type ActingFlags as RemoteFlags } from '../../identity/index.js';

function describeCandidates(p: Page<CandidateView>): string {
  if (p.items.length === 0) return 'no near-duplicate proposals you may see';
  return [
    table(
      ['CANDIDATE', 'SIMILARITY', 'STATUS', 'OTHER CLUSTER', 'OTHER TITLE', 'WHY'],
      p.items.map((c) => [c.id, c.similarity.toFixed(2), c.status, c.other.id, c.other.title ?? '-', c.reason]),
    ),
    moreHint(p.items.length, p.nextCursor),
  ]
    .filter(Boolean)
    .join('\n');
}

const regroupLine = (r: RegroupView): string =>
  `${r.id}: ${r.kind} ${r.fromClusterId} → ${r.intoClusterId} (${r.findingIds.length} report(s)) — ${r.reason}${r.undoneAt ? ` [undone ${r.undoneAt}]` : ''}`;

function describeRegroups(p: Page<RegroupView>): string {
  if (p.items.length === 0) return 'no merges or splits of this cluster';
  return [
    table(
      ['REGROUP', 'KIND', 'FROM', 'INTO', 'REPORTS', 'WHEN', 'BY', 'UNDONE', 'REASON'],
      p.items.map((r) => [
        r.id,
        r.kind,
        r.fromClusterId,
        r.intoClusterId,
        String(r.findingIds.length),
        r.createdAt,
        r.actor,
        r.undoneAt ?? '-',
        r.reason,
      ]),
    ),
    moreHint(p.items.length, p.nextCursor),
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * `cluster candidates|decide|merge|split|regroups|undo`: the coordinators' regrouping work — near-duplicate
 * proposals and their decisions, merges and splits by hand, and undoing either — locally or with --url.
 */
export function registerRegroupCommands(cluster: Command, deps: CommandDeps): void {
  withPaging(
    withRemoteOptions(
      cluster
        .command('candidates')
        .description('near-duplicate proposals involving a cluster, most alike first (only pairs whose every report you may see)')
        .argument('<cluster>', 'cluster id')
        .option('--org <id>', 'local database only: as this organisation’s admin (default: the coordinator)')
        .option('--json', 'print JSON {items, nextCursor}'),
    ),
  ).action(async (clusterId: string, flags: RemoteFlags & PagingFlags) => {
    const page = await dispatchActing(
      deps,
      flags,
      (ctx) => pages(flags, (p) => listCandidates(ctx, clusterId, p)),
      (api) => pages(flags, (p) => api.get<Page<CandidateView>>(`/api/v1/clusters/${enc(clusterId)}/candidates${queryOf(p)}`)),
      { reads: true },
    );
    emit(deps.output, flags.json, page, describeCandidates);
  });

  withRemoteOptions(
    cluster
      .command('decide')
      .description('merge or dismiss a near-duplicate proposal (coordinators)')
      .argument('<candidate>', 'candidate id')
      .argument('<decision>', 'merge (folds the newer cluster into the older) or dismiss')
      .option('--reason <text>', 'why (recorded in the audit log)')
      .option('--org <id>', 'local database only: as this organisation’s admin (default: the coordinator)')
      .option('--json', 'print JSON {status, regroup}'),
  ).action(async (candidateId: string, decision: string, flags: RemoteFlags & { reason?: string }) => {
    if (decision !== 'merge' && decision !== 'dismiss')
      throw new InputError(`the decision must be merge or dismiss, got "${decision}"`, [
        { pointer: '<decision>', detail: 'merge or dismiss' },
      ]);
    const body = { decision, ...(flags.reason === undefined ? {} : { reason: flags.reason }) };
    const answer = await dispatchActing(
      deps,
      flags,
      (ctx) => decideCandidate(ctx, candidateId, decision, flags.reason),
      (api) => api.post<{ status: string; regroup: RegroupView | null }>(`/api/v1/candidates/${enc(candidateId)}/decision`, body),
    );
    emit(deps.output, flags.json, answer, (a) =>
      a.regroup === null ? `${candidateId}: ${a.status}` : `${candidateId}: ${a.status}\n${regroupLine(a.regroup)}`,
    );
  });

  withRemoteOptions(
    cluster
      .command('merge')
      .description('fold one cluster into another: its reports, aliases and keys move; undo with `cluster undo`')
      .argument('<from>', 'the cluster to fold in')
      .requiredOption('--into <cluster>', 'the cluster that remains')
      .requiredOption('--reason <text>', 'why they are one vulnerability')
      .option('--org <id>', 'local database only: as this organisation’s admin (default: the coordinator)')
      .option('--json', 'print JSON'),
  ).action(async (from: string, flags: RemoteFlags & { into: string; reason: string }) => {
    const view = await dispatchActing(
      deps,
      flags,
      (ctx) => mergeClusters(ctx, { from, into: flags.into, reason: flags.reason }),
      (api) => api.post<RegroupView>(`/api/v1/clusters/${enc(from)}/merge`, { into: flags.into, reason: flags.reason }),
    );
    emit(deps.output, flags.json, view, regroupLine);
  });

  withRemoteOptions(
    cluster
      .command('split')
      .description('move reports out of a cluster into a new one, with the keys only they carry')
      .argument('<cluster>', 'cluster id')
      .requiredOption('--finding <id>', 'a report to move, repeatable', collect, [])
      .requiredOption('--reason <text>', 'why they are another vulnerability')
      .option('--org <id>', 'local database only: as this organisation’s admin (default: the coordinator)')
      .option('--json', 'print JSON {regroup, cluster}'),
  ).action(async (clusterId: string, flags: RemoteFlags & { finding: string[]; reason: string }) => {
    const body = { findingIds: flags.finding, reason: flags.reason };
    const answer = await dispatchActing(
      deps,
      flags,
      (ctx) => splitCluster(ctx, clusterId, body),
      (api) => api.post<{ regroup: RegroupView; cluster: ClusterDetail }>(`/api/v1/clusters/${enc(clusterId)}/split`, body),
    );
    emit(
      deps.output,
      flags.json,
      answer,
      (a) => `${regroupLine(a.regroup)}\nnew cluster ${a.cluster.id}: ${a.cluster.title ?? '(no title)'}`,
    );
  });

  withPaging(
    withRemoteOptions(
      cluster
        .command('regroups')
        .description('merges and splits of a cluster, newest first (coordinators)')
        .argument('<cluster>', 'cluster id')
        .option('--org <id>', 'local database only: as this organisation’s admin (default: the coordinator)')
        .option('--json', 'print JSON {items, nextCursor}'),
    ),
  ).action(async (clusterId: string, flags: RemoteFlags & PagingFlags) => {
    const page = await dispatchActing(
      deps,
      flags,
      (ctx) => pages(flags, (p) => listRegroups(ctx, clusterId, p)),
      (api) => pages(flags, (p) => api.get<Page<RegroupView>>(`/api/v1/clusters/${enc(clusterId)}/regroups${queryOf(p)}`)),
      { reads: true },
    );
    emit(deps.output, flags.json, page, describeRegroups);
  });

  withRemoteOptions(
    cluster
      .command('undo')
      .description('undo a merge or split exactly (coordinators)')
      .argument('<regroup>', 'regroup id')
      .option('--org <id>', 'local database only: as this organisation’s admin (default: the coordinator)')
      .option('--json', 'print JSON'),
  ).action(async (regroupId: string, flags: RemoteFlags) => {
    const view = await dispatchActing(
      deps,
      flags,
      (ctx) => undoRegroup(ctx, regroupId),
      (api) => api.post<RegroupView>(`/api/v1/regroups/${enc(regroupId)}/undo`, {}),
    );
    emit(deps.output, flags.json, view, regroupLine);
  });
}
