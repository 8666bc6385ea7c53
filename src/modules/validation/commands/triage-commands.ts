import type { Command } from 'commander';
import {
  emit,
  moreHint,
  pages,
  queryOf,
  table,
  wholeNumber,
  withPaging,
  withRemoteOptions,
  type CommandDeps,
  type PagingFlags,
} from '../../../platform/cli/index.js';
import type { Page } from '../../../platform/db/index.js';
import { INVALID_REASONS, REPORT_STATES } from '../domain/report-states.js';
import type { QueueRow } from '../presenters.js';
import { clearQuotaOverride, setQuotaOverride, type QuotaStatus } from '../service/quota.js';
import { listTriageQueue } from '../service/queue.js';
import { listReporterRecords, type ReporterRecord } from '../service/track-record.js';
import { getValidationView, type ValidationView } from '../service/validation-view.js';
import { setVerdict } from '../service/verdicts.js';
import { dispatchActing, type ActingFlags as RemoteFlags } from '../../identity/index.js';

const viewText = (v: ValidationView): string =>
  [
    `${v.clusterId}: ${v.state}${v.verdict?.reasonLabel ? ` — ${v.verdict.reasonLabel}` : ''}${v.verdict?.note ? ` (${v.verdict.note})` : ''}`,
    `quorum: ${v.quorum.confirmations} of ${v.quorum.needed} independent confirmations (${v.quorum.because})`,
    `next: ${v.allowedNext.join(', ') || 'none'}`,
  ].join('\n');

function describeQueue(p: Page<QueueRow>): string {
  if (p.items.length === 0) return 'the queue is empty';
  return [
    table(
      ['CLUSTER', 'STATE', 'SCORE', 'QUORUM', 'TARGET', 'TITLE', 'WHY'],
      p.items.map((r) => [
        r.clusterId,
        r.state,
        r.score.toFixed(4),
        `${r.quorum.confirmations}/${r.quorum.needed}`,
        r.targetIdentity ?? '-',
        r.title ?? '-',
        `${r.why.formula}; ${r.why.severity.source}`,
      ]),
    ),
    moreHint(p.items.length, p.nextCursor),
  ]
    .filter(Boolean)
    .join('\n');
}

/** `triage list|show|verdict|reporters|quota`. */
export function registerTriageCommands(program: Command, deps: CommandDeps): void {
  const triage = program.command('triage').description('the validation triage queue, verdicts, reporter track records and quotas');

  withPaging(
    withRemoteOptions(
      triage
        .command('list')
        .description('the triage queue: highest score first, with what each cluster is and why it sits where it does')
        .option('--state <state>', `one of ${REPORT_STATES.join(', ')}`, 'received')
        .option('--reporter <org>', 'only clusters this organisation reported')
        .option('--json', 'print JSON {"items", "nextCursor"}'),
    ),
  ).action(async (flags: RemoteFlags & PagingFlags & { state: string; reporter?: string }) => {
    const filters = { state: flags.state, reporter: flags.reporter };
    const page = await dispatchActing(
      deps,
      flags,
      (ctx) => pages(flags, (p) => listTriageQueue(ctx, { ...filters, ...p })),
      (api) => pages(flags, (p) => api.get<Page<QueueRow>>(`/api/v1/validation/queue${queryOf({ ...filters, ...p })}`)),
      { reads: true },
    );
    emit(deps.output, flags.json, page, describeQueue);
  });

  withRemoteOptions(
    triage.command('show').description("a cluster's validation").argument('<cluster>', 'cluster id').option('--json', 'print JSON'),
  ).action(async (clusterId: string, flags: RemoteFlags) => {
    const view = await dispatchActing(
      deps,
      flags,
      (ctx) => getValidationView(ctx, clusterId),
      (api) => api.get<ValidationView>(`/api/v1/validation/clusters/${encodeURIComponent(clusterId)}`),
      { reads: true },
    );
    emit(deps.output, flags.json, view, viewText);
  });

  withRemoteOptions(
    triage
      .command('verdict')
      .description('move a cluster to another state; invalid needs --reason and --note')
      .argument('<cluster>', 'cluster id')
      .argument('<state>', REPORT_STATES.filter((s) => s !== 'received').join(' | '))
      .option('--reason <reason>', `with invalid: ${INVALID_REASONS.join(', ')}`)
      .option('--note <text>', 'with invalid (required): what the reporter reads')
      .option('--duplicate-of <cluster>', 'with --reason duplicate: the other cluster')
      .option('--json', 'print JSON'),
  ).action(async (clusterId: string, state: string, flags: RemoteFlags & { reason?: string; note?: string; duplicateOf?: string }) => {
    const body = Object.fromEntries(
      Object.entries({ state, reason: flags.reason, note: flags.note, duplicateOf: flags.duplicateOf }).filter(([, v]) => v !== undefined),
    );
    const view = await dispatchActing(
      deps,
      flags,
      (ctx) => setVerdict(ctx, clusterId, body),
      (api) => api.post<ValidationView>(`/api/v1/validation/clusters/${encodeURIComponent(clusterId)}/verdict`, body),
    );
    emit(deps.output, flags.json, view, viewText);
  });

  withRemoteOptions(
    triage
      .command('reporters')
      .description("reporters' track records: valid, invalid, duplicates, smoothed precision with its 90 % interval")
      .option('--limit <n>', 'at most this many', wholeNumber('--limit'), 100)
      .option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags & { limit: number }) => {
    const page = await dispatchActing(
      deps,
      flags,
      (ctx) => listReporterRecords(ctx, { limit: flags.limit }),
      (api) => api.get<Page<ReporterRecord>>(`/api/v1/validation/reporters${queryOf({ limit: flags.limit })}`),
      { reads: true },
    );
    emit(deps.output, flags.json, page, (p) =>
      table(
        ['ORG', 'NAME', 'VALID', 'INVALID', 'DUPLICATES', 'PENDING', 'PRECISION', '90% INTERVAL'],
        p.items.map((r) => [
          r.orgId,
          r.orgName ?? '-',
          String(r.valid),
          String(r.invalid),
          String(r.duplicates),
          String(r.pending),
          r.precision.mean.toFixed(2),
          `${r.precision.low.toFixed(2)}–${r.precision.high.toFixed(2)}`,
        ]),
      ),
    );
  });

  withRemoteOptions(
    triage
      .command('quota')
      .description("override a reporter's daily quota (--limit N or --exempt), or --clear the override")
      .argument('<org>', 'the reporting organisation')
      .option('--limit <n>', 'submissions per 24 hours', wholeNumber('--limit'))
      .option('--exempt', 'no quota at all')
      .option('--clear', 'back to the computed quota')
      .option('--note <text>', 'why (required with --limit and --exempt)')
      .option('--json', 'print JSON'),
  ).action(async (orgId: string, flags: RemoteFlags & { limit?: number; exempt?: boolean; clear?: boolean; note?: string }) => {
    const path = `/api/v1/validation/reporters/${encodeURIComponent(orgId)}/quota`;
    const body = { dailyLimit: flags.exempt ? null : flags.limit, note: flags.note };
    const status = await dispatchActing<QuotaStatus>(
      deps,
      flags,
      (ctx) => (flags.clear ? clearQuotaOverride(ctx, orgId) : setQuotaOverride(ctx, orgId, body)),
      (api) => (flags.clear ? api.delete<QuotaStatus>(path) : api.request<QuotaStatus>('PUT', path, body)),
    );
    emit(
      deps.output,
      flags.json,
      status,
      (s) => `${orgId}: ${s.dailyLimit === null ? 'no quota' : `${s.dailyLimit} submissions per 24 hours`} — ${s.explanation}`,
    );
  });
}
