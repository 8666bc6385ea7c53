import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { emit, progress, table, type CommandDeps, type Output } from '../../../platform/cli/index.js';
import { InputError } from '../../../platform/errors.js';
import { AdvisoryIndex } from '../domain/match-index.js';
import { parseSbom } from '../domain/sbom-parse.js';
import { matchSbomAgainstAdvisories, type SbomMatchReport } from '../domain/sbom-match.js';
import { loadOsv, osvSources, type OsvLoad } from '../files/osv-sources.js';

/** What `match --json` prints (issue 6): one entry per affected component × advisory. */
export interface MatchOutput {
  readonly components: number;
  readonly matches: readonly {
    readonly purl: string;
    readonly advisory: string;
    readonly aliases: readonly string[];
    readonly fixed: readonly string[];
    readonly confidence: string;
  }[];
}

function readSbomFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read the SBOM ${file}: ${(error as Error).message}`, [
      { pointer: '--sbom', detail: 'must be a readable file' },
    ]);
  }
}

/** Loads the advisories under the paths into an index, reporting skipped files on stderr. */
function loadAdvisoryIndex(output: Output, paths: readonly string[], strict: boolean): { index: AdvisoryIndex; load: OsvLoad } {
  const sources = osvSources(paths);
  const bar = progress(output, 'loading advisories', sources.length);
  const load = loadOsv(sources, (done) => bar.update(done));
  bar.stop();
  if (load.skipped.length > 0) {
    const shown = load.skipped.slice(0, 5).map((s) => `  ${s.source}: ${s.reason.split('\n')[0] ?? ''}`);
    const message = `${load.skipped.length} file(s) under --osv are not OSV records:\n${shown.join('\n')}${load.skipped.length > 5 ? '\n  …' : ''}`;
    if (strict)
      throw new InputError(
        message,
        load.skipped.slice(0, 20).map((s) => ({ pointer: s.source, detail: s.reason })),
      );
    output.err(`warning: skipped ${message}`);
  }
  if (load.advisories.length === 0)
    throw new InputError(`no OSV advisories under ${paths.join(', ')}`, [{ pointer: '--osv', detail: 'holds no OSV record' }]);
  const index = new AdvisoryIndex();
  for (const { record } of load.advisories) index.upsert(record);
  return { index, load };
}

function human(report: SbomMatchReport, advisories: number): string {
  const affected = report.matches.filter((m) => m.status === 'affected');
  const unknown = report.matches.filter((m) => m.status === 'unknown');
  const lines = [
    `${report.components} components against ${advisories} advisories: ${affected.length} affected component × advisory pairs (${new Set(affected.map((m) => m.advisory)).size} advisories)`,
  ];
  if (affected.length > 0) {
    lines.push(
      '',
      table(
        ['PURL', 'ADVISORY', 'ALIASES', 'FIXED', 'CONFIDENCE'],
        affected.map((m) => [m.purl, m.advisory, m.aliases.join(','), m.fixed.join(',') || '-', m.confidence]),
      ),
    );
  }
  if (unknown.length > 0) {
    lines.push('', `${unknown.length} undecidable (the advisory names the package; the version cannot be decided):`);
    lines.push(
      table(
        ['PURL', 'ADVISORY', 'WHY'],
        unknown.map((m) => [m.purl, m.advisory, m.reasons[0] ?? '']),
      ),
    );
  }
  if (report.unmatched.length > 0)
    lines.push(
      '',
      `${report.unmatched.length} components cannot be matched (no purl with an advisory ecosystem); first: ${report.unmatched[0]?.name ?? ''}: ${report.unmatched[0]?.reason ?? ''}`,
    );
  return lines.join('\n');
}

/** `clearinghouse match --sbom FILE --osv PATH… [--json]`: offline, no database. */
export function registerMatchCommand(program: Command, deps: CommandDeps): void {
  program
    .command('match')
    .description('match an SBOM against OSV advisories on disk, offline (no database)')
    .requiredOption('--sbom <file>', 'CycloneDX (JSON, XML) or SPDX (JSON, YAML, tag-value, 3.0 JSON-LD) document')
    .requiredOption(
      '--osv <path...>',
      'OSV file (JSON or YAML), directory tree of them, or a ZIP of them (osv.dev all.zip); several allowed',
    )
    .option('--strict', 'exit 2 when a file under --osv is not an OSV record (default: warn and skip it)')
    .option('--json', 'print {"components": N, "matches": [{"purl", "advisory", "aliases", "fixed", "confidence"}]}')
    .action((flags: { sbom: string; osv: string[]; strict?: boolean; json?: boolean }) => {
      const sbom = parseSbom(readSbomFile(flags.sbom));
      const { index, load } = loadAdvisoryIndex(deps.output, flags.osv, flags.strict ?? false);
      const report = matchSbomAgainstAdvisories(sbom, index);
      if (flags.json) {
        const out: MatchOutput = {
          components: report.components,
          matches: report.matches
            .filter((m) => m.status === 'affected')
            .map((m) => ({ purl: m.purl, advisory: m.advisory, aliases: m.aliases, fixed: m.fixed, confidence: m.confidence })),
        };
        emit(deps.output, true, out, () => '');
      } else {
        emit(deps.output, false, report, (r) => human(r, load.advisories.length));
      }
    });
}
