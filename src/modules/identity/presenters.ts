import type { Static } from '@sinclair/typebox';
import type { Role } from '../../platform/actor.js';
import type { OrgKind, Sector } from './domain/org.js';
import type { NewTokenSchema, OrgSchema, TokenSchema, UserSchema } from './schemas.js';
import type { OrgRow, TokenRow, UserRow } from './store.js';

/**
 * What the API and CLI show of an organisation, a user and a token: the response schemas' types, so a
 * field is declared once (schemas.ts) and listed here, so nothing else leaks.
 */
export type Org = Static<typeof OrgSchema>;
export type User = Static<typeof UserSchema>;
/** A token as listed: never the secret, never its hash. */
export type Token = Static<typeof TokenSchema>;
/** A token just created: the only time the secret is shown. */
export type NewToken = Static<typeof NewTokenSchema>;

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
