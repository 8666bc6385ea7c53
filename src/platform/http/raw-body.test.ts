import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, rawBodyRoutes } from './raw-body.js';
import type { HttpApp } from './server.js';
import { bareHttpServer } from './test-server.js';

describe('routes whose body is a file', () => {
  let app: HttpApp;

  beforeAll(async () => {
    app = await bareHttpServer({ bodyLimitBytes: 64 });
    const echo = { handler: (request: Parameters<typeof bodyBytes>[0]) => ({ bytes: [...bodyBytes(request)] }) };
    rawBodyRoutes(app, { types: ['text/csv', 'application/gzip'], bodyLimit: 8 }, (scope) => {
      scope.post('/feeds', echo.handler);
    });
    rawBodyRoutes(app, { types: '*' }, (scope) => {
      scope.post('/any', echo.handler);
    });
    app.post('/json', (request) => ({ body: request.body }));
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (url: string, type: string, payload: string | Buffer) =>
    app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });

  it('hands the bytes over unparsed, for the listed types only', async () => {
    expect((await post('/feeds', 'text/csv', 'a,b\n')).json()).toEqual({ bytes: [97, 44, 98, 10] });
    expect((await post('/feeds', 'application/gzip', Buffer.from([0x1f, 0x8b]))).json()).toEqual({ bytes: [0x1f, 0x8b] });
    // JSON is a file here too: not parsed, not refused for being malformed.
    expect((await post('/any', 'application/json', '{oops')).json()).toEqual({ bytes: [...Buffer.from('{oops')] });
    expect((await post('/feeds', 'application/json', '{}')).statusCode).toBe(415);
  });

  it('answers 413 past its own limit, else past the server’s', async () => {
    expect((await post('/feeds', 'text/csv', '123456789')).statusCode).toBe(413);
    expect((await post('/any', 'text/plain', 'x'.repeat(64))).statusCode).toBe(200);
    expect((await post('/any', 'text/plain', 'x'.repeat(65))).statusCode).toBe(413);
  });

  it('leaves the other routes their parsers', async () => {
    expect((await post('/json', 'application/json', '{"a":1}')).json()).toEqual({ body: { a: 1 } });
  });

  it('reads an absent body as no bytes', async () => {
    expect((await app.inject({ method: 'POST', url: '/any' })).json()).toEqual({ bytes: [] });
  });
});
