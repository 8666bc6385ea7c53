import { dispatch, type ApiClient, type CommandDeps, type RemoteFlags as PlatformRemoteFlags } from '../../../platform/cli/index.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { InputError } from '../../../platform/errors.js';
import { adminActorOf } from '../../identity/index.js';

export interface RemoteFlags extends PlatformRemoteFlags {
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
  return dispatch(
    deps,
    flags,
    async (runtime) => local(asActor(runtime.ctx, await adminActorOf(runtime.ctx, flags.org))),
    async (api) => {
      if (flags.org !== undefined)
        throw new InputError('--org works on the local database only; with --url the token says who you are', [
          { pointer: '--org', detail: 'is local only' },
        ]);
      return remote(api);
    },
  );
}
