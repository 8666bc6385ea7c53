import type { Role } from '../../platform/actor.js';
import type { OrgKind, Sector } from './domain/org.js';
import type { OrgRow, TokenRow, UserRow } from './store.js';

/** What the API and CLI show of an organisation. Fields are listed, so nothing else leaks. */
export interface Org {
  readonly id: string;
  readonly name: string;
  readonly kind: OrgKind;
  readonly sectors: Sector[];
  readonly createdAt: string;
}

export interface User {
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly disabledAt: string | null;
}

/** A token as listed: never the secret, never its hash. */
export interface Token {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** The first characters of the secret, to tell tokens apart. */
  readonly hint: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** A token just created: the only time the secret is shown. */
export interface NewToken extends Token {
  readonly token: string;
}

export function presentOrg(row: OrgRow): Org {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as OrgKind,
    sectors: JSON.parse(row.sectors) as Sector[],
    createdAt: row.created_at,
  };
}

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

export function presentToken(row: TokenRow): Token {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    hint: row.hint,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
