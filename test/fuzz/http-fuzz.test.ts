import { expect, it } from 'vitest';
import { frontierScene, grantAndAcknowledge } from '../../src/modules/frontier/test-support/scene.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import { hasSharedData } from '#test-support/shared-data.js';
import { int, seededRandom } from './mutators.js';
import { mutate, targetNamed, type FuzzTarget } from './targets.js';

/**
 * A sample of the fuzzer's inputs sent through the real routes, as a client would send them: every answer
 * is a success or a 4xx problem document naming the problem, never a 500. The parsers' own oracle is in
 * fuzz.test.ts; this proves the routes map every refusal (and the size and gzip limits in front of the
 * parsers) the same way.
 */

const SEED = 20260603;
const PER_ROUTE = 6;

interface Route {
  readonly parsers: readonly string[];
  url(server: TestServer, setup: Setup): string;
  readonly contentType: string;
  who(server: TestServer, setup: Setup): string;
}

interface Setup {
  readonly operator: string;
  readonly agency: string;
  readonly reviewId: string;
}

const ROUTES: Route[] = [
  {
    parsers: ['sarif', 'osv-json', 'osv-yaml', 'cve5', 'csaf', 'native'],
    url: () => '/api/v1/submissions?tlp=AMBER',
    contentType: 'application/octet-stream',
    who: (_s, setup) => setup.agency,
  },
  {
    parsers: ['cyclonedx-json', 'cyclonedx-xml', 'spdx-json', 'spdx-tag-value', 'spdx-yaml', 'spdx3-jsonld'],
    url: () => `/api/v1/inventory/sboms?asset=fuzz`,
    contentType: 'application/octet-stream',
    who: (_s, setup) => setup.operator,
  },
  { parsers: ['kev'], url: () => '/api/v1/scoring/feeds/kev', contentType: 'application/json', who: (s) => s.coordinatorAdmin.token },
  { parsers: ['epss'], url: () => '/api/v1/scoring/feeds/epss', contentType: 'text/csv', who: (s) => s.coordinatorAdmin.token },
  {
    parsers: ['inspect'],
    url: (_s, setup) => `/api/v1/frontier/reviews/${setup.reviewId}/evaluations/inspect?filename=run.json`,
    contentType: 'application/octet-stream',
    who: (_s, setup) => setup.agency,
  },
];

const usable = (t: FuzzTarget): boolean => t.corpus === null || hasSharedData(t.corpus);

describeEachDatabase('fuzzed inputs through the HTTP routes', (dialect) => {
  const get = useTestServer(dialect);

  it('answers each with success or a 4xx problem document, never a 500', async () => {
    const server = get();
    const scene = await frontierScene(server);
    await grantAndAcknowledge(server, scene);
    const operator = await server.org('operator', { sectors: ['energy'] });
    const setup: Setup = { operator: operator.token, agency: scene.agency.token, reviewId: scene.review.id };
    const rand = seededRandom(SEED);
    const answers: string[] = [];
    let sent = 0;
    for (const route of ROUTES) {
      const targets = route.parsers.map(targetNamed).filter(usable);
      for (let i = 0; i < PER_ROUTE && targets.length > 0; i++) {
        const target = targets[int(rand, targets.length)] as FuzzTarget;
        const seeds = target.seeds();
        const payload = Buffer.from(mutate(target, seeds[int(rand, seeds.length)] as Uint8Array, rand));
        const response = await server.app.inject({
          method: 'POST',
          url: route.url(server, setup),
          headers: { authorization: `Bearer ${route.who(server, setup)}`, 'content-type': route.contentType },
          payload,
        });
        sent += 1;
        const problem = response.statusCode >= 400 ? response.headers['content-type'] : 'success';
        answers.push(`${target.name} → ${response.statusCode} ${String(problem)}`);
        if (response.statusCode >= 400) expect(response.json<{ detail?: string }>().detail).toEqual(expect.any(String));
      }
    }
    expect(sent).toBeGreaterThan(0);
    // Every answer in one assertion, so a failure shows which inputs got which status.
    expect(answers.filter((a) => !/→ (2\d\d success|4\d\d application\/problem\+json)/.test(a))).toEqual([]);
  });
});
