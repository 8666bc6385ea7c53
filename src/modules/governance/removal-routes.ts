import { Type } from '@sinclair/typebox';
import { IdParamSchema, routeKit, type HttpApp, type RouteDeps } from '../../platform/http/index.js';
import { RemovalRequestSchema, RemovalSchema } from './route-schemas.js';
import { getRemoval, requestOrgRemoval } from './service/removals.js';

const { auth, spec, answers } = routeKit('governance', { bodyLimit: 16 * 1024, errors: [413] });

/** `POST /api/v1/governance/removals` (queues the removal, 202) and `GET /api/v1/governance/removals/{id}` (its status). */
export function removalRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/governance/removals',
    {
      ...auth,
      schema: spec(
        "Ask for an organisation's data to be removed as it leaves (its admins, coordinator admins): queued and answered at once (202); " +
          'the job deletes everything it owns except what legal holds cover, what retention keeps and the published record. ' +
          'While one is queued or running, asking again answers that one (created: false).',
        {
          body: Type.Object(
            {
              orgId: Type.Optional(
                Type.String({ minLength: 1, maxLength: 64, description: 'coordinator admins: the organisation; default your own' }),
              ),
              reason: Type.Optional(Type.String({ maxLength: 2000 })),
            },
            { additionalProperties: false },
          ),
          response: answers(RemovalRequestSchema, [403], 202),
        },
      ),
    },
    async (request, reply) => reply.status(202).send(await requestOrgRemoval(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/governance/removals/:id',
    {
      ...auth,
      schema: spec(
        "A removal request's status: what it deleted so far, its background work (the organisation's admins, coordinator admins)",
        {
          params: IdParamSchema,
          response: answers(RemovalSchema),
        },
      ),
    },
    (request) => getRemoval(deps.contextFor(request), request.params.id),
  );
}
