import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { GRANT_TERM_KEYS } from './domain/grant-rules.js';
import { inspectEvalArchive, inspectJsonLog, zstdInit } from './test-support/eval-archive.js';

beforeAll(() => zstdInit());

/** Sends raw bytes, as the upload routes take them. */
async function upload(s: TestServer, who: TestUser, url: string, bytes: Buffer, contentType: string) {
  const response = await s.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${who.token}`, 'content-type': contentType },
    payload: bytes,
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

describeEachDatabase('frontier routes', (dialect) => {
  const get = useTestServer(dialect);

  it('answers the shapes the issue names: models, reviews (422 over the maximum), grants (422 after the window), end', async () => {
    const s = get();
    const lab = await s.org('model_developer');
    const agency = await s.org('agency');
    const model = await s.call(lab, 'POST', '/api/v1/frontier/models', { name: 'Atlas', version: '3.0', plannedRelease: '2026-09-01' });
    expect(model.status).toBe(201);
    const modelId = (model.body as { id: string }).id;
    expect(modelId).toMatch(/^model_/);

    const tooLong = await s.call(lab, 'POST', '/api/v1/frontier/reviews', { modelId, accessStart: '2026-06-10T09:00:00-04:00', days: 45 });
    expect(tooLong.status).toBe(422);
    expect(tooLong.headers['content-type']).toContain('application/problem+json');
    expect(tooLong.problem).toMatchObject({ code: 'unprocessable', errors: [{ pointer: '/days' }] });
    expect(tooLong.problem.detail).toContain('at most 30 days under frontier policy version 1');

    const review = await s.call(lab, 'POST', '/api/v1/frontier/reviews', { modelId, accessStart: '2026-06-10T09:00:00-04:00', days: 30 });
    expect(review.status).toBe(201);
    expect(review.body).toMatchObject({
      windowStart: '2026-06-10T13:00:00.000Z',
      windowEnd: '2026-07-10T13:00:00.000Z',
      state: 'scheduled',
    });
    const reviewId = (review.body as { id: string }).id;

    const late = await s.call(lab, 'POST', `/api/v1/frontier/reviews/${reviewId}/grants`, {
      granteeOrgId: agency.orgId,
      scope: 'hosted_api',
      expiresAt: '2026-07-11T00:00:00Z',
    });
    expect(late.status).toBe(422);
    expect(late.problem.errors).toEqual([
      { pointer: '/expiresAt', detail: "must be at or before the window's end 2026-07-10T13:00:00.000Z" },
    ]);
    const grant = await s.call(lab, 'POST', `/api/v1/frontier/reviews/${reviewId}/grants`, {
      granteeOrgId: agency.orgId,
      scope: 'hosted_api',
      expiresAt: '2026-07-10T13:00:00Z',
    });
    expect(grant.status).toBe(201);
    const badScope = await s.call(lab, 'POST', `/api/v1/frontier/reviews/${reviewId}/grants`, {
      granteeOrgId: agency.orgId,
      scope: 'root_shell',
      expiresAt: '2026-07-10T13:00:00Z',
    });
    expect(badScope.status).toBe(400);
    expect(badScope.problem.errors?.[0]?.pointer).toBe('/body/scope');

    const ended = await s.call(lab, 'POST', `/api/v1/frontier/reviews/${reviewId}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ state: 'ended' });
    expect((await s.call(lab, 'POST', `/api/v1/frontier/reviews/${reviewId}/end`, { reason: 'again' })).status).toBe(409);
    expect((await s.call(agency, 'GET', `/api/v1/frontier/grants/${(grant.body as { id: string }).id}`)).body).toMatchObject({
      status: 'expired',
      endReason: 'review_ended',
    });
  });

  it('takes Inspect logs as raw bytes (.json with NaN, .eval with zstd), review material, and serves the report as escaped HTML', async () => {
    const s = get();
    const lab = await s.org('model_developer');
    const agency = await s.org('agency');
    const modelId = (
      (
        await s.call(lab, 'POST', '/api/v1/frontier/models', {
          name: '<img src=x onerror=alert(1)>',
          version: '1',
          plannedRelease: '2026-09-01',
        })
      ).body as { id: string }
    ).id;
    const reviewId = (
      (await s.call(lab, 'POST', '/api/v1/frontier/reviews', { modelId, accessStart: '2026-06-02T12:00:00Z', days: 10 })).body as {
        id: string;
      }
    ).id;
    const grantId = (
      (
        await s.call(lab, 'POST', `/api/v1/frontier/reviews/${reviewId}/grants`, {
          granteeOrgId: agency.orgId,
          scope: 'sandbox',
          expiresAt: '2026-06-12T12:00:00Z',
        })
      ).body as { id: string }
    ).id;
    expect((await s.call(agency, 'POST', `/api/v1/frontier/grants/${grantId}/acknowledge`, { terms: GRANT_TERM_KEYS })).status).toBe(200);

    const json = await upload(
      s,
      agency,
      `/api/v1/frontier/reviews/${reviewId}/evaluations/inspect?filename=run.json`,
      inspectJsonLog(),
      'application/json',
    );
    expect(json.status).toBe(201);
    expect(json.body).toMatchObject({ filename: 'run.json', summary: { format: 'inspect-json', samples: { unscored: 1 } } });
    const archive = await upload(
      s,
      agency,
      `/api/v1/frontier/reviews/${reviewId}/evaluations/inspect?filename=run.eval`,
      inspectEvalArchive({}, 'zstd'),
      'application/zip',
    );
    expect(archive.status).toBe(201);
    expect(
      (await upload(s, agency, `/api/v1/frontier/reviews/${reviewId}/evaluations/inspect`, Buffer.from('GIF89a'), 'image/gif')).status,
    ).toBe(415);

    const material = await upload(
      s,
      lab,
      `/api/v1/frontier/reviews/${reviewId}/materials?name=access.md`,
      Buffer.from('# How to connect'),
      'text/markdown',
    );
    expect(material.status).toBe(201);
    const download = await s.app.inject({
      method: 'GET',
      url: `/api/v1/frontier/reviews/${reviewId}/materials/${String(material.body.id)}/content`,
      headers: { authorization: `Bearer ${agency.token}` },
    });
    expect(download.statusCode).toBe(200);
    // Served as bytes to save, never under the type the uploader declared (test/security-headers.test.ts).
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.body).toBe('# How to connect');

    const html = await s.app.inject({
      method: 'GET',
      url: `/api/v1/frontier/reviews/${reviewId}/report.html`,
      headers: { authorization: `Bearer ${lab.token}` },
    });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body.startsWith('<!doctype html>')).toBe(true);
    expect(html.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.body).not.toContain('<img');
    const report = await s.call(lab, 'GET', `/api/v1/frontier/reviews/${reviewId}/report`);
    expect(report.body).toMatchObject({ informationalOnly: true, summary: { evaluations: 2 } });
  });

  it('serves the transparency view to anyone: counts and criteria, no names or ids', async () => {
    const s = get();
    const lab = await s.org('model_developer');
    const modelId = (
      (
        await s.call(lab, 'POST', '/api/v1/frontier/models', {
          name: 'Secret Project Nightingale',
          version: '1',
          plannedRelease: '2026-09-01',
        })
      ).body as { id: string }
    ).id;
    await s.call(lab, 'POST', '/api/v1/frontier/reviews', { modelId, accessStart: '2026-06-02T12:00:00Z', days: 12 });
    const view = await s.call(null, 'GET', '/api/v1/frontier/metrics');
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      policy: { version: 1, windowMaxDays: 30 },
      metrics: { reviews: { total: 1, byState: { open: 1 } }, windowDays: { requested: { mean: 12 } } },
    });
    const text = JSON.stringify(view.body);
    expect(text).not.toContain('Nightingale');
    expect(text).not.toContain(modelId);
    expect(text).not.toContain(lab.orgId);
  });
});
