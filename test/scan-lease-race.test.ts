import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabaseUrl } from '#test-support/databases.js';
import { killed, spawnTs, waitForLine } from '#test-support/spawn.js';

const LISTENING = /listening on (http:\/\/[\d.]+:\d+)/;
const ADMIN_TOKEN = 'lease-race-admin-token-0123456789-abcdefghij';
const TARGETS = 100;
const CLAIMERS = 10;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Leases are decided by the database, never by a process's memory (issue 17): ten organisations claim
 * each of 100 targets for the same technique at once — 1,000 claims, spread over two server processes
 * sharing one PostgreSQL (one process on SQLite, which is single-process by design). Exactly one claim per
 * target wins (201); every other answers as the sequential path does, 409 `lease-held` naming the expiry,
 * never a 5xx.
 */
describeEachDatabase('lease claims racing on one database', (dialect) => {
  let target: TestDatabaseUrl;
  const servers: ChildProcess[] = [];
  const bases: string[] = [];

  async function start(): Promise<void> {
    const server = spawnTs('src/app/main.ts', ['serve'], {
      DATABASE_URL: target.url,
      CLEARINGHOUSE_DATA_DIR: target.dir,
      PORT: '0',
      LOG_LEVEL: 'error',
      CLEARINGHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
      CLEARINGHOUSE_RATE_LIMIT: '1000000',
    });
    servers.push(server);
    bases.push((await waitForLine(server, LISTENING, 60_000))[1] as string);
  }

  beforeAll(async () => {
    target = await createTestDatabaseUrl(dialect);
    // One after the other: the first migrates and bootstraps the coordinator, the second finds both done.
    await start();
    if (dialect === 'postgres') await start();
  }, 120_000);
  afterAll(async () => {
    for (const server of servers) await killed(server);
    await target?.drop();
  });

  async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  async function scanner(n: number): Promise<string> {
    const base = bases[0] as string;
    const org = await call(base, ADMIN_TOKEN, 'POST', '/api/v1/orgs', { name: `Racing scanner ${n}`, kind: 'agency' });
    expect(org.status).toBe(201);
    const user = await call(base, ADMIN_TOKEN, 'POST', `/api/v1/orgs/${org.body.id as string}/users`, {
      email: `analyst@scanner-${n}.example`,
      name: `Scanner ${n} analyst`,
      role: 'analyst',
    });
    expect(user.status).toBe(201);
    return (user.body.token as { token: string }).token;
  }

  it(`grants exactly ${TARGETS} of ${TARGETS * CLAIMERS} claims on ${TARGETS} targets; the others 409 lease-held`, async () => {
    const tokens = await Promise.all(Array.from({ length: CLAIMERS }, (_, n) => scanner(n)));
    const claims = Array.from({ length: TARGETS * CLAIMERS }, (_, i) => ({
      token: tokens[i % CLAIMERS] as string,
      base: bases[i % bases.length] as string,
      target: `pkg:npm/race-target-${Math.floor(i / CLAIMERS)}`,
    }));
    const answers = await Promise.all(
      claims.map((c) =>
        call(c.base, c.token, 'POST', '/api/v1/scanning/leases', { target: c.target, technique: 'fuzzing', seconds: 3600 }),
      ),
    );
    const counts = answers.reduce<Record<number, number>>((out, a) => ({ ...out, [a.status]: (out[a.status] ?? 0) + 1 }), {});
    expect(
      answers.filter((a) => a.status >= 500).map((a) => a.body.detail),
      JSON.stringify(counts),
    ).toEqual([]);
    expect(counts).toEqual({ 201: TARGETS, 409: TARGETS * (CLAIMERS - 1) });
    const winners = new Map<string, string>();
    answers.forEach((a, i) => {
      if (a.status === 201) winners.set(claims[i]!.target, a.body.id as string);
    });
    expect(winners.size).toBe(TARGETS);
    for (const [i, loser] of answers.entries()) {
      if (loser.status !== 409) continue;
      expect(loser.body).toMatchObject({ code: 'lease-held', target: claims[i]!.target, technique: 'fuzzing' });
      expect(typeof loser.body.expiresAt).toBe('string');
      expect(loser.body.nextFreeAt).toBe(loser.body.expiresAt);
    }
    // The sequential path answers the same: a later claim on a held target is refused alike.
    const later = await call(bases.at(-1) as string, tokens[0] as string, 'POST', '/api/v1/scanning/leases', {
      target: 'pkg:npm/race-target-7',
      technique: 'fuzzing',
      seconds: 60,
    });
    expect([later.status, later.body.code]).toEqual(
      winners.get('pkg:npm/race-target-7') === undefined ? [201, undefined] : [409, 'lease-held'],
    );
  }, 300_000);
});
