import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { loadConfig } from '../config.js';
import { openDatabase, serializeOn, withTransaction, type Database } from './database.js';
import { inProcessTurn } from './in-process-turn.js';

describeEachDatabase('inProcessTurn', (dialect) => {
  const get = useTestDatabase(dialect, []);
  let db: Database;

  beforeEach(() => {
    db = get().db;
  });

  it("gives back the turn's result, passes on its failure, and a failed turn does not stop the next", async () => {
    const failed = inProcessTurn(db, 'k', () => Promise.reject(new Error('turn failed')));
    const next = inProcessTurn(db, 'k', async () => 'next ran');
    await expect(failed).rejects.toThrow('turn failed');
    await expect(next).resolves.toBe('next ran');
  });

  if (dialect === 'postgres') {
    it('runs shared turns together, at most `most` at once, an exclusive one alone, and no shared turn ahead of an exclusive one called before it', async () => {
      const running = new Set<string>();
      const seen: string[][] = [];
      const gates = new Map<string, () => void>();
      const turn = (label: string, shared: boolean) =>
        inProcessTurn(
          db,
          'k',
          async () => {
            running.add(label);
            seen.push([...running].sort());
            await new Promise<void>((resolve) => gates.set(label, resolve));
            running.delete(label);
          },
          { shared, most: 2 },
        );
      const entered = async (label: string) => {
        while (!gates.has(label)) await new Promise((resolve) => setImmediate(resolve));
      };
      const settle = async (label: string) => {
        await entered(label);
        gates.get(label)?.();
      };
      const all = [turn('s1', true), turn('s2', true), turn('s3', true), turn('x', false)];
      await settle('s1');
      await entered('s3');
      await settle('s2');
      await all[1];
      // Room for a shared turn beside s3, but x was called first.
      all.push(turn('s4', true));
      await settle('s3');
      await settle('x');
      await settle('s4');
      await Promise.all(all);
      // s3 waits for room, x for every shared turn, s4 for x though shared turns could run.
      expect(seen).toEqual([['s1'], ['s1', 's2'], ['s2', 's3'], ['x'], ['s4']]);
    });

    it("queues a process's waiters for a locked key without a pooled connection each, so other queries still get one", async () => {
      const { target } = get();
      const config = loadConfig({ DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir, CLEARINGHOUSE_DB_POOL_SIZE: '2' });
      const small = openDatabase(config.database);
      try {
        const order: string[] = [];
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        const locked = (label: string) =>
          inProcessTurn(small, 'k', () =>
            withTransaction(small, async (trx) => {
              await serializeOn(trx, small.caps, 'k');
              order.push(label);
              if (label === 'a') {
                entered();
                await held;
              }
            }),
          );
        const a = locked('a');
        await inside;
        const waiting = [locked('b'), locked('c')];
        // a's transaction holds one of the pool's two connections. Were b and c each holding a connection while
        // blocked on the advisory lock, this query would wait for one until the pool gave up (database unavailable).
        const { rows } = await sql<{ one: number }>`select 1 as one`.execute(small.kysely);
        expect(rows).toEqual([{ one: 1 }]);
        expect(order).toEqual(['a']);
        release();
        await Promise.all([a, ...waiting]);
        expect(order).toEqual(['a', 'b', 'c']);
      } finally {
        await small.close();
      }
    });
  }
});
