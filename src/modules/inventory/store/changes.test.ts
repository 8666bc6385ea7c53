import type { QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { withTransaction } from '../../../platform/db/index.js';
import { appendChange, appendChanges, changesAfter, lastChangeSeq } from './changes.js';

// The inventory's change log numbers its changes under the inventory lock, which every process's uploads and
// imports wait for: each append is one statement, numbering after the newest itself.
describeEachDatabase('inventory change log', (dialect) => {
  const get = useTestRuntime(dialect);

  it('numbers appended changes after the newest, in order, one statement per append', async () => {
    const { runtime } = get();
    const db = runtime.db;
    const start = await lastChangeSeq(db.kysely);
    let statements = 0;
    const counter = {
      transformQuery: (args: { node: RootOperationNode }) => args.node,
      transformResult: async (args: { result: QueryResult<UnknownRow> }) => (statements++, args.result),
    };
    const at = '2026-06-02T12:00:00.000Z';
    const { one, many } = await withTransaction(db, async (trx) => {
      const counted = trx.withPlugin(counter);
      const one = await appendChange(counted, db.caps, 'asset', 'ast_one', at);
      const many = await appendChanges(counted, db.caps, [
        { kind: 'advisory', subject_id: 'OSV-1', at },
        { kind: 'advisory', subject_id: 'OSV-2', at },
        { kind: 'asset', subject_id: 'ast_two', at },
      ]);
      return { one, many };
    });
    expect(statements).toBe(2);
    expect(one).toBe(start + 1);
    expect(many).toEqual({ first: start + 2, last: start + 4 });
    expect((await changesAfter(db.kysely, start, 10)).map((c) => [c.seq, c.kind, c.subject_id, c.at])).toEqual([
      [start + 1, 'asset', 'ast_one', at],
      [start + 2, 'advisory', 'OSV-1', at],
      [start + 3, 'advisory', 'OSV-2', at],
      [start + 4, 'asset', 'ast_two', at],
    ]);
    expect(await appendChanges(db.kysely, db.caps, [])).toBeUndefined();
  });
});
