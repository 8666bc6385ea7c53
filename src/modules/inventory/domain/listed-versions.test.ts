import { describe, expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { ListedVersions } from './listed-versions.js';
import { versionOrderFor } from './version-order-registry.js';

const pypi = versionOrderFor('PyPI');
const parse = (v: string): unknown => pypi.parse(v);

describe('ListedVersions', () => {
  it('answers whether a version equal under the order is listed, before and after it sorts the list', () => {
    const rnd = seededRandom(14);
    const spellings = (major: number, minor: number): string[] => [`${major}.${minor}`, `${major}.${minor}.0`, `${major}.${minor}.0.0`];
    const listed = Array.from({ length: 40 }, () => {
      const major = Math.floor(rnd() * 6);
      const minor = Math.floor(rnd() * 6);
      const all = spellings(major, minor);
      return all[Math.floor(rnd() * all.length)] as string;
    });
    const list = new ListedVersions(pypi, listed);
    // Many more questions than the scans it answers before sorting (log2 of 41, rounded up: 6).
    for (let i = 0; i < 200; i++) {
      const major = Math.floor(rnd() * 7);
      const minor = Math.floor(rnd() * 7);
      const asked = (spellings(major, minor)[i % 3] as string) + (i % 5 === 0 ? 'rc1' : '');
      const want = listed.some((v) => pypi.compare(v, asked) === 0);
      expect(list.has(parse(asked)), `${asked} in ${listed.join(',')}`).toBe(want);
    }
  });

  it('knows the highest version and whether every listed version parses', () => {
    const list = new ListedVersions(pypi, ['1.0', '2.0rc1', '1.10', '2.0.0rc1', '0.9']);
    expect(list.length).toBe(5);
    expect(list.facts()).toEqual({ highest: '2.0rc1', complete: true });
    expect(pypi.compareParsed(list.highest, parse('2.0rc1'))).toBe(0);
    expect(new ListedVersions(pypi, ['1.0', 'not a version', '1.0']).facts()).toEqual({ highest: '1.0', complete: false });
    expect(new ListedVersions(pypi, []).highest).toBeUndefined();
    expect(new ListedVersions(pypi, []).facts()).toEqual({ highest: null, complete: true });
    expect(new ListedVersions(pypi, []).has(parse('1.0'))).toBe(false);
  });

  it('parses nothing until asked, and only the highest when its facts are given, with the same answers', () => {
    const listed = ['0.9', '1.0', '1.10', '2.0rc1', 'not a version'];
    const parsed: string[] = [];
    const counting = (v: string): unknown => (parsed.push(v), pypi.parse(v));
    const fresh = new ListedVersions(pypi, listed);
    const given = new ListedVersions(pypi, listed, counting, fresh.facts());
    expect(given.facts()).toEqual({ highest: '2.0rc1', complete: false });
    expect(given.hasSpelling('1.10') && !given.hasSpelling('1.1')).toBe(true);
    expect(parsed).toEqual([]);
    expect(pypi.compareParsed(given.highest, parse('2.0rc1'))).toBe(0);
    expect(parsed).toEqual(['2.0rc1']);
    for (const asked of ['1.0.0', '1.1', '0.9.0', '2.0.0rc1', '3']) expect(given.has(parse(asked)), asked).toBe(fresh.has(parse(asked)));
  });
});
