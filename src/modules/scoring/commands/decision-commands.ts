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
import type { Page } from '../../../platform/db/index.js';
import { describeInputSource, describeMissionWellbeingSource } from '../domain/input-source-text.js';
import { CISA_LEVELS, PATCH_PRIORITY } from '../domain/ssvc-decision-points.js';
import type { Decision, DecisionChange } from '../presenters.js';
import { getDecision, listDecisionHistory } from '../service/decisions.js';

const nameOf = (values: readonly { value: string; name: string }[], value: string) => values.find((v) => v.value === value)?.name ?? value;
const INPUT_ORDER = ['exploitation', 'automatable', 'technicalImpact', 'missionWellbeing'] as const;
const day = (instant: string) => instant.slice(0, 10);

/** A decision in words: the outcome and deadline, the table row, the scores beside it, then every input and its basis. */
export function describeDecision(d: Decision): string {
  const e = d.explanation;
  const { inputs } = e;
  const row = e.decision;
  const cvss = e.cvss === null ? 'no CVSS vector' : `CVSS ${e.cvss.version} ${e.cvss.overall} ${e.cvss.severity} (${e.cvss.vector})`;
  const epss =
    e.epss === null ? 'no EPSS score' : `EPSS ${e.epss.epss.toFixed(3)} (percentile ${e.epss.percentile.toFixed(2)}, ${e.epss.date})`;
  return [
    `${d.subjectId}: ${nameOf(CISA_LEVELS.values, d.outcome)} since ${day(d.outcomeSince)} — vendor fix due ${day(d.vendorFixDueAt)} (${e.vendorFix.days} days, policy ${d.policyVersion})`,
    `${row.table.name} ${row.table.version}, row ${row.row.index}: ` +
      // In the table's column order: stored JSON may come back with its keys reordered (PostgreSQL jsonb).
      INPUT_ORDER.filter((k) => k in row.row.inputs)
        .map((k) => `${k} ${(row.row.inputs as Record<string, string>)[k]}`)
        .join(', '),
    `supplier (SSVC): ${nameOf(PATCH_PRIORITY.values, d.supplier.outcome)}; ${d.cveIds.join(', ') || 'no CVE id'}; ${epss}; ${cvss}`,
    '',
    table(
      ['INPUT', 'VALUE', 'BASIS'],
      [
        ['exploitation', inputs.exploitation.value, describeInputSource(inputs.exploitation.source, true)],
        ['automatable', inputs.automatable.value, describeInputSource(inputs.automatable.source, true)],
        ['technical impact', inputs.technicalImpact.value, describeInputSource(inputs.technicalImpact.source, true)],
        ['mission & well-being', inputs.missionWellbeing.value, describeMissionWellbeingSource(inputs.missionWellbeing.source)],
      ],
    ),
    '',
    `revision ${d.revision}, decided ${e.decidedAt}, evaluated ${d.evaluatedAt}`,
  ].join('\n');
}

function describeHistory(p: Page<DecisionChange>): string {
  if (p.items.length === 0) return 'no changes';
  const rows = p.items.map((c) => [
    String(c.revision),
    c.at,
    c.previousOutcome === null || c.previousOutcome === c.outcome
      ? nameOf(CISA_LEVELS.values, c.outcome)
      : `${nameOf(CISA_LEVELS.values, c.previousOutcome)} → ${nameOf(CISA_LEVELS.values, c.outcome)}`,
    c.reason,
    Object.keys(c.changes).join(', '),
  ]);
  return [table(['REV', 'AT', 'OUTCOME', 'REASON', 'CHANGED'], rows), moreHint(p.items.length, p.nextCursor)].filter(Boolean).join('\n');
}

/** `priority show|history SUBJECT`: a subject's coordinator decision, in words or as JSON. */
export function registerDecisionCommands(program: Command, deps: CommandDeps): void {
  const priority = program.command('priority').description("a subject's (cluster's) priority decision: CISA level, deadline and why");
  const path = (subjectId: string) => `/api/v1/scoring/decisions/${encodeURIComponent(subjectId)}`;

  remoteCommand(priority, 'show', 'the decision: outcome and vendor-fix deadline, the table row, then every input with its basis')
    .argument('<subject>', 'the subject (a cluster id)')
    .action(async (subjectId: string, flags: RemoteFlags) => {
      const decision = await dispatch(
        deps,
        flags,
        ({ ctx }) => getDecision(ctx, subjectId),
        (api) => api.get<Decision>(path(subjectId)),
        { reads: true },
      );
      emit(deps.output, flags.json, decision, describeDecision);
    });

  withPaging(remoteCommand(priority, 'history', 'how the decision changed, newest first'))
    .argument('<subject>', 'the subject (a cluster id)')
    .action(async (subjectId: string, flags: RemoteFlags & PagingFlags) => {
      const history = await dispatch(
        deps,
        flags,
        ({ ctx }) => pages(flags, (page) => listDecisionHistory(ctx, subjectId, page)),
        (api) => pages(flags, (page) => api.get<Page<DecisionChange>>(`${path(subjectId)}/history?${queryString(page)}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, history, describeHistory);
    });
}
