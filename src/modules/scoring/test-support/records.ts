import type { Database } from '../../../platform/db/index.js';

/** What a test reads back from the audit trail and the outbox, straight from their tables. */

export async function auditActions(db: Database, prefix = 'scoring.'): Promise<{ action: string; subject_id: string; diff: string }[]> {
  return db.kysely
    .selectFrom('audit_event')
    .select(['action', 'subject_id', 'diff'])
    .where('action', 'like', `${prefix}%`)
    .orderBy('seq')
    .execute();
}

export async function eventsOfType<P>(db: Database, type: string): Promise<{ subjectId: string; payload: P }[]> {
  const rows: { subject_id: string; payload: string }[] = await db.kysely
    .selectFrom('platform_event')
    .select(['subject_id', 'payload'])
    .where('type', '=', type)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ subjectId: r.subject_id, payload: JSON.parse(r.payload) as P }));
}

export async function countRows(db: Database, table: string): Promise<number> {
  const row = (await db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}
