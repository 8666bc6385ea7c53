import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { submitDocument } from '../intake/index.js';
import { distinctFinding, findingsDocument } from '../validation/test-support/scene.js';
import { DEFAULT_RETENTION_TABLE } from './domain/retention-table.js';
import { tlpMarkingId } from './domain/sharing/tlp-markings.js';

const GREEN = '/taxii2/api/collections/tlp-green';
// TAXII 2.1's media type; Fastify writes the parameter quoted and adds a charset, which RFC 9110 §8.3.1 makes equivalent.
// TAXII 2.1 §1.6.8.1, exactly.
const TAXII_TYPE = /^application\/taxii\+json;version=2\.1$/;

async function greenReports(t: TestServer, n: number): Promise<TestUser> {
  const researcher = await t.org('researcher');
  // One document per report, a minute apart: each cluster is its own vulnerability with its own date added.
  for (let i = 0; i < n; i++) {
    await submitDocument(t.as(researcher), {
      bytes: findingsDocument([distinctFinding({ location: { path: `m${i}.py` } })]),
      tlp: 'GREEN',
    });
    t.clock.advance(60_000);
  }
  await t.runtime.jobs.drain();
  return researcher;
}

async function taxii(t: TestServer, who: TestUser | null, url: string, accept?: string) {
  const response = await t.app.inject({
    method: 'GET',
    url,
    headers: { ...(who === null ? {} : { authorization: `Bearer ${who.token}` }), ...(accept === undefined ? {} : { accept }) },
  });
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body) as Record<string, unknown> };
}

describeEachDatabase('governance routes', (dialect) => {
  const get = useTestServer(dialect);

  it('answer every TAXII 2.1 endpoint as application/taxii+json;version=2.1, and 406 to a client that accepts none', async () => {
    const t = get();
    const reader = await greenReports(t, 1);
    const urls = [
      '/taxii2/',
      '/taxii2/api/',
      '/taxii2/api/collections/',
      `${GREEN}/`,
      `${GREEN}/objects/`,
      `${GREEN}/manifest/`,
      `${GREEN}/objects/${tlpMarkingId('GREEN')}/`,
      `${GREEN}/objects/${tlpMarkingId('GREEN')}/versions/`,
    ];
    for (const url of urls) {
      for (const accept of [undefined, 'application/taxii+json;version=2.1', 'application/taxii+json', '*/*']) {
        const answer = await taxii(t, reader, url, accept);
        expect(answer.status, `${url} (${accept})`).toBe(200);
        expect(answer.headers['content-type'], url).toMatch(TAXII_TYPE);
      }
      const refused = await taxii(t, reader, url, 'application/json');
      expect(refused.status, url).toBe(406);
      expect(refused.headers['content-type']).toMatch(TAXII_TYPE);
      expect(refused.body).toMatchObject({ http_status: '406' });
    }
    const discovery = await taxii(t, null, '/taxii2/');
    expect(discovery.body.api_roots).toEqual([`${t.runtime.config.publicUrl}/taxii2/api/`]);
    // Anonymous callers read TLP:CLEAR only: the GREEN collection asks them to sign in.
    expect((await taxii(t, null, `${GREEN}/objects/`)).status).toBe(401);
    expect((await taxii(t, null, '/taxii2/api/collections/tlp-clear/objects/')).status).toBe(200);
  });

  it('page TAXII objects with limit and next, in date-added order, with added_after and the date-added headers', async () => {
    const t = get();
    const reader = await greenReports(t, 7);
    const all = await taxii(t, reader, `${GREEN}/objects/?limit=1000`);
    const everything = (all.body.objects as { id: string; type: string }[]).map((o) => o.id);
    expect(all.body.more).toBe(false);
    expect((all.body.objects as { type: string }[]).filter((o) => o.type === 'vulnerability')).toHaveLength(7);

    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await taxii(t, reader, `${GREEN}/objects/?limit=3${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`);
      expect(page.status).toBe(200);
      const objects = page.body.objects as { id: string }[];
      expect(objects.length).toBeLessThanOrEqual(3);
      seen.push(...objects.map((o) => o.id));
      expect(page.headers['x-taxii-date-added-first']).toBeDefined();
      expect(page.headers['x-taxii-date-added-last']).toBeDefined();
      next = page.body.more === true ? String(page.body.next) : undefined;
      if (next !== undefined) expect(objects).toHaveLength(3);
      pages++;
    } while (next !== undefined && pages < 20);
    expect(seen).toEqual(everything);
    expect(pages).toBe(Math.ceil(everything.length / 3));

    // added_after is strict: after the last page's first date, only what was added later.
    const manifest = await taxii(t, reader, `${GREEN}/manifest/?limit=1000`);
    const dates = (manifest.body.objects as { id: string; date_added: string }[]).map((o) => o.date_added);
    const cut = dates[Math.floor(dates.length / 2)] as string;
    const after = await taxii(t, reader, `${GREEN}/objects/?added_after=${encodeURIComponent(cut)}&limit=1000`);
    const expected = (manifest.body.objects as { id: string; date_added: string }[]).filter(
      (o) => Date.parse(o.date_added) > Date.parse(cut),
    );
    expect((after.body.objects as { id: string }[]).map((o) => o.id)).toEqual(expected.map((o) => o.id));
    expect((await taxii(t, reader, `${GREEN}/objects/?added_after=yesterday`)).status).toBe(400);
  });

  it('version the retention table: a coordinator admin replaces it, a stale version is a conflict, bad rules are named', async () => {
    const t = get();
    const shown = await t.call(null, 'GET', '/api/v1/governance/retention');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ version: 1, table: DEFAULT_RETENTION_TABLE });
    const table = { rules: { ...DEFAULT_RETENTION_TABLE.rules, poc_evidence: { expire: [{ after: 'case_published', days: 30 }] } } };
    const saved = await t.call(t.coordinatorAdmin, 'PUT', '/api/v1/governance/retention', { table, version: 1, note: 'shorter' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 2, table, note: 'shorter' });
    const stale = await t.call(t.coordinatorAdmin, 'PUT', '/api/v1/governance/retention', { table, version: 1 });
    expect(stale.status).toBe(409);
    const bad = { rules: { ...DEFAULT_RETENTION_TABLE.rules, sbom: { expire: [{ after: 'case_published', days: 10 }] } } };
    const refused = await t.call(t.coordinatorAdmin, 'PUT', '/api/v1/governance/retention', { table: bad });
    expect(refused.status).toBe(400);
    expect(refused.problem.errors?.map((e) => e.pointer)).toContain('/table/rules/sbom/expire/0/after');
    const vendor = await t.org('vendor');
    expect((await t.call(vendor, 'PUT', '/api/v1/governance/retention', { table })).status).toBe(403);
    const versions = await t.call(t.coordinatorAdmin, 'GET', '/api/v1/governance/retention/versions');
    expect((versions.body as { items: { version: number }[] }).items.map((v) => v.version)).toEqual([2, 1]);
  });

  it('serve the transparency figures as JSON, CSV and a public page under a strict Content-Security-Policy', async () => {
    const t = get();
    await greenReports(t, 3);
    const json = await t.call(null, 'GET', '/api/v1/governance/transparency');
    expect(json.status).toBe(200);
    const month = t.clock.now().toISOString().slice(0, 7);
    const metrics = (
      json.body as { metrics: { series: { key: string }[]; months: { month: string; figures: Record<string, number | null> }[] } }
    ).metrics;
    expect(metrics.months).toHaveLength(12);
    expect(metrics.months.find((m) => m.month === month)?.figures.reportsReceived).toBe(3);
    // Governance's own figures, then those the modules lend through their wiring, in wiring order.
    expect(metrics.series.map((s) => s.key).sort()).toEqual(
      [
        'reportsReceived',
        'duplicateShare',
        'validShare',
        'invalidShare',
        'medianDaysToValidation',
        'medianDaysToVendorNotification',
        'medianDaysToFix',
        'medianDaysToOperatorPatch',
        'scanCoverage',
        'modelReviewsOpened',
        'medianReviewDaysUsed',
      ].sort(),
    );
    const csv = await t.app.inject({ method: 'GET', url: '/api/v1/governance/transparency.csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n')[0]).toMatch(/^month,reportsReceived,duplicateShare,.*,withheld$/);
    const page = await t.app.inject({ method: 'GET', url: '/transparency' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(String(page.headers['content-security-policy'])).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(page.body).not.toMatch(/<script/i);
    const wrong = await t.call(null, 'GET', '/api/v1/governance/transparency?from=2026-13');
    expect(wrong.status).toBe(400);
  });
});
