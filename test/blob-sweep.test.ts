import { beforeAll, expect, it } from 'vitest';
import { allBlobReferences } from '../src/app/modules.js';
import { sweepBlobStore } from '../src/app/runtime.js';
import { addMaterial, importInspectLog, reportVulnerability } from '../src/modules/frontier/index.js';
import { inspectJsonLog, zstdInit } from '../src/modules/frontier/test-support/eval-archive.js';
import { frontierScene, grantAndAcknowledge } from '../src/modules/frontier/test-support/scene.js';
import { uploadSbom } from '../src/modules/inventory/index.js';
import { cycloneDx, pypi } from '../src/modules/inventory/test-support/fixtures.js';
import { addEvidence } from '../src/modules/validation/index.js';
import { distinctFinding, report } from '../src/modules/validation/test-support/scene.js';
import { HOUR } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { BlobEntry } from '../src/platform/blobs/index.js';
import type { Executor } from '../src/platform/db/index.js';
import { describeEachDatabase } from './support/databases.js';
import { useTestRuntime, type TestRuntime } from './support/runtime.js';

beforeAll(() => zstdInit());

/**
 * Where records name blobs, read straight from the tables (not through the modules' declarations, which
 * are what is under test): raw submissions, validation evidence, SBOMs, review material, Inspect logs and
 * the evidence files of model-found vulnerabilities (a JSON list).
 */
async function blobsNamedByRecords(db: Executor): Promise<Set<string>> {
  const named = new Set<string>();
  const column = async (table: string, name: string) => {
    for (const row of (await db.selectFrom(table).select(`${name} as sha`).execute()) as { sha: string | null }[]) {
      if (row.sha !== null) named.add(row.sha);
    }
  };
  await column('intake_submission', 'sha256');
  await column('validation_evidence', 'sha256');
  await column('inventory_sbom', 'blob_sha256');
  await column('frontier_material', 'sha256');
  await column('frontier_evaluation', 'blob_sha256');
  for (const row of (await db.selectFrom('frontier_vulnerability').select('evidence').execute()) as { evidence: unknown }[]) {
    const list = (typeof row.evidence === 'string' ? JSON.parse(row.evidence) : row.evidence) as { sha256: string }[];
    for (const e of list) named.add(e.sha256);
  }
  return named;
}

/** One record of every kind that stores a blob, through the real services. */
async function everyKindOfBlobRecord(t: TestRuntime): Promise<void> {
  const researcher = await t.org('researcher');
  const [cluster] = await report(t, researcher, [distinctFinding()]);
  await addEvidence(t.as(researcher), cluster!, { bytes: Buffer.from('exploit'), filename: 'poc.py', kind: 'proof_of_concept' });
  const operator = await t.org('operator', { sectors: ['energy'] });
  await uploadSbom(t.as(operator), { asset: { name: 'historian' }, bytes: Buffer.from(cycloneDx([pypi('django', '3.2.0')], 'v1')) });
  const frontier = await frontierScene(t);
  await grantAndAcknowledge(t, frontier);
  await addMaterial(t.as(frontier.lab), frontier.review.id, {
    name: 'card.pdf',
    mediaType: 'application/pdf',
    bytes: Buffer.from('%PDF card'),
  });
  await importInspectLog(t.as(frontier.agency), frontier.review.id, { bytes: inspectJsonLog(), filename: 'run.json' });
  await reportVulnerability(t.as(frontier.agency), frontier.review.id, {
    title: 'Heap overflow in the chunked parser',
    description: 'A chunk size above 2^31 overflows.',
    target: { purl: 'pkg:npm/openwire-http@2.4.1' },
    cwe: ['122'],
    severity: 'high',
    evidence: [{ name: 'poc.txt', mediaType: 'text/plain', contentBase64: Buffer.from('printf 80000000').toString('base64') }],
  });
  await t.runtime.jobs.drain();
}

describeEachDatabase('sweeping the blob store', (dialect) => {
  // On PostgreSQL the blobs live in the database, as on a cluster; on SQLite in files.
  const get = useTestRuntime(dialect, dialect === 'postgres' ? { CLEARINGHOUSE_BLOBS: 'db' } : {});

  it('removes only blobs that no record refers to and that are older than the grace period, and audits the sweep that removed them', async () => {
    const t = get();
    const config = loadConfig({ CLEARINGHOUSE_DATA_DIR: t.database.dir });
    await everyKindOfBlobRecord(t);
    const orphans = [
      await t.runtime.blobs.put(Buffer.from('an upload killed before its record')),
      await t.runtime.blobs.put(Buffer.from('another')),
    ];
    const named = await blobsNamedByRecords(t.runtime.db.kysely);
    expect(named.size).toBeGreaterThanOrEqual(7);

    t.clock.advance(config.blobSweepGraceHours * HOUR - 1);
    const early = await sweepBlobStore(t.system, config);
    expect(early.blobs).toMatchObject({ removed: 0, referenced: 0 });

    t.clock.advance(2);
    const young = await t.runtime.blobs.put(Buffer.from('stored just now, its record not yet committed'));
    const dry = await sweepBlobStore(t.system, config, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, blobs: { removed: 2, recent: 1, referenced: named.size } });
    for (const o of orphans) expect(await t.runtime.blobs.has(o.sha256)).toBe(true);

    const swept = await sweepBlobStore(t.system, config);
    expect(swept.blobs).toEqual({
      examined: named.size + 3,
      referenced: named.size,
      recent: 1,
      removed: 2,
      bytes: orphans[0]!.size + orphans[1]!.size,
    });
    for (const o of orphans) expect(await t.runtime.blobs.has(o.sha256)).toBe(false);
    expect(await t.runtime.blobs.has(young.sha256)).toBe(true);
    for (const sha of named) expect(await t.runtime.blobs.has(sha)).toBe(true);

    const audited = await t.runtime.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'subject_type', 'diff'])
      .where('action', '=', 'platform.blobs.sweep')
      .execute();
    // Only this sweep removed anything: the scheduled one the jobs ran meanwhile and the early one did not.
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0]!.diff as string)).toMatchObject({
      blobs: { removed: 2, referenced: named.size },
      temporaryFiles: { removed: 0 },
    });
  });

  it('keeps a blob stored again after it was listed (an upload of the same bytes racing the sweep)', async () => {
    const t = get();
    const bytes = Buffer.from('orphan, then uploaded again');
    await t.runtime.blobs.put(bytes);
    t.clock.advance(25 * HOUR);
    let entry: BlobEntry | undefined;
    for await (const e of t.runtime.blobs.entries()) entry = e;
    await t.runtime.blobs.put(bytes);
    expect(await t.runtime.blobs.remove(entry!, new Date(t.clock.now().getTime() - 24 * HOUR))).toBe(false);
    expect(await t.runtime.blobs.has(entry!.name)).toBe(true);
  });

  it('knows every column that names a blob: a new one must be declared by its module or listed here as not a blob', async () => {
    const t = get();
    const declaredBlobColumns = [
      'intake_submission.sha256',
      'validation_evidence.sha256',
      'inventory_sbom.blob_sha256',
      'frontier_material.sha256',
      'frontier_evaluation.blob_sha256',
    ];
    // Hashes of imported feed files (not kept), and the blob store's own table.
    const notBlobReferences = ['scoring_kev_import.sha256', 'scoring_epss_import.sha256', 'platform_blob.sha256'];
    const tables = await t.runtime.db.kysely.introspection.getTables();
    const found = tables.flatMap((table) => table.columns.filter((c) => /sha256|blob/i.test(c.name)).map((c) => `${table.name}.${c.name}`));
    expect(found.sort()).toEqual([...declaredBlobColumns, ...notBlobReferences].sort());
    expect(allBlobReferences.map((r) => r.module).sort()).toEqual(['frontier', 'intake', 'inventory', 'validation']);

    // Each declared column keeps its blob: a hash written there is referenced through the declarations.
    const db = t.runtime.db.kysely;
    const referenced = new Set<string>();
    await everyKindOfBlobRecord(t);
    const named = await blobsNamedByRecords(db);
    for (const refs of allBlobReferences) for (const sha of await refs.referenced(db, [...named])) referenced.add(sha);
    expect([...referenced].sort()).toEqual([...named].sort());
  });
});
