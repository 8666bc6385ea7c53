import { sql, type Expression, type SqlBool } from 'kysely';
import { describeActor, type Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import type { AuditEntry, AuditWriter, ServiceContext } from '../../platform/context.js';
import {
  beforeCommit,
  type Database,
  type DialectCapabilities,
  type Executor,
  type Page,
  type PageRequest,
} from '../../platform/db/index.js';
import { canonicalJson } from '../../platform/hash.js';
import { auditScope, authorize, visibleTo } from '../identity/index.js';
import { InputError } from '../../platform/errors.js';
import type { LabelledSubject } from '../../platform/module-wiring.js';
import { checkpointSignatureHolds, storedCheckpoints } from './checkpoints.js';
import {
  AUDIT_ACTION,
  GENESIS_HASH,
  checkLink,
  hashAuditEvent,
  type AuditEvent,
  type ChainBreak,
  type VerifyResult,
} from './domain/chain.js';
import { checkAgainstCheckpoint, type AuditCheckpoint } from './domain/checkpoint.js';
import { presentAuditRecord, type AuditRecord } from './presenters.js';
import * as store from './store.js';

/** An audit entry as recorded, waiting for its place in the chain (sequence number, time and hashes). */
type AuditDraft = Omit<AuditEvent, 'seq' | 'at' | 'prevHash' | 'hash'>;

/**
 * Appends `drafts` to the chain, in order: advances the head by their number (which locks the head row until
 * the transaction ends, so appenders in every process queue there and the chain stays linear), then hashes
 * each onto the one before and stores them with the new head hash.
 */
async function appendToChain(trx: Executor, clock: Clock, caps: DialectCapabilities, drafts: readonly AuditDraft[]): Promise<void> {
  const { firstSeq, prevHash } = await store.advanceHead(trx, drafts.length);
  const at = clock.now().toISOString();
  let previous = prevHash;
  const events = drafts.map((draft, i): AuditEvent => {
    const fields = { ...draft, seq: firstSeq + i, at, prevHash: previous };
    previous = hashAuditEvent(fields);
    return { ...fields, hash: previous };
  });
  await store.insertEvents(trx, caps, events);
}

/**
 * The audit writer every module records its mutations with, in the mutation's own transaction. Throws
 * when the action is not `<module>.<noun>.<verb>` — a programming error, caught by tests.
 *
 * In a transaction of `withTransaction` the entries are appended to the chain as its last statements, just
 * before it commits (`beforeCommit`): the head row every audited write in every process queues on is then
 * locked for the commit only, not for the whole of the transaction's work — nor while it waits for other
 * locks, which made every audited write wait behind the slowest one. The chain is the same: an event exists
 * exactly when its change committed, sequence numbers follow commit order, and each event's time is when it
 * joined the chain. Given any other executor (autocommit), an entry is appended at once.
 */
export function createAuditWriter(clock: Clock, caps: DialectCapabilities): AuditWriter {
  const queued = new WeakMap<Executor, AuditDraft[]>();
  return {
    async record(trx: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
      if (!AUDIT_ACTION.test(entry.action)) throw new Error(`audit action "${entry.action}" is not <module>.<noun>.<verb>`);
      const draft: AuditDraft = {
        actor: describeActor(actor),
        actorOrgId: actor.kind === 'user' ? actor.orgId : null,
        action: entry.action,
        subjectType: entry.subject.type,
        subjectId: entry.subject.id,
        orgId: entry.orgId ?? null,
        diff: canonicalJson(entry.diff ?? {}),
      };
      const drafts = queued.get(trx);
      if (drafts !== undefined) {
        drafts.push(draft);
        return;
      }
      const batch = [draft];
      const deferred = beforeCommit(trx, async () => {
        queued.delete(trx);
        await appendToChain(trx, clock, caps, batch);
      });
      if (deferred) queued.set(trx, batch);
      else await appendToChain(trx, clock, caps, batch);
    },
  };
}

export type { VerifyResult } from './domain/chain.js';

export interface VerifyOptions {
  /** Checkpoints published elsewhere (read from files): the chain must still hold what each vouches for. */
  readonly checkpoints?: readonly AuditCheckpoint[];
  readonly onProgress?: (checked: number, total: number) => void;
}

const VERIFY_BATCH = 2000;

/** Walks the events in order; the first broken link, or the count and the last hash. */
async function walkChain(db: Database, onProgress?: (checked: number, total: number) => void) {
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
      if (broken) return { count, broken };
      prevHash = event.hash;
      expectedSeq += 1;
      count += 1;
    }
    onProgress?.(count, head.lastSeq);
  }
  if (head.lastSeq !== count) {
    return { count, broken: { seq: count + 1, reason: `the chain head says ${head.lastSeq} events but only ${count} are stored` } };
  }
  if (head.lastHash !== prevHash) {
    return { count, broken: { seq: count, reason: `the chain head does not match the hash of event ${count}` } };
  }
  return { count, lastHash: prevHash };
}

/** The first checkpoint, of these, that the chain (intact, `count` events) no longer holds. */
async function firstBrokenCheckpoint(db: Database, count: number, checkpoints: readonly AuditCheckpoint[]): Promise<ChainBreak | null> {
  const hashes = await store.hashesAt(
    db.kysely,
    checkpoints.map((c) => c.seq),
  );
  for (const checkpoint of checkpoints) {
    const broken = checkAgainstCheckpoint(checkpoint, count, hashes.get(checkpoint.seq));
    if (broken) return broken;
  }
  return null;
}

/**
 * Walks the whole chain in order: every sequence number present, every event linking to the hash of the
 * one before, every hash matching its content, and the head matching the last event. Then every stored
 * checkpoint must carry a valid signature and match the chain, and so must every published checkpoint
 * given in `options` — which catches what the chain alone cannot: the newest events removed with the head
 * moved back, or an edit hidden by re-hashing every event after it. Reports the first broken sequence
 * number.
 *
 * @throws InputError when a published checkpoint's signature does not verify (the file is not genuine).
 */
export async function verifyAuditChain(db: Database, options: VerifyOptions = {}): Promise<VerifyResult> {
  for (const published of options.checkpoints ?? []) {
    if (!checkpointSignatureHolds(published)) {
      throw new InputError(`the checkpoint of event ${published.seq} is not signed by the key it names (${published.keyId})`, [
        { pointer: '/signature', detail: 'does not verify with publicKey' },
      ]);
    }
  }
  const walked = await walkChain(db, options.onProgress);
  if (walked.broken) return { ok: false, count: walked.count, broken: walked.broken };
  let checked = 0;
  let batch: AuditCheckpoint[] = [];
  const flush = async (): Promise<ChainBreak | null> => {
    const broken = await firstBrokenCheckpoint(db, walked.count, batch);
    checked += batch.length;
    batch = [];
    return broken;
  };
  for await (const stored of storedCheckpoints(db)) {
    if (!checkpointSignatureHolds(stored)) {
      return {
        ok: false,
        count: walked.count,
        broken: {
          seq: stored.seq,
          reason: `the stored checkpoint of event ${stored.seq} is not signed by the key it names: checkpoints were altered`,
        },
      };
    }
    batch.push(stored);
    if (batch.length >= VERIFY_BATCH) {
      const broken = await flush();
      if (broken) return { ok: false, count: walked.count, broken };
    }
  }
  batch.push(...(options.checkpoints ?? []));
  const broken = await flush();
  if (broken) return { ok: false, count: walked.count, broken };
  return { ok: true, count: walked.count, lastHash: walked.lastHash, checkpoints: checked };
}

export interface AuditQuery extends PageRequest {
  readonly action?: string | undefined;
  readonly actorOrgId?: string | undefined;
  readonly subjectId?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
}

/**
 * Events about a labelled record the actor may not see (or that is gone) are left out. The modules lend the
 * kinds of labelled record they keep (their wiring's `labelledSubjects`): a table holding the label, or their
 * own rule for a record with no label of its own (a cluster is seen through its reports).
 */
function readableBy(actor: ServiceContext['actor'], subjects: readonly LabelledSubject[]): Expression<SqlBool> {
  const conditions = subjects.map((subject) => {
    const visible =
      'table' in subject
        ? sql<SqlBool>`exists (select 1 from ${sql.table(subject.table)} as labelled
            where labelled.id = audit_event.subject_id and ${visibleTo(actor, 'labelled')})`
        : subject.visibleTo(actor, 'audit_event.subject_id');
    return sql<SqlBool>`(audit_event.subject_type <> ${subject.subjectType} or ${visible})`;
  });
  return conditions.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

/**
 * The audit trail, newest first, as far as the actor may read it: all of it for coordinator admins and
 * analysts (and the system), their own organisation's part for other admins, nothing (an empty page) for
 * anyone else; in an organisation's part, events about a labelled record (one of `subjects`, every module's
 * labelled subjects as the composition root wires them) only where the admin may see the record.
 */
export async function listAuditEvents(
  ctx: ServiceContext,
  query: AuditQuery,
  subjects: readonly LabelledSubject[],
): Promise<Page<AuditRecord>> {
  const scope = auditScope(ctx.actor);
  if (scope === null) return { items: [], nextCursor: null };
  // Those who read the whole trail read every line, also those of records since purged (a labelled record
  // that is gone leaves no label to check); the subject filter is for the organisation's part only.
  const filter = scope.all ? query : { ...query, scopeOrgId: scope.orgId, readable: readableBy(ctx.actor, subjects) };
  const page = await store.listEvents(ctx.db.kysely, filter, query);
  return { items: page.items.map(presentAuditRecord), nextCursor: page.nextCursor };
}

/**
 * {@link verifyAuditChain} for a caller through the API: coordinator admins only (`audit.chain.verify`), as
 * the walk reads every event and costs the whole chain. The published checkpoints come from the caller.
 * @throws NotAllowedError for anyone else; InputError as verifyAuditChain.
 */
export function verifyAuditChainAs(ctx: ServiceContext, checkpoints: readonly AuditCheckpoint[]): Promise<VerifyResult> {
  authorize(ctx.actor, 'audit.chain.verify');
  return verifyAuditChain(ctx.db, { checkpoints });
}
