import type { ServiceContext } from '../../../platform/context.js';
import { DAY } from '../../../platform/clock.js';
import { withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { AuthenticationError, ConflictError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { parseNewUser } from '../domain/inputs.js';
import { presentOrg, presentToken, presentUser, type NewToken, type Org, type Token, type User } from '../presenters.js';
import * as store from '../store.js';
import { requireManageableOrg } from './orgs.js';
import { generateTokenSecret, issueToken, ownUser } from './tokens.js';

/**
 * Adds a user to an organisation, with a first API token (90 days) so that the new user can sign in.
 * Org admins and coordinator admins only. Throws ConflictError when the email is taken.
 */
export async function createUser(
  ctx: ServiceContext,
  orgId: string,
  input: { email?: unknown; name?: unknown; role?: unknown },
): Promise<{ user: User; token: NewToken }> {
  const parsed = parseNewUser(input);
  return withTransaction(
    ctx.db,
    async (trx) => {
      await requireManageableOrg(ctx, trx, orgId);
      if (await store.findUserByEmail(trx, parsed.email))
        throw new ConflictError(`a user with email ${parsed.email} exists already`, { code: 'email-taken' });
      const now = ctx.clock.now();
      const row: store.UserRow = {
        id: newId('usr'),
        org_id: orgId,
        email: parsed.email,
        name: parsed.name,
        role: parsed.role,
        created_at: now.toISOString(),
        disabled_at: null,
      };
      await store.insertUser(trx, row);
      const token = await issueToken(trx, ctx.clock, row.id, 'initial', generateTokenSecret(), new Date(now.getTime() + 90 * DAY));
      await ctx.audit.record(trx, ctx.actor, {
        action: 'identity.user.create',
        subject: { type: 'user', id: row.id },
        orgId,
        diff: { email: row.email, name: row.name, role: row.role, initialToken: token.id },
      });
      return { user: presentUser(row), token };
    },
    { replayOnUniqueViolation: true },
  );
}

export async function listUsers(ctx: ServiceContext, orgId: string, request: PageRequest): Promise<Page<User>> {
  await requireManageableOrg(ctx, ctx.db.kysely, orgId);
  const page = await store.listUsers(ctx.db.kysely, orgId, request);
  return { items: page.items.map(presentUser), nextCursor: page.nextCursor };
}

export interface Me {
  readonly user: User;
  readonly org: Org;
  readonly token: Token | null;
}

export async function getMe(ctx: ServiceContext): Promise<Me> {
  const actor = ownUser(ctx.actor);
  const [user, org, token] = await Promise.all([
    store.findUser(ctx.db.kysely, actor.userId),
    store.findOrg(ctx.db.kysely, actor.orgId),
    actor.tokenId === null ? undefined : store.findToken(ctx.db.kysely, actor.tokenId),
  ]);
  if (user === undefined || org === undefined) throw new AuthenticationError('the calling user no longer exists');
  return { user: presentUser(user), org: presentOrg(org), token: token === undefined ? null : presentToken(token) };
}
