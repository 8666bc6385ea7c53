import { beforeEach, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { InputError } from '../errors.js';
import { sql } from 'kysely';
import { pgTimestampToIso, SQLITE_CACHE_KIB, withTransaction, type Database, type Executor } from './database.js';
import { pendingMigrations, runMigrations, type ModuleMigrations } from './migrations.js';
import { paginate } from './pagination.js';

const sample: ModuleMigrations = {
  module: 'sample',
  migrations: [
    {
      name: '0001_things',
      async up(db, caps) {
        await db.schema
          .createTable('sample_thing')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('n', caps.types.bigint, (c) => c.notNull())
          .addColumn('at', caps.types.timestamp, (c) => c.notNull())
          .addColumn('doc', caps.types.json, (c) => c.notNull())
          .addColumn('bytes', caps.types.binary)
          .execute();
      },
    },
    {
      name: '0002_index',
      async up(db) {
        await db.schema.createIndex('sample_thing_n').on('sample_thing').column('n').execute();
      },
    },
  ],
};

describe('pgTimestampToIso', () => {
  it('reads PostgreSQL text timestamps in any offset', () => {
    expect(pgTimestampToIso('2026-06-02 12:00:00+00')).toBe('2026-06-02T12:00:00.000Z');
    expect(pgTimestampToIso('2026-06-02 12:00:00.5+00')).toBe('2026-06-02T12:00:00.500Z');
    expect(pgTimestampToIso('2026-06-02 12:00:00.123456+00')).toBe('2026-06-02T12:00:00.123Z');
    expect(pgTimestampToIso('2026-06-02 14:30:00+02:30')).toBe('2026-06-02T12:00:00.000Z');
    expect(pgTimestampToIso('2026-06-02 07:00:00-05')).toBe('2026-06-02T12:00:00.000Z');
  });

  it('reads UTC text as the instant it names, to the millisecond, for years 1 to 9999', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    for (let i = 0; i < 2000; i++) {
      const ms = Date.UTC(1, 0, 1) + Math.floor(Math.random() * (Date.UTC(9999, 11, 31) - Date.UTC(1, 0, 1)));
      const d = new Date(ms);
      const micros = d.getUTCMilliseconds() * 1000 + Math.floor(Math.random() * 1000);
      // PostgreSQL's text form: trailing zeros of the fraction dropped, no fraction at all for whole seconds.
      const fraction = micros === 0 ? '' : `.${pad(micros, 6).replace(/0+$/, '')}`;
      const text = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}+00`;
      expect(pgTimestampToIso(text), text).toBe(d.toISOString());
    }
  });
});

describeEachDatabase('database', (dialect) => {
  const get = useTestDatabase(dialect, []);
  let db: Database;

  beforeEach(() => {
    db = get().db;
  });

  it("keeps up to 64 MiB of pages in a SQLite connection's cache, not the default 2 MiB", async () => {
    if (dialect !== 'sqlite') return;
    const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db.kysely);
    expect(SQLITE_CACHE_KIB).toBe(65_536);
    expect(rows[0]?.cache_size).toBe(-SQLITE_CACHE_KIB);
  });

  it('applies migrations in order, once', async () => {
    expect(await pendingMigrations(db, [sample])).toEqual(['sample/0001_things', 'sample/0002_index']);
    expect(await runMigrations(db, [sample])).toEqual(['sample/0001_things', 'sample/0002_index']);
    expect(await runMigrations(db, [sample])).toEqual([]);
    expect(await pendingMigrations(db, [sample])).toEqual([]);
  });

  it('refuses migrations listed out of order', async () => {
    const reversed = { module: 'sample', migrations: [...sample.migrations].reverse() };
    await expect(runMigrations(db, [reversed])).rejects.toThrow(/out of order/);
  });

  // Two handles on one SQLite file in one process would deadlock on the write lock (busy_timeout blocks the
  // event loop); SQLite is one process per file, so this is a PostgreSQL property.
  it.runIf(dialect === 'postgres')('applies each migration once when two processes start together', async () => {
    const [a, b] = await Promise.all([runMigrations(db, [sample]), runMigrations(get().another(), [sample])]);
    expect([...a, ...b].sort()).toEqual(['sample/0001_things', 'sample/0002_index']);
  });

  it('reads back the same JS values on every dialect', async () => {
    await runMigrations(db, [sample]);
    const doc = JSON.stringify({ b: 2, a: [1, 'x'] });
    await db.kysely
      .insertInto('sample_thing')
      .values({ id: 'a', n: 2 ** 40, at: '2026-06-02T12:00:00.123Z', doc, bytes: Buffer.from([0, 1, 254, 255]) })
      .execute();
    const row = await db.kysely.selectFrom('sample_thing').selectAll().where('id', '=', 'a').executeTakeFirstOrThrow();
    expect(row.n).toBe(2 ** 40);
    expect(row.at).toBe('2026-06-02T12:00:00.123Z');
    expect(JSON.parse(row.doc as string)).toEqual({ b: 2, a: [1, 'x'] });
    expect(Buffer.isBuffer(row.bytes)).toBe(true);
    expect([...(row.bytes as Buffer)]).toEqual([0, 1, 254, 255]);
    const later = await db.kysely.selectFrom('sample_thing').select('id').where('at', '>', '2026-06-02T12:00:00.122Z').execute();
    expect(later).toHaveLength(1);
  });

  it('rolls a transaction back entirely when its work throws', async () => {
    await runMigrations(db, [sample]);
    await expect(
      withTransaction(db, async (trx) => {
        await trx.insertInto('sample_thing').values({ id: 'x', n: 1, at: '2026-01-01T00:00:00.000Z', doc: '{}' }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.kysely.selectFrom('sample_thing').selectAll().execute()).toEqual([]);
  });

  it('commits and rolls back a deferred-durability transaction like any other, the connection durable again after it', async () => {
    await runMigrations(db, [sample]);
    const row = (id: string) => ({ id, n: 1, at: '2026-01-01T00:00:00.000Z', doc: '{}' });
    const durability = async (executor: Executor) =>
      String(
        Object.values(
          (await sql.raw(dialect === 'sqlite' ? 'pragma synchronous' : 'show synchronous_commit').execute(executor)).rows[0] as object,
        )[0],
      );
    const inside = await withTransaction(
      db,
      async (trx) => {
        await trx.insertInto('sample_thing').values(row('a')).execute();
        return durability(trx);
      },
      { durability: 'deferred' },
    );
    // PostgreSQL: synchronous_commit off for that transaction, then on. SQLite's connection commits with NORMAL
    // throughout and syncs the log beside it (sqlite-driver.test.ts says when a caller is answered).
    expect(inside).toBe(dialect === 'sqlite' ? '1' : 'off');
    await expect(
      withTransaction(
        db,
        async (trx) => {
          await trx.insertInto('sample_thing').values(row('b')).execute();
          throw new Error('boom');
        },
        { durability: 'deferred' },
      ),
    ).rejects.toThrow('boom');
    expect((await db.kysely.selectFrom('sample_thing').select('id').execute()).map((r) => r.id)).toEqual(['a']);
    expect(await withTransaction(db, durability)).toBe(dialect === 'sqlite' ? '1' : 'on');
    expect(await durability(db.kysely)).toBe(dialect === 'sqlite' ? '1' : 'on');
  });

  it.runIf(dialect === 'postgres')(
    'starts a deferred-durability transaction in one round trip, its setting sent with BEGIN, and no other with it',
    async () => {
      const query = vi.spyOn(pg.Client.prototype, 'query');
      const sent = () => query.mock.calls.map(([text]) => (typeof text === 'string' ? text : String((text as { text?: string }).text)));
      const setting = async (executor: Executor) =>
        String((await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(executor)).rows[0]?.synchronous_commit);
      try {
        const { inside, nested } = await withTransaction(
          db,
          async (trx) => ({ inside: await setting(trx), nested: await withTransaction(db, setting) }),
          { durability: 'deferred' },
        );
        expect([inside, nested]).toEqual(['off', 'on']);
        expect(sent()[0]).toBe('begin; set local synchronous_commit = off');
        expect(sent().filter((text) => /^(begin|set)/.test(text))).toEqual(['begin; set local synchronous_commit = off', 'begin']);
      } finally {
        query.mockRestore();
      }
    },
  );

  it('paginates by keyset without gaps or repeats', async () => {
    await runMigrations(db, [sample]);
    const ids = Array.from({ length: 23 }, (_, i) => `id${String(i).padStart(2, '0')}`);
    for (const id of ids)
      await db.kysely.insertInto('sample_thing').values({ id, n: 1, at: '2026-01-01T00:00:00.000Z', doc: '{}' }).execute();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await paginate(
        db.kysely.selectFrom('sample_thing').select('id'),
        { limit: 5, cursor },
        {
          sort: 'sample_thing.id',
          id: 'sample_thing.id',
          sortOf: (r: { id: string }) => r.id,
          idOf: (r: { id: string }) => r.id,
        },
      );
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    expect(seen).toEqual(ids);
    expect(pages).toBe(5);
    await expect(
      paginate(
        db.kysely.selectFrom('sample_thing').select('id'),
        { cursor: 'garbage' },
        {
          sort: 'sample_thing.id',
          id: 'sample_thing.id',
          sortOf: (r: { id: string }) => r.id,
          idOf: (r: { id: string }) => r.id,
        },
      ),
    ).rejects.toBeInstanceOf(InputError);
  });
});
