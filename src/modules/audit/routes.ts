import { Type } from '@sinclair/typebox';
import {
  Nullable,
  InstantSchema,
  PageQuerySchema,
  pageOf,
  problemResponses,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../platform/http/index.js';
import type { LabelledSubject } from '../../platform/module-wiring.js';
import { listAuditEvents } from './service.js';

const { auth, spec } = routeKit('audit');

const AuditRecordSchema = Type.Object({
  seq: Type.Integer(),
  at: InstantSchema,
  actor: Type.String({ description: 'user id, or system:<name>' }),
  actorOrgId: Nullable(Type.String()),
  action: Type.String({ description: '<module>.<noun>.<verb>' }),
  subjectType: Type.String(),
  subjectId: Type.String(),
  orgId: Nullable(Type.String()),
  diff: Type.Unknown(),
  prevHash: Type.String(),
  hash: Type.String(),
});

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

export function auditRoutes(app: HttpApp, deps: AuditRouteDeps): void {
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
