import type { Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { EventConsumer, StoredEvent } from '../../platform/events/index.js';
import { clusterPriorityConsumer } from './cluster-priority.js';
import { SCORING_SYSTEM } from './jobs.js';
import { reprioritize } from './service/reprioritize.js';

interface KevChanged {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed?: readonly string[];
}

/**
 * Scoring's reactions to its own changes: after a KEV release the decisions naming an added, withdrawn or
 * changed CVE are recomputed; after a new EPSS day or a policy change, every decision. Idempotent: a
 * decision that comes out the same writes nothing. A validated cluster, and new exposure of an advisory
 * naming a decided cluster, are prioritized by `scoring.cluster-priority` (cluster-priority.ts).
 */
export function scoringConsumers(deps: { contextFor(actor: Actor): ServiceContext }): EventConsumer[] {
  return [
    clusterPriorityConsumer(deps),
    {
      name: 'scoring.reprioritize-on-feed',
      types: ['scoring.kev.changed', 'scoring.epss.updated', 'scoring.policy.updated'],
      async handle(event: StoredEvent) {
        const ctx = deps.contextFor(SCORING_SYSTEM);
        if (event.type === 'scoring.kev.changed') {
          const payload = event.payload as KevChanged;
          const cveIds = [...payload.added, ...payload.removed, ...(payload.changed ?? [])];
          if (cveIds.length > 0) await reprioritize(ctx, { reason: 'kev', cveIds });
        } else {
          await reprioritize(ctx, { reason: event.type === 'scoring.epss.updated' ? 'epss' : 'policy' });
        }
      },
    },
  ];
}
