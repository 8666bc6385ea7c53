import type { UserActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction } from '../../../platform/db/index.js';
import { NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { orgNameKey } from '../domain/inputs.js';
import { presentOrg, presentUser, type Org, type User } from '../presenters.js';
import * as store from '../store.js';
import { generateTokenSecret, hashTokenSecret, issueToken } from './tokens.js';

export const COORDINATOR_ORG_NAME = 'Clearinghouse Coordination Center';
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@clearinghouse.local';

export interface BootstrapResult {
  /** True when this call created the coordinator org and its admin. */
  readonly created: boolean;
  readonly org: Org;
  readonly admin: User;
  /** The admin's token secret when this call made one (to be printed once), else null. */
  readonly token: string | null;
}

/**
 * Makes sure the coordinator organisation and its first admin exist. On an empty database it creates both
 * and an admin token — `adminToken` when given (CLEARINGHOUSE_ADMIN_TOKEN), else a random one. On a later
 * start with `adminToken` set and not yet known, it registers that token for the admin (so a lost token can
 * be replaced by setting the variable); a revoked one stays revoked.
 */
export async function bootstrap(ctx: ServiceContext, options: { adminToken: string | null }): Promise<BootstrapResult> {
  return withTransaction(ctx.db, async (trx) => {
    // Several servers may start together on an empty database: one of them bootstraps.
    await serializeOn(trx, ctx.db.caps, 'identity.bootstrap');
    const existing = await store.findFirstOrgOfKind(trx, 'coordinator');
    if (existing !== undefined) {
      const admin = await store.findFirstAdminOfOrg(trx, existing.id);
      if (admin === undefined)
        throw new Error(`the coordinator organisation ${existing.id} has no active admin; create one with 'clearinghouse user create'`);
      if (options.adminToken !== null && (await store.findTokenByHash(trx, hashTokenSecret(options.adminToken))) === undefined) {
        const issued = await issueToken(trx, ctx.clock, admin.id, 'CLEARINGHOUSE_ADMIN_TOKEN', options.adminToken, null);
        await ctx.audit.record(trx, ctx.actor, {
          action: 'identity.token.create',
          subject: { type: 'token', id: issued.id },
          orgId: existing.id,
          diff: { userId: admin.id, name: issued.name, source: 'CLEARINGHOUSE_ADMIN_TOKEN' },
        });
      }
      return { created: false, org: presentOrg(existing), admin: presentUser(admin), token: null };
    }
    const now = ctx.clock.now().toISOString();
    const org: store.OrgRow = {
      id: newId('org'),
      name: COORDINATOR_ORG_NAME,
      name_key: orgNameKey(COORDINATOR_ORG_NAME),
      kind: 'coordinator',
      sectors: '[]',
      created_at: now,
    };
    await store.insertOrg(trx, org);
    const user: store.UserRow = {
      id: newId('usr'),
      org_id: org.id,
      email: BOOTSTRAP_ADMIN_EMAIL,
      name: 'Clearinghouse administrator',
      role: 'admin',
      created_at: now,
      disabled_at: null,
    };
    await store.insertUser(trx, user);
    const secret = options.adminToken ?? generateTokenSecret();
    const issued = await issueToken(
      trx,
      ctx.clock,
      user.id,
      options.adminToken === null ? 'bootstrap' : 'CLEARINGHOUSE_ADMIN_TOKEN',
      secret,
      null,
    );
    await ctx.audit.record(trx, ctx.actor, {
      action: 'identity.org.create',
      subject: { type: 'org', id: org.id },
      orgId: org.id,
      diff: { name: org.name, kind: 'coordinator', bootstrap: true },
    });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'identity.user.create',
      subject: { type: 'user', id: user.id },
      orgId: org.id,
      diff: { email: user.email, role: 'admin', initialToken: issued.id },
    });
    return { created: true, org: presentOrg(org), admin: presentUser(user), token: options.adminToken === null ? secret : null };
  });
}

/**
 * Acts as an organisation's first active admin — for the local CLI and background work done on behalf of
 * an organisation (the system actor only). Default: the coordinator. `asUserId`: act as that user instead
 * when it is an active analyst or admin of the organisation (work done on a member's behalf stays theirs:
 * what they submit at TLP:RED is theirs to read, not their admin's). Throws NotFoundError.
 */
export async function adminActorOf(ctx: ServiceContext, orgId?: string, asUserId?: string | null): Promise<UserActor> {
  if (ctx.actor.kind !== 'system') throw new NotAllowedError('only the system acts on behalf of an organisation');
  const org =
    orgId === undefined ? await store.findFirstOrgOfKind(ctx.db.kysely, 'coordinator') : await store.findOrg(ctx.db.kysely, orgId);
  if (org === undefined)
    throw new NotFoundError(orgId === undefined ? 'no coordinator organisation yet (run clearinghouse init)' : `no organisation ${orgId}`);
  const member = asUserId === undefined || asUserId === null ? undefined : await store.findUser(ctx.db.kysely, asUserId);
  if (
    member !== undefined &&
    member.org_id === org.id &&
    member.disabled_at === null &&
    (member.role === 'admin' || member.role === 'analyst')
  )
    return { kind: 'user', userId: member.id, orgId: org.id, orgKind: org.kind, role: member.role, tokenId: null };
  const admin = await store.findFirstAdminOfOrg(ctx.db.kysely, org.id);
  if (admin === undefined) throw new NotFoundError(`organisation ${org.id} has no active admin`);
  return { kind: 'user', userId: admin.id, orgId: org.id, orgKind: org.kind, role: 'admin', tokenId: null };
}
