import { ConfigError, InputError, PayloadTooLargeError, UnsupportedMediaTypeError, type FieldIssue } from '../errors.js';

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

/**
 * The issues of an error to list under its first line, each as `pointer: detail` (the detail alone for the
 * whole input) — without the one that line already says (rejectInput appends the issues to its summary).
 */
export function issueLines(headline: string, issues: readonly FieldIssue[]): string[] {
  const lines = issues.map((i) => (i.pointer === '' ? i.detail : `${i.pointer}: ${i.detail}`));
  return lines.filter((line, n) => !(n === 0 && headline.endsWith(line)));
}

/** The message a user sees for an error: its first line, then each bad field on its own line. */
export function describeError(error: unknown): string {
  if (error instanceof InputError && error.issues.length > 0) {
    const headline = error.message.split(';')[0] ?? error.message;
    return [headline, ...issueLines(headline, error.issues).map((line) => `  ${line}`)].join('\n');
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
