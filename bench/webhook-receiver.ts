import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, webhookSecretKey } from '../src/modules/notify/index.js';

/** What the bench receiver was sent on an endpoint's path, and whether its signature held. */
export interface ReceivedDelivery {
  readonly path: string;
  readonly body: string;
  readonly verified: boolean;
}

/**
 * A loopback webhook receiver for benchmarks that checks every signature with the endpoint's secret (named
 * by the request path), as a real receiver pays for it, and keeps what it was sent; `/raw` takes a
 * baseline's unsigned posts, counted only. A long run passes `keepBodies: false` and reads `counts()`.
 */
export async function startBenchReceiver(secrets: ReadonlyMap<string, string>, options: { keepBodies?: boolean } = {}) {
  const received: ReceivedDelivery[] = [];
  const counts = { verified: 0, rejected: 0 };
  const keys = new Map<string, Buffer>();
  let raw = 0;
  let last = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (path === '/raw') raw++;
      else {
        const body = Buffer.concat(chunks).toString('utf8');
        const secret = secrets.get(path);
        let key = keys.get(path);
        if (key === undefined && secret !== undefined) {
          key = webhookSecretKey(secret);
          keys.set(path, key);
        }
        const verified = key !== undefined && verifyWebhook(key, req.headers as Record<string, string>, body, new Date()).valid;
        if (verified) counts.verified++;
        else counts.rejected++;
        if (options.keepBodies ?? true) received.push({ path, body, verified });
        last = performance.now();
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** Signed deliveries whose signature held, and those whose did not (kept or not). */
    counts: () => ({ ...counts }),
    raw: () => raw,
    /** When the last signed delivery arrived (performance.now()). */
    last: () => last,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** POSTs each body once over keep-alive connections, `concurrency` in flight: the floor any dispatcher stands on. */
export async function postAll(url: string, bodies: readonly string[], concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        await new Promise<void>((resolve, reject) => {
          const req = http.request(`${url}/raw`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end(body);
        });
      }
    }),
  );
  agent.destroy();
  return performance.now() - start;
}
