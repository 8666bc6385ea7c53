import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every change (the server refuses cookie changes without it). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method) && csrfToken !== null) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

/** The public API, typed from its OpenAPI document; the session cookie authenticates. */
export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' });
api.use(csrf);

/** A problem+json answer, as an Error the pages can show. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** The server's own words for a failed answer: the problem's detail, else its title, else the status. */
function problemOf(status: number, problem: { detail?: string; title?: string } | undefined): ApiProblem {
  return new ApiProblem(status, problem?.detail ?? problem?.title ?? `the server answered ${status}`);
}

/** The data of an answer, or an ApiProblem with the server's own words. */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    throw problemOf(result.response.status, result.error as { detail?: string; title?: string } | undefined);
  }
  return result.data;
}

/**
 * Posts a file to an operation whose body is a document rather than JSON (the OpenAPI document describes its
 * query and answer, not the bytes), with the session's CSRF token like every change.
 */
async function postFile<T>(path: string, query: Record<string, string>, body: BodyInit, headers: Record<string, string>): Promise<T> {
  if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`${path}?${new URLSearchParams(query).toString()}`, {
    method: 'POST',
    body,
    headers,
    credentials: 'same-origin',
  });
  const answer = (await response.json()) as unknown;
  if (!response.ok) throw problemOf(response.status, answer as { detail?: string; title?: string });
  return answer as T;
}

/** Uploads a file as a multipart form (the `file` field). */
export function upload<T>(path: string, file: File, query: Record<string, string>): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postFile(path, query, form, {});
}

/** Uploads a file as the raw request body (routes that store the bytes as received). */
export function uploadRaw<T>(path: string, file: File, query: Record<string, string>): Promise<T> {
  return postFile(path, query, file, { 'content-type': file.type || 'application/octet-stream' });
}
