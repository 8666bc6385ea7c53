import { PageQuerySchema, itemsOf, optionalBody, IdParamSchema, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import * as models from '../service/models.js';
import * as partners from '../service/partners.js';
import { auth, answers, spec, pageAnswers } from './route-kit.js';
import {
  DeterminationBody,
  DeterminationSchema,
  ModelSchema,
  ModelUpdateBody,
  NewModelBody,
  NominationBody,
  NominationSchema,
  SignOffBody,
} from './schemas.js';

/** Models, covered-model determinations, and trusted-partner nominations. */
export function modelRoutes(app: HttpApp, deps: RouteDeps): void {
  const params = IdParamSchema;

  app.post(
    '/api/v1/frontier/models',
    {
      ...auth,
      schema: spec('Enroll a model for voluntary review (model developers)', {
        body: NewModelBody,
        response: answers(ModelSchema, [403, 409], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await models.registerModel(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/frontier/models',
    {
      ...auth,
      schema: spec('Models you may see: your own, those you were granted access to, all for the coordinator', {
        querystring: PageQuerySchema,
        response: pageAnswers(ModelSchema),
      }),
    },
    (request) => models.listModels(deps.contextFor(request), request.query),
  );

  app.get('/api/v1/frontier/models/:id', { ...auth, schema: spec('One model', { params, response: answers(ModelSchema) }) }, (request) =>
    models.getModel(deps.contextFor(request), request.params.id),
  );

  app.patch(
    '/api/v1/frontier/models/:id',
    {
      ...auth,
      schema: spec("Change a model's details, its planned release included (the developer)", {
        params,
        body: ModelUpdateBody,
        response: answers(ModelSchema, [403]),
      }),
    },
    (request) => models.updateModel(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/frontier/models/:id/determinations',
    {
      ...auth,
      schema: spec('Record a covered-model determination (agencies, the coordinator)', {
        params,
        body: DeterminationBody,
        response: answers(DeterminationSchema, [403], 201),
      }),
    },
    async (request, reply) =>
      reply.status(201).send(await models.recordDetermination(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/frontier/models/:id/determinations',
    {
      ...auth,
      schema: spec("A model's covered-model determinations, newest first", { params, response: answers(itemsOf(DeterminationSchema)) }),
    },
    async (request) => ({ items: await models.listDeterminations(deps.contextFor(request), request.params.id) }),
  );

  app.post(
    '/api/v1/frontier/models/:id/partners',
    {
      ...auth,
      schema: spec('Nominate a trusted-partner candidate (the developer or government); it is scored at once', {
        params,
        body: NominationBody,
        response: answers(NominationSchema, [403, 409], 201),
      }),
    },
    async (request, reply) =>
      reply.status(201).send(await partners.nominatePartner(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/frontier/models/:id/partners',
    {
      ...auth,
      schema: spec("A model's partner nominations and selections", {
        params,
        querystring: PageQuerySchema,
        response: pageAnswers(NominationSchema),
      }),
    },
    (request) => partners.listNominations(deps.contextFor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/frontier/partners/:id',
    { ...auth, schema: spec('One partner nomination, its score and sign-offs', { params, response: answers(NominationSchema) }) },
    (request) => partners.getNomination(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/frontier/partners/:id/score',
    {
      ...auth,
      schema: spec('Score a candidate again under the policy in force, factor by factor', { params, response: answers(NominationSchema) }),
    },
    (request) => partners.scoreNomination(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/frontier/partners/:id/approve',
    {
      ...auth,
      schema: spec('Sign off on a partner candidate for your side; selected once the developer and government both signed', {
        params,
        body: optionalBody(SignOffBody),
        response: answers(NominationSchema, [403, 409, 422]),
      }),
    },
    (request) => partners.signOffNomination(deps.contextFor(request), request.params.id, request.body ?? {}),
  );
}
