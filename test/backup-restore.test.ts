import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../src/app/backup.js';
import { allBlobReferences } from '../src/app/modules.js';
import { openRuntime, type Runtime } from '../src/app/runtime.js';
import { buildServer } from '../src/app/server.js';
import { VERSION } from '../src/app/version.js';
import { generateAdvisory, providerSettings } from '../src/modules/advisories/index.js';
import { verifyDetached } from '../src/modules/advisories/domain/openpgp-signing.js';
import { embargoedCase } from '../src/modules/advisories/test-support/case-scene.js';
import { signCheckpoint } from '../src/modules/audit/index.js';
import { submitDocument } from '../src/modules/intake/index.js';
import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import { uploadSbom } from '../src/modules/inventory/index.js';
import { cycloneDx, pypi } from '../src/modules/inventory/test-support/fixtures.js';
import { referencedBlobs } from '../src/platform/blobs/index.js';
import { loadConfig } from '../src/platform/config.js';
import { testLogger } from '#test-support/run-logs.js';
import { loadOrCreateSigningKey } from '../src/platform/signing-key.js';
import { readTar, TarWriter } from '../src/platform/tar.js';
import { cli } from '#test-support/cli.js';
import { postgresAvailable } from '#test-support/databases.js';
import { createTestRuntime, type TestRuntime } from '#test-support/runtime.js';

const PUBLIC_URL = 'https://backup.clearinghouse.test';

/** The ids in a table of a runtime's database. */
async function idsOf(runtime: Runtime, table: string): Promise<string[]> {
  const rows = await runtime.db.kysely
    .selectFrom(table as never)
    .select('id' as never)
    .execute();
  return (rows as { id: string }[]).map((r) => r.id).sort();
}

/** A GET through the restored server, as a CSAF downloader makes it. */
async function raw(app: Awaited<ReturnType<typeof buildServer>>, url: string, token?: string) {
  const response = await app.inject({
    method: 'GET',
    url: url.startsWith(PUBLIC_URL) ? url.slice(PUBLIC_URL.length) : url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.statusCode, bytes: response.rawPayload, text: response.body };
}

/** A copy of the archive with one byte of the entry `victim` flipped, the manifest left as it was. */
async function tampered(archive: string, out: string, victim: (name: string) => boolean): Promise<string> {
  let flipped = '';
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(out));
  const tar = new TarWriter(gzip);
  await readTar(createReadStream(archive).pipe(createGunzip()) as AsyncIterable<Buffer>, async (entry, chunks) => {
    const parts: Buffer[] = [];
    for await (const c of chunks) parts.push(c);
    const bytes = Buffer.concat(parts);
    if (flipped === '' && victim(entry.name) && bytes.length > 0) {
      bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0x01;
      flipped = entry.name;
    }
    await tar.add(entry.name, bytes.length, bytes);
  });
  await tar.finish();
  gzip.end();
  await written;
  return flipped;
}

describe('backup and restore (SQLite)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('restores a backup taken while the server writes into an empty directory, with everything in it', async () => {
    const t: TestRuntime = await createTestRuntime('sqlite', { CLEARINGHOUSE_PUBLIC_URL: PUBLIC_URL });
    cleanup.push(() => t.database.drop());
    cleanup.push(() => t.runtime.close());
    const config = t.runtime.config;
    const work = mkdtempSync(path.join(tmpdir(), 'ch-backup-'));
    cleanup.push(() => rmSync(work, { recursive: true, force: true }));

    // Reports, clusters, an SBOM, a signed CSAF draft, and a signed audit checkpoint.
    const scene = await embargoedCase(t);
    const settings = providerSettings(config, VERSION);
    await generateAdvisory(t.as(t.coordinatorAdmin), scene.opened.id, {}, settings);
    const amber = `/.well-known/csaf/amber/2026/${scene.opened.number.toLowerCase()}.json`;
    const sourceApp = await buildServer(t.runtime);
    cleanup.push(() => sourceApp.close());
    const signedBefore = await raw(sourceApp, `${amber}.asc`, scene.acme.token);
    expect(signedBefore.status).toBe(200);
    const operator = await t.org('operator', { sectors: ['energy'] });
    await uploadSbom(t.as(operator), {
      asset: { name: 'turbine control', sector: 'energy', criticality: 'high', internetFacing: false },
      bytes: Buffer.from(cycloneDx([pypi('django', '4.2.1'), pypi('requests', '2.31.0')], 'turbine')),
    });
    await t.runtime.jobs.drain();
    await signCheckpoint(t.runtime.db, t.clock, loadOrCreateSigningKey(config.auditKeyFile));

    // A writer submitting reports for as long as the backup runs.
    const researcher = await t.org('researcher');
    let n = 0;
    const submit = async () => {
      n += 1;
      const bytes = nativeDocument([nativeFinding({ title: `Report ${n}`, location: { path: `app/${n}.py`, function: `f${n}` } })]);
      await submitDocument(t.as(researcher), { bytes });
    };
    for (let i = 0; i < 5; i++) await submit();
    const submissionsBefore = await idsOf(t.runtime, 'intake_submission');
    const clustersBefore = await idsOf(t.runtime, 'intake_cluster');
    let writing = true;
    const writer = (async () => {
      while (writing) await submit();
    })();
    const archive = path.join(work, 'clearinghouse-backup.tar.gz');
    let report;
    try {
      report = await createBackup(config, archive);
    } finally {
      writing = false;
      await writer;
    }
    const submissionsAfter = await idsOf(t.runtime, 'intake_submission');
    expect(report.manifest.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['database/clearinghouse.sqlite', 'keys/csaf-openpgp-key.asc', 'keys/audit-checkpoint-key.pem']),
    );
    expect(existsSync(`${archive}.partial`)).toBe(false);

    // Restored into a directory that does not exist yet.
    const restoredDir = path.join(work, 'restored');
    const restored = await cli(
      { CLEARINGHOUSE_DATA_DIR: path.join(work, 'elsewhere') },
      'restore',
      archive,
      '--data',
      restoredDir,
      '--json',
    );
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(readdirSync(restoredDir).sort()).toEqual(['audit-checkpoint-key.pem', 'blobs', 'clearinghouse.sqlite', 'csaf-openpgp-key.asc']);

    const env = { CLEARINGHOUSE_DATA_DIR: restoredDir, CLEARINGHOUSE_PUBLIC_URL: PUBLIC_URL, LOG_LEVEL: 'silent' };
    const copy = await openRuntime(loadConfig(env), testLogger(), { clock: t.clock });
    cleanup.push(() => copy.close());

    // Every report committed before the backup began, nothing that was never committed.
    const submissions = await idsOf(copy, 'intake_submission');
    expect(submissions).toEqual(expect.arrayContaining(submissionsBefore));
    expect(submissionsAfter).toEqual(expect.arrayContaining(submissions));
    expect(await idsOf(copy, 'intake_cluster')).toEqual(expect.arrayContaining(clustersBefore));

    // Every blob the restored records name, byte for byte.
    const shas = report.manifest.files.filter((f) => f.path.startsWith('blobs/')).map((f) => path.basename(f.path));
    const named = await referencedBlobs(copy.db.kysely, allBlobReferences, shas);
    expect(named.size).toBeGreaterThan(0);
    const referencedInSource = await referencedBlobs(t.runtime.db.kysely, allBlobReferences, shas);
    for (const sha of referencedInSource) {
      const original = await t.runtime.blobs.get(sha);
      expect(original).not.toBeNull();
      expect((await copy.blobs.get(sha))?.equals(original as Buffer)).toBe(true);
    }

    // The CSAF draft verifies with the restored key, which is the original one.
    const app = await buildServer(copy);
    cleanup.push(() => app.close());
    const metadata = JSON.parse((await raw(app, '/.well-known/csaf/provider-metadata.json')).text) as {
      public_openpgp_keys: { url: string }[];
    };
    const publicKey = (await raw(app, metadata.public_openpgp_keys[0]!.url)).text;
    const document = await raw(app, amber, scene.acme.token);
    expect(document.status).toBe(200);
    expect(await verifyDetached(document.bytes, signedBefore.text, publicKey)).toBe(true);
    const signature = await raw(app, `${amber}.asc`, scene.acme.token);
    expect(await verifyDetached(document.bytes, signature.text, publicKey)).toBe(true);
    expect(readFileSync(path.join(restoredDir, 'csaf-openpgp-key.asc'))).toEqual(readFileSync(settings.keyFile));

    // The audit chain, with its checkpoint signed by the restored key.
    const verified = await cli(env, 'audit', 'verify', '--json');
    expect(verified.code).toBe(0);
    const result = verified.json<{ ok: boolean; checkpoints: number }>();
    expect(result.ok).toBe(true);
    expect(result.checkpoints).toBeGreaterThan(0);
    // Checkpoints signed after the restore are signed by the same key as before it.
    expect(loadOrCreateSigningKey(path.join(restoredDir, 'audit-checkpoint-key.pem')).keyId).toBe(
      loadOrCreateSigningKey(config.auditKeyFile).keyId,
    );

    // A corrupted blob is refused by name, and nothing is restored.
    const blobName = await tampered(archive, path.join(work, 'tampered.tar.gz'), (name) => name.startsWith('blobs/'));
    expect(blobName).toMatch(/^blobs\//);
    const target = path.join(work, 'from-tampered');
    const refused = await cli({}, 'restore', path.join(work, 'tampered.tar.gz'), '--data', target);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(blobName);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);

    // A changed database file too, by name.
    const dbName = await tampered(archive, path.join(work, 'tampered-db.tar.gz'), (name) => name.startsWith('database/'));
    const refusedDb = await cli({}, 'restore', path.join(work, 'tampered-db.tar.gz'), '--data', target);
    expect(refusedDb.code).toBe(2);
    expect(refusedDb.stderr).toContain(dbName);

    // A cut-short archive, and a target that is not empty.
    const cut = path.join(work, 'cut.tar.gz');
    const bytes = readFileSync(archive);
    await pipeline([bytes.subarray(0, bytes.length >> 1)], createWriteStream(cut));
    const truncated = await cli({}, 'restore', cut, '--data', target);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toContain(cut);
    const occupied = await cli({}, 'restore', archive, '--data', restoredDir);
    expect(occupied.code).toBe(2);
    expect(occupied.stderr).toContain('not empty');
  }, 240_000);
});

describe.runIf(postgresAvailable())('backup and restore (PostgreSQL)', () => {
  it('without pg_dump archives the blobs and keys, prints the dump command, and restores them', async () => {
    const t: TestRuntime = await createTestRuntime('postgres', { CLEARINGHOUSE_PUBLIC_URL: PUBLIC_URL });
    const work = mkdtempSync(path.join(tmpdir(), 'ch-backup-pg-'));
    try {
      const researcher = await t.org('researcher');
      const document = nativeDocument([nativeFinding()]);
      await submitDocument(t.as(researcher), { bytes: document });
      loadOrCreateSigningKey(t.runtime.config.auditKeyFile);
      const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir };
      const archive = path.join(work, 'pg.tar.gz');
      const backup = await cli(env, 'backup', '--out', archive, '--no-pg-dump');
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain('pg_dump --format=custom');
      expect(backup.stdout).toContain('no database dump');

      const restoredDir = path.join(work, 'restored');
      const restored = await cli({}, 'restore', archive, '--data', restoredDir, '--json');
      expect(restored.code).toBe(0);
      const answer = restored.json<{ manifest: { database: { dialect: string; entry: null } }; blobs: number; notes: string[] }>();
      expect(answer.manifest.database).toMatchObject({ dialect: 'postgres', entry: null });
      expect(answer.notes.join('\n')).toContain('pg_restore');
      // The submitted bytes, by their hash, and the key.
      const sha = createHash('sha256').update(document).digest('hex');
      expect(readFileSync(path.join(restoredDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha))).toEqual(document);
      expect(readFileSync(path.join(restoredDir, 'audit-checkpoint-key.pem'))).toEqual(readFileSync(t.runtime.config.auditKeyFile));
    } finally {
      await t.runtime.close();
      await t.database.drop();
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);
});
