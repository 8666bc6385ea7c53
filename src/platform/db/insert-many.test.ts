import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { chunkSizes, insertMany } from './insert-many.js';
import type { AnyKysely } from './database.js';
import { runMigrations } from './migrations.js';

it('splits rows into statements that cover each row once, within the limit, in few shapes where statements are reused', () => {
  for (const max of [1, 7, 1428]) {
    for (const rows of [0, 1, 2, 3, 999, 1000, 1001, 4321]) {
      for (const reuse of [true, false]) {
        const chunks = chunkSizes(rows, max, reuse);
        let next = 0;
        for (const [start, size] of chunks) {
          expect(start).toBe(next);
          expect(size).toBeGreaterThan(0);
          expect(size).toBeLessThanOrEqual(max);
          next += size;
        }
        expect(next).toBe(rows);
        if (reuse) for (const [, size] of chunks) expect(Math.log2(size) % 1).toBe(0);
        else expect(chunks.length).toBe(Math.ceil(rows / max));
      }
    }
  }
  // Every row count from 1 to 3,000 with at most 1,428 rows a statement: 11 shapes (1, 2, 4, … 1,024).
  const shapes = new Set<number>();
  for (let rows = 1; rows <= 3000; rows++) for (const [, size] of chunkSizes(rows, 1428, true)) shapes.add(size);
  expect([...shapes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
});

describeEachDatabase('insertMany', (dialect) => {
  const get = useTestDatabase(dialect);

  it('stores every row once, in as many statements as the parameter limit needs', async () => {
    const { db } = get();
    await db.kysely.schema
      .createTable('t_many')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('a', 'text')
      .execute();
    const rows = Array.from({ length: 20_001 }, (_, i) => [i, `v${i}`]);
    await insertMany(db.kysely, db.caps, 't_many', ['id', 'a'], rows);
    const stored = await db.kysely.selectFrom('t_many').select(['id', 'a']).orderBy('id').execute();
    expect(stored.map((r) => [Number(r.id), r.a])).toEqual(rows);
  });
});

describeEachDatabase('insertMany of typed columns', (dialect) => {
  const get = useTestDatabase(dialect);

  it('stores integers, JSON, timestamps, text that looks like JSON and nulls as the columns declare them, and upserts', async () => {
    const { db } = get();
    await db.kysely.schema
      .createTable('t_typed')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('n', 'integer')
      .addColumn('doc', db.caps.types.json)
      .addColumn('at', db.caps.types.timestamp)
      .addColumn('note', 'text')
      .execute();
    const columns = ['id', 'n', 'doc', 'at', 'note'];
    await insertMany(db.kysely, db.caps, 't_typed', columns, [
      ['a', 1, '{"x":[1,"two"]}', '2026-06-02T12:00:00.123Z', '{"not":"json"}'],
      ['b', null, '[]', null, 'quote " backslash \\ comma , brace } NULL'],
      ['c', -7, '"text"', '2026-06-03T00:00:00.000Z', null],
    ]);
    await insertMany(db.kysely, db.caps, 't_typed', columns, [['c', 8, '{}', '2026-06-04T00:00:00.000Z', 'again']], {
      onConflictUpdate: { key: ['id'], set: ['n', 'note'] },
    });
    const stored = await db.kysely.selectFrom('t_typed').selectAll().orderBy('id').execute();
    expect(stored.map((r) => [r.id, r.n === null ? null : Number(r.n), JSON.parse(r.doc as string), r.at, r.note])).toEqual([
      ['a', 1, { x: [1, 'two'] }, '2026-06-02T12:00:00.123Z', '{"not":"json"}'],
      ['b', null, [], null, 'quote " backslash \\ comma , brace } NULL'],
      ['c', 8, 'text', '2026-06-03T00:00:00.000Z', 'again'],
    ]);
  });
});

describeEachDatabase('insertMany of bytes', (dialect) => {
  const get = useTestDatabase(dialect);

  it('stores bytes beside text and numbers as they were', async () => {
    const { db } = get();
    await db.kysely.schema
      .createTable('t_bytes')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('body', db.caps.types.binary)
      .addColumn('note', 'text')
      .execute();
    const rows = [
      [1, Buffer.from([0, 1, 2, 255]), 'a "quoted" note'],
      [2, null, null],
    ];
    await insertMany(db.kysely, db.caps, 't_bytes', ['id', 'body', 'note'], rows);
    const stored = await db.kysely.selectFrom('t_bytes').selectAll().orderBy('id').execute();
    expect(stored.map((r) => [Number(r.id), r.body === null ? null : [...(r.body as Buffer)], r.note])).toEqual([
      [1, [0, 1, 2, 255], 'a "quoted" note'],
      [2, null, null],
    ]);
  });
});

describeEachDatabase('insertMany of text at the edges', (dialect) => {
  const get = useTestDatabase(dialect);

  it('stores empty text, line breaks, control characters, backslashes, nulls and fractions as they were, one row or many', async () => {
    const { db } = get();
    await db.kysely.schema
      .createTable('t_edges')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('note', 'text')
      .addColumn('doc', db.caps.types.json)
      .addColumn('x', 'real')
      .execute();
    const columns = ['id', 'note', 'doc', 'x'];
    const batches: unknown[][][] = [
      [[1, '', '{"a":"line\\nbreak"}', 0.5]],
      [
        [2, '', '""', null],
        [3, 'a\\nb \\\\N \\x01 \t tab', '"\\u0001"', -1.25],
        [5, '\\', '[1, 2]', 0],
        [6, null, '{"k":"\\\\"}', 2.5],
      ],
      [
        [4, '\u0001', '{}', 3],
        [11, 'the line that means null, above', '{}', 3],
      ],
      [
        [7, 'first line\nsecond line', '"x"', 1],
        [8, '', '"y"', null],
      ],
      [
        [9, '', '""', null],
        [10, '', '""', null],
      ],
    ];
    for (const rows of batches) await insertMany(db.kysely, db.caps, 't_edges', columns, rows);
    const stored = await db.kysely.selectFrom('t_edges').selectAll().orderBy('id').execute();
    expect(stored.map((r) => [Number(r.id), r.note, JSON.parse(r.doc as string), r.x === null ? null : Number(r.x)])).toEqual(
      batches
        .flat()
        .sort((a, b) => (a[0] as number) - (b[0] as number))
        .map((row) => [row[0], row[1], JSON.parse(row[2] as string), row[3]]),
    );
  });
});

describeEachDatabase('insertMany into two databases of one process', (dialect) => {
  const first = useTestDatabase(dialect);
  const second = useTestDatabase(dialect);

  it('casts each database’s rows to the types of its own table of that name', async () => {
    // The same table in two databases (an older schema and a newer one, as the test suite and copying tools
    // hold): a number in one, text in the other. Text cast to the first's integer would lose its zeros.
    const older = first().db;
    const newer = second().db;
    await older.kysely.schema.createTable('t_twice').addColumn('v', 'integer').execute();
    await newer.kysely.schema.createTable('t_twice').addColumn('v', 'text').execute();
    await insertMany(older.kysely, older.caps, 't_twice', ['v'], [[7], [8]]);
    await newer.kysely.transaction().execute((trx) => insertMany(trx, newer.caps, 't_twice', ['v'], [['007'], ['0.10']]));
    expect((await newer.kysely.selectFrom('t_twice').select('v').orderBy('v').execute()).map((r) => r.v)).toEqual(['0.10', '007']);
    expect((await older.kysely.selectFrom('t_twice').select('v').orderBy('v').execute()).map((r) => Number(r.v))).toEqual([7, 8]);
  });
});

describeEachDatabase('insertMany after a migration', (dialect) => {
  const get = useTestDatabase(dialect);

  it('casts to the type a migration gave a column it had inserted into before', async () => {
    const { db } = get();
    await db.kysely.schema.createTable('t_retyped').addColumn('v', 'integer').execute();
    await insertMany(db.kysely, db.caps, 't_retyped', ['v'], [[7]]);
    const retype = {
      name: '0001-retype',
      up: async (trx: AnyKysely) => {
        await trx.schema.dropTable('t_retyped').execute();
        await trx.schema.createTable('t_retyped').addColumn('v', 'text').execute();
      },
    };
    await runMigrations(db, [{ module: 'retyping', migrations: [retype] }]);
    await insertMany(db.kysely, db.caps, 't_retyped', ['v'], [['007']]);
    expect((await db.kysely.selectFrom('t_retyped').select('v').execute()).map((r) => r.v)).toEqual(['007']);
  });
});
