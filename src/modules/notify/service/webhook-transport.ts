import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { judgeDestination } from '../domain/address-class.js';
import { parseIp, type Cidr } from '../domain/ip-address.js';

/** One webhook attempt as the dispatcher makes it. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface WebhookResponse {
  /** The HTTP status, or null when no response came (refused, unreachable, timed out). */
  readonly status: number | null;
  readonly error: string | null;
  readonly retryAfter: string | null;
  readonly durationMs: number;
}

/** Sends webhook requests; a fake in tests that need no network. */
export interface WebhookTransport {
  send(request: WebhookRequest): Promise<WebhookResponse>;
  close(): void;
}

/** Resolves a host name to every address it has (the system resolver by default; a fake in tests). */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) =>
      error ? reject(error) : resolve(addresses.map((a) => a.address)),
    ),
  );

export interface HttpTransportOptions {
  /** The coordinator admins' allow-list as it is now (read for every connection). */
  readonly allowList: () => readonly Cidr[];
  readonly resolve?: Resolver;
  /** Per request: the spec recommends 15 to 30 seconds. Default 15 s. */
  readonly timeoutMs?: number;
  /** Connections kept per receiver. Default 64. */
  readonly maxSockets?: number;
}

/** Why a destination is refused, or null when every address of it may be connected to. */
function refusal(addresses: readonly string[], allowList: readonly Cidr[]): string | null {
  if (addresses.length === 0) return 'no address';
  for (const text of addresses) {
    const address = parseIp(text);
    if (address === null) return `unreadable address ${text}`;
    const verdict = judgeDestination(address, allowList);
    if (!verdict.allowed) return verdict.reason;
  }
  return null;
}

/**
 * Webhook requests over Node's HTTP client, with SSRF protection at connect time: the host name is resolved
 * for every new connection and every address it resolves to is judged (a name that resolves to one private
 * address among public ones is refused), then the connection goes to an address so judged — which defeats
 * DNS rebinding between the registration check and the request. IP-literal hosts are judged before the
 * request. Redirects are not followed; the response body is read and dropped.
 */
export function createHttpTransport(options: HttpTransportOptions): WebhookTransport {
  const resolve = options.resolve ?? systemResolver;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = refusal(addresses, options.allowList());
        if (refused !== null) {
          callback(Object.assign(new Error(`refused destination ${hostname}: ${refused}`), { code: 'EREFUSEDDESTINATION' }), '', 4);
          return;
        }
        const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
        if (lookupOptions.all === true) (callback as unknown as (e: null, a: typeof entries) => void)(null, entries);
        else callback(null, entries[0]?.address ?? '', entries[0]?.family ?? 4);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };

  return {
    send(request) {
      const started = performance.now();
      const done = (status: number | null, error: string | null, retryAfter: string | null = null): WebhookResponse => ({
        status,
        error,
        retryAfter,
        durationMs: Math.round(performance.now() - started),
      });
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return Promise.resolve(done(null, 'the endpoint URL does not parse'));
      }
      const agent = url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : null;
      if (agent === null) return Promise.resolve(done(null, `unsupported scheme ${url.protocol}`));
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      if (parseIp(host) !== null) {
        const refused = refusal([host], options.allowList());
        if (refused !== null) return Promise.resolve(done(null, `refused destination: ${refused}`));
      }
      const client = url.protocol === 'https:' ? https : http;
      return new Promise<WebhookResponse>((resolvePromise) => {
        let settled = false;
        const finish = (response: WebhookResponse) => {
          if (settled) return;
          settled = true;
          resolvePromise(response);
        };
        const req = client.request(
          url,
          {
            method: 'POST',
            agent,
            lookup,
            headers: { ...request.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body) },
          },
          (res) => {
            res.resume();
            const retryAfter = res.headers['retry-after'];
            res.on('end', () => finish(done(res.statusCode ?? null, null, typeof retryAfter === 'string' ? retryAfter : null)));
            res.on('error', (error) => finish(done(res.statusCode ?? null, error.message)));
          },
        );
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (error) => finish(done(null, error.message)));
        req.end(request.body);
      });
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
