import { statSync } from 'node:fs';
import { describeError, issueLines } from '../../../platform/cli/index.js';
import { InputError } from '../../../platform/errors.js';
import { filesUnder } from '../../../platform/files.js';
import type { SubmissionAnswer } from '../presenters.js';

/** What `submit` reads in a directory: the formats' usual names, gzipped or not. */
const SUBMITTABLE = /\.(json|sarif|ya?ml|xml)(\.gz)?$/i;

/** One file of a batch: accepted (new or duplicate findings), identical bytes already submitted, or refused. */
export type FileOutcome =
  | ({ readonly file: string; readonly outcome: 'accepted' | 'repeated' } & SubmissionAnswer)
  | {
      readonly file: string;
      readonly outcome: 'refused';
      readonly error: { readonly message: string; readonly code: string | null; readonly issues: { pointer: string; detail: string }[] };
    };

/** The files named: each file as given, each directory walked (dot directories skipped); a missing path is its own refusal. */
export function submitTargets(paths: readonly string[]): { files: string[]; missing: FileOutcome[] } {
  const files: string[] = [];
  const missing: FileOutcome[] = [];
  for (const p of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(p).isDirectory();
    } catch {
      missing.push(refusal(p, new InputError(`no such file or directory: ${p}`, [])));
      continue;
    }
    files.push(...(isDirectory ? filesUnder(p, SUBMITTABLE) : [p]));
  }
  return { files, missing };
}

export function refusal(file: string, error: unknown): FileOutcome {
  const issues = error instanceof InputError ? error.issues.map((i) => ({ pointer: i.pointer, detail: i.detail })) : [];
  const code = (error as { code?: unknown } | null)?.code;
  return {
    file,
    outcome: 'refused',
    error: { message: describeError(error).split('\n')[0] ?? '', code: typeof code === 'string' ? code : null, issues },
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line per file, its warnings and refusal details indented below it. */
export function describeFile(f: FileOutcome): string {
  if (f.outcome === 'refused')
    return [
      `refused   ${f.file}: ${f.error.message}`,
      ...issueLines(f.error.message, f.error.issues).map((line) => `          ${line}`),
    ].join('\n');
  const s = f.submission;
  const fresh = f.findings.filter((x) => x.outcome === 'new').length;
  const head =
    f.outcome === 'repeated'
      ? `unchanged ${f.file}: these exact bytes were submitted before as ${s.id} (${plural(f.findings.length, 'finding')}); nothing new stored`
      : `accepted  ${f.file}: ${s.format}, ${plural(f.findings.length, 'finding')} — ${fresh} new, ${f.findings.length - fresh} ${f.findings.length - fresh === 1 ? 'duplicate' : 'duplicates'} of known clusters, TLP:${s.tlp} [${s.id}]`;
  return [head, ...s.warnings.map((w) => `          warning ${w.pointer}: ${w.detail}`)].join('\n');
}

/** Every file's line, then the totals. */
export function describeBatch(files: readonly FileOutcome[]): string {
  const accepted = files.filter((f) => f.outcome === 'accepted');
  const findings = accepted.flatMap((f) => ('findings' in f ? f.findings : []));
  const fresh = findings.filter((x) => x.outcome === 'new').length;
  const refused = files.filter((f) => f.outcome === 'refused').length;
  const repeated = files.filter((f) => f.outcome === 'repeated').length;
  const summary =
    `${plural(files.length, 'file')}: ${accepted.length} accepted (${plural(findings.length, 'finding')}, ${fresh} new), ` +
    `${repeated} unchanged, ${refused} refused` +
    (refused > 0 ? ' — the accepted ones are stored; fix the refused ones and submit them again' : '');
  return [...files.map(describeFile), '', summary].join('\n');
}
