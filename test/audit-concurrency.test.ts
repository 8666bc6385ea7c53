import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRuntime } from '../src/app/runtime.js';
import { verifyAuditChain } from '../src/modules/audit/index.js';
import { loadConfig } from '../src/platform/config.js';
import { testLogger } from '#test-support/run-logs.js';
import { createTestDatabaseUrl, postgresAvailable, type TestDatabaseUrl } from '#test-support/databases.js';
import { killed, spawnTs, waitForLine } from '#test-support/spawn.js';

const LISTENING = /listening on (http:\/\/[\d.]+:\d+)/;
// Two servers compiled by tsx at once take minutes to listen on a machine that other work loads.
const STARTUP_MS = 240_000;

// Several stateless servers share one PostgreSQL (DESIGN §6); their audit appends must stay one chain.
describe.runIf(postgresAvailable())('two server processes on one PostgreSQL', () => {
  let target: TestDatabaseUrl;
  beforeEach(async () => {
    target = await createTestDatabaseUrl('postgres');
  });
  afterEach(() => target.drop());

  it(
    'write concurrently and keep one valid audit chain',
    async () => {
      const adminToken = 'shared-admin-token-for-both-servers-0123456789';
      const env = {
        DATABASE_URL: target.url,
        CLEARINGHOUSE_DATA_DIR: target.dir,
        PORT: '0',
        LOG_LEVEL: 'warn',
        CLEARINGHOUSE_ADMIN_TOKEN: adminToken,
        CLEARINGHOUSE_RATE_LIMIT: '100000',
      };
      const servers = [spawnTs('src/app/main.ts', ['serve'], env), spawnTs('src/app/main.ts', ['serve'], env)];
      try {
        const urls = await Promise.all(servers.map(async (s) => (await waitForLine(s, LISTENING, STARTUP_MS))[1] as string));
        const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
        const writes = Array.from({ length: 120 }, (_, i) =>
          fetch(`${urls[i % 2]}/api/v1/${i % 3 === 0 ? 'orgs' : 'tokens'}`, {
            method: 'POST',
            headers,
            body: JSON.stringify(i % 3 === 0 ? { name: `Operator ${i}`, kind: 'operator' } : { name: `token ${i}` }),
          }),
        );
        const statuses = (await Promise.all(writes)).map((r) => r.status);
        expect(statuses.every((s) => s === 201)).toBe(true);
      } finally {
        await Promise.all(servers.map(killed));
      }
      const runtime = await openRuntime(loadConfig({ DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir }), testLogger(), {
        migrate: false,
      });
      try {
        const result = await verifyAuditChain(runtime.db);
        // bootstrap: org + user; then one event per write.
        expect(result).toMatchObject({ ok: true, count: 2 + 120 });
      } finally {
        await runtime.close();
      }
    },
    2 * STARTUP_MS,
  );
});
