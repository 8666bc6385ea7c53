import { systemActor, type Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { EventConsumer } from '../../platform/events/index.js';
import { ADVISORY_CHANGED } from './service/events.js';
import { handleAdvisoryChanged } from './service/reverse-match.js';

/** What the composition root gives background work: a context acting as someone (the system, here). */
export interface InventoryBackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
}

const actor = systemActor('inventory');

/** `inventory.reverse-match`: a new or changed advisory against every stored inventory. */
export function inventoryConsumers(deps: InventoryBackgroundDeps): EventConsumer[] {
  return [{ name: 'inventory.reverse-match', types: [ADVISORY_CHANGED], handle: (event) => handleAdvisoryChanged(deps.contextFor(actor), event) }];
}
