import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useAnotherProcess, useTestRuntime, type TestUser } from '#test-support/runtime.js';
import { cliActor, type Runtime } from '../../../app/runtime.js';
import { cycloneDx, osvRecord, pypi } from '../test-support/fixtures.js';
import { t } from '../store/tables.js';
import { upsertAdvisory } from './advisories.js';
import { exposureForAdvisory } from './exposure.js';
import { withInventoryLock, withUploadLockAfter } from './match-lock.js';
import { rematchAdvisory } from './reverse-match.js';
import { uploadSbom } from './sboms.js';

/**
 * SBOM uploads hold the inventory lock shared, each with its operator's upload lock alone; advisory upserts and
 * reverse matches hold it alone; the change log is numbered under a lock of its own, from an upload's append to
 * its commit (match-lock.ts). Two runtimes on one database stand for two server processes.
 */
describeEachDatabase('inventory upload lock', (dialect) => {
  const get = useTestRuntime(dialect);
  // Registered first, so that its closing runs after the holds below are let go (after-hooks run last first).
  const anotherProcess = useAnotherProcess(get);
  const clients: pg.Client[] = [];
  /** Holds to let go of when a test fails while they hold. */
  const releases: (() => void)[] = [];
  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    for (const c of clients.splice(0)) await c.end();
  });

  const sbom = (name: string, version = '1.0') => Buffer.from(cycloneDx([pypi(name, version)]));
  const advisory = (id: string, name: string) => osvRecord(id, 'PyPI', name, [{ introduced: '0' }, { fixed: '2.0' }]);

  async function changeSeqs(runtime: Runtime): Promise<number[]> {
    const rows = await t(runtime.db.kysely).selectFrom('inventory_change').select('seq').orderBy('seq').execute();
    return rows.map((r) => Number(r.seq));
  }

  it('matches every SBOM once, by one direction or the other, when several operators upload in two processes while an advisory for them is imported', async () => {
    const { runtime: a, org } = get();
    const b = await anotherProcess();
    const operators: TestUser[] = [await org('operator'), await org('operator'), await org('operator')];
    const uploads = operators.flatMap((op, i) =>
      [a, b].map((runtime, j) =>
        uploadSbom(runtime.contextFor(op.actor), { asset: { name: `plant-${i}-${j}` }, bytes: sbom('shared-pkg') }),
      ),
    );
    const imported = upsertAdvisory(b.contextFor(cliActor), advisory('PYSEC-RACE', 'shared-pkg'), { source: 'b', tlp: 'CLEAR' });
    const uploaded = await Promise.all(uploads);
    await imported;
    await Promise.all([a.jobs.drain(), b.jobs.drain()]);
    const exposure = await exposureForAdvisory(a.contextFor(cliActor), 'PYSEC-RACE');
    expect(exposure.exposedAssets.map((x) => x.assetId).sort()).toEqual(uploaded.map((u) => u.asset.id).sort());
    const matches = await t(a.db.kysely).selectFrom('inventory_match').select('asset_id').where('advisory_id', '=', 'PYSEC-RACE').execute();
    expect(matches).toHaveLength(uploaded.length);
    // Numbered in commit order, none twice, none skipped: six uploads and one advisory.
    expect(await changeSeqs(a)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  if (dialect !== 'postgres') return;

  /** A connection of the test's own, which holds advisory locks as a transaction of the product would. */
  async function sideConnection(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: get().database.url });
    await client.connect();
    clients.push(client);
    return client;
  }

  /** How many transactions wait for an advisory lock in the test's database. */
  async function lockWaiters(): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
      where l.locktype = 'advisory' and not l.granted and d.datname = current_database()`.execute(get().runtime.db.kysely);
    return rows[0]?.n ?? 0;
  }

  /** Waits until `n` transactions wait for an advisory lock, or all of `work` has settled (then the test fails). */
  async function untilWaiting(n: number, work: readonly Promise<unknown>[]): Promise<void> {
    let settled = false;
    void Promise.allSettled(work).then(() => (settled = true));
    while (!settled && (await lockWaiters()) < n) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    expect(await lockWaiters()).toBe(n);
  }

  /** Holds the upload lock of `op` in `runtime` until the returned release is called. */
  async function holdUpload(runtime: Runtime, op: TestUser): Promise<{ release: () => void; done: Promise<void> }> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    releases.push(release);
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const done = withUploadLockAfter(
      runtime.contextFor(op.actor),
      op.orgId,
      () => undefined,
      async () => {
        entered();
        await gate;
      },
    );
    await inside;
    return { release, done };
  }

  it("lets another operator's upload go ahead of an upload that holds the lock, and keeps an advisory import and a reverse match waiting for it", async () => {
    const { runtime: a, org } = get();
    const [b, c] = [await anotherProcess(), await anotherProcess()];
    const [first, second] = [await org('operator'), await org('operator')];
    await upsertAdvisory(a.contextFor(cliActor), advisory('PYSEC-OLD', 'pkg'), { source: 'a', tlp: 'CLEAR' });
    const held = await holdUpload(a, first);

    // Shared with the held one: done while it still holds.
    const other = await uploadSbom(b.contextFor(second.actor), { asset: { name: 'other' }, bytes: sbom('pkg') });
    expect(other.matches.affected).toBe(1);

    const imported = upsertAdvisory(b.contextFor(cliActor), advisory('PYSEC-NEW', 'pkg'), { source: 'b', tlp: 'CLEAR' });
    const rematched = rematchAdvisory(c.contextFor(cliActor), 'PYSEC-OLD');
    await untilWaiting(2, [imported, rematched]);
    held.release();
    await Promise.all([held.done, imported, rematched]);
  });

  it("keeps an operator's second upload, in another process, waiting for its first", async () => {
    const { runtime: a, org } = get();
    const b = await anotherProcess();
    const op = await org('operator');
    const held = await holdUpload(a, op);
    const upload = uploadSbom(b.contextFor(op.actor), { asset: { name: 'plant' }, bytes: sbom('pkg') });
    await untilWaiting(1, [upload]);
    held.release();
    await held.done;
    expect((await upload).sbom.version).toBe(1);
  });

  it("keeps an operator's second upload in its place in the process's queue while the first waits behind an exclusive turn", async () => {
    const { runtime: a, org } = get();
    const op = await org('operator');
    const order: string[] = [];
    // An exclusive turn of this process, held: the turns below are called in this order behind it.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    releases.push(release);
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const held = withInventoryLock(a.contextFor(cliActor), async () => {
      entered();
      await gate;
    });
    await inside;
    const upload = (name: string) =>
      withUploadLockAfter(
        a.contextFor(op.actor),
        op.orgId,
        () => undefined,
        async () => void order.push(name),
      );
    const turns = [upload('first upload'), upload('second upload')];
    // Called after both uploads: neither may be put behind it.
    turns.push(withInventoryLock(a.contextFor(cliActor), async () => void order.push('exclusive')));
    release();
    await Promise.all([held, ...turns]);
    expect(order).toEqual(['first upload', 'second upload', 'exclusive']);
  });

  it("holds the change log's lock from an upload's append to its commit: uploads holding the inventory lock together append one at a time", async () => {
    const { runtime: a, org } = get();
    const b = await anotherProcess();
    const [first, second] = [await org('operator'), await org('operator')];
    const side = await sideConnection();
    await side.query(`select pg_advisory_lock(hashtext('inventory.change'))`);
    const uploads = [
      uploadSbom(a.contextFor(first.actor), { asset: { name: 'one' }, bytes: sbom('pkg') }),
      uploadSbom(b.contextFor(second.actor), { asset: { name: 'two' }, bytes: sbom('pkg') }),
    ];
    // Both past the inventory lock, both written, both waiting to number their change.
    await untilWaiting(2, uploads);
    await side.query(`select pg_advisory_unlock(hashtext('inventory.change'))`);
    await Promise.all(uploads);
    expect(await changeSeqs(a)).toEqual([1, 2]);
  });
});
