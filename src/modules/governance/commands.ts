import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  dispatch,
  emit,
  enc,
  pageTable,
  pages,
  queryOf,
  queryString,
  remoteCommand,
  respond,
  table,
  wholeNumber,
  withPaging,
  withRemoteOptions,
  type CommandDeps,
  type PagingFlags,
  type RemoteFlags as Flags,
} from '../../platform/cli/index.js';
import type { Page } from '../../platform/db/index.js';
import { InputError } from '../../platform/errors.js';
import { HOLD_SCOPE_KEYS } from './domain/legal-holds.js';
import { EXPORT_FORMAT_KEYS, exportShared } from './service/exports.js';
import type { Hold } from './presenters.js';
import { listHolds, placeHold, releaseHold } from './service/holds.js';
import { exportOrgData } from './service/organisations.js';
import { retentionPlan } from './service/plan.js';
import { runRetentionPurge } from './service/purge.js';
import type { OrgExport, PurgeResult, RetentionPlan, TransparencyReport } from './presenters.js';
import type { RetentionRegistry } from './service/retention-registry.js';
import { registerRemovalCommands } from './removal-commands.js';
import { transparencyCsv, transparencyReport } from './service/transparency.js';
import type { TransparencyFact } from '../../platform/transparency-facts.js';

export interface GovernanceCommandDeps extends CommandDeps {
  /** Every module's retention sources and blob references, as the composition root wires them. */
  readonly retentionRegistry: () => RetentionRegistry;
  /** Every module's transparency figures, as the composition root wires them. */
  readonly transparencyFacts: () => readonly TransparencyFact[];
}

const planText = (plan: RetentionPlan): string =>
  [
    `retention plan at ${plan.at} (retention table version ${plan.policyVersion})`,
    table(
      ['CLASS', 'PURGE', 'HELD', 'RETAINED', 'RULE'],
      plan.classes.map((c) => [
        c.dataClass,
        String(c.purge),
        String(c.held),
        c.kept ? '(kept)' : String(c.retained),
        c.rule.replace(`${c.dataClass}: `, ''),
      ]),
    ),
    plan.records.length === 0
      ? 'nothing to delete'
      : table(
          ['RECORD', 'CLASS', 'OUTCOME', 'EXPIRED', 'WHY'],
          plan.records.map((r) => [
            r.recordId,
            r.dataClass,
            r.outcome === 'held' ? `held (${r.holdIds.join(' ')})` : 'purge',
            r.expiresAt,
            r.reason,
          ]),
        ),
    plan.truncated ? `more records than shown; raise --limit (at most 1000) or use --json` : '',
  ]
    .filter((line) => line !== '')
    .join('\n');

const purgeText = (r: PurgeResult): string =>
  `purge ${r.runId}: ${r.purged} deleted, ${r.held} held, ${r.blobsDeleted} blobs deleted${
    Object.keys(r.byClass).length === 0
      ? ''
      : ` (${Object.entries(r.byClass)
          .map(([c, n]) => `${c} ${n}`)
          .join(', ')})`
  }`;

const holdLine = (h: Hold) => [h.id, h.scope, h.targetId, h.releasedAt === null ? 'in force' : `released ${h.releasedAt}`, h.reason];
const holdText = (h: Hold) => table(['HOLD', 'SCOPE', 'TARGET', 'STATE', 'REASON'], [holdLine(h)]);

/** `clearinghouse retention …`, `hold …`, `export …` and `removal …`: governance on the local database or a server (`--url`). */
export function registerGovernanceCommands(program: Command, deps: GovernanceCommandDeps): void {
  const retention = program.command('retention').description('what the clearinghouse keeps and for how long: the plan and the purge');

  remoteCommand(retention, 'plan', 'what the next purge would delete, and why, deleting nothing')
    .option('--at <instant>', 'plan for this instant instead of now (ISO 8601)')
    .option('--limit <n>', 'records to list, 0 to 1000 (default 100)', wholeNumber('--limit'))
    .action(async (flags: Flags & { at?: string; limit?: number }) => {
      const input = { at: flags.at, limit: flags.limit };
      await respond(
        deps,
        flags,
        (rt) => retentionPlan(rt.ctx, deps.retentionRegistry(), input),
        (api) => api.get<RetentionPlan>(`/api/v1/governance/retention/plan${queryOf(input)}`),
        planText,
        { reads: true },
      );
    });

  remoteCommand(retention, 'purge', 'run the retention purge now: delete what expired, holds honoured (the daily job does it too)').action(
    async (flags: Flags) => {
      await respond(
        deps,
        flags,
        (rt) => runRetentionPurge(rt.ctx, deps.retentionRegistry()),
        (api) => api.post<PurgeResult>('/api/v1/governance/retention/purge', {}),
        purgeText,
      );
    },
  );

  const hold = program.command('hold').description('legal holds: nothing a hold covers is purged until it is released');

  remoteCommand(hold, 'place', 'place a legal hold on a record, a case or an organisation (coordinator admins)')
    .requiredOption('--scope <scope>', `what it holds: ${HOLD_SCOPE_KEYS.join(', ')}`)
    .requiredOption('--target <id>', 'the record, case or organisation id')
    .requiredOption('--reason <text>', 'why (litigation, investigation, …)')
    .action(async (flags: Flags & { scope: string; target: string; reason: string }) => {
      const input = { scope: flags.scope, targetId: flags.target, reason: flags.reason };
      await respond(
        deps,
        flags,
        (rt) => placeHold(rt.ctx, input),
        (api) => api.post<Hold>('/api/v1/governance/holds', input),
        holdText,
      );
    });

  withPaging(remoteCommand(hold, 'list', 'legal holds, newest first'))
    .option('--active', 'only those in force')
    .action(async (flags: Flags & PagingFlags & { active?: boolean }) => {
      const active = flags.active === true ? true : undefined;
      const page = await dispatch(
        deps,
        flags,
        (rt) => pages(flags, (p) => listHolds(rt.ctx, { ...p, active })),
        (api) => pages(flags, (p) => api.get<Page<Hold>>(`/api/v1/governance/holds${queryOf({ ...p, active })}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, page, (p) => pageTable(p, ['HOLD', 'SCOPE', 'TARGET', 'STATE', 'REASON'], holdLine));
    });

  remoteCommand(hold, 'release', 'release a legal hold (coordinator admins)')
    .argument('<id>', 'hold id')
    .option('--note <text>', 'why it is released')
    .action(async (id: string, flags: Flags & { note?: string }) => {
      const input = { note: flags.note };
      await respond(
        deps,
        flags,
        (rt) => releaseHold(rt.ctx, id, input),
        (api) => api.post<Hold>(`/api/v1/governance/holds/${enc(id)}/release`, input),
        holdText,
      );
    });

  withRemoteOptions(
    program
      .command('export')
      .description('export what an organisation may see, filtered by its entitlements: STIX 2.1, CSV, or OSV of the published advisories'),
  )
    .argument('<format>', `${EXPORT_FORMAT_KEYS.join(' or ')}`)
    .requiredOption('--for <orgId>', 'the recipient organisation: the export holds only what it may see')
    .option('--since <instant>', 'only what changed after this instant (ISO 8601)')
    .option('--out <file>', 'write the export to this file instead of standard output')
    .action(async (format: string, flags: Flags & { for: string; since?: string; out?: string }) => {
      if (!(EXPORT_FORMAT_KEYS as readonly string[]).includes(format)) {
        throw new InputError(`format must be one of ${EXPORT_FORMAT_KEYS.join(', ')}`, [
          { pointer: '<format>', detail: `must be one of ${EXPORT_FORMAT_KEYS.join(', ')}` },
        ]);
      }
      const query = { recipientOrgId: flags.for, since: flags.since };
      const body = await dispatch(
        deps,
        flags,
        async (rt) => (await exportShared(rt.ctx, { format, ...query })).body,
        (api) => api.getText(`/api/v1/governance/exports/${enc(format)}?${queryString(query)}`),
      );
      if (flags.out === undefined) deps.output.out(body);
      else {
        await writeFile(flags.out, body);
        deps.output.err(`wrote ${flags.out}`);
      }
    });
  withRemoteOptions(
    program
      .command('org-export')
      .description(
        'everything the clearinghouse holds about an organisation, and the tombstones of what was purged, as JSON (its admins; coordinator admins for any); audited',
      ),
  )
    .option('--org <orgId>', 'coordinator admins: the organisation; default your own')
    .option('--out <file>', 'write the JSON to this file instead of standard output')
    .action(async (flags: Flags & { org?: string; out?: string }) => {
      const query = { orgId: flags.org };
      const data = await dispatch(
        deps,
        flags,
        (rt) => exportOrgData(rt.ctx, deps.retentionRegistry(), query),
        (api) => api.get<OrgExport>(`/api/v1/governance/org-export${queryOf(query)}`),
      );
      const body = JSON.stringify(data, null, 2);
      if (flags.out === undefined) deps.output.out(body);
      else {
        await writeFile(flags.out, `${body}\n`);
        deps.output.err(`wrote ${flags.out}: ${orgExportSummary(data)}`);
      }
    });
  registerRemovalCommands(program, deps);

  remoteCommand(program, 'transparency', 'the public program figures by month (aggregates only; small counts withheld)')
    .option('--from <month>', 'first month, YYYY-MM; default eleven months before --to')
    .option('--to <month>', 'last month, YYYY-MM; default this month')
    .option('--csv', 'print CSV, one row a month')
    .action(async (flags: Flags & { from?: string; to?: string; csv?: boolean }) => {
      const query = { from: flags.from, to: flags.to };
      const report = await dispatch(
        deps,
        flags,
        (rt) => transparencyReport(rt.ctx, deps.retentionRegistry(), deps.transparencyFacts(), query),
        (api) => api.get<TransparencyReport>(`/api/v1/governance/transparency${queryOf(query)}`),
        { reads: true },
      );
      if (flags.csv === true) deps.output.out(transparencyCsv(report).trimEnd());
      else emit(deps.output, flags.json, report, transparencyText);
    });
}

/** One line: whose export, how many records of each class, how many tombstones, and whether it was cut short. */
export function orgExportSummary(data: OrgExport): string {
  const counts = data.classes.filter((c) => c.records.length > 0).map((c) => `${c.dataClass} ${c.records.length}`);
  return [
    `${data.orgName} (${data.orgId}): ${counts.length === 0 ? 'no records' : counts.join(', ')}`,
    `${data.tombstones.length} tombstones`,
    ...(data.truncated ? ['truncated: ask again in parts or use the API'] : []),
  ].join('; ');
}

function transparencyText(report: TransparencyReport): string {
  const { series, months } = report.metrics;
  const cell = (m: TransparencyReport['metrics']['months'][number], key: string, unit: string) => {
    if (m.suppressed.includes(key)) return 'withheld';
    const v = m.figures[key] ?? null;
    return v === null ? '—' : unit === 'share' ? `${Math.round(v * 100)}%` : String(v);
  };
  return [
    `transparency figures generated ${report.generatedAt} (figures from fewer than ${report.metrics.minGroup} records withheld)`,
    table(
      ['FIGURE', ...months.map((m) => m.month)],
      series.map((s) => [s.key, ...months.map((m) => cell(m, s.key, s.unit))]),
    ),
  ].join('\n');
}
