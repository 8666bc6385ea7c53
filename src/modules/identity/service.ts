import { randomBytes } from 'node:crypto';
import type { Actor, Role, UserActor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { DAY, MINUTE } from '../../platform/clock.js';
import type { ServiceContext } from '../../platform/context.js';
import { serializeOn, withTransaction, type Database, type Executor, type Page, type PageRequest } from '../../platform/db/index.js';
import { AuthenticationError, ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { sha256Hex } from '../../platform/hash.js';
import { newId } from '../../platform/ids.js';
import { canCreateOrg, canManageUsers, canSeeOrg, isCoordinator, type Recipient } from './domain/access-policy.js';
import { orgNameKey, parseNewOrg, parseNewToken, parseNewUser } from './domain/inputs.js';
import { isOrgKind } from './domain/org.js';
import { presentOrg, presentToken, presentUser, type NewToken, type Org, type Token, type User } from './presenters.js';
import * as store from './store.js';

/** Token secrets: `chx_` and 256 random bits in base64url. */
export function generateTokenSecret(): string {
  return `chx_${randomBytes(32).toString('base64url')}`;
}

export function hashTokenSecret(secret: string): string {
  return sha256Hex(secret);
}

function hintOf(secret: string): string {
  return `${secret.slice(0, 8)}…`;
}

async function issueToken(
  trx: Executor,
  clock: Clock,
  userId: string,
  name: string,
  secret: string,
  expiresAt: Date | null,
): Promise<NewToken> {
  const row: store.TokenRow = {
    id: newId('tok'),
    user_id: userId,
    name,
    token_hash: hashTokenSecret(secret),
    hint: hintOf(secret),
    created_at: clock.now().toISOString(),
    expires_at: expiresAt?.toISOString() ?? null,
    last_used_at: null,
    revoked_at: null,
  };
  await store.insertToken(trx, row);
  return { ...presentToken(row), token: secret };
}

/** Creates an organisation. Coordinator admins only. Throws ConflictError when the name is taken. */
export async function createOrg(ctx: ServiceContext, input: { name?: unknown; kind?: unknown; sectors?: unknown }): Promise<Org> {
  if (!canCreateOrg(ctx.actor)) throw new NotAllowedError('only coordinator admins create organisations');
  const org = parseNewOrg(input);
  return withTransaction(
    ctx.db,
    async (trx) => {
      const key = orgNameKey(org.name);
      if (await store.findOrgByNameKey(trx, key))
        throw new ConflictError(`an organisation named "${org.name}" exists already`, { code: 'org-name-taken' });
      const row: store.OrgRow = {
        id: newId('org'),
        name: org.name,
        name_key: key,
        kind: org.kind,
        sectors: JSON.stringify(org.sectors),
        created_at: ctx.clock.now().toISOString(),
      };
      await store.insertOrg(trx, row);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'identity.org.create',
        subject: { type: 'org', id: row.id },
        orgId: row.id,
        diff: { name: org.name, kind: org.kind, sectors: org.sectors },
      });
      return presentOrg(row);
    },
    { replayOnUniqueViolation: true },
  );
}

/** Organisations the actor may see: all of them for the coordinator, its own for everyone else. */
export async function listOrgs(ctx: ServiceContext, request: PageRequest & { kind?: string | undefined }): Promise<Page<Org>> {
  if (request.kind !== undefined && !isOrgKind(request.kind)) {
    throw new InputError(`unknown organisation kind "${request.kind}"`, [{ pointer: '/kind', detail: 'must be an organisation kind' }]);
  }
  const actor = ctx.actor;
  let onlyId: string | undefined;
  if (!isCoordinator(actor)) {
    if (actor.kind !== 'user') return { items: [], nextCursor: null };
    onlyId = actor.orgId;
  }
  const page = await store.listOrgs(ctx.db.kysely, { onlyId, kind: request.kind }, request);
  return { items: page.items.map(presentOrg), nextCursor: page.nextCursor };
}

/** One organisation; NotFoundError when it does not exist or the actor may not see it. */
export async function getOrg(ctx: ServiceContext, id: string): Promise<Org> {
  const row = canSeeOrg(ctx.actor, id) ? await store.findOrg(ctx.db.kysely, id) : undefined;
  if (row === undefined) throw new NotFoundError(`no organisation ${id}`);
  return presentOrg(row);
}

/**
 * The names of these organisations, by id, for lists that show names next to ids — only of those the actor
 * may see (coordinators: every one; others: their own). One query for any number of ids.
 */
export async function orgNames(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, string>> {
  const seen = [...new Set(ids)].filter((id) => canSeeOrg(ctx.actor, id));
  return new Map((await store.findOrgNames(ctx.db.kysely, seen)).map((o) => [o.id, o.name]));
}

async function requireManageableOrg(ctx: ServiceContext, executor: Executor, orgId: string): Promise<store.OrgRow> {
  const org = canSeeOrg(ctx.actor, orgId) ? await store.findOrg(executor, orgId) : undefined;
  if (org === undefined) throw new NotFoundError(`no organisation ${orgId}`);
  if (!canManageUsers(ctx.actor, orgId)) throw new NotAllowedError(`only admins of ${org.name} manage its users`);
  return org;
}

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

function ownUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw new AuthenticationError('this needs a signed-in user');
  return actor;
}

/**
 * Creates an API token for the calling user (default lifetime 90 days). The system actor (local CLI) may
 * name another user with `userId`.
 */
export async function createToken(
  ctx: ServiceContext,
  input: { name?: unknown; expiresInDays?: unknown; userId?: string },
): Promise<NewToken> {
  const parsed = parseNewToken(input);
  let userId: string;
  if (input.userId !== undefined && ctx.actor.kind === 'system') {
    userId = input.userId;
  } else {
    userId = ownUser(ctx.actor).userId;
  }
  return withTransaction(ctx.db, async (trx) => {
    const user = await store.findUser(trx, userId);
    if (user === undefined) throw new NotFoundError(`no user ${userId}`);
    const now = ctx.clock.now();
    const token = await issueToken(
      trx,
      ctx.clock,
      userId,
      parsed.name,
      generateTokenSecret(),
      new Date(now.getTime() + parsed.expiresInDays * DAY),
    );
    await ctx.audit.record(trx, ctx.actor, {
      action: 'identity.token.create',
      subject: { type: 'token', id: token.id },
      orgId: user.org_id,
      diff: { userId, name: token.name, expiresAt: token.expiresAt },
    });
    return token;
  });
}

/** The calling user's own tokens, newest first. */
export async function listTokens(ctx: ServiceContext, request: PageRequest): Promise<Page<Token>> {
  const actor = ownUser(ctx.actor);
  const page = await store.listTokens(ctx.db.kysely, actor.userId, request);
  return { items: page.items.map(presentToken), nextCursor: page.nextCursor };
}

/**
 * Revokes one of the caller's own tokens (the system actor may revoke any). Revoking twice is harmless.
 * Someone else's token answers NotFoundError, as if it did not exist.
 */
export async function revokeToken(ctx: ServiceContext, tokenId: string): Promise<Token> {
  return withTransaction(ctx.db, async (trx) => {
    const row = await store.findToken(trx, tokenId);
    const mine = row !== undefined && (ctx.actor.kind === 'system' || (ctx.actor.kind === 'user' && ctx.actor.userId === row.user_id));
    if (row === undefined || !mine) throw new NotFoundError(`no token ${tokenId}`);
    if (row.revoked_at !== null) return presentToken(row);
    const at = ctx.clock.now().toISOString();
    await store.revokeToken(trx, tokenId, at);
    const user = await store.findUser(trx, row.user_id);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'identity.token.revoke',
      subject: { type: 'token', id: tokenId },
      orgId: user?.org_id ?? null,
      diff: { revokedAt: at },
    });
    return presentToken({ ...row, revoked_at: at });
  });
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

// How stale last_used_at may get: writing it on every request would turn every read into a write.
const TOUCH_INTERVAL_MS = MINUTE;

/**
 * Resolves a bearer token to its user. Throws AuthenticationError for an unknown, expired or revoked
 * token or a disabled user — with one message for all, so that the answer does not say which.
 */
export async function authenticateToken(deps: { db: Database; clock: Clock }, secret: string): Promise<UserActor> {
  const row = await store.findCredential(deps.db, hashTokenSecret(secret));
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  if (row === undefined || row.revoked_at !== null || row.disabled_at !== null || (row.expires_at !== null && row.expires_at <= nowIso)) {
    throw new AuthenticationError('the bearer token is unknown, expired or revoked');
  }
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= TOUCH_INTERVAL_MS) {
    await store.touchToken(deps.db.kysely, row.token_id, nowIso);
  }
  return { kind: 'user', userId: row.user_id, orgId: row.org_id, orgKind: row.org_kind, role: row.role as Role, tokenId: row.token_id };
}

/** Parses `Authorization: Bearer <token>`; absent header → null (anonymous). */
export function bearerSecret(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
  return match[1];
}

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

/** Input for {@link setRecipients}: name organisations, users, or the organisations a recipient serves. */
export interface RecipientInput {
  readonly orgIds?: readonly string[];
  readonly userIds?: readonly string[];
  /** Reached only at TLP:AMBER: organisations the recipients serve (their customers, their sector). */
  readonly servedOrgIds?: readonly string[];
}

/**
 * Replaces who a record is shared with, inside the caller's transaction. A named user is stored with their
 * organisation, which AMBER and AMBER+STRICT then reach too (TLP's "organisation" scope); RED reaches the
 * user alone. Throws InputError naming any unknown org or user.
 */
export async function setRecipients(trx: Executor, recordId: string, input: RecipientInput): Promise<Recipient[]> {
  const rows: Recipient[] = [];
  const issues: { pointer: string; detail: string }[] = [];
  for (const [i, orgId] of (input.orgIds ?? []).entries()) {
    if ((await store.findOrg(trx, orgId)) === undefined)
      issues.push({ pointer: `/recipients/orgIds/${i}`, detail: `no organisation ${orgId}` });
    else rows.push({ orgId, userId: null, scope: 'recipient' });
  }
  for (const [i, userId] of (input.userIds ?? []).entries()) {
    const user = await store.findUser(trx, userId);
    if (user === undefined) issues.push({ pointer: `/recipients/userIds/${i}`, detail: `no user ${userId}` });
    else rows.push({ orgId: user.org_id, userId, scope: 'recipient' });
  }
  for (const [i, orgId] of (input.servedOrgIds ?? []).entries()) {
    if ((await store.findOrg(trx, orgId)) === undefined)
      issues.push({ pointer: `/recipients/servedOrgIds/${i}`, detail: `no organisation ${orgId}` });
    else rows.push({ orgId, userId: null, scope: 'served' });
  }
  if (issues.length > 0) throw new InputError('unknown recipients', issues);
  await store.replaceRecipients(
    trx,
    recordId,
    rows.map((r) => ({ org_id: r.orgId, user_id: r.userId, scope: r.scope })),
  );
  return rows;
}

/** The recipients of each record, for `can()` checks on single records. */
export async function recipientsByRecord(executor: Executor, recordIds: readonly string[]): Promise<Map<string, Recipient[]>> {
  const out = new Map<string, Recipient[]>();
  for (const row of await store.recipientsOf(executor, recordIds)) {
    const list = out.get(row.record_id) ?? [];
    list.push({ orgId: row.org_id, userId: row.user_id, scope: row.scope as Recipient['scope'] });
    out.set(row.record_id, list);
  }
  return out;
}
