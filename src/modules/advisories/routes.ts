import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { PageQuerySchema, StringEnum, problemWith, type HttpApp, type RouteDeps, routeKit } from '../../platform/http/index.js';
import { EMBARGO_STATES } from '../cases/index.js';
import {
  ADVISORY_CATEGORIES,
  advisoryDocument,
  generateAdvisory,
  getAdvisory,
  listAdvisories,
  publishAdvisory,
  type ProviderSettings,
} from './service/advisories.js';
import { advisoryCycloneDxVex, CYCLONEDX_VEX_MEDIA_TYPE } from './service/cyclonedx-vex.js';
import { advisoryCveRecords } from './service/cve-records.js';
import {
  providerChanges,
  providerFeed,
  providerFile,
  providerIndex,
  providerMetadataOf,
  providerPublicKey,
  providerSecurityTxt,
} from './service/provider.js';
import { AdvisoryDetailSchema as DetailSchema, AdvisorySummarySchema as SummarySchema } from './route-schemas.js';

/** Bodies of the advisories routes are a few fields. */
const BODY_LIMIT = 16 * 1024;

const Str = Type.String();
const { auth, spec, answers, pageAnswers } = routeKit('advisories', { bodyLimit: BODY_LIMIT });
const { spec: csaf } = routeKit('csaf');
const AdvisoryParam = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'advisory id or tracking id (CH-YYYY-NNNN)' }),
});

const DocumentQuery = Type.Object({
  draft: Type.Optional(Type.Boolean({ default: false })),
  revision: Type.Optional(Type.Integer({ minimum: 1 })),
});

function whichDocument(query: { draft?: boolean; revision?: number }) {
  return query.draft === true
    ? { kind: 'draft' as const }
    : { kind: 'published' as const, ...(query.revision === undefined ? {} : { revision: query.revision }) };
}

/** The CSAF provider's paths of TLP:CLEAR content may be read by any origin (CSAF requirement 7 and 15). */
function open(reply: FastifyReply, clear: boolean): FastifyReply {
  return clear ? reply.header('access-control-allow-origin', '*') : reply;
}

/** The advisories API under /api/v1/advisories and the CSAF provider under /.well-known. */
export function advisoriesRoutes(app: HttpApp, deps: RouteDeps & { readonly settings: ProviderSettings }): void {
  const { settings } = deps;

  app.get(
    '/api/v1/advisories',
    {
      ...auth,
      schema: spec('Advisories you may read, newest first: the published ones, and drafts of the cases you take part in', {
        querystring: Type.Composite([PageQuerySchema, Type.Object({ status: Type.Optional(StringEnum(['draft', 'published'] as const)) })]),
        response: pageAnswers(SummarySchema),
      }),
    },
    (request) => listAdvisories(deps.contextFor(request), request.query),
  );

  app.post(
    '/api/v1/advisories',
    {
      ...auth,
      schema: spec("Generate or refresh a case's CSAF draft from its approved statements (coordinators)", {
        body: Type.Object(
          {
            caseId: Type.String({ minLength: 1, maxLength: 64, description: 'case id or number' }),
            category: Type.Optional(StringEnum(ADVISORY_CATEGORIES)),
            tlp: Type.Optional(StringEnum(['AMBER', 'RED'] as const, { description: 'the draft is for the case participants' })),
          },
          { additionalProperties: false },
        ),
        response: answers(DetailSchema, [403, 409, 413]),
      }),
    },
    (request) => generateAdvisory(deps.contextFor(request), request.body.caseId, request.body, settings),
  );

  app.get(
    '/api/v1/advisories/:id',
    { ...auth, schema: spec('An advisory and its published revisions', { params: AdvisoryParam, response: answers(DetailSchema) }) },
    (request) => getAdvisory(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/advisories/:id/document',
    {
      ...auth,
      schema: spec('The CSAF document: the latest published revision, a given one, or the draft (case participants)', {
        params: AdvisoryParam,
        querystring: DocumentQuery,
        response: answers(Type.Unknown()),
      }),
    },
    async (request, reply) => {
      const document = await advisoryDocument(deps.contextFor(request), request.params.id, whichDocument(request.query));
      return reply.type('application/json').send(document.bytes);
    },
  );

  app.get(
    '/api/v1/advisories/:id/cve-records',
    {
      ...auth,
      schema: spec(
        "CVE JSON 5.1 CNA containers of the advisory's CVE ids the coordinator assigned, from the document you read: the latest published revision, a given one, or the draft (case participants)",
        {
          params: AdvisoryParam,
          querystring: DocumentQuery,
          response: answers(Type.Object({ items: Type.Array(Type.Object({ cveId: Str, container: Type.Unknown() })) })),
        },
      ),
    },
    (request) => advisoryCveRecords(deps.contextFor(request), request.params.id, whichDocument(request.query), settings),
  );

  app.get(
    '/api/v1/advisories/:id/vex.cdx.json',
    {
      ...auth,
      schema: spec(
        'CycloneDX 1.6 VEX of the CSAF document you read (the latest published revision, a given one, or the draft for case participants): the same statements, per product',
        { params: AdvisoryParam, querystring: DocumentQuery, response: answers(Type.Unknown()) },
      ),
    },
    async (request, reply) => {
      const vex = await advisoryCycloneDxVex(deps.contextFor(request), request.params.id, whichDocument(request.query));
      return reply.type(CYCLONEDX_VEX_MEDIA_TYPE).send(vex.bytes);
    },
  );

  app.post(
    '/api/v1/advisories/:id/publish',
    {
      ...auth,
      schema: spec('Publish the advisory as TLP:CLEAR, signed, once the embargo has ended; again after a change: the next revision', {
        params: AdvisoryParam,
        response: {
          ...answers(DetailSchema, [403, 409]),
          ...problemWith(409, "`embargo-active` says the case's embargo state", { embargoState: StringEnum(EMBARGO_STATES) }),
        },
      }),
    },
    (request) => publishAdvisory(deps.contextFor(request), request.params.id, settings),
  );

  // The CSAF provider (CSAF 2.0 §7.1): anonymous callers read TLP:CLEAR; AMBER and RED need a token.
  app.get(
    '/.well-known/csaf/provider-metadata.json',
    { schema: csaf('CSAF provider metadata (role csaf_trusted_provider)', { response: { 200: Type.Unknown() } }) },
    async (request, reply) => open(reply, true).send(await providerMetadataOf(deps.contextFor(request), settings)),
  );

  app.get(
    '/.well-known/csaf/:name',
    {
      schema: csaf('The ROLIE feed of a TLP label: feed-tlp-white.json, feed-tlp-amber.json, feed-tlp-red.json', {
        params: Type.Object({ name: Type.String({ maxLength: 64 }) }),
        response: answers(Type.Unknown()),
      }),
    },
    async (request, reply) =>
      open(reply, request.params.name === 'feed-tlp-white.json').send(
        await providerFeed(deps.contextFor(request), request.params.name, settings),
      ),
  );

  app.get(
    '/.well-known/csaf/:directory/index.txt',
    {
      schema: csaf("A TLP directory's index.txt", {
        params: Type.Object({ directory: Type.String({ maxLength: 16 }) }),
        response: answers(Type.Unknown()),
      }),
    },
    async (request, reply) =>
      open(reply, request.params.directory === 'white')
        .type('text/plain; charset=utf-8')
        .send(await providerIndex(deps.contextFor(request), request.params.directory)),
  );

  app.get(
    '/.well-known/csaf/:directory/changes.csv',
    {
      schema: csaf("A TLP directory's changes.csv, newest first", {
        params: Type.Object({ directory: Type.String({ maxLength: 16 }) }),
        response: answers(Type.Unknown()),
      }),
    },
    async (request, reply) =>
      open(reply, request.params.directory === 'white')
        .type('text/csv; charset=utf-8')
        .send(await providerChanges(deps.contextFor(request), request.params.directory)),
  );

  app.get(
    '/.well-known/csaf/:directory/:year/:file',
    {
      schema: csaf('A CSAF document, or its .sha256, .sha512 or .asc file', {
        params: Type.Object({
          directory: Type.String({ maxLength: 16 }),
          year: Type.String({ pattern: '^[0-9]{4}$' }),
          file: Type.String({ maxLength: 200 }),
        }),
        response: answers(Type.Unknown()),
      }),
    },
    async (request, reply) => {
      const { directory, year, file } = request.params;
      const found = await providerFile(deps.contextFor(request), directory, year, file, settings);
      return open(reply, directory === 'white')
        .type(found.contentType)
        .send(found.bytes);
    },
  );

  app.get(
    '/.well-known/csaf/openpgp/:file',
    {
      schema: csaf("The provider's public OpenPGP key, <FINGERPRINT>.asc", {
        params: Type.Object({ file: Type.String({ maxLength: 64 }) }),
        response: answers(Type.Unknown()),
      }),
    },
    async (request, reply) =>
      open(reply, true)
        .type('application/pgp-keys')
        .send(await providerPublicKey(deps.contextFor(request), request.params.file, settings)),
  );

  app.get(
    '/.well-known/security.txt',
    { schema: csaf('security.txt (RFC 9116) with the CSAF: line', { response: { 200: Type.Unknown() } }) },
    (request, reply) =>
      open(reply, true)
        .type('text/plain; charset=utf-8')
        .send(providerSecurityTxt(deps.contextFor(request), settings)),
  );
}
