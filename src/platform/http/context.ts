import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { ServiceContext } from '../context.js';
import { AuthenticationError } from '../errors.js';

/** Builds the service context for one request (its actor, its logger). Provided by the composition root. */
export type ContextFactory = (request: FastifyRequest) => ServiceContext;

export interface RouteDeps {
  readonly contextFor: ContextFactory;
  /** The server's configuration (its public URL, data directory), for routes that describe the server. */
  readonly config: Config;
}

/** Route hook: anonymous callers get 401. Routes that serve TLP:CLEAR to anyone leave it out. */
export async function requireAuthentication(request: FastifyRequest): Promise<void> {
  if (request.actor.kind === 'anonymous') throw new AuthenticationError('this endpoint needs a bearer token');
}
