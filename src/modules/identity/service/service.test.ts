import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { AuthenticationError, ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { bootstrap } from './bootstrap.js';
import { createOrg, getOrg, listOrgs } from './orgs.js';
import { authenticateToken, bearerSecret, createToken, listTokens, revokeToken } from './tokens.js';
import { createUser, getMe, listUsers } from './users.js';

describeEachDatabase('identity service', (dialect) => {
  const get = useTestRuntime(dialect);

  it('bootstraps the coordinator once, printing a token that authenticates as its admin', async () => {
    const { system, runtime, coordinatorAdmin } = get();
    const again = await bootstrap(system, { adminToken: null });
    expect(again.created).toBe(false);
    expect(again.token).toBeNull();
    const actor = await authenticateToken(runtime, coordinatorAdmin.token);
    expect(actor).toMatchObject({ userId: coordinatorAdmin.userId, orgKind: 'coordinator', role: 'admin' });
  });

  it('registers CLEARINGHOUSE_ADMIN_TOKEN for the admin on a later start', async () => {
    const { system, runtime, coordinatorAdmin } = get();
    const envToken = 'operator-chosen-token-0123456789abcdef';
    await expect(authenticateToken(runtime, envToken)).rejects.toBeInstanceOf(AuthenticationError);
    await bootstrap(system, { adminToken: envToken });
    expect(await authenticateToken(runtime, envToken)).toMatchObject({ userId: coordinatorAdmin.userId });
  });

  it('creates organisations with normalized, validated fields', async () => {
    const { as, coordinatorAdmin } = get();
    const org = await createOrg(as(coordinatorAdmin), {
      name: '  Riverbend   Water Authority ',
      kind: 'operator',
      sectors: ['water', 'energy', 'water'],
    });
    expect(org).toMatchObject({ name: 'Riverbend Water Authority', kind: 'operator', sectors: ['energy', 'water'] });
    expect(org.id).toMatch(/^org_/);
    await expect(createOrg(as(coordinatorAdmin), { name: 'riverbend water authority', kind: 'operator' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('names every bad field of a new organisation', async () => {
    const { as, coordinatorAdmin } = get();
    const error = await createOrg(as(coordinatorAdmin), { name: '', kind: 'bank', sectors: ['water', 'moon'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((i) => i.pointer)).toEqual(['/name', '/kind', '/sectors/1']);
  });

  it('lets only coordinator admins create organisations', async () => {
    const { as, org, user, coordinatorAdmin } = get();
    const vendorAdmin = await org('vendor');
    await expect(createOrg(as(vendorAdmin), { name: 'Sneaky', kind: 'coordinator' })).rejects.toBeInstanceOf(NotAllowedError);
    const coordinatorAnalyst = await user(coordinatorAdmin.orgId, 'analyst');
    await expect(createOrg(as(coordinatorAnalyst), { name: 'Sneaky', kind: 'vendor' })).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('lists all organisations to the coordinator and only its own to others, page by page', async () => {
    const { as, org, coordinatorAdmin } = get();
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await org('operator'));
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await listOrgs(as(coordinatorAdmin), { limit: 3, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all.map((o) => o.id)).toEqual(expect.arrayContaining(created.map((c) => c.orgId)));
    expect(all).toHaveLength(8);
    const own = await listOrgs(as(created[0]!), {});
    expect(own.items.map((o) => o.id)).toEqual([created[0]!.orgId]);
    await expect(getOrg(as(created[0]!), created[1]!.orgId)).rejects.toBeInstanceOf(NotFoundError);
    const operators = await listOrgs(as(coordinatorAdmin), { kind: 'operator' });
    expect(operators.items).toHaveLength(7);
  });

  it('adds users with a first token, admins of the org only', async () => {
    const { as, org, user, runtime } = get();
    const vendor = await org('vendor');
    const created = await createUser(as(vendor), vendor.orgId, { email: 'Maintainer@Example.org', name: 'Maintainer', role: 'analyst' });
    expect(created.user).toMatchObject({ email: 'maintainer@example.org', role: 'analyst', orgId: vendor.orgId });
    expect(await authenticateToken(runtime, created.token.token)).toMatchObject({ userId: created.user.id, role: 'analyst' });
    await expect(createUser(as(vendor), vendor.orgId, { email: 'maintainer@example.org', name: 'Again' })).rejects.toBeInstanceOf(
      ConflictError,
    );

    const analyst = await user(vendor.orgId, 'analyst');
    await expect(createUser(as(analyst), vendor.orgId, { email: 'x@example.org', name: 'X' })).rejects.toBeInstanceOf(NotAllowedError);
    const otherAdmin = await org('vendor');
    await expect(createUser(as(otherAdmin), vendor.orgId, { email: 'y@example.org', name: 'Y' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(listUsers(as(otherAdmin), vendor.orgId, {})).rejects.toBeInstanceOf(NotFoundError);
    expect((await listUsers(as(vendor), vendor.orgId, {})).items.map((u) => u.email)).toContain('maintainer@example.org');
  });

  it('issues 256-bit tokens, stores only their hash, and shows the secret once', async () => {
    const { as, org, runtime } = get();
    const operator = await org('operator');
    const token = await createToken(as(operator), { name: 'scanner', expiresInDays: 7 });
    expect(token.token).toMatch(/^chx_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.token.slice(4), 'base64url')).toHaveLength(32);
    const stored = await runtime.db.kysely.selectFrom('identity_token').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token.token);
    const listed = await listTokens(as(operator), {});
    expect(JSON.stringify(listed)).not.toContain(token.token);
    expect(listed.items.map((t) => t.id)).toContain(token.id);
  });

  it('refuses expired and revoked tokens, and records last use', async () => {
    const { as, org, runtime, clock } = get();
    const operator = await org('operator');
    const token = await createToken(as(operator), { expiresInDays: 1 });
    await authenticateToken(runtime, token.token);
    const used = (await listTokens(as(operator), {})).items.find((t) => t.id === token.id);
    expect(used?.lastUsedAt).toBe(clock.now().toISOString());
    clock.advance(DAY);
    await expect(authenticateToken(runtime, token.token)).rejects.toBeInstanceOf(AuthenticationError);

    const other = await createToken(as(operator), {});
    await revokeToken(as(operator), other.id);
    await expect(authenticateToken(runtime, other.token)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(authenticateToken(runtime, 'chx_never-issued')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("answers not found for someone else's token and leaves it working", async () => {
    const { as, org, runtime } = get();
    const a = await org('operator');
    const b = await org('operator');
    const bToken = await createToken(as(b), {});
    await expect(revokeToken(as(a), bToken.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await authenticateToken(runtime, bToken.token)).toMatchObject({ userId: b.userId });
  });

  it('describes the caller', async () => {
    const { as, org, runtime } = get();
    const agency = await org('agency', { sectors: ['government_facilities'] });
    const actor = await authenticateToken(runtime, agency.token);
    const me = await getMe(as(actor));
    expect(me.org).toMatchObject({ id: agency.orgId, kind: 'agency', sectors: ['government_facilities'] });
    expect(me.token?.id).toBe(actor.tokenId);
  });
});

it('parses bearer headers strictly', () => {
  expect(bearerSecret(undefined)).toBeNull();
  expect(bearerSecret('Bearer chx_abc')).toBe('chx_abc');
  expect(bearerSecret('bearer chx_abc ')).toBe('chx_abc');
  expect(() => bearerSecret('Basic dXNlcjpwYXNz')).toThrow(AuthenticationError);
  expect(() => bearerSecret('Bearer')).toThrow(AuthenticationError);
});
