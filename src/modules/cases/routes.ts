import { Type } from '@sinclair/typebox';
import {
  IdParamSchema,
  PageQuerySchema,
  StringEnum,
  problemWith,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../platform/http/index.js';
import { casesCveRoutes } from './cve-routes.js';
import { casesPolicyRoutes } from './policy-routes.js';
import { EMBARGO_STATES } from './domain/embargo.js';
import { caseTimeline, getCase, listCases, openCase } from './service/cases.js';
import { EMBARGO_REQUESTS, moveEmbargo } from './service/embargo.js';
import {
  addParticipant,
  declareVendorScopes,
  declineParticipant,
  listVendorScopes,
  proposeVendor,
  suggestCaseVendors,
} from './service/participants.js';
import { createPost, listPosts, MAX_POST_CHARS } from './service/posts.js';
import { decideStatement, listStatements, setStatement } from './service/statements.js';
import {
  CaseParam,
  CaseSchema,
  CaseSummarySchema,
  EmbargoSchema,
  OrgBody,
  ParticipantSchema,
  PostSchema,
  ScopesSchema,
  StatementBody,
  StatementSchema,
  StepSchema,
} from './route-schemas.js';

/** JSON bodies of the cases routes are small: a statement, a post, a list of scopes. */
const BODY_LIMIT = 64 * 1024;

const { auth, spec, answers, pageAnswers } = routeKit('cases', { bodyLimit: BODY_LIMIT, errors: [413] });

/** Every cases route, under /api/v1/cases. */
export function casesRoutes(app: HttpApp, deps: RouteDeps): void {
  casesCveRoutes(app, deps);
  casesPolicyRoutes(app, deps);
  app.post(
    '/api/v1/cases',
    {
      ...auth,
      schema: spec('Open a case from accepted clusters (coordinators); reporters take part, vendors are suggested from their purl scopes', {
        body: Type.Object(
          {
            clusterIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 }),
            title: Type.Optional(Type.String({ maxLength: 300 })),
            description: Type.Optional(Type.String({ maxLength: 20_000 })),
            exploited: Type.Optional(Type.Boolean({ description: 'actively exploited: the shorter default embargo' })),
          },
          { additionalProperties: false },
        ),
        response: {
          ...answers(CaseSchema, [403, 409], 201),
          ...problemWith(409, '`cluster-in-case` names the cluster and the case that coordinates it already', {
            clusterId: Type.String(),
            caseNumber: Type.String(),
          }),
        },
      }),
    },
    async (request, reply) => reply.status(201).send(await openCase(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/cases',
    {
      ...auth,
      schema: spec('The cases you take part in (coordinators: every case), newest first', {
        querystring: Type.Composite([PageQuerySchema, Type.Object({ embargoState: Type.Optional(StringEnum(EMBARGO_STATES)) })]),
        response: pageAnswers(CaseSummarySchema),
      }),
    },
    (request) => listCases(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/cases/:id',
    {
      ...auth,
      schema: spec('A case: embargo, vulnerabilities, participants (others see the coordinators and themselves), your channels', {
        params: CaseParam,
        response: answers(CaseSchema),
      }),
    },
    (request) => getCase(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/cases/:id/timeline',
    {
      ...auth,
      schema: spec("The case timeline: every step (coordinators), else the common steps and your organisation's", {
        params: CaseParam,
        response: answers(Type.Object({ items: Type.Array(StepSchema) })),
      }),
    },
    async (request) => ({ items: await caseTimeline(deps.contextFor(request), request.params.id) }),
  );

  app.post(
    '/api/v1/cases/:id/participants',
    {
      ...auth,
      schema: spec('Add an organisation to a case, or approve a suggested vendor (coordinators); it is notified at once', {
        params: CaseParam,
        body: OrgBody,
        response: answers(ParticipantSchema, [403]),
      }),
    },
    (request) => addParticipant(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/cases/:id/participants/:orgId/decline',
    {
      ...auth,
      schema: spec('Decline a suggested participant (coordinators)', {
        params: Type.Object({ id: CaseParam.properties.id, orgId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: answers(ParticipantSchema, [403]),
      }),
    },
    (request) => declineParticipant(deps.contextFor(request), request.params.id, request.params.orgId),
  );

  app.post(
    '/api/v1/cases/:id/suggestions',
    {
      ...auth,
      schema: spec("Suggest vendors again from the vendors' current purl scopes (coordinators); answers the new suggestions", {
        params: CaseParam,
        response: answers(Type.Object({ items: Type.Array(ParticipantSchema) }), [403]),
      }),
    },
    async (request) => ({ items: await suggestCaseVendors(deps.contextFor(request), request.params.id) }),
  );

  app.post(
    '/api/v1/cases/:id/vendor-proposals',
    {
      ...auth,
      schema: spec('Propose another vendor for a case you take part in; a coordinator approves', {
        params: CaseParam,
        body: Type.Object(
          { orgId: Type.String({ minLength: 1, maxLength: 64 }), note: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: answers(Type.Object({ proposed: Type.Literal(true) }), [403]),
      }),
    },
    (request) => proposeVendor(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/cases/:id/embargo',
    {
      ...auth,
      schema: spec(
        'Move the embargo: propose an end (an instant with offset, or a local time with timeZone), accept or reject (coordinators, the earliest proposal wins), end (coordinators), report a leak',
        {
          params: CaseParam,
          body: Type.Object(
            {
              action: StringEnum(EMBARGO_REQUESTS),
              endsAt: Type.Optional(
                Type.String({ maxLength: 64, description: '2026-07-20T17:00:00-04:00, or 2026-07-20T17:00 with timeZone' }),
              ),
              timeZone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA zone, e.g. America/New_York' })),
              reason: Type.Optional(StringEnum(['published', 'terminated'] as const)),
              note: Type.Optional(Type.String({ maxLength: 2000 })),
            },
            { additionalProperties: false },
          ),
          response: answers(EmbargoSchema, [403, 409]),
        },
      ),
    },
    (request) => moveEmbargo(deps.contextFor(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/cases/:id/statements',
    {
      ...auth,
      schema: spec("The case's statements you may read: your own, and others' once approved and shared or disclosed (coordinators: all)", {
        params: CaseParam,
        response: answers(Type.Object({ items: Type.Array(StatementSchema) })),
      }),
    },
    async (request) => ({ items: await listStatements(deps.contextFor(request), request.params.id) }),
  );

  app.post(
    '/api/v1/cases/:id/statements',
    {
      ...auth,
      schema: spec("State a vendor's status for a vulnerability and product; each change is a new version awaiting approval", {
        params: CaseParam,
        body: StatementBody,
        response: answers(StatementSchema, [403, 409]),
      }),
    },
    (request) => setStatement(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/cases/statements/:id/decision',
    {
      ...auth,
      schema: spec('Approve or reject the current version of a statement (coordinators)', {
        params: IdParamSchema,
        body: Type.Object({ approve: Type.Boolean(), version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: answers(StatementSchema, [403, 409]),
      }),
    },
    (request) => decideStatement(deps.contextFor(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/cases/:id/posts',
    {
      ...auth,
      schema: spec('One channel of the case discussion, oldest first: common (default) or org:<id>, your own', {
        params: CaseParam,
        querystring: Type.Composite([PageQuerySchema, Type.Object({ channel: Type.Optional(Type.String({ maxLength: 200 })) })]),
        response: pageAnswers(PostSchema),
      }),
    },
    (request) => listPosts(deps.contextFor(request), request.params.id, request.query),
  );

  app.post(
    '/api/v1/cases/:id/posts',
    {
      ...auth,
      schema: spec('Post to a channel you read: common (default) or your own org:<id> (coordinators: any)', {
        params: CaseParam,
        body: Type.Object(
          { channel: Type.Optional(Type.String({ maxLength: 200 })), body: Type.String({ minLength: 1, maxLength: MAX_POST_CHARS }) },
          { additionalProperties: false },
        ),
        response: answers(PostSchema, [403], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await createPost(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/cases/vendor-scopes',
    {
      ...auth,
      schema: spec("A vendor's declared purl scopes: your own, or any (coordinators)", {
        querystring: Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: answers(ScopesSchema),
      }),
    },
    (request) => listVendorScopes(deps.contextFor(request), request.query.orgId),
  );

  app.put(
    '/api/v1/cases/vendor-scopes',
    {
      ...auth,
      schema: spec('Declare the purl namespaces and products a vendor owns (replaces the list); cases affecting them suggest the vendor', {
        body: Type.Object(
          {
            orgId: Type.Optional(Type.String({ maxLength: 64, description: 'coordinators: the vendor; default your organisation' })),
            scopes: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 200 }),
          },
          { additionalProperties: false },
        ),
        response: answers(ScopesSchema, [403]),
      }),
    },
    (request) => declareVendorScopes(deps.contextFor(request), request.body),
  );
}
