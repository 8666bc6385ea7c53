import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { allBlobReferences } from '../src/app/modules.js';
import { sweepBlobStore } from '../src/app/runtime.js';
import { generateAdvisory, publishAdvisory } from '../src/modules/advisories/index.js';
import { embargoedCase, testProviderSettings } from '../src/modules/advisories/test-support/case-scene.js';
import { moveEmbargo } from '../src/modules/cases/index.js';
import { addMaterial, importInspectLog, reportVulnerability } from '../src/modules/frontier/index.js';
import { inspectJsonLog, zstdInit } from '../src/modules/frontier/test-support/eval-archive.js';
import { frontierScene, grantAndAcknowledge } from '../src/modules/frontier/test-support/scene.js';
import { uploadSbom } from '../src/modules/inventory/index.js';
import { cycloneDx, pypi } from '../src/modules/inventory/test-support/fixtures.js';
import { addEvidence } from '../src/modules/validation/index.js';
import { distinctFinding, report } from '../src/modules/validation/test-support/scene.js';
import { HOUR, ManualClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { DbBlobStore, FsBlobStore, type BlobEntry, type BlobStore } from '../src/platform/blobs/index.js';
import { sha256Hex } from '../src/platform/hash.js';
import type { Executor } from '../src/platform/db/index.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { ownTables } from '#test-support/introspection.js';

beforeAll(() => zstdInit());

/** A pause before the blob store's file-system calls, to run an upload and a removal in every interleaving. */
const fsPause = vi.hoisted(() => ({ hook: null as ((file: string, call: string) => Promise<void>) | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const paused =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const hook = fsPause.hook;
      if (hook !== null && typeof args[0] === 'string') await hook(args[0], call.name);
      return call(...args);
    };
  const wrapped = {
    ...actual,
    link: paused(actual.link),
    open: paused(actual.open),
    readFile: paused(actual.readFile),
    rename: paused(actual.rename),
    stat: paused(actual.stat),
    unlink: paused(actual.unlink),
    utimes: paused(actual.utimes),
  };
  return { ...wrapped, default: wrapped };
});

/** The store's entry for this blob, as the sweeper lists it. */
async function listed(store: BlobStore, sha256: string): Promise<BlobEntry> {
  for await (const e of store.entries()) if (e.kind === 'blob' && e.name === sha256) return e;
  throw new Error(`blob ${sha256} is not listed`);
}

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
  await column('advisories_advisory', 'draft_sha256');
  for (const name of ['document_sha256', 'sha256_file', 'sha512_file', 'asc_file']) await column('advisories_revision', name);
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
  // A CSAF advisory of a case, drafted and published: its draft and every file of its revision.
  const settings = testProviderSettings();
  const scene = await embargoedCase(t);
  const coordinator = t.as(t.coordinatorAdmin);
  const draft = await generateAdvisory(coordinator, scene.opened.id, {}, settings);
  await moveEmbargo(coordinator, scene.opened.id, { action: 'end', reason: 'published' });
  await publishAdvisory(coordinator, draft.id, settings);
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

  it('keeps a blob stored again while its removal runs, whichever statement comes first (a database store)', async () => {
    const t = get();
    const store = new DbBlobStore(t.runtime.db, t.clock);
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.from(`orphan ${i}, then uploaded again`);
      await store.put(bytes);
      t.clock.advance(25 * HOUR);
      const entry = await listed(store, sha256Hex(bytes));
      const cutoff = new Date(t.clock.now().getTime() - 24 * HOUR);
      await Promise.all([store.remove(entry, cutoff), store.put(bytes)]);
      expect((await store.get(entry.name))?.equals(bytes)).toBe(true);
    }
  });

  it('knows every column that names a blob: a new one must be declared by its module or listed here as not a blob', async () => {
    const t = get();
    const declaredBlobColumns = [
      'intake_submission.sha256',
      'validation_evidence.sha256',
      'inventory_sbom.blob_sha256',
      'frontier_material.sha256',
      'frontier_evaluation.blob_sha256',
      'advisories_advisory.draft_sha256',
      'advisories_revision.document_sha256',
      'advisories_revision.sha256_file',
    ];
    // Hashes of imported feed files (not kept), the blob store's own table, and the blobs a purge is deleting
    // (governance's to-do list, which must not keep them) with its count of them.
    const notBlobReferences = [
      'scoring_kev_import.sha256',
      'scoring_epss_import.sha256',
      'platform_blob.sha256',
      'governance_pending_blob.sha256',
      'governance_purge_run.blobs_deleted',
    ];
    const tables = await ownTables(t.runtime.db.kysely);
    const found = tables.flatMap((table) => table.columns.filter((c) => /sha256|blob/i.test(c.name)).map((c) => `${table.name}.${c.name}`));
    expect(found.sort()).toEqual([...declaredBlobColumns, ...notBlobReferences].sort());
    expect(allBlobReferences.map((r) => r.module).sort()).toEqual(['advisories', 'frontier', 'intake', 'inventory', 'validation']);

    // Each declared column keeps its blob: a hash written there is referenced through the declarations.
    const db = t.runtime.db.kysely;
    const referenced = new Set<string>();
    await everyKindOfBlobRecord(t);
    const named = await blobsNamedByRecords(db);
    for (const refs of allBlobReferences) for (const sha of await refs.referenced(db, [...named])) referenced.add(sha);
    expect([...referenced].sort()).toEqual([...named].sort());
  });
});

describe('removing a file blob while the same bytes are stored again', () => {
  let root: string;
  let clock: ManualClock;
  let store: FsBlobStore;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'blob-race-'));
    clock = new ManualClock();
    store = new FsBlobStore(root, clock);
  });
  afterEach(() => {
    fsPause.hook = null;
    rmSync(root, { recursive: true, force: true });
  });

  /**
   * Runs `first` with `second` run to completion just before the `k`-th file-system call `first` makes on
   * the blob's files; answers whether `first` made that many calls (false: every point has been tried).
   */
  async function interleave(sha256: string, k: number, first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<boolean> {
    let calls = 0;
    let raced = false;
    fsPause.hook = async (file) => {
      if (!file.includes(sha256) || calls++ !== k) return;
      fsPause.hook = null;
      await second();
      raced = true;
    };
    try {
      await first();
    } finally {
      fsPause.hook = null;
    }
    return raced;
  }

  // Before the removal's stat, rename to the tombstone, stat of the tombstone and unlink; before the upload's
  // touch of the blob (after it, an upload of bytes that exist makes no more calls).
  it.each([
    { order: 'the upload lands at any point of the removal', first: 'remove', points: 4 },
    { order: 'the removal runs at any point of the upload', first: 'put', points: 1 },
  ] as const)('keeps the blob when $order', async ({ first, points }) => {
    let tried = 0;
    for (let k = 0; ; k++) {
      const bytes = Buffer.from(`orphan ${k}, then uploaded again`);
      const { sha256 } = await store.put(bytes);
      clock.advance(25 * HOUR);
      const entry = await listed(store, sha256);
      const cutoff = new Date(clock.now().getTime() - 24 * HOUR);
      const remove = () => store.remove(entry, cutoff);
      const put = () => store.put(bytes);
      const raced = first === 'remove' ? await interleave(sha256, k, remove, put) : await interleave(sha256, k, put, remove);
      if (!raced) break;
      expect((await store.get(sha256))?.equals(bytes), `the other one before call ${k}`).toBe(true);
      expect((await listed(store, sha256)).storedAt.getTime()).toBeGreaterThanOrEqual(cutoff.getTime());
      tried = k + 1;
    }
    expect(tried).toBeGreaterThanOrEqual(points);
  });

  it("stores again a blob that is another user's file, whose time this user may not set", async () => {
    const bytes = Buffer.from('stored by another account');
    const { sha256 } = await store.put(bytes);
    clock.advance(25 * HOUR);
    const cutoff = new Date(clock.now().getTime() - 24 * HOUR);
    fsPause.hook = async (file, call) => {
      if (call === 'utimes' && file.endsWith(sha256))
        throw Object.assign(new Error(`EPERM: operation not permitted, utime '${file}'`), { code: 'EPERM' });
    };
    expect(await store.put(bytes)).toEqual({ sha256, size: bytes.length });
    fsPause.hook = null;
    const entry = await listed(store, sha256);
    expect(entry.storedAt.getTime()).toBe(clock.now().getTime());
    expect(await store.remove(entry, cutoff)).toBe(false);
    expect((await store.get(sha256))?.equals(bytes)).toBe(true);
  });

  it('removes an old blob nobody stores again, and puts back one whose removal died half-way', async () => {
    const gone = await store.put(Buffer.from('gone'));
    const back = await store.put(Buffer.from('back'));
    clock.advance(25 * HOUR);
    const cutoff = new Date(clock.now().getTime() - 24 * HOUR);
    expect(await store.remove(await listed(store, gone.sha256), cutoff)).toBe(true);
    expect(await store.has(gone.sha256)).toBe(false);

    const file = path.join(root, back.sha256.slice(0, 2), back.sha256.slice(2, 4), back.sha256);
    renameSync(file, path.join(path.dirname(file), `.${back.sha256}.tomb`));
    expect((await store.get(back.sha256))?.toString()).toBe('back');
    expect((await listed(store, back.sha256)).kind).toBe('blob');
    expect(readdirSync(path.dirname(file))).toEqual([back.sha256]);
  });
});
