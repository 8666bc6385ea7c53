import { Type } from '@sinclair/typebox';
import {
  bodyBytes,
  commaList,
  itemsOf,
  IdParamSchema,
  StringEnum,
  TlpSchema,
  rawBodyRoutes,
  sendStoredFile,
  type HttpApp,
  type RouteDeps,
} from '../../../platform/http/index.js';
import { EVIDENCE_KINDS } from '../domain/inputs.js';
import { MAX_EVIDENCE_BYTES, addEvidence, downloadEvidence, getEvidence, listEvidence } from '../service/evidence.js';
import { answers, auth, spec } from './route-kit.js';
import { EvidenceSchema } from './schemas.js';

const UploadQuery = Type.Object({
  filename: Type.String({ minLength: 1, maxLength: 255 }),
  kind: Type.Optional(StringEnum(EVIDENCE_KINDS)),
  tlp: Type.Optional(TlpSchema),
  attemptId: Type.Optional(Type.String({ maxLength: 64, description: 'attach to your organisation’s attempt on this cluster' })),
  recipientOrgs: Type.Optional(
    Type.String({ maxLength: 4000, description: 'comma-separated organisation ids to share with (not at TLP:RED)' }),
  ),
  recipientUsers: Type.Optional(
    Type.String({ maxLength: 4000, description: 'comma-separated user ids to share with (TLP:RED reaches only these)' }),
  ),
});

/** Evidence: uploaded as raw bytes, listed by what the caller may see, always downloaded as an attachment. */
export function evidenceRoutes(app: HttpApp, deps: RouteDeps): void {
  // Evidence is taken as raw bytes, whatever its type: it is stored as received and never parsed.
  rawBodyRoutes(app, { types: '*', bodyLimit: MAX_EVIDENCE_BYTES }, (scoped) => {
    scoped.post(
      '/api/v1/validation/clusters/:id/evidence',
      {
        ...auth,
        bodyLimit: MAX_EVIDENCE_BYTES,
        schema: spec(
          `Attach evidence to a cluster or to your attempt: the raw bytes of the file, at most ${MAX_EVIDENCE_BYTES} bytes; TLP:RED unless told otherwise`,
          {
            params: IdParamSchema,
            querystring: UploadQuery,
            response: answers(EvidenceSchema, [403, 413], 201),
          },
        ),
      },
      async (request, reply) => {
        const q = request.query;
        const bytes = bodyBytes(request);
        const mediaType = request.headers['content-type']?.split(';')[0]?.trim();
        const evidence = await addEvidence(deps.contextFor(request), request.params.id, {
          bytes,
          filename: q.filename,
          kind: q.kind,
          tlp: q.tlp,
          attemptId: q.attemptId,
          mediaType,
          recipients: { orgIds: commaList(q.recipientOrgs), userIds: commaList(q.recipientUsers) },
        });
        return reply.status(201).send(evidence);
      },
    );
  });

  app.get(
    '/api/v1/validation/clusters/:id/evidence',
    { ...auth, schema: spec("A cluster's evidence you may see", { params: IdParamSchema, response: answers(itemsOf(EvidenceSchema)) }) },
    async (request) => ({ items: await listEvidence(deps.contextFor(request), request.params.id) }),
  );

  app.get(
    '/api/v1/validation/evidence/:id',
    { ...auth, schema: spec('One evidence record', { params: IdParamSchema, response: answers(EvidenceSchema) }) },
    (request) => getEvidence(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/validation/evidence/:id/content',
    {
      ...auth,
      schema: spec('Download an evidence file: always application/octet-stream, as an attachment, never rendered', {
        params: IdParamSchema,
        response: answers(Type.Unknown({ description: 'the file' })),
      }),
    },
    async (request, reply) => {
      const { evidence, bytes } = await downloadEvidence(deps.contextFor(request), request.params.id);
      return sendStoredFile(reply, { bytes, filename: evidence.filename });
    },
  );
}
