import { Type } from '@sinclair/typebox';
import { IdParamSchema, PageQuerySchema, optionalBody, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import * as agreements from '../service/agreements.js';
import { AgreementSchema } from './schemas.js';
import { answers, auth, pageAnswers, spec } from './route-kit.js';

const ProposeBody = Type.Object(
  {
    counterpartyOrgId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'a new agreement: the other party (an agency or the coordinator, or a model developer)',
      }),
    ),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    terms: Type.Unknown({
      description: 'scope, window, release notice, confidentiality and use terms, retention, grantees, grant terms, contacts',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

/** Voluntary testing agreements between a model developer and the government side: propose, sign, end. */
export function agreementRoutes(app: HttpApp, deps: RouteDeps): void {
  const params = IdParamSchema;

  app.get(
    '/api/v1/frontier/agreements',
    {
      ...auth,
      schema: spec('The voluntary testing agreements your organisation is party to (coordinator: all), newest first', {
        querystring: PageQuerySchema,
        response: pageAnswers(AgreementSchema),
      }),
    },
    (request) => agreements.listAgreements(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/frontier/agreements/:id',
    { ...auth, schema: spec('One agreement, every version with its signatures', { params, response: answers(AgreementSchema) }) },
    (request) => agreements.getAgreement(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/frontier/agreements',
    {
      ...auth,
      schema: spec('Propose a new agreement to the other party (an admin of either side); nobody has signed it yet', {
        body: ProposeBody,
        response: answers(AgreementSchema, [403, 409], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await agreements.proposeAgreement(deps.contextFor(request), request.body)),
  );

  app.post(
    '/api/v1/frontier/agreements/:id/versions',
    {
      ...auth,
      schema: spec('Propose new terms for a running agreement; the version in force stays until both sides sign the new one', {
        params,
        body: Type.Object({ terms: ProposeBody.properties.terms, note: ProposeBody.properties.note }, { additionalProperties: false }),
        response: answers(AgreementSchema, [403, 409], 201),
      }),
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await agreements.proposeAgreement(deps.contextFor(request), { ...request.body, agreementId: request.params.id })),
  );

  app.post(
    '/api/v1/frontier/agreements/:id/sign',
    {
      ...auth,
      schema: spec("Sign a proposed version for your side (an admin); the second side's signature puts it in force", {
        params,
        body: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: answers(AgreementSchema, [403, 409]),
      }),
    },
    (request) => agreements.signAgreement(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/frontier/agreements/:id/end',
    {
      ...auth,
      schema: spec('End the agreement, by either side (voluntary): reviews in progress go on, and no release waits on it', {
        params,
        body: optionalBody(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })),
        response: answers(AgreementSchema, [403, 409]),
      }),
    },
    (request) => agreements.endAgreement(deps.contextFor(request), request.params.id, request.body ?? {}),
  );
}
