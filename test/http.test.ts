import { describe, expect, it } from 'vitest';
import { useTestServer } from '#test-support/http.js';

describe('HTTP conventions', () => {
  const get = useTestServer('sqlite', { CLEARINGHOUSE_BODY_LIMIT: '2k', CLEARINGHOUSE_RATE_LIMIT: '30' });

  it('reports health and readiness', async () => {
    const { call } = get();
    expect((await call(null, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect(await call(null, 'GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('answers a schema violation with 400 problem+json naming each field by JSON pointer', async () => {
    const { call, coordinatorAdmin } = get();
    const response = await call(coordinatorAdmin, 'POST', '/api/v1/orgs', { name: 'Acme', kind: 'bank' });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.problem).toMatchObject({ type: 'urn:clearinghouse:problem:invalid-input', code: 'invalid-input', status: 400 });
    expect(response.problem.errors).toEqual([{ pointer: '/body/kind', detail: expect.stringContaining('coordinator, agency') }]);

    const extra = await call(coordinatorAdmin, 'POST', '/api/v1/orgs', { name: 'Acme', kind: 'vendor', colour: 'red' });
    expect(extra.problem.errors).toEqual([{ pointer: '/body/colour', detail: 'is not an allowed property' }]);
    const missing = await call(coordinatorAdmin, 'POST', '/api/v1/orgs', { kind: 'vendor' });
    expect(missing.problem.errors?.[0]?.pointer).toBe('/body/name');
  });

  it('answers malformed JSON with 400, an oversized body with 413 and a foreign media type with 415, changing nothing', async () => {
    const { app, coordinatorAdmin, call } = get();
    const headers = { authorization: `Bearer ${coordinatorAdmin.token}` };
    const before = ((await call(coordinatorAdmin, 'GET', '/api/v1/orgs')).body as { items: unknown[] }).items.length;

    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'malformed-json' });

    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(4096), kind: 'vendor' }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toContain('application/problem+json');
    expect(big.json()).toMatchObject({ code: 'payload-too-large' });

    const xml = await app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { ...headers, 'content-type': 'application/xml' },
      payload: '<org/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ code: 'unsupported-media-type' });

    const after = ((await call(coordinatorAdmin, 'GET', '/api/v1/orgs')).body as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const { call } = get();
    const response = await call(null, 'GET', '/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.problem.code).toBe('not-found');
  });

  it('rate-limits per token with 429 and Retry-After', async () => {
    const { call, org } = get();
    const noisy = await org('researcher');
    const quiet = await org('researcher');
    let limited;
    for (let i = 0; i < 40 && !limited; i++) {
      const response = await call(noisy, 'GET', '/api/v1/me');
      if (response.status === 429) limited = response;
    }
    expect(limited).toBeDefined();
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited?.problem.code).toBe('rate-limited');
    expect((await call(quiet, 'GET', '/api/v1/me')).status).toBe(200);
  });

  it('publishes OpenAPI 3.1 with every route and renders it at /api/docs', async () => {
    const { call } = get();
    const spec = (await call(null, 'GET', '/api/openapi.json')).body as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    for (const route of [
      '/api/v1/orgs',
      '/api/v1/orgs/{id}/users',
      '/api/v1/tokens',
      '/api/v1/tokens/{id}',
      '/api/v1/me',
      '/api/v1/audit',
    ]) {
      expect(Object.keys(spec.paths)).toContain(route);
    }
    const docs = await get().app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});
