import { expect, it } from 'vitest';
import { buildServer } from '../../../app/server.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { addBlackout, addConsent, declareAsset, getAsset as getScanAsset } from '../service/assets.js';

describeEachDatabase('clearinghouse scan', (dialect) => {
  const get = useTestRuntime(dialect);

  it('creates, lists and stops campaigns, and claims, refuses and releases leases, locally and with --url', async () => {
    const t = get();
    const nsa = await t.org('agency', { name: 'NSA test' });
    const cisa = await t.org('agency', { name: 'CISA test' });
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const as = (who: { token: string }) => ['--url', url, '--token', who.token];
      const create = [
        'scan',
        'campaign',
        'create',
        '--name',
        'Lodash sweep',
        '--tool',
        'deepscan@2.1',
        '--technique',
        'sast',
        '--target',
        'pkg:npm/lodash vers:npm/>=4.0.0',
        '--start',
        '2026-06-02T12:00:00Z',
        '--days',
        '7',
        '--email',
        'soc@nsa.example',
      ];
      const first = await cli({}, ...create, '--tlp', 'GREEN', ...as(nsa));
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/Lodash sweep/);
      expect(first.stdout).toMatch(/no conflicts/);
      const second = await cli({}, ...create, '--json', ...as(cisa));
      expect(second.code, second.stderr).toBe(0);
      const { campaign, conflicts } = second.json<{ campaign: { id: string }; conflicts: { campaign: { name: string } | null }[] }>();
      expect(conflicts.map((c) => c.campaign?.name)).toEqual(['Lodash sweep']);
      const listed = await cli({}, 'scan', 'campaign', 'list', '--state', 'active', ...as(cisa));
      expect(listed.stdout.split('\n').filter((l) => l.includes('Lodash sweep'))).toHaveLength(2);
      const stopped = await cli({}, 'scan', 'campaign', 'stop', campaign.id, '--reason', 'done', ...as(cisa));
      expect(stopped.stdout).toMatch(/stopped: done/);

      const claim = await cli(
        {},
        'scan',
        'lease',
        'claim',
        'pkg:npm/lodash',
        '--technique',
        'fuzzing',
        '--seconds',
        '600',
        '--json',
        ...as(nsa),
      );
      expect(claim.code, claim.stderr).toBe(0);
      const lease = claim.json<{ id: string; expiresAt: string }>();
      const held = await cli({}, 'scan', 'lease', 'claim', 'pkg:npm/lodash', '--technique', 'fuzzing', ...as(cisa));
      expect(held.code).toBe(1);
      expect(held.stderr).toMatch(`is leased for fuzzing by another party until ${lease.expiresAt}`);
      const status = await cli({}, 'scan', 'status', 'pkg:npm/lodash@4.17.21', ...as(cisa));
      expect(status.stdout).toMatch(/\(hidden\)/);
      expect(status.stdout).toMatch(/clusters already known: 0 validated, 0 open/);
      // Locally (on the real clock): claimed as the NSA's admin, seen by the coordinator's admin with its holder named.
      const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir };
      const localClaim = await cli(env, 'scan', 'lease', 'claim', 'pkg:npm/underscore', '--technique', 'sast', '--org', nsa.orgId);
      expect(localClaim.code, localClaim.stderr).toBe(0);
      const local = await cli(env, 'scan', 'status', 'pkg:npm/underscore');
      expect(local.stdout).toMatch(/NSA test/);
      const released = await cli({}, 'scan', 'lease', 'release', lease.id, ...as(nsa));
      expect(released.stdout).toMatch(/released/);
      const bad = await cli({}, 'scan', 'lease', 'claim', 'pkg:npm/lodash', '--technique', 'fuzzing', '--seconds', '5', ...as(nsa));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/seconds/);
    } finally {
      await app.close();
    }
  });

  it('withdraws a standing consent and removes a blackout with --url; an unknown one exits 1', async () => {
    const t = get();
    const grid = await t.org('operator');
    const cisa = await t.org('agency');
    const asset = await declareAsset(t.as(grid), { name: 'Historian', timeZone: 'UTC', targets: ['historian.grid.example'] });
    const withConsent = await addConsent(t.as(grid), asset.id, {
      scannerOrgId: cisa.orgId,
      techniques: ['network'],
      maxIntensity: { requestsPerSecond: 5, concurrency: 1 },
    });
    const consentId = withConsent.consents[0]?.id ?? '';
    const { asset: withBlackout } = await addBlackout(t.as(grid), asset.id, {
      reason: 'evening peak',
      window: { kind: 'weekly', days: ['mon'], start: '17:00', end: '21:00' },
    });
    const blackoutId = withBlackout.blackouts[0]?.id ?? '';
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const as = ['--url', url, '--token', grid.token];
      const withdrawn = await cli({}, 'scan', 'asset', 'consent-remove', asset.id, consentId, '--json', ...as);
      expect(withdrawn.code).toBe(0);
      expect((JSON.parse(withdrawn.stdout) as { consents: unknown[] }).consents).toEqual([]);
      const removed = await cli({}, 'scan', 'asset', 'blackout-remove', asset.id, blackoutId, ...as);
      expect(removed.code).toBe(0);
      expect(removed.stdout).not.toContain(blackoutId);
      expect((await getScanAsset(t.as(grid), asset.id)).blackouts).toEqual([]);
      // A removed blackout is gone: removing it again answers not found.
      expect((await cli({}, 'scan', 'asset', 'blackout-remove', asset.id, blackoutId, ...as)).code).toBe(1);
    } finally {
      await app.close();
    }
  });
});
