import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role, UserActor } from '../../../platform/actor.js';
import { HOUR, type Clock } from '../../../platform/clock.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Database } from '../../../platform/db/index.js';
import { AuthenticationError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { sha256Hex } from '../../../platform/hash.js';
import { newId } from '../../../platform/ids.js';
import { canManageUsers } from '../domain/access-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { authenticateToken } from './tokens.js';
import { getMe, type Me } from './users.js';
import * as sessions from '../session-store.js';
import * as store from '../store.js';

/** How long a console session lasts from sign-in, whatever its use: a working day. */
export const SESSION_LIFETIME_MS = 12 * HOUR;
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** A session just started: the secret goes into the cookie, the CSRF token to the page. */
export interface StartedSession extends Me {
  readonly secret: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** A cookie's session, resolved. */
export interface ResolvedSession {
  readonly id: string;
  readonly actor: UserActor;
  readonly expiresAt: string;
}

/**
 * The CSRF token of a session: derived from its secret (so nothing more is stored), useless without the
 * cookie, and the secret cannot be recovered from it.
 */
export function csrfTokenOf(secret: string): string {
  return sha256Hex(`csrf\0${secret}`);
}

/** Whether a request's CSRF header matches its session, in constant time. */
export function csrfTokenMatches(secret: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(csrfTokenOf(secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function checkPassword(value: unknown, pointer: string): string {
  if (typeof value !== 'string' || value.length < PASSWORD_MIN_LENGTH || value.length > PASSWORD_MAX_LENGTH) {
    throw new InputError(`a password has ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`, [
      { pointer, detail: `must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters` },
    ]);
  }
  return value;
}

type SignInInput = { email?: unknown; password?: unknown; token?: unknown };

/** Who the credentials name: a token's user, or the user with that e-mail and password. */
async function credentialUser(ctx: ServiceContext, input: SignInInput): Promise<{ actor: UserActor; method: 'password' | 'token' }> {
  const hasToken = input.token !== undefined;
  const hasPassword = input.email !== undefined || input.password !== undefined;
  if (hasToken === hasPassword) {
    throw new InputError('sign in with a token, or with an e-mail and a password', [
      { pointer: hasToken ? '/token' : '/email', detail: 'give either token, or email and password' },
    ]);
  }
  if (hasToken) {
    if (typeof input.token !== 'string')
      throw new InputError('token must be a string', [{ pointer: '/token', detail: 'must be a string' }]);
    return { actor: await authenticateToken(ctx, input.token), method: 'token' };
  }
  if (typeof input.email !== 'string' || typeof input.password !== 'string') {
    throw new InputError('sign in with an e-mail and a password', [
      { pointer: typeof input.email === 'string' ? '/password' : '/email', detail: 'is required' },
    ]);
  }
  const row = await sessions.findPasswordLogin(ctx.db.kysely, input.email.trim().toLowerCase());
  const matches = await verifyPassword(row?.password_hash ?? undefined, input.password);
  if (row === undefined || !matches || row.disabled_at !== null) {
    throw new AuthenticationError('the e-mail or the password is wrong');
  }
  return {
    actor: { kind: 'user', userId: row.user_id, orgId: row.org_id, orgKind: row.org_kind, role: row.role as Role, tokenId: null },
    method: 'password',
  };
}

/**
 * Starts a console session for the user named by an API token or by an e-mail and password. Throws
 * AuthenticationError (one message whatever was wrong) and InputError. Audited as the user.
 */
export async function signIn(ctx: ServiceContext, input: SignInInput): Promise<StartedSession> {
  const { actor, method } = await credentialUser(ctx, input);
  const secret = `chs_${randomBytes(32).toString('base64url')}`;
  const now = ctx.clock.now();
  const row: sessions.SessionRow = {
    id: newId('ses'),
    secret_hash: sha256Hex(secret),
    user_id: actor.userId,
    method,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_LIFETIME_MS).toISOString(),
    ended_at: null,
  };
  await withTransaction(ctx.db, async (trx) => {
    await sessions.insertSession(trx, row);
    await ctx.audit.record(trx, actor, {
      action: 'identity.session.start',
      subject: { type: 'session', id: row.id },
      orgId: actor.orgId,
      diff: { method, expiresAt: row.expires_at },
    });
  });
  const me = await getMe({ ...ctx, actor });
  return { ...me, secret, csrfToken: csrfTokenOf(secret), expiresAt: row.expires_at };
}

/** The live session a cookie holds, or null (unknown, ended, expired, or its user disabled). */
export async function resolveSession(deps: { db: Database; clock: Clock }, secret: string): Promise<ResolvedSession | null> {
  const row = await sessions.findSession(deps.db, sha256Hex(secret));
  if (row === undefined || row.ended_at !== null || row.disabled_at !== null) return null;
  if (row.expires_at <= deps.clock.now().toISOString()) return null;
  return {
    id: row.id,
    expiresAt: row.expires_at,
    actor: { kind: 'user', userId: row.user_id, orgId: row.org_id, orgKind: row.org_kind, role: row.role as Role, tokenId: null },
  };
}

/** Ends the session (sign-out); an ended or unknown one stays as it is. Audited when it ended one. */
export async function signOut(ctx: ServiceContext, session: ResolvedSession): Promise<void> {
  await withTransaction(ctx.db, async (trx) => {
    if ((await sessions.endSession(trx, session.id, ctx.clock.now().toISOString())) === 0) return;
    await ctx.audit.record(trx, session.actor, {
      action: 'identity.session.end',
      subject: { type: 'session', id: session.id },
      orgId: session.actor.orgId,
      diff: {},
    });
  });
}

/**
 * Sets a user's password (hashed with Argon2id) and ends their sessions. An admin of the user's
 * organisation or a coordinator admin sets anyone's; users change their own by giving the current one.
 * A user the caller may not manage answers NotFoundError.
 */
export async function setPassword(
  ctx: ServiceContext,
  userId: string,
  input: { password?: unknown; currentPassword?: unknown },
): Promise<void> {
  const password = checkPassword(input.password, '/password');
  const user = await store.findUser(ctx.db.kysely, userId);
  const actor = ctx.actor;
  const manages = user !== undefined && (actor.kind === 'system' || canManageUsers(actor, user.org_id));
  const self = user !== undefined && actor.kind === 'user' && actor.userId === user.id;
  if (user === undefined || (!manages && !self)) throw new NotFoundError(`no user ${userId}`);
  if (!manages) {
    const current = await sessions.findPasswordLogin(ctx.db.kysely, user.email);
    const matches =
      typeof input.currentPassword === 'string' && (await verifyPassword(current?.password_hash ?? undefined, input.currentPassword));
    if (!matches) throw new NotAllowedError('the current password is wrong');
  }
  const hash = await hashPassword(password);
  await withTransaction(ctx.db, async (trx) => {
    const at = ctx.clock.now().toISOString();
    await sessions.upsertPassword(trx, { user_id: user.id, password_hash: hash, set_at: at });
    await sessions.endSessionsOf(trx, user.id, at);
    await ctx.audit.record(trx, actor, {
      action: 'identity.password.set',
      subject: { type: 'user', id: user.id },
      orgId: user.org_id,
      diff: { by: self ? 'self' : 'admin' },
    });
  });
}

/** The cookie that carries a console session's secret. */
export const SESSION_COOKIE = 'chx_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller a session cookie names, for a request with no bearer token: the session's user, through the
 * same access policy as a token's; anonymous when the session is unknown, ended or expired (the page then
 * offers to sign in again). A request that changes something must carry the session's CSRF token in
 * `X-CSRF-Token`, or it is refused (NotAllowedError) before anything runs.
 */
export async function authenticateSessionCookie(
  deps: { db: Database; clock: Clock },
  request: { readonly method: string; readonly cookie: string | undefined; readonly csrfHeader: string | undefined },
): Promise<UserActor | null> {
  if (request.cookie === undefined || request.cookie === '') return null;
  const session = await resolveSession(deps, request.cookie);
  if (session === null) return null;
  if (!SAFE_METHODS.has(request.method) && !csrfTokenMatches(request.cookie, request.csrfHeader)) {
    throw new NotAllowedError('a change made with a session cookie needs its CSRF token in the X-CSRF-Token header');
  }
  return session.actor;
}
