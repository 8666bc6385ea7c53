import { expect, it } from 'vitest';
import { runSoak, SOAK_KINDS } from '../bench/soak.js';

// The soak driver itself (`npm run soak`), for a few seconds at a low rate: it seeds, starts a server, drives
// every kind of request and measures; the long runs and their figures are in the README's "Operating".
it('drives a server with every kind of request for a few seconds, without an error', async () => {
  const result = await runSoak({ seconds: 4, rate: 20, db: 'sqlite', concurrency: 8 });
  expect(result.errors).toEqual([]);
  expect(result.errorCount).toBe(0);
  expect(result.servers).toBe(1);
  expect(Object.keys(result.kinds).sort()).toEqual(Object.keys(SOAK_KINDS).sort());
  expect(result.requests).toBeGreaterThan(0);
  expect(result.kinds.list.requests).toBeGreaterThan(0);
  expect(result.jobs.end.failed).toBe(0);
  expect(result.memory[0]?.startRss).toBeGreaterThan(0);
  expect(result.memory[0]?.endRss).toBeGreaterThan(0);
}, 300_000);
