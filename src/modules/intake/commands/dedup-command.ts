import type { Command } from 'commander';
import { emit, progress, type CommandDeps } from '../../../platform/cli/index.js';
import { dedupFiles, describeDedupReport } from '../dedup-files.js';
import { formatOption } from './format-option.js';

/** `clearinghouse dedup`: offline, so it loads neither the database nor the server (its own command unit). */
export function registerDedupCommand(program: Command, deps: CommandDeps): void {
  program
    .command('dedup')
    .description(
      'deduplicate files offline (no database), as the server would: print the clusters, then the near-duplicate proposals with the reason for each',
    )
    .argument('<files...>', 'documents (SARIF, OSV, CVE 5, CSAF, native; gzip accepted)')
    .option('--format <format>', 'force a format (default: detect)')
    .option(
      '--json',
      'print {"findings": N, "clusters": [{"id", "findings": [{"file", "ref"}]}], "proposals": [{"clusters", "basis", "score", "reason", "findings"}]}',
    )
    .action(async (files: string[], flags: { format?: string; json?: boolean }) => {
      const bar = progress(deps.output, 'reading', files.length);
      const report = await dedupFiles(files, formatOption(flags.format), (done) => bar.update(done));
      bar.stop();
      emit(deps.output, flags.json, report, describeDedupReport);
    });
}
