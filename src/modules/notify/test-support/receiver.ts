import { webcrypto } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver on loopback for tests, verifying every message with its own implementation of the
 * Standard Webhooks scheme — written from the specification with WebCrypto, sharing no code with the
 * signer under test.
 */

export interface Received {
  /** The request path and query (which endpoint of the receiver was called). */
  readonly path: string;
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly attempt: string | undefined;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The verdict of the independent verifier, with the secrets the receiver knows. */
  readonly verified: boolean;
  /** Another request with the same webhook-id was being answered when this one arrived. */
  readonly overlapped: boolean;
}

/** What the receiver answers: a status (with headers), or `hang` (never answer). */
export type Answer = number | { readonly status: number; readonly headers?: Record<string, string> } | 'hang';

const b64ToBytes = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));

/**
 * The scheme as the specification states it: the content `${id}.${timestamp}.${body}`, HMAC-SHA256 with the
 * base64-decoded secret after its `whsec_` prefix, base64, versioned `v1,`; any of the space-separated
 * signatures may match; the timestamp within five minutes of now.
 */
export async function independentlyVerify(
  secret: string,
  id: string,
  timestamp: string,
  signatures: string,
  body: string,
  nowMs: number,
): Promise<boolean> {
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  const key = await webcrypto.subtle.importKey('raw', b64ToBytes(secret.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  for (const entry of signatures.split(' ')) {
    const [version, sig] = entry.split(',');
    if (version !== 'v1' || sig === undefined) continue;
    if (await webcrypto.subtle.verify('HMAC', key, b64ToBytes(sig), new TextEncoder().encode(`${id}.${timestamp}.${body}`))) return true;
  }
  return false;
}

export interface TestReceiver {
  readonly url: string;
  readonly received: Received[];
  /** Secrets to verify with (the webhook's, once registered). */
  readonly secrets: string[];
  /** Decides each answer; default 204. */
  answer: (request: { id: string; count: number }) => Answer;
  /** The clock the receiver checks timestamps against (the test's manual clock). */
  now: () => number;
  /** Answers every hanging request (with 200) and stops. */
  close(): Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  const received: Received[] = [];
  const secrets: string[] = [];
  const inFlight = new Map<string, number>();
  const counts = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  const receiver: TestReceiver = {
    url: '',
    received,
    secrets,
    answer: () => 204,
    now: () => Date.now(),
    close: async () => {
      for (const res of hanging) res.writeHead(200).end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const header = (name: string) => {
          const v = req.headers[name];
          return Array.isArray(v) ? v.join(' ') : v;
        };
        const id = header('webhook-id') ?? '';
        const timestamp = header('webhook-timestamp') ?? '';
        const signature = header('webhook-signature') ?? '';
        const body = Buffer.concat(chunks).toString('utf8');
        const overlapped = (inFlight.get(id) ?? 0) > 0;
        inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
        let verified = false;
        for (const secret of secrets)
          if (await independentlyVerify(secret, id, timestamp, signature, body, receiver.now())) verified = true;
        received.push({
          path: req.url ?? '',
          id,
          timestamp,
          signature,
          attempt: header('clearinghouse-attempt'),
          body,
          headers: req.headers,
          verified,
          overlapped,
        });
        const count = (counts.get(id) ?? 0) + 1;
        counts.set(id, count);
        const answer = receiver.answer({ id, count });
        const done = () => inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
        if (answer === 'hang') {
          hanging.add(res);
          res.on('close', done);
          return;
        }
        const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
        // Yield once so that concurrent deliveries of one id would overlap here.
        setImmediate(() => {
          done();
          res.writeHead(status, headers).end();
        });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, { url: `http://127.0.0.1:${port}/hook` });
}
