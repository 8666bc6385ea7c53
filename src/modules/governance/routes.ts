import { Type } from '@sinclair/typebox';
import {
  IdParamSchema,
  PageQuerySchema,
  StringEnum,
  attachmentDisposition,
  routeKit,
  type HttpApp,
  type RouteDeps,
} from '../../platform/http/index.js';
import type { TransparencyFact } from '../../platform/transparency-facts.js';
import { HOLD_SCOPE_KEYS } from './domain/legal-holds.js';
import { EXPORT_FORMAT_KEYS, exportShared } from './service/exports.js';
import { getHold, listHolds, placeHold, releaseHold } from './service/holds.js';
import { exportOrgData } from './service/organisations.js';
import { MAX_PLAN_RECORDS, retentionPlan } from './service/plan.js';
import { runRetentionPurge } from './service/purge.js';
import { getRetentionTable, listRetentionTableVersions, updateRetentionTable } from './service/retention-policy.js';
import type { RetentionRegistry } from './service/retention-registry.js';
import { transparencyCsv, transparencyPage, transparencyReport } from './service/transparency.js';
import { removalRoutes } from './removal-routes.js';
import {
  HoldSchema,
  OrgExportSchema,
  PurgeResultSchema,
  RetentionPlanSchema,
  RetentionTableSchema,
  TransparencyReportSchema,
} from './route-schemas.js';
import { taxiiRoutes } from './taxii-routes.js';

/** JSON bodies of the governance routes are small: a retention table, a hold, a removal request. */
const BODY_LIMIT = 256 * 1024;

const { auth, spec, answers, pageAnswers } = routeKit('governance', { bodyLimit: BODY_LIMIT, errors: [413] });

const OrgQuery = Type.Object({
  orgId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'coordinator admins: the organisation; default your own' })),
});

const MonthQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 7, description: 'first month, YYYY-MM; default eleven months before to' })),
  to: Type.Optional(Type.String({ maxLength: 7, description: 'last month, YYYY-MM; default this month' })),
});

export interface GovernanceRouteDeps extends RouteDeps {
  /** Every module's retention sources and blob references, as the composition root wires them. */
  readonly retentionRegistry: () => RetentionRegistry;
  /** Every module's transparency figures, as the composition root wires them. */
  readonly transparencyFacts: () => readonly TransparencyFact[];
}

/** Every governance route: under /api/v1/governance, the TAXII 2.1 server under /taxii2/, the public /transparency page. */
export function governanceRoutes(app: HttpApp, deps: GovernanceRouteDeps): void {
  retentionRoutes(app, deps);
  holdRoutes(app, deps);
  sharingRoutes(app, deps);
  removalRoutes(app, deps);
  transparencyRoutes(app, deps);
  taxiiRoutes(app, deps);
}

function retentionRoutes(app: HttpApp, deps: GovernanceRouteDeps): void {
  // Public on purpose: what the clearinghouse keeps and for how long is what parties decide by.
  app.get(
    '/api/v1/governance/retention',
    {
      schema: spec('The retention table in force: for each data class, how long it is kept (public)', {
        security: [],
        response: answers(RetentionTableSchema),
      }),
    },
    (request) => getRetentionTable(deps.contextFor(request)),
  );

  app.get(
    '/api/v1/governance/retention/versions',
    {
      ...auth,
      schema: spec('Every version of the retention table, newest first', {
        querystring: PageQuerySchema,
        response: pageAnswers(RetentionTableSchema),
      }),
    },
    (request) => listRetentionTableVersions(deps.contextFor(request), request.query),
  );

  app.put(
    '/api/v1/governance/retention',
    {
      ...auth,
      schema: spec('Replace the retention table with a new version (coordinator admins); audited', {
        body: Type.Object(
          {
            table: Type.Unknown({
              description: 'the whole table: { rules: { <data class>: { keep, reason } | { expire: [{ after, days }] } } }',
            }),
            version: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you read: a table changed since answers 409' })),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: answers(RetentionTableSchema, [403, 409]),
      }),
    },
    (request) => updateRetentionTable(deps.contextFor(request), request.body),
  );

  app.get(
    '/api/v1/governance/retention/plan',
    {
      ...auth,
      schema: spec('What the next purge would delete, and why, deleting nothing (coordinator staff)', {
        querystring: Type.Object({
          at: Type.Optional(Type.String({ format: 'date-time', description: 'the purge instant to plan for; default now' })),
          limit: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PLAN_RECORDS, default: 100 })),
        }),
        response: answers(RetentionPlanSchema, [403]),
      }),
    },
    (request) => retentionPlan(deps.contextFor(request), deps.retentionRegistry(), request.query),
  );

  app.post(
    '/api/v1/governance/retention/purge',
    {
      ...auth,
      schema: spec('Run the retention purge now (coordinator admins); the daily job runs it too', {
        response: answers(PurgeResultSchema, [403]),
      }),
    },
    (request) => runRetentionPurge(deps.contextFor(request), deps.retentionRegistry()),
  );
}

function holdRoutes(app: HttpApp, deps: GovernanceRouteDeps): void {
  app.get(
    '/api/v1/governance/holds',
    {
      ...auth,
      schema: spec('Legal holds, newest first (coordinator staff)', {
        querystring: Type.Composite([
          PageQuerySchema,
          Type.Object({ active: Type.Optional(Type.Boolean({ description: 'true: in force; false: released' })) }),
        ]),
        response: pageAnswers(HoldSchema, [403]),
      }),
    },
    (request) => listHolds(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/governance/holds/:id',
    { ...auth, schema: spec('One legal hold (coordinator staff)', { params: IdParamSchema, response: answers(HoldSchema, [403]) }) },
    (request) => getHold(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/governance/holds',
    {
      ...auth,
      schema: spec(
        'Place a legal hold on a record, a case or an organisation: nothing it covers is purged until released (coordinator admins)',
        {
          body: Type.Object(
            {
              scope: StringEnum(HOLD_SCOPE_KEYS),
              targetId: Type.String({ minLength: 1, maxLength: 200 }),
              reason: Type.String({ minLength: 1, maxLength: 2000 }),
            },
            { additionalProperties: false },
          ),
          response: answers(HoldSchema, [403], 201),
        },
      ),
    },
    async (request, reply) => reply.status(201).send(await placeHold(deps.contextFor(request), request.body)),
  );

  app.post(
    '/api/v1/governance/holds/:id/release',
    {
      ...auth,
      schema: spec('Release a legal hold (coordinator admins); the next purge deletes what it kept if retention says so', {
        params: IdParamSchema,
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: answers(HoldSchema, [403, 409]),
      }),
    },
    (request) => releaseHold(deps.contextFor(request), request.params.id, request.body),
  );
}

function sharingRoutes(app: HttpApp, deps: GovernanceRouteDeps): void {
  app.get(
    '/api/v1/governance/exports/:format',
    {
      ...auth,
      schema: spec(
        "An export of what a recipient may see, filtered by the recipient's entitlements, never the exporter's: STIX 2.1, CSV, or OSV records of the published advisories; audited",
        {
          params: Type.Object({ format: StringEnum(EXPORT_FORMAT_KEYS) }),
          querystring: Type.Object({
            recipientOrgId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 64,
                description: 'coordinator staff: export for this organisation; default yourself',
              }),
            ),
            since: Type.Optional(Type.String({ format: 'date-time', description: 'only what changed after this instant' })),
          }),
          produces: ['application/stix+json', 'text/csv', 'application/json'],
          response: answers(Type.String(), [403]),
        },
      ),
    },
    async (request, reply) => {
      const file = await exportShared(deps.contextFor(request), { format: request.params.format, ...request.query });
      return reply
        .type(file.mediaType)
        .header('content-disposition', attachmentDisposition(file.filename))
        .serializer((payload) => payload as string)
        .send(file.body);
    },
  );

  app.get(
    '/api/v1/governance/org-export',
    {
      ...auth,
      schema: spec(
        'Everything the clearinghouse holds about an organisation, and the tombstones of what was purged (its admins); audited',
        {
          querystring: OrgQuery,
          response: answers(OrgExportSchema, [403]),
        },
      ),
    },
    (request) => exportOrgData(deps.contextFor(request), deps.retentionRegistry(), request.query),
  );
}

function transparencyRoutes(app: HttpApp, deps: GovernanceRouteDeps): void {
  // Public on purpose: aggregates only, each withheld when fewer than three records stand behind it.
  app.get(
    '/api/v1/governance/transparency',
    {
      schema: spec('Transparency: program figures by month, with the frontier program metrics (public; aggregates only)', {
        security: [],
        querystring: MonthQuery,
        response: answers(TransparencyReportSchema),
      }),
    },
    (request) => transparencyReport(deps.contextFor(request), deps.retentionRegistry(), deps.transparencyFacts(), request.query),
  );

  app.get(
    '/api/v1/governance/transparency.csv',
    {
      schema: spec('Transparency figures by month as CSV (public)', {
        security: [],
        querystring: MonthQuery,
        produces: ['text/csv'],
        response: answers(Type.String()),
      }),
    },
    async (request, reply) => {
      const csv = transparencyCsv(
        await transparencyReport(deps.contextFor(request), deps.retentionRegistry(), deps.transparencyFacts(), request.query),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition('clearinghouse-transparency.csv'))
        .serializer((payload) => payload as string)
        .send(csv);
    },
  );

  app.get(
    '/transparency',
    {
      schema: spec('The public transparency page: charts and tables of the program figures, and the retention table', {
        security: [],
        querystring: MonthQuery,
        produces: ['text/html'],
        response: answers(Type.String()),
      }),
    },
    async (request, reply) => {
      const ctx = deps.contextFor(request);
      const page = await transparencyPage(
        ctx,
        await transparencyReport(ctx, deps.retentionRegistry(), deps.transparencyFacts(), request.query),
      );
      return reply
        .type('text/html; charset=utf-8')
        .serializer((payload) => payload as string)
        .send(page);
    },
  );
}
