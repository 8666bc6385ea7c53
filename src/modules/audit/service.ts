import { describeActor, type Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import type { AuditEntry, AuditWriter, ServiceContext } from '../../platform/context.js';
import type { Database, Executor, Page, PageRequest } from '../../platform/db/index.js';
import { canonicalJson } from '../../platform/hash.js';
import { auditScope } from '../identity/index.js';
import { AUDIT_ACTION, GENESIS_HASH, checkLink, hashAuditEvent, type AuditEvent, type ChainBreak } from './domain/chain.js';
import * as store from './store.js';

/**
 * The audit writer every module records its mutations with, in the mutation's own transaction. Throws
 * when the action is not `<module>.<noun>.<verb>` — a programming error, caught by tests.
 */
export function createAuditWriter(clock: Clock): AuditWriter {
  return {
    async record(trx: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
      if (!AUDIT_ACTION.test(entry.action)) throw new Error(`audit action "${entry.action}" is not <module>.<noun>.<verb>`);
      const { seq, prevHash } = await store.advanceHead(trx);
      const fields = {
        seq,
        at: clock.now().toISOString(),
        actor: describeActor(actor),
        actorOrgId: actor.kind === 'user' ? actor.orgId : null,
        action: entry.action,
        subjectType: entry.subject.type,
        subjectId: entry.subject.id,
        orgId: entry.orgId ?? null,
        diff: canonicalJson(entry.diff ?? {}),
        prevHash,
      };
      await store.insertEvent(trx, { ...fields, hash: hashAuditEvent(fields) });
    },
  };
}

export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly lastHash: string }
  | { readonly ok: false; readonly count: number; readonly broken: ChainBreak };

const VERIFY_BATCH = 2000;

/**
 * Walks the whole chain in order: every sequence number present, every event linking to the hash of the
 * one before, every hash matching its content, and the head matching the last event (so that deleting
 * the newest events is caught too). Reports the first broken sequence number.
 */
export async function verifyAuditChain(db: Database, onProgress?: (checked: number, total: number) => void): Promise<VerifyResult> {
  const head = await store.readHead(db.kysely);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (;;) {
    const rows = await store.eventsAfter(db.kysely, expectedSeq - 1, VERIFY_BATCH);
    if (rows.length === 0) break;
    for (const row of rows) {
      const event = store.toEvent(row);
      const broken = checkLink(expectedSeq, prevHash, event);
      if (broken) return { ok: false, count, broken };
      prevHash = event.hash;
      expectedSeq += 1;
      count += 1;
    }
    onProgress?.(count, head.lastSeq);
  }
  if (head.lastSeq !== count) {
    return {
      ok: false,
      count,
      broken: { seq: count + 1, reason: `the chain head says ${head.lastSeq} events but only ${count} are stored` },
    };
  }
  if (head.lastHash !== prevHash) {
    return { ok: false, count, broken: { seq: count, reason: `the chain head does not match the hash of event ${count}` } };
  }
  return { ok: true, count, lastHash: prevHash };
}

/** An audit event as the API shows it: the diff parsed. */
export interface AuditRecord extends Omit<AuditEvent, 'diff'> {
  readonly diff: unknown;
}

function present(row: store.AuditEventRow): AuditRecord {
  const event = store.toEvent(row);
  return { ...event, diff: JSON.parse(event.diff) as unknown };
}

export interface AuditQuery extends PageRequest {
  readonly action?: string | undefined;
  readonly actorOrgId?: string | undefined;
  readonly subjectId?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
}

/**
 * The audit trail, newest first, as far as the actor may read it: all of it for coordinator admins and
 * analysts, their own organisation's part for other admins, nothing (an empty page) for anyone else.
 */
export async function listAuditEvents(ctx: ServiceContext, query: AuditQuery): Promise<Page<AuditRecord>> {
  const scope = auditScope(ctx.actor);
  if (scope === null) return { items: [], nextCursor: null };
  const page = await store.listEvents(ctx.db.kysely, { ...query, scopeOrgId: scope.all ? undefined : scope.orgId }, query);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}
