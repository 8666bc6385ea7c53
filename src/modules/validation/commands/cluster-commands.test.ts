import { expect, it } from 'vitest';
import { buildServer } from '../../../app/server.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import type { Page } from '../../../platform/db/index.js';
import { submitDocument, type ClusterSummary } from '../../intake/index.js';
import { prioritize } from '../../scoring/index.js';
import { subject } from '../../scoring/test-support/feeds.js';
import { nativeDocument, nativeFinding } from '../../intake/test-support/native.js';
import type { ClusterShow } from './cluster-commands.js';

describeEachDatabase('clearinghouse cluster show|list', (dialect) => {
  const get = useTestRuntime(dialect);

  it('shows a cluster as content — title, target, state, priority, the reports with their reporters’ names — to whoever may see it', async () => {
    const t = get();
    const researcher = await t.org('researcher', { name: 'Harbor Security Research' });
    const answer = await submitDocument(t.as(researcher), {
      bytes: nativeDocument([nativeFinding({ title: 'SQL injection in the order search' })]),
      tlp: 'AMBER',
    });
    const clusterId = answer.findings[0]?.clusterId ?? '';
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const coordinator = ['--url', url, '--token', t.coordinatorAdmin.token];
      const shown = await cli({}, 'cluster', 'show', clusterId, ...coordinator);
      expect(shown.code).toBe(0);
      const lines = shown.stdout.split('\n');
      expect(lines[0]).toBe(`${clusterId}: SQL injection in the order search`);
      expect(shown.stdout).toMatch(/^target {6}pkg:pypi\/shopfront$/m);
      expect(shown.stdout).toMatch(/^known as {4}CWE-89$/m);
      expect(shown.stdout).toMatch(/^state {7}received; quorum 0 of \d+ independent confirmations$/m);
      expect(shown.stdout).toMatch(/^priority {4}none you may read$/m);
      expect(shown.stdout).toMatch(/^reports {5}1 you may see of 1, from 1 reporter\(s\); first seen \S+ by Harbor Security Research$/m);
      expect(shown.stdout).toMatch(
        /^fnd_\w+\s+Harbor Security Research\s+AMBER\s+native\s+deepscan 1\.4\.0\s+new\s+SQL injection in the order search$/m,
      );
      const json = (await cli({}, 'cluster', 'show', clusterId, ...coordinator, '--json')).json<ClusterShow>();
      expect(json).toMatchObject({
        cluster: { id: clusterId },
        priority: null,
        orgNames: { [researcher.orgId]: 'Harbor Security Research' },
      });

      // The priority comes from scoring (lent through CLUSTER_PRIORITY): shown on the API and the local database.
      const decided = await prioritize(t.system, subject(clusterId, { cveIds: ['CVE-2026-4242'] }));
      const due = decided.decision.vendorFixDueAt.slice(0, 10);
      const priorityLine = new RegExp(
        `^priority {4}${decided.decision.outcome}, vendor fix due ${due} \\(clearinghouse priority show ${clusterId}\\)$`,
        'm',
      );
      expect((await cli({}, 'cluster', 'show', clusterId, ...coordinator)).stdout).toMatch(priorityLine);
      const local = await cli({ DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir }, 'cluster', 'show', clusterId);
      expect(local.stdout).toMatch(priorityLine);
      expect((await cli({}, 'cluster', 'show', clusterId, ...coordinator, '--json')).json<ClusterShow>().priority).toMatchObject({
        outcome: decided.decision.outcome,
        vendorFixDueAt: decided.decision.vendorFixDueAt,
      });

      const operator = await t.org('operator');
      const hidden = await cli({}, 'cluster', 'show', clusterId, '--url', url, '--token', operator.token);
      expect(hidden.code).toBe(1);
      expect(hidden.stderr).toMatch(/no cluster/);

      const list = await cli({}, 'cluster', 'list', ...coordinator);
      expect(list.stdout).toMatch(
        new RegExp(`^${clusterId}\\s+received\\s+1\\s+\\S+\\s+pkg:pypi/shopfront\\s+SQL injection in the order search$`, 'm'),
      );
      const listed = (await cli({}, 'cluster', 'list', ...coordinator, '--json')).json<Page<ClusterSummary>>();
      expect(listed.items.map((c) => c.id)).toEqual([clusterId]);
    } finally {
      await app.close();
    }
  });
});
