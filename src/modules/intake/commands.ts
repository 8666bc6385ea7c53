import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  EXIT_USAGE,
  collect,
  dispatch,
  emit,
  progress,
  queryOf,
  withRemoteOptions,
  type CommandDeps,
  type RemoteFlags,
} from '../../platform/cli/index.js';
import { asActor } from '../../platform/context.js';
import {
  ConflictError,
  InputError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnsupportedMediaTypeError,
} from '../../platform/errors.js';
import { adminActorOf } from '../identity/index.js';
import { formatOption } from './commands/format-option.js';
import { SOURCE_FORMATS } from './domain/index.js';
import { submitDocument } from './service/submissions.js';
import type { SubmissionAnswer } from './presenters.js';
import { describeBatch, refusal, submitTargets, type FileOutcome } from './commands/submit-batch.js';

interface SubmitFlags extends RemoteFlags {
  format?: string;
  tlp?: string;
  org?: string;
  recipientOrg: string[];
  recipientUser: string[];
}

/**
 * What refuses one file and not the batch: its content, its size, a recipient unknown, the quota, bytes a
 * colleague submitted under a label hidden from the caller; an outage stops it.
 */
const isRefusal = (error: unknown): boolean =>
  error instanceof InputError ||
  (error instanceof ConflictError && error.code === 'submitted-before-hidden') ||
  error instanceof UnsupportedMediaTypeError ||
  error instanceof PayloadTooLargeError ||
  error instanceof NotFoundError ||
  error instanceof RateLimitedError ||
  (error as NodeJS.ErrnoException | null)?.code === 'EISDIR' ||
  (error as NodeJS.ErrnoException | null)?.code === 'EACCES';

/** Submits the files one by one; a refused file is reported and the batch goes on (those before and after it are stored). */
async function submitEach(
  deps: CommandDeps,
  files: readonly string[],
  submit: (file: string, bytes: Uint8Array) => Promise<SubmissionAnswer>,
): Promise<FileOutcome[]> {
  const bar = progress(deps.output, 'submitting', files.length);
  const outcomes: FileOutcome[] = [];
  try {
    for (const [i, file] of files.entries()) {
      try {
        const answer = await submit(file, await readFile(file));
        outcomes.push({ file, outcome: answer.repeated ? 'repeated' : 'accepted', ...answer });
      } catch (error) {
        if (!isRefusal(error)) throw error;
        outcomes.push(refusal(file, error));
      }
      bar.update(i + 1);
    }
  } finally {
    bar.stop();
  }
  return outcomes;
}

/** `clearinghouse submit`; `dedup` is registered by commands/dedup-command.ts, its own command unit. */
export function registerIntakeCommands(program: Command, deps: CommandDeps): void {
  withRemoteOptions(
    program
      .command('submit')
      .description(
        'submit documents of findings (SARIF, OSV, CVE 5, CSAF, native): one line per file, then the totals; exit 2 if any was refused',
      )
      .argument('<paths...>', 'documents to submit (gzip accepted), or directories to walk')
      .option('--format <format>', `force a format: ${SOURCE_FORMATS.join(', ')} (default: detect)`)
      .option('--tlp <label>', 'TLP label (default: the document’s own, else AMBER)')
      .option('--recipient-org <id>', 'share with this organisation (repeatable)', collect, [])
      .option('--recipient-user <id>', 'share with this user (repeatable; TLP:RED needs named users)', collect, [])
      .option('--org <id>', 'local database only: submit as this organisation’s admin (default: the coordinator)')
      .option('--json', 'print JSON: one entry per file, {file, outcome: accepted|repeated|refused, …answer or error}'),
  ).action(async (paths: string[], flags: SubmitFlags) => {
    const format = formatOption(flags.format);
    const { files, missing } = submitTargets(paths);
    const recipients = { orgIds: flags.recipientOrg, userIds: flags.recipientUser };
    const query = (file: string) =>
      queryOf({
        filename: file,
        format: format === 'auto' ? undefined : format,
        tlp: flags.tlp,
        recipientOrgs: recipients.orgIds.join(',') || undefined,
        recipientUsers: recipients.userIds.join(',') || undefined,
      });
    const outcomes = await dispatch(
      deps,
      flags,
      async (runtime) => {
        const ctx = asActor(runtime.ctx, await adminActorOf(runtime.ctx, flags.org));
        return submitEach(deps, files, (file, bytes) => submitDocument(ctx, { bytes, filename: file, format, tlp: flags.tlp, recipients }));
      },
      async (api) => {
        if (flags.org !== undefined)
          throw new InputError('--org works on the local database only; with --url the token says who you are', [
            { pointer: '--org', detail: 'is local only' },
          ]);
        return submitEach(deps, files, (file, bytes) =>
          api.request<SubmissionAnswer>('POST', `/api/v1/submissions${query(file)}`, bytes, 'application/octet-stream'),
        );
      },
    );
    const all = [...missing, ...outcomes];
    emit(deps.output, flags.json, all, describeBatch);
    if (all.some((o) => o.outcome === 'refused')) deps.setExitCode(EXIT_USAGE);
  });
}
