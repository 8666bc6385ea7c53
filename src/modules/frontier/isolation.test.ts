import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { GRANT_TERM_KEYS } from './domain/grant-rules.js';
import { agreementTerms } from './test-support/agreements-matrix.js';
import { inspectJsonLog } from './test-support/eval-archive.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Lab A's whole program: a model under review, two grantees, evaluations, findings, a selected partner, material. */
interface World {
  readonly labA: TestUser;
  readonly labB: TestUser;
  readonly agency: TestUser;
  readonly partner: TestUser;
  readonly ids: Record<
    'model' | 'review' | 'agencyGrant' | 'partnerGrant' | 'evaluation' | 'risk' | 'vuln' | 'nomination' | 'material' | 'agreement',
    string
  >;
}

async function ok<T>(promise: Promise<{ status: number; body: unknown }>, status = 200): Promise<T> {
  const response = await promise;
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as T;
}

const id = (body: unknown) => (body as { id: string }).id;

async function buildWorld(s: TestServer): Promise<World> {
  const labA = await s.org('model_developer');
  const labB = await s.org('model_developer');
  const agency = await s.org('agency');
  const partner = await s.org('operator', { sectors: ['water'] });
  const model = id(
    await ok(s.call(labA, 'POST', '/api/v1/frontier/models', { name: 'Atlas', version: '3', plannedRelease: '2026-09-01' }), 201),
  );
  const review = id(
    await ok(s.call(labA, 'POST', '/api/v1/frontier/reviews', { modelId: model, accessStart: '2026-06-02T12:00:00Z', days: 30 }), 201),
  );
  const agencyGrant = id(
    await ok(
      s.call(labA, 'POST', `/api/v1/frontier/reviews/${review}/grants`, {
        granteeOrgId: agency.orgId,
        scope: 'hosted_api',
        expiresAt: '2026-07-01T00:00:00Z',
      }),
      201,
    ),
  );
  await ok(s.call(agency, 'POST', `/api/v1/frontier/grants/${agencyGrant}/acknowledge`, { terms: GRANT_TERM_KEYS }));
  const nomination = id(
    await ok(
      s.call(labA, 'POST', `/api/v1/frontier/models/${model}/partners`, {
        candidateOrgId: partner.orgId,
        rationale: 'water utility',
        vettingCompleted: true,
        incidentResponseCapacity: 'basic',
      }),
      201,
    ),
  );
  await ok(s.call(labA, 'POST', `/api/v1/frontier/partners/${nomination}/approve`, {}));
  await ok(s.call(agency, 'POST', `/api/v1/frontier/partners/${nomination}/approve`));
  const partnerGrant = id((await ok<{ items: unknown[] }>(s.call(partner, 'GET', '/api/v1/frontier/grants'))).items[0]);
  await ok(s.call(partner, 'POST', `/api/v1/frontier/grants/${partnerGrant}/acknowledge`, { terms: GRANT_TERM_KEYS }));
  await ok(s.call(partner, 'POST', `/api/v1/frontier/grants/${partnerGrant}/uses`, { description: 'sandbox session' }), 201);
  const evaluation = id(
    await ok(
      s.call(agency, 'POST', `/api/v1/frontier/reviews/${review}/evaluations/benchmarks`, {
        results: [{ benchmark: 'Cybench', metric: 'accuracy', value: 0.2 }],
      }),
      201,
    ),
  );
  const risk = id(
    await ok(
      s.call(agency, 'POST', `/api/v1/frontier/reviews/${review}/risk-findings`, { title: 'r', severity: 'low', description: 'd' }),
      201,
    ),
  );
  const vuln = id(
    await ok(
      s.call(agency, 'POST', `/api/v1/frontier/reviews/${review}/vulnerabilities`, { title: 'v', description: 'd', tlp: 'AMBER+STRICT' }),
      201,
    ),
  );
  const upload = await s.app.inject({
    method: 'POST',
    url: `/api/v1/frontier/reviews/${review}/materials?name=card.md`,
    headers: { authorization: `Bearer ${labA.token}`, 'content-type': 'text/markdown' },
    payload: '# card',
  });
  const material = id(upload.json());
  const agreement = id(
    await ok(s.call(labA, 'POST', '/api/v1/frontier/agreements', { counterpartyOrgId: agency.orgId, terms: agreementTerms('lab A') }), 201),
  );
  return {
    labA,
    labB,
    agency,
    partner,
    ids: { model, review, agencyGrant, partnerGrant, evaluation, risk, vuln, nomination, material, agreement },
  };
}

type Expect = 'hidden' | 'forbidden' | 'no-leak';
type Case = (w: World) => { url: string; body?: unknown; expect: Expect };

/**
 * What lab B (an outsider to lab A's program) gets from every frontier route pointed at lab A's records.
 * Keyed as OpenAPI names the routes; the test fails when a route is added without a case here.
 */
const OUTSIDER: Record<string, Case> = {
  'POST /api/v1/frontier/models': () => ({
    url: '/api/v1/frontier/models',
    body: { name: 'Rival', version: '1', plannedRelease: '2026-10-01' },
    expect: 'no-leak',
  }),
  'GET /api/v1/frontier/models': () => ({ url: '/api/v1/frontier/models', expect: 'no-leak' }),
  'GET /api/v1/frontier/models/{id}': (w) => ({ url: `/api/v1/frontier/models/${w.ids.model}`, expect: 'hidden' }),
  'PATCH /api/v1/frontier/models/{id}': (w) => ({
    url: `/api/v1/frontier/models/${w.ids.model}`,
    body: { plannedRelease: '2030-01-01' },
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/models/{id}/determinations': (w) => ({
    url: `/api/v1/frontier/models/${w.ids.model}/determinations`,
    body: { covered: false, assessmentRef: 'x' },
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/models/{id}/determinations': (w) => ({
    url: `/api/v1/frontier/models/${w.ids.model}/determinations`,
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/models/{id}/partners': (w) => ({
    url: `/api/v1/frontier/models/${w.ids.model}/partners`,
    body: { candidateOrgId: w.labB.orgId, rationale: 'me' },
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/models/{id}/partners': (w) => ({ url: `/api/v1/frontier/models/${w.ids.model}/partners`, expect: 'hidden' }),
  'GET /api/v1/frontier/partners/{id}': (w) => ({ url: `/api/v1/frontier/partners/${w.ids.nomination}`, expect: 'hidden' }),
  'POST /api/v1/frontier/partners/{id}/score': (w) => ({ url: `/api/v1/frontier/partners/${w.ids.nomination}/score`, expect: 'hidden' }),
  'POST /api/v1/frontier/partners/{id}/approve': (w) => ({
    url: `/api/v1/frontier/partners/${w.ids.nomination}/approve`,
    body: {},
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/reviews': (w) => ({
    url: '/api/v1/frontier/reviews',
    body: { modelId: w.ids.model, accessStart: '2026-08-01T00:00:00Z', days: 5 },
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/reviews': () => ({ url: '/api/v1/frontier/reviews', expect: 'no-leak' }),
  'GET /api/v1/frontier/reviews/{id}': (w) => ({ url: `/api/v1/frontier/reviews/${w.ids.review}`, expect: 'hidden' }),
  'POST /api/v1/frontier/reviews/{id}/extend': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/extend`,
    body: { additionalDays: 1 },
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/reviews/{id}/end': (w) => ({ url: `/api/v1/frontier/reviews/${w.ids.review}/end`, expect: 'hidden' }),
  'POST /api/v1/frontier/reviews/{id}/withdraw': (w) => ({ url: `/api/v1/frontier/reviews/${w.ids.review}/withdraw`, expect: 'hidden' }),
  'GET /api/v1/frontier/reviews/{id}/timeline': (w) => ({ url: `/api/v1/frontier/reviews/${w.ids.review}/timeline`, expect: 'hidden' }),
  'GET /api/v1/frontier/reviews/{id}/report': (w) => ({ url: `/api/v1/frontier/reviews/${w.ids.review}/report`, expect: 'hidden' }),
  'GET /api/v1/frontier/reviews/{id}/report.html': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/report.html`,
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/reviews/{id}/grants': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/grants`,
    body: { granteeOrgId: w.labB.orgId, scope: 'sandbox', expiresAt: '2026-06-20T00:00:00Z' },
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/reviews/{id}/access-log': (w) => ({ url: `/api/v1/frontier/reviews/${w.ids.review}/access-log`, expect: 'hidden' }),
  'GET /api/v1/frontier/reviews/{id}/materials': (w) => ({ url: `/api/v1/frontier/reviews/${w.ids.review}/materials`, expect: 'hidden' }),
  'GET /api/v1/frontier/reviews/{id}/materials/{materialId}/content': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/materials/${w.ids.material}/content`,
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/reviews/{id}/materials': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/materials?name=x.txt`,
    body: 'planted',
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/reviews/{id}/evaluations/inspect': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/evaluations/inspect`,
    body: inspectJsonLog().toString(),
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/reviews/{id}/evaluations/benchmarks': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/evaluations/benchmarks`,
    body: { results: [{ benchmark: 'x', metric: 'y', value: 1 }] },
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/reviews/{id}/evaluations': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/evaluations`,
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/evaluations/{id}': (w) => ({ url: `/api/v1/frontier/evaluations/${w.ids.evaluation}`, expect: 'hidden' }),
  'POST /api/v1/frontier/reviews/{id}/risk-findings': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/risk-findings`,
    body: { title: 't', severity: 'low', description: 'd' },
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/reviews/{id}/risk-findings': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/risk-findings`,
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/risk-findings/{id}': (w) => ({ url: `/api/v1/frontier/risk-findings/${w.ids.risk}`, expect: 'hidden' }),
  'POST /api/v1/frontier/risk-findings/{id}/status': (w) => ({
    url: `/api/v1/frontier/risk-findings/${w.ids.risk}/status`,
    body: { status: 'disputed' },
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/reviews/{id}/vulnerabilities': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/vulnerabilities`,
    body: { title: 't', description: 'd' },
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/reviews/{id}/vulnerabilities': (w) => ({
    url: `/api/v1/frontier/reviews/${w.ids.review}/vulnerabilities`,
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/vulnerabilities/{id}': (w) => ({ url: `/api/v1/frontier/vulnerabilities/${w.ids.vuln}`, expect: 'hidden' }),
  'GET /api/v1/frontier/grants': () => ({ url: '/api/v1/frontier/grants', expect: 'no-leak' }),
  'GET /api/v1/frontier/grants/{id}': (w) => ({ url: `/api/v1/frontier/grants/${w.ids.agencyGrant}`, expect: 'hidden' }),
  'POST /api/v1/frontier/grants/{id}/acknowledge': (w) => ({
    url: `/api/v1/frontier/grants/${w.ids.partnerGrant}/acknowledge`,
    body: { terms: GRANT_TERM_KEYS },
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/grants/{id}/revoke': (w) => ({ url: `/api/v1/frontier/grants/${w.ids.agencyGrant}/revoke`, expect: 'hidden' }),
  'POST /api/v1/frontier/grants/{id}/uses': (w) => ({
    url: `/api/v1/frontier/grants/${w.ids.partnerGrant}/uses`,
    body: { description: 'x' },
    expect: 'hidden',
  }),
  'GET /api/v1/frontier/grants/{id}/uses': (w) => ({ url: `/api/v1/frontier/grants/${w.ids.partnerGrant}/uses`, expect: 'hidden' }),
  'GET /api/v1/frontier/policy': () => ({ url: '/api/v1/frontier/policy', expect: 'no-leak' }),
  'GET /api/v1/frontier/policy/versions': () => ({ url: '/api/v1/frontier/policy/versions', expect: 'no-leak' }),
  'PUT /api/v1/frontier/policy': () => ({ url: '/api/v1/frontier/policy', body: { document: {}, note: 'mine now' }, expect: 'forbidden' }),
  'GET /api/v1/frontier/metrics': () => ({ url: '/api/v1/frontier/metrics', expect: 'no-leak' }),
  'GET /api/v1/frontier/agreements': () => ({ url: '/api/v1/frontier/agreements', expect: 'no-leak' }),
  'GET /api/v1/frontier/agreements/{id}': (w) => ({ url: `/api/v1/frontier/agreements/${w.ids.agreement}`, expect: 'hidden' }),
  'POST /api/v1/frontier/agreements': (w) => ({
    url: '/api/v1/frontier/agreements',
    body: { counterpartyOrgId: w.agency.orgId, terms: agreementTerms('lab B') },
    expect: 'no-leak',
  }),
  'POST /api/v1/frontier/agreements/{id}/versions': (w) => ({
    url: `/api/v1/frontier/agreements/${w.ids.agreement}/versions`,
    body: { terms: agreementTerms('taken over') },
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/agreements/{id}/sign': (w) => ({
    url: `/api/v1/frontier/agreements/${w.ids.agreement}/sign`,
    body: { version: 1 },
    expect: 'hidden',
  }),
  'POST /api/v1/frontier/agreements/{id}/end': (w) => ({
    url: `/api/v1/frontier/agreements/${w.ids.agreement}/end`,
    body: { reason: 'not mine' },
    expect: 'hidden',
  }),
};

async function frontierOperations(s: TestServer): Promise<string[]> {
  const doc = (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/frontier'))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describeEachDatabase('frontier routes: cross-party isolation', (dialect) => {
  const get = useTestServer(dialect);

  it('keeps one lab from another lab’s models, reviews, partners and everything under them, on every route', async () => {
    const s = get();
    expect(await frontierOperations(s)).toEqual(Object.keys(OUTSIDER).sort());
    const w = await buildWorld(s);
    const secrets = Object.values(w.ids);
    for (const [operation, build] of Object.entries(OUTSIDER)) {
      const method = operation.split(' ')[0] as Method;
      const c = build(w);
      const response = await s.call(w.labB, method, c.url, c.body);
      const text = JSON.stringify(response.body);
      if (c.expect === 'hidden') expect(response.status, operation).toBe(404);
      else if (c.expect === 'forbidden') expect(response.status, operation).toBe(403);
      else expect(response.status, operation).toBeLessThan(300);
      // A 404 may echo the id that was asked for; it must not reveal any other.
      const asked = `${c.url} ${JSON.stringify(c.body ?? '')}`;
      for (const secret of secrets.filter((x) => !asked.includes(x))) expect(text, `${operation} leaks ${secret}`).not.toContain(secret);
    }
    // Nothing of lab A's changed: the review is open, both grants usable, the release date the lab's own.
    expect(await s.call(w.labA, 'GET', `/api/v1/frontier/reviews/${w.ids.review}`)).toMatchObject({ body: { state: 'open', days: 30 } });
    expect(await s.call(w.labA, 'GET', `/api/v1/frontier/models/${w.ids.model}`)).toMatchObject({
      body: { plannedRelease: '2026-09-01', coveredStatus: 'undetermined' },
    });
    const grants = await ok<{ items: { usable: boolean }[] }>(s.call(w.labA, 'GET', `/api/v1/frontier/grants?reviewId=${w.ids.review}`));
    expect(grants.items.map((g) => g.usable)).toEqual([true, true]);
    expect(
      (await ok<{ items: unknown[] }>(s.call(w.labA, 'GET', `/api/v1/frontier/reviews/${w.ids.review}/materials`))).items,
    ).toHaveLength(1);
  });

  it('shows a partner only its own grants, and nothing of the agencies’ work or the partner deliberations', async () => {
    const s = get();
    const w = await buildWorld(s);
    const p = w.partner;
    const grants = await ok<{ items: { id: string }[] }>(s.call(p, 'GET', '/api/v1/frontier/grants'));
    expect(grants.items.map((g) => g.id)).toEqual([w.ids.partnerGrant]);
    expect((await s.call(p, 'GET', `/api/v1/frontier/grants/${w.ids.agencyGrant}`)).status).toBe(404);
    expect((await s.call(p, 'GET', `/api/v1/frontier/grants/${w.ids.agencyGrant}/uses`)).status).toBe(404);
    expect((await ok<{ items: unknown[] }>(s.call(p, 'GET', `/api/v1/frontier/models/${w.ids.model}/partners`))).items).toEqual([]);
    expect((await s.call(p, 'GET', `/api/v1/frontier/partners/${w.ids.nomination}`)).status).toBe(404);
    expect((await ok<{ items: unknown[] }>(s.call(p, 'GET', `/api/v1/frontier/reviews/${w.ids.review}/evaluations`))).items).toEqual([]);
    expect((await s.call(p, 'GET', `/api/v1/frontier/evaluations/${w.ids.evaluation}`)).status).toBe(404);
    expect((await s.call(p, 'GET', `/api/v1/frontier/vulnerabilities/${w.ids.vuln}`)).status).toBe(404);
    expect((await s.call(p, 'GET', `/api/v1/frontier/reviews/${w.ids.review}/report`)).status).toBe(403);
    const timeline = JSON.stringify((await s.call(p, 'GET', `/api/v1/frontier/reviews/${w.ids.review}/timeline`)).body);
    for (const hidden of [w.ids.agencyGrant, w.ids.evaluation, w.ids.risk, w.ids.vuln, w.agency.orgId])
      expect(timeline).not.toContain(hidden);
    expect(timeline).toContain(w.ids.partnerGrant);
    const log = await ok<{ items: { orgId: string }[] }>(s.call(p, 'GET', `/api/v1/frontier/reviews/${w.ids.review}/access-log`));
    expect(log.items.map((e) => e.orgId)).toEqual([p.orgId]);
    // The agency, for its part, does not see the partner's grant.
    expect((await s.call(w.agency, 'GET', `/api/v1/frontier/grants/${w.ids.partnerGrant}`)).status).toBe(404);
  });
});
