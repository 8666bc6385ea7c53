import type { Command } from 'commander';
import {
  dispatch,
  remoteOptions,
  withRemoteOptions,
  type ApiClient,
  type CommandDeps,
  type RemoteFlags,
} from '../../platform/cli/index.js';
import { asActor, type ServiceContext } from '../../platform/context.js';
import { InputError } from '../../platform/errors.js';
import { adminActorOf } from '../identity/index.js';

/** What every `clearinghouse cases …` command shares: its flags, its dispatch, its API paths. */

export type Flags = RemoteFlags & {
  /** Local database only: act as this organisation's admin (default: the coordinator's). */
  org?: string;
};

/**
 * The platform's {@link dispatch}, the local side acting as an organisation's admin (the coordinator's unless
 * `--org`; with `--url` the token says who you are, and `--org` is refused before any command runs).
 */
export function either<T>(
  deps: CommandDeps,
  flags: Flags,
  local: (ctx: ServiceContext) => Promise<T>,
  remote: (api: ApiClient) => Promise<T>,
): Promise<T> {
  // Checked here rather than in a commander hook: the lazy CLI's manifest describes no hooks (src/app/command-tree.ts).
  if (flags.org !== undefined && remoteOptions(flags, deps.env) !== null)
    return Promise.reject(
      new InputError('--org works on the local database only; with --url the token says who you are', [
        { pointer: '--org', detail: 'is local only' },
      ]),
    );
  return dispatch(deps, flags, async (rt) => local(asActor(rt.ctx, await adminActorOf(rt.ctx, flags.org))), remote);
}

export const path = (id: string, rest = '') => `/api/v1/cases/${encodeURIComponent(id)}${rest}`;

export function command(parent: Command, name: string, description: string): Command {
  return withRemoteOptions(parent.command(name).description(description))
    .option('--org <id>', "local database only: act as this organisation's admin")
    .option('--json', 'print JSON');
}
