import type { QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useAnotherProcess, useTestRuntime } from '#test-support/runtime.js';
import { cliActor } from '../../../app/runtime.js';
import { withTransaction } from '../../../platform/db/index.js';
import { statementsSent } from '#test-support/pg-statements.js';
import { cycloneDx, osvRecord, pypi } from '../test-support/fixtures.js';
import { upsertAdvisory } from './advisories.js';
import { exposureForAdvisory } from './exposure.js';
import { indexesOf } from './match-indexes.js';
import { withInventoryLock } from './match-lock.js';
import { rematchAdvisory } from './reverse-match.js';
import { uploadSbom } from './sboms.js';

/**
 * The match indexes are per-process caches of the database. Two runtimes on one database stand for two
 * server processes: each must see the other's advisories and uploads before it matches.
 */
describeEachDatabase('inventory match indexes across processes', (dialect) => {
  const get = useTestRuntime(dialect);
  const anotherProcess = useAnotherProcess(get);

  it("sees another process's advisory before a forward match, and its upload before a reverse match", async () => {
    const { runtime: a, as, org } = get();
    const b = await anotherProcess();
    const op = await org('operator');
    // A builds its indexes with one upload.
    await uploadSbom(as(op), { asset: { name: 'first' }, bytes: Buffer.from(cycloneDx([pypi('flask', '1.0')])) });
    expect(indexesOf(a.db).seq).toBe(1);

    // B adds an advisory; A's next upload is matched against it.
    await upsertAdvisory(b.contextFor(cliActor), osvRecord('PYSEC-1', 'PyPI', 'django', [{ introduced: '0' }, { fixed: '4.0' }]), {
      source: 'b',
      tlp: 'CLEAR',
    });
    const upload = await uploadSbom(as(op), { asset: { name: 'second' }, bytes: Buffer.from(cycloneDx([pypi('django', '3.0')])) });
    expect(upload.matches.affected).toBe(1);

    // B uploads (in the operator's name); an advisory A adds and reverse-matches in A finds B's upload.
    const fromB = await uploadSbom(b.contextFor(op.actor), {
      asset: { name: 'third' },
      bytes: Buffer.from(cycloneDx([pypi('requests', '2.0.0')])),
    });
    await upsertAdvisory(a.contextFor(cliActor), osvRecord('PYSEC-2', 'PyPI', 'requests', [{ introduced: '0' }, { fixed: '2.31.0' }]), {
      source: 'a',
      tlp: 'CLEAR',
    });
    await a.jobs.drain();
    expect((await exposureForAdvisory(a.contextFor(cliActor), 'PYSEC-2')).exposedAssets.map((x) => x.assetId)).toEqual([fromB.asset.id]);

    // B replaces its SBOM with a fixed version; A's reverse match no longer finds the old one.
    await uploadSbom(b.contextFor(op.actor), { assetId: fromB.asset.id, bytes: Buffer.from(cycloneDx([pypi('requests', '2.31.0')])) });
    expect(await rematchAdvisory(a.contextFor(cliActor), 'PYSEC-2')).toMatchObject({ matches: 0 });
    expect(indexesOf(a.db).seq).toBe(indexesOf(b.db).seq);
  });

  it.runIf(dialect === 'postgres')("replays another process's changes once when two refreshes are asked for at once", async () => {
    const { runtime: a, org } = get();
    const b = await anotherProcess();
    const op = await org('operator');
    const indexes = indexesOf(a.db);
    await indexes.refresh(a.db.kysely);
    await uploadSbom(b.contextFor(op.actor), { asset: { name: 'elsewhere' }, bytes: Buffer.from(cycloneDx([pypi('flask', '1.0')])) });
    // Each on a connection of its own, open already (as two uploads in their transactions).
    const { sent } = await statementsSent(() =>
      withTransaction(a.db, (one) => withTransaction(a.db, (two) => Promise.all([indexes.refresh(one), indexes.refresh(two)]))),
    );
    // The second waits for the first, then finds nothing left to read.
    expect(sent.filter((text) => text.includes('from "inventory_change" where "seq" >'))).toHaveLength(1);
    expect(indexes.components.owners).toBe(1);
  });

  it('leaves a change this process committed while a refresh runs to a later refresh, which may have read its subject before it', async () => {
    const { runtime: a } = get();
    const indexes = indexesOf(a.db);
    await indexes.refresh(a.db.kysely);
    const seq = indexes.seq;
    let applied = false;
    const running = indexes.refresh(a.db.kysely);
    indexes.applyLocal(seq + 1, seq + 1, () => (applied = true));
    await running;
    expect(applied).toBe(false);
    indexes.applyLocal(seq + 1, seq + 1, () => (applied = true));
    expect(applied).toBe(true);
  });

  it('builds from the database at first use in a new process, to the same answers', async () => {
    const { runtime: a, as, org, system } = get();
    const op = await org('operator');
    for (let i = 0; i < 5; i++) {
      await uploadSbom(as(op), {
        asset: { name: `asset ${i}` },
        bytes: Buffer.from(cycloneDx([pypi('django', `3.${i}.0`), pypi('jinja2', '2.10')])),
      });
    }
    await upsertAdvisory(system, osvRecord('PYSEC-3', 'PyPI', 'Django', [{ introduced: '3.1.0' }, { fixed: '3.3.0' }]), {
      source: 't',
      tlp: 'CLEAR',
    });
    await a.jobs.drain();
    const fresh = await anotherProcess();
    expect(indexesOf(fresh.db).seq).toBe(-1);
    expect(await rematchAdvisory(fresh.contextFor(cliActor), 'PYSEC-3')).toMatchObject({ matches: 2, added: 0, removed: 0, changed: 0 });
    const indexes = indexesOf(fresh.db);
    expect(indexes.components.owners).toBe(5);
    expect(indexes.components.distinctComponents).toBe(6);
    expect(indexes.advisories.size).toBe(1);
  });

  it("catches up with many of another process's changes in the same few statements as with one", async () => {
    const { runtime: a, as, org, system } = get();
    const b = await anotherProcess();
    const op = await org('operator');
    await uploadSbom(as(op), { asset: { name: 'built' }, bytes: Buffer.from(cycloneDx([pypi('flask', '1.0')])) });
    expect(indexesOf(a.db).seq).toBe(1);
    /** The statements one refresh of A's indexes sends after B made `uploads` uploads and as many advisories. */
    const statementsToCatchUp = async (uploads: number, first: number): Promise<number> => {
      for (let i = first; i < first + uploads; i++) {
        await uploadSbom(b.contextFor(op.actor), {
          asset: { name: `from b ${i}` },
          bytes: Buffer.from(cycloneDx([pypi(`pkg-${i}`, '1.0'), pypi('flask', `1.${i}`)])),
        });
        await upsertAdvisory(b.contextFor(cliActor), osvRecord(`PYSEC-B${i}`, 'PyPI', `pkg-${i}`, [{ introduced: '0' }]), {
          source: 'b',
          tlp: 'CLEAR',
        });
      }
      let statements = 0;
      const counter = {
        transformQuery: (args: { node: RootOperationNode }) => args.node,
        transformResult: async (args: { result: QueryResult<UnknownRow> }) => (statements++, args.result),
      };
      await indexesOf(a.db).refresh(a.db.kysely.withPlugin(counter));
      return statements;
    };
    const afterOne = await statementsToCatchUp(1, 0);
    const afterTwelve = await statementsToCatchUp(12, 1);
    expect(afterTwelve).toBe(afterOne);
    // And A now knows all of them: its forward match finds B's twelfth advisory, its reverse match B's uploads.
    expect(indexesOf(a.db).seq).toBe(indexesOf(b.db).seq);
    expect(indexesOf(a.db).advisories.size).toBe(13);
    expect(indexesOf(a.db).components.owners).toBe(14);
    const upload = await uploadSbom(as(op), { asset: { name: 'late' }, bytes: Buffer.from(cycloneDx([pypi('pkg-12', '1.0')])) });
    expect(upload.matches.affected).toBe(1);
    expect(await rematchAdvisory(system, 'PYSEC-B5')).toMatchObject({ matches: 1 });
  });

  // Two processes share only PostgreSQL; on SQLite writers are serialized by the file lock anyway.
  it.runIf(dialect === 'postgres')('makes an advisory upsert in one process wait for an upload holding the lock in another', async () => {
    const { runtime: a, org } = get();
    const b = await anotherProcess();
    const op = await org('operator');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    // Process A is between its forward match and its commit, holding the inventory lock.
    const upload = withInventoryLock(a.contextFor(op.actor), async () => {
      locked();
      await gate;
    });
    await holding;
    let upserted = false;
    const upsert = upsertAdvisory(b.contextFor(cliActor), osvRecord('PYSEC-W', 'PyPI', 'waiter', [{ introduced: '0' }]), {
      source: 'b',
      tlp: 'CLEAR',
    }).then(() => {
      upserted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waited = !upserted;
    release();
    await Promise.all([upload, upsert]);
    expect(waited).toBe(true);
    expect(upserted).toBe(true);
  });

  it.runIf(dialect === 'postgres')(
    'loses no match when uploads and new advisories for them run concurrently in two processes',
    async () => {
      const { runtime: a, org } = get();
      const b = await anotherProcess();
      const op = await org('operator');
      for (let round = 0; round < 8; round++) {
        const name = `racer-${round}`;
        const [uploaded] = await Promise.all([
          uploadSbom(a.contextFor(op.actor), { asset: { name }, bytes: Buffer.from(cycloneDx([pypi(name, '1.0')])) }),
          upsertAdvisory(b.contextFor(cliActor), osvRecord(`PYSEC-R${round}`, 'PyPI', name, [{ introduced: '0' }, { fixed: '2.0' }]), {
            source: 'b',
            tlp: 'CLEAR',
          }),
        ]);
        await Promise.all([a.jobs.drain(), b.jobs.drain()]);
        const exposure = await exposureForAdvisory(a.contextFor(cliActor), `PYSEC-R${round}`);
        expect([round, exposure.exposedAssets.map((x) => x.assetId)]).toEqual([round, [uploaded.asset.id]]);
      }
    },
  );
});
