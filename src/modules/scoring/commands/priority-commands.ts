import type { Command } from 'commander';
import {
  dispatch,
  emit,
  moreHint,
  pages,
  queryString,
  remoteCommand,
  table,
  withPaging,
  type CommandDeps,
  type PagingFlags,
  type RemoteFlags,
} from '../../../platform/cli/index.js';
import { InputError } from '../../../platform/errors.js';
import { SECTOR_KEYS, isSector } from '../../identity/index.js';
import { PATCH_PRIORITY } from '../domain/ssvc-decision-points.js';
import type { OperatorPriorities, OperatorPriority } from '../presenters.js';
import { listOperatorPriorities } from '../service/operator-priorities.js';

const PRIORITY_NAMES = new Map(PATCH_PRIORITY.values.map((v) => [v.value, v.name]));

const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

function advisoryLabel(r: OperatorPriority): string {
  const cve = r.advisory.aliases.find((a) => a.startsWith('CVE-'));
  return cve === undefined || cve === r.advisory.id ? r.advisory.id : `${r.advisory.id} (${cve})`;
}

/** The ranked table, the explanation of the most urgent row, the totals and, when cut, how to page on. */
export function describePriorities(p: OperatorPriorities, explain: boolean): string {
  if (p.items.length === 0)
    return p.totals.undecided > 0 ? `nothing ranked; ${p.totals.undecided} undecidable match(es)` : 'nothing to patch';
  const rows = p.items.map((r) => [
    String(r.rank),
    PRIORITY_NAMES.get(r.priority) ?? r.priority,
    r.dueAt?.slice(0, 10) ?? '-',
    r.kev === null ? '' : r.kev.ransomware ? 'KEV+ransomware' : 'KEV',
    r.epss === null ? '-' : r.epss.score.toFixed(3),
    advisoryLabel(r),
    clip(r.advisory.summary ?? '', 40),
    r.asset.name,
    r.fixed.join(', ') || 'no fix',
  ]);
  const t = p.totals;
  const counts = PATCH_PRIORITY.values
    .slice()
    .reverse()
    .map((v) => `${t.byPriority[v.value]} ${v.name}`)
    .join(', ');
  const lines = [
    table(['#', 'PRIORITY', 'DUE', 'KEV', 'EPSS', 'ADVISORY', 'SUMMARY', 'ASSET', 'FIXED IN'], rows),
    '',
    `${t.rows} row(s) on ${t.assets} asset(s), ${t.advisories} advisory(ies): ${counts}; ${t.kev} in KEV` +
      (t.undecided > 0 ? `; ${t.undecided} undecidable match(es) not ranked` : ''),
  ];
  const shown = explain ? p.items : p.items.slice(0, 1);
  for (const r of shown) {
    lines.push('', `#${r.rank} ${advisoryLabel(r)} on ${r.asset.name}: ${r.explanation.summary}`);
    for (const [name, input] of Object.entries(r.explanation.inputs))
      lines.push(`  ${name.padEnd(15)} ${input.value.padEnd(12)} ${input.basis}`);
  }
  const hint = moreHint(p.items.length, p.nextCursor, t.rows);
  if (hint !== '') lines.push('', hint);
  return lines.join('\n');
}

/** `priorities`: an operator's ranked priorities, locally or from a server. */
export function registerPriorityCommands(program: Command, deps: CommandDeps): void {
  withPaging(
    remoteCommand(program, 'priorities', "an operator's ranked priorities: per asset and advisory, what to patch first and by when"),
  )
    .option('--org <id>', 'the operator (default your own; required on the local database)')
    .option('--asset <name|id>', 'only this asset')
    .option('--sector <sector>', `only assets of this sector (${SECTOR_KEYS.join(', ')})`)
    .option('--due-before <date>', 'only rows due before this date (YYYY-MM-DD)')
    .option('--explain', 'explain every row shown, not only the first')
    .action(
      async (
        flags: RemoteFlags & PagingFlags & { org?: string; asset?: string; sector?: string; dueBefore?: string; explain?: boolean },
      ) => {
        const sector = flags.sector;
        if (sector !== undefined && !isSector(sector))
          throw new InputError(`--sector must be one of ${SECTOR_KEYS.join(', ')}`, [{ pointer: '--sector', detail: 'must be a sector' }]);
        const filters = { orgId: flags.org, asset: flags.asset, sector, dueBefore: flags.dueBefore };
        const result = await dispatch(
          deps,
          flags,
          ({ ctx }) => pages(flags, (page) => listOperatorPriorities(ctx, { ...filters, ...page })),
          (api) =>
            pages(flags, (page) => api.get<OperatorPriorities>(`/api/v1/scoring/priorities?${queryString({ ...filters, ...page })}`)),
          { reads: true },
        );
        emit(deps.output, flags.json, result, (p) => describePriorities(p, flags.explain === true));
      },
    );
}
