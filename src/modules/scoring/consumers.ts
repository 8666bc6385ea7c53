import type { Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import { isEvent, type EventConsumer, type StoredEvent } from '../../platform/events/index.js';
import { clusterPriorityConsumer } from './cluster-priority.js';
import { EPSS_UPDATED, KEV_CHANGED, POLICY_UPDATED } from './events.js';
import { SCORING_SYSTEM } from './jobs.js';
import { reprioritize } from './service/reprioritize.js';
import { reprioritizeAfterEpss } from './service/reprioritize-epss.js';

/**
 * Scoring's reactions to its own changes: after a KEV release the decisions naming an added, withdrawn or
 * changed CVE are recomputed; after a new EPSS day, the EPSS columns of
 * every decision whose score changed (EPSS is only a tie-breaker); after a policy change, every decision. Idempotent: a
 * decision that comes out the same writes nothing. A validated cluster, and new exposure of an advisory
 * naming a decided cluster, are prioritized by `scoring.cluster-priority` (cluster-priority.ts).
 */
export function scoringConsumers(deps: { contextFor(actor: Actor): ServiceContext }): EventConsumer[] {
  return [
    clusterPriorityConsumer(deps),
    {
      name: 'scoring.reprioritize-on-feed',
      types: [KEV_CHANGED, EPSS_UPDATED, POLICY_UPDATED],
      async handle(event: StoredEvent) {
        const ctx = deps.contextFor(SCORING_SYSTEM);
        if (isEvent(event, KEV_CHANGED)) {
          const payload = event.payload;
          const cveIds = [...payload.added, ...payload.removed, ...payload.changed];
          if (cveIds.length > 0) await reprioritize(ctx, { reason: 'kev', cveIds });
        } else if (isEvent(event, EPSS_UPDATED)) {
          await reprioritizeAfterEpss(ctx);
        } else {
          await reprioritize(ctx, { reason: 'policy' });
        }
      },
    },
  ];
}
