import { Type } from '@sinclair/typebox';
import { Nullable, InstantSchema } from '../../platform/http/index.js';

/** The audit routes' response schemas: the answer types are their `Static` (presenters.ts). */

export const AuditRecordSchema = Type.Object({
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

/** What `POST /api/v1/audit/verify` answers: `ok` false names the first broken link. */
export const VerifyResultSchema = Type.Object({
  ok: Type.Boolean(),
  count: Type.Integer({ description: 'events walked' }),
  lastHash: Type.Optional(Type.String()),
  checkpoints: Type.Optional(Type.Integer({ description: 'signed checkpoints that hold' })),
  broken: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
});
