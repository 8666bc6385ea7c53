import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import { dueBacklog, enqueueJob, finishJobByKey } from '../src/platform/jobs/index.js';

const LIMIT = 3;

/** The routes that queue background work in bulk; each declares it (QUEUES_BACKGROUND_WORK) where it is registered. */
const BACKGROUND_WORK_ROUTES = [
  'POST /api/v1/submissions',
  'POST /api/v1/inventory/sboms',
  'POST /api/v1/inventory/assets/:id/sboms',
  'POST /api/v1/inventory/advisories',
  'POST /api/v1/inventory/advisories/import',
];

// Admission control: past CLEARINGHOUSE_BACKLOG_LIMIT due background jobs, requests that would queue more are
// refused before anything is accepted (503, Retry-After), and accepted again once the backlog is worked off.
describeEachDatabase('a full background backlog', (dialect) => {
  const get = useTestServer(dialect, { CLEARINGHOUSE_BACKLOG_LIMIT: String(LIMIT), CLEARINGHOUSE_BACKLOG_CHECK_MS: '0' });

  const submission = () =>
    JSON.parse(
      nativeDocument([
        nativeFinding({
          title: 'Heap overflow in the frame parser',
          description: 'A crafted frame overflows the parse buffer.',
          target: { purl: 'pkg:pypi/framelib@1.2.0' },
        }),
      ]).toString('utf8'),
    ) as unknown;
  const stored = async () =>
    Number((await sql<{ n: number | string }>`select count(*) as n from intake_submission`.execute(get().runtime.db.kysely)).rows[0]?.n);

  it('names only routes that exist, and each declares itself admission-controlled (its OpenAPI answers list the 503)', async () => {
    const document = (await get().app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const route of BACKGROUND_WORK_ROUTES) {
      const [method, url] = route.split(' ') as [string, string];
      expect(get().app.hasRoute({ method: method as 'POST', url }), route).toBe(true);
      const operation = document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      expect(Object.keys(operation?.responses ?? {}), route).toContain('503');
    }
  });

  it('refuses new background work with 503 and Retry-After, keeps reads and other writes, and admits it again once worked off', async () => {
    const { runtime, call, org } = get();
    const researcher = await org('researcher', { role: 'analyst' });
    await runtime.jobs.drain();
    const kind = runtime.jobs.kinds[0] as string;
    const fill = Array.from({ length: LIMIT }, (_, i) => `backlog-fill:${i}`);
    for (const dedupKey of fill) await enqueueJob(runtime.db.kysely, runtime.clock, { kind, dedupKey });
    expect(await dueBacklog(runtime.db.kysely, runtime.clock, runtime.jobs.kinds)).toBe(LIMIT);

    const refused = await call(researcher, 'POST', '/api/v1/submissions', submission());
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.problem.code).toBe('backlog-full');
    expect(await stored()).toBe(0);
    const imported = await call(researcher, 'POST', '/api/v1/inventory/advisories/import', { records: [], source: 'test' });
    expect(imported.status).toBe(503);

    expect((await call(researcher, 'GET', '/api/v1/clusters')).status).toBe(200);
    expect((await call(researcher, 'POST', '/api/v1/tokens', { name: 'still allowed' })).status).toBe(201);

    for (const key of fill) await finishJobByKey(runtime.db.kysely, runtime.clock, key);
    const admitted = await call(researcher, 'POST', '/api/v1/submissions', submission());
    expect(admitted.status).toBe(201);
    expect(await stored()).toBe(1);
  });

  it('lists the 503 among the answers of those routes in the API description', async () => {
    const openapi = (await get().call(null, 'GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(openapi.paths['/api/v1/submissions']?.post?.responses ?? {})).toContain('503');
    expect(Object.keys(openapi.paths['/api/v1/clusters']?.get?.responses ?? {})).not.toContain('503');
  });
});
