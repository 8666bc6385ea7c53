import { randomBytes } from 'node:crypto';
import type { Actor, Role, UserActor } from '../../../platform/actor.js';
import { DAY, MINUTE, type Clock } from '../../../platform/clock.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Database, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { AuthenticationError, NotFoundError } from '../../../platform/errors.js';
import { sha256Hex } from '../../../platform/hash.js';
import { newId } from '../../../platform/ids.js';
import { parseNewToken } from '../domain/inputs.js';
import { presentToken, type NewToken, type Token } from '../presenters.js';
import * as store from '../store.js';

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

/** Stores a token for `userId` and answers it with its secret, the only time the secret is shown. */
export async function issueToken(
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

/** The calling user; AuthenticationError for anyone else (anonymous, the system). */
export function ownUser(actor: Actor): UserActor {
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
