import { systemActor, type Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { EventConsumer, StoredEvent } from '../../platform/events/index.js';
import { EXPOSURE_CHANGED, type ExposureChangedPayload } from '../inventory/index.js';
import { clearAssets } from './service/clearing.js';
import { notifyAffectedOperators } from './service/targeting.js';

/** What the composition root gives notify's background work. */
export interface NotifyBackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
  /** The server's public base URL (remediation links). */
  readonly publicUrl: string;
}

const actor = systemActor('notify');

/**
 * `notify.exposure`: an advisory's matches changed (a new or changed advisory, an SBOM upload) — the
 * operators it now affects hear of it (`advisory.matched`), with their own assets, and those it no longer
 * affects get their items closed (`advisory.cleared`).
 */
export function notifyConsumers(deps: NotifyBackgroundDeps): EventConsumer[] {
  return [
    {
      name: 'notify.exposure',
      types: [EXPOSURE_CHANGED],
      handle: async (event) => {
        const ctx = deps.contextFor(actor);
        const payload = (event as StoredEvent<ExposureChangedPayload>).payload;
        if (payload.orgIds.length > 0) {
          await notifyAffectedOperators(ctx, deps, {
            type: 'advisory.matched',
            advisoryId: payload.advisoryId,
            orgIds: payload.orgIds,
            dedupScope: 'exposure',
            sourceEventId: event.id,
          });
        }
        if (payload.clearedOrgIds.length > 0) {
          await clearAssets(ctx, {
            advisoryId: payload.advisoryId,
            orgIds: payload.clearedOrgIds,
            assetIds: payload.clearedAssetIds,
            reason: payload.reason,
            sourceEventId: event.id,
          });
        }
      },
    },
  ];
}
