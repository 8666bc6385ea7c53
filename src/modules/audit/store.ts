import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { chunks, paginate, tables, type DialectCapabilities, type Executor, type Page, type PageRequest } from '../../platform/db/index.js';
import type { AuditEvent } from './domain/chain.js';

export interface AuditEventRow {
  seq: number;
  at: string;
  actor: string;
  actor_org_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  org_id: string | null;
  diff: string;
  prev_hash: string;
  hash: string;
}

interface AuditHeadRow {
  id: number;
  last_seq: number;
  last_hash: string;
}

export interface AuditCheckpointRow {
  seq: number;
  hash: string;
  at: string;
  key_id: string;
  public_key: string;
  signature: string;
}

export interface AuditTables {
  audit_event: AuditEventRow;
  audit_head: AuditHeadRow;
  audit_checkpoint: AuditCheckpointRow;
}

const t = (executor: Executor): Kysely<AuditTables> => tables<AuditTables>(executor);

export function toEvent(row: AuditEventRow): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    actorOrgId: row.actor_org_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    orgId: row.org_id,
    diff: row.diff,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Takes the next `count` sequence numbers. The UPDATE locks the single head row until the transaction ends, so
 * concurrent appenders — in this process or another one on the same database — queue here and the chain
 * stays linear. Returns the first new sequence number and the hash of the event before it.
 */
export async function advanceHead(trx: Executor, count: number): Promise<{ firstSeq: number; prevHash: string }> {
  const head = await t(trx)
    .updateTable('audit_head')
    .set((eb) => ({ last_seq: eb('last_seq', '+', count) }))
    .where('id', '=', 1)
    .returning(['last_seq', 'last_hash'])
    .executeTakeFirstOrThrow();
  return { firstSeq: head.last_seq - count + 1, prevHash: head.last_hash };
}

/**
 * Stores events that follow the head in order, and moves the head's hash to the last of them. Where a WITH
 * clause may write (PostgreSQL), the last insert and the head's move are one statement: the head row, which
 * every audited write in every process queues on, stays locked a round trip less.
 */
export async function insertEvents(
  trx: Executor,
  caps: Pick<DialectCapabilities, 'writesInWith'>,
  events: readonly AuditEvent[],
): Promise<void> {
  const last = events.at(-1);
  if (last === undefined) return;
  const parts = chunks(events, 500);
  const together = caps.writesInWith ? parts.pop() : undefined;
  for (const part of parts) await t(trx).insertInto('audit_event').values(part.map(eventRow)).execute();
  if (together === undefined) {
    await t(trx).updateTable('audit_head').set({ last_hash: last.hash }).where('id', '=', 1).execute();
    return;
  }
  await t(trx)
    .with('inserted', (db) => db.insertInto('audit_event').values(together.map(eventRow)).returning('seq'))
    .updateTable('audit_head')
    .set({ last_hash: last.hash })
    .where('id', '=', 1)
    .execute();
}

function eventRow(event: AuditEvent): AuditEventRow {
  return {
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    actor_org_id: event.actorOrgId,
    action: event.action,
    subject_type: event.subjectType,
    subject_id: event.subjectId,
    org_id: event.orgId,
    diff: event.diff,
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

export async function readHead(executor: Executor): Promise<{ lastSeq: number; lastHash: string }> {
  const row = await t(executor).selectFrom('audit_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { lastSeq: row.last_seq, lastHash: row.last_hash };
}

/** Events with seq > `afterSeq`, in order, at most `limit`. */
export async function eventsAfter(executor: Executor, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
  return t(executor).selectFrom('audit_event').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export interface AuditFilter {
  /** Restrict to events caused by, or concerning, this organisation. */
  readonly scopeOrgId?: string | undefined;
  readonly action?: string | undefined;
  readonly actorOrgId?: string | undefined;
  readonly subjectId?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  /** Only events this condition on `audit_event` holds for (the reader's view of their subjects). */
  readonly readable?: Expression<SqlBool> | undefined;
}

/** Newest first. `action` matches exactly or, ending in `.`, as a prefix (`identity.`). */
export async function listEvents(executor: Executor, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEventRow>> {
  const query = t(executor)
    .selectFrom('audit_event')
    .selectAll()
    .$if(filter.scopeOrgId !== undefined, (q) =>
      q.where((eb) => eb.or([eb('org_id', '=', filter.scopeOrgId ?? ''), eb('actor_org_id', '=', filter.scopeOrgId ?? '')])),
    )
    .$if(filter.action !== undefined, (q) =>
      filter.action?.endsWith('.')
        ? q.where(sql<SqlBool>`substr(action, 1, ${filter.action.length}) = ${filter.action}`)
        : q.where('action', '=', filter.action ?? ''),
    )
    .$if(filter.actorOrgId !== undefined, (q) => q.where('actor_org_id', '=', filter.actorOrgId ?? ''))
    .$if(filter.subjectId !== undefined, (q) => q.where('subject_id', '=', filter.subjectId ?? ''))
    .$if(filter.since !== undefined, (q) => q.where('at', '>=', filter.since ?? ''))
    .$if(filter.until !== undefined, (q) => q.where('at', '<', filter.until ?? ''))
    .$if(filter.readable !== undefined, (q) => q.where(filter.readable ?? sql<SqlBool>`1 = 1`));
  return paginate(query, page, {
    sort: 'audit_event.seq',
    id: 'audit_event.hash',
    sortOf: (r) => r.seq,
    idOf: (r) => r.hash,
    direction: 'desc',
  });
}

/** Stores a checkpoint; a second one of the same head (another server signed it too) is left out. */
export async function insertCheckpoint(executor: Executor, row: AuditCheckpointRow): Promise<void> {
  await t(executor)
    .insertInto('audit_checkpoint')
    .values(row)
    .onConflict((oc) => oc.column('seq').doNothing())
    .execute();
}

export async function latestCheckpoint(executor: Executor): Promise<AuditCheckpointRow | undefined> {
  return t(executor).selectFrom('audit_checkpoint').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/** Checkpoints with seq > `afterSeq`, in order, at most `limit`. */
export async function checkpointsAfter(executor: Executor, afterSeq: number, limit: number): Promise<AuditCheckpointRow[]> {
  return t(executor).selectFrom('audit_checkpoint').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/** The stored hash of each of these events (absent ones are left out). */
export async function hashesAt(executor: Executor, seqs: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const unique = [...new Set(seqs)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await t(executor)
      .selectFrom('audit_event')
      .select(['seq', 'hash'])
      .where('seq', 'in', unique.slice(i, i + 500))
      .execute();
    for (const row of rows) out.set(row.seq, row.hash);
  }
  return out;
}
