import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { InputError } from '../../platform/errors.js';
import {
  QUEUES_BACKGROUND_WORK,
  IdParamSchema,
  PageQuerySchema,
  StringEnum,
  TlpSchema,
  pageOf,
  problemResponses,
  rawBodyRoutes,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../platform/http/index.js';
import { NATIVE_FINDINGS_SCHEMA, SOURCE_FORMATS, type SourceFormat } from './domain/index.js';
import { getCluster, getFinding, listClusters } from './service/clusters.js';
import { decideCandidate, listCandidates } from './service/near-duplicates.js';
import { listRegroups, mergeClusters, splitCluster, undoRegroup } from './service/regroup.js';
import { getSubmission, submitDocument } from './service/submissions.js';
import { MAX_DOCUMENT_BYTES } from './service/upload.js';
import {
  AnswerSchema,
  CandidateDecisionSchema,
  CandidateSchema,
  ClusterDetailSchema,
  ClusterSchema,
  FindingDetailSchema,
  RegroupSchema,
  SplitSchema,
} from './route-schemas.js';
import type { SubmissionGate } from './pure.js';

const { auth, spec } = routeKit('intake');

const Str = Type.String();

const SubmitQuery = Type.Object({
  format: Type.Optional(StringEnum([...SOURCE_FORMATS, 'auto'] as const, { description: 'force a format instead of detecting it' })),
  tlp: Type.Optional(TlpSchema),
  filename: Type.Optional(Type.String({ maxLength: 500 })),
  campaignId: Type.Optional(Type.String({ maxLength: 100 })),
  includeRejected: Type.Optional(Type.Boolean({ description: 'import CVE records whose state is REJECTED' })),
  recipientOrgs: Type.Optional(Type.String({ maxLength: 4000, description: 'comma-separated organisation ids to share with' })),
  recipientUsers: Type.Optional(Type.String({ maxLength: 4000, description: 'comma-separated user ids (needed for TLP:RED)' })),
});

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

async function uploadedBytes(request: FastifyRequest): Promise<{ bytes: Uint8Array; filename?: string }> {
  if (request.isMultipart()) {
    const file = await request.file({ limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1 } });
    if (file === undefined) throw new InputError('the multipart body has no file part', [{ pointer: '/file', detail: 'is required' }]);
    const bytes = await file.toBuffer();
    return { bytes, filename: file.filename };
  }
  if (!Buffer.isBuffer(request.body))
    throw new InputError('the body must be the document (JSON, YAML or gzip) or a multipart file', [
      { pointer: '', detail: 'is required' },
    ]);
  return { bytes: request.body };
}

export interface IntakeRouteDeps extends RouteDeps {
  /** The gates a submission over the API passes before it is read (SUBMISSION_GATES); absent means none. */
  readonly beforeSubmit?: SubmissionGate;
}

/** Submissions, clusters, findings, regroups and near-duplicate candidates. */
export function intakeRoutes(app: HttpApp, deps: IntakeRouteDeps): void {
  // Submissions are taken as raw bytes, whatever their type: they are stored as received and hashed.
  rawBodyRoutes(app, { types: '*', bodyLimit: MAX_DOCUMENT_BYTES }, async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 20 } });
    scoped.post(
      '/api/v1/submissions',
      {
        ...auth,
        ...QUEUES_BACKGROUND_WORK,
        bodyLimit: MAX_DOCUMENT_BYTES,
        schema: spec('Submit a document of findings: SARIF 2.1.0, OSV (JSON or YAML), CVE JSON 5, CSAF 2.0, or the native format', {
          description:
            'The body is the document itself (any content type; gzip is recognized and inflated, up to 64 MiB), or a multipart/form-data upload with one file part. ' +
            'The format is detected unless `format` is given. Answers per finding `new` or `duplicate`, with the cluster and when it was first seen; ' +
            'a duplicate of a report you may not see says only that (`firstReportHidden: true`, `firstSeenAt: null`): not when, by whom or what. ' +
            'Identical bytes from your organisation answer the same again (200) without storing anything; when a colleague submitted them under a label that keeps that submission from you, 409 `submitted-before-hidden` says only that. ' +
            "Whatever TLP you choose, the coordinator organisation's analysts and admins are recipients of every submission (the clearinghouse reads what it is sent: it cannot validate what it cannot read); `submission.readers` says who may read it. " +
            'A CSAF VEX document (`csaf_vex`) submitted by a vendor organisation is stored with status `statements` and no findings: it updates that vendor’s statements in its cases. The native format’s JSON Schema is at /api/v1/intake/native-schema.',
          querystring: SubmitQuery,
          response: { 201: AnswerSchema, 200: AnswerSchema, ...problemResponses(409, 413, 415, 422) },
        }),
      },
      async (request, reply) => {
        const ctx = deps.contextFor(request);
        await deps.beforeSubmit?.(ctx);
        const { bytes, filename } = await uploadedBytes(request);
        const q = request.query;
        const answer = await submitDocument(ctx, {
          bytes,
          filename: q.filename ?? filename,
          format: q.format as SourceFormat | 'auto' | undefined,
          tlp: q.tlp,
          campaignId: q.campaignId,
          includeRejected: q.includeRejected,
          recipients: { orgIds: list(q.recipientOrgs), userIds: list(q.recipientUsers) },
        });
        return reply.status(answer.repeated ? 200 : 201).send(answer);
      },
    );
  });

  app.get(
    '/api/v1/intake/native-schema',
    { schema: spec('The JSON Schema (2020-12) of the native findings format', {}) },
    async (_request, reply) => reply.type('application/schema+json').send(NATIVE_FINDINGS_SCHEMA),
  );

  app.get(
    '/api/v1/submissions/:id',
    {
      ...auth,
      schema: spec('A submission and its per-finding answer', {
        params: IdParamSchema,
        response: { 200: AnswerSchema, ...problemResponses(404) },
      }),
    },
    (request) => getSubmission(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/clusters',
    {
      ...auth,
      schema: spec('Vulnerability clusters you may see, newest first', {
        querystring: Type.Composite([
          PageQuerySchema,
          Type.Object({
            target: Type.Optional(
              Type.String({ maxLength: 1000, description: 'target identity, e.g. pkg:pypi/django; a prefix when ending in / or :' }),
            ),
            cwe: Type.Optional(Type.String({ maxLength: 20 })),
            state: Type.Optional(Type.String({ maxLength: 40 })),
            reporter: Type.Optional(Type.String({ maxLength: 64, description: 'organisation id' })),
            alias: Type.Optional(Type.String({ maxLength: 100, description: 'a CVE, GHSA, PYSEC, GO, RUSTSEC… id' })),
            since: Type.Optional(Type.String({ format: 'date-time' })),
          }),
        ]),
        response: { 200: pageOf(ClusterSchema), ...problemResponses() },
      }),
    },
    (request) =>
      listClusters(deps.contextFor(request), {
        ...request.query,
        since: request.query.since === undefined ? undefined : new Date(request.query.since).toISOString(),
      }),
  );

  app.get(
    '/api/v1/clusters/:id',
    {
      ...auth,
      schema: spec('A cluster with the reports you may see', {
        params: IdParamSchema,
        response: { 200: ClusterDetailSchema, ...problemResponses(404) },
      }),
    },
    (request) => getCluster(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/findings/:id',
    {
      ...auth,
      schema: spec('One report, normalized', {
        params: IdParamSchema,
        response: { 200: FindingDetailSchema, ...problemResponses(404) },
      }),
    },
    (request) => getFinding(deps.contextFor(request), request.params.id),
  );

  const Reason = Type.String({ minLength: 1, maxLength: 2000 });
  app.post(
    '/api/v1/clusters/:id/merge',
    {
      ...auth,
      schema: spec('Merge this cluster into another (coordinators); reversible', {
        params: IdParamSchema,
        body: Type.Object({ into: Str, reason: Reason }, { additionalProperties: false }),
        response: { 200: RegroupSchema, ...problemResponses(403, 404, 409) },
      }),
    },
    (request) => mergeClusters(deps.contextFor(request), { from: request.params.id, into: request.body.into, reason: request.body.reason }),
  );

  app.post(
    '/api/v1/clusters/:id/split',
    {
      ...auth,
      schema: spec('Split reports off into a new cluster (coordinators); reversible', {
        params: IdParamSchema,
        body: Type.Object(
          { findingIds: Type.Array(Str, { minItems: 1, maxItems: 10_000 }), reason: Reason },
          { additionalProperties: false },
        ),
        response: { 200: SplitSchema, ...problemResponses(403, 404, 409) },
      }),
    },
    (request) => splitCluster(deps.contextFor(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/clusters/:id/regroups',
    {
      ...auth,
      schema: spec('Merges and splits of a cluster, newest first (coordinators)', {
        params: IdParamSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(RegroupSchema), ...problemResponses(403) },
      }),
    },
    (request) => listRegroups(deps.contextFor(request), request.params.id, request.query),
  );

  app.post(
    '/api/v1/regroups/:id/undo',
    {
      ...auth,
      schema: spec('Undo a merge or split (coordinators)', {
        params: IdParamSchema,
        response: { 200: RegroupSchema, ...problemResponses(403, 404, 409) },
      }),
    },
    (request) => undoRegroup(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/clusters/:id/candidates',
    {
      ...auth,
      schema: spec('Near-duplicate proposals involving this cluster, most alike first', {
        params: IdParamSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(CandidateSchema), ...problemResponses(404) },
      }),
    },
    (request) => listCandidates(deps.contextFor(request), request.params.id, request.query),
  );

  app.post(
    '/api/v1/candidates/:id/decision',
    {
      ...auth,
      schema: spec('Merge or dismiss a near-duplicate proposal (coordinators)', {
        params: IdParamSchema,
        body: Type.Object(
          { decision: StringEnum(['merge', 'dismiss'] as const), reason: Type.Optional(Reason) },
          { additionalProperties: false },
        ),
        response: { 200: CandidateDecisionSchema, ...problemResponses(403, 404, 409) },
      }),
    },
    (request) => decideCandidate(deps.contextFor(request), request.params.id, request.body.decision, request.body.reason),
  );
}
