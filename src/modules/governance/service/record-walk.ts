import type { Executor } from '../../../platform/db/index.js';
import type { RetainedRecord, RetentionSource } from '../../../platform/retention.js';
import type { DataClass } from '../domain/data-classes.js';
import type { LegalHold } from '../domain/legal-holds.js';
import { retentionSubject } from '../domain/record-anchors.js';
import type { RetentionSubject } from '../domain/retention-decision.js';
import { clusterEventsOf, sourcesByClass, type RetentionRegistry } from './retention-registry.js';
import type { HoldRow } from '../store/tables.js';

/** Records are read from each module this many at a time. */
export const WALK_PAGE = 500;

export interface WalkedRecord {
  readonly source: RetentionSource;
  readonly dataClass: DataClass;
  readonly record: RetainedRecord;
  readonly subject: RetentionSubject;
}

/**
 * Every record of every (module, class) the registry knows, page by page in id order, with its events
 * completed from its clusters': what the plan, the purge and a removal walk through. `classes` limits the
 * walk (a class the table keeps need not be read at all); `orgId` to one organisation's records.
 */
export async function* walkRecords(
  db: Executor,
  registry: RetentionRegistry,
  options: { readonly classes?: (dataClass: DataClass) => boolean; readonly orgId?: string },
): AsyncGenerator<WalkedRecord[]> {
  for (const { source, dataClass } of sourcesByClass(registry)) {
    if (options.classes !== undefined && !options.classes(dataClass)) continue;
    let afterId: string | null = null;
    for (;;) {
      const records = await source.records(db, {
        dataClass,
        afterId,
        limit: WALK_PAGE,
        ...(options.orgId === undefined ? {} : { orgId: options.orgId }),
      });
      if (records.length === 0) break;
      const clusters = await clusterEventsOf(db, registry, records);
      const walked: WalkedRecord[] = [];
      for (const record of records) {
        const subject = retentionSubject(record, clusters);
        if (subject !== null) walked.push({ source, dataClass, record, subject });
      }
      yield walked;
      afterId = records[records.length - 1]?.recordId ?? null;
      if (records.length < WALK_PAGE) break;
    }
  }
}

export function presentHold(row: HoldRow): LegalHold {
  return {
    id: row.id,
    scope: row.scope as LegalHold['scope'],
    targetId: row.target_id,
    reason: row.reason,
    placedAt: row.placed_at,
    releasedAt: row.released_at,
  };
}
