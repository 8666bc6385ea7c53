/**
 * Identity: organisations, users, API tokens and the access policy (DESIGN §5).
 *
 * Every read in every module is decided by {@link can} / {@link canSee} for single records and by
 * {@link visibleTo} for lists; who may act is decided by {@link authorize} against one permission table
 * ({@link PERMISSIONS}). Records that carry a TLP label keep `owner_org_id`, `tlp`, `created_by`
 * and share with recipients through {@link setRecipients}.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { sessions } from './migrations/0002-sessions.js';

export {
  auditScope,
  can,
  canCreateOrg,
  canManageUsers,
  canSee,
  canSeeOrg,
  isCoordinator,
  isCoordinatorAdmin,
  isCoordinatorRecipient,
  type AuditScope,
  type ProtectedRecord,
  type Recipient,
  type RecordAction,
} from './domain/access-policy.js';
export { authorize, describeHolders, holds, renderPermissionTable, type AuthorizeTarget } from './domain/authorize.js';
export {
  PERMISSIONS,
  PERMISSION_NAMES,
  isPermission,
  type Permission,
  type PermissionGrant,
  type PermissionRule,
} from './domain/permissions.js';
export { ORG_KINDS, ROLES, SECTORS, SECTOR_KEYS, isOrgKind, isSector, type OrgKind, type Sector } from './domain/org.js';
export { visibleTo } from './access-filter.js';
export { trackWork } from './work.js';
export type { NewToken, Org, Token, User } from './presenters.js';
export { BOOTSTRAP_ADMIN_EMAIL, COORDINATOR_ORG_NAME, adminActorOf, bootstrap, type BootstrapResult } from './service/bootstrap.js';
export { createOrg, getOrg, listOrgs, orgNames } from './service/orgs.js';
export { recipientsByRecord, setRecipients, type RecipientInput } from './service/recipients.js';
export { authenticateToken, bearerSecret, createToken, listTokens, revokeToken } from './service/tokens.js';
export { createUser, getMe, listUsers, type Me } from './service/users.js';
export { identityRoutes } from './routes.js';
export { SESSION_COOKIE, authenticateSessionCookie, setPassword, signIn } from './service/sessions.js';
export { registerIdentityCommands } from './commands.js';
export { actingCommand, dispatchActing, type ActingFlags } from './acting.js';

export const identityMigrations: ModuleMigrations = { module: 'identity', migrations: [init, sessions] };
