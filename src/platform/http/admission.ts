import { Type } from '@sinclair/typebox';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { UnavailableError } from '../errors.js';
import type { HttpApp } from './server.js';
import { ProblemSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route queues background work in bulk: refused while the backlog is past its limit (see admitBackgroundWork). */
    queuesBackgroundWork?: boolean;
  }
}

/**
 * Spread into the options of a route that queues background work in bulk (processing, matching, fan-out),
 * so that admission control covers it: the route itself says so, where it is declared.
 */
export const QUEUES_BACKGROUND_WORK = { config: { queuesBackgroundWork: true } } as const;

export interface BacklogAdmission {
  /** The backlog now (a recent reading is fine: see BacklogGauge). */
  readonly backlog: () => Promise<number>;
  /** Past this many jobs those routes are refused; 0: never. */
  readonly limit: number;
  /** What Retry-After says. */
  readonly retryAfterSeconds: number;
}

/**
 * Admission control for background work. While the backlog is at `limit` or beyond, a request to a route
 * declared with {@link QUEUES_BACKGROUND_WORK} is refused with 503 problem+json (`backlog-full`) and Retry-After, before its body is read and
 * so before anything is accepted: the caller knows it must send it again, and nothing is lost. Reads and
 * every other write go on. Without it, a saturated server accepts work faster than it does it, and the
 * queue — and the time until an accepted upload is matched and its operators notified — grows without
 * bound. Registered before the routes, so that their OpenAPI answers list the 503.
 */
export function admitBackgroundWork(app: HttpApp, admission: BacklogAdmission): void {
  if (admission.limit <= 0) return;
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.queuesBackgroundWork !== true) return;
    const schema = (route.schema ?? {}) as { response?: Record<number, unknown> };
    route.schema = { ...schema, response: { ...schema.response, 503: Type.Ref(ProblemSchema) } };
  });
  // preParsing: after authentication (onRequest), before the body is read.
  app.addHook('preParsing', async (request: FastifyRequest) => {
    if (request.routeOptions.config.queuesBackgroundWork !== true) return;
    if ((await admission.backlog()) < admission.limit) return;
    // No count in the answer: jobs are queued for records the caller may not see (DESIGN §5, derived data).
    throw new UnavailableError(
      `the server's background work is past its limit: nothing was accepted; send the request again after ${admission.retryAfterSeconds} s`,
      admission.retryAfterSeconds,
      { code: 'backlog-full' },
    );
  });
}
