import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ApiClient, emit, progress, remoteOptions, withRemoteOptions, type CommandDeps } from '../../platform/cli/index.js';
import { asActor } from '../../platform/context.js';
import { InputError, UnsupportedMediaTypeError } from '../../platform/errors.js';
import { adminActorOf } from '../identity/index.js';
import {
  MemoryClusterDirectory,
  SOURCE_FORMATS,
  assignClusters,
  findingIdentity,
  isSourceFormat,
  parseSubmission,
  type SourceFormat,
} from './domain/index.js';
import { submitDocument, type SubmissionAnswer } from './service/submissions.js';
import { decodeUpload } from './service/upload.js';

function formatOption(value: string | undefined): SourceFormat | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  if (!isSourceFormat(value))
    throw new InputError(`--format must be one of ${SOURCE_FORMATS.join(', ')}, got "${value}"`, [
      { pointer: '--format', detail: 'unknown format' },
    ]);
  return value;
}

/** Prefixes an input error with the file it came from, keeping its pointers. */
function inFile(file: string, error: unknown): unknown {
  if (error instanceof InputError) return new InputError(`${file}: ${error.message}`, error.issues, { code: error.code });
  if (error instanceof UnsupportedMediaTypeError) return new UnsupportedMediaTypeError(`${file}: ${error.message}`);
  return error;
}

export interface DedupReport {
  readonly findings: number;
  readonly clusters: {
    readonly id: string;
    readonly findings: { readonly file: string; readonly ref: string; readonly productId?: string }[];
  }[];
}

/**
 * Deduplicates files with no database: each file is parsed and its findings assigned to clusters by the
 * same `assignClusters` the server runs, against a directory in memory. Throws on the first bad file.
 */
export async function dedupFiles(
  files: readonly string[],
  format: SourceFormat | 'auto',
  onFile?: (done: number) => void,
): Promise<DedupReport> {
  const directory = new MemoryClusterDirectory();
  const members = new Map<string, { file: string; ref: string; productId?: string }[]>();
  let findings = 0;
  for (const [index, file] of files.entries()) {
    let parsed;
    try {
      parsed = parseSubmission(decodeUpload(await readFile(file), file), { format });
    } catch (error) {
      throw inFile(file, error);
    }
    const entries = parsed.findings.map((f, i) => ({ key: `${index}:${i}`, finding: f }));
    const plan = await assignClusters(
      entries.map((e) => {
        const identity = findingIdentity(e.finding);
        return { key: e.key, aliases: e.finding.aliases, fingerprint: identity.fingerprint?.value ?? null, anchors: identity.anchors };
      }),
      directory,
    );
    directory.apply(plan);
    for (const merge of plan.merges) {
      members.set(merge.into, [...(members.get(merge.into) ?? []), ...(members.get(merge.from) ?? [])]);
      members.delete(merge.from);
    }
    plan.assignments.forEach((a, i) => {
      const f = entries[i]!.finding;
      const list = members.get(a.clusterId) ?? [];
      list.push(f.productId === null ? { file, ref: f.ref } : { file, ref: f.ref, productId: f.productId });
      members.set(a.clusterId, list);
    });
    findings += parsed.findings.length;
    onFile?.(index + 1);
  }
  const clusters = [...members.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, list]) => ({ id, findings: list }));
  return { findings, clusters };
}

export function registerIntakeCommands(program: Command, deps: CommandDeps): void {
  withRemoteOptions(
    program
      .command('submit')
      .description('submit documents of findings (SARIF, OSV, CVE 5, CSAF, native) and print, per finding, new or duplicate')
      .argument('<files...>', 'documents to submit (gzip accepted)')
      .option('--format <format>', `force a format: ${SOURCE_FORMATS.join(', ')} (default: detect)`)
      .option('--tlp <label>', 'TLP label (default: the document’s own, else AMBER)')
      .option('--org <id>', 'local database only: submit as this organisation’s admin (default: the coordinator)')
      .option('--json', 'print JSON: one answer per file'),
  ).action(
    async (files: string[], flags: { format?: string; tlp?: string; org?: string; json?: boolean; url?: string; token?: string }) => {
      const format = formatOption(flags.format);
      const target = remoteOptions(flags, deps.env);
      const bar = progress(deps.output, 'submitting', files.length);
      const answers: (SubmissionAnswer & { file: string })[] = [];
      const runtime = target === null ? await deps.openLocal() : null;
      try {
        const ctx = runtime === null ? null : asActor(runtime.ctx, await adminActorOf(runtime.ctx, flags.org));
        const api = target === null ? null : new ApiClient(target);
        for (const [i, file] of files.entries()) {
          const bytes = await readFile(file);
          let answer: SubmissionAnswer;
          try {
            if (ctx !== null) {
              answer = await submitDocument(ctx, { bytes, filename: file, format, tlp: flags.tlp });
            } else {
              const query = new URLSearchParams({
                filename: file,
                ...(format === 'auto' ? {} : { format }),
                ...(flags.tlp ? { tlp: flags.tlp } : {}),
              });
              answer = await api!.request<SubmissionAnswer>('POST', `/api/v1/submissions?${query}`, bytes, 'application/octet-stream');
            }
          } catch (error) {
            throw inFile(file, error);
          }
          answers.push({ file, ...answer });
          bar.update(i + 1);
        }
      } finally {
        bar.stop();
        await runtime?.close();
      }
      emit(deps.output, flags.json, answers, (list) =>
        list
          .map((a) => {
            const fresh = a.findings.filter((f) => f.outcome === 'new').length;
            return `${a.file}: ${a.submission.format}, ${a.findings.length} findings — ${fresh} new, ${a.findings.length - fresh} duplicate${a.repeated ? ' (submitted before)' : ''} [${a.submission.id}]`;
          })
          .join('\n'),
      );
    },
  );

  program
    .command('dedup')
    .description('deduplicate files offline (no database), as the server would, and print the clusters')
    .argument('<files...>', 'documents (SARIF, OSV, CVE 5, CSAF, native; gzip accepted)')
    .option('--format <format>', 'force a format (default: detect)')
    .option('--json', 'print {"findings": N, "clusters": [{"id", "findings": [{"file", "ref"}]}]}')
    .action(async (files: string[], flags: { format?: string; json?: boolean }) => {
      const bar = progress(deps.output, 'reading', files.length);
      const report = await dedupFiles(files, formatOption(flags.format), (done) => bar.update(done));
      bar.stop();
      emit(deps.output, flags.json, report, (r) =>
        [
          `${r.findings} findings in ${r.clusters.length} clusters`,
          ...r.clusters
            .filter((c) => c.findings.length > 1)
            .map((c) => `${c.id}: ${c.findings.map((f) => `${f.file}#${f.ref}`).join(', ')}`),
        ].join('\n'),
      );
    });
}
