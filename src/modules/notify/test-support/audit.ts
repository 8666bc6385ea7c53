import type { Database } from '../../../platform/db/index.js';

/** The audit actions recorded about one subject, oldest first. */
export async function auditActionsOf(db: Database, subjectId: string): Promise<string[]> {
  const rows: { action: string }[] = await db.kysely
    .selectFrom('audit_event')
    .select('action')
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

/** Every audit line, as stored (to check that no secret reached it). */
export async function auditText(db: Database): Promise<string> {
  return JSON.stringify(await db.kysely.selectFrom('audit_event').selectAll().execute());
}
