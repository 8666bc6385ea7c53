import { ApiClient, remoteOptions, type CommandDeps } from '../../../platform/cli/index.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { InputError } from '../../../platform/errors.js';
import { adminActorOf } from '../../identity/index.js';

export interface RemoteFlags {
  url?: string;
  token?: string;
  json?: boolean;
  /** Local database only: act as this organisation's admin (default: the coordinator's). */
  org?: string;
}

/**
 * Runs a command on the configured database, acting as an organisation's admin (the coordinator's unless
 * `--org`), or against the server at `--url` with `--token`: both through the same service functions.
 */
export async function runEither<T>(
  deps: CommandDeps,
  flags: RemoteFlags,
  local: (ctx: ServiceContext) => Promise<T>,
  remote: (api: ApiClient) => Promise<T>,
): Promise<T> {
  const target = remoteOptions(flags, deps.env);
  if (target !== null) {
    if (flags.org !== undefined)
      throw new InputError('--org works on the local database only; with --url the token says who you are', [
        { pointer: '--org', detail: 'is local only' },
      ]);
    return remote(new ApiClient(target));
  }
  const runtime = await deps.openLocal();
  try {
    return await local(asActor(runtime.ctx, await adminActorOf(runtime.ctx, flags.org)));
  } finally {
    await runtime.close();
  }
}

/** A query string from the defined values only. */
export function queryOf(values: Record<string, string | number | undefined>): string {
  const entries = Object.entries(values).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)]))}`;
}

export function wholeNumber(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value))
      throw new InputError(`${flag} must be a whole number, got "${value}"`, [{ pointer: flag, detail: 'must be a whole number' }]);
    return Number(value);
  };
}

export function yesNo(flag: string) {
  return (value: string): boolean => {
    if (value === 'yes' || value === 'true') return true;
    if (value === 'no' || value === 'false') return false;
    throw new InputError(`${flag} must be yes or no, got "${value}"`, [{ pointer: flag, detail: 'must be yes or no' }]);
  };
}

export const collect = (value: string, previous: string[]): string[] => [...previous, value];
