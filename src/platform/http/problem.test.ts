import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { anonymousActor } from '../actor.js';
import { ConflictError, InputError, NotFoundError, RateLimitedError } from '../errors.js';
import { toProblemResponse } from './problem.js';
import { createHttpServer } from './server.js';

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
    const app = await createHttpServer({
      logger: capture,
      bodyLimitBytes: 1024,
      rateLimitPerMinute: 100,
      version: 'test',
      authenticate: async () => anonymousActor,
    });
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
});
