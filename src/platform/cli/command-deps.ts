import type { Command } from 'commander';
import type { ServiceContext } from '../context.js';
import { InputError } from '../errors.js';
import type { Output } from './output.js';
import type { RemoteOptions } from './api-client.js';
import type { JobStateCounts } from '../jobs/index.js';

/** The configured database, migrated, with a context acting as the local system operator. */
export interface LocalRuntime {
  readonly ctx: ServiceContext;
  /**
   * Runs the queued jobs of one background work in this process until none is left (`--wait` without a
   * server), reporting its counts as it goes; resolves with the final counts.
   */
  runWork(workId: string, onProgress?: (counts: JobStateCounts) => void): Promise<JobStateCounts>;
  close(): Promise<void>;
}

/** How a command uses the local database. */
export interface LocalOptions {
  /** The command only reads: it must not create a database where there is none. */
  readonly reads?: boolean;
}

/** What module commands are given by the composition root. */
export interface CommandDeps {
  /**
   * Opens the configured database (DATABASE_URL or the SQLite file), running pending migrations; creates it
   * when absent, unless `reads` says the command only reads: then an absent or empty database is an
   * InputError naming where it was looked for and how to create or point at one (an empty table would lie).
   */
  openLocal(options?: LocalOptions): Promise<LocalRuntime>;
  readonly output: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Sets the exit code for an outcome that is not an error but not success either (a broken chain). */
  setExitCode(code: number): void;
}

/** Adds `--url` and `--token` (also CLEARINGHOUSE_URL / CLEARINGHOUSE_TOKEN) to a command. */
export function withRemoteOptions(command: Command): Command {
  return command
    .option('--url <url>', 'talk to this server instead of the local database (env CLEARINGHOUSE_URL)')
    .option('--token <token>', 'API token for --url (env CLEARINGHOUSE_TOKEN)');
}

/** The remote server to use, or null to work on the local database. */
export function remoteOptions(
  options: { url?: string; token?: string },
  env: Readonly<Record<string, string | undefined>>,
): RemoteOptions | null {
  const url = options.url ?? env.CLEARINGHOUSE_URL;
  if (url === undefined || url === '') return null;
  const token = options.token ?? env.CLEARINGHOUSE_TOKEN;
  if (token === undefined || token === '')
    throw new InputError('--url needs --token (or CLEARINGHOUSE_TOKEN)', [{ pointer: '--token', detail: 'is required with --url' }]);
  if (!/^https?:\/\//.test(url))
    throw new InputError(`--url must be an http(s) URL, got "${url}"`, [
      { pointer: '--url', detail: 'must start with http:// or https://' },
    ]);
  return { url, token };
}
