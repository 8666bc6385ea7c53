import type { Actor } from '../../../platform/actor.js';
import { NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { isCoordinator } from '../../identity/index.js';

/**
 * Who may see and change inventories. An operator's assets, SBOMs and exposure belong to it alone: its
 * members read them, its admins and analysts change them. The coordinator reads every inventory (it
 * targets advisories) and its admins and analysts may upload on an operator's behalf (onboarding). Everyone
 * else sees nothing, and what they may not see answers "not found".
 */

const writes = (actor: Actor): boolean => actor.kind === 'system' || (actor.kind === 'user' && actor.role !== 'viewer');

/** Whether the actor may read an organisation's inventory and exposure. */
function canReadInventory(actor: Actor, orgId: string): boolean {
  return isCoordinator(actor) || (actor.kind === 'user' && actor.orgId === orgId);
}

/** Throws NotFoundError unless the actor may read the organisation's inventory. */
export function requireReadable(actor: Actor, orgId: string, what: string): void {
  if (!canReadInventory(actor, orgId)) throw new NotFoundError(`no ${what}`);
}

/** Throws NotFoundError when the inventory is invisible, NotAllowedError when it is visible but read-only. */
export function requireWritable(actor: Actor, orgId: string, what: string): void {
  requireReadable(actor, orgId, what);
  if (!writes(actor)) throw new NotAllowedError('viewers cannot change inventories; an admin or analyst can');
}

/** Advisories are the coordinator's to load (admins and analysts) and the system's (imports, intake). */
export function requireAdvisoryManager(actor: Actor): void {
  if (!(actor.kind === 'system' || (isCoordinator(actor) && writes(actor)))) {
    throw new NotAllowedError('only coordinator admins and analysts load advisories into the inventory');
  }
}

/** Cross-operator exposure (an advisory's affected operators, exposure counts) is the coordinator's. */
export function requireCoordinator(actor: Actor, what: string): void {
  if (!isCoordinator(actor)) throw new NotAllowedError(`${what} is for the coordinator`);
}
