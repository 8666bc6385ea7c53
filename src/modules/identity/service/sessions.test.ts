import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { HOUR } from '../../../platform/clock.js';

const PASSWORD = 'correct horse battery staple';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request as a browser sends it: the session cookie, and the CSRF header when given. */
async function withCookie(server: TestServer, cookie: string, method: Method, url: string, body?: unknown, csrf?: string) {
  const response = await server.app.inject({
    method,
    url,
    headers: {
      cookie,
      ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.statusCode,
    body: response.body === '' ? null : (response.json() as Record<string, unknown>),
    headers: response.headers,
  };
}

async function signIn(server: TestServer, body: unknown) {
  const response = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: body as Record<string, unknown> });
  const setCookie = String(response.headers['set-cookie'] ?? '');
  return {
    status: response.statusCode,
    json: response.json<{ csrfToken: string; user: { id: string }; org: { id: string }; expiresAt: string; code?: string }>(),
    setCookie,
    cookie: setCookie.split(';')[0] ?? '',
  };
}

async function withPassword(server: TestServer, who: TestUser, by: TestUser = server.coordinatorAdmin): Promise<string> {
  expect((await server.call(by, 'PUT', `/api/v1/users/${who.userId}/password`, { password: PASSWORD })).status).toBe(204);
  const row = await server.runtime.db.kysely
    .selectFrom('identity_user')
    .select('email')
    .where('id', '=', who.userId)
    .executeTakeFirstOrThrow();
  return (row as { email: string }).email;
}

describeEachDatabase('console sessions', (dialect) => {
  const get = useTestServer(dialect, { CLEARINGHOUSE_AUTH_FAILURE_LIMIT: '3' });

  it('signs in with a password into a Secure, HttpOnly, SameSite=Strict cookie that acts as the user, through the same policy', async () => {
    const server = get();
    const operator = await server.org('operator', { role: 'analyst' });
    const email = await withPassword(server, operator);
    const stored = await server.runtime.db.kysely
      .selectFrom('identity_password')
      .select('password_hash')
      .where('user_id', '=', operator.userId)
      .executeTakeFirstOrThrow();
    expect((stored as { password_hash: string }).password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const session = await signIn(server, { email: email.toUpperCase(), password: PASSWORD });
    expect(session.status).toBe(201);
    expect(session.setCookie).toMatch(/^chx_session=chs_[\w-]{43}; Path=\/; Max-Age=43200; Secure; HttpOnly; SameSite=Strict$/);
    expect(session.json.user.id).toBe(operator.userId);

    const me = await withCookie(server, session.cookie, 'GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect((me.body as { user: { id: string } }).user.id).toBe(operator.userId);
    // The policy is the token's: an operator sees its own organisation only.
    const orgs = (await withCookie(server, session.cookie, 'GET', '/api/v1/orgs')).body as { items: { id: string }[] };
    expect(orgs.items.map((o) => o.id)).toEqual([operator.orgId]);
    expect((await withCookie(server, session.cookie, 'GET', `/api/v1/orgs/${server.coordinatorAdmin.orgId}`)).status).toBe(404);
    const described = (await withCookie(server, session.cookie, 'GET', '/api/v1/session')).body as Record<string, unknown>;
    expect(described).toMatchObject({ method: 'session', csrfToken: session.json.csrfToken, expiresAt: '2026-06-03T00:00:00.000Z' });
  });

  it('refuses a change made with the cookie without its CSRF token, changing nothing', async () => {
    const server = get();
    const vendor = await server.org('vendor');
    const email = await withPassword(server, vendor);
    const session = await signIn(server, { email, password: PASSWORD });
    const tokensBefore = ((await server.call(vendor, 'GET', '/api/v1/tokens')).body as { items: unknown[] }).items.length;

    const bare = await withCookie(server, session.cookie, 'POST', '/api/v1/tokens', { name: 'forged' });
    expect(bare.status).toBe(403);
    expect(String(bare.body?.detail)).toContain('X-CSRF-Token');
    const wrong = await withCookie(server, session.cookie, 'POST', '/api/v1/tokens', { name: 'forged' }, 'f'.repeat(64));
    expect(wrong.status).toBe(403);
    expect(((await server.call(vendor, 'GET', '/api/v1/tokens')).body as { items: unknown[] }).items).toHaveLength(tokensBefore);

    const right = await withCookie(server, session.cookie, 'POST', '/api/v1/tokens', { name: 'console' }, session.json.csrfToken);
    expect(right.status).toBe(201);
    // Another session's token does not fit this one.
    const other = await signIn(server, { email, password: PASSWORD });
    expect((await withCookie(server, session.cookie, 'POST', '/api/v1/tokens', { name: 'x' }, other.json.csrfToken)).status).toBe(403);
  });

  it('ends at sign-out and when the clock passes twelve hours; a stale cookie is simply signed out', async () => {
    const server = get();
    const agency = await server.org('agency');
    const email = await withPassword(server, agency);
    const first = await signIn(server, { email, password: PASSWORD });
    const out = await withCookie(server, first.cookie, 'DELETE', '/api/v1/session', undefined, first.json.csrfToken);
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^chx_session=; Path=\/; Max-Age=0;/);
    expect((await withCookie(server, first.cookie, 'GET', '/api/v1/me')).status).toBe(401);

    const second = await signIn(server, { email, password: PASSWORD });
    server.clock.advance(12 * HOUR - 1000);
    expect((await withCookie(server, second.cookie, 'GET', '/api/v1/me')).status).toBe(200);
    server.clock.advance(1000);
    expect((await withCookie(server, second.cookie, 'GET', '/api/v1/me')).status).toBe(401);
    // Signing in again with the stale cookie still in the browser works.
    const again = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie: second.cookie },
      payload: { email, password: PASSWORD },
    });
    expect(again.statusCode).toBe(201);
  });

  it('signs in with an API token; a wrong password or token answers 401 and counts against the address like a failed token', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const email = await withPassword(server, lab);
    const byToken = await signIn(server, { token: lab.token });
    expect(byToken.status).toBe(201);
    expect(byToken.json.user.id).toBe(lab.userId);

    expect((await signIn(server, { email, password: 'not the password at all' })).status).toBe(401);
    expect((await signIn(server, { email: 'nobody@nowhere.example', password: PASSWORD })).status).toBe(401);
    expect((await signIn(server, { token: 'chx_not-a-token' })).status).toBe(401);
    // The limit (3 here) is reached: even the right password is refused until the window ends.
    const limited = await signIn(server, { email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.setCookie).toBe('');
    expect((await signIn(server, { email, password: PASSWORD, token: lab.token })).status).toBe(429);
  });

  it('lets admins set their members’ passwords and users change their own with the current one; others see no user', async () => {
    const server = get();
    const vendor = await server.org('vendor');
    const analyst = await server.user(vendor.orgId, 'analyst');
    const outsider = await server.org('vendor');
    await withPassword(server, analyst, vendor);
    const path = `/api/v1/users/${analyst.userId}/password`;
    expect((await server.call(outsider, 'PUT', path, { password: 'outsider password 1' })).status).toBe(404);
    expect((await server.call(analyst, 'PUT', path, { password: 'my new password 1' })).status).toBe(403);
    expect((await server.call(analyst, 'PUT', path, { password: 'my new password 1', currentPassword: 'wrong one' })).status).toBe(403);
    expect((await server.call(analyst, 'PUT', path, { password: 'my new password 1', currentPassword: PASSWORD })).status).toBe(204);
    const short = await server.call(vendor, 'PUT', path, { password: 'short' });
    expect(short.status).toBe(400);
    expect(short.problem.errors?.[0]?.pointer).toBe('/body/password');
  });
});
