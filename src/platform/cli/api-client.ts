import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnsupportedMediaTypeError,
  type FieldIssue,
} from '../errors.js';

export interface RemoteOptions {
  readonly url: string;
  readonly token: string;
}

interface ProblemBody {
  detail?: string;
  code?: string;
  errors?: FieldIssue[];
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors', 'logId']);

/** A problem's extension members (RFC 9457 §3.2), as a ConflictError carries them. */
function extensionsOf(body: ProblemBody): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !STANDARD_MEMBERS.has(key)));
}

function toError(status: number, body: ProblemBody, headers: Headers): Error {
  const detail = body.detail ?? `HTTP ${status}`;
  switch (status) {
    case 400:
    case 422:
      return new InputError(detail, body.errors ?? [], { code: body.code ?? 'invalid-input' });
    case 401:
      return new AuthenticationError(detail);
    case 403:
      return new NotAllowedError(detail);
    case 404:
      return new NotFoundError(detail);
    case 409:
      return new ConflictError(detail, { code: body.code ?? 'conflict', extensions: extensionsOf(body) });
    case 413:
      return new PayloadTooLargeError(detail, 0);
    case 415:
      return new UnsupportedMediaTypeError(detail);
    case 429:
      return new RateLimitedError(detail, Number(headers.get('retry-after') ?? '60'));
    default:
      return new Error(`the server answered ${status}: ${detail}`);
  }
}

/**
 * A small client for the server's API, used by CLI commands given `--url` and `--token`. Errors come
 * back as the same typed errors the local commands throw, so exit codes agree.
 */
export class ApiClient {
  readonly #base: string;
  readonly #token: string;

  constructor(options: RemoteOptions) {
    this.#base = options.url.replace(/\/+$/, '');
    this.#token = options.token;
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.#base}${path}`, init);
    } catch (error) {
      throw new Error(`cannot reach ${this.#base}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Sends `body` as JSON, or as raw bytes with `contentType` when it is a Uint8Array. */
  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const raw = body instanceof Uint8Array;
    const response = await this.#fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': raw ? contentType : 'application/json' }),
      },
      body: body === undefined ? null : raw ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    if (!response.ok) throw toError(response.status, (parsed ?? {}) as ProblemBody, response.headers);
    return parsed as T;
  }

  /** The body of a GET as the server sent it, byte for byte (a signed document whose hash must hold). */
  async bytes(path: string): Promise<Buffer> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, { headers: { authorization: `Bearer ${this.#token}` } });
    } catch (error) {
      throw new Error(`cannot reach ${this.#base}: ${(error as Error).message}`, { cause: error });
    }
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) {
      let problem: ProblemBody = {};
      try {
        problem = JSON.parse(body.toString('utf8')) as ProblemBody;
      } catch {
        // not a problem document: the status says enough
      }
      throw toError(response.status, problem, response.headers);
    }
    return body;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** A GET whose answer is a file (CSV, a STIX bundle) rather than JSON to parse: its text as sent. */
  async getText(path: string): Promise<string> {
    const response = await this.#fetch(path, { headers: { authorization: `Bearer ${this.#token}` } });
    const text = await response.text();
    if (!response.ok) throw toError(response.status, (text === '' ? {} : JSON.parse(text)) as ProblemBody, response.headers);
    return text;
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}
