import { expect, it } from 'vitest';
import { buildServer } from '../../../app/server.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import type { Page } from '../../../platform/db/index.js';
import { getCluster, submitDocument, type CandidateView, type RegroupView } from '../../intake/index.js';
import { nativeDocument, nativeFinding } from '../../intake/test-support/native.js';

describeEachDatabase('clearinghouse cluster candidates|decide|merge|split|regroups|undo', (dialect) => {
  const get = useTestRuntime(dialect);

  it('lets a coordinator work through proposals, merge, split and undo from the command line, and no one else', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const text =
      'The order search endpoint concatenates the user supplied query string into a SQL statement, allowing injection through the q parameter';
    const a = await submitDocument(t.as(lab), {
      bytes: nativeDocument([nativeFinding({ description: text, location: { path: 'shop/orders/search.py', function: 'search_orders' } })]),
    });
    const b = await submitDocument(t.as(agency), {
      bytes: nativeDocument([
        nativeFinding({ description: `${text}.`, location: { path: 'shop/orders/search.py', function: 'find_orders' } }),
      ]),
    });
    await t.runtime.jobs.drain();
    const [clusterA, clusterB] = [a.findings[0]!.clusterId, b.findings[0]!.clusterId];
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const coordinator = ['--url', url, '--token', t.coordinatorAdmin.token];
      const listed = await cli({}, 'cluster', 'candidates', clusterA, ...coordinator);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^CANDIDATE\s+SIMILARITY\s+STATUS\s+OTHER CLUSTER\s+OTHER TITLE\s+WHY$/m);
      expect(listed.stdout).toMatch(new RegExp(`\\s+proposed\\s+${clusterB}\\s+.*same file shop/orders/search\\.py`));
      const [candidate] = (await cli({}, 'cluster', 'candidates', clusterA, ...coordinator, '--json')).json<Page<CandidateView>>().items;
      // The lab may see cluster A only: the pair is not its to see.
      expect((await cli({}, 'cluster', 'candidates', clusterA, '--url', url, '--token', lab.token)).stdout).toBe(
        'no near-duplicate proposals you may see\n',
      );

      expect((await cli({}, 'cluster', 'decide', candidate!.id, 'maybe', ...coordinator)).code).toBe(2);
      expect((await cli({}, 'cluster', 'decide', candidate!.id, 'merge', '--url', url, '--token', lab.token)).code).toBe(1);
      const merged = await cli({}, 'cluster', 'decide', candidate!.id, 'merge', ...coordinator, '--reason', 'same query');
      expect(merged.code).toBe(0);
      expect(merged.stdout).toContain(`${candidate!.id}: merged`);
      expect(merged.stdout).toContain(`merge ${clusterB} → ${clusterA} (1 report(s))`);
      expect((await getCluster(t.as(t.coordinatorAdmin), clusterB)).mergedInto).toBe(clusterA);
      const again = await cli({}, 'cluster', 'decide', candidate!.id, 'dismiss', ...coordinator);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('was merged already');

      const regroups = (await cli({}, 'cluster', 'regroups', clusterA, ...coordinator, '--json')).json<Page<RegroupView>>();
      expect(regroups.items.map((r) => [r.kind, r.fromClusterId, r.intoClusterId])).toEqual([['merge', clusterB, clusterA]]);
      const undone = await cli({}, 'cluster', 'undo', regroups.items[0]!.id, ...coordinator);
      expect(undone.code).toBe(0);
      expect(undone.stdout).toContain('[undone ');
      expect((await getCluster(t.as(t.coordinatorAdmin), clusterB)).mergedInto).toBeNull();

      // By hand, on the local database: merge, then split the moved report off again.
      const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir };
      const byHand = await cli(env, 'cluster', 'merge', clusterB, '--into', clusterA, '--reason', 'one bug', '--json');
      expect(byHand.code).toBe(0);
      expect(byHand.json<RegroupView>()).toMatchObject({ kind: 'merge', fromClusterId: clusterB, intoClusterId: clusterA });
      const moved = (await getCluster(t.as(t.coordinatorAdmin), clusterA)).findings.find((f) => f.reporterOrgId === agency.orgId);
      const split = await cli(env, 'cluster', 'split', clusterA, '--finding', moved!.id, '--reason', 'another function after all');
      expect(split.code).toBe(0);
      expect(split.stdout).toMatch(/^rgp_\S+: split .* \(1 report\(s\)\) — another function after all$/m);
      expect((await getCluster(t.as(t.coordinatorAdmin), clusterA)).findingCount).toBe(1);
      expect((await cli(env, 'cluster', 'merge', clusterB, '--reason', 'x')).code).toBe(2);
    } finally {
      await app.close();
    }
  });
});
