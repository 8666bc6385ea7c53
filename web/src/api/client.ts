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

/** The data of an answer, or an ApiProblem with the server's own words. */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const problem = result.error as { detail?: string; title?: string } | undefined;
    throw new ApiProblem(result.response.status, problem?.detail ?? problem?.title ?? `the server answered ${result.response.status}`);
  }
  return result.data;
}

/**
 * Uploads a file as a multipart form to an operation whose body is a document rather than JSON (the OpenAPI
 * document describes its query and answer, not the bytes): with the session's CSRF token like every change.
 */
export async function upload<T>(path: string, file: File, query: Record<string, string>): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  const headers: Record<string, string> = csrfToken === null ? {} : { 'x-csrf-token': csrfToken };
  const response = await fetch(`${path}?${new URLSearchParams(query).toString()}`, {
    method: 'POST',
    body: form,
    headers,
    credentials: 'same-origin',
  });
  const body = (await response.json()) as unknown;
  if (!response.ok) {
    const problem = body as { detail?: string; title?: string };
    throw new ApiProblem(response.status, problem.detail ?? problem.title ?? `the server answered ${response.status}`);
  }
  return body as T;
}

/** Uploads a file as the raw request body (routes that store the bytes as received), with the CSRF token. */
export async function uploadRaw<T>(path: string, file: File, query: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { 'content-type': file.type || 'application/octet-stream' };
  if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`${path}?${new URLSearchParams(query).toString()}`, {
    method: 'POST',
    body: file,
    headers,
    credentials: 'same-origin',
  });
  const body = (await response.json()) as unknown;
  if (!response.ok) {
    const problem = body as { detail?: string; title?: string };
    throw new ApiProblem(response.status, problem.detail ?? problem.title ?? `the server answered ${response.status}`);
  }
  return body as T;
}
