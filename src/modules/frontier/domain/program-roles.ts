import type { Actor } from '../../../platform/actor.js';

/**
 * Who plays which part in the program. Seeing a record is decided by identity's access policy (TLP and
 * recipients); these rules add who may *act*: the program is voluntary, so only the developer opens,
 * extends, ends or withdraws its reviews and grants access, and only government (agencies and the
 * coordinator) determines coverage or attaches evaluations.
 */

export const GOVERNMENT_ORG_KINDS = ['agency', 'coordinator'] as const;

export function isGovernmentKind(kind: string): boolean {
  return (GOVERNMENT_ORG_KINDS as readonly string[]).includes(kind);
}

/** Analysts and admins act; viewers only read. The local operator (system) acts too. */
export function canAct(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.kind === 'user' && actor.role !== 'viewer');
}

/** A member (analyst or admin) of the developer organisation, or the local operator. */
export function actsForDeveloper(actor: Actor, developerOrgId: string): boolean {
  return canAct(actor) && (actor.kind === 'system' || (actor.kind === 'user' && actor.orgId === developerOrgId));
}

/** A member (analyst or admin) of an agency or the coordinator, or the local operator. */
export function actsForGovernment(actor: Actor): boolean {
  return canAct(actor) && (actor.kind === 'system' || (actor.kind === 'user' && isGovernmentKind(actor.orgKind)));
}

/** Sign-offs and policy changes bind an organisation: admins only. */
export function isAdminOf(actor: Actor, orgId: string): boolean {
  return actor.kind === 'user' && actor.role === 'admin' && actor.orgId === orgId;
}

/** The developer's members, the coordinator's and the local operator see all of a review's activity. */
export function overseesReview(actor: Actor, developerOrgId: string): boolean {
  return actor.kind === 'system' || (actor.kind === 'user' && (actor.orgId === developerOrgId || actor.orgKind === 'coordinator'));
}
