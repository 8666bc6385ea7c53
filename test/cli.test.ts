import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { openRuntime } from '../src/app/runtime.js';
import { buildServer } from '../src/app/server.js';
import { loadConfig } from '../src/platform/config.js';
import { testLogger } from '#test-support/run-logs.js';
import { cli, useCliDatabase } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';

describeEachDatabase('clearinghouse CLI', (dialect) => {
  const database = useCliDatabase(dialect, { init: false });
  let env: Record<string, string>;
  beforeEach(() => {
    env = database().env;
  });

  it('initialises once, printing the admin token once', async () => {
    const first = await cli(env, 'init');
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/admin API token \(shown once/);
    expect(first.stderr).toMatch(/chx_[A-Za-z0-9_-]{43}/);
    const second = await cli(env, 'init');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already initialised/);
    expect(second.stderr).not.toMatch(/chx_/);
  });

  it('manages organisations, users and tokens on the local database', async () => {
    await cli(env, 'init');
    const org = await cli(
      env,
      'org',
      'create',
      '--name',
      'Tri-County Electric Cooperative',
      '--kind',
      'operator',
      '--sector',
      'energy',
      '--json',
    );
    expect(org.code).toBe(0);
    const { id: orgId } = org.json<{ id: string }>();
    expect(orgId).toMatch(/^org_/);

    const listed = await cli(env, 'org', 'list');
    expect(listed.stdout).toMatch(/KIND\s+NAME/);
    expect(listed.stdout).toContain('Tri-County Electric Cooperative');
    expect(listed.stdout).toContain('energy');

    const user = await cli(
      env,
      'user',
      'create',
      '--org',
      orgId,
      '--email',
      'ot@tricounty.example',
      '--name',
      'OT lead',
      '--role',
      'admin',
      '--json',
    );
    expect(user.code).toBe(0);
    const { user: created } = user.json<{ user: { id: string } }>();

    const token = await cli(env, 'token', 'create', '--user', created.id, '--days', '7', '--json');
    const { id: tokenId, token: secret } = token.json<{ id: string; token: string }>();
    expect(secret).toMatch(/^chx_/);
    const revoked = await cli(env, 'token', 'revoke', tokenId);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${tokenId}`);
  });

  it('exits 2 naming the bad field, 1 for a missing record, and changes nothing', async () => {
    await cli(env, 'init');
    const bad = await cli(env, 'org', 'create', '--name', 'Acme', '--kind', 'bank');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/kind');
    expect(bad.stderr).toContain('must be one of');
    const usage = await cli(env, 'org', 'create', '--kind', 'vendor');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--name');
    expect((await cli(env, 'token', 'create', '--user', 'usr_x', '--days', 'soon')).code).toBe(2);
    const missing = await cli(env, 'token', 'revoke', 'tok_nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no token tok_nope');
    const orgs = (await cli(env, 'org', 'list', '--json')).json<{ items: { name: string }[] }>();
    expect(orgs.items.map((o) => o.name)).toEqual(['Clearinghouse Coordination Center']);
  });

  it('exits 2 on a bad configuration value, naming the variable', async () => {
    const result = await cli({ ...env, LOG_LEVEL: 'chatty' }, 'init');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LOG_LEVEL');
  });

  it('verifies the audit chain: 0 when intact, 1 naming the first broken sequence number', async () => {
    await cli(env, 'init');
    await cli(env, 'org', 'create', '--name', 'Helix Medical Software', '--kind', 'vendor');
    const intact = await cli(env, 'audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/intact: 3 events/);

    const runtime = await openRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), testLogger());
    await sql`update audit_event set actor = 'someone-else' where seq = 2`.execute(runtime.db.kysely);
    await runtime.close();
    const broken = await cli(env, 'audit', 'verify', '--json');
    expect(broken.code).toBe(1);
    expect(broken.json()).toMatchObject({ ok: false, broken: { seq: 2 } });
    expect((await cli(env, 'audit', 'verify')).stdout).toContain('BROKEN at sequence 2');
  });

  it('fills an empty database with the demo cast and prints each admin token', async () => {
    const demo = await cli(env, 'demo', '--json');
    expect(demo.code).toBe(0);
    const { orgs } = demo.json<{ orgs: { id: string; name: string; kind: string; token: string }[] }>();
    const kinds = orgs.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'coordinator')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'agency')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'model_developer')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'vendor')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'operator')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'researcher')).toHaveLength(1);
    for (const o of orgs) {
      expect(o.id).toMatch(/^org_/);
      expect(o.token).toMatch(/^chx_/);
    }
    // The main line to its end: the two operators that run the affected version are told, one reports patched.
    const { line } = demo.json<{ line: { caseNumber: string; parties: { name: string; sees: string }[] } }>();
    const sees = (name: string) => line.parties.find((p) => p.name === name)?.sees ?? '';
    expect(line.caseNumber).toMatch(/^CH-\d{4}-\d{4}$/);
    expect(sees('Tri-County Electric Cooperative')).toMatch(
      /^inbox ".*affects 1 of your assets" \(fixed in 3\.8\.2;.*remediation ems-gateway: notified/,
    );
    expect(sees('St. Aurelia Regional Hospital')).toContain('imaging-gateway: patched');
    expect(sees('Riverbend Water Authority')).toMatch(/^nothing/);
    // Two vendors, one affected (fixed in 3.8.2) and one not affected, under the embargo their first contact
    // started (the policy's 45 days), which the publication ended.
    expect(sees('Gridworks Controls')).toMatch(
      /^its statement not_affected \(vulnerable_code_not_in_execute_path\) approved; advisory \S+ published$/,
    );
    const embargo = /^embargo active until (\S+), ended at publication; /.exec(sees('coordinator'));
    expect(embargo).not.toBeNull();
    const days = (Date.parse(embargo![1]!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(44);
    expect(days).toBeLessThanOrEqual(45);
    expect(sees('coordinator')).toMatch(/; 2 operators notified, 1 acknowledged, 1 patched$/);
    expect((await cli(env, 'demo')).code).toBe(1);
    expect((await cli(env, 'audit', 'verify')).code).toBe(0);

    // The story played through the modules, as each party sees it over the API.
    const runtime = await openRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), testLogger());
    const app = await buildServer(runtime);
    try {
      const as = (name: string) => ({ authorization: `Bearer ${orgs.find((o) => o.name === name)?.token ?? ''}` });
      const get = async (name: string, url: string) =>
        (await app.inject({ method: 'GET', url, headers: as(name) })).json<Record<string, unknown>>();
      const hospital = orgs.find((o) => o.name === 'St. Aurelia Regional Hospital')!;
      const exposure = await get(hospital.name, `/api/v1/inventory/exposure?orgId=${hospital.id}`);
      expect(JSON.stringify(exposure)).toContain('CVE-2023-36053');
      const states = ((await get('Clearinghouse Coordination Center', '/api/v1/clusters?limit=100')).items as { state: string }[]).map(
        (c) => c.state,
      );
      // The reproduced cluster was accepted for a case (the main line); the false positive stays invalid.
      expect(states).toEqual(expect.arrayContaining(['accepted', 'invalid']));
      // Meridian's native finding and Kestrel's SARIF report of the same overflow are one cluster.
      const clusters = (await get('Clearinghouse Coordination Center', '/api/v1/clusters?limit=100')).items as {
        id: string;
        state: string;
      }[];
      const accepted = clusters.find((c) => c.state === 'accepted')?.id ?? '';
      const reports = (await get('Clearinghouse Coordination Center', `/api/v1/clusters/${accepted}`)).findings as {
        format: string;
        reporterOrgId: string;
        outcome: string;
      }[];
      const idOf = (name: string) => orgs.find((o) => o.name === name)?.id;
      expect(reports.map((r) => [r.format, r.reporterOrgId, r.outcome])).toEqual([
        ['native', idOf('Meridian AI'), 'new'],
        ['sarif', idOf('Kestrel Vulnerability Research'), 'duplicate'],
      ]);
      // The published CSAF names the affected product fixed in 3.8.2 and Gridworks' product as known not affected.
      const { advisory } = demo.json<{ line: { advisory: { link: string } } }>().line;
      const csaf = (await app.inject({ method: 'GET', url: new URL(advisory.link).pathname })).json<{
        vulnerabilities: { product_status: Record<string, string[]> }[];
        product_tree: unknown;
      }>();
      const status = csaf.vulnerabilities[0]!.product_status;
      expect(Object.keys(status).sort()).toEqual(['fixed', 'known_affected', 'known_not_affected']);
      const names = JSON.stringify(csaf.product_tree);
      expect(names).toContain('substation-gateway');
      expect(names).toContain('3.8.2');
      const reviews = (await get('Meridian AI', '/api/v1/frontier/reviews')).items as { state: string }[];
      expect(reviews.map((r) => r.state)).toEqual(['open']);
    } finally {
      await app.close();
      await runtime.close();
    }
  }, 240_000);

  it('talks to a remote server with --url and --token', async () => {
    const init = await cli(env, 'init');
    const adminToken = /chx_[A-Za-z0-9_-]{43}/.exec(init.stderr)?.[0] ?? '';
    const runtime = await openRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), testLogger());
    const app = await buildServer(runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const created = await cli(
        {},
        'org',
        'create',
        '--url',
        url,
        '--token',
        adminToken,
        '--name',
        'Port of Easthaven',
        '--kind',
        'operator',
        '--json',
      );
      expect(created.code).toBe(0);
      const listed = await cli({ CLEARINGHOUSE_URL: url, CLEARINGHOUSE_TOKEN: adminToken }, 'org', 'list', '--json');
      expect(listed.json<{ items: { name: string }[] }>().items.map((o) => o.name)).toContain('Port of Easthaven');
      const own = await cli({}, 'token', 'create', '--url', url, '--token', adminToken, '--name', 'laptop', '--json');
      expect(own.json<{ name: string }>().name).toBe('laptop');
      const refused = await cli({}, 'org', 'create', '--url', url, '--token', 'chx_wrong', '--name', 'X', '--kind', 'vendor');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/unknown, expired or revoked/);
      const invalid = await cli({}, 'org', 'create', '--url', url, '--token', adminToken, '--name', 'X', '--kind', 'bank');
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toContain('/body/kind');
      expect((await cli({}, 'org', 'list', '--url', url)).code).toBe(2);
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});
