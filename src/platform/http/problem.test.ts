import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { anonymousActor } from '../actor.js';
import { ConflictError, InputError, NotFoundError, RateLimitedError } from '../errors.js';
import { toProblemResponse } from './problem.js';
import { bareHttpServer } from './test-server.js';

describe('toProblemResponse', () => {
  it('maps typed errors to statuses with stable codes', () => {
    expect(toProblemResponse(new InputError('bad', [{ pointer: '/a', detail: 'is required' }]))).toMatchObject({
      status: 400,
      problem: { code: 'invalid-input', errors: [{ pointer: '/a', detail: 'is required' }] },
    });
    expect(toProblemResponse(new NotFoundError('no such case')).status).toBe(404);
    expect(toProblemResponse(new ConflictError('illegal', { code: 'illegal-transition' })).problem.code).toBe('illegal-transition');
    expect(toProblemResponse(new RateLimitedError('slow down', 42)).headers).toEqual({ 'retry-after': '42' });
  });

  it('carries a conflict’s extension members, never over the standard ones (RFC 9457 §3.2)', () => {
    const error = new ConflictError('held', {
      code: 'lease-held',
      extensions: { expiresAt: '2026-07-01T00:00:00.000Z', status: 200, detail: 'x' },
    });
    expect(toProblemResponse(error).problem).toMatchObject({
      status: 409,
      code: 'lease-held',
      detail: 'held',
      expiresAt: '2026-07-01T00:00:00.000Z',
    });
  });

  it('hides unknown errors behind an opaque 500 with a log id', () => {
    const response = toProblemResponse(new Error('password=hunter2 at db.internal'));
    expect(response.status).toBe(500);
    expect(response.problem.logId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(response.problem)).not.toContain('hunter2');
    expect(response.unexpected).toBeInstanceOf(Error);
  });
});

describe('the HTTP server', () => {
  it('answers a crashing handler with an opaque 500 and logs the cause under the same id', async () => {
    const lines: { logId?: string; err?: { message?: string } }[] = [];
    const capture = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = await bareHttpServer({ logger: capture });
    app.get('/boom', async () => {
      throw new Error('secret internals');
    });
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    const body = response.json<{ logId: string; detail: string }>();
    expect(body.detail).not.toContain('secret internals');
    expect(lines.some((l) => l.logId === body.logId && l.err?.message === 'secret internals')).toBe(true);
    await app.close();
  });

  it('logs one line per request with its id, the caller org and the status', async () => {
    const lines: Record<string, unknown>[] = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = await bareHttpServer({
      logger: capture,
      authenticate: async (request) =>
        request.headers.authorization
          ? { kind: 'user', userId: 'usr_1', orgId: 'org_7', orgKind: 'vendor', role: 'viewer', tokenId: null }
          : anonymousActor,
    });
    app.get('/thing', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/thing', headers: { authorization: 'Bearer x', 'x-request-id': 'req-abc' } });
    await app.inject({ method: 'GET', url: '/missing' });
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ reqId: 'req-abc', method: 'GET', url: '/thing', status: 200, org: 'org_7' });
    expect(requests[1]).toMatchObject({ url: '/missing', status: 404, org: 'anonymous' });
    expect(typeof requests[1]?.reqId).toBe('string');
    await app.close();
  });
});
