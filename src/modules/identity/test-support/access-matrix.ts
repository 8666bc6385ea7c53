import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import {
  CAST_KINDS,
  adminsOf,
  anyOf,
  coordinatorMembers,
  coordinatorStaff,
  membersOf,
  users,
} from '../../../../test/access-matrix/world.js';
import { setPassword } from '../service/sessions.js';
import { createToken } from '../service/tokens.js';
import { createUser } from '../service/users.js';

let serial = 0;
const unique = () => `${process.pid}-${++serial}-${Math.random().toString(36).slice(2, 8)}`;

/** Who may see an organisation: its members and the coordinator. */
const orgAudience = (orgId: string) => anyOf(membersOf(orgId), coordinatorMembers);

export const identityMatrix: ModuleMatrix = {
  module: 'identity',
  async seed(w) {
    // One more user per organisation, whose e-mail only that org's admins and the coordinator's staff read.
    for (const kind of CAST_KINDS) {
      const orgId = w.orgs[kind].orgId;
      const email = `${w.canary(`${kind} user e-mail`, anyOf(adminsOf(orgId), coordinatorStaff))}@matrix.example`;
      await createUser(w.t.system, orgId, { email, name: `Member of ${kind}`, role: 'analyst' });
    }
  },
  fixtures: [
    { route: 'GET /api/v1/me', cases: () => [{ label: 'me' }] },
    { route: 'GET /api/v1/orgs', cases: () => [{ label: 'all' }, { label: 'vendors', query: { kind: 'vendor' } }] },
    {
      route: 'GET /api/v1/orgs/{id}',
      cases: (w) =>
        CAST_KINDS.map((k) => ({
          label: `${k} org`,
          params: { id: w.orgs[k].orgId },
          subject: { label: `${k} org`, audience: orgAudience(w.orgs[k].orgId) },
        })),
    },
    {
      route: 'GET /api/v1/orgs/{id}/users',
      cases: (w) =>
        CAST_KINDS.map((k) => ({
          label: `${k} users`,
          params: { id: w.orgs[k].orgId },
          subject: { label: `${k} org`, audience: orgAudience(w.orgs[k].orgId) },
        })),
    },
    {
      route: 'POST /api/v1/orgs',
      cases: () => [async (): Promise<Call> => ({ label: 'a new vendor', body: { name: `Matrix vendor ${unique()}`, kind: 'vendor' } })],
    },
    {
      route: 'POST /api/v1/orgs/{id}/users',
      cases: (w) =>
        (['vendor', 'coordinator'] as const).map((k) => async (): Promise<Call> => ({
          label: `a new ${k} user`,
          params: { id: w.orgs[k].orgId },
          body: { email: `new-${unique()}@matrix.example`, name: 'New member', role: 'viewer' },
          subject: { label: `${k} org`, audience: orgAudience(w.orgs[k].orgId) },
        })),
    },
    { route: 'GET /api/v1/tokens', cases: () => [{ label: 'mine' }] },
    { route: 'POST /api/v1/tokens', selfService: true, cases: () => [{ label: 'a token', body: { name: 'matrix', expiresInDays: 1 } }] },
    {
      route: 'DELETE /api/v1/tokens/{id}',
      selfService: true,
      cases: (w) =>
        (['vendor.analyst', 'coordinator.viewer'] as const).map((key) => async (): Promise<Call> => {
          const owner = w.member(key);
          const token = await createToken(w.t.system, { userId: owner.userId!, name: 'to revoke', expiresInDays: 1 });
          return { label: `${key}'s token`, params: { id: token.id }, subject: { label: `${key}'s token`, audience: users(owner.userId) } };
        }),
    },
    // The caller's own session (a bearer caller is told it signs in with its token).
    { route: 'GET /api/v1/session', cases: () => [{ label: 'how I am signed in' }] },
    {
      route: 'POST /api/v1/session',
      selfService: true,
      cases: (w) => [
        async (): Promise<Call> => {
          const email = `signin-${unique()}@matrix.example`;
          const created = await createUser(w.t.system, w.orgs.vendor.orgId, { email, name: 'Signs in', role: 'viewer' });
          await setPassword(w.t.system, created.user.id, { password: 'matrix password 0123' });
          return { label: 'a password sign-in', body: { email, password: 'matrix password 0123' } };
        },
      ],
    },
    { route: 'DELETE /api/v1/session', selfService: true, cases: () => [{ label: 'sign out' }] },
    {
      route: 'PUT /api/v1/users/{id}/password',
      cases: (w) =>
        (['vendor', 'coordinator'] as const).map((k) => async (): Promise<Call> => {
          const created = await createUser(w.t.system, w.orgs[k].orgId, {
            email: `pw-${unique()}@matrix.example`,
            name: 'Gets a password',
          });
          return {
            label: `a ${k} member's password`,
            params: { id: created.user.id },
            body: { password: `set by an admin ${unique()}` },
            subject: {
              label: `a ${k} member`,
              audience: anyOf(adminsOf(w.orgs[k].orgId), (m) => m.kind === 'coordinator' && m.role === 'admin'),
            },
          };
        }),
    },
  ],
};
