import type { Executor } from '../../../platform/db/index.js';
import type { BlobReferences, RetainedRecord, RetentionSource } from '../../../platform/retention.js';
import { isDataClass, type DataClass } from '../domain/data-classes.js';
import type { EventTimes } from '../domain/record-anchors.js';

/**
 * Every module's retention declarations, as the app wires them: where each data class is stored and how
 * to delete it, and where blobs are referred to. Governance reads records only through these.
 */
export interface RetentionRegistry {
  readonly sources: readonly RetentionSource[];
  readonly blobReferences: readonly BlobReferences[];
}

/** Each (source, class) pair the registry holds, classes in the order of the data-class list. */
export function sourcesByClass(registry: RetentionRegistry): { source: RetentionSource; dataClass: DataClass }[] {
  return registry.sources.flatMap((source) => source.dataClasses.filter(isDataClass).map((dataClass) => ({ source, dataClass })));
}

/** The cluster events of the records' clusters, from every source that knows some; later sources fill gaps. */
export async function clusterEventsOf(
  db: Executor,
  registry: RetentionRegistry,
  records: readonly RetainedRecord[],
): Promise<Map<string, EventTimes>> {
  const ids = [...new Set(records.flatMap((r) => r.clusterIds))];
  const merged = new Map<string, Record<string, string>>();
  if (ids.length === 0) return merged as Map<string, EventTimes>;
  for (const source of registry.sources) {
    if (source.clusterEvents === undefined) continue;
    for (const [clusterId, events] of await source.clusterEvents(db, ids)) {
      merged.set(clusterId, { ...events, ...(merged.get(clusterId) ?? {}) });
    }
  }
  return merged as Map<string, EventTimes>;
}
