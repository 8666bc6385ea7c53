import type { Actor } from '../../../platform/actor.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';

/**
 * Notify's records — webhooks, notifications, deliveries, remediation items — belong to one organisation
 * each and are that organisation's alone (the coordinator oversees remediation through its own permission).
 * A record of another organisation answers 404, so that its existence does not leak.
 */
export function requireMember(actor: Actor, orgId: string, what: string): void {
  if (actor.kind === 'system') return;
  if (actor.kind === 'user' && actor.orgId === orgId) return;
  throw new NotFoundError(`no ${what}`);
}

/** The organisation an action is for: the one named, else the caller's own. */
export function orgOf(actor: Actor, orgId: string | undefined): string {
  if (orgId !== undefined) return orgId;
  if (actor.kind === 'user') return actor.orgId;
  throw new InputError('name the organisation', [{ pointer: '/orgId', detail: 'is required when acting as the system' }]);
}
