import { Type } from '@sinclair/typebox';
import { authenticateToken, bearerSecret } from '../modules/identity/index.js';
import { anonymousActor } from '../platform/actor.js';
import { asDuplicateKeyError, pingDatabase } from '../platform/db/index.js';
import { PROBLEM_CONTENT_TYPE, ProblemSchema, createHttpServer, problem, type HttpApp, type RouteDeps } from '../platform/http/index.js';
import { jobsRoutes } from './jobs-status.js';
import { registerAllRoutes } from './modules.js';
import type { Runtime } from './runtime.js';
import { VERSION } from './version.js';

/** The whole HTTP API on one runtime: health, every module's routes, OpenAPI and its docs page. */
export async function buildServer(runtime: Runtime): Promise<HttpApp> {
  const app = await createHttpServer({
    logger: runtime.log,
    bodyLimitBytes: runtime.config.bodyLimitBytes,
    rateLimitPerMinute: runtime.config.rateLimitPerMinute,
    authFailures: { limit: runtime.config.authFailureLimit, windowSeconds: runtime.config.authFailureWindowSeconds },
    trustProxy: runtime.config.trustProxy,
    clock: runtime.clock,
    version: VERSION,
    translateError: (error) => asDuplicateKeyError(runtime.db.caps, error),
    authenticate: async (request) => {
      const secret = bearerSecret(request.headers.authorization);
      if (secret === null) return anonymousActor;
      return authenticateToken(runtime, secret);
    },
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
  await app.ready();
  return app;
}
