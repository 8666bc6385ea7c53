import { Type } from '@sinclair/typebox';
import {
  Nullable,
  IdParamSchema,
  PageQuerySchema,
  pageOf,
  problemResponses,
  type HttpApp,
  type RouteDeps,
  routeKit,
} from '../../platform/http/index.js';
import { NewTokenSchema, OrgKindSchema, OrgSchema, RoleSchema, SectorSchema, TokenSchema, UserSchema } from './schemas.js';
import { sessionRoutes } from './session-routes.js';
import { MAX_TOKEN_DAYS } from './domain/inputs.js';
import { createOrg, getOrg, listOrgs } from './service/orgs.js';
import { createToken, listTokens, revokeToken } from './service/tokens.js';
import { createUser, getMe, listUsers } from './service/users.js';

const { auth, spec } = routeKit('identity');

const NewOrgBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: OrgKindSchema,
    sectors: Type.Optional(Type.Array(SectorSchema, { maxItems: 16, description: 'U.S. critical-infrastructure sectors it works in' })),
  },
  { additionalProperties: false },
);

const NewUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Optional(RoleSchema),
  },
  { additionalProperties: false },
);

const NewTokenBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS, default: 90 })),
  },
  { additionalProperties: false },
);

/** Organisations, users, tokens and `/me`. */
export function identityRoutes(app: HttpApp, deps: RouteDeps): void {
  app.get(
    '/api/v1/me',
    {
      ...auth,
      schema: spec('The calling user, their organisation and the token in use', {
        response: { 200: Type.Object({ user: UserSchema, org: OrgSchema, token: Nullable(TokenSchema) }), ...problemResponses() },
      }),
    },
    (request) => getMe(deps.contextFor(request)),
  );

  app.get(
    '/api/v1/orgs',
    {
      ...auth,
      schema: spec('Organisations: all for the coordinator, your own for everyone else', {
        querystring: Type.Composite([PageQuerySchema, Type.Object({ kind: Type.Optional(OrgKindSchema) })]),
        response: { 200: pageOf(OrgSchema), ...problemResponses() },
      }),
    },
    (request) => listOrgs(deps.contextFor(request), request.query),
  );

  app.post(
    '/api/v1/orgs',
    {
      ...auth,
      schema: spec('Register an organisation (coordinator admins)', {
        body: NewOrgBody,
        response: { 201: OrgSchema, ...problemResponses(403, 409) },
      }),
    },
    async (request, reply) => reply.status(201).send(await createOrg(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/orgs/:id',
    {
      ...auth,
      schema: spec('One organisation', {
        params: IdParamSchema,
        response: { 200: OrgSchema, ...problemResponses(404) },
      }),
    },
    (request) => getOrg(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/orgs/:id/users',
    {
      ...auth,
      schema: spec("An organisation's users (its admins, coordinator admins)", {
        params: IdParamSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(UserSchema), ...problemResponses(403, 404) },
      }),
    },
    (request) => listUsers(deps.contextFor(request), request.params.id, request.query),
  );

  app.post(
    '/api/v1/orgs/:id/users',
    {
      ...auth,
      schema: spec('Add a user; answers with their first API token, shown once', {
        params: IdParamSchema,
        body: NewUserBody,
        response: { 201: Type.Object({ user: UserSchema, token: NewTokenSchema }), ...problemResponses(403, 404, 409) },
      }),
    },
    async (request, reply) => reply.status(201).send(await createUser(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/tokens',
    {
      ...auth,
      schema: spec('Your API tokens, newest first (never their secrets)', {
        querystring: PageQuerySchema,
        response: { 200: pageOf(TokenSchema), ...problemResponses() },
      }),
    },
    (request) => listTokens(deps.contextFor(request), request.query),
  );

  app.post(
    '/api/v1/tokens',
    {
      ...auth,
      schema: spec('Create an API token for yourself; the secret is shown once', {
        body: NewTokenBody,
        response: { 201: NewTokenSchema, ...problemResponses() },
      }),
    },
    async (request, reply) => reply.status(201).send(await createToken(deps.contextFor(request), request.body)),
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      ...auth,
      schema: spec('Revoke one of your tokens', {
        params: IdParamSchema,
        response: { 200: TokenSchema, ...problemResponses(404) },
      }),
    },
    (request) => revokeToken(deps.contextFor(request), request.params.id),
  );

  sessionRoutes(app, deps);
}
