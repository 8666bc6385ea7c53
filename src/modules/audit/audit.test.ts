import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { createOrg, createToken, createUser, revokeToken } from '../identity/index.js';
import { GENESIS_HASH, hashAuditEvent } from './domain/chain.js';
import { verifyAuditChain } from './service.js';
import { auditEvents } from '#test-support/audit.js';
import { eventsAfter, toEvent } from './store.js';

describeEachDatabase('audit chain', (dialect) => {
  const get = useTestRuntime(dialect);

  async function someHistory() {
    const { as, coordinatorAdmin } = get();
    const ctx = as(coordinatorAdmin);
    const org = await createOrg(ctx, { name: 'Openwire Foundation', kind: 'vendor' });
    const { user } = await createUser(ctx, org.id, { email: 'maint@openwire.example', name: 'Maintainer', role: 'admin' });
    const token = await createToken(get().system, { userId: user.id, name: 'ci' });
    await revokeToken(get().system, token.id);
    return { org, user, token };
  }

  it('records every mutation, in order, linked from the genesis hash', async () => {
    const { org, user, token } = await someHistory();
    const { items } = await auditEvents(get().system, { limit: 100 });
    const oldestFirst = [...items].reverse();
    expect(oldestFirst.map((e) => e.action)).toEqual([
      'identity.org.create',
      'identity.user.create',
      'identity.org.create',
      'identity.user.create',
      'identity.token.create',
      'identity.token.revoke',
    ]);
    expect(oldestFirst.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(oldestFirst[0]?.prevHash).toBe(GENESIS_HASH);
    expect(oldestFirst.slice(2).map((e) => e.subjectId)).toEqual([org.id, user.id, token.id, token.id]);
    expect(oldestFirst[2]).toMatchObject({
      actor: get().coordinatorAdmin.userId,
      actorOrgId: get().coordinatorAdmin.orgId,
      diff: { name: 'Openwire Foundation', kind: 'vendor' },
    });
    expect(oldestFirst[5]?.actor).toBe('system:cli');
    for (let i = 1; i < oldestFirst.length; i++) expect(oldestFirst[i]?.prevHash).toBe(oldestFirst[i - 1]?.hash);
    expect(await verifyAuditChain(get().runtime.db)).toEqual({ ok: true, count: 6, lastHash: oldestFirst[5]?.hash, checkpoints: 0 });
  });

  it('names the event whose stored content was edited', async () => {
    await someHistory();
    const db = get().runtime.db.kysely;
    await sql`update audit_event set diff = ${'{"name":"Evil Corp"}'} where seq = 3`.execute(db);
    expect(await verifyAuditChain(get().runtime.db)).toMatchObject({
      ok: false,
      broken: { seq: 3, reason: expect.stringContaining('altered') },
    });
  });

  it('names the event after one that was re-hashed to hide an edit', async () => {
    await someHistory();
    const db = get().runtime.db.kysely;
    const [row] = await eventsAfter(db, 3, 1);
    const forged = { ...toEvent(row!), diff: '{"role":"viewer"}' };
    const hash = hashAuditEvent(forged);
    await sql`update audit_event set diff = ${forged.diff}, hash = ${hash} where seq = 4`.execute(db);
    expect(await verifyAuditChain(get().runtime.db)).toMatchObject({ ok: false, broken: { seq: 5 } });
  });

  it('names a deleted event, and notices the newest ones removed', async () => {
    await someHistory();
    const db = get().runtime.db.kysely;
    await sql`delete from audit_event where seq = 2`.execute(db);
    expect(await verifyAuditChain(get().runtime.db)).toMatchObject({ ok: false, broken: { seq: 2 } });
  });

  it('notices the newest events removed', async () => {
    await someHistory();
    const db = get().runtime.db.kysely;
    await sql`delete from audit_event where seq >= 5`.execute(db);
    expect(await verifyAuditChain(get().runtime.db)).toMatchObject({ ok: false, broken: { seq: 5 } });
  });

  it('writes nothing when the mutation fails', async () => {
    const { as, coordinatorAdmin } = get();
    await createOrg(as(coordinatorAdmin), { name: 'Once', kind: 'vendor' });
    const before = (await auditEvents(get().system, {})).items.length;
    await expect(createOrg(as(coordinatorAdmin), { name: 'once', kind: 'vendor' })).rejects.toThrow();
    expect((await auditEvents(get().system, {})).items.length).toBe(before);
    expect((await verifyAuditChain(get().runtime.db)).ok).toBe(true);
  });

  it('shows the coordinator everything, an org admin its own part, and others nothing', async () => {
    const { as, org, user, coordinatorAdmin } = get();
    const a = await org('vendor');
    const b = await org('vendor');
    await createToken(as(a), { name: 'a-token' });
    await createToken(as(b), { name: 'b-token' });
    const analystOfA = await user(a.orgId, 'analyst');

    const seenByA = (await auditEvents(as(a), { limit: 500 })).items;
    expect(seenByA.length).toBeGreaterThan(0);
    expect(seenByA.every((e) => e.orgId === a.orgId || e.actorOrgId === a.orgId)).toBe(true);
    expect(seenByA.some((e) => e.orgId === b.orgId)).toBe(false);
    expect((await auditEvents(as(analystOfA), {})).items).toEqual([]);
    const all = (await auditEvents(as(coordinatorAdmin), { limit: 500 })).items;
    expect(all.some((e) => e.orgId === b.orgId)).toBe(true);

    const filtered = (await auditEvents(as(coordinatorAdmin), { action: 'identity.token.', limit: 500 })).items;
    expect(filtered.length).toBe(2);
    expect(filtered.every((e) => e.action === 'identity.token.create')).toBe(true);
  });
});
