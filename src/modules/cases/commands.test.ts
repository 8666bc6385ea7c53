import { expect, it } from 'vitest';
import { buildServer } from '../../app/server.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { openCase } from './service/cases.js';
import { acceptedCluster } from './test-support/cases.js';

describeEachDatabase('clearinghouse cases list', (dialect) => {
  const get = useTestRuntime(dialect);

  it('pages with --limit and --cursor, printing how to see more; a bad --limit exits 2 naming it', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    for (const title of ['First case', 'Second case', 'Third case']) {
      await openCase(t.as(t.coordinatorAdmin), { clusterIds: [await acceptedCluster(t, researcher)], title });
      t.clock.advance(60_000);
    }
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const remote = ['--url', url, '--token', t.coordinatorAdmin.token];
      const first = await cli({}, 'cases', 'list', '--limit', '2', ...remote);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/Third case/);
      expect(first.stdout).toMatch(/Second case/);
      expect(first.stdout).not.toMatch(/First case/);
      const cursor = /more with --cursor (\S+)/.exec(first.stdout)?.[1];
      expect(cursor).toBeDefined();
      const second = await cli({}, 'cases', 'list', '--limit', '2', '--cursor', cursor ?? '', ...remote);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/First case/);
      expect(second.stdout).not.toMatch(/Second case|more with --cursor/);

      const bad = await cli({}, 'cases', 'list', '--limit', 'abc', ...remote);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--limit must be a whole number from 1 to 500, got "abc"/);
      const orgRemote = await cli({}, 'cases', 'list', '--org', researcher.orgId, ...remote);
      expect(orgRemote.code).toBe(2);
      expect(orgRemote.stderr).toMatch(/--org works on the local database only/);
    } finally {
      await app.close();
    }
  });
});
