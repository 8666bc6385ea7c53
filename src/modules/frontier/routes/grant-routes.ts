import { Type } from '@sinclair/typebox';
import { PageQuerySchema, optionalBody, IdParamSchema, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import * as grants from '../service/grants.js';
import { auth, answers, spec, pageAnswers } from './route-kit.js';
import { AccessLogSchema, AcknowledgeBody, GrantSchema, RevokeBody, UseBody } from './schemas.js';

/** Access grants: listing, acknowledgement by the grantee, revocation by the developer, reported uses. */
export function grantRoutes(app: HttpApp, deps: RouteDeps): void {
  const params = IdParamSchema;

  app.get(
    '/api/v1/frontier/grants',
    {
      ...auth,
      schema: spec('Grants you may see: a grantee sees only its own', {
        querystring: Type.Composite([PageQuerySchema, Type.Object({ reviewId: Type.Optional(Type.String({ maxLength: 64 })) })]),
        response: pageAnswers(GrantSchema),
      }),
    },
    (request) => grants.listGrants(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/frontier/grants/:id',
    { ...auth, schema: spec('One grant, with its status and whether it is usable now', { params, response: answers(GrantSchema) }) },
    (request) => grants.getGrant(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/frontier/grants/:id/acknowledge',
    {
      ...auth,
      schema: spec("Acknowledge a grant's terms (the grantee), which makes it active", {
        params,
        body: AcknowledgeBody,
        response: answers(GrantSchema, [403, 409]),
      }),
    },
    (request) => grants.acknowledgeGrant(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/frontier/grants/:id/revoke',
    {
      ...auth,
      schema: spec('Revoke a grant at any time (the developer)', {
        params,
        body: optionalBody(RevokeBody),
        response: answers(GrantSchema, [403, 409]),
      }),
    },
    (request) => grants.revokeGrant(deps.contextFor(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/api/v1/frontier/grants/:id/uses',
    {
      ...auth,
      schema: spec('Report one use of a grant (the grantee); refused once it expired or was revoked', {
        params,
        body: UseBody,
        response: answers(AccessLogSchema, [403, 409], 201),
      }),
    },
    async (request, reply) =>
      reply.status(201).send(await grants.reportGrantUse(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/frontier/grants/:id/uses',
    {
      ...auth,
      schema: spec("A grant's access log: reported uses and downloads", {
        params,
        querystring: PageQuerySchema,
        response: pageAnswers(AccessLogSchema),
      }),
    },
    (request) => grants.listGrantAccess(deps.contextFor(request), request.params.id, request.query),
  );
}
