import { Type } from '@sinclair/typebox';
import {
  IdParamSchema,
  PageQuerySchema,
  pageOf,
  problemResponses,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../../platform/http/index.js';
import { createAsset, getAsset, listAssets, updateAsset } from '../service/assets.js';
import { getSbom, listSbomComponents, listSbomMatches, listSboms } from '../service/sboms.js';
import { AssetPatchBody, AssetSchema, ComponentSchema, MatchSchema, NewAssetBody, SbomSchema } from './schemas.js';

const { auth, spec } = routeKit('inventory');

/** Assets and their SBOM versions (reads and edits; uploads are in upload-routes.ts). */
export function assetRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/inventory/assets',
    {
      ...auth,
      schema: spec('Register an asset (operator admins and analysts; coordinators for an operator with orgId)', {
        body: NewAssetBody,
        response: { 201: AssetSchema, ...problemResponses(403, 404, 409) },
      }),
    },
    async (request, reply) => reply.status(201).send(await createAsset(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/inventory/assets',
    {
      ...auth,
      schema: spec("Assets: your organisation's; every operator's for the coordinator (orgId narrows)", {
        querystring: Type.Composite([PageQuerySchema, Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 64 })) })]),
        response: { 200: pageOf(AssetSchema), ...problemResponses() },
      }),
    },
    (request) => listAssets(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/inventory/assets/:id',
    { ...auth, schema: spec('One asset', { params: IdParamSchema, response: { 200: AssetSchema, ...problemResponses(404) } }) },
    (request) => getAsset(deps.contextFor(request), request.params.id),
  );

  app.patch(
    '/api/v1/inventory/assets/:id',
    {
      ...auth,
      schema: spec("Change an asset's name, sector, criticality or internet exposure", {
        params: IdParamSchema,
        body: AssetPatchBody,
        response: { 200: AssetSchema, ...problemResponses(403, 404, 409) },
      }),
    },
    (request) => updateAsset(deps.contextFor(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/inventory/assets/:id/sboms',
    {
      ...auth,
      schema: spec("An asset's SBOM versions, newest first", {
        params: IdParamSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(SbomSchema), ...problemResponses(404) },
      }),
    },
    (request) => listSboms(deps.contextFor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/inventory/sboms/:id',
    {
      ...auth,
      schema: spec('One SBOM version', { params: IdParamSchema, response: { 200: SbomSchema, ...problemResponses(404) } }),
    },
    (request) => getSbom(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/inventory/sboms/:id/components',
    {
      ...auth,
      schema: spec("An SBOM version's components in document order (unmatched=true: those advisories cannot reach, with the reason)", {
        params: IdParamSchema,
        querystring: Type.Composite([PageQuerySchema, Type.Object({ unmatched: Type.Optional(Type.Boolean()) })]),
        response: { 200: pageOf(ComponentSchema), ...problemResponses(404) },
      }),
    },
    (request) => listSbomComponents(deps.contextFor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/inventory/sboms/:id/matches',
    {
      ...auth,
      schema: spec(
        "An SBOM version's matches: per component, the advisories affecting it, the range that matched, the fixed versions and the confidence",
        {
          params: IdParamSchema,
          querystring: PageQuerySchema,
          response: { 200: pageOf(MatchSchema), ...problemResponses(404) },
        },
      ),
    },
    (request) => listSbomMatches(deps.contextFor(request), request.params.id, request.query),
  );
}
