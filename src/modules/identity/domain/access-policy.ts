import type { Actor, UserActor } from '../../../platform/actor.js';
import type { Tlp } from '../../../platform/tlp.js';

/**
 * The access policy: the one place that decides who may see or change what (DESIGN §5). Its SQL twin,
 * `visibleTo` in ../access-filter.ts, encodes the same rules for lists; a test holds the two equal.
 */

/**
 * Who a record is shared with, beyond its owner. `recipient` rows are the named addressees; `served` rows
 * are the organisations a recipient serves, which only TLP:AMBER reaches.
 */
export interface Recipient {
  readonly orgId: string | null;
  readonly userId: string | null;
  readonly scope: 'recipient' | 'served';
}

/** The fields of any access-controlled record that the policy reads. */
export interface ProtectedRecord {
  readonly ownerOrgId: string;
  readonly tlp: Tlp;
  /** The user who created it; always sees it, even at TLP:RED. */
  readonly createdBy: string | null;
  readonly recipients: readonly Recipient[];
}

export type RecordAction = 'read' | 'write' | 'administer';

function isRecipientOrg(actor: UserActor, record: ProtectedRecord, scopes: readonly Recipient['scope'][]): boolean {
  return record.recipients.some((r) => r.orgId === actor.orgId && scopes.includes(r.scope));
}

function isNamedUser(actor: UserActor, record: ProtectedRecord): boolean {
  return record.recipients.some((r) => r.userId === actor.userId && r.scope === 'recipient');
}

/**
 * The clearinghouse reads what it is sent (DESIGN §5): the coordinator organisation's analysts and admins
 * are recipients of every record, whatever its TLP — a clearinghouse cannot validate, deduplicate or
 * coordinate what it cannot read. Its viewers are not: they read as any other organisation's members do.
 */
export function isCoordinatorRecipient(actor: Actor): boolean {
  return actor.kind === 'user' && actor.orgKind === 'coordinator' && actor.role !== 'viewer';
}

/**
 * Whether the actor may see the record, by TLP 2.0:
 * CLEAR — anyone, anonymous included; GREEN — any member of any organisation here;
 * AMBER — the owner org, recipient orgs and the orgs they serve (`served` rows);
 * AMBER+STRICT — the owner org and recipient orgs only; RED — its creator and the named users only.
 * The coordinator's analysts and admins are recipients of every record ({@link isCoordinatorRecipient});
 * the system actor (jobs, the local CLI) sees everything.
 */
export function canSee(actor: Actor, record: ProtectedRecord): boolean {
  if (actor.kind === 'system') return true;
  if (record.tlp === 'CLEAR') return true;
  if (actor.kind !== 'user') return false;
  if (isCoordinatorRecipient(actor)) return true;
  switch (record.tlp) {
    case 'GREEN':
      return true;
    case 'AMBER':
      return actor.orgId === record.ownerOrgId || isRecipientOrg(actor, record, ['recipient', 'served']) || isNamedUser(actor, record);
    case 'AMBER+STRICT':
      return actor.orgId === record.ownerOrgId || isRecipientOrg(actor, record, ['recipient']) || isNamedUser(actor, record);
    case 'RED':
      return actor.userId === record.createdBy || isNamedUser(actor, record);
  }
}

/**
 * Whether the actor may do `action` to the record. Seeing is required for everything. Writing takes an
 * analyst or admin of the owner org, or of the coordinator (the clearinghouse runs every case);
 * administering takes an admin of either. Viewers only read.
 */
export function can(actor: Actor, action: RecordAction, record: ProtectedRecord): boolean {
  if (!canSee(actor, record)) return false;
  if (action === 'read') return true;
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  const sameOrg = actor.orgId === record.ownerOrgId || actor.orgKind === 'coordinator';
  if (action === 'write') return sameOrg && (actor.role === 'admin' || actor.role === 'analyst');
  return sameOrg && actor.role === 'admin';
}

export function isCoordinator(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.kind === 'user' && actor.orgKind === 'coordinator');
}

export function isCoordinatorAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.kind === 'user' && actor.orgKind === 'coordinator' && actor.role === 'admin');
}

/** Organisations: the coordinator sees them all (it runs the registry); everyone else sees only their own. */
export function canSeeOrg(actor: Actor, orgId: string): boolean {
  if (isCoordinator(actor)) return true;
  return actor.kind === 'user' && actor.orgId === orgId;
}

/** Creating organisations is the coordinator admin's. */
export function canCreateOrg(actor: Actor): boolean {
  return isCoordinatorAdmin(actor);
}

/** An org's users are managed by that org's admins and by coordinator admins (onboarding). */
export function canManageUsers(actor: Actor, orgId: string): boolean {
  if (isCoordinatorAdmin(actor)) return true;
  return actor.kind === 'user' && actor.orgId === orgId && actor.role === 'admin';
}

/**
 * The audit trail: the coordinator's admins and analysts read all of it; other organisations' admins read
 * the events their own members caused or that concern their organisation.
 */
export type AuditScope = { readonly all: true } | { readonly all: false; readonly orgId: string } | null;

export function auditScope(actor: Actor): AuditScope {
  if (actor.kind === 'system') return { all: true };
  if (actor.kind !== 'user') return null;
  if (actor.orgKind === 'coordinator' && actor.role !== 'viewer') return { all: true };
  if (actor.role === 'admin') return { all: false, orgId: actor.orgId };
  return null;
}
