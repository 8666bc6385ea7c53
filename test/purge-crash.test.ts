import { expect, it } from 'vitest';
import { governanceMigrations, runRetentionPurge } from '../src/modules/governance/index.js';
import { testRegistry } from '../src/modules/governance/test-support/registry.js';
import { addEvidence, setVerdict } from '../src/modules/validation/index.js';
import { distinctFinding, report } from '../src/modules/validation/test-support/scene.js';
import { runMigrations } from '../src/platform/db/index.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { killed, spawnTs, waitForLine } from '#test-support/spawn.js';

/**
 * "Resumable": a purge killed (SIGKILL) after some batches committed but before their blobs were deleted
 * leaves every record either whole or tombstoned with its blob pending; the next run finishes the work,
 * and the end state is what one uninterrupted run would have left: every expired record and blob gone, one
 * tombstone and one audit event each.
 */
describeEachDatabase('a purge killed mid-way', (dialect) => {
  const get = useTestRuntime(dialect, dialect === 'postgres' ? { CLEARINGHOUSE_BLOBS: 'db' } : {});

  it('leaves no half state, and the next run finishes it', async () => {
    const t = get();
    await runMigrations(t.runtime.db, [governanceMigrations]);
    const researcher = await t.org('researcher');
    const [cluster] = await report(t, researcher, [distinctFinding()]);
    const evidence = [];
    for (let i = 0; i < 8; i++) {
      evidence.push(
        await addEvidence(t.as(researcher), cluster!, {
          bytes: Buffer.from(`exploit ${i}`),
          filename: `poc-${i}.py`,
          kind: 'proof_of_concept',
        }),
      );
    }
    await setVerdict(t.as(t.coordinatorAdmin), cluster!, { state: 'invalid', reason: 'not_reproducible', note: 'fixture' });
    const purgeAt = new Date(t.clock.now().getTime() + 31 * 24 * 3600 * 1000).toISOString();

    const env = {
      ...process.env,
      DATABASE_URL: t.database.url,
      CLEARINGHOUSE_DATA_DIR: t.database.dir,
      LOG_LEVEL: 'silent',
      PURGE_AT: purgeAt,
      HANG_AFTER: '3',
    };
    if (dialect === 'postgres') Object.assign(env, { CLEARINGHOUSE_BLOBS: 'db' });
    const child = spawnTs('test/fixtures/purge-and-hang.ts', [], env);
    await waitForLine(child, /committed 3/);
    await killed(child);

    const db = t.runtime.db.kysely;
    const remaining = new Set((await db.selectFrom('validation_evidence').select('id').execute()).map((r) => r.id as string));
    const tombstoned = new Set(
      (await db.selectFrom('governance_tombstone').select('record_id').execute()).map((r) => r.record_id as string),
    );
    const pending = new Set((await db.selectFrom('governance_pending_blob').select('sha256').execute()).map((r) => r.sha256 as string));
    expect(tombstoned.size).toBe(3);
    for (const e of evidence) {
      // Each record is either whole (row and blob) or purged (tombstone, no row) — never both, never neither.
      expect(remaining.has(e.id)).toBe(!tombstoned.has(e.id));
      if (remaining.has(e.id)) expect(await t.runtime.blobs.has(e.sha256)).toBe(true);
    }
    // The last committed batch's blob was not deleted yet: it is pending, and on disk or in the database.
    const last = evidence.filter((e) => tombstoned.has(e.id)).map((e) => e.sha256);
    expect(last.some((sha) => pending.has(sha))).toBe(true);

    t.clock.set(purgeAt);
    const resumed = await runRetentionPurge(t.as(t.coordinatorAdmin), testRegistry);
    expect(resumed.purged).toBe(5);
    expect(await db.selectFrom('validation_evidence').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('governance_pending_blob').selectAll().execute()).toEqual([]);
    for (const e of evidence) expect(await t.runtime.blobs.has(e.sha256)).toBe(false);
    const tombstones = await db.selectFrom('governance_tombstone').select('record_id').execute();
    expect(tombstones.map((r) => r.record_id).sort()).toEqual(evidence.map((e) => e.id).sort());
    const events = await db.selectFrom('audit_event').select('subject_id').where('action', '=', 'governance.record.purge').execute();
    expect(events.map((e) => e.subject_id).sort()).toEqual(evidence.map((e) => e.id).sort());
  });
});
