import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';

/**
 * A JSON body is checked as sent: no type coercion (Ajv's coerceTypes used to turn `null` into `false`,
 * `"30"` into 30 and 12345 into "12345"). The query string and path parameters are text, and are still
 * read as the numbers and booleans their schema names.
 */
describeEachDatabase('strict JSON bodies', (dialect) => {
  const get = useTestServer(dialect);

  it('answers null where a boolean is required with 400 naming the pointer, and stores nothing', async () => {
    const { call, org } = get();
    const operator = await org('operator', { sectors: ['water'] });
    const response = await call(operator, 'POST', '/api/v1/inventory/assets', { name: 'Pump station 4', internetFacing: null });
    expect(response.status).toBe(400);
    expect(response.problem.errors).toEqual([{ pointer: '/body/internetFacing', detail: 'must be boolean' }]);
    const assets = await call(operator, 'GET', '/api/v1/inventory/assets');
    expect((assets.body as { items: unknown[] }).items).toEqual([]);
  });

  it('turns no number into a string and no string into a number', async () => {
    const { call, coordinatorAdmin } = get();
    const name = await call(coordinatorAdmin, 'POST', '/api/v1/orgs', { name: 12345, kind: 'vendor' });
    expect(name.status).toBe(400);
    expect(name.problem.errors).toEqual([{ pointer: '/body/name', detail: 'must be string' }]);
    const days = await call(coordinatorAdmin, 'POST', '/api/v1/tokens', { name: 'ci', expiresInDays: '30' });
    expect(days.status).toBe(400);
    expect(days.problem.errors).toEqual([{ pointer: '/body/expiresInDays', detail: 'must be integer' }]);
    const list = await call(coordinatorAdmin, 'POST', '/api/v1/orgs', { name: 'Listed Vendor', kind: ['vendor'] });
    expect(list.status).toBe(400);
    expect(list.problem.errors?.[0]?.pointer).toBe('/body/kind');
    // The same fields with their proper types are accepted.
    expect((await call(coordinatorAdmin, 'POST', '/api/v1/tokens', { name: 'ci', expiresInDays: 30 })).status).toBe(201);
  });

  it('still reads numbers and booleans from the query string and path', async () => {
    const { call, coordinatorAdmin, org } = get();
    await org('vendor');
    await org('vendor');
    const page = await call(coordinatorAdmin, 'GET', '/api/v1/orgs?limit=1');
    expect(page.status).toBe(200);
    expect((page.body as { items: unknown[] }).items).toHaveLength(1);
    const bad = await call(coordinatorAdmin, 'GET', '/api/v1/orgs?limit=many');
    expect(bad.status).toBe(400);
    expect(bad.problem.errors?.[0]?.pointer).toBe('/querystring/limit');
  });

  it('reads the figure routes’ query as declared: a day that is not a date answers 400 naming it', async () => {
    const { call, coordinatorAdmin } = get();
    for (const url of ['/api/v1/validation/queue/figures?from=2026-13-01', '/api/v1/validation/queue/figures?to=yesterday']) {
      const response = await call(coordinatorAdmin, 'GET', url);
      expect(response.status, url).toBe(400);
      expect(response.problem.errors?.[0]?.pointer, url).toBe(`/querystring/${url.includes('from=') ? 'from' : 'to'}`);
    }
    const ok = await call(coordinatorAdmin, 'GET', '/api/v1/validation/queue/figures?from=2026-06-01&to=2026-06-02');
    expect(ok.status).toBe(200);
  });
});
