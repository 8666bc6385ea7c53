import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { tables, type Executor } from '../db/index.js';
import { newId } from '../ids.js';
import { enqueueJob, type JobHandler } from '../jobs/index.js';
import type { EventType } from './event-type.js';

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
}

/**
 * A module's reaction to events. Runs as a job, at least once per event: it must be idempotent (check
 * the state it would create before creating it).
 */
export interface EventConsumer {
  /** Unique, `<module>.<what it does>`, e.g. `scoring.rescore`. */
  readonly name: string;
  readonly types: readonly EventType<unknown>[];
  handle(event: StoredEvent): Promise<void>;
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

/** The outbox: events stored in `platform_event`, delivered to consumers through the jobs table. */
export function createOutbox(clock: Clock, consumers: readonly Pick<EventConsumer, 'name' | 'types'>[]): EventPublisher {
  const byType = new Map<string, string[]>();
  for (const consumer of consumers) {
    for (const type of consumer.types) byType.set(type, [...(byType.get(type) ?? []), consumer.name]);
  }
  return {
    async emit(trx, event) {
      const stored: StoredEvent<typeof event.payload> = {
        ...event,
        orgId: event.orgId ?? null,
        id: newId('evt'),
        at: clock.now().toISOString(),
      };
      await t(trx)
        .insertInto('platform_event')
        .values({
          id: stored.id,
          type: stored.type,
          subject_id: stored.subjectId,
          org_id: stored.orgId ?? null,
          payload: JSON.stringify(stored.payload ?? null),
          created_at: stored.at,
        })
        .execute();
      for (const consumer of byType.get(event.type) ?? []) {
        await enqueueJob(trx, clock, { kind: `${EVENT_JOB_PREFIX}${consumer}`, payload: stored, dedupKey: `${stored.id}:${consumer}` });
      }
      return stored;
    },
  };
}

/** Job handlers that deliver events to each consumer, for the job runner. */
export function eventJobHandlers(consumers: readonly EventConsumer[]): Record<string, JobHandler> {
  const names = new Set<string>();
  const handlers: Record<string, JobHandler> = {};
  for (const consumer of consumers) {
    if (names.has(consumer.name)) throw new Error(`two event consumers are named ${consumer.name}`);
    names.add(consumer.name);
    handlers[`${EVENT_JOB_PREFIX}${consumer.name}`] = (job) => consumer.handle(job.payload as StoredEvent);
  }
  return handlers;
}

/** Events about one subject, oldest first (for timelines and replay). */
export async function eventsAbout(executor: Executor, subjectId: string): Promise<StoredEvent[]> {
  const rows = await t(executor)
    .selectFrom('platform_event')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    subjectId: r.subject_id,
    orgId: r.org_id,
    payload: JSON.parse(r.payload) as unknown,
    at: r.created_at,
  }));
}
