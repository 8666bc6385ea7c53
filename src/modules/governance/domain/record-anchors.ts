import { ANCHOR_EVENT_KEYS, isDataClass, type AnchorEvent } from './data-classes.js';
import type { RetentionSubject } from './retention-decision.js';

/** Events that happen to clusters (a verdict, a case), and through them to the records that belong to them. */
export const CLUSTER_EVENTS: readonly AnchorEvent[] = ['invalidated', 'cluster_closed', 'case_published', 'case_closed'];

export type EventTimes = Partial<Readonly<Record<AnchorEvent, string>>>;

/**
 * A record's events: its own, and each cluster event that has happened to every cluster it belongs to, at
 * the latest of their times — a submission whose findings went to three clusters is "invalidated" only
 * once all three were found invalid. A record's own time for an event wins.
 */
export function recordAnchors(
  own: Readonly<Record<string, string>>,
  clusterIds: readonly string[],
  clusters: ReadonlyMap<string, EventTimes>,
): EventTimes {
  const anchors: Partial<Record<AnchorEvent, string>> = {};
  for (const [event, at] of Object.entries(own))
    if ((ANCHOR_EVENT_KEYS as readonly string[]).includes(event)) anchors[event as AnchorEvent] = at;
  if (clusterIds.length === 0) return anchors;
  for (const event of CLUSTER_EVENTS) {
    if (anchors[event] !== undefined) continue;
    const times = clusterIds.map((id) => clusters.get(id)?.[event]);
    if (times.some((t) => t === undefined)) continue;
    anchors[event] = (times as string[]).reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
  }
  return anchors;
}

/** A record as a module reports it, made a {@link RetentionSubject}; null when its class is unknown. */
export function retentionSubject(
  record: {
    readonly recordId: string;
    readonly dataClass: string;
    readonly anchors: Readonly<Record<string, string>>;
    readonly limits?: readonly { readonly after: string; readonly days: number; readonly source: string }[];
    readonly holdKeys: RetentionSubject['holdKeys'];
    readonly clusterIds: readonly string[];
    readonly dependents?: number;
  },
  clusters: ReadonlyMap<string, EventTimes>,
): RetentionSubject | null {
  if (!isDataClass(record.dataClass)) return null;
  return {
    recordId: record.recordId,
    dataClass: record.dataClass,
    anchors: recordAnchors(record.anchors, record.clusterIds, clusters),
    limits: (record.limits ?? [])
      .filter((l) => (ANCHOR_EVENT_KEYS as readonly string[]).includes(l.after))
      .map((l) => ({ clause: { after: l.after as AnchorEvent, days: l.days }, source: l.source })),
    holdKeys: record.holdKeys,
    dependents: record.dependents ?? 0,
  };
}
