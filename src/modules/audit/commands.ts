import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  EXIT_FAILURE,
  dispatch,
  emit,
  progress,
  withLocal,
  withRemoteOptions,
  type CommandDeps,
  type RemoteFlags,
} from '../../platform/cli/index.js';
import { loadConfig } from '../../platform/config.js';
import { InputError, NotFoundError } from '../../platform/errors.js';
import { loadOrCreateSigningKey } from '../../platform/signing-key.js';
import { signCheckpoint } from './checkpoints.js';
import { parseCheckpoint, type AuditCheckpoint } from './domain/checkpoint.js';
import { verifyAuditChain, type VerifyResult } from './service.js';

function readCheckpointFile(file: string, keyId: string | undefined): AuditCheckpoint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`, [
      { pointer: '/checkpoint', detail: 'must be a readable file' },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${(error as Error).message}`, [{ pointer: '', detail: 'must be JSON' }]);
  }
  let checkpoint: AuditCheckpoint;
  try {
    checkpoint = parseCheckpoint(value);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${file}: ${error.message}`, error.issues);
    throw error;
  }
  if (keyId !== undefined && checkpoint.keyId !== keyId.toLowerCase()) {
    throw new InputError(`${file} is signed by key ${checkpoint.keyId}, not by ${keyId}`, [
      { pointer: '/keyId', detail: `must be ${keyId}` },
    ]);
  }
  return checkpoint;
}

export function registerAuditCommands(program: Command, deps: CommandDeps): void {
  const audit = program.command('audit').description('the audit log');
  withRemoteOptions(
    audit
      .command('verify')
      .description(
        'walk the hash chain and its signed checkpoints (remotely: coordinator admins); exit 0 when intact, 1 naming the first broken sequence number, 2 for a checkpoint file that is not genuine',
      )
      .option('--checkpoint <file>', 'a checkpoint published earlier (clearinghouse audit checkpoint): the chain must still hold it')
      .option('--key-id <sha256>', 'with --checkpoint: the id of the key that must have signed it (the one you published)')
      .option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags & { checkpoint?: string; keyId?: string }) => {
    const checkpoints = flags.checkpoint === undefined ? [] : [readCheckpointFile(flags.checkpoint, flags.keyId)];
    const result = await dispatch(
      deps,
      flags,
      async (runtime) => {
        const bar = progress(deps.output, 'verifying', 1);
        try {
          return await verifyAuditChain(runtime.ctx.db, { checkpoints, onProgress: (done, total) => bar.update(done, total) });
        } finally {
          bar.stop();
        }
      },
      (api) => api.post<VerifyResult>('/api/v1/audit/verify', { checkpoints }),
      { reads: true },
    );
    emit(deps.output, flags.json, result, (r) =>
      r.ok
        ? `audit chain intact: ${r.count} events, head ${r.lastHash}; ${r.checkpoints} signed checkpoints hold`
        : `audit chain BROKEN at sequence ${r.broken.seq}: ${r.broken.reason}`,
    );
    if (!result.ok) deps.setExitCode(EXIT_FAILURE);
  });
  audit
    .command('checkpoint')
    .description('sign the chain head unless the newest checkpoint names it, and print the newest checkpoint as JSON, to publish elsewhere')
    .action(async () => {
      const key = loadOrCreateSigningKey(loadConfig(deps.env).auditKeyFile);
      const checkpoint = await withLocal(deps, (runtime) => signCheckpoint(runtime.ctx.db, runtime.ctx.clock, key));
      if (checkpoint === null) throw new NotFoundError('the audit chain is empty: there is nothing to vouch for yet');
      deps.output.out(JSON.stringify(checkpoint, null, 2));
    });
}
