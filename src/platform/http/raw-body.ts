import type { FastifyRequest } from 'fastify';
import type { HttpApp } from './server.js';

/** What a raw-body scope accepts, and up to how many bytes. */
export interface RawBodyOptions {
  /** The media types taken as files; `'*'` takes any (a document is stored as received whatever it says it is). */
  readonly types: '*' | readonly string[];
  /** Bytes beyond which the request answers 413; absent, the server's body limit applies. */
  readonly bodyLimit?: number;
}

/**
 * Registers routes whose body is a file, in a scope of their own whose only body parser hands over the
 * bytes unparsed (an SBOM, a feed, an Inspect log with bare NaN, a ZIP archive): a type outside `types`
 * answers 415, a body past the limit 413. The routes read the bytes with {@link bodyBytes}.
 */
export function rawBodyRoutes(app: HttpApp, options: RawBodyOptions, routes: (scope: HttpApp) => void | Promise<void>): void {
  void app.register(async (scope: HttpApp) => {
    scope.removeAllContentTypeParsers();
    const types = options.types === '*' ? '*' : [...options.types];
    const limit = options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit };
    scope.addContentTypeParser(types, { parseAs: 'buffer', ...limit }, (_request, body, done) => done(null, body));
    await routes(scope);
  });
}

/** The raw bytes of a request in a {@link rawBodyRoutes} scope; empty when it had no body. */
export const bodyBytes = (request: FastifyRequest): Buffer => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
