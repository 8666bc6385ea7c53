import type { Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import { isEvent, type EventConsumer, type StoredEvent } from '../../platform/events/index.js';
import { CLUSTER_MERGED, CLUSTER_REGROUPED, CLUSTER_SPLIT, SUBMISSION_PROCESSED } from '../intake/pure.js';
import { VALIDATION_SYSTEM } from './service/access.js';
import { syncClusters } from './service/triage-sync.js';

/** Every cluster an intake event names: new, grown, and both sides of merges, splits and their undoing. */
export function clustersNamedBy(event: StoredEvent): string[] {
  let ids: string[] = [];
  if (isEvent(event, SUBMISSION_PROCESSED)) {
    const p = event.payload;
    ids = [...p.createdClusterIds, ...p.grownClusterIds, ...p.merges.flatMap((m) => [m.from, m.into])];
  } else if (isEvent(event, CLUSTER_MERGED) || isEvent(event, CLUSTER_SPLIT)) {
    ids = [event.payload.from, event.payload.into];
  } else if (isEvent(event, CLUSTER_REGROUPED)) {
    ids = [...event.payload.clusters];
  }
  return [...new Set(ids)];
}

/**
 * Validation reacts to intake: a processed submission opens triage entries for its new clusters and
 * re-places the ones it grew; merges, splits and undos move reports between entries. Idempotent.
 */
export function validationConsumers(deps: { contextFor(actor: Actor): ServiceContext }): EventConsumer[] {
  return [
    {
      name: 'validation.triage',
      types: [SUBMISSION_PROCESSED, CLUSTER_MERGED, CLUSTER_SPLIT, CLUSTER_REGROUPED],
      async handle(event) {
        const subject = { type: event.type === SUBMISSION_PROCESSED ? 'submission' : 'cluster', id: event.subjectId };
        await syncClusters(deps.contextFor(VALIDATION_SYSTEM), clustersNamedBy(event), subject);
      },
    },
  ];
}
