/**
 * Typed errors with no transport in them. Only the HTTP error handler (platform/http/problem.ts) and the
 * CLI (platform/cli/exit.ts) map them, by `instanceof`, to status codes and exit codes.
 */

/** One offending field: a JSON pointer into the input and the rule it broke. */
export interface FieldIssue {
  readonly pointer: string;
  readonly detail: string;
}

abstract class ClearinghouseError extends Error {
  /** Stable machine code, used as the problem `type` suffix; never changes once published. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input broke a rule: a field is missing, malformed or out of range. */
export class InputError extends ClearinghouseError {
  readonly code: string;
  readonly issues: readonly FieldIssue[];

  constructor(message: string, issues: readonly FieldIssue[] = [], options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.code = options?.code ?? 'invalid-input';
    this.issues = issues;
  }
}

/** The input is larger than the limit allows. */
export class PayloadTooLargeError extends ClearinghouseError {
  readonly code = 'payload-too-large';
  constructor(
    message: string,
    readonly limitBytes: number,
  ) {
    super(message);
  }
}

/** The input's media type or format is not one we read. */
export class UnsupportedMediaTypeError extends ClearinghouseError {
  readonly code = 'unsupported-media-type';
}

/** No credentials, or credentials that are unknown, expired or revoked. */
export class AuthenticationError extends ClearinghouseError {
  readonly code = 'unauthenticated';
}

/**
 * The actor may see the record but may not do this to it. Records the actor may not see raise
 * {@link NotFoundError} instead, so their existence does not leak.
 */
export class NotAllowedError extends ClearinghouseError {
  readonly code = 'not-allowed';
}

export class NotFoundError extends ClearinghouseError {
  readonly code = 'not-found';
}

/** The request is well formed but conflicts with the current state (a duplicate name, an illegal transition). */
export class ConflictError extends ClearinghouseError {
  readonly code: string;
  /**
   * What a caller needs to act on the conflict, beyond the message (RFC 9457 extension members): who holds a
   * lease and until when, which rule of which asset refused a campaign. Never names a record the caller may
   * not see.
   */
  readonly extensions: Readonly<Record<string, unknown>>;
  constructor(message: string, options?: { cause?: unknown; code?: string; extensions?: Readonly<Record<string, unknown>> }) {
    super(message, options);
    this.code = options?.code ?? 'conflict';
    this.extensions = options?.extensions ?? {};
  }
}

/**
 * A write broke a unique key that the use case did not answer itself (its own check passed, then a
 * concurrent request stored the same key first). Names the key's fields, never their values.
 */
export class DuplicateKeyError extends ConflictError {
  constructor(
    message: string,
    readonly fields: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, { ...options, code: 'duplicate-key' });
  }
}

/** Too many requests; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends ClearinghouseError {
  readonly code = 'rate-limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * A service the request needs (the database) does not answer now: the request changed nothing that was
 * acknowledged and may be sent again after `retryAfterSeconds`.
 */
export class UnavailableError extends ClearinghouseError {
  readonly code: string;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options);
    this.code = options?.code ?? 'unavailable';
  }
}

/** A configuration value is missing or malformed; names the variable. */
export class ConfigError extends ClearinghouseError {
  readonly code = 'bad-configuration';
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
  }
}

export type KnownError =
  | InputError
  | PayloadTooLargeError
  | UnsupportedMediaTypeError
  | AuthenticationError
  | NotAllowedError
  | NotFoundError
  | ConflictError
  | RateLimitedError
  | UnavailableError
  | ConfigError;

export function isKnownError(error: unknown): error is KnownError {
  return error instanceof ClearinghouseError;
}
