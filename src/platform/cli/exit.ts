import { ConfigError, InputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad input and usage → 2; everything else (not found, refused, outage, bug) → 1. */
export function exitCodeFor(error: unknown): number {
  if (
    error instanceof InputError ||
    error instanceof ConfigError ||
    error instanceof PayloadTooLargeError ||
    error instanceof UnsupportedMediaTypeError
  ) {
    return EXIT_USAGE;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('commander.')) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** The message a user sees for an error, with each bad field on its own line. */
export function describeError(error: unknown): string {
  if (error instanceof InputError && error.issues.length > 0) {
    return [error.message.split(';')[0] ?? error.message, ...error.issues.map((i) => `  ${i.pointer}: ${i.detail}`)].join('\n');
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
