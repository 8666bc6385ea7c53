import { Type } from '@sinclair/typebox';
import {
  IdParamSchema,
  InstantSchema,
  Nullable,
  StringEnum,
  checkCredentials,
  problemResponses,
  readCookie,
  routeKit,
  setCredentialCookie,
  type HttpApp,
  type RouteDeps,
} from '../../platform/http/index.js';
import { OrgSchema, UserSchema } from './schemas.js';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  SESSION_COOKIE,
  SESSION_LIFETIME_MS,
  csrfTokenOf,
  resolveSession,
  setPassword,
  signIn,
  signOut,
} from './service/sessions.js';
import { getMe } from './service/users.js';

const { auth, spec } = routeKit('identity');

const SignInBody = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254, description: 'with password' })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH })),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'an API token, instead of email and password' })),
  },
  { additionalProperties: false },
);

const SessionSchema = Type.Object({
  user: UserSchema,
  org: OrgSchema,
  method: StringEnum(['session', 'token'] as const, { description: 'a console session (cookie) or a bearer token' }),
  csrfToken: Nullable(Type.String({ description: 'send as X-CSRF-Token with every change made with the session cookie' })),
  expiresAt: Nullable(InstantSchema),
});

const PasswordBody = Type.Object(
  {
    password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, description: 'when you change your own' })),
  },
  { additionalProperties: false },
);

const lifetimeSeconds = SESSION_LIFETIME_MS / 1000;

/** Console sessions (sign-in with a token or a password, sign-out) and passwords. */
export function sessionRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/session',
    {
      schema: spec(
        'Sign in to the console with an API token or an e-mail and password: sets a Secure, HttpOnly, SameSite=Strict session cookie (12 hours) and answers its CSRF token. Failed attempts count against the address like failed tokens',
        { security: [], body: SignInBody, response: { 201: SessionSchema, ...problemResponses() } },
      ),
    },
    async (request, reply) => {
      const ctx = deps.contextFor(request);
      const started = await checkCredentials(request, () => signIn(ctx, request.body));
      setCredentialCookie(reply, SESSION_COOKIE, started.secret, lifetimeSeconds);
      const { user, org, csrfToken, expiresAt } = started;
      return reply.status(201).send({ user, org, method: 'session' as const, csrfToken, expiresAt });
    },
  );

  app.get(
    '/api/v1/session',
    {
      ...auth,
      schema: spec('How you are signed in: your console session and its CSRF token, or the bearer token in use', {
        response: { 200: SessionSchema, ...problemResponses() },
      }),
    },
    async (request) => {
      const ctx = deps.contextFor(request);
      const me = await getMe(ctx);
      if (me.token !== null)
        return { user: me.user, org: me.org, method: 'token' as const, csrfToken: null, expiresAt: me.token.expiresAt };
      const secret = readCookie(request, SESSION_COOKIE) ?? '';
      const session = await resolveSession(ctx, secret);
      return {
        user: me.user,
        org: me.org,
        method: 'session' as const,
        csrfToken: csrfTokenOf(secret),
        expiresAt: session?.expiresAt ?? null,
      };
    },
  );

  app.delete(
    '/api/v1/session',
    {
      schema: spec('Sign out: ends the session of the cookie (a change: it needs the CSRF token) and removes the cookie', {
        security: [],
        response: { 204: Type.Null(), ...problemResponses() },
      }),
    },
    async (request, reply) => {
      const ctx = deps.contextFor(request);
      const secret = readCookie(request, SESSION_COOKIE);
      const session = secret === undefined || request.headers.authorization !== undefined ? null : await resolveSession(ctx, secret);
      if (session !== null) await signOut(ctx, session);
      setCredentialCookie(reply, SESSION_COOKIE, '', 0);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/users/:id/password',
    {
      ...auth,
      schema: spec(
        "Set a user's password (Argon2id): admins of the user's organisation and coordinator admins; users their own, with the current one. Ends the user's sessions",
        { params: IdParamSchema, body: PasswordBody, response: { 204: Type.Null(), ...problemResponses(403, 404) } },
      ),
    },
    async (request, reply) => {
      await setPassword(deps.contextFor(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
}
