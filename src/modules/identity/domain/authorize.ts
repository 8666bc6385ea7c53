import type { Actor } from '../../../platform/actor.js';
import { AuthenticationError, NotAllowedError } from '../../../platform/errors.js';
import { PERMISSIONS, type Permission, type PermissionGrant } from './permissions.js';

/** What an action is done to, as far as the permission table cares: the organisation it is for. */
export interface AuthorizeTarget {
  /** The record's owner, or the organisation the action is for. */
  readonly ownerOrgId: string;
}

function grantHolds(grant: PermissionGrant, actor: Extract<Actor, { kind: 'user' }>, target: AuthorizeTarget | undefined): boolean {
  if (grant.kinds !== 'any' && !(grant.kinds as readonly string[]).includes(actor.orgKind)) return false;
  if (!grant.roles.includes(actor.role)) return false;
  // Without a target the actor acts for its own organisation.
  return grant.own !== true || target === undefined || target.ownerOrgId === actor.orgId;
}

/**
 * Whether the actor holds the permission (for `target`'s organisation when given), by the one permission
 * table. The system actor holds every permission, anonymous callers none.
 */
export function holds(actor: Actor, permission: Permission, target?: AuthorizeTarget): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  return PERMISSIONS[permission].grants.some((grant) => grantHolds(grant, actor, target));
}

const ROLE_WORDS = { admin: 'admins', analyst: 'analysts', viewer: 'viewers' } as const;

function describeGrant(grant: PermissionGrant): string {
  const roles = grant.roles.length === 3 ? 'members' : grant.roles.map((r) => ROLE_WORDS[r]).join(' and ');
  if (grant.own === true) {
    const of = grant.kinds === 'any' ? 'the organisation concerned' : `the ${grant.kinds.join(' or ')} concerned`;
    return `${roles} of ${of}`;
  }
  const kinds = grant.kinds === 'any' ? 'any organisation' : `${grant.kinds.join(', ')} organisations`;
  return `${roles} of ${kinds}`;
}

/** Who holds a permission, in words: "admins of coordinator organisations". */
export function describeHolders(permission: Permission): string {
  return PERMISSIONS[permission].grants.map(describeGrant).join('; ');
}

/**
 * Throws unless the actor holds the permission: AuthenticationError for anonymous callers, NotAllowedError
 * naming who may otherwise. Call it after the record was found visible (a record the actor may not see
 * answers NotFoundError first, so that its existence does not leak).
 */
export function authorize(actor: Actor, permission: Permission, target?: AuthorizeTarget): void {
  if (holds(actor, permission, target)) return;
  if (actor.kind !== 'user') throw new AuthenticationError('this needs a signed-in user');
  const rule = PERMISSIONS[permission];
  throw new NotAllowedError(`only ${describeHolders(permission)} may ${rule.does} (${permission})`);
}

/** The permission table as a Markdown table, for the README (a test holds the README equal to it). */
export function renderPermissionTable(): string {
  const lines = ['| permission | kind | who | what | also |', '|---|---|---|---|---|'];
  for (const [name, rule] of Object.entries(PERMISSIONS) as [Permission, (typeof PERMISSIONS)[Permission]][]) {
    const also = 'also' in rule ? rule.also : '';
    lines.push(`| \`${name}\` | ${rule.kind} | ${describeHolders(name)} | ${rule.does} | ${also} |`);
  }
  return lines.join('\n');
}
