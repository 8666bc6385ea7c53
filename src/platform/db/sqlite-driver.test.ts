import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sqliteCapabilities } from './capabilities.js';
import { withTransaction, type Database } from './database.js';
import { withBlockingDurability, withDeferredDurability } from './durability-scope.js';
import { GroupFlush } from './group-flush.js';
import { ClearinghouseSqliteDialect } from './sqlite-driver.js';

/** A database whose log flushes end when the test says so (see DurableCommits in sqlite-driver.ts). */
function withManualFlush(file: string) {
  const ends: (() => void)[] = [];
  const flush = new GroupFlush(() => new Promise<void>((resolve) => ends.push(resolve)));
  const handle = new BetterSqlite3(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  let onTheSpot = 0;
  const flusher = { flushed: () => flush.flushed(), flushNow: () => void onTheSpot++ };
  const kysely = new Kysely({ dialect: new ClearinghouseSqliteDialect(handle, () => {}, flusher) });
  const db: Database = { kysely, caps: sqliteCapabilities, description: 'test', close: () => kysely.destroy() };
  return { db, started: () => ends.length, end: (n: number) => ends[n]!(), onTheSpot: () => onTheSpot };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ch-sqlite-driver-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('answers a committed transaction only once the flush after its commit has ended, serving other callers meanwhile', async () => {
  const { db, started, end } = withManualFlush(path.join(dir, 'db.sqlite'));
  try {
    // The table's creation is a write outside a transaction: its caller waits for a flush too.
    const create = sql`create table t (n integer primary key)`.execute(db.kysely);
    while (started() === 0) await turn();
    end(0);
    await create;
    const created = started();
    let answered = false;
    const full = withTransaction(db, (trx) => sql`insert into t (n) values (1)`.execute(trx)).then(() => (answered = true));
    while (started() === created) await turn();
    // Committed and the connection free for the next caller, who reads the row; the writer is not answered yet.
    const rows = await sql<{ c: number }>`select count(*) as c from t`.execute(db.kysely);
    expect(rows.rows[0]!.c).toBe(1);
    await turn();
    expect(answered).toBe(false);
    end(created);
    await full;
    expect(answered).toBe(true);
  } finally {
    await db.close();
  }
});

it('answers a write outside a transaction once flushed, and reads, rollbacks, deferred commits and deferred writes without one; background work on the spot', async () => {
  const { db, started, end, onTheSpot } = withManualFlush(path.join(dir, 'db.sqlite'));
  try {
    const create = sql`create table t (n integer primary key)`.execute(db.kysely);
    while (started() === 0) await turn();
    end(0);
    await create;
    let written = false;
    const write = sql`insert into t (n) values (1)`.execute(db.kysely).then(() => (written = true));
    while (started() === 1) await turn();
    await turn();
    expect(written).toBe(false);
    end(1);
    await write;
    // None of these waits for a flush (none will end unless asked): each is answered while no flush runs.
    expect((await sql<{ n: number }>`select n from t`.execute(db.kysely)).rows).toEqual([{ n: 1 }]);
    await expect(
      withTransaction(db, async (trx) => {
        await sql`insert into t (n) values (2)`.execute(trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await withTransaction(db, (trx) => sql`insert into t (n) values (3)`.execute(trx), { durability: 'deferred' });
    await withDeferredDurability(() => sql`insert into t (n) values (4)`.execute(db.kysely));
    expect(started()).toBe(2);
    expect(onTheSpot()).toBe(0);
    // Background work flushes on the spot instead, before its caller goes on.
    await withBlockingDurability(() => withTransaction(db, (trx) => sql`insert into t (n) values (5)`.execute(trx)));
    expect(onTheSpot()).toBe(1);
    expect(started()).toBe(2);
    expect((await sql<{ n: number }>`select n from t order by n`.execute(db.kysely)).rows).toEqual([
      { n: 1 },
      { n: 3 },
      { n: 4 },
      { n: 5 },
    ]);
  } finally {
    await db.close();
  }
});

/** A connection whose statement compilations are counted by text. */
function countingCompilations() {
  const handle = new BetterSqlite3(':memory:');
  const compiled = new Map<string, number>();
  const prepare = handle.prepare.bind(handle);
  handle.prepare = ((source: string) => {
    compiled.set(source, (compiled.get(source) ?? 0) + 1);
    return prepare(source);
  }) as typeof handle.prepare;
  const kysely = new Kysely({ dialect: new ClearinghouseSqliteDialect(handle, () => {}, undefined) });
  return { kysely, compiled };
}

it('keeps a statement in use compiled while hundreds of others come and go, and holds at most 500 (issue 20)', async () => {
  // Each statement compiled holds SQLite memory that only a collection of its JavaScript object frees, so
  // evicting the ones in use makes the soak's server compile the same texts again all along (statement
  // memory waiting for the collector grew its C heap by 150 MiB in 5 minutes).
  const { kysely, compiled } = countingCompilations();
  try {
    const hot = 'select 1 as hot';
    for (let i = 0; i < 1200; i++) {
      await sql.raw(hot).execute(kysely);
      await sql.raw(`select ${i} as cold`).execute(kysely);
    }
    expect(compiled.get(hot)).toBe(1);
    // The cache is bounded: the first cold statements were evicted, and are compiled again.
    await sql.raw('select 0 as cold').execute(kysely);
    expect(compiled.get('select 0 as cold')).toBe(2);
    await sql.raw('select 1199 as cold').execute(kysely);
    expect(compiled.get('select 1199 as cold')).toBe(1);
  } finally {
    await kysely.destroy();
  }
});

it('gives IN and NOT IN lists of every length up to 1,024 a power-of-two count of parameters, with the same answers (issue 20)', async () => {
  // Each distinct text is a statement compiled, whose SQLite memory waits for V8's next full collection: a
  // list of each length was a text of its own.
  const { kysely, compiled } = countingCompilations();
  const db = kysely as Kysely<{ t: { n: number; b: Uint8Array } }>;
  try {
    await sql`create table t (n integer primary key, b blob not null)`.execute(kysely);
    const stored = Array.from({ length: 1200 }, (_, i) => 2 * i);
    for (const part of [stored.slice(0, 600), stored.slice(600)])
      await db
        .insertInto('t')
        .values(part.map((n) => ({ n, b: Buffer.from([n % 251, n % 7]) })))
        .execute();
    const ns = async (rows: Promise<{ n: number }[]>) => (await rows).map((r) => r.n).sort((a, b) => a - b);
    for (let length = 1; length <= 1100; length++) {
      // Every third value of the list is stored (even), the others not (odd); 0, stored, is in none.
      const list = Array.from({ length }, (_, i) => (i % 3 === 1 ? 2 * ((7 * i) % 1200) : 2 * i + 1));
      const inList = new Set(list);
      expect(await ns(db.selectFrom('t').select('n').where('n', 'in', list).execute())).toEqual(stored.filter((n) => inList.has(n)));
      expect(await ns(db.selectFrom('t').select('n').where('n', 'not in', list).execute())).toEqual(stored.filter((n) => !inList.has(n)));
    }
    const blobs = [Buffer.from([0, 0]), Buffer.from([2, 2]), Buffer.from([9, 9])];
    expect(await ns(db.selectFrom('t').select('n').where('b', 'in', blobs).execute())).toEqual([0, 2]);
    // A NULL in a NOT IN list leaves nothing, padded or not.
    expect(
      await db
        .selectFrom('t')
        .select('n')
        .where('n', 'not in', [1, 3, null as unknown as number])
        .execute(),
    ).toEqual([]);
    const texts = (op: string) => [...compiled.keys()].filter((text) => text.startsWith('select "n" from "t" where "n" ' + op + ' ('));
    const shortest = (op: string) => texts(op).filter((text) => text.split('?').length - 1 <= 1024);
    // Lengths 1 to 1,024 in 11 texts each (1, 2, 4, … 1,024 parameters); the 76 longer lists as they are.
    expect(
      shortest('in')
        .map((text) => text.split('?').length - 1)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
    expect(shortest('not in')).toHaveLength(11);
    expect(texts('in')).toHaveLength(11 + 76);
  } finally {
    await kysely.destroy();
  }
});
