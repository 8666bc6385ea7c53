import { systemActor, type Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { EventConsumer, StoredEvent } from '../../platform/events/index.js';
import { ADVISORY_PUBLISHED, type AdvisoryPublishedPayload } from '../advisories/index.js';
import { EXPOSURE_CHANGED, type ExposureChangedPayload } from '../inventory/index.js';
import { notifyExposureChanges } from './service/exposure.js';
import { notifyPublication } from './service/publication.js';
import { notifyScanEvent, SCAN_EVENTS } from './service/scan-notices.js';

/** What the composition root gives notify's background work. */
export interface NotifyBackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
  /** The server's public base URL (remediation links). */
  readonly publicUrl: string;
}

const actor = systemActor('notify');

/**
 * `notify.publication`: a case's advisory was published (or revised) — every operator that runs an affected
 * version hears `advisory.published`, once per published version.
 * `notify.scanning`: a stop request reaches the scanning organisation at once (with its stop contact), a
 * conflict the party it is addressed to, a campaign's registration, start and end its owner and the
 * operators whose assets it touches.
 * `notify.exposure`: an advisory's matches changed (a new or changed advisory, an SBOM upload) — the
 * operators it now affects hear of it (`advisory.matched`, or `advisory.published` for a published case
 * advisory), with their own assets, and those it no longer affects get their items closed (`advisory.cleared`).
 */
export function notifyConsumers(deps: NotifyBackgroundDeps): EventConsumer[] {
  return [
    {
      name: 'notify.publication',
      types: [ADVISORY_PUBLISHED],
      handle: async (event) => {
        const ctx = deps.contextFor(actor);
        const payload = (event as StoredEvent<AdvisoryPublishedPayload>).payload;
        const result = await notifyPublication(ctx, deps, payload, event.id);
        const { notifications, deliveries, matchedOperators, entitledOperators } = result;
        ctx.log.info(
          { advisoryId: payload.advisoryId, version: payload.version, notifications, deliveries, matchedOperators, entitledOperators },
          'notify.publication',
        );
      },
    },
    {
      name: 'notify.scanning',
      types: [...SCAN_EVENTS],
      handle: async (event) => void (await notifyScanEvent(deps.contextFor(actor), event)),
    },
    {
      name: 'notify.exposure',
      types: [EXPOSURE_CHANGED],
      handle: (event) => notifyExposureChanges(deps.contextFor(actor), deps, [event as StoredEvent<ExposureChangedPayload>]),
      handleAll: (events) => notifyExposureChanges(deps.contextFor(actor), deps, events as readonly StoredEvent<ExposureChangedPayload>[]),
    },
  ];
}
