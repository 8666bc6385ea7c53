import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { GroupFlush } from './group-flush.js';
import { openDatabase, withTransaction, type Database } from './database.js';

/** A flush that ends when the test says so, counting how often it was started. */
function manualFlush() {
  const ends: (() => void)[] = [];
  const flush = new GroupFlush(
    () =>
      new Promise<void>((resolve) => {
        ends.push(resolve);
      }),
  );
  return { flush, started: () => ends.length, end: (n: number) => ends[n]!() };
}

it('covers every caller that asked while a flush was under way with one next flush, started once that one ends', async () => {
  const { flush, started, end } = manualFlush();
  const settled: string[] = [];
  const first = flush.flushed().then(() => settled.push('first'));
  expect(started()).toBe(1);
  // Asked after the first flush started: their commits may be after it, so they wait for the next one.
  const later = [1, 2, 3].map((n) => flush.flushed().then(() => settled.push(`later ${n}`)));
  await new Promise((resolve) => setImmediate(resolve));
  expect(started()).toBe(1);
  end(0);
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  expect(settled).toEqual(['first']);
  expect(started()).toBe(2);
  end(1);
  await Promise.all(later);
  expect(settled).toEqual(['first', 'later 1', 'later 2', 'later 3']);
  // Nothing under way: the next caller starts a flush of its own at once.
  void flush.flushed();
  expect(started()).toBe(3);
});

it('rejects the callers of a flush that failed, and starts the next one for those who asked meanwhile', async () => {
  let calls = 0;
  const flush = new GroupFlush(async () => {
    calls += 1;
    if (calls === 1) throw new Error('disk gone');
  });
  const first = flush.flushed();
  const second = flush.flushed();
  await expect(first).rejects.toThrow('disk gone');
  await expect(second).resolves.toBeUndefined();
  expect(calls).toBe(2);
});

it('answers a grouped SQLite transaction once it committed, with every concurrent one committed too', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ch-group-flush-'));
  const db = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'db.sqlite') });
  try {
    expect(db.flushed).toBeTypeOf('function');
    await sql`create table t_grouped (n integer primary key)`.execute(db.kysely);
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        withTransaction(db, (trx) => sql`insert into t_grouped (n) values (${n})`.execute(trx), { durability: 'grouped' }),
      ),
    );
    const rows = await sql<{ c: number }>`select count(*) as c from t_grouped`.execute(db.kysely);
    expect(rows.rows[0]!.c).toBe(20);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('does not answer a grouped transaction before the flush that follows its commit has ended', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ch-group-flush-'));
  const opened = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'db.sqlite') });
  try {
    const { flush, started, end } = manualFlush();
    const db: Database = { ...opened, flushed: () => flush.flushed() };
    await sql`create table t_waits (n integer primary key)`.execute(db.kysely);
    let answered = false;
    const grouped = withTransaction(db, (trx) => sql`insert into t_waits (n) values (1)`.execute(trx), { durability: 'grouped' }).then(
      () => (answered = true),
    );
    while (started() === 0) await new Promise((resolve) => setImmediate(resolve));
    // Committed (another connection would read it) but not on disk yet: no answer.
    const rows = await sql<{ c: number }>`select count(*) as c from t_waits`.execute(db.kysely);
    expect(rows.rows[0]!.c).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    end(0);
    await grouped;
    expect(answered).toBe(true);
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
