import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { ownTables } from '#test-support/introspection.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { forgetColumnTypes, type AnyKysely } from '../../../platform/db/index.js';
import { getFinding, listClusters } from '../service/clusters.js';
import { REDERIVE_JOB } from '../service/rederive.js';
import { submitDocument } from '../service/submissions.js';
import { intakeRetention } from '../store/retention.js';
import { nativeDocument, nativeFinding, osvRecord } from '../test-support/native.js';
import { fingerprintsV2 } from './0003-fingerprints-v2.js';
import { lshStatisticsSample } from './0005-lsh-statistics-sample.js';
import { findingDataAsWritten } from './0006-finding-data-as-written.js';

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

/** A column's declared type in this test's own database (`jsonb`, `json`, `text`…). */
async function columnType(db: AnyKysely, table: string, column: string): Promise<string | undefined> {
  const tables = await ownTables(db as Kysely<unknown>);
  return tables.find((t) => t.name === table)?.columns.find((c) => c.name === column)?.dataType;
}

/** Every finding's id and stored data text, in id order: what every reader of the column parses. */
const storedData = (db: AnyKysely) =>
  sql<{ id: string; data: string }>`select id, data from intake_finding order by id`.execute(db).then((r) => r.rows);

/** Values that a JSON column may print back otherwise than written: escapes, non-ASCII, numbers, nesting. */
const awkwardFinding = nativeFinding({
  title: 'Überlauf in “quoted” \\ paths\twith a tab',
  description: 'A line\nbreak, a control \u0001 character, an emoji 🧨, </script> and "quotes".',
  location: { path: 'src/ä b/c.js', function: 'parse_ß', startLine: 1e3 },
  cwe: ['CWE-787', 'CWE-20'],
});

describeEachDatabase('intake migration 0006: finding data stored as written', (dialect) => {
  const get = useTestRuntime(dialect);

  it('reads back every finding exactly as the database held it, and keeps those submitted after as intake wrote them', async () => {
    const { as, org, runtime } = get();
    const db = runtime.db.kysely;
    const caps = runtime.db.caps;
    // The column as 0001 made it, before the findings are stored (a database this migration upgrades).
    const before = caps.types.json;
    if (before !== caps.types.jsonAsWritten)
      await sql`alter table intake_finding alter column data type ${sql.raw(before)} using cast(data as ${sql.raw(before)})`.execute(db);
    const researcher = as(await org('researcher'));
    await submitDocument(researcher, { bytes: nativeDocument([awkwardFinding, nativeFinding({ title: 'Second finding' })]) });
    await submitDocument(researcher, { bytes: osvRecord('GHSA-2026-mig6-test', ['CVE-2026-0606']) });
    const held = await storedData(db);
    const ids = held.map((r) => r.id);
    const details = await Promise.all(ids.map((id) => getFinding(researcher, id)));
    const retained = await intakeRetention.content(db, 'finding', ids);

    await findingDataAsWritten.up(db, caps);
    forgetColumnTypes(db); // as the migration runner does once it has run migrations

    expect((await columnType(db, 'intake_finding', 'data'))?.toLowerCase()).toBe(caps.types.jsonAsWritten);
    expect(await storedData(db)).toEqual(held);
    expect(await Promise.all(ids.map((id) => getFinding(researcher, id)))).toEqual(details);
    expect(await intakeRetention.content(db, 'finding', ids)).toEqual(held.map((h) => retained.find((r) => r['id'] === h.id)));
    // The alias search reads the data as text: it finds the report stored before the migration.
    const byAlias = await listClusters(researcher, { alias: 'CVE-2026-0606' });
    expect(byAlias.items.map((c) => c.id)).toEqual([details[2]!.clusterId]);

    // The same finding from another organisation, stored after: the same values, and its text as written.
    const other = as(await org('researcher'));
    const later = await submitDocument(other, { bytes: nativeDocument([awkwardFinding]) });
    await submitDocument(other, { bytes: osvRecord('GHSA-2026-mig6-test', ['CVE-2026-0606']) });
    const fresh = (await storedData(db)).filter((r) => !ids.includes(r.id));
    const awkward = fresh.find((r) => r.data.includes('Überlauf'))!;
    expect(JSON.stringify(JSON.parse(awkward.data))).toBe(awkward.data);
    const detail = await getFinding(other, awkward.id);
    expect(detail.clusterId).toBe(later.findings[0]!.clusterId);
    expect(detail.data).toEqual(details.find((d) => d.title === awkwardFinding['title'])!.data);
    const byAliasAfter = await listClusters(other, { alias: 'CVE-2026-0606' });
    expect(byAliasAfter.items.map((c) => c.id)).toEqual([details[2]!.clusterId]);
  });
});
