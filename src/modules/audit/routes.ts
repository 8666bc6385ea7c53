import { Type } from '@sinclair/typebox';
import { InputError } from '../../platform/errors.js';
import {
  PageQuerySchema,
  pageOf,
  optionalBody,
  problemResponses,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../platform/http/index.js';
import type { LabelledSubject } from '../../platform/module-wiring.js';
import { parseCheckpoint, type AuditCheckpoint } from './domain/checkpoint.js';
import { presentVerifyResult } from './presenters.js';
import { AuditRecordSchema, VerifyResultSchema } from './route-schemas.js';
import { listAuditEvents, verifyAuditChainAs } from './service.js';

const { auth, spec } = routeKit('audit');

const AuditQuerySchema = Type.Composite([
  PageQuerySchema,
  Type.Object({
    action: Type.Optional(Type.String({ maxLength: 200, description: 'exact action, or a prefix ending in "." such as "identity."' })),
    actorOrgId: Type.Optional(Type.String({ maxLength: 64 })),
    subjectId: Type.Optional(Type.String({ maxLength: 64 })),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive' })),
  }),
]);

export interface AuditRouteDeps extends RouteDeps {
  /** Every module's TLP-labelled records, as audit subjects: events about them are read only by their readers. */
  readonly labelledSubjects: readonly LabelledSubject[];
}

const VerifyBody = optionalBody(
  Type.Object(
    {
      checkpoints: Type.Optional(
        Type.Array(Type.Object({}, { additionalProperties: true, description: 'a checkpoint as `audit checkpoint` printed it' }), {
          maxItems: 100,
          description: 'checkpoints published earlier: the chain must still hold each',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);

/** Published checkpoints from a request body, each checked as `audit verify --checkpoint` checks a file. */
function checkpointsOf(body: { checkpoints?: unknown[] } | null | undefined): AuditCheckpoint[] {
  return (body?.checkpoints ?? []).map((c, i) => {
    try {
      return parseCheckpoint(c);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(
        error.message,
        error.issues.map((issue) => ({ ...issue, pointer: `/checkpoints/${i}${issue.pointer}` })),
      );
    }
  });
}

export function auditRoutes(app: HttpApp, deps: AuditRouteDeps): void {
  app.post(
    '/api/v1/audit/verify',
    {
      ...auth,
      schema: spec('Walk the whole audit chain and its signed checkpoints (coordinator admins)', {
        description:
          'What `clearinghouse audit verify --url` asks. `ok` false names the first broken sequence number; a published checkpoint ' +
          'that is not signed by the key it names answers 400.',
        body: VerifyBody,
        response: { 200: VerifyResultSchema, ...problemResponses(403) },
      }),
    },
    async (request) => presentVerifyResult(await verifyAuditChainAs(deps.contextFor(request), checkpointsOf(request.body))),
  );

  app.get(
    '/api/v1/audit',
    {
      ...auth,
      schema: spec('The audit trail, newest first: all of it for the coordinator, your organisation’s part for its admins', {
        querystring: AuditQuerySchema,
        response: { 200: pageOf(AuditRecordSchema), ...problemResponses() },
      }),
    },
    (request) => {
      const q = request.query;
      return listAuditEvents(
        deps.contextFor(request),
        {
          ...q,
          since: q.since === undefined ? undefined : new Date(q.since).toISOString(),
          until: q.until === undefined ? undefined : new Date(q.until).toISOString(),
        },
        deps.labelledSubjects,
      );
    },
  );
}
