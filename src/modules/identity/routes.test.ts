import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';

/**
 * Cross-party isolation through every identity route: no organisation reads or changes another's users
 * or tokens, and what it may not see answers 404, never 403.
 */
describeEachDatabase('identity routes: cross-party isolation', (dialect) => {
  const get = useTestServer(dialect);

  it('keeps each organisation to itself on every route', async () => {
    const { call, org, coordinatorAdmin } = get();
    const lab = await org('model_developer');
    const vendor = await org('vendor');

    const labToken = (await call(lab, 'POST', '/api/v1/tokens', { name: 'scanner' })).body as { id: string; token: string };
    expect(labToken.token).toMatch(/^chx_/);

    // Organisations: only one's own.
    const orgs = (await call(vendor, 'GET', '/api/v1/orgs')).body as { items: { id: string }[] };
    expect(orgs.items.map((o) => o.id)).toEqual([vendor.orgId]);
    expect((await call(vendor, 'GET', `/api/v1/orgs/${lab.orgId}`)).status).toBe(404);
    expect((await call(vendor, 'GET', `/api/v1/orgs/${vendor.orgId}`)).status).toBe(200);

    // Users: another org's list and creation answer 404, and nothing is created.
    expect((await call(vendor, 'GET', `/api/v1/orgs/${lab.orgId}/users`)).status).toBe(404);
    const sneak = await call(vendor, 'POST', `/api/v1/orgs/${lab.orgId}/users`, {
      email: 'mole@vendor.example',
      name: 'Mole',
      role: 'admin',
    });
    expect(sneak.status).toBe(404);
    const labUsers = (await call(lab, 'GET', `/api/v1/orgs/${lab.orgId}/users`)).body as { items: { email: string }[] };
    expect(labUsers.items.map((u) => u.email)).not.toContain('mole@vendor.example');

    // Tokens: lists are one's own; another's token cannot be revoked and keeps working.
    const vendorTokens = (await call(vendor, 'GET', '/api/v1/tokens')).body as { items: { id: string }[] };
    expect(vendorTokens.items.map((t) => t.id)).not.toContain(labToken.id);
    expect((await call(vendor, 'DELETE', `/api/v1/tokens/${labToken.id}`)).status).toBe(404);
    expect((await call(labToken.token, 'GET', '/api/v1/me')).status).toBe(200);

    // /me is the caller.
    const me = (await call(vendor, 'GET', '/api/v1/me')).body as { org: { id: string } };
    expect(me.org.id).toBe(vendor.orgId);

    // The coordinator admin sees both.
    const all = (await call(coordinatorAdmin, 'GET', '/api/v1/orgs')).body as { items: { id: string }[] };
    expect(all.items.map((o) => o.id)).toEqual(expect.arrayContaining([lab.orgId, vendor.orgId]));
  });

  it('lets a user revoke their own token over the API, after which it is refused', async () => {
    const { call, org } = get();
    const operator = await org('operator');
    const created = (await call(operator, 'POST', '/api/v1/tokens', { expiresInDays: 30 })).body as { id: string; token: string };
    const revoked = await call(operator, 'DELETE', `/api/v1/tokens/${created.id}`);
    expect(revoked.status).toBe(200);
    expect((revoked.body as { revokedAt: string | null }).revokedAt).not.toBeNull();
    const refused = await call(created.token, 'GET', '/api/v1/me');
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses anonymous and non-admin callers with the right status', async () => {
    const { call, org, user } = get();
    const vendor = await org('vendor');
    const viewer = await user(vendor.orgId, 'viewer');
    expect((await call(null, 'GET', '/api/v1/orgs')).status).toBe(401);
    expect((await call('chx_not-a-real-token', 'GET', '/api/v1/orgs')).status).toBe(401);
    expect((await call(vendor, 'POST', '/api/v1/orgs', { name: 'Another', kind: 'vendor' })).status).toBe(403);
    expect((await call(viewer, 'GET', `/api/v1/orgs/${vendor.orgId}/users`)).status).toBe(403);
  });

  it('creates organisations and users through the API as a coordinator admin', async () => {
    const { call, coordinatorAdmin } = get();
    const created = await call(coordinatorAdmin, 'POST', '/api/v1/orgs', {
      name: 'Port of Easthaven',
      kind: 'operator',
      sectors: ['transportation'],
    });
    expect(created.status).toBe(201);
    const org = created.body as { id: string };
    const user = await call(coordinatorAdmin, 'POST', `/api/v1/orgs/${org.id}/users`, {
      email: 'cyber@easthaven.example',
      name: 'Cyber lead',
      role: 'admin',
    });
    expect(user.status).toBe(201);
    const newToken = (user.body as { token: { token: string } }).token.token;
    expect(((await call(newToken, 'GET', '/api/v1/me')).body as { org: { id: string } }).org.id).toBe(org.id);
    const duplicate = await call(coordinatorAdmin, 'POST', '/api/v1/orgs', { name: 'port of easthaven', kind: 'operator' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.problem.code).toBe('org-name-taken');
  });
});
