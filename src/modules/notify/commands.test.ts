import { expect, it } from 'vitest';
import { buildServer } from '../../app/server.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { uploadSbom, upsertAdvisory } from '../inventory/index.js';
import { addAllowlistEntry } from './service/allowlist.js';

const SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  components: [{ type: 'library', name: 'django', version: '4.2.1', purl: 'pkg:pypi/django@4.2.1' }],
};

describeEachDatabase('clearinghouse webhook, inbox and remediation against a server', (dialect) => {
  const get = useTestRuntime(dialect);

  it('registers a webhook (the secret once), reads the inbox, reports patched, and gives the coordinator the report and CSV', async () => {
    const t = get();
    const operator = await t.org('operator', { sectors: ['water'] });
    await addAllowlistEntry(t.as(t.coordinatorAdmin), { cidr: '127.0.0.1/32' });
    await uploadSbom(t.as(operator), { asset: { name: 'pumps', criticality: 'high' }, bytes: Buffer.from(JSON.stringify(SBOM)) });
    await upsertAdvisory(
      t.system,
      {
        id: 'PYSEC-2026-77',
        modified: '2026-01-01T00:00:00Z',
        aliases: ['CVE-2026-7700'],
        summary: 'SQLi',
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'django' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.0' }, { fixed: '4.2.2' }] }],
          },
        ],
      },
      { source: 'osv-import', tlp: 'GREEN' },
    );
    await t.runtime.jobs.drain();
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const as = (token: string) => ['--url', url, '--token', token];
      const added = await cli({}, 'webhook', 'add', 'http://127.0.0.1:9/hook', '--event', 'advisory.*', ...as(operator.token));
      expect(added.code).toBe(0);
      expect(added.stdout).toMatch(/signing secret \(shown this once\): whsec_/);
      const id = /webhook (whk_\w+) registered/.exec(added.stdout)?.[1] ?? '';
      const updated = await cli(
        {},
        'webhook',
        'update',
        id,
        '--event',
        'advisory.published,scan.*',
        '--sector',
        'water',
        '--json',
        ...as(operator.token),
      );
      expect(updated.code).toBe(0);
      expect(JSON.parse(updated.stdout)).toMatchObject({ id, events: ['advisory.published', 'scan.*'], sectors: ['water'] });
      expect((await cli({}, 'webhook', 'update', id, ...as(operator.token))).code).toBe(2);
      const badUpdate = await cli({}, 'webhook', 'update', id, '--endpoint', 'https://10.0.0.1/hook', ...as(operator.token));
      expect(badUpdate.code).toBe(2);
      expect(badUpdate.stderr).toMatch(/\/url/);
      const rotated = await cli({}, 'webhook', 'rotate', id, ...as(operator.token));
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toMatch(/new signing secret \(shown this once\): whsec_\S+\nthe previous secret signs beside it until 20/);
      const bad = await cli({}, 'webhook', 'add', 'http://10.0.0.1/hook', '--event', '*', ...as(operator.token));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/\/url/);

      const inbox = await cli({}, 'inbox', ...as(operator.token));
      expect(inbox.stdout).toMatch(/1 unread[\s\S]*advisory\.matched/);
      const set = await cli({}, 'remediation', 'set', 'PYSEC-2026-77', 'patched', ...as(operator.token));
      expect(set.code).toBe(0);
      expect(set.stdout).toMatch(/pumps\s+patched/);
      const refused = await cli({}, 'remediation', 'set', 'PYSEC-2026-77', 'mitigated', ...as(operator.token));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/\/mitigation/);

      const report = await cli({}, 'remediation', 'report', 'PYSEC-2026-77', ...as(t.coordinatorAdmin.token));
      expect(report.stdout).toMatch(/1 operator\(s\) notified, 1 acknowledged, 1 patched/);
      const csv = await cli({}, 'remediation', 'report', 'PYSEC-2026-77', '--csv', ...as(t.coordinatorAdmin.token));
      expect(csv.stdout.split('\r\n')[1]).toMatch(new RegExp(`^${operator.orgId},.*,pumps,water,patched,`));
      const json = await cli({}, 'remediation', 'list', '--closed', '--json', ...as(operator.token));
      expect((JSON.parse(json.stdout) as { items: { status: string }[] }).items.map((i) => i.status)).toEqual(['patched']);
    } finally {
      await app.close();
    }
  });

  it('acts on the local database as the organisation --org names (the coordinator by default), and refuses --org with --url', async () => {
    const t = get();
    const operator = await t.org('operator', { sectors: ['water'] });
    await addAllowlistEntry(t.as(t.coordinatorAdmin), { cidr: '127.0.0.1/32' });
    const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir };
    const added = await cli(env, 'webhook', 'add', 'http://127.0.0.1:9/hook', '--event', 'advisory.*', '--org', operator.orgId, '--json');
    expect(added.code).toBe(0);
    const webhookId = JSON.parse(added.stdout) as { id: string; webhook: { orgId: string } };
    expect(webhookId.webhook.orgId).toBe(operator.orgId);
    const listed = (args: string[]) =>
      cli(env, 'webhook', 'list', '--json', ...args).then((r) =>
        (JSON.parse(r.stdout) as { items: { id: string }[] }).items.map((w) => w.id),
      );
    expect(await listed(['--org', operator.orgId])).toEqual([webhookId.id]);
    // Without --org, the coordinator's admin: the operator's webhook is not its own.
    expect(await listed([])).toEqual([]);
    const remote = await cli(env, 'webhook', 'list', '--org', operator.orgId, '--url', 'http://127.0.0.1:9', '--token', 'chx_x');
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('--org works on the local database only');
  });
});
