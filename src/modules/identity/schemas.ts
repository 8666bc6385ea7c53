import { Type } from '@sinclair/typebox';
import { InstantSchema, Nullable, StringEnum } from '../../platform/http/index.js';
import { ORG_KINDS, ROLES, SECTOR_KEYS } from './domain/org.js';

export const OrgKindSchema = StringEnum(ORG_KINDS);
export const SectorSchema = StringEnum(SECTOR_KEYS);
export const RoleSchema = StringEnum(ROLES);

export const OrgSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: OrgKindSchema,
  sectors: Type.Array(SectorSchema),
  createdAt: InstantSchema,
});

export const UserSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  createdAt: InstantSchema,
  disabledAt: Nullable(InstantSchema),
});

/** A token as listed: never the secret, never its hash. */
export const TokenSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  hint: Type.String({ description: 'first characters of the secret' }),
  createdAt: InstantSchema,
  expiresAt: Nullable(InstantSchema),
  lastUsedAt: Nullable(InstantSchema),
  revokedAt: Nullable(InstantSchema),
});

/** A token just created: the only time the secret is shown. */
export const NewTokenSchema = Type.Object({ ...TokenSchema.properties, token: Type.String({ description: 'the secret; shown only now' }) });
