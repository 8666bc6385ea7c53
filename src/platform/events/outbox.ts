import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import {
  chunks,
  insertManyStatements,
  tables,
  writeTogether,
  type DialectCapabilities,
  type Executor,
  type WriteStatement,
} from '../db/index.js';
import { newId } from '../ids.js';
import { addJobsStatements, type EnqueueJob, type JobHandler, type JobKindHandler } from '../jobs/index.js';
import type { EventType } from './event-type.js';
import { appendTo } from '../collections.js';

/** Something that happened, for other modules (and, through notify, the outside) to react to. */
export interface DomainEvent<P = unknown> {
  /** `<module>.<noun>.<verb>` in the past tense, e.g. `validation.cluster.validated`. */
  readonly type: string;
  readonly subjectId: string;
  /** The organisation the subject belongs to, when there is one. */
  readonly orgId?: string | null;
  readonly payload: P;
}

/** An event as stored and delivered: with its id and time. */
export interface StoredEvent<P = unknown> extends DomainEvent<P> {
  readonly id: string;
  readonly at: string;
}

/** True, with the payload typed, when `event` is of `type`. */
export function isEvent<P>(event: StoredEvent, type: EventType<P>): event is StoredEvent<P> {
  return event.type === type;
}

export interface EventPublisher {
  /**
   * Records the event in the caller's transaction and schedules its delivery to every consumer
   * subscribed to its type: the event exists, and will be handled, exactly when the change committed.
   */
  emit<P>(trx: Executor, event: DomainEvent<P> & { readonly type: EventType<P> }): Promise<StoredEvent<P>>;
  /**
   * `emit`'s statements, built but not run, for the caller to send with its own writes (`writeTogether`: one
   * round trip on PostgreSQL): the event exists, and will be handled, exactly when they ran and the change
   * committed. For a transaction under a lock every process waits for (intake's deduplication, issue 14).
   */
  emitStatements<P>(trx: Executor, event: DomainEvent<P> & { readonly type: EventType<P> }): Promise<WriteStatement[]>;
  /**
   * Records several events of one type at once, as `emit` does, but delivers them to each consumer in one
   * job per {@link EVENT_BATCH} events rather than one job each: a change that names dozens of subjects
   * (an SBOM upload changes the exposure of every advisory it matches) queues a few jobs, not dozens.
   * The consumer still handles them one by one, in order. With `jobPerEvent`, each event gets its own job,
   * as with `emit`, still in two statements: for events whose handling someone follows job by job.
   */
  emitAll<P>(
    trx: Executor,
    type: EventType<P>,
    events: readonly Omit<DomainEvent<P>, 'type'>[],
    options?: { readonly jobPerEvent?: boolean },
  ): Promise<StoredEvent<P>[]>;
  /**
   * `emitAll`'s statements, built but not run (none for no events), as {@link emitStatements} gives `emit`'s:
   * for a writer under a lock every process waits for that sends them with its own writes (an SBOM upload).
   */
  emitAllStatements<P>(
    trx: Executor,
    type: EventType<P>,
    events: readonly Omit<DomainEvent<P>, 'type'>[],
    options?: { readonly jobPerEvent?: boolean },
  ): Promise<WriteStatement[]>;
}

/**
 * A module's reaction to events. Runs as a job, at least once per event: it must be idempotent (check
 * the state it would create before creating it).
 */
export interface EventConsumer {
  /** Unique, `<module>.<what it does>`, e.g. `scoring.rescore`. */
  readonly name: string;
  readonly types: readonly EventType<unknown>[];
  /**
   * Whether it has anything to do for this event, judged from the event alone when it is emitted; no job
   * is queued for the events it declines. Default: every event of its types.
   */
  wants?(event: StoredEvent): boolean;
  handle(event: StoredEvent): Promise<void>;
  /**
   * Handles the events one job delivers (see {@link EventPublisher.emitAll}), in their order, when doing them
   * together is cheaper than one by one (one transaction for all); default `handle` for each. Idempotent
   * like `handle`: a retried job hands over the same events again.
   */
  handleAll?(events: readonly StoredEvent[]): Promise<void>;
  /**
   * With `handleAll`: whether the job runner hands it the events of several of the consumer's jobs it claimed
   * together, in claim order, in one call (a GroupedJobHandler, see job-runner.ts) — where that call shares
   * one transaction's fixed costs among the jobs, as measured (bench jobs). It must then leave what `handle`
   * leaves run on each event in turn, audit records included. Default false.
   */
  readonly groupJobs?: boolean;
}

interface EventRow {
  id: string;
  type: string;
  subject_id: string;
  org_id: string | null;
  payload: string;
  created_at: string;
}

interface EventTables {
  platform_event: EventRow;
}

const t = (executor: Executor): Kysely<EventTables> => tables<EventTables>(executor);

export const EVENT_JOB_PREFIX = 'event:';

/** Events delivered by one job at most (see {@link EventPublisher.emitAll}). */
export const EVENT_BATCH = 100;

/**
 * The payload of a job that delivers several events to one consumer: their ids, in order, the events being
 * stored in `platform_event` by the same transaction as the job. A job of one event carries the event. Jobs
 * queued before carried their events (`events`), and still deliver them.
 *
 * Ids, not the events: an SBOM upload's some 50 exposure events went into each of their two consumers' jobs
 * again, 23 kB of JSON per job to write, store and parse, for rows that the upload had stored already
 * (issue 20).
 */
type EventBatch = { readonly eventIds: readonly string[] } | { readonly events: readonly StoredEvent[] };

/**
 * The ids of the events a delivery job's payload names, in every form it takes (see {@link EventBatch}): one
 * event carried whole, events carried whole, or events named by id. The housekeeping sweep keeps every event a
 * job not done names, whether or not that job would read it back.
 */
export function eventIdsNamedBy(payload: unknown): string[] {
  if (payload === null || typeof payload !== 'object') return [];
  const p = payload as Partial<{ eventIds: unknown; events: unknown; id: unknown; type: unknown }>;
  if (typeof p.type === 'string' && typeof p.id === 'string') return [p.id];
  const ids: string[] = [];
  if (Array.isArray(p.events))
    for (const e of p.events) if (typeof (e as Partial<StoredEvent>)?.id === 'string') ids.push((e as StoredEvent).id);
  if (Array.isArray(p.eventIds)) for (const id of p.eventIds) if (typeof id === 'string') ids.push(id);
  return ids;
}

/** The events a job delivers, in order (see {@link EventBatch}); throws when one of them is not stored. */
async function eventsOf(executor: Executor, payloads: readonly unknown[]): Promise<StoredEvent[]> {
  const batches = payloads.map((p) => p as Partial<{ eventIds: string[]; events: StoredEvent[] }> & Partial<StoredEvent>);
  // The events named by id, of every job at once: a group of jobs reads them in one pass, not one per job.
  const named = batches.flatMap((b) => (b.type === undefined && !Array.isArray(b.events) ? (b.eventIds ?? []) : []));
  const byId = new Map<string, StoredEvent>();
  for (const part of chunks([...new Set(named)]))
    for (const row of await t(executor).selectFrom('platform_event').selectAll().where('id', 'in', part).execute())
      byId.set(row.id, storedEventOf(row));
  return batches.flatMap((batch) => {
    if (batch.type !== undefined) return [batch as StoredEvent];
    if (Array.isArray(batch.events)) return batch.events;
    return (batch.eventIds ?? []).map((id) => {
      const event = byId.get(id);
      if (event === undefined) throw new Error(`event ${id} of a delivery job is not stored`);
      return event;
    });
  });
}

/** The outbox: events stored in `platform_event`, delivered to consumers through the jobs table. */
export function createOutbox(
  clock: Clock,
  consumers: readonly Pick<EventConsumer, 'name' | 'types' | 'wants'>[],
  caps: DialectCapabilities,
): EventPublisher {
  const byType = new Map<string, Pick<EventConsumer, 'name' | 'wants'>[]>();
  for (const consumer of consumers) for (const type of consumer.types) appendTo(byType, type, consumer);
  const stored = <P>(event: DomainEvent<P>): StoredEvent<P> => ({
    ...event,
    orgId: event.orgId ?? null,
    id: newId('evt'),
    at: clock.now().toISOString(),
  });
  const columns: (keyof EventRow)[] = ['id', 'type', 'subject_id', 'org_id', 'payload', 'created_at'];
  const rowOf = (e: StoredEvent) => {
    const row = eventRow(e);
    return columns.map((c) => row[c]);
  };
  const wanted = (type: string, events: readonly StoredEvent[]) =>
    (byType.get(type) ?? []).map((consumer) => ({ consumer: consumer.name, events: events.filter((e) => consumer.wants?.(e) ?? true) }));
  // The events and every consumer's jobs in one statement on PostgreSQL (writeTogether), in two elsewhere: a
  // transaction that emits is kept open one round trip longer, not one per consumer (issue 20: PostgreSQL
  // connections sat idle in transaction between job inserts while the process got round to the next one,
  // holding the locks its change had taken; issue 14: a submission emits under the deduplication lock).
  // `emit`'s job carries its one event; `emitAll`'s carry batches (see eventsOf). A delivery job's dedup key
  // begins with the id of the first event it delivers, which the housekeeping sweep relies on to find, by the
  // key's index, the jobs that may name a range of events (housekeeping.ts).
  const deliveries = (type: string, events: readonly StoredEvent[], batched: boolean) =>
    wanted(type, events).flatMap(({ consumer, events: mine }): (EnqueueJob & { dedupKey: string })[] => {
      const kind = `${EVENT_JOB_PREFIX}${consumer}`;
      if (!batched) return mine.map((one) => ({ kind, payload: one, dedupKey: `${one.id}:${consumer}` }));
      const jobs: (EnqueueJob & { dedupKey: string })[] = [];
      for (let i = 0; i < mine.length; i += EVENT_BATCH) {
        const batch = mine.slice(i, i + EVENT_BATCH);
        const payload: EventBatch = { eventIds: batch.map((e) => e.id) };
        jobs.push({ kind, payload, dedupKey: `${batch[0]?.id}+${batch.length}:${consumer}` });
      }
      return jobs;
    });
  const statementsOf = async (trx: Executor, one: StoredEvent): Promise<WriteStatement[]> => [
    t(trx).insertInto('platform_event').values(eventRow(one)),
    ...(await addJobsStatements(trx, caps, clock, deliveries(one.type, [one], false))),
  ];
  const statementsOfAll = async (
    trx: Executor,
    type: string,
    all: readonly StoredEvent[],
    jobPerEvent: boolean,
  ): Promise<WriteStatement[]> => [
    ...(await insertManyStatements(trx, caps, 'platform_event', columns, all.map(rowOf))),
    ...(await addJobsStatements(trx, caps, clock, deliveries(type, all, !jobPerEvent))),
  ];
  return {
    async emit(trx, event) {
      const one = stored(event);
      await writeTogether(trx, caps, await statementsOf(trx, one));
      return one;
    },
    emitStatements: (trx, event) => statementsOf(trx, stored(event)),
    async emitAll(trx, type, drafts, options = {}) {
      const all = drafts.map((draft) => stored({ ...draft, type }));
      if (all.length === 0) return all;
      await writeTogether(trx, caps, await statementsOfAll(trx, type, all, options.jobPerEvent === true));
      return all;
    },
    emitAllStatements: async (trx, type, drafts, options = {}) =>
      drafts.length === 0
        ? []
        : statementsOfAll(
            trx,
            type,
            drafts.map((draft) => stored({ ...draft, type })),
            options.jobPerEvent === true,
          ),
  };
}

function eventRow(e: StoredEvent): EventRow {
  return {
    id: e.id,
    type: e.type,
    subject_id: e.subjectId,
    org_id: e.orgId ?? null,
    payload: JSON.stringify(e.payload ?? null),
    created_at: e.at,
  };
}

/**
 * Job handlers that deliver events to each consumer, for the job runner: those of a consumer that groups its
 * jobs take several jobs at once, and hand it all their events in one call. A job that names its events reads
 * them through `reader` first.
 */
export function eventJobHandlers(consumers: readonly EventConsumer[], reader: Executor): Record<string, JobKindHandler> {
  const names = new Set<string>();
  const handlers: Record<string, JobKindHandler> = {};
  for (const consumer of consumers) {
    if (names.has(consumer.name)) throw new Error(`two event consumers are named ${consumer.name}`);
    names.add(consumer.name);
    const kind = `${EVENT_JOB_PREFIX}${consumer.name}`;
    // A retried batch handles its first events again: consumers are idempotent.
    const all = consumer.handleAll?.bind(consumer);
    const one: JobHandler = async (job) => {
      const events = await eventsOf(reader, [job.payload]);
      if (all !== undefined) await all(events);
      else for (const event of events) await consumer.handle(event);
    };
    const many = async (jobs: readonly { payload: unknown }[]) => {
      await all?.(
        await eventsOf(
          reader,
          jobs.map((job) => job.payload),
        ),
      );
    };
    handlers[kind] = all !== undefined && consumer.groupJobs === true ? { one, many } : one;
  }
  return handlers;
}

function storedEventOf(r: EventRow): StoredEvent {
  return {
    id: r.id,
    type: r.type,
    subjectId: r.subject_id,
    orgId: r.org_id,
    payload: JSON.parse(r.payload) as unknown,
    at: r.created_at,
  };
}

/**
 * Events about one subject, oldest first (tests use it; nothing on the server does). It reads the whole table:
 * no index serves it, since every change writes events and nothing on the server's paths reads them by subject
 * (platform migration 0009). The housekeeping sweep deletes events older than CLEARINGHOUSE_EVENTS_KEEP_MINUTES
 * that no unfinished job names (housekeeping.ts): this is no history; the audit log is.
 */
export async function eventsAbout(executor: Executor, subjectId: string): Promise<StoredEvent[]> {
  const rows = await t(executor)
    .selectFrom('platform_event')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(storedEventOf);
}
