import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { REDERIVE_JOB } from '../service/rederive.js';
import { submitDocument } from '../service/submissions.js';
import { nativeDocument, nativeFinding } from '../test-support/native.js';
import { fingerprintsV2 } from './0003-fingerprints-v2.js';
import { lshStatisticsSample } from './0005-lsh-statistics-sample.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// A migration does the same thing forever: it may use the database kit and ids, never the module's service,
// domain or store, which move on (it would then do something else on an old database, or fail to load).
it('intake migrations import nothing of the module but themselves', () => {
  const files = readdirSync(HERE).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
  expect(files.length).toBeGreaterThanOrEqual(3);
  for (const file of files) {
    const imports = [...readFileSync(path.join(HERE, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(
      imports.filter((i) => !['kysely', '../../../platform/db/index.js', '../../../platform/ids.js'].includes(i ?? '')),
      file,
    ).toEqual([]);
  }
});

describeEachDatabase('intake migration 0003: fingerprint version 2', (dialect) => {
  const get = useTestRuntime(dialect);

  const rederiveJobs = () => get().runtime.db.kysely.selectFrom('platform_job').selectAll().where('kind', '=', REDERIVE_JOB).execute();

  it('queues the re-derivation job once when findings carry version 1 fingerprints, and the job runs', async () => {
    const { as, org, runtime } = get();
    const answer = await submitDocument(as(await org('researcher')), { bytes: nativeDocument([nativeFinding()]) });
    const db = runtime.db.kysely;
    const clusterId = answer.findings[0]!.clusterId;
    await db.updateTable('intake_finding').set({ fingerprint: 'fp1:0123' }).where('cluster_id', '=', clusterId).execute();

    await fingerprintsV2.up(db, runtime.db.caps);
    await fingerprintsV2.up(db, runtime.db.caps);
    expect(await rederiveJobs()).toEqual([
      expect.objectContaining({ kind: REDERIVE_JOB, dedup_key: `${REDERIVE_JOB}:fp2`, status: 'queued', attempts: 0, max_attempts: 100 }),
    ]);
    // Queued at the wall-clock time the migration ran: the job runs once the test's clock is there too.
    get().clock.set(new Date(Date.now() + 1000).toISOString());
    await runtime.jobs.drain();
    const stored = await db
      .selectFrom('intake_finding')
      .select('fingerprint')
      .where('cluster_id', '=', clusterId)
      .executeTakeFirstOrThrow();
    expect(stored.fingerprint).toMatch(/^fp2:/);
  });

  it('queues nothing when every fingerprint is current', async () => {
    const { as, org, runtime } = get();
    await submitDocument(as(await org('researcher')), { bytes: nativeDocument([nativeFinding()]) });
    await fingerprintsV2.up(runtime.db.kysely, runtime.db.caps);
    expect(await rederiveJobs()).toEqual([]);
  });
});

describeEachDatabase('intake migration 0005: a small statistics sample for intake_lsh', (dialect) => {
  const get = useTestRuntime(dialect);

  it('has PostgreSQL sample intake_lsh at statistics target 10 on every column, and may run again', async () => {
    const { runtime } = get();
    await lshStatisticsSample.up(runtime.db.kysely, runtime.db.caps);
    if (!runtime.db.caps.plannerNeedsStatistics) return;
    const { rows } = await sql<{ attname: string; attstattarget: number }>`
      select attname, attstattarget from pg_attribute
      where attrelid = 'intake_lsh'::regclass and attnum > 0 and not attisdropped order by attname`.execute(runtime.db.kysely);
    expect(rows.map((r) => [r.attname, Number(r.attstattarget)])).toEqual([
      ['bucket', 10],
      ['cluster_id', 10],
      ['finding_id', 10],
    ]);
  });
});
