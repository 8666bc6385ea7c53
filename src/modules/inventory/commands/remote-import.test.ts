import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../../app/runtime.js';
import { buildServer } from '../../../app/server.js';
import { loadConfig } from '../../../platform/config.js';
import type { HttpApp } from '../../../platform/http/index.js';
import { testLogger } from '#test-support/run-logs.js';
import { cli, useCliDatabase } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { kevCatalogJson } from '../../scoring/test-support/feeds.js';
import { cycloneDx, osvRecord, pypi } from '../test-support/fixtures.js';

/**
 * Issue 13: a coordinator with only a token imports advisories and feeds into a remote server, sees what
 * that queued, and waits for it; an operator sees its own work without counts of jobs about records it may
 * not see.
 */
describeEachDatabase('imports through the API, and the background work they queue', (dialect) => {
  const database = useCliDatabase(dialect, { init: false });
  let dir: string;
  let env: Record<string, string>;
  let runtime: Runtime;
  let app: HttpApp;
  let url: string;
  let admin: string;
  let operator: { orgId: string; token: string };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'inv-remote-'));
    env = database().env;
    admin = (await cli(env, 'init', '--json')).json<{ token: string }>().token;
    const { id: orgId } = (await cli(env, 'org', 'create', '--name', 'Riverbend Water', '--kind', 'operator', '--json')).json<{
      id: string;
    }>();
    const created = await cli(
      env,
      'user',
      'create',
      '--org',
      orgId,
      '--email',
      'ops@river.example',
      '--name',
      'Ops',
      '--role',
      'analyst',
      '--json',
    );
    operator = { orgId, token: created.json<{ token: { token: string } }>().token.token };
    runtime = await openRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), testLogger());
    app = await buildServer(runtime);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await app.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const asAdmin = () => ['--url', url, '--token', admin];
  const asOperator = () => ['--url', url, '--token', operator.token];

  function advisoryTree(): string {
    const tree = path.join(dir, 'osv');
    mkdirSync(tree, { recursive: true });
    writeFileSync(
      path.join(tree, 'a.json'),
      JSON.stringify(osvRecord('PYSEC-1', 'PyPI', 'django', [{ introduced: '3.0' }, { fixed: '3.2.1' }])),
    );
    writeFileSync(
      path.join(tree, 'b.json'),
      JSON.stringify(osvRecord('PYSEC-2', 'PyPI', 'requests', [{ introduced: '0' }, { fixed: '2.20.0' }])),
    );
    return tree;
  }

  it('imports an OSV tree into the server, says what it queued, and --wait returns once the reverse match ran', async () => {
    writeFileSync(path.join(dir, 'bom.json'), cycloneDx([pypi('Django', '3.2.0'), pypi('requests', '2.19.0')]));
    const upload = await cli({}, 'inventory', 'upload', path.join(dir, 'bom.json'), '--asset', 'Plant', ...asOperator(), '--json');
    expect(upload.code).toBe(0);
    // The operator is not told how many jobs its upload queued: one is queued per matching advisory, hidden ones too.
    expect(upload.json()).toMatchObject({ work: { id: expect.stringMatching(/^work_/), jobs: null } });

    const queued = await cli({}, 'inventory', 'advisories', 'import', advisoryTree(), ...asAdmin());
    expect(queued.code).toBe(0);
    expect(queued.stdout).toMatch(/2 advisories read: 2 created/);
    expect(queued.stdout).toMatch(/queued 2 background jobs \(work_\w+\); follow with: clearinghouse jobs status --work work_\w+/);
    const status = await cli({}, 'jobs', 'status', ...asAdmin(), '--json');
    expect(status.json()).toMatchObject({
      scope: 'all',
      jobs: expect.arrayContaining([{ kind: 'event:inventory.reverse-match', pending: 2, running: 0, failed: 0 }]),
      works: expect.arrayContaining([{ kind: 'inventory.advisory.import', pending: 1, running: 0, failed: 0 }]),
    });
    const own = (await cli({}, 'jobs', 'status', ...asOperator(), '--json')).json<{ scope: string; jobs: unknown; works: unknown[] }>();
    expect(own).toMatchObject({ scope: 'own', jobs: null });
    expect(JSON.stringify(own.works)).not.toMatch(/advisory\.import/);

    runtime.jobs.start();
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify(osvRecord('PYSEC-3', 'PyPI', 'django', [{ introduced: '0' }, { fixed: '9' }])));
    const waited = await cli({}, 'inventory', 'advisories', 'import', path.join(dir, 'c.json'), ...asAdmin(), '--wait', '--json');
    expect(waited.code).toBe(0);
    expect(waited.json()).toMatchObject({ created: 1, waited: { failed: false, works: [{ state: 'done' }] } });
    expect(waited.stderr).toMatch(/waiting for the background work: \d+ jobs?[\s\S]*background work finished: \d+ jobs?, 0 failed/);
    // The reverse match of the advisory imported with --wait is done when the command returns.
    const exposure = await cli({}, 'inventory', 'exposure', ...asOperator(), '--json');
    expect(JSON.stringify(exposure.json())).toMatch(/PYSEC-3/);
  });

  it('loads KEV into the server and reads the feeds remotely; a non-admin is refused', async () => {
    const kev = path.join(dir, 'kev.json');
    writeFileSync(kev, kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-0002' }]));
    runtime.jobs.start();
    const loaded = await cli({}, 'feeds', 'load', '--kev', kev, ...asAdmin(), '--wait', '--json');
    expect(loaded.code).toBe(0);
    expect(loaded.json()).toMatchObject({
      kev: { changed: true, entries: 1, work: { id: expect.any(String) } },
      waited: { failed: false },
    });
    const status = await cli({}, 'feeds', 'status', ...asAdmin());
    expect(status.stdout).toMatch(/KEV\s+2026\.06\.01: 1 entries/);
    const refused = await cli({}, 'feeds', 'load', '--kev', kev, ...asOperator());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/scoring\.feed\.manage/);
  });

  it('waits on the local database by running the queued work itself', async () => {
    const result = await cli(env, 'inventory', 'advisories', 'import', advisoryTree(), '--wait', '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      created: 2,
      waited: { failed: false, works: [{ state: 'done', jobs: { pending: 0, done: 2 } }] },
    });
    expect((await cli(env, 'jobs', 'status', '--json')).json()).toMatchObject({ scope: 'all', jobs: [] });
  });
});
