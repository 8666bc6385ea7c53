import {
  ApiClient,
  emit,
  remoteOptions,
  withRemoteOptions,
  type CommandDeps,
  type LocalRuntime,
  type RemoteOptions,
} from '../../../platform/cli/index.js';
import type { Command } from 'commander';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../../platform/errors.js';

/** What the frontier commands share: local-or-remote dispatch, byte uploads, option parsing. */

export interface Flags {
  url?: string;
  token?: string;
  json?: boolean;
}

/** A command with `--url`/`--token` and `--json`. */
export function remoteCommand(parent: Command, name: string, description: string): Command {
  return withRemoteOptions(parent.command(name).description(description)).option('--json', 'print JSON');
}

/** Runs on the configured database (as the local operator), or against `--url` as the token's user. */
export async function dispatch<T>(
  deps: CommandDeps,
  flags: Flags,
  local: (rt: LocalRuntime) => Promise<T>,
  remote: (api: ApiClient, target: RemoteOptions) => Promise<T>,
): Promise<T> {
  const target = remoteOptions(flags, deps.env);
  if (target !== null) return remote(new ApiClient(target), target);
  const runtime = await deps.openLocal();
  try {
    return await local(runtime);
  } finally {
    await runtime.close();
  }
}

/** {@link dispatch}, then prints the result: JSON with `--json`, else the human rendering. */
export async function respond<T>(
  deps: CommandDeps,
  flags: Flags,
  local: (rt: LocalRuntime) => Promise<T>,
  remote: (api: ApiClient, target: RemoteOptions) => Promise<T>,
  human: (value: T) => string,
): Promise<void> {
  emit(deps.output, flags.json, await dispatch(deps, flags, local, remote), human);
}

/**
 * POSTs raw bytes (an Inspect log, review material): the API client speaks JSON only. Problem answers
 * become the same typed errors as everywhere else, so exit codes agree.
 */
export async function postBytes<T>(target: RemoteOptions, path: string, bytes: Uint8Array): Promise<T> {
  const url = `${target.url.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
  } catch (error) {
    throw new Error(`cannot reach ${target.url}: ${(error as Error).message}`, { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as {
    detail?: string;
    code?: string;
    errors?: { pointer: string; detail: string }[];
  };
  if (response.ok) return body as T;
  const detail = body.detail ?? `HTTP ${response.status}`;
  const errors: Record<number, () => Error> = {
    400: () => new InputError(detail, body.errors ?? []),
    401: () => new AuthenticationError(detail),
    403: () => new NotAllowedError(detail),
    404: () => new NotFoundError(detail),
    409: () => new ConflictError(detail, { code: body.code ?? 'conflict' }),
    413: () => new PayloadTooLargeError(detail, 0),
    415: () => new UnsupportedMediaTypeError(detail),
    422: () => new InputError(detail, body.errors ?? [], { code: 'unprocessable' }),
  };
  throw (errors[response.status] ?? (() => new Error(`the server answered ${response.status}: ${detail}`)))();
}

export function wholeNumber(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value))
      throw new InputError(`${name} must be a whole number, got "${value}"`, [{ pointer: name, detail: 'must be a whole number' }]);
    return Number(value);
  };
}

export function finiteNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InputError(`${name} must be a number, got "${value}"`, [{ pointer: name, detail: 'must be a number' }]);
    return n;
  };
}

export function yesNo(name: string) {
  return (value: string): boolean => {
    if (/^(yes|true)$/i.test(value)) return true;
    if (/^(no|false)$/i.test(value)) return false;
    throw new InputError(`${name} must be yes or no, got "${value}"`, [{ pointer: name, detail: 'must be yes or no' }]);
  };
}

export const enc = encodeURIComponent;
