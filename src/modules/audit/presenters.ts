import type { Static } from '@sinclair/typebox';
import type { AuditRecordSchema, VerifyResultSchema } from './route-schemas.js';
import type { VerifyResult } from './domain/chain.js';
import * as store from './store.js';

/** What the API answers: the response schemas' types (route-schemas.ts), every field listed there once. */

/** An audit event as the API shows it: the diff parsed. */
export type AuditRecord = Static<typeof AuditRecordSchema>;

export function presentAuditRecord(row: store.AuditEventRow): AuditRecord {
  const event = store.toEvent(row);
  return { ...event, diff: JSON.parse(event.diff) as unknown };
}

/** The chain walk as the API answers it (verifyAuditChain's VerifyResult, a union the CLI narrows on `ok`, stays the domain's). */
export type VerifyAnswer = Static<typeof VerifyResultSchema>;

export function presentVerifyResult(result: VerifyResult): VerifyAnswer {
  return result.ok
    ? { ok: true, count: result.count, lastHash: result.lastHash, checkpoints: result.checkpoints }
    : { ok: false, count: result.count, broken: { seq: result.broken.seq, reason: result.broken.reason } };
}
