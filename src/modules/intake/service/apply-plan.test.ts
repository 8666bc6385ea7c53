import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { withTransaction } from '../../../platform/db/index.js';
import * as store from '../store/index.js';
import { nativeDocument, nativeFinding } from '../test-support/native.js';
import { submitDocument } from './submissions.js';

describeEachDatabase('a batch that grows existing clusters', (dialect) => {
  const get = useTestRuntime(dialect);

  it('stores their counts, reporters and labels as recomputing them from their reports does', async () => {
    const { as, org, runtime } = get();
    const lab = await org('model_developer');
    const agency = await org('agency');
    const bug = (overrides: Record<string, unknown> = {}) => nativeFinding({ title: 'Heap overflow in the frame parser', ...overrides });
    const other = { title: 'SSRF in the webhook test', cwe: ['CWE-918'], location: { path: 'shopfront/hooks.py', function: 'ping' } };
    const first = await submitDocument(as(lab), { bytes: nativeDocument([bug(), nativeFinding(other)]) });
    const [bugCluster, otherCluster] = first.findings.map((f) => f.clusterId);
    // The lab again (no new reporter) with an alias; the agency (one new reporter) twice with the bug and once
    // with another report of it, known by that alias, under a CWE the cluster lacks; and the lab's other cluster.
    const again = await submitDocument(as(lab), { bytes: nativeDocument([bug({ aliases: ['CVE-2099-4242'] })]) });
    const byAlias = nativeFinding({ title: 'Unsafe query', cwe: ['CWE-564'], location: { path: 'x.py' }, aliases: ['CVE-2099-4242'] });
    const fromAgency = await submitDocument(as(agency), {
      bytes: nativeDocument([bug(), nativeFinding(other), byAlias, bug()], { tool: { name: 'otherscan', version: '2' } }),
    });
    expect(again.findings.map((f) => [f.outcome, f.clusterId])).toEqual([['duplicate', bugCluster]]);
    expect(fromAgency.findings.map((f) => [f.outcome, f.clusterId])).toEqual([
      ['duplicate', bugCluster],
      ['duplicate', otherCluster],
      ['duplicate', bugCluster],
      ['duplicate', bugCluster],
    ]);

    const read = async () => {
      const rows = await store.findClusters(runtime.db.kysely, [bugCluster!, otherCluster!]);
      return [bugCluster, otherCluster].map((id) => rows.find((c) => c.id === id)!);
    };
    const stored = await read();
    expect(stored.map((c) => [c.finding_count, c.reporter_count, JSON.parse(c.cwes), JSON.parse(c.aliases)])).toEqual([
      [5, 2, ['CWE-564', 'CWE-89'], ['CVE-2099-4242']],
      [2, 2, ['CWE-918'], []],
    ]);
    await withTransaction(runtime.db, async (trx) => {
      for (const c of stored) await store.refreshClusterSummary(trx, c.id, c.updated_at);
    });
    expect(await read()).toEqual(stored);
  });
});
