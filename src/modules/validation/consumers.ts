import type { Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { EventConsumer, StoredEvent } from '../../platform/events/index.js';
import { VALIDATION_SYSTEM } from './service/access.js';
import { syncClusters } from './service/triage-sync.js';

interface ClusterEventPayload {
  readonly createdClusterIds?: readonly string[];
  readonly grownClusterIds?: readonly string[];
  readonly merges?: readonly { readonly from: string; readonly into: string }[];
  readonly from?: string;
  readonly into?: string;
  readonly clusters?: readonly string[];
}

/** Every cluster an intake event names: new, grown, and both sides of merges, splits and their undoing. */
export function clustersNamedBy(event: StoredEvent): string[] {
  const p = (event.payload ?? {}) as ClusterEventPayload;
  const ids = [
    ...(p.createdClusterIds ?? []),
    ...(p.grownClusterIds ?? []),
    ...(p.merges ?? []).flatMap((m) => [m.from, m.into]),
    ...(p.clusters ?? []),
  ];
  for (const id of [p.from, p.into]) if (typeof id === 'string') ids.push(id);
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
      types: ['intake.submission.processed', 'intake.cluster.merged', 'intake.cluster.split', 'intake.cluster.regrouped'],
      async handle(event) {
        const subject = { type: event.type === 'intake.submission.processed' ? 'submission' : 'cluster', id: event.subjectId };
        await syncClusters(deps.contextFor(VALIDATION_SYSTEM), clustersNamedBy(event), subject);
      },
    },
  ];
}
