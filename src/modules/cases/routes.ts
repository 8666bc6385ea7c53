import { Type } from '@sinclair/typebox';
import {
  IdParamSchema,
  InstantSchema,
  Nullable,
  PageQuerySchema,
  StringEnum,
  problemWith,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../platform/http/index.js';
import { casesCveRoutes } from './cve-routes.js';
import { casesPolicyRoutes } from './policy-routes.js';
import { EMBARGO_EXIT_REASONS, EMBARGO_STATES } from './domain/embargo.js';
import { PARTICIPANT_ROLES, PARTICIPANT_STATES } from './domain/participants.js';
import { APPROVAL_STATES, STATEMENT_STATUSES, VEX_JUSTIFICATIONS } from './domain/statements.js';
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

/** JSON bodies of the cases routes are small: a statement, a post, a list of scopes. */
const BODY_LIMIT = 64 * 1024;

const Str = Type.String();
const { auth, spec, answers, pageAnswers } = routeKit('cases', { bodyLimit: BODY_LIMIT, errors: [413] });
const CaseParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'case id or number (CH-YYYY-NNNN)' }) });

const EmbargoSchema = Type.Object({
  state: StringEnum(EMBARGO_STATES),
  endsAt: Nullable(InstantSchema),
  endsAtLocal: Nullable(Str),
  timeZone: Nullable(Str),
  exitedAt: Nullable(InstantSchema),
  exitReason: Nullable(StringEnum(EMBARGO_EXIT_REASONS)),
  proposals: Type.Array(
    Type.Object({
      id: Str,
      endsAt: InstantSchema,
      endsAtLocal: Str,
      timeZone: Str,
      kind: StringEnum(['initial', 'revision'] as const),
      status: Str,
      at: InstantSchema,
      byOrgId: Nullable(Str),
    }),
  ),
});

const ParticipantSchema = Type.Object({
  orgId: Str,
  role: StringEnum(PARTICIPANT_ROLES),
  state: StringEnum(PARTICIPANT_STATES),
  source: Str,
  matches: Type.Array(Type.Object({ purl: Str, scope: Str })),
  notifiedAt: Nullable(InstantSchema),
  seenAt: Nullable(InstantSchema),
});

const SummaryFields = {
  id: Str,
  number: Str,
  title: Str,
  embargoState: StringEnum(EMBARGO_STATES),
  embargoEndsAt: Nullable(InstantSchema),
  disclosedAt: Nullable(InstantSchema),
  createdAt: InstantSchema,
};
const CaseSummarySchema = Type.Object(SummaryFields);
const CaseSchema = Type.Object({
  ...SummaryFields,
  description: Nullable(Str),
  openedBy: StringEnum(['coordinator', 'policy'] as const),
  exploited: Type.Boolean(),
  embargo: EmbargoSchema,
  disclosurePolicyVersion: Nullable(
    Type.Integer({ description: 'the disclosure policy version the embargo was last decided under (0: the built-in defaults)' }),
  ),
  vulnerabilities: Type.Array(
    Type.Object({
      clusterId: Str,
      title: Nullable(Str),
      aliases: Type.Array(Str),
      cveIds: Type.Array(Str, { description: 'CVE ids the coordinator assigned (assigned or published)' }),
      cwes: Type.Array(Str),
      purls: Type.Array(Str),
      cvssVectors: Type.Array(Str, { description: 'CVSS vectors the reports you may read give' }),
      references: Type.Array(Str, { description: 'reference URLs of those reports' }),
      credits: Type.Array(Str, { description: 'the names those reports ask to be credited under (never the anonymous)' }),
      creditedOrganizations: Type.Array(Str, {
        description: 'the reporting organisations those reports ask to be credited as (credit mode organization)',
      }),
    }),
  ),
  participants: Type.Array(ParticipantSchema),
  myRole: Nullable(StringEnum(PARTICIPANT_ROLES)),
  channels: Type.Array(Str),
  updatedAt: InstantSchema,
});

const ProductSchema = Type.Object({ purl: Nullable(Str), cpe: Nullable(Str), vendor: Nullable(Str), name: Str, version: Nullable(Str) });
const StatementSchema = Type.Object({
  id: Str,
  caseId: Str,
  vendorOrgId: Str,
  clusterId: Str,
  status: StringEnum(STATEMENT_STATUSES),
  product: ProductSchema,
  justification: Nullable(StringEnum(VEX_JUSTIFICATIONS)),
  impactStatement: Nullable(Str),
  actionStatement: Nullable(Str),
  fixedVersions: Type.Array(Str),
  fixUrl: Nullable(Str),
  fixText: Nullable(Str),
  text: Nullable(Str),
  shareBeforePublication: Type.Boolean(),
  approval: StringEnum(APPROVAL_STATES),
  version: Type.Integer(),
  source: StringEnum(['typed', 'csaf_vex', 'cyclonedx_vex'] as const),
  decidedAt: Nullable(InstantSchema),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

const StepSchema = Type.Object({
  id: Str,
  kind: Str,
  at: InstantSchema,
  actorOrgId: Nullable(Str),
  data: Type.Object({}, { additionalProperties: true }),
});

const PostSchema = Type.Object({
  id: Str,
  caseId: Str,
  channel: Str,
  authorRole: StringEnum(PARTICIPANT_ROLES, { description: "what every reader learns of who wrote: the author's part in the case" }),
  authorOrgId: Type.Union([Str, Type.Null()], { description: "shown to coordinators and to the author's organisation only" }),
  authorUserId: Type.Union([Str, Type.Null()], { description: "shown to coordinators and to the author's organisation only" }),
  body: Str,
  createdAt: InstantSchema,
});

const ScopesSchema = Type.Object({ orgId: Str, scopes: Type.Array(Str) });

const OrgBody = Type.Object(
  {
    orgId: Type.String({ minLength: 1, maxLength: 64 }),
    role: Type.Optional(StringEnum(PARTICIPANT_ROLES, { default: 'vendor' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const StatementBody = Type.Object(
  {
    clusterId: Type.String({ minLength: 1, maxLength: 64, description: 'the vulnerability: one of the case clusters' }),
    vendorOrgId: Type.Optional(
      Type.String({ maxLength: 64, description: 'coordinators: the vendor stated for; default your organisation' }),
    ),
    status: StringEnum(STATEMENT_STATUSES),
    product: Type.Object(
      {
        purl: Type.Optional(Type.String({ maxLength: 500 })),
        cpe: Type.Optional(Type.String({ maxLength: 500 })),
        vendor: Type.Optional(Type.String({ maxLength: 500 })),
        name: Type.Optional(Type.String({ maxLength: 500 })),
        version: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false, description: 'a purl, a CPE, or a name (and version)' },
    ),
    justification: Type.Optional(StringEnum(VEX_JUSTIFICATIONS, { description: 'required for not_affected' })),
    impactStatement: Type.Optional(Type.String({ maxLength: 10_000 })),
    actionStatement: Type.Optional(Type.String({ maxLength: 10_000 })),
    fixedVersions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
    fixUrl: Type.Optional(Type.String({ maxLength: 2000 })),
    fixText: Type.Optional(Type.String({ maxLength: 2000 })),
    text: Type.Optional(Type.String({ maxLength: 10_000 })),
    shareBeforePublication: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

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
