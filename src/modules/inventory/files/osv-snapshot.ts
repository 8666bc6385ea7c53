import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyAdvisoryOf, type LazyAdvisory } from '../domain/match-index.js';
import type { ListedFacts } from '../domain/listed-versions.js';
import { listedFactsOf } from '../domain/osv-evaluate.js';
import type { OsvRecord } from '../domain/osv-record.js';
import type { OsvLoadTimer } from './osv-sources.js';
import { osvUnitsAsync, unitSources, type OsvUnit } from './osv-units.js';

/**
 * A compact, versioned snapshot of what reading a set of OSV sources gave (issue 14): the checked records
 * of every file and the reasons files were skipped, so that `clearinghouse match` run again on the same
 * files skips parsing YAML/JSON and checking every record against the OSV schema.
 *
 * - **Where**: one file per list of `--osv` paths, in the cache directory (`--cache DIR`, else
 *   `$XDG_CACHE_HOME/clearinghouse/osv`, else `~/.cache/clearinghouse/osv`) — never beside the sources.
 * - **When it holds**: a file is taken from the snapshot when its path, size and modification time are those
 *   it had when read, and it was not modified within {@link RACY_MS} before that read (a same-size rewrite
 *   inside the file system's timestamp granularity would look unchanged: such files are read again, as git
 *   does with its index). Files that changed, appeared or vanished are read anew, the rest reused, and the
 *   snapshot rewritten.
 * - **Versioned**: a header names the snapshot format, the reader version ({@link OSV_READER_VERSION}) and
 *   the build of this code (the sizes and times of the files of this directory and of the inventory domain),
 *   so a new build never trusts records read, or facts computed, by an older one.
 * - **Compact**: the payload is one JSON index (an array of arrays: per file its path, size, times, skipped
 *   reasons and records, each record its package keys and where its body lies) followed by the records'
 *   bodies, each its own JSON text: the facts compiling needs of its `versions[]` lists, then the record. A warm run parses the index once (one `JSON.parse`, no object per
 *   field name) and parses a body only when a lookup reaches its record: most never are.
 * - **Atomic and checked**: written to a temporary file then renamed over the old one; the payload carries
 *   its SHA-256. A snapshot that is truncated, corrupt, of another version or unreadable is ignored and
 *   rebuilt; one that cannot be written is reported and the run goes on.
 */

/** Bump when what is read from an OSV file changes: parsing, `readValidOsvRecord`, the OSV schema check. */
export const OSV_READER_VERSION = 1;
/**
 * 4: the index holds package keys, not ecosystem and name; 5: a body is its listed versions' facts and the
 * record. Older formats are rebuilt.
 */
const SNAPSHOT_FORMAT = 5;
const MAGIC = 'clearinghouse-osv-snapshot';
/** Files modified this close to (or after) the moment they were read are never trusted from a snapshot. */
export const RACY_MS = 2000;

/** One record: what indexing needs at once, the record itself read from the snapshot when first asked for. */
export interface SnapshotRecord extends LazyAdvisory {
  readonly source: string;
}

/**
 * A record as stored: its index facts, and where its JSON lies, parsed on the first call to `record()` (a
 * corrupt body was ruled out by the checksum; the records are JSON data read from JSON or YAML, which JSON
 * gives back the same). A warm run makes one of these per record and nothing else until a lookup needs it.
 */
class StoredRecord implements SnapshotRecord {
  #body: StoredBody | undefined;
  constructor(
    readonly source: string,
    readonly id: string,
    /** Package keys, as `lazyAdvisoryOf` gives them: stored normalized, so a load normalizes nothing. */
    readonly keys: readonly string[],
    readonly withdrawn: boolean,
    readonly unnamed: boolean,
    /** The record's body (see {@link StoredBody}) is `bytes[start, end)`. */
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  #read(): StoredBody {
    return (this.#body ??= JSON.parse(this.bytes.toString('utf8', this.start, this.end)) as StoredBody);
  }

  record(): OsvRecord {
    return this.#read()[1];
  }

  listedFacts(): readonly ListedFacts[] {
    return this.#read()[0];
  }
}

/**
 * A record's body as stored: what compiling it learns of its `versions[]` lists (`listedFactsOf`, under this
 * build's version orders: the build stamp covers them), then the record.
 */
type StoredBody = [ListedFacts[], OsvRecord];

/** What became of the snapshot in one load. */
export interface SnapshotReport {
  /** The snapshot file, or null without a cache. */
  readonly file: string | null;
  /** `hit`: every file from the snapshot; `partial`: some read anew; `miss`: none (absent or unusable); `off`: no cache. */
  readonly outcome: 'hit' | 'partial' | 'miss' | 'off';
  readonly reusedFiles: number;
  readonly readFiles: number;
  /** Why a snapshot that was there could not be used (corrupt, another version, unreadable). */
  readonly ignored?: string;
  readonly written: boolean;
  /** Why the snapshot could not be written. */
  readonly writeProblem?: string;
}

export interface SnapshotLoad {
  /** Every record, in the order of the files (as `loadOsv` gives them). */
  readonly records: readonly SnapshotRecord[];
  readonly skipped: readonly { readonly source: string; readonly reason: string }[];
  readonly snapshot: SnapshotReport;
}

/** One file's outcome, as stored. */
interface UnitEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly readAt: number;
  readonly records: StoredRecord[];
  readonly skipped: { source: string; reason: string }[];
}

export type SnapshotStage = 'sources' | 'snapshot-read' | 'reader-load' | 'osv-read' | 'osv-parse' | 'osv-check' | 'snapshot-write';

/** The `--osv` files being stated (see {@link startOsvSources}), and when that began. */
export interface OsvSourcesStarted {
  readonly readAt: number;
  readonly units: Promise<OsvUnit[]>;
}

/**
 * Starts stating the files under `paths` on the thread pool: the caller works meanwhile, then hands the
 * result to {@link loadOsvSnapshot}. A path that does not exist is reported only when that awaits it.
 */
export function startOsvSources(paths: readonly string[]): OsvSourcesStarted {
  // Taken before any file is stated: a file changed after its stat is then never newer than readAt.
  const readAt = Date.now();
  const units = osvUnitsAsync(paths);
  units.catch(() => undefined);
  return { readAt, units };
}

export interface LoadSnapshotOptions {
  /** The files under the paths, already being stated (else they are stated now). */
  readonly sources?: OsvSourcesStarted;
  /** The cache directory, or null for no snapshot (every file read). */
  readonly cacheDir: string | null;
  readonly onProgress?: (done: number, total: number) => void;
  /** Where the time went, stage by stage (called once per stage, or per file for reading). */
  readonly timer?: (stage: SnapshotStage, ms: number) => void;
}

/** The default cache directory: `$XDG_CACHE_HOME/clearinghouse/osv`, else `~/.cache/clearinghouse/osv`. */
export function defaultOsvCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(env['HOME'] || homedir(), '.cache');
  return path.join(base, 'clearinghouse', 'osv');
}

/** The snapshot file for a list of `--osv` paths (resolved, in order). */
export function snapshotFile(cacheDir: string, paths: readonly string[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(paths.map((p) => path.resolve(p))))
    .digest('hex');
  return path.join(cacheDir, `${digest.slice(0, 32)}.snapshot`);
}

/**
 * What a snapshot must have been written by to be trusted here: the format, the reader version, and the
 * size and time of every file of this directory and of the inventory domain (the package keys and the
 * version orders that the stored facts were computed with), so a new build never trusts an older one's.
 */
function buildKey(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const code: (string | number)[] = [];
  for (const dir of [here, path.join(here, '..', 'domain')])
    for (const name of readdirSync(dir).sort()) {
      const s = statSync(path.join(dir, name));
      if (s.isFile()) code.push(name, s.size, s.mtimeMs);
    }
  return JSON.stringify([SNAPSHOT_FORMAT, OSV_READER_VERSION, createHash('sha256').update(JSON.stringify(code)).digest('hex')]);
}

/**
 * One file as the index holds it: `[path, size, mtimeMs, readAt, records, skipped]`, a record
 * `[source or null when it is the path, id, [package key, …], withdrawn, unnamed, start, end]` (its body
 * at `start`…`end` of the bodies), a skipped file `[source, reason]`.
 */
type IndexedRecord = [string | null, string, string[], boolean, boolean, number, number];
type IndexedUnit = [string, number, number, number, IndexedRecord[], [string, string][]];

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The index's files as stored records over `bodies`, or null when its shape is not the one written. */
function unitsOf(index: unknown, bodies: Buffer): UnitEntry[] | null {
  if (!Array.isArray(index)) return null;
  const units: UnitEntry[] = [];
  for (const u of index as unknown[]) {
    if (!Array.isArray(u) || u.length !== 6) return null;
    const [unitPath, size, mtimeMs, readAt, records, skipped] = u as unknown[];
    if (
      !isString(unitPath) ||
      !isNumber(size) ||
      !isNumber(mtimeMs) ||
      !isNumber(readAt) ||
      !Array.isArray(records) ||
      !Array.isArray(skipped)
    )
      return null;
    const stored: StoredRecord[] = [];
    for (const r of records as unknown[]) {
      if (!Array.isArray(r) || r.length !== 7) return null;
      const [source, id, keys, withdrawn, unnamed, start, end] = r as unknown[];
      if (
        !(source === null || isString(source)) ||
        !isString(id) ||
        !Array.isArray(keys) ||
        !keys.every(isString) ||
        typeof withdrawn !== 'boolean' ||
        typeof unnamed !== 'boolean' ||
        !Number.isSafeInteger(start) ||
        !Number.isSafeInteger(end) ||
        (start as number) < 0 ||
        (start as number) > (end as number) ||
        (end as number) > bodies.length
      )
        return null;
      stored.push(new StoredRecord(source ?? unitPath, id, keys as string[], withdrawn, unnamed, bodies, start as number, end as number));
    }
    if (!skipped.every((s: unknown) => Array.isArray(s) && s.length === 2 && isString(s[0]) && isString(s[1]))) return null;
    units.push({
      path: unitPath,
      size,
      mtimeMs,
      readAt,
      records: stored,
      skipped: (skipped as [string, string][]).map(([source, reason]) => ({ source, reason })),
    });
  }
  return units;
}

/** The stored files by path, or why the snapshot cannot be used (null when there is none). */
function readSnapshot(file: string, key: string): Map<string, UnitEntry> | { problem: string } | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { problem: `unreadable: ${(error as Error).message}` };
  }
  const newline = bytes.indexOf(0x0a);
  let header: { magic?: unknown; key?: unknown; sha256?: unknown; bytes?: unknown; index?: unknown };
  try {
    header = JSON.parse(bytes.subarray(0, newline < 0 ? 0 : newline).toString('utf8')) as typeof header;
  } catch {
    return { problem: 'corrupt: no header' };
  }
  if (header.magic !== MAGIC) return { problem: 'corrupt: not a snapshot' };
  if (header.key !== key) return { problem: 'written by another version' };
  const payload = bytes.subarray(newline + 1);
  if (payload.length !== header.bytes) return { problem: `corrupt: ${payload.length} bytes, expected ${String(header.bytes)}` };
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) return { problem: 'corrupt: checksum mismatch' };
  const indexBytes = header.index;
  if (!Number.isSafeInteger(indexBytes) || (indexBytes as number) < 0 || (indexBytes as number) > payload.length)
    return { problem: 'corrupt: no index' };
  let index: unknown;
  try {
    index = JSON.parse(payload.toString('utf8', 0, indexBytes as number));
  } catch (error) {
    return { problem: `corrupt: ${(error as Error).message}` };
  }
  const units = unitsOf(index, payload.subarray(indexBytes as number));
  if (units === null) return { problem: 'corrupt: unexpected content' };
  return new Map(units.map((u) => [u.path, u]));
}

/** Writes the snapshot atomically (a temporary file renamed over it); the problem when it cannot. */
function writeSnapshot(file: string, key: string, units: readonly UnitEntry[]): string | undefined {
  const bodies: Buffer[] = [];
  let at = 0;
  const index: IndexedUnit[] = units.map((u) => [
    u.path,
    u.size,
    u.mtimeMs,
    u.readAt,
    u.records.map((r): IndexedRecord => {
      const body = r.bytes.subarray(r.start, r.end);
      bodies.push(body);
      at += body.length;
      return [r.source === u.path ? null : r.source, r.id, [...r.keys], r.withdrawn, r.unnamed, at - body.length, at];
    }),
    u.skipped.map((s): [string, string] => [s.source, s.reason]),
  ]);
  const indexText = Buffer.from(JSON.stringify(index));
  const payload = Buffer.concat([indexText, ...bodies]);
  const header = JSON.stringify({
    magic: MAGIC,
    key,
    sha256: createHash('sha256').update(payload).digest('hex'),
    bytes: payload.length,
    index: indexText.length,
  });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${header}\n`), payload]));
    renameSync(temporary, file);
    return undefined;
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written there (the directory itself is missing or not one).
    }
    return (error as Error).message;
  }
}

function toStore(source: string, record: OsvRecord): StoredRecord {
  const facts = lazyAdvisoryOf(record);
  const body: StoredBody = [listedFactsOf(record), record];
  const bytes = Buffer.from(JSON.stringify(body));
  return new StoredRecord(source, facts.id, facts.keys, facts.withdrawn, facts.unnamed, bytes, 0, bytes.length);
}

const reusable = (stored: UnitEntry | undefined, unit: OsvUnit): stored is UnitEntry =>
  stored !== undefined && stored.size === unit.size && stored.mtimeMs === unit.mtimeMs && unit.mtimeMs < stored.readAt - RACY_MS;

/**
 * Loads the advisories under `paths` as `loadOsv` does (same records, same order, same skipped files and
 * reasons), through the snapshot in `cacheDir`: files unchanged since the snapshot are taken from it, the
 * others read, and the snapshot rewritten when anything was read.
 * @throws InputError as `osvUnits` and `unitSources` do (a path that does not exist, a ZIP that cannot be read).
 */
export async function loadOsvSnapshot(paths: readonly string[], options: LoadSnapshotOptions): Promise<SnapshotLoad> {
  const { cacheDir, timer } = options;
  let at = performance.now();
  const lap = (stage: SnapshotStage): void => {
    const now = performance.now();
    timer?.(stage, now - at);
    at = now;
  };
  const { readAt, units: stating } = options.sources ?? startOsvSources(paths);
  const units = await stating;
  const key = cacheDir === null ? '' : buildKey();
  const file = cacheDir === null ? null : snapshotFile(cacheDir, paths);
  lap('sources');
  const prior = file === null ? null : readSnapshot(file, key);
  const stored = prior instanceof Map ? prior : new Map<string, UnitEntry>();
  lap('snapshot-read');

  const stale = units.filter((u) => !reusable(stored.get(u.path), u));
  const osvTimer: OsvLoadTimer | undefined = timer && ((stage, ms) => timer(`osv-${stage}`, ms));
  const fresh = new Map<string, UnitEntry>();
  const readNow = new Map<string, SnapshotRecord[]>();
  if (stale.length > 0) {
    // The reader (YAML, the OSV schema's validator) is loaded only when a file must be read.
    const { loadOsv } = await import('./osv-sources.js');
    lap('reader-load');
    for (const [i, unit] of stale.entries()) {
      const load = loadOsv(unitSources(unit), undefined, osvTimer);
      readNow.set(
        unit.path,
        load.advisories.map((a) => ({ ...lazyAdvisoryOf(a.record), source: a.source })),
      );
      fresh.set(unit.path, {
        path: unit.path,
        size: unit.size,
        mtimeMs: unit.mtimeMs,
        readAt,
        records: load.advisories.map((a) => toStore(a.source, a.record)),
        skipped: load.skipped,
      });
      if (options.onProgress && (i % 250 === 0 || i === stale.length - 1)) options.onProgress(i + 1, stale.length);
    }
  }
  at = performance.now();
  const entries = units.map((u) => fresh.get(u.path) ?? (stored.get(u.path) as UnitEntry));

  let writeProblem: string | undefined;
  const changed = stale.length > 0 || stored.size !== new Set(units.map((u) => u.path)).size;
  if (file !== null && changed) {
    writeProblem = writeSnapshot(file, key, entries);
    lap('snapshot-write');
  }
  const snapshot: SnapshotReport = {
    file,
    outcome: file === null ? 'off' : stale.length === 0 ? 'hit' : stale.length === units.length ? 'miss' : 'partial',
    reusedFiles: units.length - stale.length,
    readFiles: stale.length,
    ...(prior !== null && !(prior instanceof Map) ? { ignored: prior.problem } : {}),
    written: file !== null && changed && writeProblem === undefined,
    ...(writeProblem === undefined ? {} : { writeProblem }),
  };
  // Records read now are at hand; the others are read from the snapshot when a lookup needs them.
  const records = units.flatMap((u) => (fresh.has(u.path) ? (readNow.get(u.path) ?? []) : (stored.get(u.path) as UnitEntry).records));
  return { records, skipped: entries.flatMap((e) => e.skipped), snapshot };
}
