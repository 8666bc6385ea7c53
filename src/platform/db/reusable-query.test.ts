import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { reusableQuery } from './reusable-query.js';

describeEachDatabase('reusableQuery', (dialect) => {
  const get = useTestDatabase(dialect);

  it('answers like the query it was built from, with fresh parameters on every run', async () => {
    const { db } = get();
    await db.kysely.schema
      .createTable('t_item')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text')
      .addColumn('n', 'integer')
      .execute();
    await db.kysely
      .insertInto('t_item')
      .values([
        { id: 'a', kind: 'x', n: 1 },
        { id: 'b', kind: 'y', n: 2 },
        { id: 'c', kind: 'x', n: 3 },
      ])
      .execute();
    const byKind = reusableQuery<[string, string], { id: string }>((k, kind, above) =>
      k.selectFrom('t_item').select('id').where('kind', '=', kind).where('id', '>', above).orderBy('id'),
    );
    expect(await byKind(db, 'x', '')).toEqual([{ id: 'a' }, { id: 'c' }]);
    expect(await byKind(db, 'x', 'a')).toEqual([{ id: 'c' }]);
    expect(await byKind(db, 'y', '')).toEqual([{ id: 'b' }]);
  });

  it('refuses a builder that does not bind each parameter', async () => {
    const { db } = get();
    const broken = reusableQuery<[string], { one: number }>((k) => k.selectNoFrom((eb) => eb.lit(1).as('one')));
    await expect(broken(db, 'ignored')).rejects.toThrow(/bound exactly once/);
  });
});
