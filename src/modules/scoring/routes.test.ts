import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { DEFAULT_PRIORITIZATION_POLICY } from './domain/prioritization-policy.js';
import { prioritize } from './service/decisions.js';
import { importKevCatalog } from './service/kev-import.js';
import { kevCatalogJson, subject } from './test-support/feeds.js';

describeEachDatabase('scoring API', (dialect) => {
  const get = useTestServer(dialect);

  it('serves a decision with its explanation to the coordinator, and 404 to other parties', async () => {
    const { system, call, coordinatorAdmin, org } = get();
    await importKevCatalog(system, {
      data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-1000' }]),
      source: 'kev.json',
    });
    await prioritize(system, subject('clu_api', { cveIds: ['CVE-2026-1000'] }));
    const ok = await call(coordinatorAdmin, 'GET', '/api/v1/scoring/decisions/clu_api');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      subjectId: 'clu_api',
      outcome: 'act',
      explanation: {
        inputs: {
          exploitation: { value: 'active', source: { kind: 'kev', catalogVersion: '2026.06.01' } },
          missionWellbeing: { source: { kind: 'exposure' } },
        },
        decision: { row: { index: 35, inputs: { exploitation: 'active' } } },
      },
      supplier: { outcome: 'immediate', explanation: { inputs: { valueDensity: { value: 'concentrated' } } } },
    });
    expect((await call(coordinatorAdmin, 'GET', '/api/v1/scoring/decisions/clu_api/history')).body).toMatchObject({
      items: [{ revision: 1, outcome: 'act' }],
      nextCursor: null,
    });
    for (const kind of ['operator', 'vendor', 'agency'] as const) {
      const other = await org(kind);
      expect((await call(other, 'GET', '/api/v1/scoring/decisions/clu_api')).status).toBe(404);
      expect((await call(other, 'GET', '/api/v1/scoring/decisions/clu_api/history')).status).toBe(404);
    }
    expect((await call(null, 'GET', '/api/v1/scoring/decisions/clu_api')).status).toBe(401);
    expect((await call(coordinatorAdmin, 'GET', '/api/v1/scoring/decisions/clu_missing')).status).toBe(404);
  });

  it('lets anyone signed in read the policy and only coordinator admins change it', async () => {
    const { call, coordinatorAdmin, org, user } = get();
    const operator = await org('operator');
    const read = await call(operator, 'GET', '/api/v1/scoring/policy');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      revision: 1,
      version: 'default-1',
      policy: { vendorFixDays: { act: 2, attend: 14, 'track*': 30, track: 90 } },
    });
    const { version: _version, ...body } = DEFAULT_PRIORITIZATION_POLICY;
    const policy = { ...body, vendorFixDays: { act: 1, attend: 14, 'track*': 30, track: 90 } };
    expect((await call(operator, 'PUT', '/api/v1/scoring/policy', { policy })).status).toBe(403);
    expect((await call(await user(coordinatorAdmin.orgId, 'analyst'), 'PUT', '/api/v1/scoring/policy', { policy })).status).toBe(403);
    const bad = await call(coordinatorAdmin, 'PUT', '/api/v1/scoring/policy', { policy: { ...policy, vendorFixDays: { act: 'soon' } } });
    expect(bad.status).toBe(400);
    expect(bad.problem.errors?.[0]?.pointer).toMatch(/^\/body\/policy\/vendorFixDays/);
    const late = await call(coordinatorAdmin, 'PUT', '/api/v1/scoring/policy', {
      policy: { ...policy, vendorFixDays: { act: 50, attend: 14, 'track*': 30, track: 90 } },
    });
    expect(late.status).toBe(400);
    expect(late.problem.errors).toEqual([{ pointer: '/policy/vendorFixDays/act', detail: 'must not be later than attend (14)' }]);
    const saved = await call(coordinatorAdmin, 'PUT', '/api/v1/scoring/policy', { policy, note: 'faster' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ revision: 2, version: 'r2', note: 'faster', policy: { vendorFixDays: { act: 1 } } });
    expect((await call(coordinatorAdmin, 'PUT', '/api/v1/scoring/policy', { policy: { ...policy, version: 'r2' } })).status).toBe(409);
    expect((await call(operator, 'GET', '/api/v1/scoring/policy/versions')).body).toMatchObject({
      items: [{ revision: 2 }, { revision: 1 }],
    });
  });

  it('reports the feeds and lets coordinator admins set where they are refreshed from', async () => {
    const { system, call, coordinatorAdmin, org } = get();
    await importKevCatalog(system, {
      data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-1000' }]),
      source: 'kev.json',
    });
    const vendor = await org('vendor');
    const status = await call(vendor, 'GET', '/api/v1/scoring/feeds');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      kev: { catalogVersion: '2026.06.01', entries: 1, lastImport: { added: ['CVE-2026-1000'] }, source: null },
      epss: { latestScoreDate: null, cvesScored: 0 },
    });
    expect((await call(vendor, 'GET', '/api/v1/scoring/feeds/kev/imports')).body).toMatchObject({
      items: [{ catalogVersion: '2026.06.01' }],
    });
    expect((await call(vendor, 'GET', '/api/v1/scoring/feeds/nvd/imports')).status).toBe(400);
    const source = { url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json', everyHours: 12 };
    expect((await call(vendor, 'PUT', '/api/v1/scoring/feeds/kev/source', source)).status).toBe(403);
    expect((await call(coordinatorAdmin, 'PUT', '/api/v1/scoring/feeds/kev/source', { url: 'ftp://example.org/kev.json' })).status).toBe(
      400,
    );
    const saved = await call(coordinatorAdmin, 'PUT', '/api/v1/scoring/feeds/kev/source', source);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ url: source.url, enabled: true, everyHours: 12, lastAttemptAt: null });
    expect((await call(vendor, 'GET', '/api/v1/scoring/feeds')).body).toMatchObject({ kev: { source: { url: source.url } } });
  });
});
