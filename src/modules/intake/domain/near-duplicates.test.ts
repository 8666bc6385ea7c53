import { describe, expect, it } from 'vitest';
import type { CodeLocation, Target } from './finding.js';
import { cweFamily } from './cwe-families.js';
import { findNearDuplicates, nearDuplicateBuckets, type NearDuplicateSubject } from './near-duplicates.js';
import { packageTargetFromPurl } from './package-target.js';

const lib = packageTargetFromPurl('pkg:npm/example-parser@1.0.0') as Target;
const other = packageTargetFromPurl('pkg:npm/unrelated@2.0.0') as Target;

function at(path: string | null, fn: string | null = null): CodeLocation {
  return { path, startLine: 10, endLine: null, startColumn: null, function: fn, symbol: null, lineHash: null, snippet: null };
}

function subject(key: string, title: string, description: string, extra: Partial<NearDuplicateSubject> = {}): NearDuplicateSubject {
  return { key, title, description, targets: [lib], cwes: ['CWE-787'], locations: [at('src/header.c', 'parse_header')], ...extra };
}

const reportA = subject(
  'a',
  'Heap buffer overflow in parse_header when the header length field exceeds the buffer',
  'parse_header copies the header into a fixed heap buffer using the length field from the packet without checking it against the buffer size',
);
const reportB = subject(
  'b',
  'Heap buffer overflow in parse_header: header length field exceeds the buffer',
  'The length field from the packet is used by parse_header to copy the header into a fixed heap buffer without checking it against the buffer size',
  { cwes: ['CWE-120'], locations: [at('src/header.c', 'parse_header')] },
);

describe('findNearDuplicates', () => {
  it('proposes two wordings of one bug on one target, with the score and the reason', () => {
    const [candidate, ...rest] = findNearDuplicates([reportA, reportB]);
    expect(rest).toEqual([]);
    expect(candidate).toMatchObject({ a: 'a', b: 'b', target: 'pkg:npm/example-parser', locationSimilarity: 1 });
    expect(candidate?.score).toBeGreaterThanOrEqual(0.6);
    expect(candidate?.reason).toMatch(
      /^same target pkg:npm\/example-parser; CWE family memory-bounds; same file src\/header\.c and function parse_header; text similarity 0\.\d\d$/,
    );
  });

  it('compares only findings on a common target', () => {
    expect(findNearDuplicates([reportA, { ...reportB, targets: [other] }])).toEqual([]);
  });

  it('compares only findings whose CWE families meet, treating a missing CWE as any family', () => {
    expect(findNearDuplicates([reportA, { ...reportB, cwes: ['CWE-79'] }])).toEqual([]);
    expect(findNearDuplicates([reportA, { ...reportB, cwes: [] }])[0]?.reason).toMatch(/CWE not stated by both/);
  });

  it('does not propose pairs already in one identity cluster', () => {
    expect(
      findNearDuplicates([
        { ...reportA, clusterId: 'c1' },
        { ...reportB, clusterId: 'c1' },
      ]),
    ).toEqual([]);
    expect(
      findNearDuplicates([
        { ...reportA, clusterId: 'c1' },
        { ...reportB, clusterId: 'c2' },
      ]),
    ).toHaveLength(1);
  });

  it('does not propose unrelated findings in the same file', () => {
    const unrelated = subject('c', 'Integer overflow in checksum', 'The checksum routine adds 32-bit words and wraps around silently', {
      cwes: ['CWE-787'],
      locations: [at('src/header.c', 'checksum')],
    });
    expect(findNearDuplicates([reportA, unrelated])).toEqual([]);
  });

  it('weighs location: the same text in another file scores lower than in the same file', () => {
    const elsewhere = findNearDuplicates([reportA, { ...reportB, locations: [at('lib/other/body.c', 'parse_body')] }], { threshold: 0 });
    const same = findNearDuplicates([reportA, reportB], { threshold: 0 });
    expect(elsewhere[0]?.locationSimilarity).toBe(0);
    expect((elsewhere[0]?.score ?? 1) < (same[0]?.score ?? 0)).toBe(true);
  });

  it('never proposes findings that name only different vulnerability ids, however alike their text', () => {
    const ids = (...list: string[]) => list.map((id) => ({ id, source: 'record' as const, pointer: '/id' }));
    const advisory = (key: string, aliases: string[]) =>
      subject(key, 'Prototype pollution in example-parser', 'Crafted keys reach the object prototype through merge', {
        locations: [],
        cwes: ['CWE-1321'],
        aliases: ids(...aliases),
      });
    // Identical wording: text similarity 1.00, on one target, in one CWE family.
    expect(findNearDuplicates([advisory('a', ['CVE-2026-1000']), advisory('b', ['CVE-2026-2000'])])).toEqual([]);
    expect(findNearDuplicates([advisory('a', ['GHSA-aaaa-bbbb-cccc']), advisory('b', ['CVE-2026-2000'])])).toEqual([]);
    // Sharing one id is the alias layer's business, not a proposal's; naming none leaves text to decide.
    expect(findNearDuplicates([advisory('a', ['CVE-2026-1000', 'GHSA-aaaa-bbbb-cccc']), advisory('b', ['CVE-2026-1000'])])).toHaveLength(1);
    expect(findNearDuplicates([advisory('a', ['CVE-2026-1000']), advisory('b', [])])).toHaveLength(1);
    expect(findNearDuplicates([advisory('a', []), advisory('b', [])])[0]?.reason).toMatch(/text similarity 1\.00/);
  });

  it('finds the duplicates in a larger block by hashing, best first, deterministically', () => {
    const noise = Array.from({ length: 200 }, (_, i) =>
      subject(`n${i}`, `Distinct issue number ${i} alpha${i} beta${i}`, `Unrelated description gamma${i} delta${i} epsilon${i}`, {
        locations: [at(`src/f${i}.c`)],
      }),
    );
    const all = [...noise.slice(0, 100), reportA, ...noise.slice(100), reportB];
    const first = findNearDuplicates(all);
    expect(first.map((c) => [c.a, c.b])).toEqual([['a', 'b']]);
    expect(findNearDuplicates(all)).toEqual(first);
  });

  it('answers the same for subjects whose buckets were asked for first, under every signature size', () => {
    const fresh = () => [{ ...reportA }, { ...reportB }];
    const asked = fresh();
    for (const s of asked) nearDuplicateBuckets(s);
    for (const options of [{}, { signatureSize: 32 }, { signatureSize: 128, bandRows: 8 }, {}]) {
      const expected = findNearDuplicates(fresh(), { ...options, threshold: 0 });
      expect(expected).toHaveLength(1);
      expect(findNearDuplicates(asked, { ...options, threshold: 0 })).toEqual(expected);
    }
  });

  it('compares only the pairs involving the given subjects, and proposes exactly the ones a full run proposes with them', () => {
    // Reworded reports of one function that share their file with every other report (a bucket too large
    // to use): only their text and function buckets join them, and those count every member, involved or not.
    const words = 'header length buffer packet copies fixed heap size field parse checks bound'.split(' ');
    const reports = Array.from({ length: 80 }, (_, i) =>
      subject(`r${i}`, `Overflow in parse_${i % 9}`, words.map((_, w) => words[(w * (1 + (i % 5)) + i) % words.length]).join(' '), {
        locations: [at('src/shared.c', `parse_${i % 9}`)],
        targets: i % 4 === 0 ? [lib, other] : [lib],
      }),
    );
    const full = findNearDuplicates(reports, { threshold: 0 });
    for (const keys of [['r3'], ['r0', 'r9', 'r18'], ['r1', 'r2', 'r40', 'r79']]) {
      const involving = new Set(keys);
      const expected = full.filter((c) => involving.has(c.a) || involving.has(c.b));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(full.length);
      expect(findNearDuplicates(reports, { threshold: 0, involving })).toEqual(expected);
    }
  });
});

describe('cweFamily', () => {
  it('groups neighbouring CWEs and leaves unlisted ones as themselves', () => {
    expect(cweFamily('CWE-79')).toBe(cweFamily('CWE-80'));
    expect(cweFamily('CWE-787')).toBe(cweFamily('CWE-120'));
    expect(cweFamily('CWE-99999')).toBe('CWE-99999');
  });
});
