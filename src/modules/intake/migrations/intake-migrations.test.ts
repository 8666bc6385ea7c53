import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { ownTables } from '#test-support/introspection.js';
import { KeepQueries, planOf } from '#test-support/query-plans.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { forgetColumnTypes, type AnyKysely } from '../../../platform/db/index.js';
import { getFinding, listClusters } from '../service/clusters.js';
import { REDERIVE_JOB } from '../service/rederive.js';
import { submitDocument } from '../service/submissions.js';
import { moveFindings } from '../store/findings.js';
import { intakeRetention } from '../store/retention.js';
import { nativeDocument, nativeFinding, osvRecord } from '../test-support/native.js';
import { fingerprintsV2 } from './0003-fingerprints-v2.js';
import { lshStatisticsSample } from './0005-lsh-statistics-sample.js';
import { findingDataAsWritten } from './0006-finding-data-as-written.js';
import { binaryClusterKeys, keyBytesAtVersion7 } from './0007-binary-cluster-keys.js';
import { clusterKeyBytes, clusterKeyOf } from '../store/cluster-key-bytes.js';

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

/** Every stored identity key, its cluster, finding and time, in the order of the key's text. */
async function storedKeys(db: AnyKysely): Promise<{ key: string; cluster_id: string; finding_id: string; created_at: string }[]> {
  const { rows } = await sql<{ key: Uint8Array; cluster_id: string; finding_id: string; created_at: string }>`
    select key, cluster_id, finding_id, created_at from intake_cluster_key`.execute(db);
  return rows
    .map((r) => ({ key: clusterKeyOf(r.key), cluster_id: r.cluster_id, finding_id: r.finding_id, created_at: String(r.created_at) }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

it('migration 0007 stores keys as the store encodes them, and the store reads back every form', () => {
  const keys = [
    `fp:fp2:${'0123456789abcdef'.repeat(4)}`,
    `fp:fp2:${'0123456789ABCDEF'.repeat(4)}`,
    'fp:fp1:0123',
    'alias:CVE-2026-0707',
    'alias:GHSA-ü',
    'finding:fnd_01',
    'alias:',
  ];
  for (const key of keys) {
    expect(keyBytesAtVersion7(key), key).toEqual(clusterKeyBytes(key));
    expect(clusterKeyOf(clusterKeyBytes(key))).toBe(key);
  }
  expect(clusterKeyBytes(keys[0]!)).toHaveLength(33);
  expect(new Set(keys.map((k) => clusterKeyBytes(k).toString('hex'))).size).toBe(keys.length);
});

describeEachDatabase('intake migration 0007: identity keys as bytes', (dialect) => {
  const get = useTestRuntime(dialect);

  it('moves every key of a text-keyed table with its cluster, finding and time, and deduplicates on them after', async () => {
    const { as, org, runtime } = get();
    const db = runtime.db.kysely;
    const caps = runtime.db.caps;
    const researcher = as(await org('researcher'));
    const first = await submitDocument(researcher, {
      bytes: nativeDocument([nativeFinding(), nativeFinding({ title: 'Other', location: { path: 'b.py' } })]),
    });
    await submitDocument(researcher, { bytes: osvRecord('GHSA-2026-mig7-test', ['CVE-2026-0707']) });
    const held = await storedKeys(db);
    expect(held.some((k) => k.key.startsWith('fp:fp2:')) && held.some((k) => k.key.startsWith('alias:'))).toBe(true);
    // An older fingerprint version and a lone finding's key: stored as text by the first byte.
    const extra = [
      { key: 'fp:fp1:0123', cluster_id: first.findings[0]!.clusterId, finding_id: 'fnd_old', created_at: held[0]!.created_at },
      { key: 'finding:fnd_lone', cluster_id: first.findings[1]!.clusterId, finding_id: 'fnd_lone', created_at: held[0]!.created_at },
    ];

    // The table as migrations 0001–0006 left it, holding these keys as text with their kind.
    await db.schema.dropTable('intake_cluster_key').execute();
    let table = db.schema.createTable('intake_cluster_key').addColumn('key', 'text', (c) => c.primaryKey());
    for (const column of ['cluster_id', 'kind', 'finding_id']) table = table.addColumn(column, 'text', (c) => c.notNull());
    await table.addColumn('created_at', caps.types.timestamp, (c) => c.notNull()).execute();
    await db.schema.createIndex('intake_cluster_key_cluster').on('intake_cluster_key').column('cluster_id').execute();
    const kindOf = (key: string) => (key.startsWith('alias:') ? 'alias' : key.startsWith('fp:') ? 'fingerprint' : 'finding');
    for (const k of [...held, ...extra])
      await db
        .insertInto('intake_cluster_key')
        .values({ ...k, kind: kindOf(k.key) })
        .execute();
    forgetColumnTypes(db);

    await binaryClusterKeys.up(db, caps);
    forgetColumnTypes(db); // as the migration runner does once it has run migrations

    expect(await storedKeys(db)).toEqual([...held, ...extra].sort((a, b) => (a.key < b.key ? -1 : 1)));
    expect((await columnType(db, 'intake_cluster_key', 'key'))?.toLowerCase()).toBe(caps.types.binary);
    expect(await columnType(db, 'intake_cluster_key', 'kind')).toBeUndefined();
    // Deduplication and the alias search find the clusters through the migrated keys.
    const other = as(await org('researcher'));
    const again = await submitDocument(other, { bytes: nativeDocument([nativeFinding()]) });
    expect(again.findings[0]).toMatchObject({ outcome: 'duplicate', clusterId: first.findings[0]!.clusterId });
    const byAlias = await listClusters(other, { alias: 'CVE-2026-0707' });
    expect(byAlias.items).toHaveLength(1);
    const alias = await submitDocument(other, { bytes: osvRecord('GHSA-2026-mig7-more', ['CVE-2026-0707']) });
    expect(alias.findings[0]).toMatchObject({ outcome: 'duplicate', clusterId: byAlias.items[0]!.id });
  });
});

describeEachDatabase('intake migration 0008: room on the cluster pages', (dialect) => {
  const get = useTestRuntime(dialect);

  it('grows the clusters a later submission duplicates in place on PostgreSQL, their counts on every database', async () => {
    const { as, org, runtime } = get();
    const [lab, agency] = [await org('researcher'), await org('agency')];
    const k = runtime.db.kysely;
    const finding = (i: number) => nativeFinding({ title: `page ${i}`, location: { path: `page${i}.py`, function: `f${i}` } });
    const first = await submitDocument(as(lab), { bytes: nativeDocument(Array.from({ length: 300 }, (_, i) => finding(i))) });
    // One cluster in five grows: a few new row versions per page, as a submission's duplicates spread over a large table.
    const grown = first.findings.filter((_, i) => i % 5 === 0).map((f) => f.clusterId);
    const pages = async () =>
      new Map(
        (await sql<{ id: string; page: number }>`select id, (ctid::text::point)[0]::int as page from intake_cluster`.execute(k)).rows.map(
          (r) => [r.id, Number(r.page)],
        ),
      );
    const before = runtime.db.caps.fillfactor ? await pages() : new Map<string, number>();
    await submitDocument(as(agency), {
      bytes: nativeDocument(Array.from({ length: 300 }, (_, i) => finding(i)).filter((_, i) => i % 5 === 0)),
    });
    const counts = await k.selectFrom('intake_cluster').select(['id', 'finding_count']).where('id', 'in', grown).execute();
    expect(counts.map((c) => Number(c.finding_count))).toEqual(grown.map(() => 2));
    if (!runtime.db.caps.fillfactor) return;
    // On pages packed full each new version went to another page (and into both indexes): not a HOT update.
    const after = await pages();
    expect(grown.filter((id) => after.get(id) !== before.get(id))).toEqual([]);
  });
});

describeEachDatabase('intake migration 0009: near-duplicate buckets by finding', (dialect) => {
  const get = useTestRuntime(dialect);

  it("moves and purges findings' bucket rows through an index, not by reading every bucket row", async () => {
    const { db } = get().runtime;
    const kept = new KeepQueries();
    const findings = ['fnd_01', 'fnd_02', 'fnd_03'];
    await db.kysely.transaction().execute(async (trx) => {
      await moveFindings(trx.withPlugin(kept), findings, 'clu_into');
      await intakeRetention.purge(trx.withPlugin(kept), 'finding', findings, { caps: db.caps, now: '2026-06-02T12:00:00.000Z' });
    });
    const onBuckets = kept.nodes.filter((node) => JSON.stringify(node).includes('"intake_lsh"'));
    // The move's update and the purge's delete.
    expect(onBuckets).toHaveLength(2);
    for (const node of onBuckets) expect(await planOf(db, dialect, node)).toContain('intake_lsh_finding');
  });
});
