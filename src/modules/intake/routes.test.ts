import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { nativeDocument, nativeFinding } from './test-support/native.js';

async function post(server: TestServer, who: TestUser, body: Buffer | string, options: { contentType?: string; query?: string } = {}) {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/v1/submissions${options.query ?? ''}`,
    headers: { authorization: `Bearer ${who.token}`, 'content-type': options.contentType ?? 'application/json' },
    payload: body,
  });
  return {
    status: response.statusCode,
    body: response.json<Record<string, unknown> & { code?: string; errors?: { pointer: string }[] }>(),
  };
}

describeEachDatabase('intake routes', (dialect) => {
  const get = useTestServer(dialect);

  it('takes a document as the raw body in any form, and answers repeats with 200', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const doc = nativeDocument([nativeFinding()]);
    const created = await post(server, lab, doc);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ repeated: false, findings: [{ ref: '/findings/0', outcome: 'new' }] });
    expect((await post(server, lab, gzipSync(doc), { contentType: 'application/gzip' })).status).toBe(200);
    const yaml =
      'schema_version: 1.6.0\nid: PYSEC-2026-9\nmodified: 2026-05-01T00:00:00Z\naliases: [CVE-2026-9999]\naffected:\n  - package: {ecosystem: PyPI, name: shopfront}\n    versions: ["2.3.1"]\n';
    const osv = await post(server, lab, yaml, { contentType: 'application/yaml', query: '?filename=PYSEC-2026-9.yaml' });
    expect(osv.status).toBe(201);
    expect(osv.body).toMatchObject({ submission: { format: 'osv', tlp: 'CLEAR', filename: 'PYSEC-2026-9.yaml' } });
  });

  it('takes a multipart file upload', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const boundary = '----clearinghouse-test';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.json"\r\nContent-Type: application/json\r\n\r\n`,
      ),
      nativeDocument([nativeFinding()]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await post(server, lab, body, { contentType: `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ submission: { filename: 'scan.json', findingCount: 1 } });
  });

  it('refuses bad documents with 400, 413 and 415 problem+json', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const invalid = await post(server, lab, nativeDocument([nativeFinding({ target: { purl: 'not a purl' } })]));
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.pointer).toMatch(/^\/findings\/0\/target/);
    expect((await post(server, lab, '{"not": "a known format"}')).status).toBe(415);
    const bomb = await post(server, lab, gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x20)), { contentType: 'application/gzip' });
    expect(bomb.status).toBe(413);
    expect((await post(server, lab, '')).status).toBe(400);
    expect((await post(server, lab, nativeDocument([nativeFinding()]), { query: '?tlp=PURPLE' })).status).toBe(400);
  });

  it('keeps each party’s submissions, clusters, findings and proposals to those allowed, on every route', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const vendor = await server.org('vendor');
    const posted = await post(server, lab, nativeDocument([nativeFinding()]));
    const submissionId = (posted.body.submission as { id: string }).id;
    const clusterId = (posted.body.findings as { clusterId: string }[])[0]!.clusterId;
    const detail = await server.call(server.coordinatorAdmin, 'GET', `/api/v1/clusters/${clusterId}`);
    const findingId = (detail.body as { findings: { id: string }[] }).findings[0]!.id;

    for (const url of [
      `/api/v1/submissions/${submissionId}`,
      `/api/v1/clusters/${clusterId}`,
      `/api/v1/findings/${findingId}`,
      `/api/v1/clusters/${clusterId}/candidates`,
    ]) {
      expect((await server.call(vendor, 'GET', url)).status, url).toBe(404);
      expect((await server.call(lab, 'GET', url)).status, url).toBe(200);
    }
    expect(((await server.call(vendor, 'GET', '/api/v1/clusters')).body as { items: unknown[] }).items).toEqual([]);
    expect((await server.call(lab, 'POST', `/api/v1/clusters/${clusterId}/split`, { findingIds: [findingId], reason: 'x' })).status).toBe(
      403,
    );
    // A cluster the vendor may not see does not exist for it: 404 before any permission is checked.
    expect((await server.call(vendor, 'GET', `/api/v1/clusters/${clusterId}/regroups`)).status).toBe(404);
    expect((await server.call(null, 'GET', '/api/v1/clusters')).status).toBe(401);
  });

  it('pages a cluster’s regroups and near-duplicate proposals like every other list', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const clusterOf = async (title: string, path: string) =>
      (
        (await post(server, lab, nativeDocument([nativeFinding({ title, location: { path, function: 'f' } })]))).body.findings as {
          clusterId: string;
        }[]
      )[0]!.clusterId;
    const into = await clusterOf('first', 'a.py');
    const regroupIds: string[] = [];
    for (const [title, path] of [
      ['second', 'b.py'],
      ['third', 'c.py'],
    ] as const) {
      const from = await clusterOf(title, path);
      const merged = await server.call(server.coordinatorAdmin, 'POST', `/api/v1/clusters/${from}/merge`, { into, reason: 'same bug' });
      expect(merged.status).toBe(200);
      regroupIds.push((merged.body as { id: string }).id);
    }
    const url = `/api/v1/clusters/${into}/regroups`;
    const first = await server.call(server.coordinatorAdmin, 'GET', `${url}?limit=1`);
    const firstPage = first.body as { items: { id: string }[]; nextCursor: string | null };
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).not.toBeNull();
    const second = (await server.call(server.coordinatorAdmin, 'GET', `${url}?limit=1&cursor=${firstPage.nextCursor!}`)).body as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    expect(second.nextCursor).toBeNull();
    expect([...firstPage.items, ...second.items].map((r) => r.id).sort()).toEqual([...regroupIds].sort());
    const garbled = await server.call(server.coordinatorAdmin, 'GET', `${url}?cursor=not-a-cursor`);
    expect(garbled.status).toBe(400);

    const candidates = await server.call(lab, 'GET', `/api/v1/clusters/${into}/candidates?limit=10`);
    expect(candidates.status).toBe(200);
    expect(candidates.body).toEqual({ items: [], nextCursor: null });
  });

  it('publishes the native format’s JSON Schema', async () => {
    const server = get();
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/intake/native-schema' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', required: ['schema', 'findings'] });
  });
});
