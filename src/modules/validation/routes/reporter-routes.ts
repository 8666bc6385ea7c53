import { Type } from '@sinclair/typebox';
import { IdParamSchema, PageQuerySchema, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import { clearQuotaOverride, setQuotaOverride } from '../service/quota.js';
import { getReporterRecord, listReporterRecords, listToolRecords } from '../service/track-record.js';
import { answers, auth, pageAnswers, spec } from './route-kit.js';
import { QuotaSchema, ReporterDetailSchema, ReporterSchema, ToolSchema } from './schemas.js';

/** Reporter track records, tool/model track records and quota overrides. */
export function reporterRoutes(app: HttpApp, deps: RouteDeps): void {
  app.get(
    '/api/v1/validation/reporters',
    {
      ...auth,
      schema: spec(
        "Reporters' track records (all for coordinators, your own otherwise): valid, invalid by reason, duplicates, smoothed precision",
        {
          querystring: PageQuerySchema,
          response: pageAnswers(ReporterSchema),
        },
      ),
    },
    (request) => listReporterRecords(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/validation/reporters/:id',
    {
      ...auth,
      schema: spec("An organisation's track record and quota (coordinators, its members)", {
        params: IdParamSchema,
        response: answers(ReporterDetailSchema),
      }),
    },
    (request) => getReporterRecord(deps.contextFor(request), request.params.id),
  );

  app.put(
    '/api/v1/validation/reporters/:id/quota',
    {
      ...auth,
      schema: spec("Override a reporter's daily quota (coordinators): dailyLimit submissions per 24 hours, or null to exempt; audited", {
        params: IdParamSchema,
        body: Type.Object(
          {
            // A type list, not a union: Ajv's type coercion would turn null into 0 (or 0 into null) in a union.
            dailyLimit: Type.Unsafe<number | null>({
              type: ['integer', 'null'],
              minimum: 0,
              maximum: 1_000_000,
              description: 'submissions per 24 hours; null exempts',
            }),
            note: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: answers(QuotaSchema, [403]),
      }),
    },
    (request) => setQuotaOverride(deps.contextFor(request), request.params.id, request.body),
  );

  app.delete(
    '/api/v1/validation/reporters/:id/quota',
    {
      ...auth,
      schema: spec("Remove a reporter's quota override (coordinators): back to the computed quota; audited", {
        params: IdParamSchema,
        response: answers(QuotaSchema, [403]),
      }),
    },
    (request) => clearQuotaOverride(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/validation/tools',
    {
      ...auth,
      schema: spec('Track records per tool and model (across reporters for coordinators; your own reports otherwise)', {
        querystring: PageQuerySchema,
        response: pageAnswers(ToolSchema),
      }),
    },
    (request) => listToolRecords(deps.contextFor(request), request.query),
  );
}
