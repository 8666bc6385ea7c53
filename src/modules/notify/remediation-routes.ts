import { Type } from '@sinclair/typebox';
import { InstantSchema, PageQuerySchema, itemsOf, routeKit, type HttpApp, type RouteDeps } from '../../platform/http/index.js';
import {
  AdvisoryRemediationCurvesSchema,
  AdvisoryRemediationSchema,
  NOTIFY_BODY_LIMIT,
  LinkReportBody,
  RemediationItemSchema,
  ReportBody,
} from './route-schemas.js';
import { advisoryRemediation, advisoryRemediationCsv, advisoryRemediationCurves } from './service/oversight.js';
import { listRemediation, readRemediationLink, reportByLink, reportRemediation } from './service/remediation.js';

const { auth, spec, answers, pageAnswers } = routeKit('notify', { bodyLimit: NOTIFY_BODY_LIMIT, errors: [413] });
const Items = itemsOf(RemediationItemSchema);
const AdvisoryParam = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200, description: 'the advisory (id or alias) notified' }),
});
const TokenQuery = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 1000, description: 'the signed link a notification carried' }),
});

/** Remediation: operators report per advisory and asset; coordinators oversee; the signed link needs no token. */
export function remediationRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/remediation',
    {
      ...auth,
      schema: spec(
        'Report the remediation of an advisory on some or all of your notified assets (admins and analysts): received, acknowledged, patched, mitigated (+ mitigation), not_affected (+ VEX justification), risk_accepted (+ expiresAt)',
        { body: ReportBody, response: answers(Items, [403, 422]) },
      ),
    },
    async (request) => ({ items: await reportRemediation(deps.contextFor(request), request.body, 'api') }),
  );

  app.get(
    '/api/v1/remediation',
    {
      ...auth,
      schema: spec(
        "Remediation items soonest due first: your organisation's open items; coordinators any operator's (orgId) or every operator's of an advisory",
        {
          querystring: Type.Composite([
            PageQuerySchema,
            Type.Object({
              orgId: Type.Optional(Type.String({ maxLength: 64 })),
              advisoryId: Type.Optional(Type.String({ maxLength: 200 })),
              open: Type.Optional(Type.Boolean({ default: true, description: 'only items that still need action' })),
              dueBefore: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601 date or instant' })),
              sector: Type.Optional(Type.String({ maxLength: 64 })),
            }),
          ]),
          response: pageAnswers(RemediationItemSchema),
        },
      ),
    },
    (request) => listRemediation(deps.contextFor(request), request.query, request.query),
  );

  app.get(
    '/api/v1/remediation/advisories/:id',
    {
      ...auth,
      schema: spec(
        "One advisory's remediation (coordinators): operators notified, shares acknowledged and patched, by sector and per day",
        { params: AdvisoryParam, response: answers(AdvisoryRemediationSchema, [403]) },
      ),
    },
    (request) => advisoryRemediation(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/remediation/advisories/:id/curves',
    {
      ...auth,
      schema: spec(
        "One advisory's remediation curves (coordinators): per whole day since each asset's notification, the share its operators reported patched, overall and per sector",
        { params: AdvisoryParam, response: answers(AdvisoryRemediationCurvesSchema, [403]) },
      ),
    },
    (request) => advisoryRemediationCurves(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/remediation/advisories/:id/csv',
    {
      ...auth,
      schema: spec("One advisory's remediation per operator and asset, as CSV (coordinators)", {
        params: AdvisoryParam,
        response: answers(Type.String({ description: 'text/csv, RFC 4180, header row' }), [403]),
      }),
    },
    async (request, reply) => {
      const csv = await advisoryRemediationCsv(deps.contextFor(request), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="remediation-${request.params.id.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`)
        .send(csv);
    },
  );

  // The signed link is the capability: no bearer token, and every invalid link answers the same 404.
  app.get(
    '/api/v1/remediation/link',
    {
      bodyLimit: NOTIFY_BODY_LIMIT,
      schema: spec("What a notification's remediation link reports for: its advisory and your organisation's items", {
        querystring: TokenQuery,
        response: answers(
          Type.Object({ advisoryId: Type.String(), orgId: Type.String(), items: Items.properties.items, expiresAt: InstantSchema }),
        ),
      }),
    },
    (request) => readRemediationLink(deps.contextFor(request), request.query.token),
  );

  app.post(
    '/api/v1/remediation/link',
    {
      bodyLimit: NOTIFY_BODY_LIMIT,
      schema: spec("Report remediation by following a notification's signed link (no token; for that notification's assets only)", {
        querystring: TokenQuery,
        body: LinkReportBody,
        response: answers(Items, [422]),
      }),
    },
    async (request) => ({ items: await reportByLink(deps.contextFor(request), request.query.token, request.body) }),
  );
}
