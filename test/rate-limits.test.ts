import { expect, it } from 'vitest';
import { createToken, setPassword } from '../src/modules/identity/index.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';

const PUBLIC = '/api/v1/intake/native-schema';

async function send(server: TestServer, url: string, options: { authorization?: string; from?: string } = {}) {
  const response = await server.app.inject({
    method: 'GET',
    url,
    remoteAddress: options.from ?? '192.0.2.10',
    headers: options.authorization === undefined ? {} : { authorization: options.authorization },
  });
  return { status: response.statusCode, retryAfter: response.headers['retry-after'], code: (response.json() as { code?: string }).code };
}

describeEachDatabase('rate limits', (dialect) => {
  const get = useTestServer(dialect, {
    CLEARINGHOUSE_RATE_LIMIT: '5',
    CLEARINGHOUSE_AUTH_FAILURE_LIMIT: '3',
    CLEARINGHOUSE_AUTH_FAILURE_WINDOW: '600',
  });

  it('count a token however its Authorization header is spelled, and an anonymous caller by address', async () => {
    const server = get();
    const user = await server.org('researcher');
    const spellings = [`Bearer ${user.token}`, `bearer ${user.token}`, `BEARER    ${user.token}   `, `Bearer\t${user.token}`];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await send(server, '/api/v1/me', { authorization: spellings[i % spellings.length] })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await send(server, '/api/v1/me', { authorization: spellings[2] });
    expect(limited).toMatchObject({ status: 429, code: 'rate-limited' });
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    // The same user's other token, from the same address, is a bucket of its own.
    const other = await createToken(server.as(user), { name: 'second' });
    expect((await send(server, '/api/v1/me', { authorization: `Bearer ${other.token}` })).status).toBe(200);

    const anonymous = [];
    for (let i = 0; i < 6; i++) anonymous.push((await send(server, PUBLIC, { from: '198.51.100.7' })).status);
    expect(anonymous).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await send(server, PUBLIC, { from: '198.51.100.8' })).status).toBe(200);
  });

  it('refuse credentials from an address after too many failed authentications, until its window ends', async () => {
    const server = get();
    const user = await server.org('researcher');
    const guesser = '203.0.113.5';
    const guesses = [];
    for (let i = 0; i < 4; i++) guesses.push(await send(server, '/api/v1/me', { authorization: `Bearer chx_guess${i}`, from: guesser }));
    expect(guesses.map((g) => g.status)).toEqual([401, 401, 401, 429]);
    expect(guesses[3]).toMatchObject({ code: 'rate-limited', retryAfter: '600' });
    // While refused, not even a valid token is looked at from that address; anonymous reads still work.
    expect((await send(server, '/api/v1/me', { authorization: `Bearer ${user.token}`, from: guesser })).status).toBe(429);
    expect((await send(server, PUBLIC, { from: guesser })).status).toBe(200);
    // Other addresses are counted on their own.
    expect((await send(server, '/api/v1/me', { authorization: `Bearer ${user.token}`, from: '203.0.113.6' })).status).toBe(200);
    expect((await send(server, '/api/v1/me', { authorization: 'Bearer chx_guess', from: '203.0.113.6' })).status).toBe(401);

    server.clock.advance(599_000);
    expect(await send(server, '/api/v1/me', { authorization: 'Bearer chx_guess', from: guesser })).toMatchObject({
      status: 429,
      retryAfter: '1',
    });
    server.clock.advance(1_000);
    expect((await send(server, '/api/v1/me', { authorization: `Bearer ${user.token}`, from: guesser })).status).toBe(200);
    expect((await send(server, '/api/v1/me', { authorization: 'Bearer chx_guess', from: guesser })).status).toBe(401);
  });

  it('count failed password sign-ins like failed tokens: beyond the limit even the right password is refused', async () => {
    const server = get();
    const user = await server.org('vendor');
    const password = 'the right password 42';
    await setPassword(server.system, user.userId, { password });
    const email = (
      await server.runtime.db.kysely.selectFrom('identity_user').select('email').where('id', '=', user.userId).executeTakeFirstOrThrow()
    ).email as string;
    const signIn = (pw: string, from: string) =>
      server.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: from, payload: { email, password: pw } });
    const guesser = '203.0.113.20';
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await signIn(`wrong password ${i}!`, guesser)).statusCode);
    const refused = await signIn(password, guesser);
    expect([...statuses, refused.statusCode]).toEqual([401, 401, 401, 429]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // A bearer token from that address is refused too: one count per address, whatever the credential.
    expect((await send(server, '/api/v1/me', { authorization: `Bearer ${user.token}`, from: guesser })).status).toBe(429);
    expect((await signIn(password, '203.0.113.21')).statusCode).toBe(201);
  });
});
