import type { Command } from 'commander';
import { emit, progress, type CommandDeps } from '../../../platform/cli/index.js';
import { dedupFiles, type DedupFindingRef, type DedupReport } from '../service/dedup-files.js';
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

const at = (f: DedupFindingRef): string => `${f.file}#${f.ref}`;

/** The human form: the totals, every cluster of more than one report, then every proposal with its reason. */
export function describeDedupReport(r: DedupReport): string {
  const lines = [
    `${r.findings} findings in ${r.clusters.length} clusters`,
    ...r.clusters.filter((c) => c.findings.length > 1).map((c) => `${c.id}: ${c.findings.map(at).join(', ')}`),
  ];
  if (r.proposals.length === 0) return [...lines, 'no near-duplicate proposals'].join('\n');
  lines.push(`${r.proposals.length} near-duplicate proposal(s), not merged (a coordinator decides):`);
  for (const p of r.proposals) {
    const basis = p.basis === 'shared-anchor' ? `${at(p.findings[0]!)} meets both` : p.findings.map(at).join(' ~ ');
    lines.push(`${p.clusters[0]} ~ ${p.clusters[1]}  score ${p.score.toFixed(2)}  ${basis}`, `  ${p.reason}`);
  }
  return lines.join('\n');
}
