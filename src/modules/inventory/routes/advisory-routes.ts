import { Type } from '@sinclair/typebox';
import {
  QUEUES_BACKGROUND_WORK,
  IdParamSchema,
  PageQuerySchema,
  pageOf,
  problemResponses,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../../platform/http/index.js';
import { InputError } from '../../../platform/errors.js';
import { getAdvisory, importAdvisories, listAdvisories, upsertAdvisory } from '../service/advisories.js';
import { affectedOperators, exposureForAdvisory, exposureForOperator } from '../service/exposure.js';
import {
  AdvisoryBody,
  AdvisoryImportBody,
  AdvisoryImportSchema,
  AdvisoryExposureSchema,
  AdvisorySchema,
  AffectedOperatorsSchema,
  OperatorExposureSchema,
  UpsertResultSchema,
} from './schemas.js';

const { auth, spec } = routeKit('inventory');

/** Largest import batch body: 500 OSV records, some of which list every version of their package. */
export const ADVISORY_IMPORT_LIMIT = 32 * 1024 * 1024;

/** The inventory's advisories, their reach (coordinators) and an operator's exposure. */
export function advisoryRoutes(app: HttpApp, deps: RouteDeps): void {
  app.get(
    '/api/v1/inventory/advisories',
    {
      ...auth,
      schema: spec('Advisories the inventory matches against, as far as their TLP lets you see them', {
        querystring: Type.Composite([
          PageQuerySchema,
          Type.Object({ alias: Type.Optional(Type.String({ maxLength: 200, description: 'an id or alias (CVE-…)' })) }),
        ]),
        response: { 200: pageOf(AdvisorySchema), ...problemResponses() },
      }),
    },
    (request) => listAdvisories(deps.contextFor(request), request.query),
  );

  app.post(
    '/api/v1/inventory/advisories',
    {
      ...auth,
      ...QUEUES_BACKGROUND_WORK,
      schema: spec('Create or update an advisory from an OSV record (coordinator admins and analysts); a change runs the reverse match', {
        body: AdvisoryBody,
        response: { 200: UpsertResultSchema, 201: UpsertResultSchema, ...problemResponses(403) },
      }),
    },
    async (request, reply) => {
      const body = request.body;
      const result = await upsertAdvisory(deps.contextFor(request), body.record, {
        source: body.source ?? 'api',
        tlp: body.tlp,
        sourceRef: body.sourceRef ?? null,
      });
      return reply.status(result.outcome === 'created' ? 201 : 200).send(result);
    },
  );

  app.post(
    '/api/v1/inventory/advisories/import',
    {
      ...auth,
      ...QUEUES_BACKGROUND_WORK,
      bodyLimit: ADVISORY_IMPORT_LIMIT,
      schema: spec('Create or update up to 500 advisories from OSV records in one batch (coordinator admins and analysts)', {
        description:
          'What `clearinghouse inventory advisories import --url` sends, batch by batch. Answers the outcome counts and the ' +
          'background work queued (the reverse match of every new or changed advisory), to follow with GET /api/v1/jobs/status?work=.',
        body: AdvisoryImportBody,
        response: { 200: AdvisoryImportSchema, ...problemResponses(403, 413) },
      }),
    },
    (request) =>
      importAdvisories(deps.contextFor(request), request.body.records, { source: request.body.source ?? 'api', tlp: request.body.tlp }),
  );

  app.get(
    '/api/v1/inventory/advisories/:id',
    {
      ...auth,
      schema: spec('One advisory', { params: IdParamSchema, response: { 200: AdvisorySchema, ...problemResponses(404) } }),
    },
    (request) => getAdvisory(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/inventory/advisories/:id/affected',
    {
      ...auth,
      schema: spec('The operators, assets and components an advisory (id or alias) affects: coordinators, within its TLP', {
        params: IdParamSchema,
        querystring: PageQuerySchema,
        response: { 200: AffectedOperatorsSchema, ...problemResponses(403, 404) },
      }),
    },
    (request) => affectedOperators(deps.contextFor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/inventory/advisories/:id/exposure',
    {
      ...auth,
      schema: spec('How many operators, assets and sectors run a version an advisory (id or alias) affects: coordinators', {
        params: IdParamSchema,
        response: { 200: AdvisoryExposureSchema, ...problemResponses(403) },
      }),
    },
    (request) => exposureForAdvisory(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/inventory/exposure',
    {
      ...auth,
      schema: spec(
        "An operator's exposure: the advisories its inventories match, by advisory and asset (yours; any operator's for the coordinator)",
        {
          querystring: Type.Composite([PageQuerySchema, Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 64 })) })]),
          response: { 200: OperatorExposureSchema, ...problemResponses(404) },
        },
      ),
    },
    (request) => {
      const ctx = deps.contextFor(request);
      const orgId = request.query.orgId ?? (ctx.actor.kind === 'user' ? ctx.actor.orgId : undefined);
      if (orgId === undefined) throw new InputError('name the operator', [{ pointer: '/querystring/orgId', detail: 'is required' }]);
      return exposureForOperator(ctx, orgId, request.query);
    },
  );
}
