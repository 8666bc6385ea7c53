import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { buildServer } from '../../app/server.js';
import { acceptedCluster } from './test-support/cases.js';
import { tempDirForTest } from '#test-support/temp-dir.js';

const DAY = 24 * 60 * 60 * 1000;
/** CERT/CC's published defaults, written here rather than read from the code under test. */
const DEFAULTS = {
  embargoDays: 45,
  exploitedEmbargoDays: 7,
  maxEmbargoDays: 90,
  reminderDaysBefore: [7, 1],
  autoOpenAtPriority: 'act',
  defaultTimeZone: 'UTC',
  cna: null,
};

describeEachDatabase('the disclosure policy', (dialect) => {
  const get = useTestServer(dialect);

  it('is versioned data a coordinator admin changes (409 on a stale version, audited) and the embargo decides by', async () => {
    const t = get();
    const vendor = await t.org('vendor');
    const shown = await t.call(vendor, 'GET', '/api/v1/cases/policy');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ version: 0, policy: DEFAULTS });

    const shorter = { ...DEFAULTS, embargoDays: 30, reminderDaysBefore: [10, 2] };
    expect((await t.call(vendor, 'PUT', '/api/v1/cases/policy', { policy: shorter, version: 0 })).status).toBe(403);
    const saved = await t.call(t.coordinatorAdmin, 'PUT', '/api/v1/cases/policy', { policy: shorter, version: 0, note: 'thirty days' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, policy: shorter, note: 'thirty days' });
    const stale = await t.call(t.coordinatorAdmin, 'PUT', '/api/v1/cases/policy', { policy: DEFAULTS, version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.problem.code).toBe('disclosure-policy-version-changed');

    const bad = { ...shorter, exploitedEmbargoDays: 31, defaultTimeZone: 'Mars/Olympus_Mons' };
    const refused = await t.call(t.coordinatorAdmin, 'PUT', '/api/v1/cases/policy', { policy: bad, version: 1 });
    expect(refused.status).toBe(400);
    expect(refused.problem.errors?.map((e) => e.pointer).sort()).toEqual(['/policy/defaultTimeZone', '/policy/exploitedEmbargoDays']);
    const missing = await t.call(t.coordinatorAdmin, 'PUT', '/api/v1/cases/policy', { policy: { ...shorter, maxEmbargoDays: undefined } });
    expect(missing.problem.errors?.map((e) => e.pointer)).toEqual(['/policy/maxEmbargoDays']);

    const versions = await t.call(vendor, 'GET', '/api/v1/cases/policy/versions');
    expect((versions.body as { items: { version: number }[] }).items.map((v) => v.version)).toEqual([1]);
    const audit = await t.runtime.db.kysely.selectFrom('audit_event').selectAll().where('action', '=', 'cases.policy.update').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]?.diff))).toMatchObject({ version: 1, changed: { embargoDays: [45, 30] } });

    // A case whose first vendor is contacted now ends its embargo 30 days later, and names version 1.
    const researcher = await t.org('researcher');
    const opened = await t.call(t.coordinatorAdmin, 'POST', '/api/v1/cases', { clusterIds: [await acceptedCluster(t, researcher)] });
    const caseId = (opened.body as { id: string }).id;
    expect((await t.call(t.coordinatorAdmin, 'POST', `/api/v1/cases/${caseId}/participants`, { orgId: vendor.orgId })).status).toBe(200);
    const detail = (await t.call(t.coordinatorAdmin, 'GET', `/api/v1/cases/${caseId}`)).body as {
      embargo: { endsAt: string };
      disclosurePolicyVersion: number;
    };
    expect(detail.embargo.endsAt).toBe(new Date(t.clock.now().getTime() + 30 * DAY).toISOString());
    expect(detail.disclosurePolicyVersion).toBe(1);
  });

  it('is shown and set from the CLI, on the local database and through --url, exit 2 naming a bad field', async () => {
    const t = get();
    const dir = tempDirForTest('disclosure-policy-');
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULTS, exploitedEmbargoDays: 5 }));
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const remote = ['--url', url, '--token', t.coordinatorAdmin.token];
      const shown = await cli({}, 'cases', 'policy', 'show', ...remote);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/disclosure policy version 0/);
      expect(shown.stdout).toMatch(/45 days from the first vendor contact, 7 when actively exploited, at most 90/);
      const set = await cli({}, 'cases', 'policy', 'set', file, '--note', 'five days when exploited', '--expect-version', '0', ...remote);
      expect(set.code).toBe(0);
      expect(set.stdout).toMatch(/version 1 \(five days when exploited\)/);
      const stale = await cli({}, 'cases', 'policy', 'set', file, '--note', 'again', '--expect-version', '0', ...remote);
      expect(stale.code).not.toBe(0);
      expect(stale.stderr).toMatch(/at version 1 now, not 0/);
      writeFileSync(file, JSON.stringify({ ...DEFAULTS, embargoDays: 0 }));
      const bad = await cli({}, 'cases', 'policy', 'set', file, '--note', 'zero', ...remote);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/\/policy\/embargoDays/);
      const json = await cli({}, 'cases', 'policy', 'show', '--json', ...remote);
      expect(JSON.parse(json.stdout)).toMatchObject({ version: 1, policy: { exploitedEmbargoDays: 5 } });

      // The CNA identity: set alone, keeping the rest of the version in force, audited; a bad UUID names its field.
      const cna = await cli(
        {},
        'cases',
        'policy',
        'cna',
        'b3476cb9-2e3d-41a6-98d0-0f47421a65b6',
        'ONCD-CH',
        '--note',
        'our CNA',
        ...remote,
      );
      expect(cna.code).toBe(0);
      expect(cna.stdout).toMatch(/version 2 \(our CNA\)/);
      expect(cna.stdout).toMatch(/CNA in CVE records: ONCD-CH \(b3476cb9-2e3d-41a6-98d0-0f47421a65b6\)/);
      const after = JSON.parse((await cli({}, 'cases', 'policy', 'show', '--json', ...remote)).stdout) as { policy: unknown };
      expect(after.policy).toEqual({
        ...DEFAULTS,
        exploitedEmbargoDays: 5,
        cna: { orgId: 'b3476cb9-2e3d-41a6-98d0-0f47421a65b6', shortName: 'ONCD-CH' },
      });
      const audit = await t.runtime.db.kysely
        .selectFrom('audit_event')
        .select('diff')
        .where('action', '=', 'cases.policy.update')
        .where('subject_id', '=', '2')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(String(audit.diff))).toMatchObject({
        changed: { cna: [null, { orgId: 'b3476cb9-2e3d-41a6-98d0-0f47421a65b6', shortName: 'ONCD-CH' }] },
      });
      // A version 1 UUID and a one-letter short name are not CVE Program identities.
      const badCna = await cli({}, 'cases', 'policy', 'cna', 'b3476cb9-2e3d-11a6-98d0-0f47421a65b6', 'X', '--note', 'typo', ...remote);
      expect(badCna.code).toBe(2);
      expect(badCna.stderr).toMatch(/\/policy\/cna\/orgId/);
      expect(badCna.stderr).toMatch(/\/policy\/cna\/shortName/);
    } finally {
      await app.close();
    }
  });
});
