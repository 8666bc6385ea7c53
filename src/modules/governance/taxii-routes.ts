import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemResponses, type HttpApp, type RouteDeps } from '../../platform/http/index.js';
import { acceptsTaxii, taxiiError, TAXII_MAX_PAGE, TAXII_MEDIA_TYPE } from './domain/sharing/taxii.js';
import {
  taxiiApiRoot,
  taxiiCollection,
  taxiiCollections,
  taxiiDiscovery,
  taxiiManifest,
  taxiiObject,
  taxiiObjects,
  taxiiVersions,
  TAXII_API_ROOT_PATH,
  type TaxiiAnswer,
} from './service/taxii.js';

/**
 * The read-only TAXII 2.1 server (OASIS TAXII 2.1, §4–§5): discovery at /taxii2/, one API root, a collection
 * per TLP label. Every answer is `application/taxii+json;version=2.1`; a client whose Accept admits no TAXII
 * 2.1 gets 406. Anonymous callers read TLP:CLEAR; signed-in callers what the access policy lets them see.
 */

const Open = Type.Object({}, { additionalProperties: true });
const spec = <S extends Record<string, unknown>>(summary: string, parts: S) => ({
  tags: ['taxii'],
  summary,
  produces: [TAXII_MEDIA_TYPE],
  ...parts,
});
const answers = (...errors: number[]): Record<number, TSchema> => ({ 200: Open, ...problemResponses(404, 406, ...errors) });

const CollectionParam = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'collection id or alias (tlp-clear, tlp-green, …)' }),
});
const ObjectParam = Type.Object({
  id: CollectionParam.properties.id,
  objectId: Type.String({ minLength: 1, maxLength: 300, description: 'a STIX identifier' }),
});
const Filters = {
  added_after: Type.Optional(Type.String({ maxLength: 40, description: 'only objects added after this STIX timestamp' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: `page size; at most ${TAXII_MAX_PAGE} are returned` })),
  next: Type.Optional(Type.String({ maxLength: 500, description: 'the `next` of the previous page' })),
  'match[id]': Type.Optional(Type.String({ maxLength: 5000 })),
  'match[type]': Type.Optional(Type.String({ maxLength: 2000 })),
  'match[version]': Type.Optional(Type.String({ maxLength: 2000 })),
  'match[spec_version]': Type.Optional(Type.String({ maxLength: 200 })),
};
const ObjectsQuery = Type.Object(Filters);
const OneObjectQuery = Type.Object({
  added_after: Filters.added_after,
  limit: Filters.limit,
  next: Filters.next,
  'match[version]': Filters['match[version]'],
  'match[spec_version]': Filters['match[spec_version]'],
});

/** 406 unless the client accepts TAXII 2.1: the preHandler every TAXII route shares. */
async function acceptTaxii(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (acceptsTaxii(request.headers.accept)) return undefined;
  // Returning the reply tells Fastify the hook answered: the handler does not run.
  return (
    reply
      .status(406)
      .header('content-type', TAXII_MEDIA_TYPE)
      // A TAXII error message, not a problem document: sent as text, past the route's problem schema for 406.
      .send(taxiiBytes(taxiiError(406, 'Not Acceptable', `this server answers ${TAXII_MEDIA_TYPE}`)))
  );
}

const taxiiBytes = (body: unknown): Buffer => Buffer.from(JSON.stringify(body), 'utf8');

function send(reply: FastifyReply, body: unknown): FastifyReply {
  // Spelled exactly as TAXII 2.1 §1.6.8.1 gives it. Fastify rewrites the type of any JSON text it sends (the
  // parameter quoted, `; charset=utf-8` appended), so the body goes as bytes, which it leaves alone.
  return reply.header('content-type', TAXII_MEDIA_TYPE).send(taxiiBytes(body));
}

/** An objects, manifest or versions page, with the date-added headers TAXII 2.1 §3.4.2 gives it. */
function sendPage(reply: FastifyReply, answer: TaxiiAnswer<unknown>): FastifyReply {
  if (answer.dateAddedFirst !== null) void reply.header('x-taxii-date-added-first', answer.dateAddedFirst);
  if (answer.dateAddedLast !== null) void reply.header('x-taxii-date-added-last', answer.dateAddedLast);
  return send(reply, answer.body);
}

export function taxiiRoutes(app: HttpApp, deps: RouteDeps): void {
  const base = { preHandler: acceptTaxii };
  app.get('/taxii2/', { ...base, schema: spec('TAXII 2.1 discovery', { response: answers() }) }, (_request, reply) =>
    send(reply, taxiiDiscovery(deps.config.publicUrl)),
  );

  app.get(TAXII_API_ROOT_PATH, { ...base, schema: spec('The TAXII 2.1 API root', { response: answers() }) }, (_request, reply) =>
    send(reply, taxiiApiRoot()),
  );

  app.get(
    `${TAXII_API_ROOT_PATH}collections/`,
    { ...base, schema: spec('The collections: one per TLP label; anonymous callers may read TLP:CLEAR only', { response: answers() }) },
    (request, reply) => send(reply, taxiiCollections(deps.contextFor(request))),
  );

  app.get(
    `${TAXII_API_ROOT_PATH}collections/:id/`,
    { ...base, schema: spec('One collection', { params: CollectionParam, response: answers(401) }) },
    (request, reply) => send(reply, taxiiCollection(deps.contextFor(request), request.params.id)),
  );

  app.get(
    `${TAXII_API_ROOT_PATH}collections/:id/objects/`,
    {
      ...base,
      schema: spec('The objects of a collection you may see, in date-added order, paged with next', {
        params: CollectionParam,
        querystring: ObjectsQuery,
        response: answers(400, 401),
      }),
    },
    async (request, reply) => sendPage(reply, await taxiiObjects(deps.contextFor(request), request.params.id, request.query)),
  );

  app.get(
    `${TAXII_API_ROOT_PATH}collections/:id/manifest/`,
    {
      ...base,
      schema: spec('The manifest of a collection: ids, versions and dates added', {
        params: CollectionParam,
        querystring: ObjectsQuery,
        response: answers(400, 401),
      }),
    },
    async (request, reply) => sendPage(reply, await taxiiManifest(deps.contextFor(request), request.params.id, request.query)),
  );

  app.get(
    `${TAXII_API_ROOT_PATH}collections/:id/objects/:objectId/`,
    {
      ...base,
      schema: spec('One object of a collection', { params: ObjectParam, querystring: OneObjectQuery, response: answers(400, 401) }),
    },
    async (request, reply) =>
      sendPage(reply, await taxiiObject(deps.contextFor(request), request.params.id, request.params.objectId, request.query)),
  );

  app.get(
    `${TAXII_API_ROOT_PATH}collections/:id/objects/:objectId/versions/`,
    {
      ...base,
      schema: spec('The versions of one object', { params: ObjectParam, querystring: OneObjectQuery, response: answers(400, 401) }),
    },
    async (request, reply) =>
      sendPage(reply, await taxiiVersions(deps.contextFor(request), request.params.id, request.params.objectId, request.query)),
  );
}
