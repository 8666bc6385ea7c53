import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabaseUrl } from '#test-support/databases.js';
import { killed, runToEnd, spawnTs, waitForLine } from '#test-support/spawn.js';

const LISTENING = /listening on (http:\/\/[\d.]+:\d+)/;

describeEachDatabase('clearinghouse serve', (dialect) => {
  let target: TestDatabaseUrl;
  let env: Record<string, string>;

  beforeEach(async () => {
    target = await createTestDatabaseUrl(dialect);
    env = { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir, PORT: '0', LOG_LEVEL: 'warn' };
  });
  afterEach(() => target.drop());

  it('creates and migrates the database on first start, prints the admin token once, and stops cleanly', async () => {
    const first = spawnTs('src/app/main.ts', ['serve'], env);
    let stderr = '';
    first.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const [, url] = await waitForLine(first, LISTENING);
    const token = /chx_[A-Za-z0-9_-]{43}/.exec(stderr)?.[0];
    expect(token).toBeDefined();
    // Quiet: no schema-compiler warnings; the banner, then the token framed so that it stands out.
    expect(stderr).not.toMatch(/strict mode/);
    expect(stderr).toMatch(/API docs at http:\/\/[\d.]+:\d+\/api\/docs\n\n\+-+\+\n\| created the coordinator organisation .* \|\n/);
    expect(stderr).toMatch(
      new RegExp(`\\| admin API token \\(shown once, keep it safe\\): *\\|\\n\\| *\\|\\n\\|   ${token} *\\|\\n\\+-+\\+`),
    );
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { org: { kind: string } }).org.kind).toBe('coordinator');
    const exit = new Promise<number | null>((resolve) => first.once('exit', resolve));
    first.kill('SIGTERM');
    expect(await exit).toBe(0);

    const second = spawnTs('src/app/main.ts', ['serve'], env);
    let secondStderr = '';
    second.stderr?.on('data', (c: Buffer) => (secondStderr += c.toString()));
    await waitForLine(second, LISTENING);
    expect(secondStderr).not.toMatch(/chx_/);
    await killed(second);
  });

  it('uses CLEARINGHOUSE_ADMIN_TOKEN when given', async () => {
    const adminToken = 'ops-chosen-admin-token-0123456789-abcdefgh';
    const server = spawnTs('src/app/main.ts', ['serve'], { ...env, CLEARINGHOUSE_ADMIN_TOKEN: adminToken });
    const [, url] = await waitForLine(server, LISTENING);
    try {
      const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(me.status).toBe(200);
    } finally {
      await killed(server);
    }
  });

  it('refuses to start on a bad configuration value, naming the variable, with exit code 2', async () => {
    const result = await runToEnd(spawnTs('src/app/main.ts', ['serve'], { ...env, PORT: 'eighty' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT must be a whole number');
  });
});
