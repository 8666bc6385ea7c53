import { expect, it } from 'vitest';
import { buildServer } from '../../../app/server.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import type { OperatorPriorities } from '../presenters.js';
import { seedPriorities } from '../test-support/priorities.js';

// The rows and their order are those of seedPriorities, read off the SSVC deployer tables there.
describeEachDatabase('clearinghouse priorities', (dialect) => {
  const get = useTestRuntime(dialect);

  it("prints an operator's ranked rows from a server, as a table with the first row explained, or as JSON", async () => {
    const t = get();
    const { a } = await seedPriorities(t);
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const remote = ['--url', url, '--token', a.token];
      const human = await cli({}, 'priorities', ...remote);
      expect(human.code).toBe(0);
      const lines = human.stdout.split('\n');
      expect(lines[0]).toMatch(/^#\s+PRIORITY\s+DUE\s+KEV\s+EPSS\s+ADVISORY\s+SUMMARY\s+ASSET\s+FIXED IN$/);
      expect(lines[1]).toMatch(
        /^1\s+Immediate\s+2026-06-03\s+KEV\s+-\s+PYSEC-2 \(CVE-2026-0002\)\s+requests leaks\s+Historian\s+2\.31\.0$/,
      );
      expect(lines[2]).toMatch(/^2\s+Out-of-Cycle\s+2026-06-09\s+KEV/);
      expect(lines[3]).toMatch(
        /^3\s+Scheduled\s+2026-07-02\s+0\.500\s+PYSEC-1 \(CVE-2026-0001\)\s+Django SQL injection\s+Historian\s+3\.2\.1$/,
      );
      expect(human.stdout).toMatch(
        /3 row\(s\) on 2 asset\(s\), 2 advisory\(ies\): 1 Immediate, 1 Out-of-Cycle, 1 Scheduled, 0 Defer; 2 in KEV/,
      );
      expect(human.stdout).toMatch(/#1 PYSEC-2 \(CVE-2026-0002\) on Historian: Immediate \(due 2026-06-03\)/);
      expect(human.stdout).toMatch(/exploitation\s+active\s+CISA KEV: CVE-2026-0002/);

      const cut = await cli({}, 'priorities', ...remote, '--limit', '2');
      expect(cut.stdout).toMatch(/showing 2 of 3; more with --cursor \S+ \(or --all/);
      const cursor = /--cursor (\S+)/.exec(cut.stdout)?.[1] ?? '';
      const rest = await cli({}, 'priorities', ...remote, '--limit', '2', '--cursor', cursor, '--json');
      expect(rest.json<OperatorPriorities>().items.map((r) => r.rank)).toEqual([3]);
      const all = await cli({}, 'priorities', ...remote, '--all', '--json');
      expect(all.json<OperatorPriorities>()).toMatchObject({ nextCursor: null, totals: { rows: 3 } });
      expect(all.json<OperatorPriorities>().items).toHaveLength(3);

      const filtered = await cli({}, 'priorities', ...remote, '--asset', 'HMI', '--json');
      expect(filtered.json<OperatorPriorities>().items.map((r) => [r.asset.name, r.priority])).toEqual([['HMI', 'out_of_cycle']]);
      expect((await cli({}, 'priorities', ...remote, '--sector', 'oceans')).code).toBe(2);
      expect((await cli({}, 'priorities', ...remote, '--limit', '0')).code).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('reads the local database for a named operator', async () => {
    const t = get();
    const { a } = await seedPriorities(t);
    const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir };
    const local = await cli(env, 'priorities', '--org', a.orgId, '--json');
    expect(local.code).toBe(0);
    // The local operator sees every advisory, the RED one too: Scheduled like PYSEC-1, after it for want of an EPSS score.
    expect(local.json<OperatorPriorities>().items.map((r) => r.advisory.id)).toEqual(['PYSEC-2', 'PYSEC-2', 'PYSEC-1', 'PYSEC-3']);
    const unnamed = await cli(env, 'priorities');
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toMatch(/name the operator/);
  });
});
