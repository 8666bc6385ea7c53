import type { UserActor } from '../../../platform/actor.js';

/**
 * An organisation as the access policy sees it when nobody in particular of it reads: a viewer of it. What an
 * organisation is told is decided by asking the policy as this reader, never as the system.
 */
export function readerOf(orgId: string): UserActor {
  return { kind: 'user', userId: `org-reader:${orgId}`, orgId, orgKind: 'operator', role: 'viewer', tokenId: null };
}
