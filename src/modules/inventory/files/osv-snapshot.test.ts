import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { seededRandom } from '#test-support/seeded-random.js';
import { lazyAdvisoryOf } from '../domain/match-index.js';
import { listedFactsOf } from '../domain/osv-evaluate.js';
import type { OsvRecord } from '../domain/osv-record.js';
import { osvRecord, zipOf } from '../test-support/fixtures.js';
import { defaultOsvCacheDir, loadOsvSnapshot, RACY_MS, snapshotFile, type SnapshotLoad } from './osv-snapshot.js';
import { loadOsv, osvSources } from './osv-sources.js';

let dir: string;
let tree: string;
let zip: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'osv-snapshot-'));
  tree = path.join(dir, 'osv');
  zip = path.join(dir, 'all.zip');
  cache = path.join(dir, 'cache');
  mkdirSync(path.join(tree, 'django'), { recursive: true });
  write('django/PYSEC-1.json', JSON.stringify(osvRecord('PYSEC-1', 'PyPI', 'django', [{ introduced: '3.0' }, { fixed: '3.2.1' }])));
  write('PYSEC-2.yaml', toYaml(osvRecord('PYSEC-2', 'PyPI', 'Django', [{ introduced: '0' }, { fixed: '3.1' }])));
  write('notes.json', '{"title": "not an advisory"}');
  write('list.json', JSON.stringify([osvRecord('GO-1', 'Go', 'example.com/m', [{ introduced: '0' }, { fixed: '1.2.0' }])]));
  writeFileSync(
    zip,
    zipOf({ 'GHSA-x.json': JSON.stringify(osvRecord('GHSA-x', 'PyPI', 'requests', [{ introduced: '2.0' }, { fixed: '2.20.0' }])) }),
  );
  // Files written a while ago: a snapshot trusts only files not modified just before it read them.
  age(...readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(relative: string, content: string): void {
  writeFileSync(path.join(tree, relative), content);
}

function age(...files: string[]): void {
  const then = new Date(Date.now() - 3_600_000);
  for (const f of files) utimesSync(f, then, then);
}

const paths = (): string[] => [tree, zip];

/** What reading every file gives, without any snapshot: the truth a snapshot must reproduce. */
function truth(): { records: { source: string; record: OsvRecord }[]; skipped: unknown[] } {
  const load = loadOsv(osvSources(paths()));
  return { records: load.advisories.map((a) => ({ source: a.source, record: a.record })), skipped: load.skipped };
}

const content = (load: SnapshotLoad) => ({
  records: load.records.map((r) => ({ source: r.source, record: r.record() })),
  skipped: load.skipped,
});
const recordOf = (load: SnapshotLoad, id: string) => load.records.find((r) => r.id === id)?.record();
const load = (cacheDir: string | null = cache): Promise<SnapshotLoad> => loadOsvSnapshot(paths(), { cacheDir });

describe('the advisory snapshot', () => {
  it('gives what reading the files gives, cold, warm and without a cache, and writes nothing beside the sources', async () => {
    const before = readdirSync(dir, { recursive: true }).sort();
    const cold = await load();
    expect(cold.snapshot).toMatchObject({ outcome: 'miss', readFiles: 5, reusedFiles: 0, written: true });
    const warm = await load();
    expect(warm.snapshot).toMatchObject({ outcome: 'hit', readFiles: 0, reusedFiles: 5, written: false });
    const off = await load(null);
    expect(off.snapshot).toMatchObject({ outcome: 'off', file: null, written: false });
    for (const l of [cold, warm, off]) expect(content(l)).toEqual(truth());
    expect(warm.skipped.map((s) => path.basename(s.source))).toEqual(['notes.json']);
    // What indexing takes at once is what the records say.
    const facts = (l: SnapshotLoad) =>
      l.records.map(({ source, id, keys, withdrawn, unnamed }) => ({ source, id, keys: [...keys], withdrawn, unnamed }));
    const want = truth().records.map(({ source, record }) => {
      const { id, keys, withdrawn, unnamed } = lazyAdvisoryOf(record);
      return { source, id, keys: [...keys], withdrawn, unnamed };
    });
    for (const l of [cold, warm, off]) expect(facts(l)).toEqual(want);
    expect(readdirSync(dir, { recursive: true }).sort()).toEqual(
      [...before, 'cache', path.join('cache', path.basename(snapshotFile(cache, paths())))].sort(),
    );
  });

  it('reads again only the files that changed, appeared or vanished', async () => {
    await load();
    write('django/PYSEC-1.json', JSON.stringify(osvRecord('PYSEC-1', 'PyPI', 'django', [{ introduced: '3.0' }, { fixed: '3.2.9' }])));
    write('PYSEC-3.json', JSON.stringify(osvRecord('PYSEC-3', 'PyPI', 'flask', [{ introduced: '0' }, { fixed: '1.0' }])));
    rmSync(path.join(tree, 'notes.json'));
    age(path.join(tree, 'django/PYSEC-1.json'), path.join(tree, 'PYSEC-3.json'));
    const changed = await load();
    expect(changed.snapshot).toMatchObject({ outcome: 'partial', readFiles: 2, reusedFiles: 3, written: true });
    expect(content(changed)).toEqual(truth());
    expect(recordOf(changed, 'PYSEC-1')?.affected?.[0]?.ranges?.[0]?.events).toContainEqual({
      fixed: '3.2.9',
    });
    expect(changed.skipped).toEqual([]);
    expect((await load()).snapshot.outcome).toBe('hit');
  });

  it('never trusts a file modified just before it was read: a same-size rewrite within the clock granularity is read again', async () => {
    const file = path.join(tree, 'django/PYSEC-1.json');
    const now = new Date();
    utimesSync(file, now, now);
    await load();
    // Same size, same modification time, other content: only the time it was read can tell.
    writeFileSync(file, readFileSync(file, 'utf8').replace('3.2.1', '3.2.7'));
    utimesSync(file, now, now);
    const again = await load();
    expect(again.snapshot.readFiles).toBe(1);
    expect(recordOf(again, 'PYSEC-1')?.affected?.[0]?.ranges?.[0]?.events).toContainEqual({
      fixed: '3.2.7',
    });
    expect(RACY_MS).toBeGreaterThanOrEqual(1000);
  });

  it('ignores and rebuilds a snapshot that is corrupt, truncated or of another version, whatever the damage', async () => {
    await load();
    const file = snapshotFile(cache, paths());
    const good = readFileSync(file);
    const want = truth();
    const rand = seededRandom(14);
    const damaged: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from('not a snapshot\n'),
      good.subarray(0, good.length - 1),
      good.subarray(0, good.indexOf(0x0a) + 1),
      Buffer.from(good.toString('latin1').replace('"key":"[', '"key":"[99'), 'latin1'),
    ];
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.from(good);
      const at = Math.floor(rand() * bytes.length);
      if (i % 3 === 0) damaged.push(bytes.subarray(0, at));
      else {
        bytes[at] = (bytes[at] as number) ^ (1 + Math.floor(rand() * 255));
        damaged.push(bytes);
      }
    }
    for (const bytes of damaged) {
      writeFileSync(file, bytes);
      const rebuilt = await load();
      expect(rebuilt.snapshot.outcome).toBe('miss');
      expect(rebuilt.snapshot.ignored).toMatch(/corrupt|another version/);
      expect(content(rebuilt)).toEqual(want);
      expect(readFileSync(file).equals(good) || (await load()).snapshot.outcome === 'hit').toBe(true);
    }
  });

  it('rebuilds a snapshot of an older format, intact and checksummed as it was written, rather than reading it as the current one', async () => {
    await load();
    const file = snapshotFile(cache, paths());
    const current = readFileSync(file);
    const newline = current.indexOf(0x0a);
    const header = JSON.parse(current.subarray(0, newline).toString('utf8')) as { key: string; index: number };
    const [format, ...build] = JSON.parse(header.key) as [number, ...unknown[]];
    expect(format).toBeGreaterThan(3);
    // Format 3, as its writer left it: records named their packages as [ecosystem, name, …], and a body was
    // the record alone.
    const units = JSON.parse(current.toString('utf8', newline + 1, newline + 1 + header.index)) as unknown[][];
    const byId = new Map(truth().records.map((r) => [r.record.id, r.record]));
    const bodies: Buffer[] = [];
    let at = 0;
    for (const unit of units)
      for (const r of unit[4] as unknown[][]) {
        const record = byId.get(r[1] as string);
        const body = Buffer.from(JSON.stringify(record));
        r[2] = (record?.affected ?? []).flatMap((a) => (a.package ? [a.package.ecosystem, a.package.name] : []));
        r[5] = at;
        r[6] = at += body.length;
        bodies.push(body);
      }
    const index = Buffer.from(JSON.stringify(units));
    const payload = Buffer.concat([index, ...bodies]);
    const oldHeader = {
      magic: 'clearinghouse-osv-snapshot',
      key: JSON.stringify([3, ...build]),
      sha256: createHash('sha256').update(payload).digest('hex'),
      bytes: payload.length,
      index: index.length,
    };
    writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(oldHeader)}\n`), payload]));
    const rebuilt = await load();
    expect(rebuilt.snapshot).toMatchObject({ outcome: 'miss', ignored: 'written by another version', written: true });
    expect(content(rebuilt)).toEqual(truth());
    expect(rebuilt.records.map((r) => r.keys)).toEqual(truth().records.map((r) => lazyAdvisoryOf(r.record).keys));
    const warm = await load();
    expect(warm.snapshot.outcome).toBe('hit');
    expect(content(warm)).toEqual(truth());
  });

  it('keeps what compiling learns of each listed-versions list, as compiling would compute it', async () => {
    const listing = osvRecord('PYSEC-9', 'PyPI', 'flask', [{ introduced: '0.9' }, { fixed: '2.0.1' }]);
    const versions = ['1.0', '2.0.0', '0.9', 'not a version', '1.0'];
    write('PYSEC-9.json', JSON.stringify({ ...listing, affected: listing.affected?.map((a) => ({ ...a, versions })) }));
    age(path.join(tree, 'PYSEC-9.json'));
    await load();
    const warm = await load();
    expect(warm.snapshot.outcome).toBe('hit');
    for (const r of warm.records) expect(r.listedFacts?.()).toEqual(listedFactsOf(r.record()));
    expect(warm.records.find((r) => r.id === 'PYSEC-9')?.listedFacts?.()).toEqual([{ highest: '2.0.0', complete: false }]);
  });

  it('goes on without a snapshot where none can be written, saying why', async () => {
    writeFileSync(cache, 'a file where the cache directory should be');
    const first = await load();
    expect(first.snapshot).toMatchObject({ outcome: 'miss', written: false });
    expect(first.snapshot.writeProblem).toBeDefined();
    expect(content(first)).toEqual(truth());
  });

  it('lives in $XDG_CACHE_HOME, else ~/.cache, one file per list of paths', async () => {
    expect(defaultOsvCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe(path.join('/x/cache', 'clearinghouse', 'osv'));
    expect(defaultOsvCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe(
      path.join('/home/u', '.cache', 'clearinghouse', 'osv'),
    );
    expect(defaultOsvCacheDir({ HOME: '/home/u' })).toBe(path.join('/home/u', '.cache', 'clearinghouse', 'osv'));
    expect(snapshotFile(cache, [tree, zip])).not.toBe(snapshotFile(cache, [zip, tree]));
    expect(snapshotFile(cache, [tree])).toBe(snapshotFile(cache, [path.join(tree, '.')]));
  });
});
