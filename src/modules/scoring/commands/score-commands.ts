import { Option, type Command } from 'commander';
import { emit, table, type CommandDeps } from '../../../platform/cli/index.js';
import { type CvssScores, type CvssScoreValue, scoreCvss } from '../../../platform/cvss/index.js';
import { evaluateDecisionTable, type DecisionPoint } from '../domain/decision-table.js';
import { CISA_COORDINATOR_TABLE, type CisaCoordinatorInputs } from '../domain/ssvc-cisa-coordinator.js';
import { AUTOMATABLE, CISA_LEVELS, EXPLOITATION, MISSION_WELLBEING, TECHNICAL_IMPACT } from '../domain/ssvc-decision-points.js';

const valuesOf = (point: DecisionPoint) => point.values.map((v) => v.value);
const nameOf = (point: DecisionPoint, value: string) => point.values.find((v) => v.value === value)?.name ?? value;

function renderCvss(scores: CvssScores): string {
  const v4 = scores.version === '4.0';
  const line = (label: string, value: CvssScoreValue | null) => [
    label,
    value === null ? '-' : value.score.toFixed(1),
    value?.severity ?? '',
  ];
  const rows = [
    line(v4 ? 'base (CVSS-B)' : 'base', scores.base),
    ...(v4 ? [line('threat (CVSS-BT)', scores.threat)] : [line('temporal', scores.temporal)]),
    line(v4 ? 'environmental (CVSS-BE)' : 'environmental', scores.environmental),
    line(`overall (${scores.overall.nomenclature})`, scores.overall),
  ];
  return [`CVSS ${scores.version}  ${scores.vector}`, '', table(['SCORE', 'VALUE', 'SEVERITY'], rows)].join('\n');
}

function choice(flag: string, description: string, point: DecisionPoint): Option {
  return new Option(flag, `${description} (${point.name})`).choices(valuesOf(point)).makeOptionMandatory();
}

/**
 * `score cvss VECTOR` and `score ssvc …`: offline tools on the domain alone — they open no database and
 * read no configuration, so they work anywhere the CLI is installed.
 */
export function registerScoreCommands(program: Command, deps: CommandDeps): void {
  const score = program.command('score').description('offline scoring tools (no database)');

  score
    .command('cvss')
    .description('score a CVSS 2.0, 3.0, 3.1 or 4.0 vector: version, base score and severity, temporal/threat and environmental when given')
    .argument('<vector>', 'the vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')
    .option('--json', 'print JSON')
    .action((vector: string, flags: { json?: boolean }) => {
      // A malformed vector throws InputError naming the metric: exit code 2.
      emit(deps.output, flags.json, scoreCvss(vector, { pointer: 'VECTOR' }), renderCvss);
    });

  score
    .command('ssvc')
    .description("decide with CISA's SSVC coordinator tree (Track, Track*, Attend, Act) and show the table row")
    .addOption(choice('--exploitation <value>', 'none, public PoC or active exploitation', EXPLOITATION))
    .addOption(choice('--automatable <value>', 'can an attacker automate it', AUTOMATABLE))
    .addOption(choice('--technical-impact <value>', 'partial or total control', TECHNICAL_IMPACT))
    .addOption(choice('--mission-wellbeing <value>', 'mission and well-being impact', MISSION_WELLBEING))
    .option('--json', 'print JSON')
    // Commander has checked each value against its choices, so the flags hold decision values.
    .action((flags: CisaCoordinatorInputs & { json?: boolean }) => {
      const { exploitation, automatable, technicalImpact, missionWellbeing } = flags;
      const result = evaluateDecisionTable(CISA_COORDINATOR_TABLE, { exploitation, automatable, technicalImpact, missionWellbeing });
      emit(deps.output, flags.json, result, (r) =>
        [
          `${nameOf(CISA_LEVELS, r.outcome)}  (${r.table.name} ${r.table.version}, row ${r.row.index})`,
          `  exploitation ${r.row.inputs.exploitation}, automatable ${r.row.inputs.automatable}, technical impact ${r.row.inputs.technicalImpact}, mission & well-being ${r.row.inputs.missionWellbeing} → ${r.outcome}`,
        ].join('\n'),
      );
    });
}
