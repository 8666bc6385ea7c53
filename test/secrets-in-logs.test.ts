import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { buildServer } from '../src/app/server.js';
import type { HttpApp } from '../src/platform/http/index.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { createTestRuntime, type TestRuntime } from '#test-support/runtime.js';

/**
 * Secrets never reach the logs, nor an error answer that did not issue them: a representative API session
 * (tokens created and used, a password set, console sign-in with its cookie and CSRF token, failed
 * authentications, webhooks registered, rotated and sent to, a signed remediation link followed, a body
 * that fails to parse) runs against a server logging everything (`trace`), and every log line is searched
 * for every secret issued or sent.
 */
describeEachDatabase('secrets in logs', (dialect) => {
  let t: TestRuntime | undefined;
  let app: HttpApp | undefined;
  afterEach(async () => {
    await app?.close();
    await t?.runtime.close();
    await t?.database.drop();
  });

  it('no token, password, session secret, CSRF token, webhook secret or link token appears in any log line', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    t = await createTestRuntime(dialect, { CLEARINGHOUSE_AUTH_FAILURE_LIMIT: '1000' }, { logger });
    app = await buildServer(t.runtime);
    const server = app;
    const secrets = new Map<string, string>();
    const answers: { what: string; issued: string[]; body: string }[] = [];
    const send = async (
      what: string,
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      options: { token?: string; authorization?: string; body?: unknown; raw?: string; cookie?: string; csrf?: string } = {},
    ) => {
      const headers: Record<string, string> = {};
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      if (options.authorization !== undefined) headers.authorization = options.authorization;
      if (options.cookie !== undefined) headers.cookie = `chx_session=${options.cookie}`;
      if (options.csrf !== undefined) headers['x-csrf-token'] = options.csrf;
      if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
      const response = await server.inject({
        method,
        url,
        headers,
        ...(options.raw !== undefined
          ? { payload: options.raw }
          : options.body !== undefined
            ? { payload: JSON.stringify(options.body) }
            : {}),
      });
      answers.push({ what, issued: [], body: response.body });
      return response;
    };
    const issued = (what: string, value: unknown): string => {
      expect(typeof value, what).toBe('string');
      secrets.set(String(value), what);
      answers[answers.length - 1]!.issued.push(String(value));
      return String(value);
    };

    const admin = t.coordinatorAdmin;
    secrets.set(admin.token, 'bootstrap token');
    const created = await send('create a token', 'POST', '/api/v1/tokens', { token: admin.token, body: { name: 'second' } });
    expect(created.statusCode).toBe(201);
    const second = issued('created token', created.json<{ token: string }>().token);
    expect((await send('use it', 'GET', '/api/v1/me', { token: second })).statusCode).toBe(200);

    const orgs = await send('create an org', 'POST', '/api/v1/orgs', {
      token: admin.token,
      body: { name: 'Logged Vendor', kind: 'vendor' },
    });
    const orgId = orgs.json<{ id: string }>().id;
    const user = await send('add a user', 'POST', `/api/v1/orgs/${orgId}/users`, {
      token: admin.token,
      body: { email: 'logged@vendor.example', name: 'Logged', role: 'admin' },
    });
    expect(user.statusCode).toBe(201);
    const userToken = issued("new user's token", user.json<{ token: { token: string } }>().token.token);
    const userId = user.json<{ user: { id: string } }>().user.id;
    const password = 'correct horse battery staple 7';
    secrets.set(password, 'password');
    expect(
      (await send('set a password', 'PUT', `/api/v1/users/${userId}/password`, { token: userToken, body: { password } })).statusCode,
    ).toBe(204);

    // Console sign-in, with the password and with a token; a wrong password; a body that does not parse.
    const signIn = await send('sign in', 'POST', '/api/v1/session', { body: { email: 'logged@vendor.example', password } });
    expect(signIn.statusCode).toBe(201);
    const cookie = issued('session secret', /chx_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))?.[1]);
    const csrf = issued('CSRF token', signIn.json<{ csrfToken: string }>().csrfToken);
    expect((await send('session read', 'GET', '/api/v1/session', { cookie })).statusCode).toBe(200);
    // The console reads its CSRF token back from its own session (by design).
    answers[answers.length - 1]!.issued.push(csrf);
    expect((await send('session change', 'POST', '/api/v1/tokens', { cookie, csrf, body: { name: 'from the console' } })).statusCode).toBe(
      201,
    );
    issued('token made in the console', answers[answers.length - 1]!.body.match(/"token":"([^"]+)"/)?.[1]);
    expect((await send('sign in by token', 'POST', '/api/v1/session', { body: { token: second } })).statusCode).toBe(201);
    const wrong = 'wrong horse battery staple 8';
    secrets.set(wrong, 'wrong password');
    expect(
      (await send('wrong password', 'POST', '/api/v1/session', { body: { email: 'logged@vendor.example', password: wrong } })).statusCode,
    ).toBe(401);
    const truncated = 'unparsed horse battery staple 9';
    secrets.set(truncated, 'password in a body that does not parse');
    expect(
      (await send('broken body', 'POST', '/api/v1/session', { raw: `{"email":"logged@vendor.example","password":"${truncated}` }))
        .statusCode,
    ).toBe(400);

    // Failed authentications: a guessed token, a malformed header, a cookie nobody issued.
    const guessed = `chx_${'g'.repeat(43)}`;
    secrets.set(guessed, 'guessed token');
    expect((await send('guessed token', 'GET', '/api/v1/me', { token: guessed })).statusCode).toBe(401);
    const malformed = `Bearer ${second} trailing`;
    expect((await send('malformed header', 'GET', '/api/v1/me', { authorization: malformed })).statusCode).toBe(401);
    const basic = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    secrets.set(basic.slice(6), 'basic credentials');
    expect((await send('basic header', 'GET', '/api/v1/me', { authorization: basic })).statusCode).toBe(401);
    const forged = `chs_${'f'.repeat(43)}`;
    secrets.set(forged, 'forged session');
    expect((await send('forged cookie', 'GET', '/api/v1/me', { cookie: forged })).statusCode).toBe(401);

    // Webhooks: registered (the secret shown once), rotated, sent to.
    await send('allow loopback', 'POST', '/api/v1/webhook-allowlist', { token: admin.token, body: { cidr: '127.0.0.1/32' } });
    const hook = await send('register a webhook', 'POST', '/api/v1/webhooks', {
      token: admin.token,
      body: { url: 'http://127.0.0.1:9/logged', events: ['*'] },
    });
    expect(hook.statusCode).toBe(201);
    issued('webhook secret', hook.json<{ secret: string }>().secret);
    const hookId = hook.json<{ id: string }>().id;
    const rotated = await send('rotate its secret', 'POST', `/api/v1/webhooks/${hookId}/secret`, { token: admin.token });
    expect(rotated.statusCode).toBe(200);
    issued('rotated webhook secret', rotated.json<{ secret: string }>().secret);
    expect((await send('send a test', 'POST', `/api/v1/webhooks/${hookId}/test`, { token: admin.token })).statusCode).toBeLessThan(300);
    await t.runtime.jobs.drain();

    // A signed remediation link is a capability in the query string; a forged one is refused, and neither is logged.
    const link = `v1.${'L'.repeat(40)}.${'s'.repeat(43)}`;
    secrets.set(link, 'remediation link token');
    expect((await send('follow a link', 'GET', `/api/v1/remediation/link?token=${encodeURIComponent(link)}`)).statusCode).toBeLessThan(500);

    // Revoke the second token: a token that no longer works is still a secret.
    const listed = await send('list tokens', 'GET', '/api/v1/tokens', { token: admin.token });
    for (const item of listed.json<{ items: { id: string; name: string }[] }>().items.filter((i) => i.name === 'second'))
      await send('revoke', 'DELETE', `/api/v1/tokens/${item.id}`, { token: admin.token });
    expect((await send('revoked token', 'GET', '/api/v1/me', { token: second })).statusCode).toBe(401);

    const log = lines.join('');
    expect(lines.filter((l) => l.includes('"request"')).length, 'the server logged its requests').toBeGreaterThan(20);
    expect(log, 'an error was logged').toContain('"status":401');
    const leaked = [...secrets].filter(([secret]) => log.includes(secret)).map(([, what]) => what);
    expect(leaked, 'secrets in the logs').toEqual([]);
    // No answer echoes a secret it did not itself issue (the Authorization header, a password, a cookie).
    const echoed = answers.flatMap((a) =>
      [...secrets].filter(([secret]) => a.body.includes(secret) && !a.issued.includes(secret)).map(([, what]) => `${a.what}: ${what}`),
    );
    expect(echoed, 'answers echoing a secret').toEqual([]);
  }, 120_000);
});
