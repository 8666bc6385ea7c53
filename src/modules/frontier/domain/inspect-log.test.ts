import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { buildZip, inspectEvalArchive, inspectJsonLog, zstdInit } from '../test-support/eval-archive.js';
import { readInspectLog, scoreValue } from './inspect-log.js';
import { parseLenientJson } from './lenient-json.js';
import { crc32, openZip } from '../../../platform/zip.js';

beforeAll(() => zstdInit());

describe('lenient JSON', () => {
  it('reads bare NaN and infinities as null (unscored), leaving strings alone', () => {
    const parsed = parseLenientJson('{"a": NaN, "b": [Infinity, -Infinity, 1.5e-3], "c": "NaN \\" Infinity", "d": -1}', 'x');
    expect(parsed.value).toEqual({ a: null, b: [null, null, 0.0015], c: 'NaN " Infinity', d: -1 });
    expect(parsed.nonFinite).toBe(3);
    expect(() => parseLenientJson('{"a": nan}', 'the log')).toThrow(InputError);
  });
});

describe('the ZIP reader', () => {
  it('reads stored, deflated and zstd entries, checking CRC-32', () => {
    const zip = openZip(
      buildZip([
        { name: 'a.txt', content: 'stored bytes', method: 'stored' },
        { name: 'b.txt', content: 'deflated '.repeat(100), method: 'deflate' },
        { name: 'c.txt', content: 'zstd '.repeat(100), method: 'zstd' },
      ]),
      { maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 20, maxEntries: 10 },
    );
    expect(zip.entries.map((e) => [e.name, e.method])).toEqual([
      ['a.txt', 0],
      ['b.txt', 8],
      ['c.txt', 93],
    ]);
    expect(Buffer.from(zip.read('b.txt') ?? []).toString()).toBe('deflated '.repeat(100));
    expect(Buffer.from(zip.read('c.txt') ?? []).toString()).toBe('zstd '.repeat(100));
    expect(zip.read('missing')).toBeUndefined();
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('refuses damaged archives, unknown methods and entries beyond the limits', () => {
    const good = buildZip([{ name: 'a.txt', content: 'hello hello hello', method: 'stored' }]);
    const damaged = Buffer.from(good);
    damaged[30 + 'a.txt'.length] = 'j'.charCodeAt(0);
    expect(() => openZip(damaged, { maxEntryBytes: 100, maxTotalBytes: 100, maxEntries: 10 }).read('a.txt')).toThrow(/CRC-32/);
    const unknown = Buffer.from(good);
    unknown.writeUInt16LE(12, good.length - 22 - 46 - 'a.txt'.length + 10);
    expect(() => openZip(unknown, { maxEntryBytes: 100, maxTotalBytes: 100, maxEntries: 10 }).read('a.txt')).toThrow(/method 12/);
    expect(() => openZip(good, { maxEntryBytes: 5, maxTotalBytes: 100, maxEntries: 10 }).read('a.txt')).toThrow(PayloadTooLargeError);
    expect(() => openZip(good, { maxEntryBytes: 100, maxTotalBytes: 100, maxEntries: 0 })).toThrow(InputError);
    expect(() =>
      openZip(Buffer.from('PK\u0003\u0004 not really a zip archive at all'), { maxEntryBytes: 1, maxTotalBytes: 1, maxEntries: 1 }),
    ).toThrow(InputError);
  });

  it('stops inflating an entry that is larger than it declares (a zip bomb)', () => {
    const bomb = buildZip([{ name: 'big', content: Buffer.alloc(100_000), method: 'deflate' }]);
    // Declare 1,000 bytes uncompressed in the central directory: inflating must stop there.
    bomb.writeUInt32LE(1000, bomb.length - 22 - 46 - 'big'.length + 24);
    expect(() => openZip(bomb, { maxEntryBytes: 10_000, maxTotalBytes: 10_000, maxEntries: 1 }).read('big')).toThrow(InputError);
    const zbomb = buildZip([{ name: 'big', content: Buffer.alloc(100_000), method: 'zstd' }]);
    zbomb.writeUInt32LE(1000, zbomb.length - 22 - 46 - 'big'.length + 24);
    expect(() => openZip(zbomb, { maxEntryBytes: 10_000, maxTotalBytes: 10_000, maxEntries: 1 }).read('big')).toThrow(InputError);
  });
});

describe('Inspect logs', () => {
  const expected = {
    task: 'inspect_evals/cybench',
    benchmark: 'cybench',
    model: 'example/frontier-1',
    status: 'success',
    samples: { total: 4, scored: 3, unscored: 1 },
    metrics: [
      { benchmark: 'cybench', metric: 'accuracy', value: 0.5, scorer: 'includes' },
      { benchmark: 'cybench', metric: 'stderr', value: null, scorer: 'includes' },
    ],
  };
  const spec = { metrics: { accuracy: '0.5', stderr: 'NaN' }, scores: ['"C"', '"I"', '0.5', 'NaN'] };

  it('reads a .json log with bare NaN scores as unscored', () => {
    expect(readInspectLog(inspectJsonLog(spec))).toMatchObject({ format: 'inspect-json', ...expected, nonFiniteValues: 2 });
  });

  it.each(['deflate', 'zstd', 'stored'] as const)('reads a .eval archive with %s entries', (method) => {
    expect(readInspectLog(inspectEvalArchive(spec, method))).toMatchObject({ format: 'inspect-eval', ...expected });
  });

  it('counts samples from samples/*.json when an archive has no summaries', () => {
    expect(readInspectLog(inspectEvalArchive({ ...spec, metrics: { accuracy: 'Infinity' } }, 'zstd', false))).toMatchObject({
      samples: { total: 4, scored: 3, unscored: 1 },
      metrics: [{ metric: 'accuracy', value: null }],
    });
  });

  it('refuses what is not an Inspect log, saying why', () => {
    expect(() => readInspectLog(Buffer.from('<html></html>'))).toThrow(UnsupportedMediaTypeError);
    expect(() => readInspectLog(Buffer.from('{"version": 2}'))).toThrow(/no "eval" section/);
    expect(() => readInspectLog(buildZip([{ name: 'other.json', content: '{}' }]))).toThrow(/no header.json/);
  });

  it('reads scores the way Inspect does', () => {
    expect([
      scoreValue('C'),
      scoreValue('I'),
      scoreValue('P'),
      scoreValue('N'),
      scoreValue(true),
      scoreValue('0.25'),
      scoreValue(null),
      scoreValue('x'),
    ]).toEqual([1, 0, 0.5, 0, 1, 0.25, null, null]);
  });
});
