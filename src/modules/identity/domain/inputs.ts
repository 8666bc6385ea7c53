import type { Role } from '../../../platform/actor.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import { ORG_KINDS, ROLES, SECTOR_KEYS, isOrgKind, isSector, type OrgKind, type Sector } from './org.js';

export interface NewOrg {
  readonly name: string;
  readonly kind: OrgKind;
  readonly sectors: readonly Sector[];
}

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
}

/** Collapses white space, so that "ACME  Corp" and "acme corp" are the same organisation. */
export function orgNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Checks and normalizes a new organisation; throws InputError naming each bad field. */
export function parseNewOrg(input: { name?: unknown; kind?: unknown; sectors?: unknown }): NewOrg {
  const issues = new FieldReader();
  const name = issues.text('/name', input.name, 200);
  const kind = typeof input.kind === 'string' ? input.kind : '';
  if (!isOrgKind(kind)) issues.add('/kind', `must be one of ${ORG_KINDS.join(', ')}`);
  const sectors: Sector[] = [];
  if (input.sectors !== undefined) {
    if (!Array.isArray(input.sectors)) {
      issues.add('/sectors', 'must be an array of sector keys');
    } else {
      input.sectors.forEach((s: unknown, i) => {
        if (typeof s === 'string' && isSector(s)) {
          if (!sectors.includes(s)) sectors.push(s);
        } else {
          issues.add(`/sectors/${i}`, `must be one of ${SECTOR_KEYS.join(', ')}`);
        }
      });
    }
  }
  issues.done();
  return { name, kind: kind as OrgKind, sectors: sectors.sort() };
}

// Deliberately simple: one @, a dot in the domain, no spaces. Deliverability is the inviter's concern.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** Checks and normalizes a new user (email lower-cased); throws InputError naming each bad field. */
export function parseNewUser(input: { email?: unknown; name?: unknown; role?: unknown }): NewUser {
  const issues = new FieldReader();
  const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
  if (!EMAIL.test(email) || email.length > 254) issues.add('/email', 'must be an email address');
  const name = issues.text('/name', input.name, 200);
  const role = input.role ?? 'analyst';
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    issues.add('/role', `must be one of ${ROLES.join(', ')}`);
  }
  issues.done();
  return { email, name, role: role as Role };
}

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 1825;

/** A token's name and lifetime; `expiresInDays` null means it never expires (bootstrap and CLI only). */
export function parseNewToken(input: { name?: unknown; expiresInDays?: unknown }): { name: string; expiresInDays: number } {
  const issues = new FieldReader();
  const name = input.name === undefined ? 'api' : issues.text('/name', input.name, 100);
  const days = input.expiresInDays ?? DEFAULT_TOKEN_DAYS;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    issues.add('/expiresInDays', `must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}`);
  }
  issues.done();
  return { name, expiresInDays: days as number };
}
