import { expect, it } from 'vitest';
import { frontierScene, grantAndAcknowledge } from '../src/modules/frontier/test-support/scene.js';
import { DEFAULT_RETENTION_TABLE } from '../src/modules/governance/index.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';

/**
 * Escaping in the HTML the server writes: every operation of the OpenAPI document answering `text/html`
 * (a new one fails here until it is covered) is read with hostile strings in the records it shows — a
 * model named with a `<script>` element, a retention reason breaking out of an attribute with
 * `"onerror=` — and the page must carry them as text: no element or attribute of theirs.
 */

const SCRIPT = '<script>alert(document.cookie)</script>';
const ATTRIBUTE = '" onerror="alert(1)" x="<img src=x onerror=alert(2)>';

/** Every tag of the page that runs or loads something: a script or img element, an event-handler attribute. */
function activeTags(page: string): string[] {
  return (page.match(/<[a-zA-Z][^>]*>/g) ?? []).filter(
    (tag) => /^<(script|img|iframe|object|embed)\b/i.test(tag) || /\son\w+\s*=/i.test(tag),
  );
}

describeEachDatabase('HTML escaping', (dialect) => {
  const get = useTestServer(dialect);

  it('every HTML page shows hostile record strings as text', async () => {
    const server = get();
    const admin = server.coordinatorAdmin;
    const scene = await frontierScene(server, { name: `${SCRIPT}${ATTRIBUTE}` });
    await grantAndAcknowledge(server, scene);
    const retention = await server.call(admin, 'PUT', '/api/v1/governance/retention', {
      table: { rules: { ...DEFAULT_RETENTION_TABLE.rules, advisory: { keep: true, reason: `${ATTRIBUTE}${SCRIPT}` } } },
      note: 'hostile',
    });
    expect(retention.status).toBe(200);

    const openapi = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
    }>();
    const pages = Object.entries(openapi.paths)
      .filter(([, ops]) => 'text/html' in (ops.get?.responses?.['200']?.content ?? {}))
      .map(([path]) => path)
      .sort();
    const urls: Record<string, { url: string; token: string | null }> = {
      '/api/v1/frontier/reviews/{id}/report.html': {
        url: `/api/v1/frontier/reviews/${scene.review.id}/report.html`,
        token: scene.lab.token,
      },
      '/transparency': { url: '/transparency', token: null },
    };
    expect(pages, 'every HTML page is read below: add the new one').toEqual(Object.keys(urls).sort());
    let carried = 0;
    for (const { url, token } of Object.values(urls)) {
      const response = await server.app.inject({ method: 'GET', url, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
      expect(response.statusCode, url).toBe(200);
      expect(activeTags(response.body), url).toEqual([]);
      if (response.body.includes('&lt;script&gt;alert(document.cookie)&lt;/script&gt;')) carried++;
    }
    expect(carried, 'the hostile strings reached both pages, escaped').toBe(2);
  }, 120_000);
});
