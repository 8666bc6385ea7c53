import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { frontierScene, grantAndAcknowledge } from '../src/modules/frontier/test-support/scene.js';
import { distinctFinding, findingsDocument } from '../src/modules/validation/test-support/scene.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';

type Headers = Record<string, string | string[] | number | undefined>;

const HOSTILE_PAGE = '<html><body><script>fetch("/api/v1/me").then(r => r.text()).then(alert)</script></body></html>';

async function raw(server: TestServer, who: TestUser | null, method: 'GET' | 'POST', url: string, payload?: Buffer, type?: string) {
  const response = await server.app.inject({
    method,
    url,
    headers: { ...(who === null ? {} : { authorization: `Bearer ${who.token}` }), ...(type === undefined ? {} : { 'content-type': type }) },
    payload,
  });
  return { status: response.statusCode, headers: response.headers as Headers, body: response.body };
}

function expectApiHeaders(headers: Headers, what: string) {
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['cache-control'], what).toBe('no-store');
}

/** Stored material goes out as an attachment under a safe type, never as what the uploader declared. */
function expectSafeDownload(headers: Headers, type: string, what: string) {
  expect(headers['content-type'], what).toBe(type);
  expect(String(headers['content-disposition']), what).toMatch(/^attachment; filename="[\w.-]+"; filename\*=UTF-8''/);
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(String(headers['content-security-policy']), what).toContain('sandbox');
}

describeEachDatabase('response headers', (dialect) => {
  const get = useTestServer(dialect);

  it('every API answer says nosniff and no-store: records, errors and the unauthenticated', async () => {
    const server = get();
    const { coordinatorAdmin } = server;
    expectApiHeaders((await raw(server, coordinatorAdmin, 'GET', '/api/v1/me')).headers, 'me');
    expectApiHeaders((await raw(server, coordinatorAdmin, 'GET', '/api/v1/orgs/org_nothing')).headers, '404');
    expectApiHeaders((await raw(server, null, 'GET', '/api/v1/me')).headers, '401');
    expectApiHeaders((await raw(server, null, 'GET', '/api/openapi.json')).headers, 'openapi');
  });

  it('serves every HTML page with a content security policy, and stored files only as safe attachments', async () => {
    const server = get();
    const scene = await frontierScene(server);
    await grantAndAcknowledge(server, scene);
    const covered = new Set<string>();

    // Review materials: an HTML page declared as text/html comes back as bytes to save, never a page.
    const reviewUrl = `/api/v1/frontier/reviews/${scene.review.id}`;
    const hostile = await raw(server, scene.lab, 'POST', `${reviewUrl}/materials?name=brief.html`, Buffer.from(HOSTILE_PAGE), 'text/html');
    expect(hostile.status).toBe(201);
    const hostileId = (JSON.parse(hostile.body) as { id: string }).id;
    const download = await raw(server, scene.agency, 'GET', `${reviewUrl}/materials/${hostileId}/content`);
    expect(download.status).toBe(200);
    expect(download.body).toBe(HOSTILE_PAGE);
    expectSafeDownload(download.headers, 'application/octet-stream', 'material declared text/html');
    covered.add('/api/v1/frontier/reviews/{id}/materials/{materialId}/content');
    const pdf = await raw(
      server,
      scene.lab,
      'POST',
      `${reviewUrl}/materials?name=system card.pdf`,
      Buffer.from('%PDF-1.7'),
      'application/pdf',
    );
    const pdfId = (JSON.parse(pdf.body) as { id: string }).id;
    const pdfDownload = await raw(server, scene.agency, 'GET', `${reviewUrl}/materials/${pdfId}/content`);
    expectSafeDownload(pdfDownload.headers, 'application/pdf', 'material declared application/pdf');
    expect(pdfDownload.headers['content-disposition']).toContain("filename*=UTF-8''system%20card.pdf");

    // Validation evidence: always application/octet-stream.
    const lab = scene.lab;
    const submitted = await raw(server, lab, 'POST', '/api/v1/submissions', findingsDocument([distinctFinding()]), 'application/json');
    await server.runtime.jobs.drain();
    const clusterId = (JSON.parse(submitted.body) as { findings: { clusterId: string }[] }).findings[0]!.clusterId;
    const evidence = await raw(
      server,
      lab,
      'POST',
      `/api/v1/validation/clusters/${clusterId}/evidence?filename=poc.html&kind=proof_of_concept`,
      Buffer.from(HOSTILE_PAGE),
      'text/html',
    );
    expect(evidence.status).toBe(201);
    const evidenceId = (JSON.parse(evidence.body) as { id: string }).id;
    const evidenceDownload = await raw(server, lab, 'GET', `/api/v1/validation/evidence/${evidenceId}/content`);
    expect(evidenceDownload.status).toBe(200);
    expectSafeDownload(evidenceDownload.headers, 'application/octet-stream', 'evidence declared text/html');
    covered.add('/api/v1/validation/evidence/{id}/content');

    // The frontier review report: a policy that lets nothing load or run, and only the page's own style.
    const report = await raw(server, scene.lab, 'GET', `${reviewUrl}/report.html`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toContain('text/html');
    const csp = String(report.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const style = /<style>([\s\S]*?)<\/style>/.exec(report.body)?.[1];
    expect(style).toBeDefined();
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style!).digest('base64')}'`);
    expectApiHeaders(report.headers, 'report.html');
    covered.add('/api/v1/frontier/reviews/{id}/report.html');

    // The API documentation page.
    let docs = await raw(server, null, 'GET', '/api/docs');
    for (let hops = 0; docs.status >= 300 && docs.status < 400 && hops < 3; hops++) {
      docs = await raw(server, null, 'GET', new URL(String(docs.headers.location), 'http://localhost/api/docs/').pathname);
    }
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    expect(String(docs.headers['content-security-policy'])).toContain('default-src');
    expect(docs.headers['x-content-type-options']).toBe('nosniff');

    // Every operation of the API that serves a page or stored bytes is among those checked above: a new
    // one fails here until it is added.
    const openapi = JSON.parse((await raw(server, null, 'GET', '/api/openapi.json')).body) as { paths: Record<string, unknown> };
    const servingFiles = Object.keys(openapi.paths).filter((p) => /\/content$|\.html$|\/download$/.test(p));
    expect(servingFiles.sort()).toEqual([...covered].sort());
  });
});

const FRAME_ANCESTORS_NONE = /(^|;)\s*frame-ancestors 'none'/;

describeEachDatabase('security headers on every answer', (dialect) => {
  const get = useTestServer(dialect);
  const behindProxy = useTestServer(dialect, { CLEARINGHOUSE_TRUST_PROXY: '127.0.0.1' });

  it('every GET operation, anonymous or signed in, and the console: nosniff, a policy, never framed', async () => {
    const server = get();
    const openapi = JSON.parse((await raw(server, null, 'GET', '/api/openapi.json')).body) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const urls = Object.entries(openapi.paths)
      .filter(([, ops]) => 'get' in ops)
      .map(([path]) => path.replace(/\{[^}]+\}/g, 'nothing'));
    // The console's pages and files, and paths no route answers.
    urls.push('/', '/index.html', '/clusters/x', '/no/such/thing', '/api/v1/no-such-route');
    expect(urls.length).toBeGreaterThan(100);
    const bad: string[] = [];
    for (const url of urls)
      for (const who of [null, server.coordinatorAdmin]) {
        const { status, headers } = await raw(server, who, 'GET', url);
        const csp = String(headers['content-security-policy'] ?? '');
        if (headers['x-content-type-options'] !== 'nosniff') bad.push(`${url} ${status}: no nosniff`);
        if (!FRAME_ANCESTORS_NONE.test(csp)) bad.push(`${url} ${status}: policy "${csp}" lets it be framed`);
        if (headers['x-frame-options'] !== 'DENY') bad.push(`${url} ${status}: no X-Frame-Options DENY`);
        if (headers['strict-transport-security'] !== undefined) bad.push(`${url} ${status}: HSTS over plain HTTP`);
      }
    expect(bad).toEqual([]);
    // The console is served (dist/web is built) under its own policy, which runs its own scripts only.
    const page = await raw(server, null, 'GET', '/');
    expect(page.headers['content-type']).toContain('text/html');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('HSTS when the request came over TLS through a trusted proxy, not when an untrusted client claims it', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const trusted = await behindProxy().app.inject({ method: 'GET', url: '/api/v1/me', headers: https, remoteAddress: '127.0.0.1' });
    expect(trusted.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    const page = await behindProxy().app.inject({ method: 'GET', url: '/', headers: https, remoteAddress: '127.0.0.1' });
    expect(page.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    const plain = await behindProxy().app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: '127.0.0.1' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const claimed = await get().app.inject({ method: 'GET', url: '/api/v1/me', headers: https, remoteAddress: '127.0.0.1' });
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
    const stranger = await behindProxy().app.inject({ method: 'GET', url: '/api/v1/me', headers: https, remoteAddress: '203.0.113.9' });
    expect(stranger.headers['strict-transport-security']).toBeUndefined();
  });
});
