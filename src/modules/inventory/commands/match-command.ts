import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { emit, progress, table, type CommandDeps, type Output, type Progress } from '../../../platform/cli/index.js';
import { InputError } from '../../../platform/errors.js';
import { AdvisoryIndex } from '../domain/match-index.js';
import { parseSbom } from '../domain/sbom-parse.js';
import { matchSbomAgainstAdvisories, sbomPackageKeys, type SbomMatchReport } from '../domain/sbom-match.js';
import { defaultOsvCacheDir, loadOsvSnapshot, startOsvSources, type OsvSourcesStarted, type SnapshotLoad } from '../files/osv-snapshot.js';
import { StageTimings } from './stage-timings.js';

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

interface LoadFlags {
  readonly strict: boolean;
  /** The snapshot directory, or null for none. */
  readonly cacheDir: string | null;
  /** The `--osv` files, stated while the SBOM was parsed. */
  readonly sources: OsvSourcesStarted;
}

/** Loads the advisories under the paths (through the snapshot) into an index, reporting skipped files on stderr. */
async function loadAdvisoryIndex(
  output: Output,
  paths: readonly string[],
  flags: LoadFlags,
  onlyKeys: ReadonlySet<string>,
  timings: StageTimings,
): Promise<{ index: AdvisoryIndex; load: SnapshotLoad }> {
  // Drawn only when files are read: a run on an unchanged snapshot reads none.
  const bars: Progress[] = [];
  const load = await loadOsvSnapshot(paths, {
    cacheDir: flags.cacheDir,
    sources: flags.sources,
    onProgress: (done, total) => (bars[0] ??= progress(output, 'reading advisories', total)).update(done),
    timer: (stage, ms) => timings.add(stage, ms),
  });
  bars[0]?.stop();
  const { snapshot } = load;
  timings.note(
    'snapshot-read',
    snapshot.outcome === 'off'
      ? 'no snapshot (--no-cache)'
      : `${snapshot.outcome}: ${snapshot.reusedFiles} files reused, ${snapshot.readFiles} read${snapshot.ignored === undefined ? '' : ` (the old one was ignored: ${snapshot.ignored})`}`,
  );
  if (snapshot.writeProblem !== undefined)
    output.err(`warning: the advisory snapshot could not be written to ${snapshot.file ?? ''}: ${snapshot.writeProblem}`);
  if (load.skipped.length > 0) {
    const shown = load.skipped.slice(0, 5).map((s) => `  ${s.source}: ${s.reason.split('\n')[0] ?? ''}`);
    const message = `${load.skipped.length} file(s) under --osv are not OSV records:\n${shown.join('\n')}${load.skipped.length > 5 ? '\n  …' : ''}`;
    if (flags.strict)
      throw new InputError(
        message,
        load.skipped.slice(0, 20).map((s) => ({ pointer: s.source, detail: s.reason })),
      );
    output.err(`warning: skipped ${message}`);
  }
  if (load.records.length === 0)
    throw new InputError(`no OSV advisories under ${paths.join(', ')}`, [{ pointer: '--osv', detail: 'holds no OSV record' }]);
  // Lazily: only the advisories naming the SBOM's packages are kept, and compiled during the match.
  const index = new AdvisoryIndex({ lazy: true, onlyKeys });
  timings.time('index', () => {
    for (const advisory of load.records) index.upsertLazily(advisory);
  });
  timings.note('index', `${load.records.length} advisories by package`);
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

/**
 * V8 optimizes a function once it has run `--interrupt-budget` bytes of bytecode (66 kB in Node 20). A
 * warm match of a 10k-component SBOM runs so many distinct functions just past that mark that optimizing
 * them took a third of the process's CPU (perf, on and off the main thread) while the run they speed up is
 * over in a second. Ten times the budget leaves only the truly hot code to the optimizer; a long run (the
 * first, which parses every OSV file) still gets it optimized. Only the flag's budget for functions not
 * yet run changes: the verdicts cannot.
 */
function oneShotJit(): void {
  setFlagsFromString('--interrupt-budget=675840');
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
    .option(
      '--cache <dir>',
      'keep a snapshot of the advisories read in DIR, reused while the files are unchanged (default: $XDG_CACHE_HOME/clearinghouse/osv)',
    )
    .option('--no-cache', 'read every OSV file, keeping no snapshot')
    .option('--timings', 'print on stderr where the time went, stage by stage (JSON with --json)')
    .action(async (flags: { sbom: string; osv: string[]; strict?: boolean; json?: boolean; cache?: string | false; timings?: boolean }) => {
      const startup = performance.now();
      oneShotJit();
      const timings = new StageTimings();
      // Stated on the thread pool while the SBOM is read and parsed.
      const sources = startOsvSources(flags.osv);
      const bytes = timings.time('sbom-read', () => readSbomFile(flags.sbom));
      let schemaMs = 0;
      const sbom = timings.time('sbom-parse', () => parseSbom(bytes, { onSchemaChecked: (ms) => (schemaMs += ms) }));
      timings.add('sbom-parse', -schemaMs);
      timings.add('sbom-schema', schemaMs);
      timings.note('sbom-parse', `${sbom.components.length} components`);
      const cacheDir = flags.cache === false ? null : (flags.cache ?? defaultOsvCacheDir(deps.env));
      const { index, load } = await loadAdvisoryIndex(
        deps.output,
        flags.osv,
        { strict: flags.strict ?? false, cacheDir, sources },
        sbomPackageKeys(sbom),
        timings,
      );
      const report = timings.time('match', () => matchSbomAgainstAdvisories(sbom, index));
      timings.note('match', `${report.matches.length} verdicts; compiles the advisories naming the SBOM's packages`);
      timings.time('output', () => {
        if (flags.json) {
          const out: MatchOutput = {
            components: report.components,
            matches: report.matches
              .filter((m) => m.status === 'affected')
              .map((m) => ({ purl: m.purl, advisory: m.advisory, aliases: m.aliases, fixed: m.fixed, confidence: m.confidence })),
          };
          emit(deps.output, true, out, () => '');
        } else {
          emit(deps.output, false, report, (r) => human(r, load.records.length));
        }
      });
      if (flags.timings) {
        const measured = timings.report(startup);
        deps.output.err(flags.json ? JSON.stringify({ timings: measured }) : StageTimings.human(measured));
      }
    });
}
