import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { defaultCsafKeyFile } from '../modules/advisories/index.js';
import type { Config } from '../platform/config.js';
import { InputError } from '../platform/errors.js';
import { readTar, TarWriter } from '../platform/tar.js';
import { VERSION } from './version.js';

/**
 * `clearinghouse backup` and `restore`: one gzip-compressed tar archive of what a deployment cannot rebuild —
 * the database (SQLite: an online backup through SQLite's backup API, a consistent snapshot while the server
 * writes; PostgreSQL: a `pg_dump` custom-format dump when pg_dump is installed), the file blob store, and the
 * signing keys (the CSAF OpenPGP key, the audit checkpoint key) — with `manifest.json` last, naming every file
 * with its size and SHA-256. The database is copied before the blobs: every blob a snapshotted record names
 * was stored before its record committed, so it is in the archive (the sweeper removes only unreferenced
 * blobs past a 24-hour grace). The per-process instance id is not kept: a restored deployment is a new one.
 */

export const BACKUP_FORMAT = 'clearinghouse-backup';
export const SQLITE_ENTRY = 'database/clearinghouse.sqlite';
export const PG_DUMP_ENTRY = 'database/postgres.dump';
export const CSAF_KEY_ENTRY = 'keys/csaf-openpgp-key.asc';
export const AUDIT_KEY_ENTRY = 'keys/audit-checkpoint-key.pem';

/** The only names an archive may hold: anything else (a `..`, an absolute path) is refused before it is written. */
const BLOB_ENTRY = /^blobs\/([0-9a-f]{2})\/([0-9a-f]{2})\/(\.?)([0-9a-f]{64})(\.tomb)?$/;
const FIXED_ENTRIES = new Set([SQLITE_ENTRY, PG_DUMP_ENTRY, CSAF_KEY_ENTRY, AUDIT_KEY_ENTRY]);

export interface BackupFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: 1;
  readonly createdAt: string;
  readonly clearinghouse: string;
  readonly database:
    | { readonly dialect: 'sqlite'; readonly entry: typeof SQLITE_ENTRY }
    | { readonly dialect: 'postgres'; readonly entry: typeof PG_DUMP_ENTRY | null; readonly blobs: 'fs' | 'db' };
  readonly files: readonly BackupFile[];
}

export interface BackupReport {
  readonly file: string;
  readonly bytes: number;
  readonly manifest: BackupManifest;
  /** What the operator still has to do (PostgreSQL without pg_dump: the dump command). */
  readonly notes: readonly string[];
}

export interface BackupOptions {
  /** PostgreSQL: `auto` runs pg_dump when it is on the PATH; `skip` never does (the dump is taken separately). */
  readonly pgDump?: 'auto' | 'skip';
  readonly progress?: (done: number, total: number) => void;
  readonly now?: () => Date;
}

const isBlobEntry = (name: string) => BLOB_ENTRY.test(name);

/** Every regular file of the blob store but leftover temporary files, as archive entries. */
async function blobFiles(root: string): Promise<{ entry: string; file: string }[]> {
  const found: { entry: string; file: string }[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const name of names.sort()) {
      const entry = rel === '' ? name : `${rel}/${name}`;
      const file = path.join(dir, name);
      if (/^[0-9a-f]{2}$/.test(name) && entry.split('/').length <= 2) await walk(file, entry);
      else if (isBlobEntry(`blobs/${entry}`)) found.push({ entry: `blobs/${entry}`, file });
    }
  };
  await walk(root, '');
  return found;
}

/** The PostgreSQL connection string with the password masked, for printed commands. */
function masked(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '****';
  return parsed.toString();
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && existsSync(path.join(dir, command)));
}

/** pg_dump of the database at `url` into `out`; a password goes in PGPASSWORD, not on a command line others can read. */
function runPgDump(url: string, out: string): Promise<void> {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return new Promise((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${out}`, `--dbname=${parsed.toString()}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: password === '' ? process.env : { ...process.env, PGPASSWORD: password },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_dump failed (exit ${code}): ${stderr.trim()}`))));
  });
}

/**
 * Writes the backup archive `out` (refused when it exists). It is written as `out.partial` and renamed when
 * complete, so a crash never leaves a half archive under the name asked for.
 */
export async function createBackup(config: Config, out: string, options: BackupOptions = {}): Promise<BackupReport> {
  const target = path.resolve(out);
  if (existsSync(target))
    throw new InputError(`${target} exists: name a new file for the backup`, [{ pointer: '--out', detail: 'exists' }]);
  await mkdir(path.dirname(target), { recursive: true });
  const work = await mkdtemp(path.join(path.dirname(target), '.clearinghouse-backup-'));
  const partial = `${target}.partial`;
  const notes: string[] = [];
  try {
    // 1. The database, first (see above).
    const sources: { entry: string; file: string; mode: number }[] = [];
    let database: BackupManifest['database'];
    if (config.database.dialect === 'sqlite') {
      if (!existsSync(config.database.file)) throw new InputError(`no database at ${config.database.file}: nothing to back up`);
      const snapshot = path.join(work, 'clearinghouse.sqlite');
      const handle = new BetterSqlite3(config.database.file, { readonly: true, fileMustExist: true });
      try {
        handle.pragma('busy_timeout = 10000');
        // After the first step copy everything left in one step: a write by the server between steps restarts
        // the copy, which then completes at once, so a busy server cannot keep the backup from finishing.
        await handle.backup(snapshot, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
      } finally {
        handle.close();
      }
      sources.push({ entry: SQLITE_ENTRY, file: snapshot, mode: 0o600 });
      database = { dialect: 'sqlite', entry: SQLITE_ENTRY };
    } else {
      const dumpCommand = `pg_dump --format=custom --no-owner --no-privileges --file=clearinghouse.dump '${masked(config.database.url)}'`;
      if ((options.pgDump ?? 'auto') === 'auto' && onPath('pg_dump')) {
        const dump = path.join(work, 'postgres.dump');
        await runPgDump(config.database.url, dump);
        sources.push({ entry: PG_DUMP_ENTRY, file: dump, mode: 0o600 });
        database = { dialect: 'postgres', entry: PG_DUMP_ENTRY, blobs: config.blobs };
      } else {
        notes.push(
          `the PostgreSQL database is not in this archive: dump it now with\n  ${dumpCommand}\n(take the dump before or together with this archive: blobs are never removed while referenced)`,
        );
        database = { dialect: 'postgres', entry: null, blobs: config.blobs };
      }
    }

    // 2. The blob store (with CLEARINGHOUSE_BLOBS=db the blobs are in the database dump).
    if (config.blobs === 'fs') {
      for (const blob of await blobFiles(path.join(config.dataDir, 'blobs'))) sources.push({ ...blob, mode: 0o644 });
    }

    // 3. The signing keys.
    const csafKey = defaultCsafKeyFile(config.dataDir);
    if (existsSync(csafKey)) sources.push({ entry: CSAF_KEY_ENTRY, file: csafKey, mode: 0o600 });
    else notes.push(`no CSAF signing key at ${csafKey} (none made yet)`);
    if (existsSync(config.auditKeyFile)) sources.push({ entry: AUDIT_KEY_ENTRY, file: config.auditKeyFile, mode: 0o600 });
    else notes.push(`no audit checkpoint key at ${config.auditKeyFile} (none made yet)`);

    // 4. The archive, manifest last.
    const files: BackupFile[] = [];
    const gzip = createGzip({ level: 6 });
    const sink = createWriteStream(partial, { mode: 0o600 });
    const written = pipeline(gzip, sink);
    const tar = new TarWriter(gzip);
    try {
      for (const [i, source] of sources.entries()) {
        let handle;
        try {
          handle = await open(source.file, 'r');
        } catch (error) {
          // A blob the sweeper removed since the listing was unreferenced: it is not needed.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT' && isBlobEntry(source.entry)) continue;
          throw error;
        }
        try {
          const { size } = await handle.stat();
          const hash = createHash('sha256');
          await tar.add(source.entry, size, handle.createReadStream({ autoClose: false }), {
            mode: source.mode,
            onChunk: (c) => hash.update(c),
          });
          files.push({ path: source.entry, size, sha256: hash.digest('hex') });
        } finally {
          await handle.close();
        }
        options.progress?.(i + 1, sources.length);
      }
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT,
        version: 1,
        createdAt: (options.now?.() ?? new Date()).toISOString(),
        clearinghouse: VERSION,
        database,
        files,
      };
      const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
      await tar.add('manifest.json', manifestBytes.length, manifestBytes);
      await tar.finish();
      gzip.end();
      await written;
      await rename(partial, target);
      return { file: target, bytes: (await stat(target)).size, manifest, notes };
    } catch (error) {
      gzip.destroy();
      await written.catch(() => undefined);
      await unlink(partial).catch(() => undefined);
      throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface RestoreReport {
  readonly file: string;
  readonly dataDir: string;
  readonly manifest: BackupManifest;
  readonly blobs: number;
  /** What the operator still has to do (PostgreSQL: pg_restore; a key kept outside the data directory). */
  readonly notes: readonly string[];
}

/** A damaged or foreign archive: exit 2, naming the archive and what is wrong in it. */
function damaged(file: string, what: string, cause?: unknown): InputError {
  return new InputError(`${file} cannot be restored: ${what}`, [{ pointer: file, detail: what }], { cause, code: 'backup-damaged' });
}

function parseManifest(file: string, bytes: Buffer): BackupManifest {
  let manifest: unknown;
  try {
    manifest = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw damaged(file, `manifest.json is not JSON (${(error as Error).message})`, error);
  }
  const m = manifest as Partial<BackupManifest> | null;
  if (m?.format !== BACKUP_FORMAT || m.version !== 1 || !Array.isArray(m.files) || typeof m.database !== 'object') {
    throw damaged(file, `manifest.json is not a ${BACKUP_FORMAT} manifest of version 1`);
  }
  for (const f of m.files as unknown[]) {
    const entry = f as Partial<BackupFile> | null;
    if (typeof entry?.path !== 'string' || typeof entry.size !== 'number' || typeof entry.sha256 !== 'string') {
      throw damaged(file, 'manifest.json lists a file without path, size and sha256');
    }
  }
  return m as BackupManifest;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Restores the archive `file` into the data directory `dataDir`: refused when the directory is not empty
 * unless `force`. Everything is unpacked into a staging directory inside it and checked against the manifest
 * (every file present, of its size and SHA-256, nothing more; every blob named by its own hash) before
 * anything is moved into place; a damaged archive changes nothing and is refused naming what is wrong.
 */
export async function restoreBackup(
  file: string,
  dataDir: string,
  options: { force?: boolean; auditKeyFile?: string; databaseFile?: string; progress?: (files: number) => void } = {},
): Promise<RestoreReport> {
  const archive = path.resolve(file);
  const target = path.resolve(dataDir);
  if (!existsSync(archive)) throw new InputError(`no backup archive at ${archive}`, [{ pointer: 'FILE', detail: 'does not exist' }]);
  if (!options.force && !(await isEmptyDir(target))) {
    throw new InputError(`${target} is not empty: restore into an empty data directory, or pass --force to write over it`, [
      { pointer: '--data', detail: 'is not empty' },
    ]);
  }
  const created = !existsSync(target);
  await mkdir(target, { recursive: true });
  const notes: string[] = [];
  let restored = false;
  const staging = path.join(target, `.restore-${randomBytes(6).toString('hex')}`);
  await mkdir(staging);
  try {
    const found = new Map<string, { size: number; sha256: string }>();
    let manifestBytes: Buffer | null = null;
    try {
      await readTar(createReadStream(archive).pipe(createGunzip()) as AsyncIterable<Buffer>, async (entry, chunks) => {
        if (entry.name === 'manifest.json') {
          if (entry.size > 64 * 1024 * 1024) throw damaged(archive, 'manifest.json is larger than 64 MiB');
          const parts: Buffer[] = [];
          for await (const c of chunks) parts.push(c);
          manifestBytes = Buffer.concat(parts);
          return;
        }
        if (!FIXED_ENTRIES.has(entry.name) && !isBlobEntry(entry.name))
          throw damaged(archive, `it holds ${JSON.stringify(entry.name)}, which no backup holds`);
        if (found.has(entry.name)) throw damaged(archive, `it holds ${entry.name} twice`);
        const out = path.join(staging, entry.name);
        await mkdir(path.dirname(out), { recursive: true });
        const hash = createHash('sha256');
        let size = 0;
        await pipeline(
          chunks,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const c of source) {
              hash.update(c);
              size += c.length;
              yield c;
            }
          },
          createWriteStream(out, { mode: entry.name.startsWith('keys/') || entry.name.startsWith('database/') ? 0o600 : 0o644 }),
        );
        found.set(entry.name, { size, sha256: hash.digest('hex') });
        options.progress?.(found.size);
      });
    } catch (error) {
      if (error instanceof InputError && error.code === 'backup-damaged') throw error;
      const message = (error as Error).message;
      throw damaged(archive, error instanceof InputError ? message : `not a readable gzip-compressed tar archive (${message})`, error);
    }
    if (manifestBytes === null) throw damaged(archive, 'it has no manifest.json (not a clearinghouse backup, or cut short)');
    const manifest = parseManifest(archive, manifestBytes);

    const listed = new Set<string>();
    for (const f of manifest.files) {
      listed.add(f.path);
      const got = found.get(f.path);
      if (got === undefined) throw damaged(archive, `${f.path} is listed in the manifest but missing from the archive`);
      if (got.size !== f.size || got.sha256 !== f.sha256) {
        throw damaged(archive, `${f.path} does not match its SHA-256 in the manifest (${got.sha256}, expected ${f.sha256})`);
      }
      const blob = BLOB_ENTRY.exec(f.path);
      if (blob !== null && got.sha256 !== blob[4]) throw damaged(archive, `${f.path} does not hold the bytes its name is the hash of`);
    }
    for (const name of found.keys()) if (!listed.has(name)) throw damaged(archive, `${name} is in the archive but not in its manifest`);

    // Checked: move into place.
    if (found.has(SQLITE_ENTRY)) {
      // A write-ahead log left by another database would be replayed over the restored one.
      for (const suffix of ['-wal', '-shm', '-journal']) await rm(path.join(target, `clearinghouse.sqlite${suffix}`), { force: true });
      const databaseFile = path.join(target, 'clearinghouse.sqlite');
      await rename(path.join(staging, SQLITE_ENTRY), databaseFile);
      if (options.databaseFile !== undefined && path.resolve(options.databaseFile) !== databaseFile) {
        notes.push(`the SQLite database was restored to ${databaseFile}: point DATABASE_URL at it (sqlite:${databaseFile}), or unset it`);
      }
    }
    if (found.has(PG_DUMP_ENTRY)) {
      await rename(path.join(staging, PG_DUMP_ENTRY), path.join(target, 'postgres.dump'));
      notes.push(
        `load the PostgreSQL dump into an empty database, then start the server with DATABASE_URL pointing at it:\n  pg_restore --no-owner --no-privileges --dbname=postgres://…/clearinghouse ${path.join(target, 'postgres.dump')}`,
      );
    } else if (manifest.database.dialect === 'postgres') {
      notes.push('this archive holds no PostgreSQL dump: restore the pg_dump taken with it (pg_restore), then start the server');
    }
    let blobs = 0;
    for (const name of found.keys()) {
      if (!isBlobEntry(name)) continue;
      const to = path.join(target, name);
      await mkdir(path.dirname(to), { recursive: true });
      await rename(path.join(staging, name), to);
      blobs++;
    }
    if (found.has(CSAF_KEY_ENTRY)) await rename(path.join(staging, CSAF_KEY_ENTRY), defaultCsafKeyFile(target));
    if (found.has(AUDIT_KEY_ENTRY)) {
      const auditKey = path.join(target, 'audit-checkpoint-key.pem');
      await rename(path.join(staging, AUDIT_KEY_ENTRY), auditKey);
      await chmod(auditKey, 0o600);
      if (options.auditKeyFile !== undefined && path.resolve(options.auditKeyFile) !== auditKey) {
        notes.push(`the audit checkpoint key was restored to ${auditKey}: point CLEARINGHOUSE_AUDIT_KEY_FILE at it, or unset it`);
      }
    }
    restored = true;
    return { file: archive, dataDir: target, manifest, blobs, notes };
  } finally {
    await rm(staging, { recursive: true, force: true });
    // A refused archive changes nothing: not even the directory made for it.
    if (!restored && created) await rm(target, { recursive: true, force: true });
  }
}
