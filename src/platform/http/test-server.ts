import { anonymousActor } from '../actor.js';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../log.js';
import { createHttpServer, type HttpApp, type HttpServerOptions } from './server.js';

/**
 * For the kit's own tests: the platform HTTP server alone, with no module's routes, everyone anonymous
 * and generous limits unless the test says otherwise.
 */
export function bareHttpServer(options: Partial<HttpServerOptions> = {}): Promise<HttpApp> {
  return createHttpServer({
    logger: silentLogger,
    bodyLimitBytes: 1024,
    rateLimitPerMinute: 1000,
    authFailures: { limit: 100, windowSeconds: 60 },
    trustProxy: false,
    clock: new ManualClock(),
    version: 'test',
    authenticate: async () => anonymousActor,
    ...options,
  });
}
