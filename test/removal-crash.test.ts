import { expect, it } from 'vitest';
import { getRemoval, requestOrgRemoval } from '../src/modules/governance/index.js';
import { placeHold } from '../src/modules/governance/index.js';
import { addEvidence } from '../src/modules/validation/index.js';
import { distinctFinding, report } from '../src/modules/validation/test-support/scene.js';
import { DAY, MINUTE } from '../src/platform/clock.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { killed, spawnTs, waitForLine } from '#test-support/spawn.js';

/**
 * An organisation's removal job killed (SIGKILL) after some records were removed: every record is then
 * either whole or tombstoned, never half; the removal still says running; and once the dead worker's lease
 * has expired the job runner runs it again, which finishes it — the end state is what one uninterrupted
 * run leaves: every record the organisation owns gone with its blob but the held one, one tombstone and one
 * audit event each, the removal completed and counting both runs.
 */
describeEachDatabase('an organisation removal killed mid-way', (dialect) => {
  const get = useTestRuntime(dialect, dialect === 'postgres' ? { CLEARINGHOUSE_BLOBS: 'db' } : {});

  it('leaves no half state, and the restarted job runner completes it', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const [cluster] = await report(t, researcher, [distinctFinding()]);
    const evidence = [];
    for (let i = 0; i < 6; i++) {
      evidence.push(
        await addEvidence(t.as(researcher), cluster!, {
          bytes: Buffer.from(`exploit ${i}`),
          filename: `poc-${i}.py`,
          kind: 'proof_of_concept',
        }),
      );
    }
    const held = evidence[0]!;
    await placeHold(t.as(t.coordinatorAdmin), { scope: 'record', targetId: held.id, reason: 'subpoena' });
    await t.runtime.jobs.drain();
    // The organisation leaves two days later: its blobs are past the grace a just-stored blob is given.
    t.clock.advance(2 * DAY);
    const asked = await requestOrgRemoval(t.as(researcher), { reason: 'leaving' });

    const env = {
      DATABASE_URL: t.database.url,
      CLEARINGHOUSE_DATA_DIR: t.database.dir,
      LOG_LEVEL: 'silent',
      REMOVE_AT: t.clock.now().toISOString(),
      HANG_AFTER: '2',
      ...(dialect === 'postgres' ? { CLEARINGHOUSE_BLOBS: 'db' } : {}),
    };
    const child = spawnTs('test/fixtures/remove-and-hang.ts', [], env);
    await waitForLine(child, /committed 2/, 120_000);
    await killed(child);

    const db = t.runtime.db.kysely;
    const tombstoned = async () =>
      (await db.selectFrom('governance_tombstone').select('record_id').execute()).map((r) => r.record_id as string).sort();
    const remaining = new Set((await db.selectFrom('validation_evidence').select('id').execute()).map((r) => r.id as string));
    const halfway = new Set(await tombstoned());
    // Two records removed (whatever classes the walk met first), and no record both tombstoned and present.
    expect(halfway.size).toBe(2);
    for (const e of evidence) {
      expect(remaining.has(e.id), e.id).toBe(!halfway.has(e.id));
      if (remaining.has(e.id)) expect(await t.runtime.blobs.has(e.sha256)).toBe(true);
    }
    expect(await getRemoval(t.as(researcher), asked.removal.id)).toMatchObject({ status: 'running', completedAt: null });

    // The restarted process: the dead worker's lease runs out, and the job runner takes the job again.
    t.clock.advance(6 * MINUTE);
    await t.runtime.jobs.drain();

    const removal = await getRemoval(t.as(researcher), asked.removal.id);
    expect(removal).toMatchObject({ status: 'completed', held: 1 });
    expect(removal.removed.poc_evidence).toBe(5);
    expect((await db.selectFrom('validation_evidence').select('id').execute()).map((r) => r.id)).toEqual([held.id]);
    expect(await t.runtime.blobs.has(held.sha256)).toBe(true);
    for (const e of evidence.slice(1)) expect(await t.runtime.blobs.has(e.sha256), e.id).toBe(false);
    expect(await db.selectFrom('governance_pending_blob').selectAll().execute()).toEqual([]);
    const tombstones = await tombstoned();
    for (const e of evidence.slice(1)) expect(tombstones).toContain(e.id);
    expect(tombstones).not.toContain(held.id);
    expect(new Set(tombstones).size).toBe(tombstones.length);
    expect(Object.values(removal.removed).reduce((n, c) => n + c, 0)).toBe(tombstones.length);
    const events = (await db.selectFrom('audit_event').select('subject_id').where('action', '=', 'governance.record.purge').execute())
      .map((e) => e.subject_id as string)
      .sort();
    expect(events).toEqual(tombstones);
    const job = await db
      .selectFrom('platform_job')
      .select(['status', 'attempts'])
      .where('kind', '=', 'governance.org.remove')
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: 2 });
    expect((await db.selectFrom('audit_event').select('subject_id').where('action', '=', 'governance.org.removed').execute()).length).toBe(
      1,
    );
  });
});
