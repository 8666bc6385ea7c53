import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { beforeEach, expect, it, vi } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { withTransaction, type Database } from './database.js';
import { writeTogether } from './write-together.js';

describeEachDatabase('writes together', (dialect) => {
  const get = useTestDatabase(dialect, []);
  let db: Database;

  beforeEach(async () => {
    db = get().db;
    await sql`create table wt_parent (id text primary key, note text not null)`.execute(db.kysely);
    await sql`create table wt_child (parent_id text not null references wt_parent (id), n integer not null, primary key (parent_id, n))`.execute(
      db.kysely,
    );
    await sql`insert into wt_parent (id, note) values ('old', 'before')`.execute(db.kysely);
    await sql`insert into wt_child (parent_id, n) values ('old', 1), ('old', 2)`.execute(db.kysely);
  });

  it('runs independent writes in one round trip on PostgreSQL, in order elsewhere, rows referring to a row inserted with them', async () => {
    const query = vi.spyOn(pg.Client.prototype, 'query');
    const k = db.kysely;
    const p = (n: number) => db.caps.placeholder(n);
    try {
      await withTransaction(db, async (trx) => {
        query.mockClear();
        await writeTogether(trx, db.caps, [
          trx.insertInto('wt_parent').values({ id: 'new', note: 'a $1 in a value is a value' }),
          // A statement compiled already, its own parameters numbered from 1.
          CompiledQuery.raw(`insert into wt_child (parent_id, n) values (${[1, 2].map(p).join(', ')}), (${[3, 4].map(p).join(', ')})`, [
            'new',
            1,
            'new',
            2,
          ]),
          trx.deleteFrom('wt_child').where('parent_id', '=', 'old').where('n', '=', 2),
          trx.updateTable('wt_parent').set({ note: 'after' }).where('id', '=', 'old'),
        ]);
        // On PostgreSQL the four are one statement; SQLite sends nothing through pg.
        expect(query.mock.calls.length).toBe(db.caps.writesInWith ? 1 : 0);
      });
    } finally {
      query.mockRestore();
    }
    expect(await k.selectFrom('wt_parent').select(['id', 'note']).orderBy('id').execute()).toEqual([
      { id: 'new', note: 'a $1 in a value is a value' },
      { id: 'old', note: 'after' },
    ]);
    expect(await k.selectFrom('wt_child').select(['parent_id', 'n']).orderBy('parent_id').orderBy('n').execute()).toEqual([
      { parent_id: 'new', n: 1 },
      { parent_id: 'new', n: 2 },
      { parent_id: 'old', n: 1 },
    ]);
  });

  it('fails as a whole when one of them breaks a key, on every database', async () => {
    await expect(
      withTransaction(db, (trx) =>
        writeTogether(trx, db.caps, [
          trx.insertInto('wt_parent').values({ id: 'another', note: 'x' }),
          trx.insertInto('wt_child').values({ parent_id: 'nobody', n: 1 }),
        ]),
      ),
    ).rejects.toThrow();
    expect(await db.kysely.selectFrom('wt_parent').select('id').orderBy('id').execute()).toEqual([{ id: 'old' }]);
  });
});
