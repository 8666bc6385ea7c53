import type { Actor } from './actor.js';
import type { BlobStore } from './blobs/blob-store.js';
import type { Clock } from './clock.js';
import type { Database, Executor } from './db/index.js';
import type { EventPublisher } from './events/index.js';
import type { Logger } from './log.js';

/** One mutation, as the audit log records it. */
export interface AuditEntry {
  /** `<module>.<noun>.<verb>`, e.g. `identity.token.create`. */
  readonly action: string;
  /** The record changed, e.g. `{ type: 'org', id: 'org_…' }`. */
  readonly subject: { readonly type: string; readonly id: string };
  /** The organisation the subject belongs to, so that org admins can read their own trail. */
  readonly orgId?: string | null;
  /** What changed: new values, or `{ field: [before, after] }`. Never secrets. */
  readonly diff?: unknown;
}

/**
 * Appends to the audit log inside the caller's transaction. Implemented by modules/audit and handed to
 * every module through the context, so modules record mutations without depending on the audit module.
 */
export interface AuditWriter {
  record(trx: Executor, actor: Actor, entry: AuditEntry): Promise<void>;
}

/** What every service function receives. */
export interface ServiceContext {
  readonly db: Database;
  readonly clock: Clock;
  readonly actor: Actor;
  readonly log: Logger;
  readonly audit: AuditWriter;
  readonly events: EventPublisher;
  readonly blobs: BlobStore;
}

/** The same context acting as someone else (a job acting as the system, a test switching users). */
export function asActor(ctx: ServiceContext, actor: Actor): ServiceContext {
  return { ...ctx, actor };
}
