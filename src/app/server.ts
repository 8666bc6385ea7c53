import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { SESSION_COOKIE, authenticateSessionCookie, authenticateToken, bearerSecret } from '../modules/identity/index.js';
import { anonymousActor } from '../platform/actor.js';
import { asDuplicateKeyError, asUnavailableError, pingDatabase } from '../platform/db/index.js';
import { BacklogGauge, dueBacklog } from '../platform/jobs/index.js';
import {
  PROBLEM_CONTENT_TYPE,
  admitBackgroundWork,
  ProblemSchema,
  createHttpServer,
  problem,
  readCookie,
  serveStaticSite,
  type HttpApp,
  type HttpServerOptions,
  type RouteDeps,
} from '../platform/http/index.js';
import { jobsRoutes } from './jobs-status.js';
import { registerAllRoutes } from './modules.js';
import type { Runtime } from './runtime.js';
import { VERSION } from './version.js';

/**
 * Where `npm run build` puts the web console: `dist/web` of the checkout, two folders up from this file
 * both in `src/app` (tests, tsx) and in `dist/app` (the compiled server).
 */
export const CONSOLE_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Seconds a refused caller is asked to wait: a few rounds of the job runner. */
const BACKLOG_RETRY_AFTER_SECONDS = 10;

/** Paths the server answers itself; the console's client-side routes never take them. */
const SERVER_PREFIXES = ['/api', '/.well-known', '/taxii2', '/healthz', '/readyz', '/transparency'];

export interface ServerOptions {
  /** The built web console to serve at `/` (default {@link CONSOLE_DIR}); none is served when it is not built. */
  readonly consoleDir?: string;
  /** For tests: each JSON answer compared with its response schema (`HttpServerOptions.onResponseDrift`). */
  readonly onResponseDrift?: HttpServerOptions['onResponseDrift'];
}

/**
 * The whole HTTP API on one runtime: health, every module's routes, OpenAPI and its docs page, and the
 * web console at `/` when it is built.
 */
export async function buildServer(runtime: Runtime, options: ServerOptions = {}): Promise<HttpApp> {
  const app = await createHttpServer({
    logger: runtime.log,
    bodyLimitBytes: runtime.config.bodyLimitBytes,
    rateLimitPerMinute: runtime.config.rateLimitPerMinute,
    authFailures: { limit: runtime.config.authFailureLimit, windowSeconds: runtime.config.authFailureWindowSeconds },
    trustProxy: runtime.config.trustProxy,
    clock: runtime.clock,
    version: VERSION,
    ...(options.onResponseDrift ? { onResponseDrift: options.onResponseDrift } : {}),
    translateError: (error) => asUnavailableError(asDuplicateKeyError(runtime.db.caps, error)),
    carriesCredentials: (request) => request.headers.authorization !== undefined || readCookie(request, SESSION_COOKIE) !== undefined,
    authenticate: async (request) => {
      const secret = bearerSecret(request.headers.authorization);
      if (secret !== null) return authenticateToken(runtime, secret);
      const csrf = request.headers['x-csrf-token'];
      const cookie = {
        method: request.method,
        cookie: readCookie(request, SESSION_COOKIE),
        csrfHeader: typeof csrf === 'string' ? csrf : undefined,
      };
      return (await authenticateSessionCookie(runtime, cookie)) ?? anonymousActor;
    },
  });

  const backlog = new BacklogGauge(() => dueBacklog(runtime.db.kysely, runtime.clock, runtime.jobs.kinds), runtime.config.backlogCheckMs);
  admitBackgroundWork(app, {
    backlog: () => backlog.current(),
    limit: runtime.config.backlogLimit,
    retryAfterSeconds: BACKLOG_RETRY_AFTER_SECONDS,
  });

  app.get(
    '/healthz',
    {
      config: { rateLimit: false },
      schema: { tags: ['health'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['health'],
        summary: 'The database answers and its schema is current',
        response: { 200: Type.Object({ status: Type.Literal('ready'), version: Type.String() }), 503: Type.Ref(ProblemSchema) },
      },
    },
    async (request, reply) => {
      if (!(await pingDatabase(runtime.db))) {
        return reply
          .status(503)
          .type(PROBLEM_CONTENT_TYPE)
          .send(problem(503, 'database-unreachable', 'the database does not answer', { instance: request.url }));
      }
      const pending = await runtime.pendingMigrations();
      if (pending.length > 0) {
        return reply
          .status(503)
          .type(PROBLEM_CONTENT_TYPE)
          .send(problem(503, 'migrations-pending', `migrations not applied: ${pending.join(', ')}`, { instance: request.url }));
      }
      return { status: 'ready' as const, version: VERSION };
    },
  );

  const routeDeps: RouteDeps = { contextFor: (request) => runtime.contextFor(request.actor, request.log), config: runtime.config };
  registerAllRoutes(app, routeDeps);
  jobsRoutes(app, routeDeps);
  const consoleDir = options.consoleDir ?? CONSOLE_DIR;
  if (!serveStaticSite(app, { root: consoleDir, reservedPrefixes: SERVER_PREFIXES, hashedFolder: 'assets' })) {
    runtime.log.warn({ consoleDir }, 'the web console is not built (npm run build): serving the API only');
  }
  await app.ready();
  return app;
}
