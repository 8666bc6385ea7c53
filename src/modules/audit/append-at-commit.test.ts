import { sql, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { cliActor } from '../../app/runtime.js';
import { withTransaction } from '../../platform/db/index.js';
import { createOrg } from '../identity/index.js';
import { verifyAuditChain } from './service.js';
import { eventsAfter, readHead } from './store.js';

const entry = (id: string) => ({ action: 'audit.test.record', subject: { type: 'test', id }, diff: { id } });

// The audit head row is what every audited write in every process queues on; appended as a transaction's last
// statements, it is held for the commit only.
describeEachDatabase('audit entries appended when their transaction commits', (dialect) => {
  const get = useTestRuntime(dialect);

  it('appends the entries of one transaction together, in the order recorded, and the chain holds', async () => {
    const { runtime } = get();
    const before = await readHead(runtime.db.kysely);
    await withTransaction(runtime.db, async (trx) => {
      for (const id of ['first', 'second', 'third']) await runtime.audit.record(trx, cliActor, entry(id));
      // Not in the chain yet: it is appended as the transaction's last statements.
      expect((await readHead(trx)).lastSeq).toBe(before.lastSeq);
    });
    const appended = await eventsAfter(runtime.db.kysely, before.lastSeq, 10);
    expect(appended.map((e) => [e.seq, e.subject_id])).toEqual([
      [before.lastSeq + 1, 'first'],
      [before.lastSeq + 2, 'second'],
      [before.lastSeq + 3, 'third'],
    ]);
    expect(await verifyAuditChain(runtime.db)).toMatchObject({ ok: true, count: before.lastSeq + 3 });
  });

  it('appends nothing for a transaction that rolls back after recording', async () => {
    const { runtime } = get();
    const before = await readHead(runtime.db.kysely);
    await expect(
      withTransaction(runtime.db, async (trx) => {
        await runtime.audit.record(trx, cliActor, entry('undone'));
        throw new Error('the change fails after its audit entry');
      }),
    ).rejects.toThrow('after its audit entry');
    expect(await readHead(runtime.db.kysely)).toEqual(before);
    expect(await eventsAfter(runtime.db.kysely, before.lastSeq, 10)).toEqual([]);
  });

  it('appends at once outside a transaction', async () => {
    const { runtime } = get();
    const before = await readHead(runtime.db.kysely);
    await runtime.audit.record(runtime.db.kysely, cliActor, entry('alone'));
    expect((await eventsAfter(runtime.db.kysely, before.lastSeq, 10)).map((e) => e.subject_id)).toEqual(['alone']);
    expect((await verifyAuditChain(runtime.db)).ok).toBe(true);
  });

  it('holds the head row for one statement after the one that takes it, where a WITH clause may write', async () => {
    const { runtime } = get();
    const before = await readHead(runtime.db.kysely);
    const sent: string[] = [];
    const counter = {
      transformQuery: (args: { node: RootOperationNode }) => (sent.push(args.node.kind), args.node),
      transformResult: async (args: { result: QueryResult<UnknownRow> }) => args.result,
    };
    await withTransaction(runtime.db, async (trx) => {
      // Not the transaction withTransaction made: each entry is appended at once, with the statements counted.
      for (const id of ['counted', 'counted too']) await runtime.audit.record(trx.withPlugin(counter), cliActor, entry(id));
    });
    // Per entry: advance the head; then store the event and move the head's hash, in one statement on PostgreSQL.
    const perEntry = runtime.db.caps.writesInWith
      ? ['UpdateQueryNode', 'UpdateQueryNode']
      : ['UpdateQueryNode', 'InsertQueryNode', 'UpdateQueryNode'];
    expect(sent).toEqual([...perEntry, ...perEntry]);
    expect((await eventsAfter(runtime.db.kysely, before.lastSeq, 10)).map((e) => e.subject_id)).toEqual(['counted', 'counted too']);
    expect(await verifyAuditChain(runtime.db)).toMatchObject({ ok: true, count: before.lastSeq + 2 });
  });

  it.runIf(dialect === 'postgres')(
    'leaves the head free while a transaction works: another audited write commits meanwhile, and comes first in the chain',
    async () => {
      const { runtime, as, coordinatorAdmin } = get();
      const before = await readHead(runtime.db.kysely);
      let other = '';
      await withTransaction(runtime.db, async (trx) => {
        await runtime.audit.record(trx, cliActor, entry('slow'));
        // Another connection may lock the head row at once (NOWAIT fails if this transaction held it) …
        await sql`select last_seq from audit_head where id = 1 for update nowait`.execute(runtime.db.kysely);
        // … and an audited write of another request commits while this one is still open.
        other = (await createOrg(as(coordinatorAdmin), { name: 'Committed meanwhile', kind: 'vendor' })).id;
      });
      const appended = await eventsAfter(runtime.db.kysely, before.lastSeq, 10);
      expect(appended.map((e) => e.subject_id)).toEqual([other, 'slow']);
      expect((await verifyAuditChain(runtime.db)).ok).toBe(true);
    },
  );
});
