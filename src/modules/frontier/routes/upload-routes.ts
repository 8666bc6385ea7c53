import { Type } from '@sinclair/typebox';
import { bodyBytes, rawBodyRoutes, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import * as evaluations from '../service/evaluations.js';
import * as materials from '../service/materials.js';
import { auth, answers, spec } from './route-kit.js';
import { EvaluationSchema, MaterialSchema, ReviewIdParams } from './schemas.js';

/**
 * Routes whose body is a file, sent as raw bytes with any content type. They live in their own Fastify
 * scope, whose only body parser hands the bytes over unparsed: an Inspect `.json` log holds bare NaN,
 * which the JSON parser of the other routes would refuse, and an `.eval` log is a ZIP archive. The
 * server's body limit applies (413 beyond it); the services apply their own size limits as well.
 */
export function uploadRoutes(app: HttpApp, deps: RouteDeps): void {
  rawBodyRoutes(app, { types: '*' }, (scope) => {
    scope.post(
      '/api/v1/frontier/reviews/:id/evaluations/inspect',
      {
        ...auth,
        schema: spec(
          'Import an Inspect evaluation log: the raw bytes of a .json log or a .eval archive (the coordinator, agencies granted access)',
          {
            params: ReviewIdParams,
            querystring: Type.Object({
              filename: Type.Optional(Type.String({ maxLength: 255 })),
              title: Type.Optional(Type.String({ maxLength: 300 })),
            }),
            response: answers(EvaluationSchema, [403, 409, 413, 415], 201),
          },
        ),
      },
      async (request, reply) => {
        const bytes = bodyBytes(request);
        return reply
          .status(201)
          .send(await evaluations.importInspectLog(deps.contextFor(request), request.params.id, { bytes, ...request.query }));
      },
    );

    scope.post(
      '/api/v1/frontier/reviews/:id/materials',
      {
        ...auth,
        schema: spec('Add review material for the grantees: the raw bytes of the file (the developer)', {
          params: ReviewIdParams,
          querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }),
          response: answers(MaterialSchema, [403, 413], 201),
        }),
      },
      async (request, reply) => {
        const bytes = bodyBytes(request);
        const mediaType = request.headers['content-type']?.split(';')[0]?.trim();
        return reply
          .status(201)
          .send(await materials.addMaterial(deps.contextFor(request), request.params.id, { name: request.query.name, mediaType, bytes }));
      },
    );
  });
}
