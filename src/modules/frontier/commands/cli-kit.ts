import type { RemoteOptions } from '../../../platform/cli/index.js';
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

/** The platform's local-or-remote kit, under the names the frontier commands use. */
export { dispatch, remoteCommand, respond, type RemoteFlags as Flags } from '../../../platform/cli/index.js';

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
