import {
  QUEUES_BACKGROUND_WORK,
  IdParamSchema,
  bodyBytes,
  problemResponses,
  rawBodyRoutes,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../../platform/http/index.js';
import { DEFAULT_MAX_SBOM_BYTES } from '../domain/sbom-parse.js';
import type { UploadResult } from '../presenters.js';
import { uploadSbom, type UploadSbomInput } from '../service/sboms.js';
import { UploadQuery, UploadResultSchema } from './schemas.js';

/**
 * The media types an SBOM may be sent as. The body is read as raw bytes whatever the type (the document is
 * stored byte for byte and its format detected from its content), so JSON is not parsed here either.
 */
export const SBOM_MEDIA_TYPES = [
  'application/json',
  'application/vnd.cyclonedx+json',
  'application/vnd.cyclonedx+xml',
  'application/spdx+json',
  'application/ld+json',
  'application/xml',
  'text/xml',
  'text/plain',
  'text/spdx',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'application/octet-stream',
];

/** Largest SBOM accepted over HTTP: the parser's own limit, above the server's default body limit. */
export const SBOM_UPLOAD_LIMIT = DEFAULT_MAX_SBOM_BYTES;

/** 201 with a new version; 200 when the bytes were those of the asset's current version. */
const statusOf = (result: UploadResult): 200 | 201 => (result.created ? 201 : 200);

const { auth, spec } = routeKit('inventory', { bodyLimit: SBOM_UPLOAD_LIMIT });

/** SBOM uploads: raw documents in any of {@link SBOM_MEDIA_TYPES}, in their own parser scope. */
export function uploadRoutes(app: HttpApp, deps: RouteDeps): void {
  rawBodyRoutes(app, { types: SBOM_MEDIA_TYPES, bodyLimit: SBOM_UPLOAD_LIMIT }, (scoped) => {
    const upload = (summary: string, extra: Record<string, unknown>) => ({
      ...auth,
      ...QUEUES_BACKGROUND_WORK,
      schema: spec(summary, {
        description:
          'The body is the SBOM file itself: CycloneDX 1.4–1.6 JSON or XML, SPDX 2.3 JSON, YAML or tag-value, SPDX 3.0 JSON-LD. ' +
          'It is stored byte for byte, parsed, and matched against every advisory. 201 with a new version; 200 when the bytes are ' +
          "those of the asset's current version. 415 for a format not read here, 400 with code sbom-malformed or sbom-not-inventory for a document that breaks its format or lists no software, 413 past 64 MiB.",
        consumes: SBOM_MEDIA_TYPES,
        response: { 200: UploadResultSchema, 201: UploadResultSchema, ...problemResponses(403, 404, 409, 413, 415) },
        ...extra,
      }),
    });

    scoped.post(
      '/api/v1/inventory/sboms',
      upload('Upload an SBOM as the new inventory of an asset named in the query (created on first upload)', { querystring: UploadQuery }),
      async (request, reply) => {
        const q = request.query as { asset: string; orgId?: string; sector?: string; criticality?: string; internetFacing?: boolean };
        const input: UploadSbomInput = {
          asset: { name: q.asset, orgId: q.orgId, sector: q.sector, criticality: q.criticality, internetFacing: q.internetFacing },
          bytes: bodyBytes(request),
        };
        const result = await uploadSbom(deps.contextFor(request), input);
        return reply.status(statusOf(result)).send(result);
      },
    );

    scoped.post(
      '/api/v1/inventory/assets/:id/sboms',
      upload("Upload an SBOM as the new version of an asset's inventory", { params: IdParamSchema }),
      async (request, reply) => {
        const assetId = (request.params as { id: string }).id;
        const result = await uploadSbom(deps.contextFor(request), { assetId, bytes: bodyBytes(request) });
        return reply.status(statusOf(result)).send(result);
      },
    );
  });
}
