import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { HOUR } from '../../platform/clock.js';
import { getFeedStatus } from './service/feed-status.js';
import { setFeedSource } from './service/feed-sources.js';
import { kevCatalogJson } from './test-support/feeds.js';

describeEachDatabase('scheduled feed refresh', (dialect) => {
  const get = useTestRuntime(dialect);
  let server: Server;
  let body: { status: number; text: string };
  let hits = 0;
  let url = '';

  beforeEach(async () => {
    hits = 0;
    body = { status: 200, text: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', [{ cveID: 'CVE-2026-0001' }]) };
    server = createServer((_request, response) => {
      hits += 1;
      response.writeHead(body.status, { 'content-type': 'application/json' }).end(body.text);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/known_exploited_vulnerabilities.json`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does nothing until a source is set, then fetches when due, recording failures on the source', async () => {
    const { system, runtime, clock } = get();
    await runtime.jobs.drain();
    expect(hits).toBe(0);
    expect((await getFeedStatus(system)).kev.catalogVersion).toBeNull();

    await setFeedSource(system, 'kev', { url, everyHours: 6 });
    clock.advance(HOUR); // the next 15-minute period: the schedule enqueues the refresh again
    await runtime.jobs.drain();
    expect(hits).toBe(1);
    const status = (await getFeedStatus(system)).kev;
    expect(status).toMatchObject({
      catalogVersion: '2026.06.01',
      entries: 1,
      source: { lastSuccessAt: clock.now().toISOString(), lastError: null },
    });

    body = { status: 503, text: 'maintenance' };
    clock.advance(HOUR);
    await runtime.jobs.drain();
    expect(hits).toBe(1); // not due for six hours
    clock.advance(6 * HOUR);
    await runtime.jobs.drain();
    expect(hits).toBe(2);
    expect((await getFeedStatus(system)).kev.source).toMatchObject({
      lastAttemptAt: clock.now().toISOString(),
      lastError: expect.stringMatching(/HTTP 503/),
    });
    expect((await getFeedStatus(system)).kev.catalogVersion).toBe('2026.06.01');
  });
});
