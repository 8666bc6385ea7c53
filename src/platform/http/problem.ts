import { randomUUID } from 'node:crypto';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  isKnownError,
  type FieldIssue,
} from '../errors.js';

/** RFC 9457 problem details, as every error response of the API carries them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Stable machine code, also the last segment of `type`. */
  code: string;
  /** For validation errors: each bad field as a JSON pointer into the request, with the rule it broke. */
  errors?: FieldIssue[];
  /** For 500s: the id under which the cause was logged. */
  logId?: string;
  /** Extension members of a conflict (ConflictError.extensions), e.g. a lease's holder and expiry. */
  [extension: string]: unknown;
}

export interface ProblemResponse {
  readonly status: number;
  readonly problem: Problem;
  readonly headers: Readonly<Record<string, string>>;
  /** The original error, to be logged, when it was not one of ours (a bug or an outage). */
  readonly unexpected?: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `urn:clearinghouse:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extra };
}

/** Fastify's own errors (schema validation, content-type parsing, body size) carry these fields. */
interface FrameworkError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[];
  validationContext?: string;
}

function fieldIssues(error: FrameworkError): FieldIssue[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const missing = v.keyword === 'required' && typeof v.params.missingProperty === 'string' ? `/${v.params.missingProperty}` : '';
    const extra =
      v.keyword === 'additionalProperties' && typeof v.params.additionalProperty === 'string' ? `/${v.params.additionalProperty}` : '';
    let detail = v.message ?? v.keyword;
    if (v.keyword === 'additionalProperties') detail = 'is not an allowed property';
    if (v.keyword === 'enum' && Array.isArray(v.params.allowedValues)) detail = `must be one of ${v.params.allowedValues.join(', ')}`;
    return { pointer: `/${context}${v.instancePath}${missing}${extra}`, detail };
  });
}

function statusOf(error: unknown): number {
  if (error instanceof InputError) return error.code === 'unprocessable' ? 422 : 400;
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof UnsupportedMediaTypeError) return 415;
  if (error instanceof AuthenticationError) return 401;
  if (error instanceof NotAllowedError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof UnavailableError) return 503;
  return 500;
}

/** Maps any thrown value to the response the API sends. Unknown errors become an opaque 500 with a log id. */
export function toProblemResponse(error: unknown, instance?: string): ProblemResponse {
  const at = instance === undefined ? {} : { instance };
  if (isKnownError(error)) {
    const status = statusOf(error);
    const headers: Record<string, string> = {};
    const extra: Partial<Problem> = { ...at };
    if (error instanceof InputError && error.issues.length > 0) extra.errors = [...error.issues];
    if (error instanceof RateLimitedError || error instanceof UnavailableError) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error instanceof AuthenticationError) headers['www-authenticate'] = 'Bearer realm="clearinghouse"';
    if (status !== 500) {
      // Extension members never replace the standard ones.
      const extensions = error instanceof ConflictError ? error.extensions : {};
      return { status, problem: { ...extensions, ...problem(status, error.code, error.message, extra) }, headers };
    }
  }
  const framework = error as FrameworkError;
  if (framework !== null && typeof framework === 'object' && typeof framework.message === 'string') {
    if (Array.isArray(framework.validation)) {
      const errors = fieldIssues(framework);
      const summary = errors.map((e) => `${e.pointer} ${e.detail}`).join('; ');
      return { status: 400, problem: problem(400, 'invalid-input', `The request is invalid: ${summary}`, { ...at, errors }), headers: {} };
    }
    const code = framework.code ?? '';
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return {
        status: 413,
        problem: problem(413, 'payload-too-large', 'The request body is larger than this server accepts', at),
        headers: {},
      };
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return { status: 415, problem: problem(415, 'unsupported-media-type', framework.message, at), headers: {} };
    }
    const status = framework.statusCode;
    if (code.startsWith('FST_') && typeof status === 'number' && status >= 400 && status < 500) {
      const mapped =
        code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(framework.message)
          ? 'malformed-json'
          : code
              .toLowerCase()
              .replace(/^fst_err_/, '')
              .replace(/_/g, '-');
      return { status, problem: problem(status, mapped, framework.message, at), headers: {} };
    }
    if (error instanceof SyntaxError && status === 400) {
      return { status: 400, problem: problem(400, 'malformed-json', `The body is not valid JSON: ${framework.message}`, at), headers: {} };
    }
  }
  const logId = randomUUID();
  return {
    status: 500,
    problem: problem(500, 'internal', `An unexpected error occurred; it was logged with id ${logId}`, { ...at, logId }),
    headers: {},
    unexpected: error,
  };
}
