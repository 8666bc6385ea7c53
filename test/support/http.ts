import { afterEach, beforeEach, expect } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import type { HttpApp, ResponseDrift } from '../../src/platform/http/index.js';
import type { Dialect } from './databases.js';
import { createTestRuntime, type TestRuntime, type TestUser } from './runtime.js';

export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: unknown;
  /** The body as a problem document (for 4xx/5xx). */
  readonly problem: { type: string; code: string; status: number; detail: string; errors?: { pointer: string; detail: string }[] };
}

export interface TestServer extends TestRuntime {
  readonly app: HttpApp;
  call(
    who: TestUser | string | null,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<TestResponse>;
}

/** A test runtime with the real HTTP server in front of it, driven in-process with `inject`. */
export function useTestServer(dialect: Dialect, env: Record<string, string> = {}): () => TestServer {
  let current: TestServer | undefined;
  let drifts: ResponseDrift[] = [];
  beforeEach(async () => {
    const t = await createTestRuntime(dialect, env);
    drifts = [];
    // Every JSON answer — a success, and a problem with its extension members — is held to its response schema
    // for its status: a member the schema lacks would vanish from the API.
    const app = await buildServer(t.runtime, {
      onResponseDrift: (drift) => drift.problems.length > 0 && drifts.push(drift),
    });
    current = {
      ...t,
      app,
      async call(who, method, url, body) {
        const token = who === null ? null : typeof who === 'string' ? who : who.token;
        const response = await app.inject({
          method,
          url,
          headers: {
            ...(token === null ? {} : { authorization: `Bearer ${token}` }),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          payload: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = response.body;
        let parsed: unknown = text;
        try {
          parsed = text === '' ? null : JSON.parse(text);
        } catch {
          // not JSON: leave as text
        }
        return { status: response.statusCode, headers: response.headers, body: parsed, problem: parsed as TestResponse['problem'] };
      },
    };
  });
  afterEach(async () => {
    if (current) {
      await current.app.close();
      await current.runtime.close();
      await current.database.drop();
      current = undefined;
    }
    expect(drifts, 'answers whose fields differ from their response schema').toEqual([]);
  });
  return () => {
    if (!current) throw new Error('the test server exists only inside a test');
    return current;
  };
}
