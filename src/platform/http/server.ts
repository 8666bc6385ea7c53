import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { anonymousActor, type Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import { AuthenticationError, RateLimitedError } from '../errors.js';
import { AuthFailureLimiter } from './auth-failures.js';
import type pino from 'pino';
import { PROBLEM_CONTENT_TYPE, problem, toProblemResponse } from './problem.js';
import { ProblemSchema } from './schemas.js';
import { refuseNulCharacters } from './nul-characters.js';
import { redactedUrl } from './redact.js';
import { responseDriftHook, type ResponseDrift } from './response-drift.js';
import { securityHeaders } from './security-headers.js';
import { serializersCompiledOnFirstUse, validatorsCompiledOnFirstUse } from './compiled-on-first-use.js';
import { bodyStrictValidators } from './validator-compilers.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; anonymous until the authentication hook ran. */
    actor: Actor;
  }
  interface FastifyInstance {
    /** Failed authentications per client address; see {@link checkCredentials}. */
    authFailures: AuthFailureLimiter;
  }
}

export type HttpApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpServerOptions {
  readonly logger: pino.Logger;
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  /** Failed authentications per client address per window, beyond which its credentials are refused (429). */
  readonly authFailures: { readonly limit: number; readonly windowSeconds: number };
  /**
   * Proxies whose X-Forwarded-For names the client address (Fastify's `trustProxy`: addresses or CIDRs);
   * false reads the address of the connection.
   */
  readonly trustProxy: false | readonly string[];
  /** The clock failed-authentication windows are counted by. */
  readonly clock: Clock;
  /** Resolves the caller from the request (its Authorization header); throws AuthenticationError. */
  readonly authenticate: (request: FastifyRequest) => Promise<Actor>;
  /**
   * Whether the request carries credentials for {@link authenticate} to resolve (and the failure limit to
   * refuse); by default, whether it has an Authorization header.
   */
  readonly carriesCredentials?: (request: FastifyRequest) => boolean;
  readonly version: string;
  /**
   * Turns a driver error the services did not translate into one of ours (a unique violation outside a
   * transaction → 409); returns anything else as it is.
   */
  readonly translateError?: (error: unknown) => unknown;
  /**
   * For tests: every JSON answer is compared with its route's response schema before serialization and the
   * comparison reported (see {@link responseDriftHook}); a field the schema lacks would vanish from the API.
   */
  readonly onResponseDrift?: (drift: ResponseDrift) => void;
}

/** One log line per request, with its id, the caller's org and the outcome. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const actor = request.actor ?? anonymousActor;
    const line = {
      method: request.method,
      url: redactedUrl(request.url),
      route: request.routeOptions.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      org: actor.kind === 'user' ? actor.orgId : actor.kind,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

// A random per-process prefix and a counter: unique across processes, and cheaper than random bytes
// per request on the hot path.
const REQUEST_ID_PREFIX = randomBytes(4).toString('hex');
let requestCounter = 0;
function nextRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${REQUEST_ID_PREFIX}-${requestCounter.toString(36)}`;
}

/**
 * Whom a request is counted against: the authenticated token (however its header was spelled), else the
 * client address.
 */
function rateLimitKey(request: FastifyRequest): string {
  const actor = request.actor;
  if (actor.kind === 'user') return actor.tokenId === null ? `u:${actor.userId}` : `t:${actor.tokenId}`;
  return `ip:${request.ip}`;
}

/**
 * Where request headers carrying credentials appear in what Fastify and its plugins log: @fastify/multipart
 * logs the whole header set it hands to busboy (`trace`), the session cookie and CSRF token included — found
 * by the secrets-in-logs search of a whole test run.
 */
const CREDENTIAL_HEADER_PATHS = ['busboyOptions.headers', 'req.headers', 'headers'].flatMap((at) =>
  ['authorization', 'cookie', '["x-csrf-token"]', '["proxy-authorization"]'].map((h) => `${at}${h.startsWith('[') ? '' : '.'}${h}`),
);

/**
 * The HTTP server every module's routes hang on: problem+json errors, body limit, authentication of
 * every request with failed attempts limited per address, a rate limit per token (per address when
 * anonymous), security headers, one log line per request, OpenAPI 3.1 at /api/openapi.json and its
 * rendering at /api/docs.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: options.logger.child({}, { redact: { paths: [...CREDENTIAL_HEADER_PATHS], censor: '[redacted]' } }),
    logController: new OneLinePerRequest(),
    bodyLimit: options.bodyLimitBytes,
    genReqId: nextRequestId,
    requestIdHeader: 'x-request-id',
    trustProxy: options.trustProxy === false ? false : [...options.trustProxy],
    schemaController: {
      compilersFactory: {
        buildValidator: validatorsCompiledOnFirstUse(
          bodyStrictValidators({ removeAdditional: false, useDefaults: true, allErrors: false }),
        ),
        buildSerializer: serializersCompiledOnFirstUse(SerializerSelector()),
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpApp;

  // A reference-typed decoration must start as null; the first hook makes every request anonymous
  // before rate limiting and authentication run.
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (request) => {
    request.actor = anonymousActor;
  });
  app.addSchema(ProblemSchema);
  app.addHook('onSend', securityHeaders);
  app.addHook('preValidation', refuseNulCharacters);
  if (options.onResponseDrift)
    app.addHook(
      'preSerialization',
      responseDriftHook(options.onResponseDrift, (id) => app.getSchema(id)),
    );

  app.setErrorHandler((error, request, reply) => {
    const response = toProblemResponse(options.translateError?.(error) ?? error, redactedUrl(request.url));
    if (response.unexpected !== undefined) {
      request.log.error({ err: response.unexpected, logId: response.problem.logId }, 'unexpected error');
    }
    void reply.status(response.status).headers(response.headers).type(PROBLEM_CONTENT_TYPE).send(response.problem);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        problem(404, 'not-found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`, { instance: redactedUrl(request.url) }),
      );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Clearinghouse API',
        version: options.version,
        description:
          'The AI cybersecurity clearinghouse and the voluntary frontier-model early-access program. ' +
          'Authenticate with `Authorization: Bearer <token>`. Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  // Counted once the caller is known: the authentication hook (onRequest) runs before preParsing.
  await app.register(rateLimit, {
    hook: 'preParsing',
    max: options.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(
        `Rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`,
        Math.max(1, Math.ceil(context.ttl / 1000)),
      ),
  });

  const failures = new AuthFailureLimiter(options.clock, options.authFailures.limit, options.authFailures.windowSeconds * 1000);
  app.decorate('authFailures', failures);
  const carriesCredentials = options.carriesCredentials ?? ((request: FastifyRequest) => request.headers.authorization !== undefined);
  app.addHook('onRequest', async (request) => {
    if (!carriesCredentials(request)) return;
    request.actor = await checkCredentials(request, () => options.authenticate(request));
  });

  return app;
}

/**
 * Runs a check of credentials (a bearer token, a password) under the failed-authentication limit of the
 * client address: refused at once (429) while the address is over the limit; an AuthenticationError it
 * throws counts as one more failure.
 */
export async function checkCredentials<T>(request: FastifyRequest, check: () => Promise<T>): Promise<T> {
  const failures = request.server.authFailures;
  const wait = failures.retryAfterSeconds(request.ip);
  if (wait !== null) {
    throw new RateLimitedError(
      `Too many failed authentications from this address (${failures.limit} in ${failures.windowMs / 1000} s); credentials are refused for ${wait} s`,
      wait,
    );
  }
  try {
    return await check();
  } catch (error) {
    if (error instanceof AuthenticationError) failures.recordFailure(request.ip);
    throw error;
  }
}
