import type { Static } from '@sinclair/typebox';
import type { AuditRecordSchema } from './route-schemas.js';
import * as store from './store.js';

/** What the API answers: the response schemas' types (route-schemas.ts), every field listed there once. */

/** An audit event as the API shows it: the diff parsed. */
export type AuditRecord = Static<typeof AuditRecordSchema>;

export function presentAuditRecord(row: store.AuditEventRow): AuditRecord {
  const event = store.toEvent(row);
  return { ...event, diff: JSON.parse(event.diff) as unknown };
}
