import type { Command } from 'commander';
import {
  dispatch,
  remoteOptions,
  withRemoteOptions,
  type ApiClient,
  type CommandDeps,
  type LocalOptions,
  type RemoteFlags,
} from '../../platform/cli/index.js';
import { asActor, type ServiceContext } from '../../platform/context.js';
import { InputError } from '../../platform/errors.js';
import { adminActorOf } from './service/bootstrap.js';

/** The flags of a command that acts for an organisation: the remote ones, and `--org` on the local database. */
export type ActingFlags = RemoteFlags & {
  /** Local database only: act as this organisation's admin (default: the coordinator's). */
  org?: string;
};

/** A subcommand with `--url`/`--token`, `--org` for the local database, and `--json`. */
export function actingCommand(parent: Command, name: string, description: string): Command {
  return withRemoteOptions(parent.command(name).description(description))
    .option('--org <id>', "local database only: act as this organisation's admin (default: the coordinator's)")
    .option('--json', 'print JSON');
}

/**
 * The platform's dispatch for a command that acts for an organisation: on the local database as that
 * organisation's admin (the coordinator's unless `--org`); with `--url` as the token's user, `--org` refused
 * before anything runs (checked here, not in a commander hook: the lazy CLI's manifest describes no hooks).
 */
export function dispatchActing<T>(
  deps: CommandDeps,
  flags: ActingFlags,
  local: (ctx: ServiceContext) => Promise<T>,
  remote: (api: ApiClient) => Promise<T>,
  options: LocalOptions = {},
): Promise<T> {
  if (flags.org !== undefined && remoteOptions(flags, deps.env) !== null)
    return Promise.reject(
      new InputError('--org works on the local database only; with --url the token says who you are', [
        { pointer: '--org', detail: 'is local only' },
      ]),
    );
  return dispatch(deps, flags, async (rt) => local(asActor(rt.ctx, await adminActorOf(rt.ctx, flags.org))), remote, options);
}
